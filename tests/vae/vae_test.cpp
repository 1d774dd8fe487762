// The whole ELBO (5) of a mini-batch: its gradient, with the noise ε held fixed, against
// central finite differences for every parameter (small widths) and for sampled entries at
// the homework's widths.
#include "vae/vae.hpp"

#include <gtest/gtest.h>

#include "common/rng.hpp"
#include "grad_check.hpp"
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
  Workspace<double> ws;
  return -elbo_forward(pr.p, pr.x, pr.eps, ws).elbo();
}
}  // namespace

TEST(ElboGradient, EveryParameterMatchesFiniteDifferences) {
  Widths w;
  w.input = 7, w.enc_hidden = 5, w.latent = 3, w.dec_hidden = 4;
  Problem pr = make_problem(w, 4, 2, 11);
  Workspace<double> ws;
  elbo_forward(pr.p, pr.x, pr.eps, ws);
  Params<double> g = zeros_like<double>(w);
  elbo_backward(g, pr.p, pr.x, pr.eps, ws);
  const char* names[] = {"w1", "b1", "w2", "b2", "w3", "b3", "w4", "b4"};
  auto ps = tensors(pr.p);
  auto gs = tensors(g);
  for (size_t i = 0; i < ps.size(); ++i) expect_gradient(*ps[i], *gs[i], [&] { return loss(pr); }, names[i]);
}

TEST(ElboGradient, SampledEntriesMatchAtTheHomeworkWidths) {
  Problem pr = make_problem(Widths{}, 10, 2, 12);
  Workspace<double> ws;
  elbo_forward(pr.p, pr.x, pr.eps, ws);
  Params<double> g = zeros_like<double>(pr.w);
  elbo_backward(g, pr.p, pr.x, pr.eps, ws);
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

TEST(ElboForward, TermsMatchAPerImageComputation) {
  // recon = mean over images and samples of log p(x|z); kl = mean over images.
  Problem pr = make_problem(Widths{}, 3, 2, 14);
  Workspace<double> ws;
  const ElboTerms t = elbo_forward(pr.p, pr.x, pr.eps, ws);
  double recon = 0, kl = 0;
  for (arma::uword b = 0; b < 3; ++b) {
    arma::mat mu, lv;
    encode(mu, lv, pr.p, arma::mat(pr.x.col(b)));
    for (arma::uword i = 0; i < mu.n_elem; ++i) kl += -0.5 * (1 + lv(i) - mu(i) * mu(i) - std::exp(lv(i)));
    for (arma::uword l = 0; l < 2; ++l) {
      const arma::mat z = mu + arma::exp(0.5 * lv) % pr.eps.col(l * 3 + b);
      const arma::mat y = decode(pr.p, z);
      for (arma::uword i = 0; i < y.n_elem; ++i) recon += pr.x(i, b) * std::log(y(i)) + (1 - pr.x(i, b)) * std::log(1 - y(i));
    }
  }
  EXPECT_NEAR(t.recon, recon / 6, 1e-10);
  EXPECT_NEAR(t.kl, kl / 3, 1e-12);
}

TEST(ElboForward, FloatAgreesWithDouble) {
  Problem pr = make_problem(Widths{}, 20, 2, 15);
  Workspace<double> wd;
  Workspace<float> wf;
  const ElboTerms d = elbo_forward(pr.p, pr.x, pr.eps, wd);
  const ElboTerms f = elbo_forward(convert<float>(pr.p), arma::conv_to<arma::fmat>::from(pr.x),
                                   arma::conv_to<arma::fmat>::from(pr.eps), wf);
  // float keeps ~7 digits; the sums run over ~4000 terms: 1e-4 relative is the honest bound.
  EXPECT_NEAR(f.recon, d.recon, 1e-4 * std::fabs(d.recon));
  EXPECT_NEAR(f.kl, d.kl, 1e-4 * std::max(1.0, d.kl));
}
