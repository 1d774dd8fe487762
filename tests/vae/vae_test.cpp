// The ELBO (5) of a mini-batch through the fast step (src/vae/step.hpp): its gradient, with the
// noise ε held fixed, against central finite differences for every parameter (small widths)
// and for sampled entries at the homework's widths; its terms against a per-image
// computation; the fast step against the plain Armadillo twin (plain_vae.hpp); and the same
// bits at any thread count.
#include "vae/step.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "common/rng.hpp"
#include "grad_check.hpp"
#include "plain_vae.hpp"
#include "vae/train.hpp"

using namespace vivae;
using vivae::testing::expect_gradient;

namespace {
struct Problem {
  Widths w;
  Params<double> p;
  arma::mat x, eps;
};

Problem make_problem(const Widths& w, int batch, int samples, uint64_t seed) {
  Rng rng = make_rng(seed, 0);
  Problem pr{w, init_params<double>(w, rng), arma::mat(w.input, batch), arma::mat(w.latent, batch * samples)};
  for (arma::mat* m : tensors(pr.p))  // non-zero biases too, so every term is exercised
    for (arma::uword i = 0; i < m->n_elem; ++i) (*m)(i) += 0.3 * normal(rng);
  for (arma::uword i = 0; i < pr.x.n_elem; ++i) pr.x(i) = uniform(rng) < 0.4 ? 1 : 0;
  fill_normal(pr.eps, rng);
  return pr;
}

double loss(Problem& pr) {
  StepBuffers<double> b;
  return -elbo_forward(pr.p, pr.x, pr.eps, b, 1).elbo();
}

const char* kNames[] = {"w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4"};
}  // namespace

TEST(ElboGradient, EveryParameterMatchesFiniteDifferences) {
  Widths w;
  w.input = 7, w.enc_hidden = 5, w.latent = 3, w.dec_hidden = 4;
  Problem pr = make_problem(w, 5, 2, 11);  // 5 images: shards of 2 and 3
  StepBuffers<double> b;
  Params<double> g = zeros_like<double>(w);
  elbo_gradient(g, pr.p, pr.x, pr.eps, b, 2);
  auto ps = tensors(pr.p);
  auto gs = tensors(g);
  for (size_t i = 0; i < ps.size(); ++i) expect_gradient(*ps[i], *gs[i], [&] { return loss(pr); }, kNames[i]);
}

TEST(ElboGradient, SampledEntriesMatchAtTheHomeworkWidths) {
  Problem pr = make_problem(Widths{}, 10, 2, 12);
  StepBuffers<double> b;
  Params<double> g = zeros_like<double>(pr.w);
  elbo_gradient(g, pr.p, pr.x, pr.eps, b, 1);
  Rng pick = make_rng(13, 0);
  auto ps = tensors(pr.p);
  auto gs = tensors(g);
  for (size_t t = 0; t < ps.size(); ++t)
    for (int k = 0; k < 12; ++k) {
      const arma::uword i = uniform_index(pick, ps[t]->n_elem);
      arma::mat one(1, 1), g1(1, 1);
      g1(0) = (*gs[t])(i);
      const double x0 = (*ps[t])(i);
      one(0) = x0;
      expect_gradient(one, g1, [&] {
        (*ps[t])(i) = one(0);
        const double v = loss(pr);
        (*ps[t])(i) = x0;
        return v;
      }, "entry");
    }
}

TEST(ElboGradient, ThePlainTwinAlsoMatchesFiniteDifferences) {
  Widths w;
  w.input = 6, w.enc_hidden = 4, w.latent = 2, w.dec_hidden = 3;
  Problem pr = make_problem(w, 3, 3, 16);
  plain::Workspace<double> ws;
  plain::elbo_forward(pr.p, pr.x, pr.eps, ws);
  Params<double> g = zeros_like<double>(w);
  plain::elbo_backward(g, pr.p, pr.x, pr.eps, ws);
  auto ps = tensors(pr.p);
  auto gs = tensors(g);
  for (size_t i = 0; i < ps.size(); ++i)
    expect_gradient(*ps[i], *gs[i], [&] {
      plain::Workspace<double> w2;
      return -plain::elbo_forward(pr.p, pr.x, pr.eps, w2).elbo();
    }, kNames[i]);
}

TEST(FastStep, AgreesWithThePlainTwinInDouble) {
  // Same math, other summation orders (GEMMs split by shard and piece, the bias added before
  // the product, a product of factors instead of a sum of log1p): agreement to 1e-12
  // relative in double is rounding, where any wrong term would show at 1e-3 or more.
  Problem pr = make_problem(Widths{}, 37, 2, 17);
  plain::Workspace<double> ws;
  const ElboTerms tp = plain::elbo_forward(pr.p, pr.x, pr.eps, ws);
  Params<double> gp = zeros_like<double>(pr.w), gf = zeros_like<double>(pr.w);
  plain::elbo_backward(gp, pr.p, pr.x, pr.eps, ws);
  StepBuffers<double> b;
  const ElboTerms tf = elbo_gradient(gf, pr.p, pr.x, pr.eps, b, 2);
  EXPECT_NEAR(tf.recon, tp.recon, 1e-12 * std::fabs(tp.recon));
  EXPECT_NEAR(tf.kl, tp.kl, 1e-12 * std::fabs(tp.kl));
  auto a = tensors(gf);
  auto c = tensors(gp);
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_LE(arma::abs(*a[i] - *c[i]).max(), 1e-12 * std::max(1.0, arma::abs(*c[i]).max())) << kNames[i];
}

