// The identity checks of Problem 1, each against an independent computation:
//   (2) KL(q‖p) summed directly = β E_q[Φ] + E_q[log q] + log Z, for random product q;
//   (3) F(q) ≤ log Z for the same q, and F(p) = log Z (p itself is the maximiser);
//   (4) E_p[Φ] = −∂ log Z/∂β, by central finite differences over a range of steps h.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "vi/energy.hpp"
#include "vi/exact.hpp"

namespace vivae {

struct CheckRow {
  std::string check;   // identity_2, bound_3, equality_3, fd_4 (one per h), fd_4_best
  std::string energy;  // product, ising
  int n = 0;
  double beta = 0;
  double h = 0;        // finite-difference step (fd_4 rows), else 0
  double lhs = 0, rhs = 0, abs_err = 0;
  double tol = 0;
  bool counted = true;  // false for the fd_4 curve rows: the check is fd_4_best
  bool pass = true;
};

// |a − b| with equal infinities counted as agreement (never NaN).
double abs_diff(double a, double b);

// `p` is p_stats(e, beta): log Z and the moments of p, computed once by the caller.
std::vector<CheckRow> check_identity_2_and_3(const Energy& e, double beta, const PStats& p, uint64_t seed,
                                             int random_q, double tol);
// Step sizes 10^-1 … 10^-10; finite β only.
std::vector<double> fd_steps();
std::vector<CheckRow> check_identity_4(const Energy& e, double beta, const PStats& p, double tol_fd);

}  // namespace vivae
