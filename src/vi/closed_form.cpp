#include "vi/closed_form.hpp"

#include <cmath>
#include <limits>

#include "vi/energy.hpp"
#include "vi/mean_field.hpp"

namespace vivae {

double sigmoid(double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }

double kl_q2_inf(int n) { return n * std::log(2.0) + std::log1p(-std::ldexp(1.0, -n)); }
double kl_q1_inf(int n) { return std::log(2.0) + std::log1p(-std::ldexp(1.0, -n)); }

std::vector<double> theta_q2_inf(int n) { return std::vector<double>(n, 0.0); }
std::vector<double> theta_q1_inf(int n) {
  std::vector<double> t(n, 0.5);
  t[0] = 0.0;
  return t;
}

namespace {
// x^k by repeated squaring: a few multiplications (relative error ≤ 2·log₂k ulp) instead of a
// libm pow call, which dominated the whole sweep inside the nested bisections below.
double ipow(double x, int k) {
  double r = 1.0;
  for (; k > 0; k >>= 1, x *= x)
    if (k & 1) r *= x;
  return r;
}
}  // namespace

double sigmoid_fixed_point(double c, int m) {
  // g(θ) = θ − σ(−cθ^m) has g(0) < 0 < g(1) and g′ = 1 + c·m·θ^{m−1}·s(1−s) ≥ 1: one root.
  // Newton steps inside the bracket [lo, hi]; a step that leaves it bisects instead.
  double lo = 0, hi = 1, t = sigmoid(-c);  // θ = σ(−c) is the root for m = 0, a start otherwise
  for (int it = 0; it < 200; ++it) {
    const double tm1 = m > 0 ? ipow(t, m - 1) : 0.0;  // θ^{m−1}; m·θ^{m−1} = 0 for m = 0
    const double s = sigmoid(-c * (m > 0 ? tm1 * t : 1.0));
    const double g = t - s;
    if (g == 0) return t;
    (g < 0 ? lo : hi) = t;
    const double slope = 1 + c * m * tm1 * s * (1 - s);
    double next = t - g / slope;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (next == t || hi - lo <= 2 * std::numeric_limits<double>::epsilon() * hi) return next;
    t = next;
  }
  return t;
}

namespace {
double kl_two_values(int n, int k, double a, double b, double beta, double log_z) {
  std::vector<double> theta(n, b);
  for (int i = 0; i < k; ++i) theta[i] = a;
  return kl_product(product_energy(n), beta, log_z, theta);
}
}  // namespace

FixedPoint q2_fixed_point(int n, double beta, double log_z) {
  const double t = sigmoid_fixed_point(beta, n - 1);
  FixedPoint fp;
  fp.theta.assign(n, t);
  fp.kl = kl_product(product_energy(n), beta, log_z, fp.theta);
  return fp;
}

FixedPoint q1_fixed_point(int n, double beta, double log_z) {
  FixedPoint best = q2_fixed_point(n, beta, log_z);
  for (int k = 1; k < n; ++k) {
    auto b_of = [&](double a) { return sigmoid_fixed_point(beta * ipow(a, k), n - k - 1); };
    auto r = [&](double a) { return a - sigmoid(-beta * ipow(a, k - 1) * ipow(b_of(a), n - k)); };
    constexpr int kScan = 2000;
    double a_prev = 0, r_prev = r(0);
    for (int s = 1; s <= kScan; ++s) {
      const double a_next = static_cast<double>(s) / kScan;
      const double r_next = r(a_next);
      if ((r_prev < 0) != (r_next < 0)) {
        double lo = a_prev, hi = a_next;
        const bool rising = r_prev < 0;
        for (int it = 0; it < 200; ++it) {
          const double mid = 0.5 * (lo + hi);
          if (mid <= lo || mid >= hi) break;
          ((r(mid) < 0) == rising ? lo : hi) = mid;
        }
        const double a_root = 0.5 * (lo + hi), b_root = b_of(a_root);
        // The same point is found as (k at a, n−k at b) and as (n−k at b, k at a): write it
        // with the lower value first, so both give the same θ and the same KL.
        const bool swap = a_root > b_root;
        const int low = swap ? n - k : k;
        const double a = swap ? b_root : a_root, b = swap ? a_root : b_root;
        const double kl = kl_two_values(n, low, a, b, beta, log_z);
        if (kl < best.kl) {
          best.theta.assign(n, b);
          for (int i = 0; i < low; ++i) best.theta[i] = a;
          best.kl = kl;
          best.low_count = low;
        }
      }
      a_prev = a_next;
      r_prev = r_next;
    }
  }
  return best;
}

}  // namespace vivae
