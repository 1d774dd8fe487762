// Enumeration passes against the brute-force definitions (tests/vi/brute_force.hpp).
#include "vi/exact.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "brute_force.hpp"
#include "common/rng.hpp"
#include "vi/enumerate.hpp"

using namespace vivae;

// Both sides sum at most 2^14 positive terms in double vs long double; 1e-12 relative is
// ~1e4 ulps of headroom over the worst-case rounding of the blocked sums.
constexpr double kRel = 1e-12;

TEST(LogZ, MatchesBruteForceForProductEnergy) {
  for (int n = 1; n <= 12; ++n)
    for (double beta : {0.0, 0.5, 2.0, 32.0, double(INFINITY)}) {
      const Energy e = product_energy(n);
      const double ref = brute::log_z(e, beta);
      EXPECT_NEAR(log_z(e, beta), ref, kRel * std::max(1.0, std::fabs(ref))) << n << " " << beta;
    }
}

TEST(LogZ, MatchesBruteForceForIsingEnergyAcrossTheBlockBoundary) {
  for (int n : {1, 5, 12, 13, 14})
    for (double beta : {0.5, 4.0, 30.0}) {
      const Energy e = ising_energy(n, 7);
      const double ref = brute::log_z(e, beta);
      EXPECT_NEAR(log_z(e, beta), ref, kRel * std::max(1.0, std::fabs(ref))) << n << " " << beta;
    }
}

TEST(LogZ, AtInfinityCountsTheStatesOfZeroEnergy) {
  for (int n = 1; n <= 20; ++n) EXPECT_NEAR(log_z(product_energy(n), INFINITY), std::log(std::ldexp(1.0, n) - 1), 1e-12);
}

TEST(QStats, KlMatchesBruteForceForRandomProductQ) {
  Rng rng = make_rng(3, 0);
  for (int n : {1, 2, 7, 12, 13, 14})
    for (double beta : {0.5, 8.0}) {
      for (const Energy& e : {product_energy(n), ising_energy(n, 11)}) {
        std::vector<double> theta(n);
        for (auto& t : theta) t = uniform_open(rng);
        const double ref = brute::kl(e, beta, theta);
        EXPECT_NEAR(q_stats(e, beta, log_z(e, beta), theta).kl, ref, kRel * std::max(1.0, ref)) << n;
      }
    }
}

TEST(QStats, MassOnTheHoleGivesInfinityNeverNan) {
  for (int n : {1, 3, 13}) {
    const Energy e = product_energy(n);
    const double lz = log_z(e, INFINITY);
    const std::vector<double> interior(n, 0.3);
    const QStats s = q_stats(e, INFINITY, lz, interior);
    EXPECT_TRUE(std::isinf(s.kl) && s.kl > 0);
    EXPECT_FALSE(std::isnan(s.mean_phi) || std::isnan(s.neg_entropy));
    // Even a vanishing but positive q(1…1) is mass on the hole.
    const std::vector<double> tiny(n, 1e-300);
    EXPECT_TRUE(std::isinf(q_stats(e, INFINITY, lz, tiny).kl));
  }
}

TEST(QStats, ZeroTimesLogZeroIsZero) {
  // q = δ(0…0) at β = ∞: KL = −log p(0…0) = log(2^n − 1), finite.
  for (int n = 1; n <= 14; ++n) {
    const Energy e = product_energy(n);
    const QStats s = q_stats(e, INFINITY, log_z(e, INFINITY), std::vector<double>(n, 0.0));
    EXPECT_NEAR(s.kl, std::log(std::ldexp(1.0, n) - 1), 1e-12);
    EXPECT_EQ(s.neg_entropy, 0.0);
    EXPECT_EQ(s.mean_phi, 0.0);
  }
  // A deterministic q on a state of positive p at finite β: KL = −log p(w).
  const Energy e = product_energy(4);
  const QStats s = q_stats(e, 1.0, log_z(e, 1.0), {1, 1, 1, 1});
  EXPECT_NEAR(s.kl, 1.0 + brute::log_z(e, 1.0), 1e-12);
}

TEST(PStats, MeanEnergyMatchesBruteForce) {
  for (int n : {2, 9, 13})
    for (double beta : {0.5, 3.0}) {
      const Energy e = ising_energy(n, 5);
      EXPECT_NEAR(p_stats(e, beta).mean_phi, brute::mean_phi_p(e, beta), 1e-12) << n;
    }
}

TEST(Enumeration, EveryPassCountsItsStates) {
  for (int n : {3, 12, 14}) {
    const Energy e = ising_energy(n, 5);
    const uint64_t before = states_enumerated();
    const double lz = log_z(e, 1.0);
    EXPECT_EQ(states_enumerated() - before, uint64_t{1} << n);
    q_stats(e, 1.0, lz, std::vector<double>(n, 0.3));
    EXPECT_EQ(states_enumerated() - before, uint64_t{2} << n);
  }
}
