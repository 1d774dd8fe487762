// The step's kernels against their plain Armadillo twins (elbo.hpp, layers.hpp, optim.hpp).
#include "vae/kernels.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "common/rng.hpp"
#include "vae/elbo.hpp"
#include "vae/layers.hpp"
#include "vae/optim.hpp"
#include "vae/vae.hpp"

using namespace vivae;

namespace {
arma::fmat logits(arma::uword rows, arma::uword cols, uint64_t seed) {
  Rng r = make_rng(seed, 0);
  arma::fmat a(rows, cols);
  for (auto& v : a) v = static_cast<float>(8 * normal(r));
  a(0, 0) = 90.0f;  // saturated both ways
  a(1, 0) = -90.0f;
  return a;
}
arma::fmat binary(arma::uword rows, arma::uword cols, uint64_t seed) {
  Rng r = make_rng(seed, 1);
  arma::fmat x(rows, cols);
  for (auto& v : x) v = uniform(r) < 0.3 ? 1.0f : 0.0f;
  return x;
}
}  // namespace

TEST(Kernels, BernoulliMatchesThePlainLogLikelihoodAndGradient) {
  // The kernel sums softplus as max(a, 0) + log ∏(1 + e^{−|a|}) per column; the plain one adds
  // log1p per element. In float both carry ~1e-7 relative per element over 196 terms:
  // 2e-5 absolute per column of magnitude ~100 is rounding, a wrong term is > 1e-2.
  const int rows = 196, images = 7, samples = 3;
  const arma::fmat a = logits(rows, images * samples, 1), x = binary(rows, images, 2);
  arma::fmat y, d_plain;
  const arma::frowvec ll = bernoulli_log_lik(y, a, x);
  bernoulli_backward(d_plain, y, x, 0.25f);
  // The kernel adds the bias itself: split the logits into raw + bias.
  arma::fvec bias(rows);
  for (int i = 0; i < rows; ++i) bias(i) = 0.125f * static_cast<float>(i % 7);  // exact in float
  const arma::fmat raw = a.each_col() - bias;
  arma::fmat d(rows, images * samples);
  arma::fvec d_bias(rows);
  const double sum = bernoulli(d.memptr(), d_bias.memptr(), raw.memptr(), bias.memptr(), x.memptr(), rows, images * samples,
                               samples, 0.25f);
  EXPECT_NEAR(sum, arma::accu(arma::conv_to<arma::rowvec>::from(ll)), 2e-5 * ll.n_elem * 100);
  // The same σ(a) formula, on raw + bias (a rounding of a): a few ulp of 0.25.
  EXPECT_LE(arma::abs(d - d_plain).max(), 1e-6f);
  for (int r = 0; r < rows; ++r) {
    float s = 0;
    for (int c = 0; c < images * samples; ++c) s += d(r, c);  // columns in order: the same bits
    EXPECT_EQ(d_bias(r), s) << r;
  }
  // Without the gradient, and column by column against one image: the same values.
  const double sum_only = bernoulli(static_cast<float*>(nullptr), nullptr, raw.memptr(), bias.memptr(), x.memptr(), rows, images * samples, samples, 0.0f);
  EXPECT_EQ(sum_only, sum);
  std::vector<double> per(samples);
  bernoulli_columns(per.data(), raw.colptr(3 * samples), bias.memptr(), x.colptr(3), rows, samples);
  for (int l = 0; l < samples; ++l) EXPECT_NEAR(per[l], ll(3 * samples + l), 2e-5 * 100);
}

TEST(Kernels, BernoulliInDoubleMatchesToRounding) {
  const int rows = 600, cols = 4;  // more than one segment of the product
  const arma::mat a = arma::conv_to<arma::mat>::from(logits(rows, cols, 3)), x = arma::conv_to<arma::mat>::from(binary(rows, cols, 4));
  arma::mat y;
  const arma::rowvec ll = bernoulli_log_lik(y, a, x);
  std::vector<double> per(cols);
  const arma::vec zero(rows, arma::fill::zeros);
  bernoulli_columns(per.data(), a.memptr(), zero.memptr(), x.memptr(), rows, cols);  // every column against image 0
  arma::rowvec ref(cols);
  for (int c = 0; c < cols; ++c) ref(c) = bernoulli_log_lik(y, arma::mat(a.col(c)), arma::mat(x.col(0)))(0);
  for (int c = 0; c < cols; ++c) EXPECT_NEAR(per[c], ref(c), 1e-12 * std::fabs(ref(c)));
  EXPECT_NEAR(bernoulli(static_cast<double*>(nullptr), nullptr, a.memptr(), zero.memptr(), x.memptr(), rows, cols, 1, 0.0), arma::accu(ll),
              1e-12 * std::fabs(arma::accu(ll)));
}

