#include "grade/checks.hpp"

#include <sys/stat.h>

#include <cmath>
#include <cstdio>

#include "common/binary.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "common/format.hpp"
#include "common/parse.hpp"
#include "common/process.hpp"

namespace vivae {

namespace {

std::string fmt_seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

// The first line of a program's complaint, with the submission's paths as the student named them.
std::string first_line(const std::string& s, const std::string& submission = "") {
  std::string line = s.substr(0, s.find('\n'));
  const std::string prefix = submission.empty() ? "" : join_path(submission, "");
  for (size_t at; !prefix.empty() && (at = line.find(prefix)) != std::string::npos;) line.erase(at, prefix.size());
  return line.empty() ? "(no message)" : line;
}

std::string program(const GradeSetup& s, const std::string& name) {
  const std::string path = join_path(s.bin, name);
  if (!file_exists(path)) throw UsageError("the grader needs '" + path + "' (make build)");
  return path;
}

// Why a finished check did not give its verdict, or "" when it did.
std::string failure_of(const ProcessResult& r, const std::string& name, const std::string& file, double limit,
                       const std::string& submission) {
  if (r.timed_out) return name + " ran over the time limit of " + fmt_seconds(limit) + " s on " + file;
  if (r.signal) return name + " crashed (signal " + std::to_string(r.signal) + ") on " + file;
  if (r.exit_code == 2) return first_line(r.err, submission);
  if (r.exit_code == 127) return name + " could not be run";
  return "";
}

}  // namespace

SubmissionFile submission_file(const std::string& dir, const std::string& name, double max_mb) {
  SubmissionFile f;
  const std::string path = join_path(dir, name);
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) return f;
  if (S_ISLNK(st.st_mode)) f.problem = name + " is a symbolic link, not a file";
  else if (S_ISDIR(st.st_mode)) f.problem = name + " is a folder, not a file";
  else if (!S_ISREG(st.st_mode)) f.problem = name + " is not a regular file";
  else if (static_cast<double>(st.st_size) > max_mb * 1048576.0)
    f.problem = name + " is " + std::to_string(st.st_size) + " bytes, over the limit of " + fmt_seconds(max_mb) + " MB";
  else f.path = path;
  return f;
}

ClaimsOutcome run_claims_check(const GradeSetup& s, const std::string& submission, const std::string& work) {
  const Rubric& r = s.rubric;
  ClaimsOutcome c;
  c.grid = "N = " + r.claims_n + ", beta = " + r.claims_beta;
  c.grid_points = static_cast<int>(parse_int_list("claims.n", r.claims_n, 1, 30).size() *
                                   parse_beta_list("claims.beta", r.claims_beta).size());
  const SubmissionFile f = submission_file(submission, r.claims_file, r.max_file_mb);
  c.present = f.present();
  if (!f.problem.empty()) c.problem = f.problem;
  if (f.path.empty()) return c;
  const std::string out = join_path(work, "claims");
  const ProcessResult p = run_process({program(s, "vi_verify"), "--claims", f.path, "--n", r.claims_n, "--beta", r.claims_beta,
                                       "--out", out, "--threads", std::to_string(s.threads), "--quiet"},
                                      r.claims_time_limit_s);
  c.problem = failure_of(p, "vi_verify", r.claims_file, r.claims_time_limit_s, submission);
  if (!c.problem.empty()) return c;
  if (p.exit_code != 0 && p.exit_code != 1) {
    c.problem = "vi_verify stopped (exit " + std::to_string(p.exit_code) + ") on " + r.claims_file + ": " + first_line(p.err, submission);
    return c;
  }
  try {
    const std::string json = join_path(out, "claims.json");
    c.records = parse_claims_json(read_file(json), json);
  } catch (const DataError& e) {
    c.problem = std::string("vi_verify wrote no readable claims.json: ") + e.what();
  }
  return c;
}

