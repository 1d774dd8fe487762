// study_gen: the job file of `make study` (one vae_train command per run) and, once the runs
// are done, the generated tables, sentences and plot data of report/study.tex.
// Parses options -> the study plan (src/report/study.hpp) -> writes files atomically.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "apps/cli.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "report/sections.hpp"
#include "report/study.hpp"

using namespace vivae;

namespace {

int run(int argc, char** argv) {
  Cli cli("study_gen: write the job file of the study (--jobs) and collect its finished runs into the study\n"
          "report's generated files (--collect)",
          "\nExit: 0 ok, 2 bad option, a run folder that is not a complete or diverged run of this study, runs\n"
          "still missing (run the jobs again), or an unwritable output.\n");
  cli.option("plan", "full", "full (13 configurations x 5 seeds) or tiny (2 short runs, for tests)");
  cli.option("runs", "results/study", "folder of the run folders <config>/seed-<s>/");
  cli.option("vae-train", "build/vae_train", "how a job line starts the trainer (may be prefixed, e.g. by env)");
  cli.option("data-dir", "data/mnist", "the trainer's --data-dir in the job lines");
  cli.option("jobs", "", "write the job file here");
  cli.option("collect", "", "write the generated files for report/study.tex into this folder");
  cli.option("env", "", "with --collect: key=value file of commit and library versions (report/generated/env.txt)");
  if (!cli.parse(argc, argv)) return 0;
  if (cli["jobs"].empty() && cli["collect"].empty()) throw UsageError("give --jobs FILE, --collect DIR or both");
  const StudyPlan plan = study_plan(cli["plan"]);
  if (!cli["jobs"].empty()) {
    const std::string jobs = study_jobs(plan, cli["runs"], cli["vae-train"], cli["data-dir"]);
    const std::filesystem::path path(cli["jobs"]);
    const std::string folder = path.parent_path().empty() ? "." : path.parent_path().string();
    ensure_writable_dir(folder);
    write_changed_files_atomic(folder, {{path.filename().string(), jobs}});  // a rerun touches nothing
    std::printf("study_gen: %zu runs in %s\n", static_cast<size_t>(std::count(jobs.begin(), jobs.end(), '\n')),
                cli["jobs"].c_str());
  }
  if (!cli["collect"].empty()) {
    const std::vector<RunRecord> runs = collect_runs(plan, cli["runs"]);
    size_t missing = 0, diverged = 0;
    for (const RunRecord& r : runs) missing += r.status == "missing", diverged += r.status == "diverged";
    if (missing)
      throw DataError(std::to_string(missing) + " of " + std::to_string(runs.size()) + " runs in '" + cli["runs"] +
                      "' have no results yet (run the job file again: finished runs are skipped)");
    const DirLock lock = claim_output_folder(cli["collect"], "study_gen", holds_generated);
    std::vector<GeneratedFile> files = study_generated(plan, runs);
    files.push_back(env_generated(read_env_file(cli["env"])));
    std::vector<std::pair<std::string, std::string>> set;
    for (GeneratedFile& f : files) set.emplace_back(f.name, std::move(f.content));
    const size_t changed = write_changed_files_atomic(cli["collect"], set);
    std::printf("study_gen: %zu runs collected (%zu diverged), %zu generated files (%zu changed)\n", runs.size(), diverged,
                files.size(), changed);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return run_main("study_gen", [&] { return run(argc, argv); });
}
