#include "common/fastmath.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace vivae {

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

VIVAE_CLONES double max_of(const double* x, size_t n) {
  constexpr int L = kLanes<double>;
  double acc[L];
  for (double& a : acc) a = -std::numeric_limits<double>::infinity();
  size_t i = 0;
  for (; i + L <= n; i += L)
    for (int j = 0; j < L; ++j) acc[j] = x[i + j] > acc[j] ? x[i + j] : acc[j];
  for (int j = 0; i + j < n; ++j) acc[j] = x[i + j] > acc[j] ? x[i + j] : acc[j];
  return *std::max_element(acc, acc + L);
}

VIVAE_CLONES double sum_exp_shifted(const double* x, size_t n, double shift) {
  // Exponentials into a small buffer first: a loop of exp_poly alone vectorises, one that also
  // carries the lane sums does not.
  constexpr int L = kLanes<double>;
  constexpr size_t kBlock = 256;
  double acc[L] = {}, e[kBlock];
  for (size_t first = 0; first < n; first += kBlock) {
    const size_t m = std::min(kBlock, n - first);
    for (size_t i = 0; i < m; ++i) e[i] = exp_poly_nonpositive(x[first + i] - shift);  // shift ≥ max
    size_t i = 0;
    for (; i + L <= m; i += L)
      for (int j = 0; j < L; ++j) acc[j] += e[i + j];
    for (int j = 0; i + j < m; ++j) acc[j] += e[i + j];
  }
  return lane_total(acc);
}

double log_mean_exp(const double* x, size_t n) {
  const double m = max_of(x, n);
  if (!std::isfinite(m)) return m;
  return m + std::log(sum_exp_shifted(x, n, m) / static_cast<double>(n));
}

namespace {
// For x ≤ 0 (values less their group's maximum).
VIVAE_CLONES void exp_in_place(double* x, size_t n) {
  for (size_t i = 0; i < n; ++i) x[i] = exp_poly_nonpositive(x[i]);
}
// out[q] = m[q] + log(s[q]/j) where m[q] is finite, else m[q] (an all −∞ group).
VIVAE_CLONES void group_values(double* out, const double* m, const double* s, size_t groups, double j) {
  for (size_t q = 0; q < groups; ++q) {
    const double v = m[q] + log_poly(s[q] / j);
    out[q] = m[q] - m[q] == 0 ? v : m[q];
  }
}
}  // namespace

double mean_group_log_mean_exp(const double* x, size_t n, size_t j) {
  const size_t groups = n / j;
  if (groups == 0) return NAN;
  double total = 0;
  if (j == 1) {  // log_mean_exp of one value is the value
    for (size_t q = 0; q < groups; ++q) total += x[q];
    return total / static_cast<double>(groups);
  }
  std::vector<double> e(groups * j), m(groups, -std::numeric_limits<double>::infinity()), s(groups, 0.0), v(groups);
  for (size_t q = 0; q < groups; ++q)
    for (size_t i = 0; i < j; ++i) m[q] = x[q * j + i] > m[q] ? x[q * j + i] : m[q];
  for (size_t q = 0; q < groups; ++q)
    for (size_t i = 0; i < j; ++i) e[q * j + i] = x[q * j + i] - m[q];  // −∞ − (−∞) = NaN only in all −∞ groups
  exp_in_place(e.data(), e.size());
  for (size_t q = 0; q < groups; ++q)
    for (size_t i = 0; i < j; ++i) s[q] += e[q * j + i];
  group_values(v.data(), m.data(), s.data(), groups, static_cast<double>(j));
  for (double value : v) total += value;
  return total / static_cast<double>(groups);
}

VIVAE_CLONES void box_muller_pairs(double* out, const double* u1, const double* u2, size_t pairs) {
  for (size_t i = 0; i < pairs; ++i) {
    const double r = std::sqrt(-2.0 * log_poly(u1[i]));
    double c, s;
    sincos_2pi(u2[i], c, s);
    out[2 * i] = r * c;
    out[2 * i + 1] = r * s;
  }
}

}  // namespace vivae