TEST(Kernels, TanhWithBiasMatchesTheDenseLayerAndTanh) {
  const arma::fmat raw = logits(128, 9, 10) / 8;
  const arma::fvec b = arma::vectorise(logits(128, 1, 11)) / 8;
  arma::fmat plain;
  tanh_forward(plain, arma::fmat(raw.each_col() + b));
  arma::fmat h = raw;
  tanh_bias(h.memptr(), b.memptr(), 128, 9);
  EXPECT_TRUE(arma::approx_equal(h, plain, "absdiff", 0));  // the same operations
}

TEST(Kernels, TanhBackwardAndItsBiasGradientMatchArmadillo) {
  arma::fmat h = arma::tanh(logits(128, 9, 5) / 8), d = logits(128, 9, 6);
  arma::fmat plain = d;
  tanh_backward(plain, h);
  arma::fvec d_bias(128);
  tanh_backward(d.memptr(), d_bias.memptr(), h.memptr(), 128, 9);
  // The kernel rounds 1 − h² once (a fused multiply-add), the Armadillo twin twice: they differ
  // by the rounding of h² (≤ 2⁻²⁵, h² < 1) times d, plus three roundings of 2⁻²⁴ relative each
  // (the fused factor and the two products).
  const arma::fmat d0 = logits(128, 9, 6);
  for (arma::uword i = 0; i < d.n_elem; ++i)
    EXPECT_LE(std::fabs(d(i) - plain(i)), std::fabs(d0(i)) * 0x1p-25f + std::fabs(d(i)) * 0x1p-22f);
  arma::fmat fused = d0;
  for (arma::uword i = 0; i < fused.n_elem; ++i) fused(i) *= std::fma(-h(i), h(i), 1.0f);
  EXPECT_TRUE(arma::approx_equal(d, fused, "absdiff", 0));  // the same operations
  for (int r = 0; r < 128; ++r) {
    float s = 0;
    for (int c = 0; c < 9; ++c) s += fused(r, c);  // columns in order: the same bits
    EXPECT_EQ(d_bias(r), s);
  }
}

TEST(Kernels, ReparameterisationAndKlMatchThePlainPieces) {
  Rng r = make_rng(8, 0);
  const int latent = 4, n = 3, samples = 2;
  arma::mat e(2 * latent, n), eps(latent, n * samples);
  for (auto& v : e) v = normal(r);
  e(latent + 1, 2) = 30;  // clamped
  for (auto& v : eps) v = normal(r);
  arma::mat mu, lv, z_plain;
  split_encoder_output(mu, lv, e, latent);
  reparameterise(z_plain, mu, lv, eps);
  arma::mat z(latent, n * samples);
  const double kl = reparameterise_kl(z.memptr(), e.memptr(), eps.memptr(), latent, n, samples);
  EXPECT_LE(arma::abs(z - z_plain).max(), 1e-12);
  EXPECT_NEAR(kl, arma::accu(kl_gauss(mu, lv)), 1e-14 * std::fabs(kl));  // rounding, relative
  // Backward: d_e = [d_μ; d_log σ²] from a given d_z and a KL scale, against the plain pair.
  arma::mat d_z(latent, n * samples);
  for (auto& v : d_z) v = normal(r);
  arma::mat d_mu(latent, n, arma::fill::zeros), d_lv(latent, n, arma::fill::zeros), d_e(2 * latent, n);
  arma::vec d_bias(2 * latent);
  reparameterise_backward(d_mu, d_lv, d_z, lv, eps);
  kl_gauss_backward(d_mu, d_lv, mu, lv, 0.5);
  d_lv(1, 2) = 0;  // no gradient through the clamp
  reparameterise_kl_backward(d_e.memptr(), d_bias.memptr(), d_z.memptr(), e.memptr(), eps.memptr(), latent, n, samples, 0.5);
  EXPECT_LE(arma::abs(d_e - arma::join_cols(d_mu, d_lv)).max(), 1e-12);
  for (int j = 0; j < 2 * latent; ++j) EXPECT_EQ(d_bias(j), (0.0 + d_e(j, 0)) + d_e(j, 1) + d_e(j, 2));
}

