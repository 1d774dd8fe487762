// Whole-set evaluation of a trained model with k posterior samples per image:
//   recon = (1/k) Σᵢ log p(x|zᵢ), kl analytic, elbo = recon − kl, and the importance-weighted
//   bound L_k = log (1/k) Σᵢ p(x, zᵢ)/q(zᵢ|x) (Burda et al. 2016), by log-sum-exp.
// L_k ≥ E[ELBO] and L_k → log p(x) as k → ∞. All values are averages in nats/image.
#pragma once
#include <armadillo>
#include <utility>
#include <vector>

#include "common/rng.hpp"
#include "vae/model.hpp"

namespace vivae {

struct SetEval {
  double recon = 0, kl = 0, elbo = 0, iwae = 0;
  // L_j for j = 1, 2, 5, 10, 20, 50, … ≤ k, each estimated from the same k samples split into
  // ⌊k/j⌋ disjoint groups of j (so the curve costs nothing extra).
  std::vector<std::pair<int, double>> iwae_curve;
};

template <class T>
SetEval evaluate_set(const Params<T>& p, const arma::Mat<T>& x, int k, Rng& rng);

}  // namespace vivae
