// vae_eval as a student meets it: a model written the way PyTorch users save one (by an
// independent numpy writer, tests/vae/torch_like.py) evaluates to that writer's own float64
// numbers; vae_train's model.safetensors gives vae_train's numbers exactly; hostile files exit 2
// with one line and write nothing; a training run's folder is never written.
#include <gtest/gtest.h>

#include <cmath>

#include "../vae/idx_writer.hpp"
#include "../vae/torch_like.hpp"
#include "app_runner.hpp"
#include "common/files.hpp"
#include "common/json.hpp"
#include "vae/summary.hpp"

using namespace vivae;
using namespace vivae::testing;

namespace {

const std::string kData = " --per-digit 5 --heldout 30 --quiet --reference /nonexistent";

// A model trained briefly by vae_train on the fake MNIST: its weights, as the writer's source.
const std::string& trained_run() {
  static const std::string dir = [] {
    const std::string d = temp_dir() + "/run";
    const RunResult r = run_app("vae_train", "--data-dir " + fake_mnist_dir() +
                                                 " --per-digit 5 --heldout 30 --valid-size 10 --batch 10 --updates 300"
                                                 " --iwae-k 50 --seed 3 --quiet --out " + d);
    EXPECT_EQ(r.code, 0) << r.err;
    return d;
  }();
  return dir;
}

SetEval held_of(const std::string& dir) {
  return parse_summary(slurp(dir + "/summary.json"), dir + "/summary.json").heldout;
}

Json reference_of(const RunResult& r) {
  EXPECT_EQ(r.code, 0) << r.err;
  return parse_json(r.out, "torch_like output");
}

}  // namespace

TEST(VaeEval, APyTorchStyleModelEvaluatesToTheWritersOwnFloat64Numbers) {
  // Every format, naming and dtype appears; the tolerances: KL 1e-3 (exact arithmetic
  // apart from float rounding), ELBO and recon 0.05 and L_k 0.06 (independent Monte Carlo, k =
  // 1000 samples for each of 30 images on both sides).
  const std::vector<std::vector<std::string>> cases = {
      {"safetensors", "examples", "f4", ".safetensors"}, {"safetensors", "head", "f8", ".safetensors"},
      {"safetensors", "sequential", "f4", ".safetensors"}, {"npz", "examples", "f8", ".npz"},
      {"npz_compressed", "head", "f4", ".npz"}, {"npz", "sequential", "f8", ".npz"}};
  for (const auto& c : cases) {
    const std::string dir = temp_dir(), file = dir + "/model" + c[3];
    const Json ref = reference_of(torch_like("--data " + fake_mnist_dir() + " --per-digit 5 --heldout 30 --k 1000 --out " + file +
                                             " --format " + c[0] + " --naming " + c[1] + " --dtype " + c[2] +
                                             " --metadata --from-safetensors " + trained_run() + "/model.safetensors"));
    const RunResult r = run_app("vae_eval", "--weights " + file + " --data-dir " + fake_mnist_dir() + kData +
                                                " --iwae-k 1000 --train-eval 50 --out " + dir + "/eval");
    ASSERT_EQ(r.code, 0) << c[0] << " " << c[1] << " " << c[2] << ": " << r.err;
    const RunSummary s = parse_summary(slurp(dir + "/eval/summary.json"), "summary.json");
    EXPECT_EQ(s.program, "vae_eval");
    EXPECT_EQ(s.weights->format, c[0] == "safetensors" ? "safetensors" : "npz");
    EXPECT_EQ(s.options.precision, c[2] == "f8" ? "double" : "float");
    for (const auto& [set, ours] : {std::pair<std::string, SetEval>{"heldout", s.heldout}, {"train", *s.train}}) {
      const std::string what = c[0] + " " + c[1] + " " + c[2] + " " + set;
      EXPECT_NEAR(ours.kl, ref[set]["kl"].get<double>(), 1e-3) << what;
      EXPECT_NEAR(ours.recon, ref[set]["recon"].get<double>(), 0.05) << what;
      EXPECT_NEAR(ours.elbo, ref[set]["elbo"].get<double>(), 0.05) << what;
      EXPECT_NEAR(ours.iwae, ref[set]["iwae"].get<double>(), 0.06) << what;
    }
    EXPECT_GT(s.heldout.elbo, ref["floor"].get<double>());  // a trained model, better than predicting 1/2
  }
}

