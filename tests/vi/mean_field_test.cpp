// The numeric optimisers (which never see the closed form) against the closed forms.
#include "vi/mean_field.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "vi/closed_form.hpp"
#include "vi/exact.hpp"
#include "vi/sweep.hpp"

using namespace vivae;

TEST(LineSearch, FindsTheGlobalMinimumOfABimodalFunction) {
  // Two wells: a shallow one at 0.2 and the deeper one at 0.8.
  auto f = [](double x) { return -std::exp(-200 * (x - 0.2) * (x - 0.2)) - 1.5 * std::exp(-200 * (x - 0.8) * (x - 0.8)); };
  EXPECT_NEAR(minimise_unit_interval(f, 101).x, 0.8, 1e-6);
}

TEST(LineSearch, HandlesInfinitePlateausAndBoundaryOptima) {
  auto f = [](double x) { return x > 0 ? INFINITY : 1.0; };
  const LineMin m = minimise_unit_interval(f, 11);
  EXPECT_EQ(m.x, 0.0);
  EXPECT_EQ(m.f, 1.0);
}

TEST(MeanField, NumericOptimaMatchClosedFormsForEveryNUpTo12) {
  // θ: golden section resolves θ only to ~√ε·scale, hence 1e-6; KL is flat at the optimum,
  // so its error is second order and 1e-10 is ample.
  for (int n = 1; n <= 12; ++n)
    for (double beta : {0.5, 2.0, 8.0, 32.0, double(INFINITY)}) {
      const Energy e = product_energy(n);
      const double lz = log_z(e, beta);
      const MeanField q2 = minimise_q2(e, beta, lz);
      const MeanField q1 = minimise_q1(e, beta, lz, 546, 8);
      const bool inf = std::isinf(beta);
      const FixedPoint f2 = inf ? FixedPoint{theta_q2_inf(n), kl_q2_inf(n), 0} : q2_fixed_point(n, beta, lz);
      const FixedPoint f1 = inf ? FixedPoint{theta_q1_inf(n), kl_q1_inf(n), 1} : q1_fixed_point(n, beta, lz);
      const std::vector<double>& t2 = f2.theta;
      const std::vector<double>& t1 = f1.theta;
      const double kl2 = f2.kl, kl1 = f1.kl;
      EXPECT_NEAR(q_stats(e, beta, lz, q2.theta).kl, kl2, 1e-10) << n << " " << beta;
      EXPECT_NEAR(q_stats(e, beta, lz, q1.theta).kl, kl1, 1e-10) << n << " " << beta;
      EXPECT_LE(theta_error(q2.theta, t2), 1e-6) << n << " " << beta;
      EXPECT_LE(theta_error(q1.theta, t1), 1e-6) << n << " " << beta;
    }
}

TEST(MeanField, BinaryEntropyUsesZeroLogZero) {
  EXPECT_EQ(binary_entropy(0.0), 0.0);
  EXPECT_EQ(binary_entropy(1.0), 0.0);
  EXPECT_NEAR(binary_entropy(0.5), std::log(2.0), 1e-15);
}
