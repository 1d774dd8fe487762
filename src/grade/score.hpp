// A submission's grade from what its checks found: the rubric's items scored, each with the
// reason a student reads (what held, or why points were lost, in the checks' own words), and
// the files it goes to:
//   grade.json     {"submission", "key", "total", "max", "items": [{"id", "name", "points", "max",
//                   "graded_by", "reason"}], "notes": [...]}   (key: digest of what was graded)
//   grades.csv     one row per submission: its points per item, total, max, the reasons
//   results.json   Gradescope's schema: {"score", "output", "tests": [{"name", "score",
//                   "max_score", "status", "output", "visibility"}], "visibility", "stdout_visibility"}
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "grade/rubric.hpp"
#include "report/eval_report.hpp"
#include "vae/summary.hpp"
#include "vi/claims_output.hpp"

namespace vivae {

struct ClaimsOutcome {
  bool present = false;      // the claims file is in the submission
  std::string problem;       // why the claims were not judged (unreadable, time limit, crash)
  std::vector<ClaimRecord> records;
  int grid_points = 0;       // the (N, beta) points of the rubric's grid
  std::string grid;          // "N = 1:14, beta = inf"
};

struct ModelOutcome {
  std::string file;          // the model graded; "" when the submission has none
  std::string problem;       // why it was not evaluated
  std::optional<RunSummary> summary;
  std::vector<std::string> notes;
};

struct ItemScore {
  RubricItem item;
  double points = 0;
  std::string reason;
};

struct GradeRecord {
  std::string submission, key;
  double total = 0, max = 0;  // over the autograder's items
  std::vector<ItemScore> items;
  std::vector<std::string> notes;
};

GradeRecord grade_submission(const Rubric& rubric, const ClaimsOutcome& claims, const ModelOutcome& model,
                             const ReferenceBand& reference);

std::string grade_json(const GradeRecord& g);
GradeRecord parse_grade_json(const std::string& text, const std::string& name);
std::string grades_csv(const Rubric& rubric, const std::vector<GradeRecord>& grades);
std::string gradescope_json(const GradeRecord& g);

}  // namespace vivae
