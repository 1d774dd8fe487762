// A VAE of the homework's shape from any weight file: model.bin (vae/model_io.hpp),
// safetensors (vae/safetensors.hpp) or numpy .npz (vae/npz.hpp), told apart by their first bytes.
//
// Framework files hold nn.Linear tensors: weight (out, in) row-major, bias (out). Their layers
// are found by shape, not by name, so every naming loads: pytorch/examples (fc1, fc21 μ, fc22
// log σ², fc3, fc4), one 2·latent-row head (rows 0…latent−1 μ, the rest the scale),
// nn.Sequential (encoder.0, encoder.2, …), in any order. The chain must be
//   enc1 (H_e, D) → head (2L, H_e) or two heads (L, H_e) → dec1 (H_d, L) → dec2 (D, H_d)
// with D the images' size. Names decide only what shapes cannot: which of two equal heads is μ
// (a name with mu/mean/loc against var/std/sigma/scale; else the lower number, fc21 before
// fc22), and the choice is reported in `notes`; where nothing decides, DataError names the
// candidates. A tensor that fits only transposed is an error naming it (nn.Linear stores
// (out, in)), as is any tensor left over, a bias missing, or a non-finite value.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "vae/model.hpp"
#include "vae/tensor_file.hpp"

namespace vivae {

struct LoadedWeights {
  Widths widths;
  Params<double> params;          // with params.scale set
  std::string format;             // "model.bin", "safetensors", "npz"
  std::string dtype;              // "F32", "F64", "F16", "BF16" (of the widest tensor)
  int element_bytes = 8;          // the precision the model was stored in: 4 or 8
  std::vector<std::pair<std::string, std::string>> layers;  // role (enc1, mu, …) → tensor names
  std::vector<std::string> notes;  // choices made by name
};

// `input`: the images' size D (196 for the homework). Throws DataError naming `name`.
LoadedWeights load_weights(const std::string& bytes, const std::string& name, HeadScale scale, int input);
LoadedWeights match_layers(const TensorFile& file, const std::string& name, HeadScale scale, int input);

// The weights as nn.Linear tensors named enc1.weight, enc1.bias, enc2.…, dec1.…, dec2.…
// (enc2 rows 0…L−1 μ, L…2L−1 log σ²), for serialise_safetensors.
template <class T>
std::vector<NamedTensor> linear_tensors(const Params<T>& p);

}  // namespace vivae
