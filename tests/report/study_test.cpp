// The study's collection against hand-made run folders: numbers, and diverged or missing runs.
#include "report/study.hpp"

#include <gtest/gtest.h>

#include "common/errors.hpp"
#include "common/files.hpp"
#include "temp_dir.hpp"

using namespace vivae;

namespace {
void complete_run(const std::string& dir, long long seed, double elbo) {
  ensure_writable_dir(dir);
  RunSummary s;
  s.run = "test";
  s.seed = static_cast<uint64_t>(seed);
  s.heldout = SetEval{elbo + 9, 9, elbo, elbo + 1, {}};
  s.train = SetEval{elbo + 11, 9, elbo + 2, elbo + 3, {}};
  s.options.batch = 10;
  write_file_atomic(join_path(dir, "summary.json"), summary_text(s));
  write_file_atomic(join_path(dir, "valid.csv"), "update,recon,kl,elbo\n0,-130,0,-130\n50,-20,9,-29\n");
}
}  // namespace

TEST(StudyCollect, ADivergedRunIsCountedNotAveragedAndAMissingOneIsNamed) {
  const StudyPlan plan = study_plan("tiny");  // one configuration, seeds 1 and 2
  const std::string runs = vivae::testing::temp_dir();
  complete_run(runs + "/homework/seed-1", 1, -30);
  std::vector<RunRecord> r = collect_runs(plan, runs);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].status, "complete");
  EXPECT_EQ(r[1].status, "missing");
  ensure_writable_dir(runs + "/homework/seed-2");
  write_file_atomic(runs + "/homework/seed-2/diverged.json", diverged_text({21, "diverged at update 21", "test", "cmd"}));
  r = collect_runs(plan, runs);
  EXPECT_EQ(r[1].status, "diverged");
  const std::vector<GeneratedFile> files = study_generated(plan, r);
  std::string table, numbers;
  for (const GeneratedFile& f : files) {
    if (f.name == "study_latent_table.tex") table = f.content;
    if (f.name == "study_numbers.tex") numbers = f.content;
  }
  EXPECT_NE(table.find("& 1, 1 diverged & $-30.00\\pm0.00$"), std::string::npos) << table;
  EXPECT_NE(numbers.find("\\newcommand{\\StudyDiverged}{1}"), std::string::npos) << numbers;
  // A summary of another seed in a run's folder is refused.
  complete_run(runs + "/homework/seed-2", 7, -31);
  EXPECT_THROW(collect_runs(plan, runs), DataError);
}
