// Running the two checks on one submission, each as its own process with the rubric's time
// limit (common/process.hpp): vi_verify --claims on the claims file, vae_eval on the model. A
// missing, unreadable or hostile file, a check that fails, crashes or runs too long, all become
// an outcome with its reason: never an exception, never a stop of the grading. Only a broken
// setup (a program missing, no reference runs) throws.
#pragma once
#include <string>

#include "grade/rubric.hpp"
#include "grade/score.hpp"

namespace vivae {

struct GradeSetup {
  Rubric rubric;
  std::string rubric_text;           // for the key
  std::string bin = "build";         // vi_verify and vae_eval
  std::string data_dir = "data/mnist", reference = "results";
  int threads = 1;
};

// A file of the submission as the rubric names it: "" when absent; problem set when it is not
// a regular file (a folder, a link, a device) or larger than the rubric allows.
struct SubmissionFile {
  std::string path, problem;
  bool present() const { return !path.empty() || !problem.empty(); }
};
SubmissionFile submission_file(const std::string& dir, const std::string& name, double max_mb);

ClaimsOutcome run_claims_check(const GradeSetup& s, const std::string& submission, const std::string& work);
ModelOutcome run_model_check(const GradeSetup& s, const std::string& submission, const std::string& work);

// A digest of everything a grade depends on: the submission's graded files, the rubric, the
// programs and the reference runs. The same key means the grade on disk is still right.
std::string grade_key(const GradeSetup& s, const std::string& submission, const std::string& grader_program,
                      const ReferenceBand& reference);

}  // namespace vivae
