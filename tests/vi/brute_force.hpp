// Independent brute-force references for the vi tests: one state at a time, straight from
// the definitions, no blocking, no tables, long double accumulation.
#pragma once
#include <cmath>
#include <limits>
#include <vector>

#include "vi/energy.hpp"

namespace vivae::brute {

inline long double weight(const Energy& e, double beta, uint64_t w) {
  const double f = phi(e, w);
  if (std::isinf(beta)) return f == 0 ? 1.0L : 0.0L;
  return std::exp(-static_cast<long double>(beta) * f);
}

inline double log_z(const Energy& e, double beta) {
  long double z = 0;
  for (uint64_t w = 0; w < (uint64_t{1} << e.n); ++w) z += weight(e, beta, w);
  return static_cast<double>(std::log(z));
}

inline long double q_of(const std::vector<double>& theta, uint64_t w) {
  long double q = 1;
  for (size_t i = 0; i < theta.size(); ++i) q *= ((w >> i) & 1) ? theta[i] : 1 - theta[i];
  return q;
}

// KL(q‖p) from the definition Σ_w q(w) log(q(w)/p(w)).
inline double kl(const Energy& e, double beta, const std::vector<double>& theta) {
  long double z = 0;
  for (uint64_t w = 0; w < (uint64_t{1} << e.n); ++w) z += weight(e, beta, w);
  long double s = 0;
  for (uint64_t w = 0; w < (uint64_t{1} << e.n); ++w) {
    const long double q = q_of(theta, w);
    if (q == 0) continue;
    const long double p = weight(e, beta, w) / z;
    if (p == 0) return std::numeric_limits<double>::infinity();
    s += q * std::log(q / p);
  }
  return static_cast<double>(s);
}

inline double mean_phi_p(const Energy& e, double beta) {
  long double z = 0, s = 0;
  for (uint64_t w = 0; w < (uint64_t{1} << e.n); ++w) {
    const long double p = weight(e, beta, w);
    z += p;
    s += p * phi(e, w);
  }
  return static_cast<double>(s / z);
}

}  // namespace vivae::brute
