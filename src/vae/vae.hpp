// The ELBO (5) of a mini-batch and its gradient, by hand, over whole mini-batches.
// Loss = −(1/B) Σ_b [ (1/L) Σ_l log p(x_b | z_bl) − KL(q(z|x_b) ‖ N(0, I)) ].
#pragma once
#include <armadillo>
#include <cmath>

#include "vae/elbo.hpp"
#include "vae/layers.hpp"
#include "vae/model.hpp"

namespace vivae {

// Activations kept for the backward pass; reused across steps to avoid reallocations.
template <class T>
struct Workspace {
  arma::Mat<T> h1, e, mu, log_var, z, h3, a, y;      // forward
  arma::Mat<T> d_a, d_h3, d_z, d_e, d_mu, d_log_var, d_h1;  // backward
};

// log σ² is clamped to [−kLogVarLimit, kLogVarLimit] so σ² = e^{log σ²} can never overflow,
// even in float, whatever the weights (e.g. after a diverging step); the clamp has zero
// gradient outside the range. Trained models stay far inside it (|log σ²| < 10).
constexpr double kLogVarLimit = 20;

// The encoder's output e (2·latent × B) read as μ (first half) and clamped log σ² (second).
template <class T>
void split_encoder_output(arma::Mat<T>& mu, arma::Mat<T>& log_var, const arma::Mat<T>& e, arma::uword latent) {
  mu = e.rows(0, latent - 1);
  log_var = arma::clamp(e.rows(latent, 2 * latent - 1), T(-kLogVarLimit), T(kLogVarLimit));
}

struct ElboTerms {
  double recon = 0;  // (1/B) Σ_b (1/L) Σ_l log p(x_b|z_bl), nats/image
  double kl = 0;     // (1/B) Σ_b KL_b
  double elbo() const { return recon - kl; }
};

// x is (D × B); eps is (latent × B·L), standard normal.
template <class T>
ElboTerms elbo_forward(const Params<T>& p, const arma::Mat<T>& x, const arma::Mat<T>& eps, Workspace<T>& ws) {
  const arma::uword latent = p.w3.n_cols, b = x.n_cols, samples = eps.n_cols / b;
  dense_forward(ws.h1, x, p.w1, p.b1);
  tanh_forward(ws.h1, ws.h1);
  dense_forward(ws.e, ws.h1, p.w2, p.b2);
  split_encoder_output(ws.mu, ws.log_var, ws.e, latent);
  reparameterise(ws.z, ws.mu, ws.log_var, eps);
  dense_forward(ws.h3, ws.z, p.w3, p.b3);
  tanh_forward(ws.h3, ws.h3);
  dense_forward(ws.a, ws.h3, p.w4, p.b4);
  const arma::Row<T> ll = bernoulli_log_lik(ws.y, ws.a, x);
  ElboTerms t;
  t.recon = static_cast<double>(arma::accu(arma::conv_to<arma::rowvec>::from(ll))) / static_cast<double>(b * samples);
  t.kl = arma::accu(arma::conv_to<arma::rowvec>::from(kl_gauss(ws.mu, ws.log_var))) / static_cast<double>(b);
  return t;
}

// Gradient of the loss −ELBO into g; needs the workspace of the matching elbo_forward.
template <class T>
void elbo_backward(Params<T>& g, const Params<T>& p, const arma::Mat<T>& x, const arma::Mat<T>& eps, Workspace<T>& ws) {
  const arma::uword latent = p.w3.n_cols, b = x.n_cols, samples = eps.n_cols / b;
  bernoulli_backward(ws.d_a, ws.y, x, T(1) / T(b * samples));
  dense_backward(&ws.d_h3, g.w4, g.b4, ws.d_a, ws.h3, p.w4);
  tanh_backward(ws.d_h3, ws.h3);
  dense_backward(&ws.d_z, g.w3, g.b3, ws.d_h3, ws.z, p.w3);
  ws.d_mu.zeros(latent, b);
  ws.d_log_var.zeros(latent, b);
  reparameterise_backward(ws.d_mu, ws.d_log_var, ws.d_z, ws.log_var, eps);
  kl_gauss_backward(ws.d_mu, ws.d_log_var, ws.mu, ws.log_var, T(1) / T(b));
  // Forward clamped log σ²: no gradient flows where the raw output was outside the range.
  for (arma::uword c = 0; c < b; ++c)
    for (arma::uword i = 0; i < latent; ++i)
      if (!(std::fabs(ws.e(latent + i, c)) < T(kLogVarLimit))) ws.d_log_var(i, c) = 0;
  ws.d_e = arma::join_cols(ws.d_mu, ws.d_log_var);
  dense_backward(&ws.d_h1, g.w2, g.b2, ws.d_e, ws.h1, p.w2);
  tanh_backward(ws.d_h1, ws.h1);
  dense_backward<T>(nullptr, g.w1, g.b1, ws.d_h1, x, p.w1);
}

// Decoder means y = σ(a) for latent codes z (latent × n).
template <class T>
arma::Mat<T> decode(const Params<T>& p, const arma::Mat<T>& z) {
  arma::Mat<T> h, a;
  dense_forward(h, z, p.w3, p.b3);
  tanh_forward(h, h);
  dense_forward(a, h, p.w4, p.b4);
  return 1 / (1 + arma::exp(-a));
}

// Encoder outputs μ and log σ² for images x (D × n).
template <class T>
void encode(arma::Mat<T>& mu, arma::Mat<T>& log_var, const Params<T>& p, const arma::Mat<T>& x) {
  arma::Mat<T> h, e;
  dense_forward(h, x, p.w1, p.b1);
  tanh_forward(h, h);
  dense_forward(e, h, p.w2, p.b2);
  split_encoder_output(mu, log_var, e, p.w3.n_cols);
}

}  // namespace vivae
