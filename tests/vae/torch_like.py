#!/usr/bin/python3
"""An independent writer and evaluator for vae_eval's tests (numpy only, as Debian has it).

It writes a VAE of the homework's shape the way a PyTorch user's state_dict would be saved --
safetensors (the format written by hand from its specification: u64 header length, JSON header,
little-endian row-major data) or np.savez / np.savez_compressed -- under the naming of
pytorch/examples (fc1, fc21, fc22, fc3, fc4), one 16-row head (enc1, enc2, dec1, dec2) or
nn.Sequential (encoder.0, encoder.2, decoder.0, decoder.2), with keys in a shuffled order; and it
evaluates that model on the same images in float64, as PyTorch would: the KL in closed form, the
reconstruction term and L_k by Monte Carlo with numpy's own random numbers. It shares no code
with vivae: it reads the IDX files and builds the dataset itself.

Prints one JSON object: {"heldout": {"recon", "kl", "elbo", "iwae"}, "train": {...}, "floor"}.
"""
import argparse
import json
import struct
import sys

import numpy as np


def read_idx(path):
    raw = open(path, "rb").read()
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def dataset(images, labels, indices):
    # The homework's data: average each 2x2 block of the 0-255 values, then > 128 -> 1.
    x = images[indices].astype(np.float64)
    n, r, c = x.shape
    x = x.reshape(n, r // 2, 2, c // 2, 2).mean(axis=(2, 4))
    return (x > 128).astype(np.float64).reshape(n, -1)


def load_data(d, per_digit, heldout):
    ti, tl = read_idx(d + "/train-images-idx3-ubyte"), read_idx(d + "/train-labels-idx1-ubyte")
    hi = read_idx(d + "/t10k-images-idx3-ubyte")
    idx = [i for digit in range(10) for i in np.flatnonzero(tl == digit)[:per_digit]]
    return dataset(ti, tl, np.array(sorted(idx))), dataset(hi, None, np.arange(heldout))


def random_model(rng, D, He, L, Hd):
    def lin(o, i):
        return rng.normal(0, 1 / np.sqrt(i), (o, i)), rng.normal(0, 0.1, o)
    w1, b1 = lin(He, D)
    w2, b2 = lin(2 * L, He)
    w2[L:] *= 0.3  # a modest scale head
    w3, b3 = lin(Hd, L)
    w4, b4 = lin(D, Hd)
    return [w1, b1, w2, b2, w3, b3, w4, b4]


def from_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    def get(name):
        info = header[name]
        s, e = info["data_offsets"]
        dt = {"F32": "<f4", "F64": "<f8"}[info["dtype"]]
        return np.frombuffer(raw[8 + n + s:8 + n + e], dtype=dt).reshape(info["shape"]).astype(np.float64)
    return [get(k) for k in ["enc1.weight", "enc1.bias", "enc2.weight", "enc2.bias",
                             "dec1.weight", "dec1.bias", "dec2.weight", "dec2.bias"]]


def named(params, naming):
    w1, b1, w2, b2, w3, b3, w4, b4 = params
    L = w2.shape[0] // 2
    if naming == "examples":
        return {"fc1.weight": w1, "fc1.bias": b1, "fc21.weight": w2[:L], "fc21.bias": b2[:L],
                "fc22.weight": w2[L:], "fc22.bias": b2[L:], "fc3.weight": w3, "fc3.bias": b3,
                "fc4.weight": w4, "fc4.bias": b4}
    if naming == "head":
        return {"enc1.weight": w1, "enc1.bias": b1, "enc2.weight": w2, "enc2.bias": b2,
                "dec1.weight": w3, "dec1.bias": b3, "dec2.weight": w4, "dec2.bias": b4}
    if naming == "sequential":
        return {"encoder.0.weight": w1, "encoder.0.bias": b1, "encoder.2.weight": w2, "encoder.2.bias": b2,
                "decoder.0.weight": w3, "decoder.0.bias": b3, "decoder.2.weight": w4, "decoder.2.bias": b4}
    if naming == "ambiguous":  # two heads and nothing to tell them apart
        return {"a.weight": w1, "a.bias": b1, "head_x.weight": w2[:L], "head_x.bias": b2[:L],
                "head_y.weight": w2[L:], "head_y.bias": b2[L:], "b.weight": w3, "b.bias": b3,
                "c.weight": w4, "c.bias": b4}
    raise SystemExit("unknown naming " + naming)


def write_safetensors(path, tensors, dtype, rng, metadata):
    keys = list(tensors)
    rng.shuffle(keys)
    header, data, at = {}, b"", 0
    if metadata:
        header["__metadata__"] = {"format": "pt"}
    for k in keys:
        b = np.ascontiguousarray(tensors[k], dtype="<" + dtype).tobytes()
        header[k] = {"dtype": {"f4": "F32", "f8": "F64"}[dtype], "shape": list(tensors[k].shape),
                     "data_offsets": [at, at + len(b)]}
        data += b
        at += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    open(path, "wb").write(struct.pack("<Q", len(h)) + h + data)


def evaluate(params, x, k, scale, rng):
    w1, b1, w2, b2, w3, b3, w4, b4 = params
    L = w2.shape[0] // 2
    recon = kl = iwae = 0.0
    for xi in x:
        e = w2 @ np.tanh(w1 @ xi + b1) + b2
        mu, s = e[:L], e[L:]
        logvar = {"logvar": s, "logstd": 2 * s, "std": np.log(s * s)}[scale]
        logvar = np.clip(logvar, -20, 20)
        kl += -0.5 * np.sum(1 + logvar - mu ** 2 - np.exp(logvar))
        eps = rng.standard_normal((k, L))
        z = mu + np.exp(0.5 * logvar) * eps
        a = np.tanh(z @ w3.T + b3) @ w4.T + b4
        logp = (xi * a - np.logaddexp(0, a)).sum(axis=1)  # x log y + (1 - x) log(1 - y), y = sigmoid(a)
        logw = logp - 0.5 * (z ** 2).sum(axis=1) + 0.5 * (eps ** 2).sum(axis=1) + 0.5 * logvar.sum()
        m = logw.max()
        recon += logp.mean()
        iwae += m + np.log(np.mean(np.exp(logw - m)))
    n = len(x)
    return {"recon": recon / n, "kl": kl / n, "elbo": (recon - kl) / n, "iwae": iwae / n}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--per-digit", type=int, default=5)
    p.add_argument("--heldout", type=int, default=20)
    p.add_argument("--out", required=True)
    p.add_argument("--format", default="safetensors", choices=["safetensors", "npz", "npz_compressed"])
    p.add_argument("--naming", default="examples")
    p.add_argument("--dtype", default="f4", choices=["f4", "f8"])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--widths", default="128,8,128")
    p.add_argument("--from-safetensors", default="")
    p.add_argument("--scale", default="logvar", choices=["logvar", "logstd", "std"])
    p.add_argument("--transpose", default="")
    p.add_argument("--metadata", action="store_true")
    p.add_argument("--k", type=int, default=0, help="evaluate with k samples per image (0: write only)")
    p.add_argument("--heldout-only", action="store_true", help="evaluate the held-out images only")
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    train, held = load_data(a.data, a.per_digit, a.heldout)
    He, L, Hd = (int(v) for v in a.widths.split(","))
    params = from_safetensors(a.from_safetensors) if a.from_safetensors else random_model(rng, held.shape[1], He, L, Hd)
    if a.scale == "std" and not a.from_safetensors:
        params[3][L:] += 1.0  # sigma near 1, away from 0
    # The values as stored: what any reader of the file gets.
    params = [q.astype("<" + a.dtype).astype(np.float64) for q in params]
    tensors = named(params, a.naming)
    if a.transpose:
        tensors[a.transpose] = tensors[a.transpose].T
    if a.format == "safetensors":
        write_safetensors(a.out, tensors, a.dtype, rng, a.metadata)
    else:
        arrays = {k: v.astype("<" + a.dtype) for k, v in tensors.items()}
        (np.savez_compressed if a.format == "npz_compressed" else np.savez)(a.out, **arrays)
    result = {"floor": -held.shape[1] * np.log(2)}
    if a.k:
        result["heldout"] = evaluate(params, held, a.k, a.scale, rng)
        if not a.heldout_only:
            result["train"] = evaluate(params, train, a.k, a.scale, rng)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
