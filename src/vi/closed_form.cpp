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
// Root of an increasing g on [0, 1] with g(0) < 0 < g(1), to the last bit.
template <class G>
double bisect_increasing(G g) {
  double lo = 0, hi = 1;
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (g(mid) < 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double ipow(double x, int k) { return k == 0 ? 1.0 : std::pow(x, k); }

double kl_two_values(int n, int k, double a, double b, double beta, double log_z) {
  std::vector<double> theta(n, b);
  for (int i = 0; i < k; ++i) theta[i] = a;
  return kl_product(product_energy(n), beta, log_z, theta);
}
}  // namespace

FixedPoint q2_fixed_point(int n, double beta, double log_z) {
  const double t = bisect_increasing([&](double x) { return x - sigmoid(-beta * ipow(x, n - 1)); });
  FixedPoint fp;
  fp.theta.assign(n, t);
  fp.kl = kl_product(product_energy(n), beta, log_z, fp.theta);
  return fp;
}

FixedPoint q1_fixed_point(int n, double beta, double log_z) {
  FixedPoint best = q2_fixed_point(n, beta, log_z);
  for (int k = 1; k < n; ++k) {
    auto b_of = [&](double a) {
      return bisect_increasing([&](double b) { return b - sigmoid(-beta * ipow(a, k) * ipow(b, n - k - 1)); });
    };
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
        const double a = 0.5 * (lo + hi), b = b_of(a);
        const double kl = kl_two_values(n, k, a, b, beta, log_z);
        if (kl < best.kl) {
          best.theta.assign(n, b);
          for (int i = 0; i < k; ++i) best.theta[i] = a;
          best.kl = kl;
          best.low_count = k;
        }
      }
      a_prev = a_next;
      r_prev = r_next;
    }
  }
  return best;
}

}  // namespace vivae
