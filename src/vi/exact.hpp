// Exact quantities by full enumeration of the 2^n states: log Z(β), moments of p, and
// KL(q‖p) for product distributions q, with the support rules done exactly:
//   0·log 0 = 0 (states with q = 0 contribute nothing), and
//   KL = +∞ as soon as q > 0 on a state where p = 0. Never NaN.
#pragma once
#include <vector>

#include "vi/energy.hpp"

namespace vivae {

// log Z(β) = log Σ_w e^{−βΦ(w)}, by a blocked log-sum-exp.
double log_z(const Energy& e, double beta);

struct PStats {
  double log_z = 0;
  double mean_phi = 0;     // E_p[Φ]
  double neg_entropy = 0;  // Σ p log p
};
PStats p_stats(const Energy& e, double beta);

struct QStats {
  double kl = 0;           // Σ q log(q/p), summed directly
  double mean_phi = 0;     // E_q[Φ]
  double neg_entropy = 0;  // E_q[log q]
};
// q(w) = ∏ θᵢ^{wᵢ}(1−θᵢ)^{1−wᵢ}; log_z from log_z(e, beta).
QStats q_stats(const Energy& e, double beta, double log_z, const std::vector<double>& theta);

// Free energy F(q) = −β E_q[Φ] − E_q[log q] (the homework's definition).
inline double free_energy(double beta, const QStats& s) { return -beta_times(beta, s.mean_phi) - s.neg_entropy; }

}  // namespace vivae
