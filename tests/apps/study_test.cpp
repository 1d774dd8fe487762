// make study's machinery on the tiny plan (two short runs): the job file, GNU parallel running
// it, a study killed midway and finished by running it again, and the collection.
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "../vae/idx_writer.hpp"
#include "app_runner.hpp"
#include "common/json.hpp"

using namespace vivae::testing;

namespace {
const char* kFiles[] = {"train.csv", "valid.csv", "model.bin", "checkpoint.bin", "iwae_k.csv", "latent_kl.csv",
                        "reconstructions.csv", "samples.csv", "latent_grid.csv"};

std::string jobs_for(const std::string& dir) {
  const RunResult r = run_app("study_gen", "--plan tiny --runs " + dir + "/runs --data-dir " + fake_mnist_dir() +
                                               " --vae-train 'env OMP_WAIT_POLICY=passive " + std::string(VIVAE_BIN_DIR) +
                                               "/vae_train' --jobs " + dir + "/jobs.txt");
  EXPECT_EQ(r.code, 0) << r.err;
  return dir + "/jobs.txt";
}

int run_jobs(const std::string& jobs) {
  return std::system(("parallel --will-cite --jobs 2 < " + jobs + " >/dev/null 2>&1").c_str());
}

// SIGKILL to every process whose command line names `dir`, until none is left. GNU parallel
// starts each job in a process group of its own, so killing parallel's group leaves the runs
// alive, and a run outliving the kill would write its files after the test looked at them.
void kill_everything_naming(const std::string& dir) {
  const auto t0 = std::chrono::steady_clock::now();
  for (bool found = true; found && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10);) {
    found = false;
    DIR* proc = opendir("/proc");
    ASSERT_NE(proc, nullptr);
    while (const dirent* e = readdir(proc)) {
      const pid_t pid = static_cast<pid_t>(std::atol(e->d_name));
      if (pid <= 0 || pid == getpid()) continue;
      std::string cmdline = slurp("/proc/" + std::string(e->d_name) + "/cmdline");  // empty for a zombie
      if (cmdline.find(dir) == std::string::npos) continue;
      found = true;
      kill(pid, SIGKILL);
    }
    closedir(proc);
    if (found) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string seed_dir(const std::string& dir, int seed) { return dir + "/runs/homework/seed-" + std::to_string(seed); }

// The results of a run, without what legitimately differs between two runs (timings, the
// command line and its output folder).
vivae::Json results_of(const std::string& summary) {
  vivae::Json j = vivae::parse_json(summary, "summary.json");
  for (const char* k : {"wall_s", "updates_per_s", "eval_s", "resumed_at", "command"}) j.erase(k);
  j["options"].erase("out");
  return j;
}
}  // namespace

TEST(Study, AKilledStudyFinishedByRunningItAgainGivesTheFilesOfAnUninterruptedOne) {
  const std::string a = temp_dir(), b = temp_dir();
  ASSERT_EQ(run_jobs(jobs_for(a)), 0);
  const std::string jobs_b = jobs_for(b);
  EXPECT_EQ(slurp(jobs_b).size(), slurp(a + "/jobs.txt").size());  // the same commands but for the folder

  // Start the study; kill GNU parallel and its runs as soon as a run has checkpointed.
  const pid_t pid = fork();
  if (pid == 0) {
    setsid();  // its own process group, so that one kill reaches every run
    const std::string cmd = "exec parallel --will-cite --jobs 2 < " + jobs_b + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto t0 = std::chrono::steady_clock::now();
  while (!exists(seed_dir(b, 1) + "/checkpoint.bin") && !exists(seed_dir(b, 2) + "/checkpoint.bin") &&
         std::chrono::steady_clock::now() - t0 < std::chrono::seconds(20))
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  kill(-pid, SIGKILL);  // parallel first, so that it starts nothing more
  int status = 0;
  waitpid(pid, &status, 0);
  kill_everything_naming(b);
  const int finished = exists(seed_dir(b, 1) + "/summary.json") + exists(seed_dir(b, 2) + "/summary.json");
  ASSERT_LT(finished, 2) << "both runs finished before the kill; the test proves nothing";

  // Collecting an unfinished study says so and writes nothing.
  const RunResult early = run_app("study_gen", "--plan tiny --runs " + b + "/runs --collect " + b + "/gen");
  EXPECT_EQ(early.code, 2);
  EXPECT_NE(early.err.find("have no results yet"), std::string::npos) << early.err;
  EXPECT_FALSE(exists(b + "/gen/study_latent_table.tex"));

  ASSERT_EQ(run_jobs(jobs_b), 0);  // finish it
  for (int seed : {1, 2}) {
    for (const char* f : kFiles) EXPECT_EQ(slurp(seed_dir(a, seed) + "/" + f), slurp(seed_dir(b, seed) + "/" + f)) << f;
    EXPECT_EQ(results_of(slurp(seed_dir(a, seed) + "/summary.json")), results_of(slurp(seed_dir(b, seed) + "/summary.json")));
  }
  // Once more: nothing is redone.
  const std::string before = slurp(seed_dir(b, 1) + "/summary.json");
  ASSERT_EQ(run_jobs(jobs_b), 0);
  EXPECT_EQ(slurp(seed_dir(b, 1) + "/summary.json"), before);

  for (const std::string& d : {a, b}) ASSERT_EQ(run_app("study_gen", "--plan tiny --runs " + d + "/runs --collect " + d + "/gen").code, 0);
  for (const char* f : {"study_latent_table.tex", "study_latent_text.tex", "study_latent_curves.csv", "study_numbers.tex"})
    EXPECT_EQ(slurp(a + "/gen/" + f), slurp(b + "/gen/" + f)) << f;
}

TEST(Study, TheFullPlanListsEveryConfigurationOnceWithEachSeed) {
  const std::string dir = temp_dir();
  ASSERT_EQ(run_app("study_gen", "--runs R --vae-train T --data-dir D --jobs " + dir + "/jobs.txt").code, 0);
  const std::string jobs = slurp(dir + "/jobs.txt");
  EXPECT_EQ(count_lines(jobs), 13 * 5);
  for (const char* cfg : {"homework", "latent-2", "latent-20", "adagrad-0.1", "samples-5", "per-digit-5000"})
    for (int seed = 1; seed <= 5; ++seed) {
      const std::string out = std::string("--out R/") + cfg + "/seed-" + std::to_string(seed) + " ";
      EXPECT_NE(jobs.find(out), std::string::npos) << out;
    }
  EXPECT_NE(jobs.find("--out R/adagrad-0.1/seed-3 --seed 3 "), std::string::npos);
  EXPECT_NE(jobs.find("--optim adagrad --lr 0.1\n"), std::string::npos);
  EXPECT_EQ(run_app("study_gen", "--plan huge --jobs " + dir + "/x.txt").code, 2);
}