ModelOutcome run_model_check(const GradeSetup& s, const std::string& submission, const std::string& work) {
  const Rubric& r = s.rubric;
  ModelOutcome m;
  SubmissionFile f;
  for (const std::string& name : r.model_files) {
    const SubmissionFile g = submission_file(submission, name, r.max_file_mb);
    if (!g.present()) continue;
    if (f.present()) {
      m.notes.push_back("the submission has more than one model file; " + (f.path.empty() ? f.problem : f.path) + " was graded");
      break;
    }
    f = g;
    m.file = name;
  }
  if (!f.problem.empty()) m.problem = f.problem;
  if (f.path.empty()) return m;
  std::vector<std::string> args = {program(s, "vae_eval"), "--weights", f.path, "--out", join_path(work, "eval"),
                                   "--data-dir", s.data_dir, "--reference", s.reference,
                                   "--per-digit", std::to_string(r.per_digit), "--heldout", std::to_string(r.heldout),
                                   "--iwae-k", std::to_string(r.iwae_k), "--seed", std::to_string(r.seed),
                                   "--train-eval", "0", "--threads", std::to_string(s.threads), "--quiet"};
  const SubmissionFile scale = submission_file(submission, r.scale_file, r.max_file_mb);
  if (!scale.problem.empty()) m.notes.push_back(scale.problem + "; the model was read as logvar");
  if (!scale.path.empty()) {
    std::string word = read_file(scale.path);
    const size_t a = word.find_first_not_of(" \t\r\n"), b = word.find_last_not_of(" \t\r\n");
    word = a == std::string::npos ? "" : word.substr(a, b - a + 1);
    args.insert(args.end(), {"--scale", word});
  }
  const SubmissionFile curve = submission_file(submission, r.curve_file, r.max_file_mb);
  if (!curve.problem.empty()) m.notes.push_back(curve.problem + "; not drawn");
  std::vector<std::string> with_curve = args;
  if (!curve.path.empty()) with_curve.insert(with_curve.end(), {"--curve", curve.path});
  ProcessResult p = run_process(with_curve, r.model_time_limit_s);
  if (!curve.path.empty() && p.exit_code == 2 && p.err.find("--curve") != std::string::npos) {
    m.notes.push_back(r.curve_file + " was not drawn: " + first_line(p.err, submission));
    p = run_process(args, r.model_time_limit_s);
  }
  m.problem = failure_of(p, "vae_eval", m.file, r.model_time_limit_s, submission);
  if (m.problem.empty() && p.exit_code != 0)
    m.problem = "vae_eval stopped (exit " + std::to_string(p.exit_code) + ") on " + m.file + ": " + first_line(p.err, submission);
  if (!m.problem.empty()) return m;
  try {
    const std::string json = join_path(join_path(work, "eval"), "summary.json");
    m.summary = parse_summary(read_file(json), json);
    if (m.summary->weights)
      for (const std::string& n : m.summary->weights->notes) m.notes.push_back(n);
  } catch (const DataError& e) {
    m.problem = std::string("vae_eval wrote no readable summary.json: ") + e.what();
  }
  return m;
}

std::string grade_key(const GradeSetup& s, const std::string& submission, const std::string& grader_program,
                      const ReferenceBand& reference) {
  uint64_t h = fnv1a(s.rubric_text.data(), s.rubric_text.size());
  auto add = [&](const std::string& label, const std::string& bytes) {
    h = fnv1a(label.data(), label.size(), h);
    h = fnv1a(bytes.data(), bytes.size(), h);
  };
  for (const std::string& p : {join_path(s.bin, "vi_verify"), join_path(s.bin, "vae_eval"), grader_program})
    add(p, file_exists(p) ? read_file(p) : "");
  for (const RunSummary& run : reference.runs)
    add("reference", run.run + " " + fmt(run.heldout.elbo) + " " + fmt(run.heldout.iwae));
  std::vector<std::string> names = s.rubric.model_files;
  names.push_back(s.rubric.claims_file);
  names.push_back(s.rubric.scale_file);
  names.push_back(s.rubric.curve_file);
  for (const std::string& n : names) {
    const SubmissionFile f = submission_file(submission, n, s.rubric.max_file_mb);
    add(n, !f.path.empty() ? read_file(f.path) : f.problem);
  }
  add("data", s.data_dir);
  return std::to_string(h);
}

}  // namespace vivae
