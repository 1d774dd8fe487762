// The Kingma & Welling VAE of Problem 2 (Appendix C of arXiv 1312.6114):
//   encoder  x (196) → tanh(W1·x + b1) (128) → W2·h + b2 (16) = [μ (8); log σ² (8)]
//   decoder  z (8)   → tanh(W3·z + b3) (128) → W4·h + b4 (196) = logits a, y = σ(a)
// Parameters are templated on the element type: training may run in float, gradient checks
// run in double on the same code.
#pragma once
#include <armadillo>
#include <array>
#include <cmath>

#include "common/rng.hpp"
#include "vae/config.hpp"

namespace vivae {

template <class T>
struct Params {
  arma::Mat<T> w1, b1, w2, b2;  // encoder (u)
  arma::Mat<T> w3, b3, w4, b4;  // decoder (v)
  HeadScale scale = HeadScale::log_var;  // rows latent… of W2·h + b2; training needs log_var
};

// The encoder's second half s as log σ² (clamped later, kLogVarLimit): s, 2s, or log s².
template <class T>
T head_log_var(T s, HeadScale k) {
  return k == HeadScale::log_var ? s : k == HeadScale::log_std ? T(2) * s : std::log(s * s);
}

template <class T>
std::array<arma::Mat<T>*, 8> tensors(Params<T>& p) {
  return {&p.w1, &p.b1, &p.w2, &p.b2, &p.w3, &p.b3, &p.w4, &p.b4};
}
template <class T>
std::array<const arma::Mat<T>*, 8> tensors(const Params<T>& p) {
  return {&p.w1, &p.b1, &p.w2, &p.b2, &p.w3, &p.b3, &p.w4, &p.b4};
}

template <class T>
Params<T> zeros_like(const Widths& w) {
  Params<T> p;
  p.w1.zeros(w.enc_hidden, w.input);
  p.b1.zeros(w.enc_hidden, 1);
  p.w2.zeros(2 * w.latent, w.enc_hidden);
  p.b2.zeros(2 * w.latent, 1);
  p.w3.zeros(w.dec_hidden, w.latent);
  p.b3.zeros(w.dec_hidden, 1);
  p.w4.zeros(w.input, w.dec_hidden);
  p.b4.zeros(w.input, 1);
  return p;
}

// Weights ~ U(−1/√fan_in, 1/√fan_in), biases 0, drawn in a fixed order from `rng`.
template <class T>
Params<T> init_params(const Widths& w, Rng& rng) {
  Params<T> p = zeros_like<T>(w);
  for (arma::Mat<T>* m : {&p.w1, &p.w2, &p.w3, &p.w4}) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(m->n_cols));
    for (arma::uword i = 0; i < m->n_elem; ++i) (*m)(i) = static_cast<T>((2 * uniform(rng) - 1) * bound);
  }
  return p;
}

template <class To, class From>
Params<To> convert(const Params<From>& p) {
  Params<To> q;
  auto dst = tensors(q);
  auto src = tensors(p);
  for (size_t i = 0; i < dst.size(); ++i) *dst[i] = arma::conv_to<arma::Mat<To>>::from(*src[i]);
  q.scale = p.scale;
  return q;
}

inline size_t parameter_count(const Widths& w) {
  return static_cast<size_t>(w.enc_hidden) * (w.input + 1) + 2 * w.latent * (w.enc_hidden + 1) +
         static_cast<size_t>(w.dec_hidden) * (w.latent + 1) + static_cast<size_t>(w.input) * (w.dec_hidden + 1);
}

}  // namespace vivae
