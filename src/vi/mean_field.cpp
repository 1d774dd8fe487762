#include "vi/mean_field.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/rng.hpp"

namespace vivae {

double binary_entropy(double t) {
  double h = 0;
  if (t > 0) h -= t * std::log(t);
  if (t < 1) h -= (1 - t) * std::log1p(-t);
  return h;
}

// β·E_q[Φ] with 0·∞ = 0. For the product energy, ∏θᵢ can underflow to 0 while q still puts
// mass on 1…1; at β = ∞ positivity is decided exactly (every factor > 0), not by the product.
static double beta_mean_phi(const Energy& e, double beta, double mean_phi, const std::vector<double>& theta, int skip) {
  if (std::isinf(beta) && e.product) {
    for (int j = 0; j < e.n; ++j)
      if (j != skip && theta[j] == 0) return 0.0;
    return beta;
  }
  return beta_times(beta, mean_phi);
}

double kl_product(const Energy& e, double beta, double log_z, const std::vector<double>& theta) {
  double h = 0;
  for (double t : theta) h += binary_entropy(t);
  return beta_mean_phi(e, beta, expected_phi(e, theta), theta, -1) - h + log_z;  // eq. (2)
}

LineMin minimise_unit_interval(const std::function<double(double)>& f, int grid_points) {
  const int m = std::max(grid_points, 3);
  std::vector<double> fx(m);
  int best = 0;
  for (int k = 0; k < m; ++k) {
    fx[k] = f(static_cast<double>(k) / (m - 1));
    if (fx[k] < fx[best]) best = k;
  }
  LineMin out{static_cast<double>(best) / (m - 1), fx[best]};
  // Golden section on the bracket around the best grid point; a +∞ plateau just pushes the
  // search towards the finite side, and the endpoints were already compared on the grid.
  double a = static_cast<double>(std::max(best - 1, 0)) / (m - 1);
  double b = static_cast<double>(std::min(best + 1, m - 1)) / (m - 1);
  const double g = (std::sqrt(5.0) - 1) / 2;
  double c = b - g * (b - a), d = a + g * (b - a);
  double fc = f(c), fd = f(d);
  for (int it = 0; it < 200 && b - a > 1e-15; ++it) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  const double x = fc <= fd ? c : d;
  const double fx_mid = std::min(fc, fd);
  if (fx_mid < out.f) out = {x, fx_mid};
  return out;
}

MeanField minimise_q2(const Energy& e, double beta, double log_z) {
  std::vector<double> theta(e.n);
  auto kl_of = [&](double t) {
    std::fill(theta.begin(), theta.end(), t);
    return kl_product(e, beta, log_z, theta);
  };
  const LineMin m = minimise_unit_interval(kl_of, 1001);
  MeanField out;
  out.theta.assign(e.n, m.x);
  out.kl = m.f;
  return out;
}

static MeanField coordinate_descent(const Energy& e, double beta, double log_z, std::vector<double> theta) {
  double kl = kl_product(e, beta, log_z, theta);
  int sweep = 0;
  for (; sweep < 5000; ++sweep) {
    double moved = 0;
    for (int i = 0; i < e.n; ++i) {
      // With the other θⱼ fixed, KL = β(a + slope·θᵢ) − H(θᵢ) + const.
      const double slope = expected_phi_slope(e, theta, i);
      const double beta_slope = beta_mean_phi(e, beta, slope, theta, i);
      auto f = [&](double t) { return beta_times(beta_slope, t) - binary_entropy(t); };
      const LineMin m = minimise_unit_interval(f, 33);
      if (m.f < f(theta[i])) {
        moved = std::max(moved, std::fabs(m.x - theta[i]));
        theta[i] = m.x;
      }
    }
    const double next = kl_product(e, beta, log_z, theta);
    const double gain = kl - next;
    kl = next;
    if (moved < 1e-12 || (gain >= 0 && gain < 1e-15 && moved < 1e-7)) break;
  }
  MeanField out;
  out.theta = std::move(theta);
  out.kl = kl;
  out.sweeps = sweep + 1;
  return out;
}

MeanField minimise_q1(const Energy& e, double beta, double log_z, uint64_t seed, int starts) {
  Rng rng = make_rng(seed, kProblem + static_cast<uint64_t>(e.n) * 64);
  MeanField best;
  best.kl = std::numeric_limits<double>::infinity();
  for (int s = 0; s < starts; ++s) {
    std::vector<double> start(e.n);
    for (auto& t : start) t = uniform_open(rng);
    MeanField m = coordinate_descent(e, beta, log_z, std::move(start));
    if (s == 0 || m.kl < best.kl) best = std::move(m);
  }
  best.starts = starts;
  return best;
}

}  // namespace vivae
