#include "vae/evaluate.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "common/fastmath.hpp"
#include "vae/vae.hpp"

using namespace vivae;

namespace {
struct Model {
  Params<double> p;
  arma::mat x;
};
Model setup(int images) {
  Widths w;
  Rng rng = make_rng(5, 0);
  Model s{init_params<double>(w, rng), arma::mat(196, images)};
  for (arma::uword i = 0; i < s.x.n_elem; ++i) s.x(i) = uniform(rng) < 0.3 ? 1 : 0;
  return s;
}
}  // namespace

TEST(Evaluate, ImportanceWeightedBoundIsAboveTheElboAndGrowsWithK) {
  const Model s = setup(20);
  EvalOptions o1, o200;
  o1.k = 1;
  o200.k = 200;
  const SetEval k1 = evaluate_set(s.p, s.x, o1);
  const SetEval k200 = evaluate_set(s.p, s.x, o200);
  // L_1 is a one-sample ELBO estimate (KL by Monte Carlo instead of analytically), so it
  // agrees with the ELBO up to sampling noise; L_k increases with k (Burda et al., Thm 1).
  EXPECT_NEAR(k1.iwae, k1.elbo, 0.5);
  EXPECT_GT(k200.iwae, k200.elbo);
  EXPECT_GT(k200.iwae, k1.iwae);
  EXPECT_NEAR(k200.kl, k1.kl, 1e-12);  // analytic
  // The curve ends at L_k itself and rises with the group size.
  ASSERT_FALSE(k200.iwae_curve.empty());
  EXPECT_EQ(k200.iwae_curve.back().first, 200);
  EXPECT_NEAR(k200.iwae_curve.back().second, k200.iwae, 1e-9);
  for (size_t i = 1; i < k200.iwae_curve.size(); ++i) EXPECT_GT(k200.iwae_curve[i].second, k200.iwae_curve[i - 1].second);
}

TEST(Evaluate, LogWeightsMatchAPlainComputationFromTheSameNoise) {
  // log w = log p(x|z) + log N(z; 0, I) − log N(z; μ, σ²) with z = μ + σε, computed here from
  // the plain encoder and decoder in double, with ε redrawn from the image's own stream.
  const Model s = setup(3);
  const int k = 250;  // more than one decoder chunk
  const std::vector<double> w = image_log_weights(s.p, s.x, 2, k, 77, 1);
  arma::mat mu, lv;
  encode(mu, lv, s.p, arma::mat(s.x.col(2)));
  Rng rng = make_rng(77, eval_stream(1, 2));
  arma::mat noise(mu.n_rows, k);  // the image's draws, in the order evaluate_set takes them
  fill_normal(noise.memptr(), noise.n_elem, rng);
  const double log_2pi = std::log(2 * M_PI);
  for (int l = 0; l < k; ++l) {
    const arma::vec eps = noise.col(l);
    const arma::mat z = mu + arma::exp(0.5 * lv) % eps;
    const arma::mat y = decode(s.p, z);
    double ref = 0;
    for (arma::uword i = 0; i < y.n_elem; ++i) ref += s.x(i, 2) * std::log(y(i)) + (1 - s.x(i, 2)) * std::log(1 - y(i));
    for (arma::uword j = 0; j < z.n_elem; ++j)
      ref += -0.5 * (z(j) * z(j) + log_2pi) + 0.5 * (eps(j) * eps(j) + lv(j) + log_2pi);
    ASSERT_NEAR(w[l], ref, 1e-9 * std::fabs(ref)) << l;
  }
}

TEST(Evaluate, GivesTheSameBitsForAnyThreadCount) {
  const Model s = setup(9);
  const Params<float> pf = convert<float>(s.p);
  const arma::fmat xf = arma::conv_to<arma::fmat>::from(s.x);
  std::vector<SetEval> r;
  for (int threads : {1, 2, 3}) {
    EvalOptions o;
    o.k = 50;
    o.threads = threads;
    r.push_back(evaluate_set(pf, xf, o));
  }
  for (size_t i = 1; i < r.size(); ++i) {
    EXPECT_EQ(r[i].iwae, r[0].iwae);
    EXPECT_EQ(r[i].recon, r[0].recon);
    EXPECT_EQ(r[i].kl, r[0].kl);
    for (size_t g = 0; g < r[0].iwae_curve.size(); ++g) EXPECT_EQ(r[i].iwae_curve[g].second, r[0].iwae_curve[g].second);
  }
}

TEST(Evaluate, EachImageHasItsOwnNoise) {
  // Evaluating a subset gives each image the values it has in the whole set.
  const Model s = setup(6);
  EvalOptions o;
  o.k = 30;
  const arma::mat first = s.x.cols(0, 0);
  const std::vector<double> alone = image_log_weights(s.p, first, 0, 30, o.seed, o.set);
  const std::vector<double> in_set = image_log_weights(s.p, s.x, 0, 30, o.seed, o.set);
  EXPECT_EQ(alone, in_set);
  const std::vector<double> other = image_log_weights(s.p, s.x, 0, 30, o.seed, 1);
  EXPECT_NE(other, in_set);
}
