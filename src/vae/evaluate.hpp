// Whole-set evaluation of a trained model with k posterior samples per image:
//   recon = (1/k) Σᵢ log p(x|zᵢ), kl analytic, elbo = recon − kl, and the importance-weighted
//   bound L_k = log (1/k) Σᵢ p(x, zᵢ)/q(zᵢ|x) (Burda et al. 2016), by log-sum-exp in double.
// L_k ≥ E[ELBO] and L_k → log p(x) as k → ∞. All values are averages in nats/image.
//
// Images run in parallel. Image i's noise comes from its own stream, eval_stream(set, i), so
// every value depends on (seed, set, image, k) only, never on the thread count; per-image
// results are summed in image order.
#pragma once
#include <armadillo>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "common/rng.hpp"
#include "vae/config.hpp"
#include "vae/model.hpp"

namespace vivae {

struct EvalOptions {
  int k = 1000;
  uint64_t seed = 546;
  uint64_t set = 0;  // which set this is (training 0, held-out 1): part of every image's stream
  int threads = 1;
  std::function<void(size_t done, size_t total)> progress;  // called from one thread at a time
};

// The noise stream of image `image` of set `set`.
inline uint64_t eval_stream(uint64_t set, uint64_t image) { return (uint64_t{1} << 40) + (set << 32) + image; }

template <class T>
SetEval evaluate_set(const Params<T>& p, const arma::Mat<T>& x, const EvalOptions& o);

// Log weights log p(x, zᵢ) − log q(zᵢ|x) of one image's k samples, and its samples' noise,
// as evaluate_set computes them (for tests).
template <class T>
std::vector<double> image_log_weights(const Params<T>& p, const arma::Mat<T>& x, arma::uword image, int k, uint64_t seed,
                                      uint64_t set);

}  // namespace vivae