TEST(VaeEval, VaeTrainsSafetensorsGiveVaeTrainsNumbersExactly) {
  const std::string dir = temp_dir();
  for (const char* file : {"model.safetensors", "model.bin"}) {
    const RunResult r = run_app("vae_eval", "--weights " + trained_run() + "/" + file + " --data-dir " + fake_mnist_dir() +
                                                kData + " --iwae-k 50 --seed 3 --threads 2 --out " + dir + "/" + file);
    ASSERT_EQ(r.code, 0) << r.err;
    const RunSummary ours = parse_summary(slurp(dir + "/" + file + "/summary.json"), "ours");
    const RunSummary train = parse_summary(slurp(trained_run() + "/summary.json"), "train");
    EXPECT_EQ(ours.heldout.elbo, train.heldout.elbo) << file;
    EXPECT_EQ(ours.heldout.iwae, train.heldout.iwae) << file;
    EXPECT_EQ(ours.heldout.kl, train.heldout.kl) << file;
    EXPECT_EQ(ours.train->elbo, train.train->elbo) << file;
    for (const char* csv : {"reconstructions.csv", "samples.csv", "iwae_k.csv", "latent_kl.csv"})
      EXPECT_EQ(slurp(dir + "/" + file + "/" + csv), slurp(trained_run() + "/" + csv)) << file << " " << csv;
  }
}

TEST(VaeEval, VaeTrainsSafetensorsHoldTheStateDictOfTheReadmesModule) {
  // The README's module: enc1 = nn.Linear(196, h), enc2 = nn.Linear(h, 2l), dec1 = nn.Linear(l, h),
  // dec2 = nn.Linear(h, 196); nn.Linear(i, o) has weight (o, i) and bias (o,). strict=True needs
  // exactly these keys and shapes.
  const RunResult r = python(
      "import json, struct\nraw = open('" + trained_run() + "/model.safetensors', 'rb').read()\n"
      "n = struct.unpack('<Q', raw[:8])[0]\nh = json.loads(raw[8:8 + n]); h.pop('__metadata__', None)\n"
      "d, hid, l = 196, 128, 8\n"
      "want = {}\n"
      "for name, (i, o) in {'enc1': (d, hid), 'enc2': (hid, 2 * l), 'dec1': (l, hid), 'dec2': (hid, d)}.items():\n"
      "    want[name + '.weight'] = [o, i]; want[name + '.bias'] = [o]\n"
      "print({k: v['shape'] for k, v in h.items()} == want, set(v['dtype'] for v in h.values()))\n");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "True {'F32'}\n");
}

TEST(VaeEval, TheScaleSaysWhatTheHeadMeans) {
  // An untrained model (a σ head cannot be made from a log σ² one by its weights): L_k's
  // estimates spread more than a trained model's, so both sides take k = 4000.
  for (const char* scale : {"logstd", "std"}) {
    const std::string dir = temp_dir(), file = dir + "/m.safetensors";
    const Json ref = reference_of(torch_like("--data " + fake_mnist_dir() + " --per-digit 5 --heldout 30 --k 4000 --heldout-only --dtype f8 --out " +
                                             file + " --scale " + scale));
    const std::string base = "--weights " + file + " --data-dir " + fake_mnist_dir() + kData + " --iwae-k 4000 --train-eval 0";
    ASSERT_EQ(run_app("vae_eval", base + " --scale " + std::string(scale) + " --out " + dir + "/right").code, 0);
    ASSERT_EQ(run_app("vae_eval", base + " --out " + dir + "/wrong").code, 0);  // read as logvar
    EXPECT_NEAR(held_of(dir + "/right").kl, ref["heldout"]["kl"].get<double>(), 1e-3) << scale;
    EXPECT_NEAR(held_of(dir + "/right").iwae, ref["heldout"]["iwae"].get<double>(), 0.06) << scale;
    EXPECT_GT(std::fabs(held_of(dir + "/wrong").kl - ref["heldout"]["kl"].get<double>()), 0.05) << scale;
  }
}

