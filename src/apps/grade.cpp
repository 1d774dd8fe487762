// grade: a course's submissions graded by the rubric (src/grade/rubric.json) with the two
// checks, vi_verify --claims and vae_eval. Three modes:
//   grade --submission DIR --out DIR [--gradescope results.json]   one submission
//   grade --jobs FILE --submissions DIR --out DIR                  the job file for GNU parallel
//   grade --collect DIR --submissions DIR --csv FILE               grades.csv from the grades
// Options in -> the checks and the scoring (src/grade/) -> files written at once -> one line.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "apps/cli.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "common/parse.hpp"
#include "grade/checks.hpp"

using namespace vivae;

namespace {

// The sub-folders of `dir`, sorted (each is one submission).
std::vector<std::string> submissions_in(const std::string& dir) {
  if (!is_directory(dir)) throw UsageError("--submissions: '" + dir + "' is not a folder");
  std::vector<std::string> names;
  for (const std::string& n : list_folder(dir))
    if (n[0] != '.' && is_directory(join_path(dir, n))) names.push_back(n);
  return names;
}

// A word for a shell command line: single-quoted.
std::string shell_word(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string self_path() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

int grade_one(const GradeSetup& setup, const std::string& submission, const std::string& out, const std::string& gradescope,
              bool force, bool quiet) {
  if (!is_directory(submission)) throw UsageError("--submission: '" + submission + "' is not a folder");
  std::string name = submission;
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  name = name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1);
  const ReferenceBand reference = read_reference(setup.reference);  // read once: for the key and the scores
  const std::string key = grade_key(setup, submission, self_path(), reference);
  const std::string record = join_path(out, "grade.json");
  GradeRecord g;
  bool reused = false;
  if (!force && file_exists(record)) {
    try {
      const GradeRecord old = parse_grade_json(read_file(record), record);
      if (old.key == key) g = old, reused = true;
    } catch (const DataError&) {
    }
  }
  if (!reused) {
    const DirLock lock =
        claim_output_folder(out, "grade", [](const std::string& d) { return file_exists(join_path(d, "grade.json")); });
    const ClaimsOutcome claims = run_claims_check(setup, submission, out);
    const ModelOutcome model = run_model_check(setup, submission, out);
    g = grade_submission(setup.rubric, claims, model, reference);
    g.submission = name;
    g.key = key;
    write_file_atomic(record, grade_json(g));
  }
  if (!gradescope.empty()) write_file_atomic(gradescope, gradescope_json(g));
  if (!quiet)
    for (const ItemScore& s : g.items)
      if (s.item.automatic()) std::printf("  %-9s %5g / %-3g %s\n", s.item.id.c_str(), s.points, s.item.points, s.reason.c_str());
  std::printf("grade: %s: %g of %g points%s (%s)\n", name.c_str(), g.total, g.max, reused ? ", already graded" : "",
              record.c_str());
  return 0;
}

int run(int argc, char** argv) {
  Cli cli("grade: grade Homework 5 submissions by the rubric with vi_verify --claims (Problem 1) and vae_eval (Problem 2).",
          "\nA submission is a folder with p1_claims.txt (claims, see vi_verify --help), vae.safetensors or vae.npz,\n"
          "and optionally vae_scale.txt (logvar, logstd or std) and valid_curve.csv (for vae_eval --curve). Missing\n"
          "or broken files cost points; they never stop the grading. Each check runs with the rubric's time limit.\n"
          "--out gets grade.json and each check's own outputs (claims/, eval/); a submission whose files, the rubric,\n"
          "the programs and the reference are unchanged since its grade.json is not graded again (--force does).\n"
          "Exit: 0 graded (--collect: every submission has its grade), 1 (--collect) a submission has none yet, 2 a bad\n"
          "option or setup (a program missing, no reference runs: make seeds train; one line naming it).\n");
  cli.option("submission", "", "grade this submission folder");
  cli.option("out", "results/grade", "output folder (one submission's, or with --jobs the parent of every submission's)");
  cli.option("gradescope", "", "also write Gradescope's results.json here");
  cli.option("jobs", "", "write the job file for every sub-folder of --submissions (one grade command a line)");
  cli.option("collect", "", "collect the grades of every sub-folder of --submissions from this folder");
  cli.option("submissions", "", "the folder of submission folders (with --jobs and --collect)");
  cli.option("csv", "results/grade/grades.csv", "with --collect: the table to write");
  cli.option("grade-cmd", "build/grade", "with --jobs: the grade command each job runs (with its options)");
  cli.option("rubric", "src/grade/rubric.json", "the rubric");
  cli.option("bin", "build", "folder of vi_verify and vae_eval");
  cli.option("data-dir", "data/mnist", "folder with the four MNIST IDX files");
  cli.option("reference", "results", "folder with the reference runs p2/ and p2-seeds/ (make seeds train)");
  cli.option("threads", "1", "threads of each check");
  cli.flag("force", "grade again even when nothing changed");
  cli.flag("quiet,q", "print only the last line");
  if (!cli.parse(argc, argv)) return 0;
  GradeSetup setup;
  try {
    setup.rubric_text = read_file(cli["rubric"]);
  } catch (const DataError& e) {
    throw UsageError(std::string("--rubric: ") + e.what());
  }
  setup.rubric = parse_rubric(setup.rubric_text, cli["rubric"]);
  setup.bin = cli["bin"];
  setup.data_dir = cli["data-dir"];
  setup.reference = cli["reference"];
  setup.threads = static_cast<int>(parse_int("threads", cli["threads"], 1, 256));
  const int modes = !cli["submission"].empty() + !cli["jobs"].empty() + !cli["collect"].empty();
  if (modes != 1) throw UsageError("give one of --submission, --jobs or --collect (see --help)");
  if (!cli["submission"].empty())
    return grade_one(setup, cli["submission"], cli["out"], cli["gradescope"], cli.has("force"), cli.has("quiet"));
  if (cli["submissions"].empty()) throw UsageError("--submissions: give the folder of submission folders");
  const std::vector<std::string> names = submissions_in(cli["submissions"]);
  if (!cli["jobs"].empty()) {
    std::string jobs;
    for (const std::string& n : names)
      jobs += cli["grade-cmd"] + " --quiet --submission " + shell_word(join_path(cli["submissions"], n)) + " --out " +
              shell_word(join_path(cli["out"], n)) + "\n";
    ensure_writable_dir(cli["out"]);
    write_file_atomic(cli["jobs"], jobs);
    std::printf("grade: %zu submissions in %s: %s\n", names.size(), cli["submissions"].c_str(), cli["jobs"].c_str());
    return 0;
  }
  std::vector<GradeRecord> grades;
  std::vector<std::string> missing;
  for (const std::string& n : names) {
    const std::string path = join_path(join_path(cli["collect"], n), "grade.json");
    if (!file_exists(path)) {
      missing.push_back(n);
      GradeRecord g;
      g.submission = n + " (not graded)";
      grades.push_back(g);
      continue;
    }
    grades.push_back(parse_grade_json(read_file(path), path));
  }
  write_file_atomic(cli["csv"], grades_csv(setup.rubric, grades));
  for (const std::string& n : missing) std::fprintf(stderr, "grade: %s has no grade.json (its job did not finish)\n", n.c_str());
  std::printf("grade: %zu submissions, %zu graded: %s\n", names.size(), names.size() - missing.size(), cli["csv"].c_str());
  return missing.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  return run_main("grade", [&] { return run(argc, argv); });
}
