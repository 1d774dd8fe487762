// Elementwise exp, log1p and tanh over arrays, written so the compiler vectorises them
// (no branches, no library calls) for float training. glibc's scalar expf/log1pf/tanhf made
// these elementwise passes cost 3× the step's matrix products. For double, the same entry
// points call the C library, so the double-precision gradient checks run on libm.
// Accuracy (float, tested in tests/vae/fastmath_test.cpp against libm in double):
//   exp: ≤ 2 ulp on [−87, 88];  log1p on [0, 1]: ≤ 2e-7 abs;  tanh: ≤ 3e-7 abs.
// These are plain IEEE float operations in a fixed order: results are the same on every run
// of the same build (and do not depend on the vector width the compiler picks).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace vivae {

inline float exp_poly(float x) {
  x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);  // NaN stays NaN (both comparisons false)
  // The integer exponent comes from a NaN-free copy (float → int of NaN is undefined
  // behaviour); a NaN input still propagates through r into the result.
  const float safe = x == x ? x : 0.0f;
  const float magic = 12582912.0f;  // 1.5·2²³: adding it rounds to an integer
  const float n = (safe * 1.44269504088896341f + magic) - magic;
  const float r = (x - n * 0.693359375f) - n * -2.12194440e-4f;  // Cody–Waite: x − n·ln 2
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;  // n ∈ [−126, 127]: never negative
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

// log(1 + t) for t ∈ [0, 1]: u = 1 + t = m·2^e with m ∈ [√½, √2), log m = 2 atanh(s),
// s = (m − 1)/(m + 1); plus the first-order correction for the rounding of 1 + t.
inline float log1p_unit(float t) {
  const float u = 1.0f + t;
  const float c = (t - (u - 1.0f)) / u;
  const bool big = u > 1.41421356f;
  const float m = big ? u * 0.5f : u;
  const float e = big ? 1.0f : 0.0f;
  const float s = (m - 1.0f) / (m + 1.0f);
  const float s2 = s * s;
  const float series = 1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9))));
  return e * 0.693147180559945309f + 2.0f * s * series + c;
}

inline float tanh_poly(float x) {
  const float ax = std::fabs(x);
  const float t = exp_poly(-2.0f * ax);
  const float large = (1.0f - t) / (1.0f + t);
  const float x2 = x * x;  // Taylor series for small |x|, where 1 − t cancels
  const float small = ax * (1.0f + x2 * (-1.0f / 3 + x2 * (2.0f / 15 + x2 * (-17.0f / 315 + x2 * (62.0f / 2835)))));
  const float r = ax < 0.25f ? small : large;
  return x < 0 ? -r : r;
}

// Array versions. The float ones are compiled for several instruction sets (SSE2, AVX2,
// AVX-512) and picked at load time; the operations and their order are the same in each, and
// -ffp-contract=off forbids fused multiply-adds, so every variant gives identical bits.
void exp_array(float* out, const float* in, size_t n);
void exp_array(double* out, const double* in, size_t n);
void tanh_array(float* out, const float* in, size_t n);
void tanh_array(double* out, const double* in, size_t n);
// For logits a: y = σ(a) and softplus(a) = max(a, 0) + log1p(e^{−|a|}), both from one exp.
void sigmoid_softplus(float* y, float* softplus, const float* a, size_t n);
void sigmoid_softplus(double* y, double* softplus, const double* a, size_t n);

}  // namespace vivae