TEST(VaeEval, HostileFilesExitTwoWithOneLineAndWriteNothing) {
  const std::string dir = temp_dir();
  const std::string good = dir + "/good.safetensors";
  ASSERT_EQ(torch_like("--data " + fake_mnist_dir() + " --out " + good + " --naming head").code, 0);
  const std::string bytes = slurp(good);
  const RunResult made = python(
      "import struct, json, zipfile, numpy as np\n"
      "d = '" + dir + "'\n"
      "raw = open(d + '/good.safetensors', 'rb').read()\n"
      "n = struct.unpack('<Q', raw[:8])[0]\nh = json.loads(raw[8:8 + n])\nbody = raw[8 + n:]\n"
      "def put(name, header, data):\n"
      "    t = json.dumps(header).encode()\n"
      "    open(d + '/' + name, 'wb').write(struct.pack('<Q', len(t)) + t + data)\n"
      "open(d + '/header-2-40.safetensors', 'wb').write(struct.pack('<Q', 1 << 40) + raw[8:])\n"
      "open(d + '/not-json.safetensors', 'wb').write(struct.pack('<Q', 9) + b'{\"a\": [1,' + body)\n"
      "g = json.loads(json.dumps(h)); k = 'dec2.bias'; g[k]['data_offsets'][1] += 4; put('past-end.safetensors', g, body)\n"
      "g = json.loads(json.dumps(h)); ks = sorted(g, key=lambda x: g[x]['data_offsets'][0]); g[ks[1]]['data_offsets'][0] -= 4\n"
      "put('overlap.safetensors', g, body)\n"
      "g = json.loads(json.dumps(h)); g['dec2.bias']['dtype'] = 'I64'; g['dec2.bias']['shape'] = [98]; put('i64.safetensors', g, body)\n"
      "g = json.loads(json.dumps(h)); s, e = g.pop('dec1.bias')['data_offsets']\n"
      "for v in g.values():\n"
      "    if v['data_offsets'][0] >= e: v['data_offsets'] = [v['data_offsets'][0] - (e - s), v['data_offsets'][1] - (e - s)]\n"
      "put('missing.safetensors', g, body[:s] + body[e:])\n"
      "g = json.loads(json.dumps(h)); g['enc1.bias']['shape'] = [64]; put('shape-bytes.safetensors', g, body)\n"
      "open(d + '/empty.safetensors', 'wb').write(b'')\n"
      "open(d + '/garbage.safetensors', 'wb').write(bytes(range(256)) * 7)\n"
      "with zipfile.ZipFile(d + '/bomb.npz', 'w', zipfile.ZIP_DEFLATED) as z:\n"
      "    with z.open('enc1.weight.npy', 'w', force_zip64=True) as f:\n"
      "        for _ in range(80): f.write(bytes(1 << 20))\n");
  ASSERT_EQ(made.code, 0) << made.err;
  ASSERT_EQ(torch_like("--data " + fake_mnist_dir() + " --out " + dir + "/transposed.safetensors --transpose fc1.weight").code, 0);
  ASSERT_EQ(torch_like("--data " + fake_mnist_dir() + " --out " + dir + "/ambiguous.npz --format npz --naming ambiguous").code, 0);
  const std::vector<std::pair<std::string, std::string>> hostile = {
      {"header-2-40.safetensors", "over the format's limit"},
      {"not-json.safetensors", "the header is not JSON"},
      {"past-end.safetensors", "tensor"},
      {"overlap.safetensors", "overlaps the tensor before it"},
      {"i64.safetensors", "is I64"},
      {"missing.safetensors", "no bias of size 128"},
      {"shape-bytes.safetensors", "needs 256"},
      {"empty.safetensors", "is empty"},
      {"garbage.safetensors", "not a valid safetensors file"},
      {"bomb.npz", "over the bound"},
      {"transposed.safetensors", "is it transposed?"},
      {"ambiguous.npz", "mu: 'head_x' or 'head_y'"},
      {"nonexistent.safetensors", "does not exist"},
      {"", "is a directory"},
  };
  const std::string truncated = dir + "/truncated.safetensors";
  write_bytes(truncated, bytes.substr(0, bytes.size() - 100));
  for (auto [name, expected] : hostile) {
    const std::string out = temp_dir() + "/eval";
    const RunResult r = run_app("vae_eval", "--weights " + dir + "/" + name + " --data-dir " + fake_mnist_dir() + kData +
                                                " --iwae-k 5 --out " + out);
    EXPECT_EQ(r.code, 2) << name << ": " << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << name << ": " << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << name << ": " << r.err;
    EXPECT_FALSE(exists(out + "/summary.json")) << name;
  }
  const RunResult t = run_app("vae_eval", "--weights " + truncated + " --data-dir " + fake_mnist_dir() + kData + " --out " + dir + "/t");
  EXPECT_EQ(t.code, 2);
  EXPECT_NE(t.err.find("runs past the end of the file"), std::string::npos) << t.err;
}

