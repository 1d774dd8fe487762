// The float kernels against libm evaluated in double.
#include "common/fastmath.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "common/rng.hpp"

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
    // The rational form (fused multiply-adds): ≤ 4e-7 relative (≤ 6 ulp just below ±1).
    ASSERT_LE(std::fabs(y[i] - ref), 4e-7 * std::max(1e-3, std::fabs(ref)) + 1e-12) << x[i];
  }
}

// divide(a, b) by Newton steps and one residual correction: within 1 ulp of the correctly
// rounded a / b (the double quotient of two floats rounded to float), for b over 18 decades.
TEST(FastMath, DivideIsWithinOneUlpOfTheRoundedQuotient) {
  Rng r = make_rng(31, 0);
  for (int i = 0; i < 200000; ++i) {
    const float b = static_cast<float>(std::pow(10.0, -9 + 18 * uniform(r)));
    const float a = static_cast<float>((uniform(r) < 0.5 ? -1 : 1) * std::pow(10.0, -20 + 40 * uniform(r)));
    const float ref = static_cast<float>(static_cast<double>(a) / b);
    const float q = divide(a, b);
    ASSERT_LE(std::fabs(q - ref), std::nextafter(std::fabs(ref), INFINITY) - std::fabs(ref)) << a << " / " << b;
  }
  for (float b : {1.0f, 3.0f, 1e-8f, 7e30f}) EXPECT_EQ(divide(0.0f, b), 0.0f);
  EXPECT_EQ(divide(6.0f, 3.0f), 2.0f);
  EXPECT_EQ(divide(1.0f, 0.25f), 4.0f);
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

TEST(FastMath, FloatLogIsWithinTwoUlpForPositiveNormals) {
  for (float v = 1.2e-38f; v < 3e38f; v *= 1.0137f) {
    const double ref = std::log(static_cast<double>(v));
    const float got = log_poly(v);
    const double ulp = std::nextafter(static_cast<float>(ref), INFINITY) - static_cast<float>(ref);
    ASSERT_LE(std::fabs(got - ref), 2 * std::fabs(ulp) + 1e-9) << v;
  }
}

// Double kernels against long-double libm: ulp of the double result.
static double ulps(double got, long double ref) {
  const double r = static_cast<double>(ref);
  const double ulp = std::fabs(std::nextafter(r, INFINITY) - r);
  return static_cast<double>(std::fabs(static_cast<long double>(got) - ref)) / ulp;
}

TEST(FastMath, DoubleExpIsWithinTwoUlpOnItsRange) {
  double worst = 0;
  for (double x = -708.0; x <= 709.0; x += 0.0137) worst = std::max(worst, ulps(exp_poly(x), std::exp(static_cast<long double>(x))));
  for (double x = -1e-3; x <= 1e-3; x += 1.37e-7) worst = std::max(worst, ulps(exp_poly(x), std::exp(static_cast<long double>(x))));
  EXPECT_LE(worst, 2.0);
  EXPECT_EQ(exp_poly(0.0), 1.0);
  EXPECT_EQ(exp_poly(-HUGE_VAL), 0.0);
  EXPECT_EQ(exp_poly(HUGE_VAL), HUGE_VAL);
  EXPECT_TRUE(std::isnan(exp_poly(std::nan(""))));
}

TEST(FastMath, DoubleLogIsWithinTwoUlpForPositiveNormals) {
  double worst = 0;
  for (double x = 2.3e-308; x < 1e308; x *= 1.00731) worst = std::max(worst, ulps(log_poly(x), std::log(static_cast<long double>(x))));
  for (double x = 0.999; x < 1.001; x += 1.3e-7)
    if (x != 1.0) worst = std::max(worst, ulps(log_poly(x), std::log(static_cast<long double>(x))));
  EXPECT_LE(worst, 2.0);
  EXPECT_EQ(log_poly(1.0), 0.0);
}

TEST(FastMath, CosOfTwoPiUIsAccurateInEveryQuadrant) {
  double worst = 0;
  for (double u = 0; u < 1; u += 1.0 / 65536 + 1e-9) {
    const long double ref = std::cos(2 * 3.14159265358979323846264338327950288L * static_cast<long double>(u));
    worst = std::max(worst, static_cast<double>(std::fabs(static_cast<long double>(cos_2pi(u)) - ref)));
  }
  EXPECT_LE(worst, 2e-16);
  EXPECT_EQ(cos_2pi(0.0), 1.0);
  EXPECT_EQ(cos_2pi(0.5), -1.0);
}

TEST(FastMath, BoxMullerAgreesWithTheLibmFormula) {
  Rng r = make_rng(3, 0);
  for (int i = 0; i < 100000; ++i) {
    const double u1 = uniform_open(r), u2 = uniform(r);
    const double ref = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    ASSERT_NEAR(box_muller(u1, u2), ref, 1e-14 * std::max(1.0, std::fabs(ref)));
  }
}

TEST(FastMath, FillNormalGivesBothDrawsOfEachPair) {
  // Against the libm formula on the same uniforms: cosine then sine of each pair, ⌈n/2⌉ pairs
  // consumed (an odd count drops its last sine), the first draw equal to normal()'s.
  for (size_t n : {1, 2, 7, 256, 257, 1001}) {
    Rng a = make_rng(4, n), b = make_rng(4, n), c = make_rng(4, n);
    std::vector<double> d(n);
    fill_normal(d.data(), n, a);
    for (size_t i = 0; i < n; i += 2) {
      const double u1 = uniform_open(b), u2 = uniform(b);
      const double rad = std::sqrt(-2.0 * std::log(u1));
      ASSERT_NEAR(d[i], rad * std::cos(2 * M_PI * u2), 1e-14 * std::max(1.0, rad)) << n << " " << i;
      if (i + 1 < n) {
        ASSERT_NEAR(d[i + 1], rad * std::sin(2 * M_PI * u2), 1e-14 * std::max(1.0, rad)) << n << " " << i;
      }
    }
    EXPECT_EQ(next_u64(a), next_u64(b));  // both streams at the same position
    EXPECT_EQ(d[0], normal(c));
    std::vector<float> f(n);
    Rng e = make_rng(4, n);
    fill_normal(f.data(), n, e);
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(f[i], static_cast<float>(d[i]));
  }
}

TEST(FastMath, FillNormalDrawsHaveStandardMomentsAndNoPairCorrelation) {
  // The sine and cosine of a pair are independent N(0, 1): mean 0, variance 1, and the
  // product of a pair averages 0. n = 200,000 pairs: 5 standard errors ≈ 0.011 and 0.016.
  Rng r = make_rng(8, 0);
  std::vector<double> z(400000);
  fill_normal(z.data(), z.size(), r);
  double s = 0, s2 = 0, cross = 0;
  for (size_t i = 0; i < z.size(); i += 2) {
    s += z[i] + z[i + 1];
    s2 += z[i] * z[i] + z[i + 1] * z[i + 1];
    cross += z[i] * z[i + 1];
  }
  EXPECT_NEAR(s / z.size(), 0.0, 0.011);
  EXPECT_NEAR(s2 / z.size(), 1.0, 0.016);
  EXPECT_NEAR(cross / (z.size() / 2), 0.0, 0.011);
}

TEST(FastMath, SinAndCosOfTwoPiUAreAccurateInEveryQuadrant) {
  double worst = 0;
  for (double u = 0; u < 1; u += 1.0 / 65536 + 1e-9) {
    double c, s;
    sincos_2pi(u, c, s);
    const long double th = 2 * 3.14159265358979323846264338327950288L * static_cast<long double>(u);
    worst = std::max(worst, static_cast<double>(std::fabs(static_cast<long double>(s) - std::sin(th))));
    worst = std::max(worst, static_cast<double>(std::fabs(static_cast<long double>(c) - std::cos(th))));
  }
  EXPECT_LE(worst, 2e-16);
}

TEST(FastMath, ArrayReductionsMatchPlainLoops) {
  // Lane partial sums change the order of the sum, so the plain loop agrees to rounding
  // (1e-15 relative over at most 1000 terms), and the maximum exactly.
  Rng r = make_rng(5, 0);
  for (size_t n : {0, 1, 7, 8, 9, 63, 1000}) {
    std::vector<double> x(n);
    for (double& v : x) v = 30 * (uniform(r) - 0.7);
    double m = -INFINITY;
    for (double v : x) m = std::max(m, v);
    EXPECT_EQ(max_of(x.data(), n), m);
    if (n == 0) continue;
    double s = 0;
    for (double v : x) s += std::exp(v - m);
    EXPECT_NEAR(sum_exp_shifted(x.data(), n, m), s, 1e-15 * s * 4);
    EXPECT_NEAR(log_mean_exp(x.data(), n), m + std::log(s / n), 1e-14 * std::max(1.0, std::fabs(m)));
  }
}

TEST(FastMath, LogMeanExpIsStableAtExtremes) {
  const double w[3] = {-1000.0, -1000.0 + std::log(2.0), -1000.0 + std::log(3.0)};
  EXPECT_NEAR(log_mean_exp(w, 3), -1000.0 + std::log(2.0), 1e-12);
  const double big[2] = {800.0, 800.0};
  EXPECT_NEAR(log_mean_exp(big, 2), 800.0, 1e-12);
  const double none[2] = {-INFINITY, -INFINITY};
  EXPECT_EQ(log_mean_exp(none, 2), -INFINITY);
}

TEST(FastMath, GroupedLogMeanExpMatchesOneCallPerGroup) {
  // The same quantity as a plain loop of log_mean_exp over the groups; the groups' values
  // differ only in log_poly against libm's log (≤ 2 ulp): 1e-14 relative.
  Rng r = make_rng(6, 0);
  std::vector<double> x(1000);
  for (double& v : x) v = -30 + 20 * uniform(r);
  for (size_t j : {1, 2, 5, 10, 7, 200, 1000}) {
    const size_t groups = x.size() / j;
    double ref = 0;
    for (size_t q = 0; q < groups; ++q) ref += log_mean_exp(x.data() + q * j, j);
    ref /= static_cast<double>(groups);
    EXPECT_NEAR(mean_group_log_mean_exp(x.data(), x.size(), j), ref, 1e-14 * std::fabs(ref)) << j;
  }
  const double hole[4] = {-HUGE_VAL, -HUGE_VAL, 1.0, 2.0};  // a group of −∞ stays −∞, never NaN
  EXPECT_EQ(mean_group_log_mean_exp(hole, 4, 2), -HUGE_VAL);
}
