// Elementwise exp, log, log1p, tanh and cos written as plain IEEE operations (no branches
// the compiler cannot turn into selects, no library calls), so loops over arrays of them
// vectorise; and the array kernels built from them. glibc's scalar expf/log1pf/tanhf made the
// VAE's elementwise passes cost 3× its matrix products, and libm's exp bounded the exact
// enumeration of Problem 1 at ~2×10⁸ states/s.
//
// Same bits everywhere: these are IEEE operations in a fixed order, the build forbids the
// compiler's own fused multiply-adds (-ffp-contract=off) and the float code fuses exactly where
// it says so (mul_add), and every sum over an array runs in kLanes interleaved partial sums
// combined in a fixed tree, so the result does not depend on the vector width the compiler
// (or the run-time choice among the VIVAE_CLONES variants) uses.
//
// Accuracy, tested in tests/common/fastmath_test.cpp against libm in double or long double:
//   float:  exp ≤ 2 ulp on [−87, 88]; log1p on [0, 1] ≤ 2e-7 abs; tanh ≤ 4e-7 relative; log ≤ 2 ulp
//   double: exp ≤ 2 ulp on [−708, 709]; log ≤ 2 ulp (positive normal x); cos(2πu) ≤ 2e-16 abs
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

// Compile a kernel for x86-64-v4 (AVX-512), x86-64-v3 (AVX2 + FMA) and plain x86-64 and pick
// one when the program loads. Only the marked function is cloned: helpers it calls must be
// VIVAE_INLINE to be compiled for the same instruction set. VIVAE_V4 and VIVAE_V3 name the two
// sets for functions written once per set (as feature lists: clang's multiversioning takes no
// arch=x86-64-v3 there).
// VIVAE_NO_AVX512 (CMake option) leaves out the AVX-512 variants, to measure on an AVX-512
// machine what one without it runs, and VIVAE_NO_FMA all but plain x86-64, what a machine
// without FMA runs (the results must not change).
#define VIVAE_V4 __attribute__((target("avx512f,fma")))
#define VIVAE_V3 __attribute__((target("avx2,fma")))
#if defined(VIVAE_NO_FMA)
#define VIVAE_CLONES
#elif defined(VIVAE_NO_AVX512)
#define VIVAE_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define VIVAE_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
#define VIVAE_INLINE inline __attribute__((always_inline))

