// Rendering of the Problem 1 results into the files of the output contract:
//   mean_field.csv  n,beta,family,kl_numeric,kl_exact,abs_err,theta,...
//   identities.csv  check,n,beta,h,lhs,rhs,abs_err,...
//   summary.json    checks run and passed, worst error per kind of check
// plus the readable stdout table. Pure functions: strings in, strings out.
#pragma once
#include <string>
#include <vector>

#include "vi/sweep.hpp"

namespace vivae {

struct CheckTally {
  int checks = 0;
  int passed = 0;
  std::vector<std::string> failures;  // one line each
};
CheckTally tally(const SweepResult& r);

std::string mean_field_csv(const SweepResult& r);
std::string identities_csv(const SweepResult& r);
std::string vi_summary_json(const SweepResult& r, const SweepConfig& cfg, const std::string& command);
std::string vi_table(const SweepResult& r);

// Whether `dir` holds an earlier vi_verify run (its summary.json or claims.json).
bool holds_vi_run(const std::string& dir);

}  // namespace vivae
