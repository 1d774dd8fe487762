// The elementwise and reduction kernels of the VAE's training step and evaluation, on raw
// column-major arrays: a mini-batch is a matrix whose columns are images (encoder side) or
// samples (decoder side, image-major: sample l of image b is column b·L + l).
// float runs the polynomials of common/fastmath.hpp, compiled for several instruction sets
// (same bits on each); double runs the same code on libm, for the gradient checks. The plain
// Armadillo twins are in layers.hpp and elbo.hpp; tests/vae/kernels_test.cpp compares them.
#pragma once
#include <algorithm>
#include <cstddef>

namespace vivae {

// out (rows × cols) = b repeated in every column: the bias, before a GEMM adds W·in to it.
template <class T>
void fill_columns(T* out, const T* b, int rows, int cols) {
  for (int c = 0; c < cols; ++c) std::copy(b, b + rows, out + static_cast<size_t>(c) * rows);
}

// h = tanh(h + b) for a (rows × cols) block, b repeated in every column: the bias of the
// dense layer whose GEMM wrote W·in into h, and the layer's tanh, in one pass.
void tanh_bias(float* h, const float* b, int rows, int cols);
void tanh_bias(double* h, const double* b, int rows, int cols);

// Forward was h = tanh(a), so d_a = d_h ⊙ (1 − h²), in place on d (rows × cols); and the
// gradient of the bias added before the tanh, d_bias[r] = Σ_c d_a[r + c·rows], columns in order.
void tanh_backward(float* d, float* d_bias, const float* h, int rows, int cols);
void tanh_backward(double* d, double* d_bias, const double* h, int rows, int cols);

// Σ over the columns c of log p(x | a_c) = Σᵢ xᵢaᵢ − softplus(aᵢ) (eq. 5's Bernoulli term),
// with logits a_c = raw_c + bias (raw = W·h from the GEMM, rows × cols); the image of column c
// is x column c / samples. Summed per column in the element type, over columns in double.
// With d_a non-null also writes d_a = scale·(σ(a) − x), the gradient of −scale·Σ log p with
// respect to the logits, and d_bias (rows) = Σ_c d_a column c, columns in order (the bias's).
double bernoulli(float* d_a, float* d_bias, const float* raw, const float* bias, const float* x, int rows, int cols,
                 int samples, float scale);
double bernoulli(double* d_a, double* d_bias, const double* raw, const double* bias, const double* x, int rows, int cols,
                 int samples, double scale);
// For the tests: the float kernel with its 16 lanes held as parts of `width` (4, 8 or 16)
// lanes, compiled for plain x86-64; every width and instruction set must give the same bits.
double bernoulli_in_parts(int width, float* d_a, float* d_bias, const float* raw, const float* bias, const float* x,
                          int rows, int cols, int samples, float scale);
// The same log-likelihood for every column against one image x, into ll[c].
void bernoulli_columns(double* ll, const float* raw, const float* bias, const float* x, int rows, int cols);
void bernoulli_columns(double* ll, const double* raw, const double* bias, const double* x, int rows, int cols);
// The same again, from the transposed raw logits raw_t (cols × rows: column i holds pixel i of
// every sample, as the GEMM (W·h)ᵀ = hᵀ·Wᵀ writes them): the work then runs along samples,
// one pixel at a time, with no per-sample overhead (the evaluation's k samples of one image).
void bernoulli_samples(double* ll, const float* raw_t, const float* bias, const float* x, int rows, int cols);
void bernoulli_samples(double* ll, const double* raw_t, const double* bias, const double* x, int rows, int cols);

// log σ² is clamped to [−kLogVarLimit, kLogVarLimit] so σ² = e^{log σ²} can never overflow,
// even in float, whatever the weights (e.g. after a diverging step); the clamp has zero
// gradient outside the range. Trained models stay far inside it (|log σ²| < 10).
constexpr double kLogVarLimit = 20;

// From the encoder output e = [μ; raw log σ²] (2·latent × n): log σ² clamped as in vae.hpp,
// z_{bL+l} = μ_b + σ_b ⊙ ε_{bL+l} (latent × n·L); returns Σ_b KL(q(z|x_b) ‖ N(0, I)).
double reparameterise_kl(float* z, const float* e, const float* eps, int latent, int n, int samples);
double reparameterise_kl(double* z, const double* e, const double* eps, int latent, int n, int samples);
// Forward was the above, so with d_z = ∂/∂z: ∂/∂μ = Σ_l d_z + kl_scale·μ and
// ∂/∂log σ² = Σ_l d_z ⊙ ε ⊙ ½σ + kl_scale·½(σ² − 1), zero where the clamp was active; and the
// encoder output bias's gradient d_bias (2·latent) = Σ_b d_e column b, columns in order.
void reparameterise_kl_backward(float* d_e, float* d_bias, const float* d_z, const float* e, const float* eps,
                                int latent, int n, int samples, float kl_scale);
void reparameterise_kl_backward(double* d_e, double* d_bias, const double* d_z, const double* e, const double* eps,
                                int latent, int n, int samples, double kl_scale);

// g[i] += other[i]; returns whether every sum is finite.
bool add_into(float* g, const float* other, size_t n);
bool add_into(double* g, const double* other, size_t n);

// True if every g[i] is finite.
bool all_finite(const float* g, size_t n);
bool all_finite(const double* g, size_t n);

// One optimiser update of n parameters from their gradient g (optim.hpp holds the state and
// the coefficients); with `other` the gradient is g + other (the two shards' parts, added in
// the same pass; g is not written). Returns whether every gradient value is finite.
// Adam: m = β₁m + (1−β₁)g, v = β₂v + (1−β₂)g², p −= α·m/(√v + ε).
bool adam_update(float* p, float* m, float* v, const float* g, const float* other, size_t n, float alpha, float b1,
                 float b2, float eps);
bool adam_update(double* p, double* m, double* v, const double* g, const double* other, size_t n, double alpha,
                 double b1, double b2, double eps);
// Adagrad: v += g², p −= lr·g/(√v + ε).
bool adagrad_update(float* p, float* v, const float* g, const float* other, size_t n, float lr, float eps);
bool adagrad_update(double* p, double* v, const double* g, const double* other, size_t n, double lr, double eps);

}  // namespace vivae
