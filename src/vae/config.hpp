// The plain settings and results of Problem 2, without Armadillo, so that the program's own
// source (options in, a last line out) compiles without the matrix library.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace vivae {

// Layer widths: encoder input → enc_hidden → 2·latent, decoder latent → dec_hidden → input.
struct Widths {
  int input = 196;
  int enc_hidden = 128;
  int latent = 8;
  int dec_hidden = 128;
};

// What the encoder's second half s means (the handout's "8 more for the standard deviation"
// allows each reading): log σ² (the homework's KL formula, and what vae_train learns), log σ,
// or σ itself.
enum class HeadScale { log_var, log_std, std };
inline std::string scale_name(HeadScale s) {
  return s == HeadScale::log_var ? "logvar" : s == HeadScale::log_std ? "logstd" : "std";
}

enum class OptimKind { adam, adagrad };
inline std::string optim_name(OptimKind k) { return k == OptimKind::adam ? "adam" : "adagrad"; }

struct TrainConfig {
  Widths widths;
  int batch = 100;
  int samples = 2;  // L
  long updates = 10000;
  int valid_every = 100;
  int valid_size = 100;
  OptimKind optim = OptimKind::adam;
  double lr = 1e-3;
  uint64_t seed = 546;
  int threads = 1;  // changes the speed, never the results
};

// A whole set evaluated with k samples per image (evaluate.hpp), averages in nats/image.
// Images as plain lists of pixels (one D-vector each, row-major), for pictures outside the library.
using ImageList = std::vector<std::vector<double>>;

struct SetEval {
  double recon = 0, kl = 0, elbo = 0, iwae = 0;
  // L_j for j = 1, 2, 5, 10, 20, 50, … ≤ k, each estimated from the same k samples split into
  // ⌊k/j⌋ disjoint groups of j (so the curve costs nothing extra).
  std::vector<std::pair<int, double>> iwae_curve;
};

}  // namespace vivae
