// Forward/backward pairs of the VAE's layers. A mini-batch is stored as columns:
// a (features × batch) matrix. Backward functions take the gradient of the loss with respect
// to the layer's output and return those with respect to its inputs and parameters.
// First in plain Armadillo; then the dense layer on raw column blocks (pointer to the first
// column), as the fast step and the evaluation use it.
#pragma once
#include <armadillo>

#include "common/fastmath.hpp"
#include "vae/gemm.hpp"
#include "vae/kernels.hpp"

namespace vivae {

// out = W·in + b.  in is (I × B), W is (O × I), b is (O × 1), out is (O × B).
template <class T>
void dense_forward(arma::Mat<T>& out, const arma::Mat<T>& in, const arma::Mat<T>& w, const arma::Mat<T>& b) {
  out = w * in;
  out.each_col() += b.col(0);
}

// Forward was out = W·in + b, so: dW = d_out·inᵀ, db = Σ_cols d_out, d_in = Wᵀ·d_out.
// d_in may be null when the input needs no gradient (the data).
template <class T>
void dense_backward(arma::Mat<T>* d_in, arma::Mat<T>& d_w, arma::Mat<T>& d_b, const arma::Mat<T>& d_out,
                    const arma::Mat<T>& in, const arma::Mat<T>& w) {
  d_w = d_out * in.t();
  d_b = arma::sum(d_out, 1);
  if (d_in) *d_in = w.t() * d_out;
}

// h = tanh(a), elementwise.
template <class T>
void tanh_forward(arma::Mat<T>& h, const arma::Mat<T>& a) {
  h.set_size(a.n_rows, a.n_cols);
  tanh_array(h.memptr(), a.memptr(), a.n_elem);
}

// Forward was h = tanh(a), so d_a = d_h ⊙ (1 − h²), computed in place on d_h.
template <class T>
void tanh_backward(arma::Mat<T>& d_h, const arma::Mat<T>& h) {
  d_h %= (1 - arma::square(h));
}

// out = W·in + b for `cols` columns. The bias is written first and the GEMM adds W·in to it
// (β = 1), so the bias costs no pass of its own.
template <class T>
void dense_forward(T* out, const T* in, const arma::Mat<T>& w, const arma::Mat<T>& b, int cols) {
  const int o = static_cast<int>(w.n_rows), i = static_cast<int>(w.n_cols);
  fill_columns(out, b.memptr(), o, cols);
  gemm('N', 'N', o, cols, i, T(1), w.memptr(), o, in, i, T(1), out, o);
}

// out = W·in without the bias, which the elementwise pass after it adds (tanh_bias, bernoulli).
template <class T>
void matmul(T* out, const T* in, const arma::Mat<T>& w, int cols) {
  const int o = static_cast<int>(w.n_rows), i = static_cast<int>(w.n_cols);
  gemm('N', 'N', o, cols, i, T(1), w.memptr(), o, in, i, T(0), out, o);
}

// Forward was out = W·in + b, so d_in = Wᵀ·d_out (W's gradients: step.cpp, over the batch).
template <class T>
void dense_backward_input(T* d_in, const T* d_out, const arma::Mat<T>& w, int cols) {
  const int o = static_cast<int>(w.n_rows), i = static_cast<int>(w.n_cols);
  gemm('T', 'N', i, cols, o, T(1), w.memptr(), o, d_out, o, T(0), d_in, i);
}

}  // namespace vivae
