// Closed forms of Problem 1c/1d against brute-force enumeration: the KL at the closed-form θ
// computed from the definition, and no point of a grid over the family doing better.
#include "vi/closed_form.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "brute_force.hpp"
#include "common/rng.hpp"
#include "vi/exact.hpp"

using namespace vivae;

TEST(ClosedForm, InfinityKlValuesMatchEnumerationForEveryNUpTo12) {
  for (int n = 1; n <= 12; ++n) {
    const Energy e = product_energy(n);
    EXPECT_NEAR(brute::kl(e, INFINITY, theta_q2_inf(n)), kl_q2_inf(n), 1e-12) << n;
    EXPECT_NEAR(brute::kl(e, INFINITY, theta_q1_inf(n)), kl_q1_inf(n), 1e-12) << n;
  }
}

TEST(ClosedForm, InfinityQ2OptimumBeatsEveryGridPoint) {
  for (int n = 1; n <= 12; ++n)
    for (int k = 0; k <= 200; ++k) {
      const double t = k / 200.0;
      EXPECT_GE(brute::kl(product_energy(n), INFINITY, std::vector<double>(n, t)), kl_q2_inf(n) - 1e-12);
    }
}

TEST(ClosedForm, InfinityQ1OptimumBeatsGridAndRandomPoints) {
  // Full grid for n = 2, 3; random points (half of them on the feasible face θ₀ = 0) above.
  for (int n : {2, 3}) {
    const int m = n == 2 ? 101 : 31;
    std::vector<double> theta(n);
    for (int idx = 0; idx < static_cast<int>(std::pow(m, n)); ++idx) {
      int r = idx;
      for (auto& t : theta) { t = (r % m) / double(m - 1); r /= m; }
      EXPECT_GE(brute::kl(product_energy(n), INFINITY, theta), kl_q1_inf(n) - 1e-12);
    }
  }
  Rng rng = make_rng(1, 0);
  for (int n = 4; n <= 12; ++n)
    for (int s = 0; s < 40; ++s) {
      std::vector<double> theta(n);
      for (auto& t : theta) t = uniform(rng);
      if (s % 2) theta[s % n] = 0;
      EXPECT_GE(brute::kl(product_energy(n), INFINITY, theta), kl_q1_inf(n) - 1e-12);
    }
}

TEST(ClosedForm, FiniteBetaFixedPointsSolveTheirEquationsAndMatchEnumeration) {
  for (int n = 1; n <= 12; ++n)
    for (double beta : {0.5, 2.0, 8.0, 32.0}) {
      const Energy e = product_energy(n);
      const double lz = brute::log_z(e, beta);
      const FixedPoint q2 = q2_fixed_point(n, beta, lz);
      const double t = q2.theta[0];
      EXPECT_NEAR(t, sigmoid(-beta * std::pow(t, n - 1)), 1e-14);
      EXPECT_NEAR(q2.kl, brute::kl(e, beta, q2.theta), 1e-11);
      const FixedPoint q1 = q1_fixed_point(n, beta, lz);
      double prod = 1;
      for (double x : q1.theta) prod *= x;
      for (double x : q1.theta) EXPECT_NEAR(x, sigmoid(-beta * prod / x), 1e-12) << n << " " << beta;
      EXPECT_NEAR(q1.kl, brute::kl(e, beta, q1.theta), 1e-11);
      EXPECT_LE(q1.kl, q2.kl + 1e-15);  // Q2 ⊂ Q1
    }
}

TEST(ClosedForm, FiniteBetaOptimaBeatEveryGridPoint) {
  // Q2 for n ≤ 12 on a 401-point grid; Q1 for n = 2 (201²) and n = 3 (41³) on full grids.
  for (double beta : {0.5, 2.0, 8.0, 32.0}) {
    for (int n = 1; n <= 12; ++n) {
      const Energy e = product_energy(n);
      const double lz = brute::log_z(e, beta);
      const double kl2 = q2_fixed_point(n, beta, lz).kl;
      double grid_min = INFINITY;
      for (int k = 0; k <= 400; ++k) grid_min = std::min(grid_min, brute::kl(e, beta, std::vector<double>(n, k / 400.0)));
      EXPECT_GE(grid_min, kl2 - 1e-12);
      EXPECT_LE(grid_min - kl2, 1e-3);  // the grid gets close: the closed form is the minimum
    }
    for (int n : {2, 3}) {
      const Energy e = product_energy(n);
      const double kl1 = q1_fixed_point(n, beta, brute::log_z(e, beta)).kl;
      const int m = n == 2 ? 201 : 41;
      std::vector<double> theta(n);
      double grid_min = INFINITY;
      for (int idx = 0; idx < static_cast<int>(std::pow(m, n)); ++idx) {
        int r = idx;
        for (auto& t : theta) { t = (r % m) / double(m - 1); r /= m; }
        grid_min = std::min(grid_min, brute::kl(e, beta, theta));
      }
      EXPECT_GE(grid_min, kl1 - 1e-12) << n << " " << beta;
      EXPECT_LE(grid_min - kl1, 1e-2) << n << " " << beta;
    }
  }
}

TEST(ClosedForm, LargeBetaBreaksTheSymmetryOfQ1) {
  // As β → ∞ the Q1 optimum tends to one θᵢ = 0, the rest ½; the split happens once
  // β·2^{1−n} ≫ 1, so for n = 3 at β = 32 it has happened (and the symmetric point is worse).
  const Energy e = product_energy(3);
  const double lz = log_z(e, 32.0);
  const FixedPoint q1 = q1_fixed_point(3, 32.0, lz);
  EXPECT_LT(q1.kl, q2_fixed_point(3, 32.0, lz).kl - 1e-3);
  EXPECT_EQ(q1.low_count, 1);
  EXPECT_LT(q1.theta[0], 0.01);
  EXPECT_NEAR(q1.theta[1], 0.5, 0.05);
}

TEST(SigmoidFixedPoint, SolvesTheEquationAndAgreesWithPlainBisection) {
  // The plain twin: bisection on θ − σ(−cθ^m) to the last bit. Newton may land one or two
  // ulps away from it; 1e-15 absolute on θ ∈ (0, 1) allows that and nothing more.
  for (double c : {0.0, 0.5, 3.0, 32.0, 700.0})
    for (int m : {0, 1, 2, 5, 19, 29}) {
      double lo = 0, hi = 1;
      for (int it = 0; it < 2000 && 0.5 * (lo + hi) > lo && 0.5 * (lo + hi) < hi; ++it) {
        const double mid = 0.5 * (lo + hi);
        (mid - sigmoid(-c * std::pow(mid, m)) < 0 ? lo : hi) = mid;
      }
      const double t = sigmoid_fixed_point(c, m);
      EXPECT_NEAR(t, 0.5 * (lo + hi), 1e-15 + 4e-16 * t) << c << " " << m;
      EXPECT_NEAR(t, sigmoid(-c * std::pow(t, m)), 1e-15) << c << " " << m;
    }
}
