#include "vae/fastmath.hpp"

namespace vivae {

#define VIVAE_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

VIVAE_CLONES void exp_array(float* out, const float* in, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = exp_poly(in[i]);
}
void exp_array(double* out, const double* in, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = std::exp(in[i]);
}
VIVAE_CLONES void tanh_array(float* out, const float* in, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = tanh_poly(in[i]);
}
void tanh_array(double* out, const double* in, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = std::tanh(in[i]);
}

VIVAE_CLONES void sigmoid_softplus(float* y, float* softplus, const float* a, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const float t = exp_poly(-std::fabs(a[i]));
    const float inv = 1.0f / (1.0f + t);
    y[i] = a[i] >= 0 ? inv : t * inv;
    softplus[i] = (a[i] > 0 ? a[i] : 0.0f) + log1p_unit(t);
  }
}
void sigmoid_softplus(double* y, double* softplus, const double* a, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const double t = std::exp(-std::fabs(a[i]));
    const double inv = 1.0 / (1.0 + t);
    y[i] = a[i] >= 0 ? inv : t * inv;
    softplus[i] = (a[i] > 0 ? a[i] : 0.0) + std::log1p(t);
  }
}

}  // namespace vivae
