// The claims format: a student's own Problem 1 answers, one a line, checked by vi_verify
// --claims (vi/claim_check.hpp). A line is
//     QUANTITY = EXPRESSION [if CONDITION]        # a comment
// EXPRESSION is a formula in N, beta and (Q1.theta only) i = 1 … N; CONDITION a formula in N
// and beta, true where non-zero. Both are muParser expressions (^, ?:, ==, &&, …) with `log`
// natural, `sigmoid`, `log1p`, `expm1` and the constants inf, pi, e. Blank lines and lines that
// are only a comment are skipped.
//
// Parsing compiles every formula and evaluates it once, so an unknown quantity, an unknown
// name or a syntax error is reported before anything is checked: ClaimError, naming the
// source, the line and the column.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "common/errors.hpp"

namespace vivae {

enum class Quantity { log_z, z, mean_phi, q2_kl, q1_kl, q2_free_energy, q1_free_energy, q2_theta, q1_theta };

// "log_z", "Z", "mean_phi", "Q2.kl", "Q1.kl", "Q2.F", "Q1.F", "Q2.theta", "Q1.theta".
std::string quantity_name(Quantity q);
// One line per quantity, for --help: name, what it is, when a claim of it holds.
std::string quantity_help();
inline bool is_theta(Quantity q) { return q == Quantity::q2_theta || q == Quantity::q1_theta; }
inline bool is_q1(Quantity q) { return q == Quantity::q1_kl || q == Quantity::q1_free_energy || q == Quantity::q1_theta; }

// A claim that cannot be read (exit 2): "SOURCE:LINE:COLUMN: what is wrong".
struct ClaimError : UsageError {
  using UsageError::UsageError;
};

class Formula;  // a compiled muParser expression and its variables (claims.cpp)

struct Claim {
  std::string text;        // the claim as written, without its comment
  std::string source;      // the file name, or "--claim K"
  int line = 0;            // in the source, from 1 (0: a claim given alone)
  Quantity quantity = Quantity::log_z;
  std::string expression;  // right of '=' (without the condition)
  std::string condition;   // after 'if'; empty: every point
  // The expression has a number with a decimal point or exponent (0.5596, 1e-3): it was
  // (maybe) rounded by hand and is judged at the hand tolerance (claim_check.hpp).
  bool hand_number = false;
  std::shared_ptr<const Formula> value, when;

  // The expression at (N, beta, i); NaN when it is not a number there.
  double evaluate(int n, double beta, int i = 1) const;
  // Whether the condition holds at (N, beta) (always, without one).
  bool applies(int n, double beta) const;
};

// Every claim of a claims file's text, in order. Throws ClaimError for the first unreadable
// line, and when there is no claim at all.
std::vector<Claim> parse_claims(const std::string& text, const std::string& source);
// One claim: a line of a file, or (line 0) one given alone, as --claim on the command line.
Claim parse_claim(const std::string& line_text, const std::string& source, int line);

// A claims file holding `claims`, one a line (what parse_claims reads back).
std::string claims_text(const std::vector<std::string>& claims);

}  // namespace vivae