TEST(VaeEval, NeverWritesIntoATrainingRunsFolderOrAnUnrelatedOne) {
  const std::string run = trained_run();
  const std::string before = slurp(run + "/summary.json");
  const RunResult r = run_app("vae_eval", "--weights " + run + "/model.safetensors --data-dir " + fake_mnist_dir() + kData +
                                              " --iwae-k 5 --out " + run);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("holds a training run"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(run + "/summary.json"), before);
  EXPECT_FALSE(exists(run + "/comparison.csv"));
  const std::string other = temp_dir();
  write_bytes(other + "/notes.txt", "mine");
  const RunResult u = run_app("vae_eval", "--weights " + run + "/model.safetensors --data-dir " + fake_mnist_dir() + kData +
                                              " --iwae-k 5 --out " + other);
  EXPECT_EQ(u.code, 2);
  EXPECT_NE(u.err.find("is not empty and holds no earlier vae_eval run"), std::string::npos) << u.err;
  // An earlier vae_eval's folder is its own: rerun in place.
  const std::string mine = temp_dir() + "/e";
  const std::string args = "--weights " + run + "/model.safetensors --data-dir " + fake_mnist_dir() + kData + " --iwae-k 5 --out " + mine;
  ASSERT_EQ(run_app("vae_eval", args).code, 0);
  ASSERT_EQ(run_app("vae_eval", args).code, 0);
  const RunResult help = run_app("vae_eval", "--help");
  EXPECT_EQ(help.code, 0);
  for (const char* s : {"--weights", "--scale", "logstd", "standard deviation", "--curve", "results/eval"})
    EXPECT_NE(help.out.find(s), std::string::npos) << s;
}

TEST(VaeEval, ACurveIsReadByItsColumnsAndDrawnOverTheReferenceBand) {
  const std::string run = trained_run();
  const std::string dir = temp_dir();
  write_bytes(dir + "/pandas.csv", ",step,val_recon\r\n0,0,-137.5\r\n1,100,-60.25\r\n2,200,-50\r\n");
  write_bytes(dir + "/ambiguous.csv", "update,recon_train,recon_valid\n0,-1,-2\n");
  write_bytes(dir + "/decreasing.csv", "update,recon\n100,-1\n0,-2\n");
  const std::string base = "--weights " + run + "/model.safetensors --data-dir " + fake_mnist_dir() +
                           " --per-digit 5 --heldout 30 --quiet --iwae-k 5 --train-eval 0 --reference " + temp_dir();
  const RunResult ok = run_app("vae_eval", base + " --curve " + dir + "/pandas.csv --out " + dir + "/ok");
  EXPECT_EQ(ok.code, 0) << ok.err;
  const RunResult amb = run_app("vae_eval", base + " --curve " + dir + "/ambiguous.csv --out " + dir + "/amb");
  EXPECT_EQ(amb.code, 2);
  EXPECT_NE(amb.err.find("cannot tell the update and the recon columns apart"), std::string::npos) << amb.err;
  EXPECT_FALSE(exists(dir + "/amb/summary.json"));
  const RunResult dec = run_app("vae_eval", base + " --curve " + dir + "/decreasing.csv --out " + dir + "/dec");
  EXPECT_EQ(dec.code, 2);
  EXPECT_NE(dec.err.find("do not increase"), std::string::npos) << dec.err;
}
