// A consumer of vivae::vi: log Z and a KL by exact enumeration, against their closed forms
// (Problem 1 at beta = inf: log Z = log(2^N - 1); the Q1 minimiser's KL = log(2 - 2^(1-N))).
#include <cmath>
#include <cstdio>

#include "vi/closed_form.hpp"
#include "vi/exact.hpp"

int main() {
  int bad = 0;
  for (int n = 1; n <= 12; ++n) {
    const vivae::Energy e = vivae::product_energy(n);
    const double lz = vivae::log_z(e, INFINITY);
    const double kl = vivae::q_stats(e, INFINITY, lz, vivae::theta_q1_inf(n)).kl;
    bad += std::fabs(lz - std::log(std::pow(2.0, n) - 1)) > 1e-12 || std::fabs(kl - std::log(2 - std::pow(2.0, 1 - n))) > 1e-12;
  }
  std::printf("log_z_kl: N = 1..12, log Z and KL(q1*||p) %s their closed forms\n", bad ? "DIFFER from" : "equal");
  return bad ? 1 : 0;
}