TEST(Kernels, OptimiserSlicesGiveTheBitsOfAWholeUpdate) {
  for (OptimKind kind : {OptimKind::adam, OptimKind::adagrad}) {
    Widths w;
    Rng r = make_rng(9, 0);
    Params<float> p = init_params<float>(w, r), g = zeros_like<float>(w);
    for (arma::fmat* m : tensors(g))
      for (auto& v : *m) v = static_cast<float>(normal(r));
    Params<float> q = p;
    Optimiser<float> whole = make_optimiser(kind, 1e-2, p), sliced = whole;
    for (int step = 0; step < 3; ++step) {
      optimiser_update(whole, p, g);
      const UpdateStep<float> c = begin_update(sliced);
      auto qs = tensors(q);
      auto gs = tensors(g);
      for (size_t t = 0; t < qs.size(); ++t) {
        const size_t half = qs[t]->n_elem / 3;
        update_slice(sliced, c, t, 0, half, qs[t]->memptr(), gs[t]->memptr());
        update_slice(sliced, c, t, half, qs[t]->n_elem - half, qs[t]->memptr() + half, gs[t]->memptr() + half);
      }
    }
    auto a = tensors(p);
    auto b = tensors(q);
    for (size_t t = 0; t < a.size(); ++t) EXPECT_EQ(std::memcmp(a[t]->memptr(), b[t]->memptr(), a[t]->n_elem * 4), 0);
  }
}

// The float Adam kernel (fused multiply-adds, divide() from them) against the update in double
// from the same float state: m within the roundings of (1 − β₁)g and of the fused sum (which may
// cancel), v (no cancellation) within 2 ulp, the step
// α·m/(√v + ε) within 4 ulp of itself plus the rounding of p − step (½ ulp of p).
TEST(Kernels, AdamInFloatIsTheUpdateInDouble) {
  Rng r = make_rng(12, 0);
  const size_t n = 5000;
  std::vector<float> p(n), m(n), v(n), g(n), other(n);
  for (size_t i = 0; i < n; ++i) {
    p[i] = static_cast<float>(normal(r)), m[i] = static_cast<float>(1e-3 * normal(r));
    v[i] = static_cast<float>(std::pow(10.0, -12 + 8 * uniform(r))), g[i] = static_cast<float>(1e-2 * normal(r));
    other[i] = static_cast<float>(1e-2 * normal(r));
  }
  v[0] = 0, g[0] = other[0] = 0, m[0] = 0;  // the first step of a parameter with no gradient
  const std::vector<float> p0 = p, m0 = m, v0 = v;
  const float alpha = 1e-3f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
  ASSERT_TRUE(adam_update(p.data(), m.data(), v.data(), g.data(), other.data(), n, alpha, b1, b2, eps));
  auto ulp = [](double x) {
    const float f = static_cast<float>(std::fabs(x));
    return static_cast<double>(std::nextafter(f, INFINITY) - f);
  };
  for (size_t i = 0; i < n; ++i) {
    const double gk = static_cast<double>(g[i] + other[i]);  // the kernel adds the shards in float
    const double md = b1 * static_cast<double>(m0[i]) + (1 - static_cast<double>(b1)) * gk;
    const double vd = b2 * static_cast<double>(v0[i]) + (1 - static_cast<double>(b2)) * gk * gk;
    const double step = alpha * static_cast<double>(m[i]) / (std::sqrt(static_cast<double>(v[i])) + eps);
    ASSERT_LE(std::fabs(m[i] - md), ulp(md) + ulp((1 - static_cast<double>(b1)) * gk)) << i;
    ASSERT_LE(std::fabs(v[i] - vd), 2 * ulp(vd)) << i;
    ASSERT_LE(std::fabs((static_cast<double>(p0[i]) - step) - p[i]), 0.5 * ulp(p[i]) + 4 * ulp(step)) << i;
  }
  EXPECT_EQ(p[0], p0[0]);
}

TEST(Kernels, AllFiniteSeesInfinitiesAndNans) {
  std::vector<float> g(100, 1.5f);
  EXPECT_TRUE(all_finite(g.data(), g.size()));
  g[37] = HUGE_VALF;
  EXPECT_FALSE(all_finite(g.data(), g.size()));
  g[37] = std::nanf("");
  EXPECT_FALSE(all_finite(g.data(), g.size()));
  g[37] = -HUGE_VALF;
  EXPECT_FALSE(all_finite(g.data(), g.size()));
}

TEST(Kernels, BernoulliAlongSamplesMatchesColumnByColumn) {
  // One image against 300 samples (two blocks of 256), from the transposed logits: the same
  // values up to float summation order (1e-5 relative of a column's ~100 nats).
  const int rows = 196, cols = 300;
  const arma::fmat a = logits(rows, cols, 12), x = binary(rows, 1, 13);
  const arma::fvec bias = arma::vectorise(logits(rows, 1, 14)) / 16;
  std::vector<double> by_column(cols), by_sample(cols);
  bernoulli_columns(by_column.data(), a.memptr(), bias.memptr(), x.memptr(), rows, cols);
  const arma::fmat a_t = a.t();
  bernoulli_samples(by_sample.data(), a_t.memptr(), bias.memptr(), x.memptr(), rows, cols);
  for (int c = 0; c < cols; ++c) EXPECT_NEAR(by_sample[c], by_column[c], 1e-5 * std::max(1.0, std::fabs(by_column[c]))) << c;
}