namespace vivae {

// Partial sums per array reduction: 16 floats or 8 doubles fill one AVX-512 register.
template <class T>
constexpr int kLanes = 64 / static_cast<int>(sizeof(T));

VIVAE_INLINE uint64_t bits_of(double x) {
  uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
VIVAE_INLINE double double_of(uint64_t b) {
  double x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// --- float ---------------------------------------------------------------------------------

// kLanes<T> values in one vector (GCC vector extension, lowered to whatever registers the
// target has): for lane partial sums and products that must vectorise.
using f32x16 = float __attribute__((vector_size(64)));
using f64x8 = double __attribute__((vector_size(64)));
// Narrower vectors for kernels that hold 16 lanes in parts of a register's width (GCC lowers
// a comparison of a vector wider than the target's registers lane by lane, in scalars).
using f32x8 = float __attribute__((vector_size(32)));
using f32x4 = float __attribute__((vector_size(16)));
template <class T>
struct LaneVector;
template <>
struct LaneVector<float> {
  using type = f32x16;
};
template <>
struct LaneVector<double> {
  using type = f64x8;
};
template <class T>
using Lanes = typename LaneVector<T>::type;

// The unsigned integers of a float's (or float vector's) bits, for exponent arithmetic.
using u32x16 = uint32_t __attribute__((vector_size(64)));
using u32x8 = uint32_t __attribute__((vector_size(32)));
using u32x4 = uint32_t __attribute__((vector_size(16)));
template <class V>
struct BitsOf;
template <>
struct BitsOf<float> {
  using type = uint32_t;
};
template <>
struct BitsOf<f32x16> {
  using type = u32x16;
};
template <>
struct BitsOf<f32x8> {
  using type = u32x8;
};
template <>
struct BitsOf<f32x4> {
  using type = u32x4;
};

// a·b + c. For float (and float vectors, lane by lane) rounded once: one FMA instruction
// where the instruction set has it (x86-64-v3 and up), else the C library's fmaf, which is
// correctly rounded too, so the same bits, slower. For double rounded twice, as before: the
// double kernels are the gradient checks' reference and keep their arithmetic.
VIVAE_INLINE float mul_add(float a, float b, float c) { return __builtin_fmaf(a, b, c); }
VIVAE_INLINE double mul_add(double a, double b, double c) { return a * b + c; }
template <class V>
VIVAE_INLINE V mul_add(V a, V b, V c) {
  V r;
  for (int j = 0; j < static_cast<int>(sizeof(V) / sizeof(float)); ++j) r[j] = __builtin_fmaf(a[j], b[j], c[j]);
  return r;
}

// a / b for a positive normal float b (or vectors of them), from fused multiply-adds only, so
// the divider is left to the square roots: 1/b from the bits of b (≤ 5.1 % off), two Newton
// steps (≤ 6.4e-6), then the quotient q = a·(1/b) corrected once by its residual a − q·b,
// which leaves ~(6.4e-6)² + one rounding: within 1 ulp of a / b (fastmath_test.cpp).
template <class V>
VIVAE_INLINE V divide_any(V a, V b) {
  typename BitsOf<V>::type bits;
  std::memcpy(&bits, &b, sizeof bits);
  bits = 0x7EF311C3u - bits;
  V r;
  std::memcpy(&r, &bits, sizeof r);
  const V one = V{} + 1.0f;
  r = mul_add(r, mul_add(-b, r, one), r);
  r = mul_add(r, mul_add(-b, r, one), r);
  const V q = a * r;
  return mul_add(mul_add(-q, b, a), r, q);
}
VIVAE_INLINE float divide(float a, float b) { return divide_any(a, b); }

VIVAE_INLINE double divide(double a, double b) { return a / b; }

// e^x for a float or for a vector of them (f32x4, f32x8, f32x16): the same operations lane by
// lane, so all give the same bits. kClampHigh = false drops the upper clamp, for callers whose
// x ≤ 0 (or NaN): the same bits for them, one select fewer.
template <class V, bool kClampHigh = true>
VIVAE_INLINE V exp_poly_any(V x) {
  if (kClampHigh) x = x > 88.0f ? V{} + 88.0f : x;
  x = x < -87.0f ? V{} - 87.0f : x;  // NaN stays NaN (the comparisons are false)
  const float magic = 12582912.0f;  // 1.5·2²³: adding it rounds to an integer, held in t's low bits
  const V t = mul_add(x, V{} + 1.44269504088896341f, V{} + magic);
  const V n = t - magic;
  const V r = mul_add(n, V{} + 2.12194440e-4f, mul_add(-n, V{} + 0.693359375f, x));  // Cody–Waite: x − n·ln 2
  V p = V{} + 1.9875691500e-4f;
  p = mul_add(p, r, V{} + 1.3981999507e-3f);
  p = mul_add(p, r, V{} + 8.3334519073e-3f);
  p = mul_add(p, r, V{} + 4.1665795894e-2f);
  p = mul_add(p, r, V{} + 1.6666665459e-1f);
  p = mul_add(p, r, V{} + 5.0000001201e-1f);
  p = mul_add(p, r * r, r) + 1.0f;
  // 2ⁿ from the integer n ∈ [−126, 127] in t's low bits (bits of t − bits of magic), in
  // unsigned arithmetic: for a NaN x the bits are arbitrary, but p is NaN and so is the result.
  typename BitsOf<V>::type bits;
  std::memcpy(&bits, &t, sizeof bits);
  bits = (bits - 0x4B400000u + 127u) << 23;
  V scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}
VIVAE_INLINE float exp_poly(float x) { return exp_poly_any(x); }

// log(1 + t) for t ∈ [0, 1]: u = 1 + t = m·2^e with m ∈ [√½, √2), log m = 2 atanh(s),
// s = (m − 1)/(m + 1); plus the first-order correction for the rounding of 1 + t.
VIVAE_INLINE float log1p_unit(float t) {
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

// log x for a positive normal float: x = m·2^e, m ∈ [√½, √2), log m = 2 atanh((m−1)/(m+1)).
VIVAE_INLINE float log_poly(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  const int32_t biased = static_cast<int32_t>(b >> 23);
  const uint32_t mb = (b & 0x007fffffu) | 0x3f800000u;  // mantissa in [1, 2)
  float m;
  std::memcpy(&m, &mb, sizeof m);
  const bool big = m > 1.41421356f;
  m = big ? m * 0.5f : m;
  const float e = static_cast<float>(biased - 127) + (big ? 1.0f : 0.0f);
  const float s = (m - 1.0f) / (m + 1.0f);
  const float s2 = s * s;
  const float series = 1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9))));
  return e * 0.693359375f + (2.0f * s * series + e * -2.12194440e-4f);
}

