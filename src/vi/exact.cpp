#include "vi/exact.hpp"

#include <cmath>
#include <limits>

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

void fill_log_weights(double beta, const double* phi, size_t n, double* out) {
  for (size_t i = 0; i < n; ++i) out[i] = neg_beta_phi(beta, phi[i]);
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
    double m = kNegInf;
    for (double x : lw) m = std::max(m, x);
    if (m == kNegInf) return;
    double s = 0;
    for (double x : lw) s += std::exp(x - m);
    lse.add_block(m, s);
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
    double mean = 0, neg_h = 0;
    for (size_t lo = 0; lo < block; ++lo) {
      const double log_p = lw[lo] - out.log_z;
      if (log_p == kNegInf) continue;  // p = 0: 0·Φ = 0 and 0·log 0 = 0
      const double p = std::exp(log_p);
      mean += p * phi_block[lo];
      neg_h += p * log_p;
    }
    out.mean_phi += mean;
    out.neg_entropy += neg_h;
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
    const double q_high = std::exp(lq_high);
    fill_log_weights(beta, phi_block, block, lw.data());
    double kl = 0, mean = 0, neg_h = 0;
    for (size_t lo = 0; lo < block; ++lo) {
      const double lq = lq_low[lo] + lq_high;
      if (lq == kNegInf) continue;  // q = 0: contributes 0 (0·log 0 = 0)
      const double log_p = lw[lo] - log_z_value;
      if (log_p == kNegInf) {  // q > 0 where p = 0
        infinite = true;
        return;
      }
      const double q = q_low[lo] * q_high;
      kl += q * (lq - log_p);
      mean += q * phi_block[lo];
      neg_h += q * lq;
    }
    out.kl += kl;
    out.mean_phi += mean;
    out.neg_entropy += neg_h;
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
