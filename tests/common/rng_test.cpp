#include "common/rng.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace vivae;

TEST(Rng, SameSeedAndStreamGiveTheSameSequenceOtherStreamsDiffer) {
  Rng a = make_rng(546, kNoise), b = make_rng(546, kNoise), c = make_rng(546, kShuffle), d = make_rng(547, kNoise);
  int same_c = 0, same_d = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = next_u64(a);
    EXPECT_EQ(x, next_u64(b));
    same_c += x == next_u64(c);
    same_d += x == next_u64(d);
  }
  EXPECT_EQ(same_c, 0);
  EXPECT_EQ(same_d, 0);
}

TEST(Rng, NormalDrawsHaveTheMomentsOfAStandardNormal) {
  // n = 200,000: the standard error of the mean is 0.0022 and of the variance 0.0032; the
  // bounds below are about 5 standard errors.
  Rng r = make_rng(1, 0);
  const int n = 200000;
  double s = 0, s2 = 0, s4 = 0;
  for (int i = 0; i < n; ++i) {
    const double z = normal(r);
    s += z;
    s2 += z * z;
    s4 += z * z * z * z;
  }
  EXPECT_NEAR(s / n, 0.0, 0.011);
  EXPECT_NEAR(s2 / n, 1.0, 0.016);
  EXPECT_NEAR(s4 / n, 3.0, 0.1);  // kurtosis of N(0, 1)
}

TEST(Rng, UniformsStayInTheirRangesAndIndicesAreUnbiased) {
  Rng r = make_rng(2, 0);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) {
    const double u = uniform(r), v = uniform_open(r);
    ASSERT_TRUE(u >= 0 && u < 1);
    ASSERT_TRUE(v > 0 && v < 1);
    ++counts[uniform_index(r, 7)];
  }
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);  // ~5 standard deviations (σ ≈ 93)
}
