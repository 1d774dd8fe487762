// The ELBO (5) of a mini-batch and its gradient in plain Armadillo, one line per equation:
// the readable twin of the fast step (src/vae/step.hpp), which the tests compare it with.
// Same layout: x is (D × B); ε and every decoder matrix are (· × B·L), sample l of image b in
// column b·L + l.
#pragma once
#include <armadillo>
#include <cmath>

#include "vae/vae.hpp"

namespace vivae::plain {

// Activations kept for the backward pass.
template <class T>
struct Workspace {
  arma::Mat<T> h1, e, mu, log_var, z, h3, a, y;             // forward
  arma::Mat<T> d_a, d_h3, d_z, d_e, d_mu, d_log_var, d_h1;  // backward
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

}  // namespace vivae::plain
