// The pieces of the ELBO (5) with their gradients, for a batch of B images and L samples, in
// plain Armadillo. Sample l of image b is column b·L + l of every (· × B·L) matrix.
#pragma once
#include <armadillo>
#include <cmath>

#include "common/fastmath.hpp"

namespace vivae {

// KL(N(μ, diag σ²) ‖ N(0, I)) = −½ Σᵢ (1 + log σᵢ² − μᵢ² − σᵢ²), one value per column.
template <class T>
arma::Row<T> kl_gauss(const arma::Mat<T>& mu, const arma::Mat<T>& log_var) {
  return -T(0.5) * arma::sum(1 + log_var - arma::square(mu) - arma::exp(log_var), 0);
}

// Adds scale·∂KL: ∂KL/∂μ = μ, ∂KL/∂log σ² = ½(σ² − 1).
template <class T>
void kl_gauss_backward(arma::Mat<T>& d_mu, arma::Mat<T>& d_log_var, const arma::Mat<T>& mu,
                       const arma::Mat<T>& log_var, T scale) {
  d_mu += scale * mu;
  d_log_var += (scale * T(0.5)) * (arma::exp(log_var) - 1);
}

// Reparameterisation: z = μ + exp(½ log σ²) ⊙ ε for each of the L samples of ε (latent × B·L).
template <class T>
void reparameterise(arma::Mat<T>& z, const arma::Mat<T>& mu, const arma::Mat<T>& log_var, const arma::Mat<T>& eps) {
  const arma::uword b = mu.n_cols, samples = eps.n_cols / b;
  const arma::Mat<T> sigma = arma::exp(T(0.5) * log_var);
  z.set_size(eps.n_rows, eps.n_cols);
  for (arma::uword c = 0; c < eps.n_cols; ++c) z.col(c) = mu.col(c / samples) + sigma.col(c / samples) % eps.col(c);
}

// Forward was z = μ + σ ⊙ ε with σ = exp(½ log σ²), so ∂/∂μ = Σ_l d_z,
// ∂/∂log σ² = Σ_l d_z ⊙ ε ⊙ ½σ. Adds into d_mu, d_log_var.
template <class T>
void reparameterise_backward(arma::Mat<T>& d_mu, arma::Mat<T>& d_log_var, const arma::Mat<T>& d_z,
                             const arma::Mat<T>& log_var, const arma::Mat<T>& eps) {
  const arma::uword b = log_var.n_cols, samples = eps.n_cols / b;
  const arma::Mat<T> half_sigma = T(0.5) * arma::exp(T(0.5) * log_var);
  for (arma::uword c = 0; c < eps.n_cols; ++c) {
    d_mu.col(c / samples) += d_z.col(c);
    d_log_var.col(c / samples) += d_z.col(c) % eps.col(c) % half_sigma.col(c / samples);
  }
}

// log p(x|z) = Σᵢ xᵢ log yᵢ + (1−xᵢ) log(1−yᵢ) with y = σ(a), from the logits a:
//   = Σᵢ xᵢaᵢ − softplus(aᵢ),  softplus(a) = max(a, 0) + log1p(e^{−|a|}),
// finite for every finite a (no log 0). x is (D × B), a is (D × B·L); one value per column of a.
// Also writes y = σ(a), which the backward pass needs.
template <class T>
arma::Row<T> bernoulli_log_lik(arma::Mat<T>& y, const arma::Mat<T>& a, const arma::Mat<T>& x) {
  const arma::uword d = a.n_rows, samples = a.n_cols / x.n_cols, cols = a.n_cols;
  y.set_size(d, cols);
  arma::Mat<T> softplus(d, cols);
  sigmoid_softplus(y.memptr(), softplus.memptr(), a.memptr(), a.n_elem);
  arma::Row<T> ll(cols);
  for (arma::uword c = 0; c < cols; ++c) {
    const T* ac = a.colptr(c);
    const T* xc = x.colptr(c / samples);
    const T* sc = softplus.colptr(c);
    T s = 0;
    for (arma::uword i = 0; i < d; ++i) s += xc[i] * ac[i] - sc[i];
    ll(c) = s;
  }
  return ll;
}

// Gradient of −scale·Σ log p(x|z) with respect to the logits: scale·(y − x).
template <class T>
void bernoulli_backward(arma::Mat<T>& d_a, const arma::Mat<T>& y, const arma::Mat<T>& x, T scale) {
  const arma::uword samples = y.n_cols / x.n_cols;
  d_a.set_size(y.n_rows, y.n_cols);
  for (arma::uword c = 0; c < y.n_cols; ++c) d_a.col(c) = scale * (y.col(c) - x.col(c / samples));
}

}  // namespace vivae