// tanh x as Eigen's 13/6-degree rational interpolant (generic_fast_tanh_float, MPL-2.0): a
// couple of ulp on [−9, 9], ±1 beyond. One division, no exp.
VIVAE_INLINE float tanh_poly(float x) {
  x = x < -9.0f ? -9.0f : (x > 9.0f ? 9.0f : x);  // NaN stays NaN
  const float x2 = x * x;
  float p = -2.76076847742355e-16f;
  p = mul_add(p, x2, 2.00018790482477e-13f);
  p = mul_add(p, x2, -8.60467152213735e-11f);
  p = mul_add(p, x2, 5.12229709037114e-08f);
  p = mul_add(p, x2, 1.48572235717979e-05f);
  p = mul_add(p, x2, 6.37261928875436e-04f);
  p = mul_add(p, x2, 4.89352455891786e-03f);
  float q = 1.19825839466702e-06f;
  q = mul_add(q, x2, 1.18534705686654e-04f);
  q = mul_add(q, x2, 2.26843463243900e-03f);
  q = mul_add(q, x2, 4.89352518554385e-03f);
  return x * p / q;
}

// --- double --------------------------------------------------------------------------------

// e^x: Cody–Waite reduction x = n·ln 2 + r, |r| ≤ ½ ln 2, then Taylor to r¹³ (truncation
// < 1e-17). Returns 0 for x < −708 (true values < 3.3e-308) and +∞ for x > 709.
// kClampHigh = false drops the upper clamp, for callers whose x ≤ 0 (or NaN), such as
// exponentials of log-probabilities and of values less their maximum: the same bits for them.
template <bool kClampHigh>
VIVAE_INLINE double exp_poly_double(double x) {
  // NaN stays NaN throughout (the exponent below is taken from bits, never converted).
  const double xc = x < -708.0 ? -708.0 : (kClampHigh && x > 709.0 ? 709.0 : x);
  const double magic = 6755399441055744.0;  // 1.5·2⁵²: adding it rounds to an integer
  const double t = xc * 1.4426950408889634 + magic;
  const double n = t - magic;
  // ln 2 = hi + lo with hi of 32 significant bits, so n·hi is exact.
  const double r = (xc - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10;
  double p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // 2ⁿ from the integer in t's low bits (n ∈ [−1021, 1023]).
  const int64_t k = static_cast<int64_t>(bits_of(t) - bits_of(magic));
  const double scale = double_of(static_cast<uint64_t>(k + 1023) << 52);
  const double v = p * scale;
  return x < -708.0 ? 0.0 : (kClampHigh && x > 709.0 ? HUGE_VAL : v);
}
VIVAE_INLINE double exp_poly(double x) { return exp_poly_double<true>(x); }
VIVAE_INLINE double exp_poly_nonpositive(double x) { return exp_poly_double<false>(x); }

// log x for a positive normal double, as fdlibm's __ieee754_log: x = 2^e·(1 + f) with
// 1 + f ∈ [√½, √2), s = f/(2 + f), log(1 + f) = f − f²/2 + s(f²/2 + R(s²)), R its minimax
// polynomial (error < 2^−58).
VIVAE_INLINE double log_poly(double x) {
  const uint64_t b = bits_of(x);
  const uint64_t biased = b >> 52;
  double m = double_of((b & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);  // [1, 2)
  const bool big = m > 1.4142135623730951;
  m = big ? m * 0.5 : m;
  // The biased exponent as a double without an int64 → double conversion (none in AVX2).
  const double e = (double_of(0x4330000000000000ULL | biased) - 4503599627370496.0) - 1023.0 + (big ? 1.0 : 0.0);
  const double f = m - 1.0;  // exact
  const double hfsq = 0.5 * f * f;
  const double s = f / (2.0 + f);
  const double z = s * s;
  const double r = z * (6.666666666666735130e-01 +
                        z * (3.999999999940941908e-01 +
                             z * (2.857142874366239149e-01 +
                                  z * (2.222219843214978396e-01 +
                                       z * (1.818357216161805012e-01 + z * (1.531383769920937332e-01 + z * 1.479819860511658591e-01))))));
  return e * 6.93147180369123816490e-01 - ((hfsq - (s * (hfsq + r) + e * 1.90821492927058770002e-10)) - f);
}

// cos(2πu) and sin(2πu) for u ∈ [0, 1). The quadrant comes from u exactly (u − q/4 is
// exact), so the only rounding in the argument is that of 2π·r; then cos/sin series on [0, π/4].
VIVAE_INLINE void sincos_2pi(double u, double& cos_out, double& sin_out) {
  const double t = 4.0 * u;
  const double q = t >= 2.0 ? (t >= 3.0 ? 3.0 : 2.0) : (t >= 1.0 ? 1.0 : 0.0);
  const double r = u - 0.25 * q;  // [0, ¼)
  const bool low = r < 0.125;
  const double w = 6.283185307179586477 * (low ? r : 0.25 - r);  // [0, π/4]
  const double w2 = w * w;
  double c = -1.0 / 6402373705728000.0, s = 1.0 / 355687428096000.0;
  const double cos_coef[] = {1.0 / 20922789888000.0, -1.0 / 87178291200.0, 1.0 / 479001600.0, -1.0 / 3628800.0,
                             1.0 / 40320.0,           -1.0 / 720.0,         1.0 / 24.0,        -0.5, 1.0};
  const double sin_coef[] = {-1.0 / 1307674368000.0, 1.0 / 6227020800.0, -1.0 / 39916800.0, 1.0 / 362880.0,
                             -1.0 / 5040.0,          1.0 / 120.0,        -1.0 / 6.0,        1.0};
  for (double k : cos_coef) c = c * w2 + k;
  for (double k : sin_coef) s = s * w2 + k;
  s *= w;
  const double cos_t = low ? c : s;  // cos θ and sin θ for θ = 2πr
  const double sin_t = low ? s : c;
  // (cos, sin)(qπ/2 + θ)
  cos_out = q == 0.0 ? cos_t : (q == 1.0 ? -sin_t : (q == 2.0 ? -cos_t : sin_t));
  sin_out = q == 0.0 ? sin_t : (q == 1.0 ? cos_t : (q == 2.0 ? -sin_t : -cos_t));
}

VIVAE_INLINE double cos_2pi(double u) {
  double c, s;
  sincos_2pi(u, c, s);
  return c;
}

// One N(0, 1) draw from u1 ∈ (0, 1), u2 ∈ [0, 1): Box–Muller, cosine branch.
VIVAE_INLINE double box_muller(double u1, double u2) { return std::sqrt(-2.0 * log_poly(u1)) * cos_2pi(u2); }

// Adds lane partial sums in a fixed tree.
template <class T>
VIVAE_INLINE double lane_total(const T* acc) {
  double s[kLanes<T>];
  for (int j = 0; j < kLanes<T>; ++j) s[j] = static_cast<double>(acc[j]);
  for (int w = kLanes<T> / 2; w >= 1; w /= 2)
    for (int j = 0; j < w; ++j) s[j] += s[j + w];
  return s[0];
}
VIVAE_INLINE double lane_total(const f32x16& v) {
  float acc[16];
  std::memcpy(acc, &v, sizeof acc);
  return lane_total(acc);
}
VIVAE_INLINE double lane_total(const f64x8& v) {
  double acc[8];
  std::memcpy(acc, &v, sizeof acc);
  return lane_total(acc);
}

// --- array kernels (fastmath.cpp) ----------------------------------------------------------

// The float ones run the polynomials above; for double, exp/tanh/sigmoid_softplus call the C
// library, so the double-precision gradient checks run on libm.
void exp_array(float* out, const float* in, size_t n);
void exp_array(double* out, const double* in, size_t n);
void tanh_array(float* out, const float* in, size_t n);
void tanh_array(double* out, const double* in, size_t n);
// For logits a: y = σ(a) and softplus(a) = max(a, 0) + log1p(e^{−|a|}), both from one exp.
void sigmoid_softplus(float* y, float* softplus, const float* a, size_t n);
void sigmoid_softplus(double* y, double* softplus, const double* a, size_t n);

// max_i x[i] (−∞ for n = 0), and Σ_i exp(x[i] − shift) by exp_poly in lane partial sums
// (shift ≥ every x[i], e.g. their maximum).
double max_of(const double* x, size_t n);
double sum_exp_shifted(const double* x, size_t n, double shift);
// log (1/n) Σ exp(x[i]), stable: m + log(Σ exp(x − m)/n) with m the maximum.
double log_mean_exp(const double* x, size_t n);
// The mean over the ⌊n/j⌋ groups of j consecutive x of log_mean_exp(group): every group's
// maximum, shift and exp as single vector loops over all of them (j = 1 is the mean of x).
double mean_group_log_mean_exp(const double* x, size_t n, size_t j);

// Both Box–Muller draws of each pair: out[2i] = r·cos(2πu2[i]), out[2i + 1] = r·sin(2πu2[i]),
// r = √(−2 log u1[i]), for i < pairs.
void box_muller_pairs(double* out, const double* u1, const double* u2, size_t pairs);

}  // namespace vivae
