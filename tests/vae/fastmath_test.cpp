// The float kernels against libm evaluated in double.
#include "vae/fastmath.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace vivae;

TEST(FastMath, ExpIsWithinTwoUlpOnItsRange) {
  std::vector<float> x, y;
  for (float v = -87.0f; v <= 88.0f; v += 0.01373f) x.push_back(v);
  y.resize(x.size());
  exp_array(y.data(), x.data(), x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const double ref = std::exp(static_cast<double>(x[i]));
    const double ulp = std::nextafter(static_cast<float>(ref), INFINITY) - static_cast<float>(ref);
    ASSERT_LE(std::fabs(y[i] - ref), 2 * ulp) << x[i];
  }
}

TEST(FastMath, TanhIsAccurateEverywhere) {
  std::vector<float> x, y;
  for (float v = -20.0f; v <= 20.0f; v += 0.0007f) x.push_back(v);
  x.push_back(1e-30f);
  x.push_back(-0.0f);
  y.resize(x.size());
  tanh_array(y.data(), x.data(), x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    const double ref = std::tanh(static_cast<double>(x[i]));
    ASSERT_LE(std::fabs(y[i] - ref), 3e-7 * std::max(1e-3, std::fabs(ref)) + 1e-12) << x[i];
  }
}

TEST(FastMath, SigmoidAndSoftplusAreAccurateAndFinite) {
  std::vector<float> a, y, sp;
  for (float v = -100.0f; v <= 100.0f; v += 0.0031f) a.push_back(v);
  y.resize(a.size());
  sp.resize(a.size());
  sigmoid_softplus(y.data(), sp.data(), a.data(), a.size());
  for (size_t i = 0; i < a.size(); ++i) {
    const double ad = a[i];
    const double ys = 1 / (1 + std::exp(-ad));
    const double sps = std::max(ad, 0.0) + std::log1p(std::exp(-std::fabs(ad)));
    ASSERT_LE(std::fabs(y[i] - ys), 2e-7 * ys + 1e-30) << a[i];
    ASSERT_LE(std::fabs(sp[i] - sps), 2e-7 * std::max(1.0, sps)) << a[i];
  }
}

TEST(FastMath, NanPropagatesAndInfinitiesSaturate) {
  const float in[4] = {NAN, INFINITY, -INFINITY, 0.0f};
  float out[4];
  exp_array(out, in, 4);
  EXPECT_TRUE(std::isnan(out[0]));
  EXPECT_GT(out[1], 1e38f);
  EXPECT_LT(out[2], 1e-37f);
  EXPECT_EQ(out[3], 1.0f);
  tanh_array(out, in, 4);
  EXPECT_TRUE(std::isnan(out[0]));
  EXPECT_EQ(out[1], 1.0f);
  EXPECT_EQ(out[2], -1.0f);
}
