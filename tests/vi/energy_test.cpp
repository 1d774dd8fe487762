#include "vi/energy.hpp"

#include <gtest/gtest.h>

#include "brute_force.hpp"
#include "common/rng.hpp"
#include "vi/enumerate.hpp"

using namespace vivae;

TEST(Energy, BlocksReproduceEveryStateEnergy) {
  for (int n : {1, 4, 12, 13, 15})
    for (const Energy& e : {product_energy(n), ising_energy(n, 2)}) {
      const int low = low_bits(n);
      uint64_t visited = 0;
      for_each_block(e, [&](uint64_t hi, const double* block) {
        for (uint64_t lo = 0; lo < (uint64_t{1} << low); ++lo) {
          ASSERT_NEAR(block[lo], phi(e, (hi << low) | lo), 1e-12);
          ++visited;
        }
      });
      EXPECT_EQ(visited, uint64_t{1} << n);
    }
}

TEST(Energy, ExpectedPhiOfProductQMatchesEnumeration) {
  Rng rng = make_rng(9, 0);
  for (int n : {1, 3, 8})
    for (const Energy& e : {product_energy(n), ising_energy(n, 4)}) {
      std::vector<double> theta(n);
      for (auto& t : theta) t = uniform(rng);
      long double ref = 0;
      for (uint64_t w = 0; w < (uint64_t{1} << n); ++w) ref += brute::q_of(theta, w) * phi(e, w);
      EXPECT_NEAR(expected_phi(e, theta), static_cast<double>(ref), 1e-12);
      // Multilinear: the slope is the exact difference between θᵢ = 1 and θᵢ = 0.
      for (int i = 0; i < n; ++i) {
        auto t1 = theta, t0 = theta;
        t1[i] = 1;
        t0[i] = 0;
        EXPECT_NEAR(expected_phi_slope(e, theta, i), expected_phi(e, t1) - expected_phi(e, t0), 1e-12);
      }
    }
}

TEST(Energy, NegBetaPhiTreatsZeroTimesInfinityAsZero) {
  EXPECT_EQ(neg_beta_phi(INFINITY, 0.0), 0.0);
  EXPECT_EQ(neg_beta_phi(INFINITY, 1.0), -INFINITY);
  EXPECT_EQ(beta_times(INFINITY, 0.0), 0.0);
}
