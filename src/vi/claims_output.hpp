// The files vi_verify --claims writes, and the reader of claims.json (for grading):
//   claims.csv   one row per claim × N × beta checked:
//                claim,line,quantity,n,beta,claimed,exact,error,claimed_kl,min_kl,verdict
//                (claim: its number in order; θ lists space-separated; claimed_kl, min_kl
//                only for theta claims)
//   claims.json  {"claims": [{"claim": TEXT, "source", "line", "quantity", "holds", "checked",
//                 "held", "first_failure": null | {"n", "beta", "claimed", "exact", "why"}}, …],
//                 "all_hold", "n", "beta", "tol", "claim_tol"}
//                claimed and exact are numbers (Q1.theta: arrays of θ_1 … θ_N).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "vi/claim_check.hpp"

namespace vivae {

std::string claims_csv(const std::vector<ClaimVerdict>& verdicts);

struct ClaimFailure {
  int n = 0;
  double beta = 0;
  std::vector<double> claimed, exact;
  std::string why;
};
// One entry of claims.json.
struct ClaimRecord {
  std::string claim, source, quantity;
  int line = 0, checked = 0, held = 0;
  bool holds = false;
  std::optional<ClaimFailure> first_failure;
};
ClaimRecord claim_record(const ClaimVerdict& v);

std::string claims_json(const std::vector<ClaimRecord>& records, const ClaimCheckConfig& cfg);
// Throws DataError naming `name` when the text is not a claims.json.
std::vector<ClaimRecord> parse_claims_json(const std::string& text, const std::string& name);

}  // namespace vivae