namespace {
// The float Bernoulli kernel's order of operations written out with scalars: per column,
// segments of 256 rows; element i of a segment into lane i mod 16 of a partial product and a
// partial sum; each lane's product combined as 8 + 4 halvings in float, then the last four in
// double; the sums by lane_total; one log per column; columns added in order.
double bernoulli_in_scalars(std::vector<float>& d_a, std::vector<float>& d_bias, const std::vector<float>& raw,
                            const std::vector<float>& bias, const std::vector<float>& x, int rows, int cols, int samples,
                            float scale) {
  double total = 0;
  std::fill(d_bias.begin(), d_bias.end(), 0.0f);
  for (int c = 0; c < cols; ++c) {
    const float* col = raw.data() + static_cast<size_t>(c) * rows;
    const float* img = x.data() + static_cast<size_t>(c / samples) * rows;
    double lin_total = 0, prod = 1;
    for (int first = 0; first < rows; first += 256) {
      float p[16], s[16];
      std::fill(p, p + 16, 1.0f);
      std::fill(s, s + 16, 0.0f);
      for (int i = first; i < std::min(rows, first + 256); ++i) {
        const float a = col[i] + bias[i], t = exp_poly(-std::fabs(a)), u = 1 + t;
        p[(i - first) % 16] *= u;
        s[(i - first) % 16] += img[i] * a - (a > 0 ? a : 0.0f);
        const float y = a >= 0 ? 1 / u : t * (1 / u);
        d_a[static_cast<size_t>(c) * rows + i] = scale * (y - img[i]);
        d_bias[i] += d_a[static_cast<size_t>(c) * rows + i];
      }
      for (int j = 0; j < 8; ++j) p[j] *= p[j + 8];
      for (int j = 0; j < 4; ++j) p[j] *= p[j + 4];
      lin_total += lane_total(s);
      prod *= (static_cast<double>(p[0]) * p[2]) * (static_cast<double>(p[1]) * p[3]);
      if (prod > 0x1p600) lin_total -= log_poly(prod), prod = 1;
    }
    total += lin_total - log_poly(prod);
  }
  return total;
}
}  // namespace

TEST(Kernels, BernoulliGivesTheBitsOfItsScalarTwinForEveryColumnLength) {
  // Every way a column ends: shorter than a vector, whole vectors, a partial last vector (done
  // by rotating the column's last whole vector), a second segment, more than 32 columns.
  for (int rows : {1, 5, 15, 16, 17, 31, 33, 196, 255, 256, 257, 300, 600}) {
    const int samples = 2, images = rows < 100 ? 19 : 3, cols = images * samples;
    const arma::fmat a = logits(rows, cols, 20 + rows), xm = binary(rows, images, 21);
    const arma::fvec bm = arma::vectorise(logits(rows, 1, 22)) / 16;
    const std::vector<float> raw(a.begin(), a.end()), x(xm.begin(), xm.end()), bias(bm.begin(), bm.end());
    std::vector<float> d(raw.size()), d_bias(rows), d_ref(raw.size()), d_bias_ref(rows);
    const double sum = bernoulli(d.data(), d_bias.data(), raw.data(), bias.data(), x.data(), rows, cols, samples, 0.01f);
    const double ref = bernoulli_in_scalars(d_ref, d_bias_ref, raw, bias, x, rows, cols, samples, 0.01f);
    EXPECT_EQ(sum, ref) << rows;
    EXPECT_EQ(std::memcmp(d.data(), d_ref.data(), 4 * d.size()), 0) << rows;
    EXPECT_EQ(std::memcmp(d_bias.data(), d_bias_ref.data(), 4 * d_bias.size()), 0) << rows;
    // The lanes held in vectors of 4, 8 or 16 (SSE2, AVX2, AVX-512 registers): the same bits.
    for (int width : {4, 8, 16}) {
      std::vector<float> dw(raw.size()), dbw(rows);
      EXPECT_EQ(bernoulli_in_parts(width, dw.data(), dbw.data(), raw.data(), bias.data(), x.data(), rows, cols, samples, 0.01f),
                ref)
          << rows << " " << width;
      EXPECT_EQ(std::memcmp(dw.data(), d_ref.data(), 4 * dw.size()), 0) << rows << " " << width;
      EXPECT_EQ(std::memcmp(dbw.data(), d_bias_ref.data(), 4 * dbw.size()), 0) << rows << " " << width;
    }
  }
}
