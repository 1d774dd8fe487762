#include "vi/energy.hpp"

#include <cmath>

#include "common/rng.hpp"

namespace vivae {

Energy product_energy(int n) {
  Energy e;
  e.n = n;
  e.product = true;
  return e;
}

Energy ising_energy(int n, uint64_t seed) {
  Energy e;
  e.n = n;
  e.product = false;
  e.h.resize(n);
  e.J.assign(static_cast<size_t>(n) * n, 0.0);
  Rng rng = make_rng(seed, kProblem + 1000 + static_cast<uint64_t>(n));
  for (auto& hi : e.h) hi = normal(rng);
  const double scale = 1.0 / std::sqrt(static_cast<double>(n));
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) e.J[i * n + j] = e.J[j * n + i] = normal(rng) * scale;
  return e;
}

std::string energy_name(const Energy& e) { return e.product ? "product" : "ising"; }

double phi(const Energy& e, uint64_t w) {
  if (e.product) {
    const uint64_t all = (uint64_t{1} << e.n) - 1;
    return (w & all) == all ? 1.0 : 0.0;
  }
  double s = 0;
  for (int i = 0; i < e.n; ++i) {
    if (!((w >> i) & 1)) continue;
    s += e.h[i];
    for (int j = i + 1; j < e.n; ++j)
      if ((w >> j) & 1) s += e.J[i * e.n + j];
  }
  return s;
}

double expected_phi(const Energy& e, const std::vector<double>& theta) {
  if (e.product) {
    double p = 1;
    for (double t : theta) p *= t;
    return p;
  }
  double s = 0;
  for (int i = 0; i < e.n; ++i) {
    s += e.h[i] * theta[i];
    for (int j = i + 1; j < e.n; ++j) s += e.J[i * e.n + j] * theta[i] * theta[j];
  }
  return s;
}

double expected_phi_slope(const Energy& e, const std::vector<double>& theta, int i) {
  if (e.product) {
    double p = 1;
    for (int j = 0; j < e.n; ++j)
      if (j != i) p *= theta[j];
    return p;
  }
  double s = e.h[i];
  for (int j = 0; j < e.n; ++j)
    if (j != i) s += e.J[i * e.n + j] * theta[j];
  return s;
}

}  // namespace vivae
