#include "vae/kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/fastmath.hpp"

namespace vivae {

namespace {
VIVAE_INLINE float exp_t(float x) { return exp_poly(x); }
inline double exp_t(double x) { return std::exp(x); }
// e^{−|a|} for a float or a float vector: −|a| as a with its sign bit set, and exp_poly without
// its upper clamp (inactive for x ≤ 0), the same bits as exp_poly(−|a|) in fewer operations.
template <class V>
VIVAE_INLINE V exp_neg_abs(V a) {
  typename BitsOf<V>::type bits;
  std::memcpy(&bits, &a, sizeof a);
  bits |= 0x80000000u;
  V neg_abs;
  std::memcpy(&neg_abs, &bits, sizeof a);
  return exp_poly_any<V, false>(neg_abs);
}
inline double exp_neg_abs(double a) { return std::exp(-std::fabs(a)); }
VIVAE_INLINE float tanh_t(float x) { return tanh_poly(x); }
inline double tanh_t(double x) { return std::tanh(x); }
// The log of a product of lane products, which is a double in both cases.
VIVAE_INLINE double log_of(double x, float) { return log_poly(x); }
inline double log_of(double x, double) { return std::log(x); }

// Σ softplus(aᵢ) = Σ max(aᵢ, 0) + log ∏ (1 + e^{−|aᵢ|}): the product replaces a log1p per
// element by one log per column (and the logs of a block of columns run as one vector loop).
// Each factor is in [1, 2]. A segment of kSegment elements gives each lane ≤ 16 factors
// (≤ 2¹⁶); two halving steps in T (≤ 2⁶⁴, fine in float) and the rest in double give the
// segment's product ≤ 2²⁵⁶; segments multiply into a double that is logged whenever it
// passes 2⁶⁰⁰, so no column length overflows.
template <class T>
constexpr int kSegment = 16 * kLanes<T>;

// The sum and the product of 16 float lanes held in a vector, in a fixed tree of vector
// operations on its halves (no pass through memory and scalars per column): the sum as
// lane_total's tree in double; the product as p[j]·p[j + 8], then p[j]·p[j + 4] in float, then
// (p0·p2)·(p1·p3) in double (each factor ≤ 2¹⁶ per segment, so no overflow in float).
using f64x4 = double __attribute__((vector_size(32)));
using f64x2 = double __attribute__((vector_size(16)));
template <class Half, class Whole>
VIVAE_INLINE void halves(Half& low, Half& high, const Whole& v) {
  std::memcpy(&low, &v, sizeof low);
  std::memcpy(&high, reinterpret_cast<const char*>(&v) + sizeof low, sizeof high);
}
VIVAE_INLINE double lane_total_vector(const f32x16& v) {
  f32x8 lo, hi;
  halves(lo, hi, v);
  const f64x8 s8 = __builtin_convertvector(lo, f64x8) + __builtin_convertvector(hi, f64x8);
  f64x4 a4, b4;
  halves(a4, b4, s8);
  const f64x4 s4 = a4 + b4;
  f64x2 a2, b2;
  halves(a2, b2, s4);
  const f64x2 s2 = a2 + b2;
  return s2[0] + s2[1];
}
VIVAE_INLINE double lane_product_vector(const f32x16& v) {
  f32x8 lo, hi;
  halves(lo, hi, v);
  const f32x8 p8 = lo * hi;
  f32x4 a4, b4;
  halves(a4, b4, p8);
  const f64x4 p4 = __builtin_convertvector(a4 * b4, f64x4);
  f64x2 a2, b2;
  halves(a2, b2, p4);
  const f64x2 p2 = a2 * b2;  // (p0·p2, p1·p3)
  return p2[0] * p2[1];
}

// The product of 8 double lanes, in the same tree.
VIVAE_INLINE double lane_product(const f64x8& v) {
  double p[8];
  std::memcpy(p, &v, sizeof p);
  for (int j = 0; j < 4; ++j) p[j] *= p[j + 4];
  return (p[0] * p[2]) * (p[1] * p[3]);
}

// One column of logits a = raw + bias against image x: lin = Σ xᵢaᵢ − max(aᵢ, 0) and
// prod = ∏ (1 + e^{−|aᵢ|}), so that log p(x|a) = lin − log prod; with kGrad also
// d_a = scale·(σ(a) − x), added into d_bias (the bias gradient, Σ over columns). In double
// (libm, for the gradient checks): elementwise first into
// buffers padded to whole lane vectors, then lane products and sums.
template <class P, bool kGrad>  // P: unused (the float column's vector type)
VIVAE_INLINE void bernoulli_column(double& lin_out, double& prod_out, double* __restrict d_a,
                                   double* __restrict d_bias, const double* __restrict raw, const double* __restrict bias,
                                   const double* __restrict x, int rows, double scale) {
  using T = double;
  constexpr int L = kLanes<T>;
  alignas(64) T u[kSegment<T>], lin[kSegment<T>];
  double lin_total = 0, prod = 1;
  for (int first = 0; first < rows; first += kSegment<T>) {
    const int m = std::min(kSegment<T>, rows - first);
    for (int i = 0; i < m; ++i) {
      const T a = raw[first + i] + bias[first + i], xi = x[first + i];
      const T t = exp_t(-std::fabs(a));
      u[i] = 1 + t;
      lin[i] = xi * a - (a > 0 ? a : T(0));
      if (kGrad) {
        const T inv = 1 / u[i];
        const T y = a >= 0 ? inv : t * inv;  // σ(a) without overflow for either sign
        d_a[first + i] = scale * (y - xi);
        d_bias[first + i] += d_a[first + i];
      }
    }
    const int padded = (m + L - 1) / L * L;
    for (int i = m; i < padded; ++i) u[i] = 1, lin[i] = 0;
    Lanes<T> pv = Lanes<T>{} + 1, sv = Lanes<T>{};
    for (int i = 0; i < padded; i += L) {
      Lanes<T> ui, li;
      std::memcpy(&ui, u + i, sizeof ui);
      std::memcpy(&li, lin + i, sizeof li);
      pv *= ui;
      sv += li;
    }
    lin_total += lane_total(sv);
    prod *= lane_product(pv);
    if (prod > 0x1p600) lin_total -= log_of(prod, T()), prod = 1;  // only for columns of over ~600 rows
  }
  lin_out = lin_total;
  prod_out = prod;
}

// The float column in GCC vector extensions: the same operations and lane sums as above,
// without relying on the auto-vectoriser (which handled the loop's buffers but not its
// per-column tail well). Element i of a segment goes to lane i mod 16 of the partial product
// and sum; the 16 lanes are held as 16 / W vectors P of W lanes each (W = 16, 8 or 4: what the
// instruction set holds in one register), element i in lane i mod W of part (i mod 16) / W.
template <class P>
using Uint = typename BitsOf<P>::type;  // the unsigned integer vector of P's width
template <class P>
constexpr int kWidth = static_cast<int>(sizeof(P) / sizeof(float));

// s[0 … W − 1] += v (a bias gradient's running sum over columns). The sums start at +0 and so
// are never −0, which makes adding +0 exact.
template <class P>
VIVAE_INLINE void add_part(float* s, P v) {
  P acc;
  std::memcpy(&acc, s, sizeof acc);
  acc += v;
  std::memcpy(s, &acc, sizeof acc);
}

// One part of logits a: the factor u = 1 + e^{−|a|}, the linear part x·a − max(a, 0) and,
// with kGrad, d = scale·(σ(a) − x).
template <class P, bool kGrad>
VIVAE_INLINE void bernoulli_lanes(P& u, P& lin, P& d, P a, P xi, float scale) {
  const P t = exp_neg_abs(a);
  u = 1 + t;
  lin = mul_add(xi, a, -(a > 0 ? a : P{}));
  if (kGrad) {
    const P inv = 1 / u;
    const P y = a >= 0 ? inv : t * inv;  // σ(a) without overflow for either sign
    d = scale * (y - xi);
  }
}

// The 16 lanes of v rotated down by 16 − count: lanes 16 − count … 15 to lanes 0 … count − 1.
// GCC permutes registers (__builtin_shuffle); clang (the fuzz build) has no run-time
// permutation builtin and goes through memory.
template <class P, int K>
VIVAE_INLINE void rotate_down(P (&v)[K], int count) {
#if !defined(__clang__)
  using Int = Uint<P>;
  constexpr int W = kWidth<P>;
  constexpr bool kInRegisters = K <= 2;
#else
  constexpr bool kInRegisters = false;
#endif
  if constexpr (!kInRegisters) {
    float in[16], out[16];
    std::memcpy(in, v, sizeof in);
    for (int j = 0; j < 16; ++j) out[j] = in[(j + 16 - count) & 15];
    std::memcpy(v, out, sizeof out);
  }
#if !defined(__clang__)
  else if constexpr (K == 1) {
    Int from;
    for (int j = 0; j < W; ++j) from[j] = (j + 16 - count) & 15;
    v[0] = __builtin_shuffle(v[0], from);
  } else if constexpr (K == 2) {
    Int from_low, from_high;  // indices into the 16 lanes of (v[0], v[1])
    for (int j = 0; j < W; ++j) from_low[j] = (j + 16 - count) & 15, from_high[j] = (W + j + 16 - count) & 15;
    const P low = __builtin_shuffle(v[0], v[1], from_low), high = __builtin_shuffle(v[0], v[1], from_high);
    v[0] = low, v[1] = high;
  }
#endif
}

template <class P, bool kGrad>
VIVAE_INLINE void bernoulli_column(double& lin_out, double& prod_out, float* __restrict d_a,
                                   float* __restrict d_bias, const float* __restrict raw, const float* __restrict bias,
                                   const float* __restrict x, int rows, float scale) {
  constexpr int L = 16, W = kWidth<P>, K = L / W;
  constexpr size_t kBytes = sizeof(P);
  using Int = Uint<P>;
  double lin_total = 0, prod = 1;
  for (int first = 0; first < rows; first += kSegment<float>) {
    const int m = std::min(kSegment<float>, rows - first);
    // No address of pv, sv or the loop's temporaries is taken, so they stay in registers.
    P pv[K], sv[K], u[K], lin[K], d[K], a, b, xi;
    for (int k = 0; k < K; ++k) pv[k] = P{} + 1, sv[k] = P{};
    int i = 0;
    for (; i + L <= m; i += L) {
#pragma GCC unroll 4  // all K ≤ 4 parts in one pass: pv and sv stay in registers
      for (int k = 0; k < K; ++k) {
        const int at = first + i + k * W;
        std::memcpy(&a, raw + at, kBytes);
        std::memcpy(&b, bias + at, kBytes);
        std::memcpy(&xi, x + at, kBytes);
        P uk, lk, dk;
        bernoulli_lanes<P, kGrad>(uk, lk, dk, a + b, xi, scale);
        pv[k] *= uk;
        sv[k] += lk;
        if (kGrad) {
          std::memcpy(d_a + at, &dk, kBytes);
          add_part(d_bias + at, dk);
        }
      }
    }
    if (i < m) {  // the last count < 16 elements, into lanes 0 … count − 1; the others add 1 and 0
      const int count = m - i;
      Int lane[K];
      for (int k = 0; k < K; ++k)
        for (int j = 0; j < W; ++j) lane[k][j] = k * W + j;
      if (m >= L) {
        // The segment's last 16 elements, m − 16 … m − 1: the first 16 − count were done above
        // and are recomputed to the same bits (and d stored again, unchanged); the tail's lanes
        // are then rotated down to lanes 0 … count − 1.
        for (int k = 0; k < K; ++k) {
          const int at = first + m - L + k * W;
          std::memcpy(&a, raw + at, kBytes);
          std::memcpy(&b, bias + at, kBytes);
          std::memcpy(&xi, x + at, kBytes);
          bernoulli_lanes<P, kGrad>(u[k], lin[k], d[k], a + b, xi, scale);
          if (kGrad) {
            std::memcpy(d_a + at, &d[k], kBytes);
            add_part(d_bias + at, lane[k] >= static_cast<uint32_t>(L - count) ? d[k] : P{});  // + 0 where done: exact
          }
        }
        rotate_down(u, count);
        rotate_down(lin, count);
      } else {  // a segment shorter than 16: zero-padded copies
        const int at = first + i;
        float ta[L] = {}, tb[L] = {}, tx[L] = {}, td[L];
        for (int j = 0; j < count; ++j) ta[j] = raw[at + j], tb[j] = bias[at + j], tx[j] = x[at + j];
        for (int k = 0; k < K; ++k) {
          std::memcpy(&a, ta + k * W, kBytes);
          std::memcpy(&b, tb + k * W, kBytes);
          std::memcpy(&xi, tx + k * W, kBytes);
          bernoulli_lanes<P, kGrad>(u[k], lin[k], d[k], a + b, xi, scale);
          std::memcpy(td + k * W, &d[k], kBytes);
        }
        if (kGrad)
          for (int j = 0; j < count; ++j) d_a[at + j] = td[j], d_bias[at + j] += td[j];
      }
      for (int k = 0; k < K; ++k) {
        pv[k] *= lane[k] < static_cast<uint32_t>(count) ? u[k] : P{} + 1;
        sv[k] += lane[k] < static_cast<uint32_t>(count) ? lin[k] : P{};
      }
    }
    f32x16 pl, sl;
    for (int k = 0; k < K; ++k) {
      const P pk = pv[k], sk = sv[k];
      std::memcpy(reinterpret_cast<char*>(&pl) + k * kBytes, &pk, kBytes);
      std::memcpy(reinterpret_cast<char*>(&sl) + k * kBytes, &sk, kBytes);
    }
    lin_total += lane_total_vector(sl);
    prod *= lane_product_vector(pl);
    if (prod > 0x1p600) lin_total -= log_of(prod, 0.0f), prod = 1;  // only for columns of over ~600 rows
  }
  lin_out = lin_total;
  prod_out = prod;
}

// ll[c] = log p(x_{c / samples} | a_c) for the columns c = c0 … c0 + m − 1 (m ≤ kColumns),
// whose logs then run together as one vector loop.
constexpr int kColumns = 32;

template <class P, class T, bool kGrad>
VIVAE_INLINE void bernoulli_block(double* ll, T* d_a, T* d_bias, const T* raw, const T* bias, const T* x, int rows, int c0, int m,
                                  int samples, T scale) {
  double lin[kColumns], prod[kColumns];
  for (int c = 0; c < m; ++c) {
    const size_t at = static_cast<size_t>(c0 + c) * rows;
    bernoulli_column<P, kGrad>(lin[c], prod[c], kGrad ? d_a + at : nullptr, d_bias, raw + at, bias,
                               x + static_cast<size_t>((c0 + c) / samples) * rows, rows, scale);
  }
  for (int c = 0; c < m; ++c) ll[c] = lin[c] - log_of(prod[c], T());
}

template <class P, class T>
VIVAE_INLINE double bernoulli_impl(T* d_a, T* d_bias, const T* raw, const T* bias, const T* x, int rows, int cols,
                                   int samples, T scale) {
  double total = 0, ll[kColumns];
  if (d_a) std::fill(d_bias, d_bias + rows, T(0));
  for (int c0 = 0; c0 < cols; c0 += kColumns) {
    const int m = std::min(kColumns, cols - c0);
    if (d_a)
      bernoulli_block<P, T, true>(ll, d_a, d_bias, raw, bias, x, rows, c0, m, samples, scale);
    else
      bernoulli_block<P, T, false>(ll, nullptr, nullptr, raw, bias, x, rows, c0, m, samples, scale);
    for (int c = 0; c < m; ++c) total += ll[c];
  }
  return total;
}

template <class P, class T>
VIVAE_INLINE void columns_impl(double* ll, const T* raw, const T* bias, const T* x, int rows, int cols) {
  for (int c0 = 0; c0 < cols; c0 += kColumns)
    bernoulli_block<P, T, false>(ll + c0, nullptr, nullptr, raw, bias, x, rows, c0, std::min(kColumns, cols - c0), cols, T(0));
}

// Pixel by pixel along the samples: per sample, float partial sums and products over
// kPixels pixels (factors ≤ 2: ≤ 2¹⁶), folded into double accumulators; a double product is
// logged into the sum whenever it passes 2⁶⁰⁰.
constexpr int kPixels = 16;
constexpr int kSamplesAtOnce = 256;

template <class T>
VIVAE_INLINE void samples_impl(double* ll, const T* raw_t, const T* bias, const T* x, int rows, int cols) {
  for (int c0 = 0; c0 < cols; c0 += kSamplesAtOnce) {
    const int m = std::min(kSamplesAtOnce, cols - c0);
    T lin[kSamplesAtOnce], prod[kSamplesAtOnce];
    double lin_d[kSamplesAtOnce], prod_d[kSamplesAtOnce];
    for (int c = 0; c < m; ++c) lin_d[c] = 0, prod_d[c] = 1;
    for (int i0 = 0; i0 < rows; i0 += kPixels) {
      for (int c = 0; c < m; ++c) lin[c] = 0, prod[c] = 1;
      for (int i = i0; i < std::min(rows, i0 + kPixels); ++i) {
        const T b = bias[i], xi = x[i];
        const T* col = raw_t + static_cast<size_t>(i) * cols + c0;
        for (int c = 0; c < m; ++c) {
          const T a = col[c] + b;
          prod[c] *= 1 + exp_neg_abs(a);
          lin[c] += mul_add(xi, a, -(a > 0 ? a : T(0)));
        }
      }
      // Three loops, each of which vectorises (one loop with all three does not).
      for (int c = 0; c < m; ++c) lin_d[c] += lin[c];
      for (int c = 0; c < m; ++c) prod_d[c] *= prod[c];
      int big = 0;
      for (int c = 0; c < m; ++c) big |= prod_d[c] > 0x1p600;
      if (big)  // only for images of over ~600 pixels
        for (int c = 0; c < m; ++c) lin_d[c] -= log_of(prod_d[c], T()), prod_d[c] = 1;
    }
    for (int c = 0; c < m; ++c) ll[c0 + c] = lin_d[c] - log_of(prod_d[c], T());
  }
}

template <class T>
VIVAE_INLINE void tanh_bias_impl(T* __restrict h, const T* __restrict b, int rows, int cols) {
  for (int c = 0; c < cols; ++c) {
    T* col = h + static_cast<size_t>(c) * rows;
    for (int r = 0; r < rows; ++r) col[r] = tanh_t(col[r] + b[r]);
  }
}

// The latent coordinates of one image go in blocks of up to kBlock, each quantity in its own
// short loop so that the exps vectorise.
constexpr int kBlock = 16;

// lv = clamped log σ², half_sigma = ½ exp(½ lv), var = exp(lv) for m coordinates.
template <class T>
VIVAE_INLINE void latent_block(T* lv, T* half_sigma, T* var, const T* raw_lv, int m) {
  for (int j = 0; j < m; ++j) lv[j] = std::clamp(raw_lv[j], T(-kLogVarLimit), T(kLogVarLimit));
  for (int j = 0; j < m; ++j) half_sigma[j] = T(0.5) * exp_t(T(0.5) * lv[j]);
  for (int j = 0; j < m; ++j) var[j] = exp_t(lv[j]);
}

template <class T>
VIVAE_INLINE double reparameterise_kl_impl(T* __restrict z, const T* __restrict e, const T* __restrict eps, int latent,
                                           int n, int samples) {
  double kl = 0;
  for (int b = 0; b < n; ++b) {
    const T* mu = e + static_cast<size_t>(b) * 2 * latent;
    T kl_b = 0;
    for (int j0 = 0; j0 < latent; j0 += kBlock) {
      const int m = std::min(kBlock, latent - j0);
      T lv[kBlock], hs[kBlock], var[kBlock];
      latent_block(lv, hs, var, mu + latent + j0, m);
      for (int j = 0; j < m; ++j) kl_b += (1 + lv[j]) - mul_add(mu[j0 + j], mu[j0 + j], var[j]);
      for (int l = 0; l < samples; ++l) {
        const size_t at = (static_cast<size_t>(b) * samples + l) * latent + j0;
        for (int j = 0; j < m; ++j) z[at + j] = mul_add(hs[j] + hs[j], eps[at + j], mu[j0 + j]);  // σ = 2·(½σ), exact
      }
    }
    kl += static_cast<double>(T(-0.5) * kl_b);
  }
  return kl;
}

template <class T>
VIVAE_INLINE void reparameterise_kl_backward_impl(T* __restrict d_e, T* __restrict d_bias, const T* __restrict d_z,
                                                  const T* __restrict e, const T* __restrict eps, int latent, int n,
                                                  int samples, T kl_scale) {
  std::fill(d_bias, d_bias + 2 * latent, T(0));
  for (int b = 0; b < n; ++b) {
    const T* mu = e + static_cast<size_t>(b) * 2 * latent;
    const T* raw_lv = mu + latent;
    T* d_mu = d_e + static_cast<size_t>(b) * 2 * latent;
    T* d_lv = d_mu + latent;
    for (int j0 = 0; j0 < latent; j0 += kBlock) {
      const int m = std::min(kBlock, latent - j0);
      T lv[kBlock], hs[kBlock], var[kBlock], dm[kBlock] = {}, dl[kBlock] = {};
      latent_block(lv, hs, var, raw_lv + j0, m);
      for (int l = 0; l < samples; ++l) {
        const size_t at = (static_cast<size_t>(b) * samples + l) * latent + j0;
        for (int j = 0; j < m; ++j) dm[j] += d_z[at + j], dl[j] = mul_add(d_z[at + j] * eps[at + j], hs[j], dl[j]);
      }
      for (int j = 0; j < m; ++j) {
        d_mu[j0 + j] = mul_add(kl_scale, mu[j0 + j], dm[j]);
        // Forward clamped log σ²: no gradient flows where the raw output was outside the range.
        const bool inside = std::fabs(raw_lv[j0 + j]) < T(kLogVarLimit);
        d_lv[j0 + j] = inside ? mul_add(kl_scale * T(0.5), var[j] - 1, dl[j]) : T(0);
      }
    }
    for (int j = 0; j < 2 * latent; ++j) d_bias[j] += d_mu[j];
  }
}

template <class T>
VIVAE_INLINE void tanh_backward_impl(T* __restrict d, T* __restrict d_bias, const T* __restrict h, int rows, int cols) {
  std::fill(d_bias, d_bias + rows, T(0));
  for (int c = 0; c < cols; ++c) {
    T* dc = d + static_cast<size_t>(c) * rows;
    const T* hc = h + static_cast<size_t>(c) * rows;
    for (int r = 0; r < rows; ++r) {
      dc[r] *= mul_add(-hc[r], hc[r], T(1));
      d_bias[r] += dc[r];
    }
  }
}

template <class T>
VIVAE_INLINE bool all_finite_impl(const T* g, size_t n) {
  int bad = 0;
  for (size_t i = 0; i < n; ++i) bad |= !(g[i] - g[i] == 0);  // NaN for ±∞ and NaN
  return bad == 0;
}

// The update from gk = g + other (other given) or g; g itself is not written. Returns whether
// every gk is finite.
template <class T>
VIVAE_INLINE bool adam_impl(T* __restrict p, T* __restrict m, T* __restrict v, const T* __restrict g,
                            const T* __restrict other, size_t n, T alpha, T b1, T b2, T eps) {
  int bad = 0;
  for (size_t k = 0; k < n; ++k) {
    const T gk = other ? g[k] + other[k] : g[k];
    bad |= !(gk - gk == 0);
    m[k] = mul_add(b1, m[k], (1 - b1) * gk);
    v[k] = mul_add(b2, v[k], (1 - b2) * gk * gk);
    p[k] -= divide(alpha * m[k], std::sqrt(v[k]) + eps);  // the divider does the square root
  }
  return bad == 0;
}

template <class T>
VIVAE_INLINE bool adagrad_impl(T* __restrict p, T* __restrict v, const T* __restrict g, const T* __restrict other,
                               size_t n, T lr, T eps) {
  int bad = 0;
  for (size_t k = 0; k < n; ++k) {
    const T gk = other ? g[k] + other[k] : g[k];
    bad |= !(gk - gk == 0);
    v[k] = mul_add(gk, gk, v[k]);
    p[k] -= lr * (gk / (std::sqrt(v[k]) + eps));
  }
  return bad == 0;
}
}  // namespace

VIVAE_CLONES void tanh_bias(float* h, const float* b, int rows, int cols) { tanh_bias_impl(h, b, rows, cols); }
void tanh_bias(double* h, const double* b, int rows, int cols) { tanh_bias_impl(h, b, rows, cols); }

VIVAE_CLONES void tanh_backward(float* d, float* d_bias, const float* h, int rows, int cols) {
  tanh_backward_impl(d, d_bias, h, rows, cols);
}
void tanh_backward(double* d, double* d_bias, const double* h, int rows, int cols) {
  tanh_backward_impl(d, d_bias, h, rows, cols);
}

// The float Bernoulli kernels in one version per instruction set, each with the vector type
// that set compares in one register (a 64-byte vector's comparisons run lane by lane in
// scalars on AVX2): the same 16 lanes and operations in every version, so the same bits.
// The compiler dispatches calls made in this file; the public functions below are those calls.
// (A named namespace: clang takes versions in an anonymous one for unused functions.)
namespace kernels_detail {
#if defined(VIVAE_NO_FMA)
#define VIVAE_PLAIN
#else
#define VIVAE_PLAIN __attribute__((target("default")))
#endif
#if !defined(VIVAE_NO_AVX512)
VIVAE_V4 double bernoulli_float(float* d_a, float* d_bias, const float* raw, const float* bias, const float* x, int rows,
                                int cols, int samples, float scale) {
  return bernoulli_impl<f32x16>(d_a, d_bias, raw, bias, x, rows, cols, samples, scale);
}
VIVAE_V4 void columns_float(double* ll, const float* raw, const float* bias, const float* x, int rows, int cols) {
  columns_impl<f32x16>(ll, raw, bias, x, rows, cols);
}
#endif
#if !defined(VIVAE_NO_FMA)
VIVAE_V3 double bernoulli_float(float* d_a, float* d_bias, const float* raw, const float* bias, const float* x, int rows,
                                int cols, int samples, float scale) {
  return bernoulli_impl<f32x8>(d_a, d_bias, raw, bias, x, rows, cols, samples, scale);
}
VIVAE_V3 void columns_float(double* ll, const float* raw, const float* bias, const float* x, int rows, int cols) {
  columns_impl<f32x8>(ll, raw, bias, x, rows, cols);
}
#endif
VIVAE_PLAIN double bernoulli_float(float* d_a, float* d_bias, const float* raw, const float* bias, const float* x,
                                   int rows, int cols, int samples, float scale) {
  return bernoulli_impl<f32x4>(d_a, d_bias, raw, bias, x, rows, cols, samples, scale);
}
VIVAE_PLAIN void columns_float(double* ll, const float* raw, const float* bias, const float* x, int rows, int cols) {
  columns_impl<f32x4>(ll, raw, bias, x, rows, cols);
}
#undef VIVAE_PLAIN
}  // namespace kernels_detail

double bernoulli(float* d_a, float* d_bias, const float* raw, const float* bias, const float* x, int rows, int cols,
                 int samples, float scale) {
  return kernels_detail::bernoulli_float(d_a, d_bias, raw, bias, x, rows, cols, samples, scale);
}
double bernoulli_in_parts(int width, float* d_a, float* d_bias, const float* raw, const float* bias, const float* x,
                          int rows, int cols, int samples, float scale) {
  if (width == 16) return bernoulli_impl<f32x16>(d_a, d_bias, raw, bias, x, rows, cols, samples, scale);
  if (width == 8) return bernoulli_impl<f32x8>(d_a, d_bias, raw, bias, x, rows, cols, samples, scale);
  return bernoulli_impl<f32x4>(d_a, d_bias, raw, bias, x, rows, cols, samples, scale);
}
double bernoulli(double* d_a, double* d_bias, const double* raw, const double* bias, const double* x, int rows, int cols,
                 int samples, double scale) {
  return bernoulli_impl<f64x8>(d_a, d_bias, raw, bias, x, rows, cols, samples, scale);
}
void bernoulli_columns(double* ll, const float* raw, const float* bias, const float* x, int rows, int cols) {
  kernels_detail::columns_float(ll, raw, bias, x, rows, cols);
}
void bernoulli_columns(double* ll, const double* raw, const double* bias, const double* x, int rows, int cols) {
  columns_impl<f64x8>(ll, raw, bias, x, rows, cols);
}

VIVAE_CLONES void bernoulli_samples(double* ll, const float* raw_t, const float* bias, const float* x, int rows, int cols) {
  samples_impl(ll, raw_t, bias, x, rows, cols);
}
void bernoulli_samples(double* ll, const double* raw_t, const double* bias, const double* x, int rows, int cols) {
  samples_impl(ll, raw_t, bias, x, rows, cols);
}

VIVAE_CLONES double reparameterise_kl(float* z, const float* e, const float* eps, int latent, int n, int samples) {
  return reparameterise_kl_impl(z, e, eps, latent, n, samples);
}
double reparameterise_kl(double* z, const double* e, const double* eps, int latent, int n, int samples) {
  return reparameterise_kl_impl(z, e, eps, latent, n, samples);
}
VIVAE_CLONES void reparameterise_kl_backward(float* d_e, float* d_bias, const float* d_z, const float* e,
                                             const float* eps, int latent, int n, int samples, float kl_scale) {
  reparameterise_kl_backward_impl(d_e, d_bias, d_z, e, eps, latent, n, samples, kl_scale);
}
void reparameterise_kl_backward(double* d_e, double* d_bias, const double* d_z, const double* e, const double* eps,
                                int latent, int n, int samples, double kl_scale) {
  reparameterise_kl_backward_impl(d_e, d_bias, d_z, e, eps, latent, n, samples, kl_scale);
}

VIVAE_CLONES bool add_into(float* g, const float* other, size_t n) {
  int bad = 0;
  for (size_t i = 0; i < n; ++i) g[i] += other[i], bad |= !(g[i] - g[i] == 0);
  return bad == 0;
}
bool add_into(double* g, const double* other, size_t n) {
  int bad = 0;
  for (size_t i = 0; i < n; ++i) g[i] += other[i], bad |= !(g[i] - g[i] == 0);
  return bad == 0;
}

VIVAE_CLONES bool all_finite(const float* g, size_t n) { return all_finite_impl(g, n); }
bool all_finite(const double* g, size_t n) { return all_finite_impl(g, n); }

// Two instances each: the loop without `other` has no test in it.
VIVAE_CLONES bool adam_update(float* p, float* m, float* v, const float* g, const float* other, size_t n, float alpha,
                              float b1, float b2, float eps) {
  return other ? adam_impl(p, m, v, g, other, n, alpha, b1, b2, eps)
               : adam_impl(p, m, v, g, static_cast<const float*>(nullptr), n, alpha, b1, b2, eps);
}
bool adam_update(double* p, double* m, double* v, const double* g, const double* other, size_t n, double alpha, double b1,
                 double b2, double eps) {
  return adam_impl(p, m, v, g, other, n, alpha, b1, b2, eps);
}
VIVAE_CLONES bool adagrad_update(float* p, float* v, const float* g, const float* other, size_t n, float lr, float eps) {
  return other ? adagrad_impl(p, v, g, other, n, lr, eps)
               : adagrad_impl(p, v, g, static_cast<const float*>(nullptr), n, lr, eps);
}
bool adagrad_update(double* p, double* v, const double* g, const double* other, size_t n, double lr, double eps) {
  return adagrad_impl(p, v, g, other, n, lr, eps);
}

}  // namespace vivae
