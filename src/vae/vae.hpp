// The VAE of Problem 2 in plain Armadillo: the loss's terms, the log-variance clamp, and the
// encoder and decoder alone (for pictures and small evaluations).
// Loss = −(1/B) Σ_b [ (1/L) Σ_l log p(x_b | z_bl) − KL(q(z|x_b) ‖ N(0, I)) ]; its fast
// forward/backward pass is step.hpp, and its plain statement tests/vae/plain_vae.hpp.
#pragma once
#include <armadillo>
#include <cmath>

#include "vae/elbo.hpp"
#include "vae/layers.hpp"
#include "vae/model.hpp"

namespace vivae {

// The encoder's output e (2·latent × B) read as μ (first half) and clamped log σ² (second,
// kLogVarLimit in kernels.hpp; a model whose second half is log σ or σ is converted first).
template <class T>
void split_encoder_output(arma::Mat<T>& mu, arma::Mat<T>& log_var, const arma::Mat<T>& e, arma::uword latent,
                          HeadScale scale = HeadScale::log_var) {
  mu = e.rows(0, latent - 1);
  log_var = e.rows(latent, 2 * latent - 1);
  if (scale != HeadScale::log_var) log_var.transform([scale](T s) { return head_log_var(s, scale); });
  log_var = arma::clamp(log_var, T(-kLogVarLimit), T(kLogVarLimit));
}

struct ElboTerms {
  double recon = 0;  // (1/B) Σ_b (1/L) Σ_l log p(x_b|z_bl), nats/image
  double kl = 0;     // (1/B) Σ_b KL_b
  double elbo() const { return recon - kl; }
};

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
  split_encoder_output(mu, log_var, e, p.w3.n_cols, p.scale);
}

}  // namespace vivae
