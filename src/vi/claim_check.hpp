// Judging claims (vi/claims.hpp) against exact enumeration, at every N and beta asked for.
//
// The exact side, for each (N, beta): log Z, Z and E_p[Phi] by enumerating the 2^N states
// (vi/exact.hpp); the minimum of KL(q||p) over Q2 and Q1 as the least enumerated KL of two
// candidates, the numeric optimum (vi/mean_field.hpp, which knows no closed form) and the
// closed form or fixed point (vi/closed_form.hpp), so a minimiser is always a q actually
// evaluated; max F = log Z - min KL.
//
// The comparison rule at one point:
//   value claims   |claimed - exact| <= tol * max(1, |exact|)                     (a formula)
//                  or <= hand_tol * |exact|  when the claim has a decimal number   (0.5596)
//   theta claims   every theta_i in [0, 1], and the q they define attains the minimum:
//                  KL(q||p) <= min KL + tol * max(1, min KL); a claim with a decimal number
//                  also holds when each theta_i (sorted) is within hand_tol * theta*_i of a
//                  minimiser's (a KL misses a rounded theta only to second order).
// A claim holds when it holds at every point where its condition does, and at one at least.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "vi/claims.hpp"

namespace vivae {

struct ClaimTolerance {
  double exact = 1e-9;  // formulas: the enumeration's sums are accurate far below this
  double hand = 1e-3;   // hand-typed numbers: 4 significant digits, rounded or truncated
};

struct ClaimPoint {
  int n = 0;
  double beta = 0;
  std::vector<double> claimed, exact;  // one value, or theta_1..theta_N (Q2: N equal values)
  double error = 0;                    // claimed - exact; theta claims: KL(q) - min KL
  double claimed_kl = 0, min_kl = 0;   // theta claims only
  bool holds = false;
  std::string why;                     // the comparison in words
};

struct ClaimVerdict {
  const Claim* claim = nullptr;
  int checked = 0, held = 0;
  std::vector<ClaimPoint> points;      // every point checked, in (N, beta) order
  int first_failure = -1;              // index into points, or -1
  bool holds() const { return checked > 0 && first_failure < 0; }
};

struct ClaimCheckConfig {
  std::vector<int> n_values;           // checked in increasing order
  std::vector<double> betas;           // checked in increasing order, inf last
  ClaimTolerance tol;
  uint64_t seed = 546;                 // Q1 starts of the numeric minimum
  int q1_starts = 8;
  int threads = 1;
  std::function<void(size_t, size_t)> progress;  // (points done, total), one thread at a time
};

std::vector<ClaimVerdict> check_claims(const std::vector<Claim>& claims, const ClaimCheckConfig& cfg);

// Where a claim was written: "FILE:LINE", or "--claim K".
std::string claim_place(const Claim& c);
// The verdict in one line: "holds at 14 points" or "fails at N = 1, beta = inf: <why>".
std::string verdict_line(const ClaimVerdict& v);

}  // namespace vivae