TEST(FastStep, FloatAgreesWithThePlainTwinInFloat) {
  Problem pr = make_problem(Widths{}, 100, 2, 18);
  const Params<float> pf = convert<float>(pr.p);
  const arma::fmat x = arma::conv_to<arma::fmat>::from(pr.x), eps = arma::conv_to<arma::fmat>::from(pr.eps);
  plain::Workspace<float> ws;
  const ElboTerms tp = plain::elbo_forward(pf, x, eps, ws);
  Params<float> gp = zeros_like<float>(pr.w), gf = zeros_like<float>(pr.w);
  plain::elbo_backward(gp, pf, x, eps, ws);
  StepBuffers<float> b;
  const ElboTerms tf = elbo_gradient(gf, pf, x, eps, b, 1);
  // float: ~7 digits per value, sums over ≤ 39,200 terms: 1e-4 relative on the terms, 1e-3 of
  // each gradient's scale elementwise.
  EXPECT_NEAR(tf.recon, tp.recon, 1e-4 * std::fabs(tp.recon));
  EXPECT_NEAR(tf.kl, tp.kl, 1e-4 * std::fabs(tp.kl));
  auto a = tensors(gf);
  auto c = tensors(gp);
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_LE(arma::abs(*a[i] - *c[i]).max(), 1e-3 * arma::abs(*c[i]).max()) << kNames[i];
}

TEST(FastStep, GivesTheSameBitsForAnyThreadCount) {
  Problem pr = make_problem(Widths{}, 100, 2, 19);
  std::vector<Params<float>> after;
  for (int threads : {1, 2, 3}) {
    Params<float> p = convert<float>(pr.p), g = zeros_like<float>(pr.w);
    Optimiser<float> opt = make_optimiser(OptimKind::adam, 1e-3, p);
    StepBuffers<float> b;
    const arma::fmat x = arma::conv_to<arma::fmat>::from(pr.x), eps = arma::conv_to<arma::fmat>::from(pr.eps);
    for (int s = 0; s < 3; ++s) train_step(p, g, opt, x, eps, b, threads);
    after.push_back(p);
  }
  for (size_t r = 1; r < after.size(); ++r) {
    auto a = tensors(after[0]);
    auto c = tensors(after[r]);
    for (size_t i = 0; i < a.size(); ++i)
      EXPECT_EQ(std::memcmp(a[i]->memptr(), c[i]->memptr(), a[i]->n_elem * sizeof(float)), 0) << kNames[i];
  }
}

TEST(FastStep, ANonFiniteGradientLeavesTheParametersUntouched) {
  Problem pr = make_problem(Widths{}, 10, 2, 20);
  Params<double> p = pr.p, g = zeros_like<double>(pr.w);
  p.w4(3, 3) = HUGE_VAL;  // an infinite weight: the loss becomes NaN
  const Params<double> before = p;
  Optimiser<double> opt = make_optimiser(OptimKind::adam, 1e-3, p);
  StepBuffers<double> b;
  const ElboTerms t = train_step(p, g, opt, pr.x, pr.eps, b, 2);
  EXPECT_TRUE(std::isnan(t.elbo()));
  EXPECT_EQ(opt.step, 0);
  auto a = tensors(p);
  auto c = tensors(before);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(arma::approx_equal(*a[i], *c[i], "absdiff", 0)) << kNames[i];
}

TEST(ElboForward, TermsMatchAPerImageComputation) {
  // recon = mean over images and samples of log p(x|z); kl = mean over images.
  Problem pr = make_problem(Widths{}, 3, 2, 14);
  StepBuffers<double> b;
  const ElboTerms t = elbo_forward(pr.p, pr.x, pr.eps, b, 2);
  double recon = 0, kl = 0;
  for (arma::uword i = 0; i < 3; ++i) {
    arma::mat mu, lv;
    encode(mu, lv, pr.p, arma::mat(pr.x.col(i)));
    for (arma::uword j = 0; j < mu.n_elem; ++j) kl += -0.5 * (1 + lv(j) - mu(j) * mu(j) - std::exp(lv(j)));
    for (arma::uword l = 0; l < 2; ++l) {
      const arma::mat z = mu + arma::exp(0.5 * lv) % pr.eps.col(i * 2 + l);  // image-major
      const arma::mat y = decode(pr.p, z);
      for (arma::uword j = 0; j < y.n_elem; ++j)
        recon += pr.x(j, i) * std::log(y(j)) + (1 - pr.x(j, i)) * std::log(1 - y(j));
    }
  }
  EXPECT_NEAR(t.recon, recon / 6, 1e-10);
  EXPECT_NEAR(t.kl, kl / 3, 1e-12);
}

TEST(ElboForward, FloatAgreesWithDouble) {
  Problem pr = make_problem(Widths{}, 20, 2, 15);
  StepBuffers<double> bd;
  StepBuffers<float> bf;
  const ElboTerms d = elbo_forward(pr.p, pr.x, pr.eps, bd, 1);
  const ElboTerms f = elbo_forward(convert<float>(pr.p), arma::conv_to<arma::fmat>::from(pr.x),
                                   arma::conv_to<arma::fmat>::from(pr.eps), bf, 1);
  // float keeps ~7 digits; the sums run over ~4000 terms: 1e-4 relative is the honest bound.
  EXPECT_NEAR(f.recon, d.recon, 1e-4 * std::fabs(d.recon));
  EXPECT_NEAR(f.kl, d.kl, 1e-4 * std::max(1.0, d.kl));
}
