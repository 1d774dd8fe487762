#include "vi/identities.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "brute_force.hpp"
#include "vi/exact.hpp"

using namespace vivae;

TEST(Identities, TwoAndThreeHoldOnRandomIsingEnergies) {
  for (uint64_t seed : {1u, 2u, 3u})
    for (int n : {3, 10, 14})
      for (double beta : {0.5, 4.0}) {
        const Energy e = ising_energy(n, seed);
        for (const CheckRow& r : check_identity_2_and_3(e, beta, p_stats(e, beta), seed, 3, 1e-10)) {
          EXPECT_TRUE(r.pass) << r.check << " n=" << n << " err=" << r.abs_err;
          EXPECT_FALSE(std::isnan(r.lhs) || std::isnan(r.rhs));
        }
      }
}

TEST(Identities, BoundThreeIsStrictForQAwayFromP) {
  const Energy e = ising_energy(8, 4);
  for (const CheckRow& r : check_identity_2_and_3(e, 2.0, p_stats(e, 2.0), 9, 3, 1e-10)) {
    if (r.check != "bound_3") continue;
    EXPECT_LT(r.lhs, r.rhs - 1e-3);
  }
}

TEST(Identities, TwoHoldsAtInfinityWithInfiniteAndFiniteSides) {
  const Energy e = product_energy(6);
  const auto rows = check_identity_2_and_3(e, INFINITY, p_stats(e, INFINITY), 5, 4, 1e-10);
  bool saw_inf = false, saw_finite = false;
  for (const CheckRow& r : rows) {
    EXPECT_TRUE(r.pass) << r.check;
    if (r.check == "identity_2") {
      (std::isinf(r.lhs) ? saw_inf : saw_finite) = true;
    }
  }
  EXPECT_TRUE(saw_inf && saw_finite);
}

TEST(Identities, FourFiniteDifferenceErrorFallsThenRises) {
  // Truncation error ∝ h² dominates for large h, rounding ∝ ε/h for small h: the curve is V-shaped.
  const Energy e = ising_energy(10, 3);
  const auto rows = check_identity_4(e, 1.5, p_stats(e, 1.5), 1e-6);
  ASSERT_EQ(rows.size(), fd_steps().size() + 1);
  const CheckRow& best = rows.back();
  EXPECT_TRUE(best.pass);
  EXPECT_NEAR(best.lhs, brute::mean_phi_p(e, 1.5), 1e-12);
  EXPECT_GT(rows.front().abs_err, 100 * best.abs_err);              // h = 0.1
  EXPECT_GT(rows[rows.size() - 2].abs_err, 100 * best.abs_err);     // h = 1e-10
  EXPECT_GT(best.h, 1e-8);
  EXPECT_LT(best.h, 1e-2);
}
