#include "vae/elbo.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "grad_check.hpp"

using namespace vivae;
using vivae::testing::expect_gradient;

TEST(KlGauss, MatchesTheClosedFormOfTwoGaussians) {
  // KL(N(μ, σ²) ‖ N(0, 1)) per dimension = log(1/σ) + (σ² + μ²)/2 − ½, summed.
  const arma::mat mu = arma::colvec{0.3, -1.2}, log_var = arma::colvec{0.5, -2.0};
  double ref = 0;
  for (int i = 0; i < 2; ++i) {
    const double s2 = std::exp(log_var(i)), m = mu(i);
    ref += -0.5 * std::log(s2) + 0.5 * (s2 + m * m) - 0.5;
  }
  EXPECT_NEAR(kl_gauss(mu, log_var)(0), ref, 1e-14);
  EXPECT_NEAR(kl_gauss(arma::mat(3, 1, arma::fill::zeros), arma::mat(3, 1, arma::fill::zeros))(0), 0.0, 0.0);
}

TEST(KlGauss, BackwardMatchesFiniteDifferences) {
  arma::arma_rng::set_seed(3);
  arma::mat mu(4, 3, arma::fill::randn), log_var(4, 3, arma::fill::randn);
  arma::mat d_mu(4, 3, arma::fill::zeros), d_lv(4, 3, arma::fill::zeros);
  kl_gauss_backward(d_mu, d_lv, mu, log_var, 0.7);
  auto f = [&] { return 0.7 * arma::accu(kl_gauss(mu, log_var)); };
  expect_gradient(mu, d_mu, f, "kl d_mu");
  expect_gradient(log_var, d_lv, f, "kl d_log_var");
}

TEST(Reparameterise, BackwardMatchesFiniteDifferencesWithFixedNoise) {
  arma::arma_rng::set_seed(4);
  arma::mat mu(3, 2, arma::fill::randn), log_var(3, 2, arma::fill::randn);
  const arma::mat eps(3, 2 * 3, arma::fill::randn), c(3, 6, arma::fill::randn);  // L = 3
  arma::mat z;
  reparameterise(z, mu, log_var, eps);
  EXPECT_NEAR(z(1, 2), mu(1, 0) + std::exp(0.5 * log_var(1, 0)) * eps(1, 2), 1e-15);  // sample 1 of image 0
  arma::mat d_mu(3, 2, arma::fill::zeros), d_lv(3, 2, arma::fill::zeros);
  reparameterise_backward(d_mu, d_lv, c, log_var, eps);
  auto f = [&] {
    arma::mat zz;
    reparameterise(zz, mu, log_var, eps);
    return arma::accu(zz % c);
  };
  expect_gradient(mu, d_mu, f, "reparam d_mu");
  expect_gradient(log_var, d_lv, f, "reparam d_log_var");
}

TEST(Bernoulli, LogLikelihoodMatchesTheHomeworkFormula) {
  // Σ x log y + (1 − x) log(1 − y) with y = 1/(1 + e^{−a}), computed naively for moderate a.
  const arma::mat a = {{0.3, -2.0}, {1.5, 4.0}, {-0.7, 0.0}};
  const arma::mat x = {{1, 0}, {0, 1}, {1, 1}};
  arma::mat y;
  const arma::rowvec ll = bernoulli_log_lik(y, a, x);
  for (arma::uword c = 0; c < 2; ++c) {
    double ref = 0;
    for (arma::uword i = 0; i < 3; ++i) {
      const double yi = 1 / (1 + std::exp(-a(i, c)));
      ref += x(i, c) * std::log(yi) + (1 - x(i, c)) * std::log(1 - yi);
      EXPECT_NEAR(y(i, c), yi, 1e-15);
    }
    EXPECT_NEAR(ll(c), ref, 1e-13);
  }
}

TEST(Bernoulli, ExtremeLogitsStayFinite) {
  // log(1 − y) at a = 800 would be log 0 in the naive formula; the logit form gives −800.
  const arma::mat a = arma::colvec{800.0, -800.0, 1e-30};
  const arma::mat x = arma::colvec{0.0, 1.0, 1.0};
  arma::mat y;
  const double ll = bernoulli_log_lik(y, a, x)(0);
  EXPECT_TRUE(std::isfinite(ll));
  EXPECT_NEAR(ll, -800.0 - 800.0 - std::log(2.0), 1e-9);
  arma::fmat yf;
  const float llf = bernoulli_log_lik(yf, arma::fmat(arma::conv_to<arma::fmat>::from(a)), arma::fmat(arma::conv_to<arma::fmat>::from(x)))(0);
  EXPECT_TRUE(std::isfinite(llf));
}

TEST(Bernoulli, BackwardMatchesFiniteDifferences) {
  arma::arma_rng::set_seed(5);
  arma::mat a(5, 4, arma::fill::randn);  // B = 2, L = 2
  arma::mat x(5, 2, arma::fill::randu);
  x = arma::round(x);
  arma::mat y, d_a;
  bernoulli_log_lik(y, a, x);
  bernoulli_backward(d_a, y, x, 0.25);
  auto f = [&] {
    arma::mat yy;
    return -0.25 * arma::accu(bernoulli_log_lik(yy, a, x));
  };
  expect_gradient(a, d_a, f, "bernoulli d_logits");
}
