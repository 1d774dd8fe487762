#include "vi/exact.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/fastmath.hpp"
#include "vi/enumerate.hpp"

namespace vivae {

namespace {
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Running log-sum-exp: log Σ exp(x), merged one block at a time.
struct LogSumExp {
  double max = kNegInf;
  double sum = 0;  // Σ exp(x − max)
  void add_block(double block_max, double block_sum) {
    if (block_max == kNegInf) return;
    if (block_max > max) {
      sum = sum * std::exp(max - block_max) + block_sum;
      max = block_max;
    } else {
      sum += block_sum * std::exp(block_max - max);
    }
  }
  double value() const { return max == kNegInf ? kNegInf : max + std::log(sum); }
};

// Per-state work runs in chunks of kChunk states: each term goes into a small buffer in a
// loop the compiler vectorises, and is then added into kLanes partial sums (a fixed order,
// whatever the vector width: see common/fastmath.hpp).
constexpr size_t kChunk = 256;
constexpr int kL = kLanes<double>;

VIVAE_CLONES void fill_log_weights(double beta, const double* phi, size_t n, double* out) {
  for (size_t i = 0; i < n; ++i) out[i] = neg_beta_phi(beta, phi[i]);
}

VIVAE_CLONES void add_lanes(double* acc, const double* x, size_t n) {
  size_t i = 0;
  for (; i + kL <= n; i += kL)
    for (int j = 0; j < kL; ++j) acc[j] += x[i + j];
  for (int j = 0; i + j < n; ++j) acc[j] += x[i + j];
}

// p(w) = exp(lw − log Z) of one block: adds Σ p·Φ and Σ p log p (0 where p = 0) into lanes.
VIVAE_CLONES void p_block(double* mean_acc, double* neg_h_acc, const double* lw, const double* phi, size_t n,
                          double log_z_value) {
  double mean[kChunk], neg_h[kChunk];
  for (size_t first = 0; first < n; first += kChunk) {
    const size_t m = std::min(kChunk, n - first);
    for (size_t i = 0; i < m; ++i) {
      const double log_p = lw[first + i] - log_z_value;
      const double p = exp_poly_nonpositive(log_p);  // log p ≤ 0 up to rounding
      const bool zero = log_p == kNegInf;  // 0·Φ = 0 and 0·log 0 = 0
      mean[i] = zero ? 0.0 : p * phi[first + i];
      neg_h[i] = zero ? 0.0 : p * log_p;
    }
    add_lanes(mean_acc, mean, m);
    add_lanes(neg_h_acc, neg_h, m);
  }
}

// q(w) = q_low·q_high of one block against p: adds Σ q log(q/p), Σ q·Φ and Σ q log q into
// lanes (states with q = 0 contribute 0); returns true if q > 0 on a state with p = 0.
VIVAE_CLONES bool q_block(double* kl_acc, double* mean_acc, double* neg_h_acc, const double* lq_low,
                          const double* q_low, double lq_high, double q_high, const double* lw, const double* phi,
                          size_t n, double log_z_value) {
  double kl[kChunk], mean[kChunk], neg_h[kChunk];
  int holes = 0;
  for (size_t first = 0; first < n; first += kChunk) {
    const size_t m = std::min(kChunk, n - first);
    for (size_t i = 0; i < m; ++i) {
      const double lq = lq_low[first + i] + lq_high;
      const double log_p = lw[first + i] - log_z_value;
      const double q = q_low[first + i] * q_high;
      const bool live = lq != kNegInf;
      holes |= live & (log_p == kNegInf);  // bitwise: no branch, so the loop vectorises
      kl[i] = live ? q * (lq - log_p) : 0.0;
      mean[i] = live ? q * phi[first + i] : 0.0;
      neg_h[i] = live ? q * lq : 0.0;
    }
    add_lanes(kl_acc, kl, m);
    add_lanes(mean_acc, mean, m);
    add_lanes(neg_h_acc, neg_h, m);
  }
  return holes != 0;
}

// log q for the states of one half: table[bits] = Σᵢ log(θᵢ or 1−θᵢ); −∞ where q = 0.
std::vector<double> log_q_table(const std::vector<double>& theta, int first, int count) {
  std::vector<double> t(size_t{1} << count, 0.0);
  for (size_t bits = 0; bits < t.size(); ++bits) {
    double s = 0;
    for (int i = 0; i < count; ++i) {
      const double th = theta[first + i];
      s += ((bits >> i) & 1) ? std::log(th) : std::log1p(-th);
    }
    t[bits] = s;
  }
  return t;
}
}  // namespace

double log_z(const Energy& e, double beta) {
  const size_t block = size_t{1} << low_bits(e.n);
  std::vector<double> lw(block);
  LogSumExp lse;
  for_each_block(e, [&](uint64_t, const double* phi_block) {
    fill_log_weights(beta, phi_block, block, lw.data());
    const double m = max_of(lw.data(), block);
    if (m == kNegInf) return;
    lse.add_block(m, sum_exp_shifted(lw.data(), block, m));
  });
  return lse.value();
}

PStats p_stats(const Energy& e, double beta) {
  PStats out;
  out.log_z = log_z(e, beta);
  const size_t block = size_t{1} << low_bits(e.n);
  std::vector<double> lw(block);
  for_each_block(e, [&](uint64_t, const double* phi_block) {
    fill_log_weights(beta, phi_block, block, lw.data());
    double mean[kL] = {}, neg_h[kL] = {};  // per block, then added in block order
    p_block(mean, neg_h, lw.data(), phi_block, block, out.log_z);
    out.mean_phi += lane_total(mean);
    out.neg_entropy += lane_total(neg_h);
  });
  return out;
}

QStats q_stats(const Energy& e, double beta, double log_z_value, const std::vector<double>& theta) {
  const int low = low_bits(e.n);
  const int high = e.n - low;
  const size_t block = size_t{1} << low;
  const std::vector<double> lq_low = log_q_table(theta, 0, low);
  std::vector<double> q_low(block);
  for (size_t lo = 0; lo < block; ++lo) q_low[lo] = std::exp(lq_low[lo]);
  std::vector<double> lw(block);
  QStats out;
  bool infinite = false;
  for_each_block(e, [&](uint64_t hi, const double* phi_block) {
    if (infinite) return;
    double lq_high = 0;
    for (int j = 0; j < high; ++j) {
      const double th = theta[low + j];
      lq_high += ((hi >> j) & 1) ? std::log(th) : std::log1p(-th);
    }
    if (lq_high == kNegInf) return;  // the whole block has q = 0
    fill_log_weights(beta, phi_block, block, lw.data());
    double kl[kL] = {}, mean[kL] = {}, neg_h[kL] = {};  // per block, then added in block order
    infinite = q_block(kl, mean, neg_h, lq_low.data(), q_low.data(), lq_high, std::exp(lq_high), lw.data(), phi_block,
                       block, log_z_value);
    out.kl += lane_total(kl);
    out.mean_phi += lane_total(mean);
    out.neg_entropy += lane_total(neg_h);
  });
  if (infinite) {
    out.kl = std::numeric_limits<double>::infinity();
    // E_q[Φ] and E_q[log q] stay finite; finish them with the multilinear form, exact for
    // product q, so the identity check (2) still sees both of its sides.
    out.mean_phi = expected_phi(e, theta);
    double neg_h = 0;
    for (double t : theta) {
      if (t > 0) neg_h += t * std::log(t);
      if (t < 1) neg_h += (1 - t) * std::log1p(-t);
    }
    out.neg_entropy = neg_h;
  }
  return out;
}

}  // namespace vivae
