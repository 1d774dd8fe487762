// Hardening of vae_train: killed runs resume exactly, signals checkpoint cleanly, bad
// checkpoints are refused, outputs are never half-replaced, numerical faults stop training.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <sys/stat.h>
#include <thread>

#include "../vae/idx_writer.hpp"
#include "app_runner.hpp"
#include "common/rng.hpp"
#include "vae/model_io.hpp"

using namespace vivae::testing;

namespace {
std::string args(const std::string& out, long updates = 3000) {
  return "--data-dir " + fake_mnist_dir() + " --per-digit 5 --heldout 20 --valid-size 10 --valid-every 40 --batch 10" +
         " --iwae-k 5 --checkpoint-every 150 --quiet --updates " + std::to_string(updates) + " --out " + out;
}

// Starts vae_train, sends `sig` after `ms` milliseconds (if still running); returns the exit status.
int run_and_signal(const std::string& a, int ms, int sig) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string cmd = "exec " + std::string(VIVAE_BIN_DIR) + "/vae_train " + a + " >/dev/null 2>&1";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  kill(pid, sig);
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

const char* kCompared[] = {"train.csv", "valid.csv", "model.bin", "reconstructions.csv", "samples.csv",
                           "latent_grid.csv", "iwae_k.csv", "checkpoint.bin"};
}  // namespace

TEST(VaeResume, KilledAtRandomPointsThenResumedEqualsAnUninterruptedRun) {
  const std::string ref = temp_dir(), out = temp_dir();
  ASSERT_EQ(run_app("vae_train", args(ref)).code, 0);
  vivae::Rng rng = vivae::make_rng(2024, 0);
  int killed = 0;
  for (int k = 0; k < 4; ++k) {
    const int ms = 30 + static_cast<int>(vivae::uniform_index(rng, 300));
    const int status = run_and_signal(args(out) + " --resume", ms, SIGKILL);
    killed += WIFSIGNALED(status);
  }
  EXPECT_GT(killed, 0) << "no run was interrupted; the test proves nothing";
  const RunResult r = run_app("vae_train", args(out) + " --resume");
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* f : kCompared) EXPECT_EQ(slurp(ref + "/" + f), slurp(out + "/" + f)) << f;
}

TEST(VaeResume, SigtermWritesACheckpointAndSaysHowToResume) {
  const std::string out = temp_dir(), err = temp_dir() + "/err";  // not in the run's folder, which must be empty
  const std::string cmd = "exec " + std::string(VIVAE_BIN_DIR) + "/vae_train " + args(out, 200000) + " 2>" + err;
  const pid_t pid = fork();
  if (pid == 0) {  // only exec here: nothing that allocates or creates files
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Once the first checkpoint exists training has started, and with it the signal handlers (a
  // fixed sleep raced the start-up on a slow or loaded machine, where SIGTERM still killed).
  const auto t0 = std::chrono::steady_clock::now();
  while (!exists(out + "/checkpoint.bin") && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
  EXPECT_NE(slurp(err).find("--resume"), std::string::npos) << slurp(err);
  EXPECT_TRUE(exists(out + "/checkpoint.bin"));
  EXPECT_FALSE(exists(out + "/model.bin"));
}

TEST(VaeResume, ResumeWithoutACheckpointStartsOverAndSaysSo) {
  const std::string out = temp_dir();
  std::string a = args(out, 100);
  a.replace(a.find(" --quiet"), 8, "");
  const RunResult r = run_app("vae_train", a + " --resume");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("starting from the beginning"), std::string::npos) << r.err;
}

TEST(VaeResume, RefusesACheckpointOfOtherOptionsOrOneThatIsCorrupt) {
  const std::string out = temp_dir();
  ASSERT_EQ(run_app("vae_train", args(out, 100) + "").code, 0);
  RunResult r = run_app("vae_train", args(out) + " --lr 0.002 --resume");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("different options"), std::string::npos) << r.err;
  std::string ck = slurp(out + "/checkpoint.bin");
  ck[ck.size() / 2] ^= 1;
  write_bytes(out + "/checkpoint.bin", ck);
  r = run_app("vae_train", args(out) + " --resume");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("checksum"), std::string::npos) << r.err;
}

TEST(VaeFaults, AnOutputThatIsADirectoryFailsBeforeTrainingAndKeepsOldResults) {
  const std::string out = temp_dir();
  ASSERT_EQ(run_app("vae_train", args(out, 50) + "").code, 0);
  const std::string before = slurp(out + "/train.csv");
  std::remove((out + "/samples.csv").c_str());
  mkdir((out + "/samples.csv").c_str(), 0755);
  const RunResult r = run_app("vae_train", args(out, 60) + "");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("samples.csv"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out + "/train.csv"), before);
}

TEST(VaeFaults, NonFiniteLossStopsTrainingWithExitThree) {
  // A valid model file whose decoder output bias is near FLT_MAX: the logits overflow to +inf
  // and the Bernoulli log-likelihood becomes inf − inf.
  vivae::Rng rng = vivae::make_rng(1, 0);
  vivae::Params<float> p = vivae::init_params<float>(vivae::Widths{}, rng);
  p.b4.fill(3.0e38f);
  p.w4.fill(3.0e38f);
  const std::string dir = temp_dir();
  write_bytes(dir + "/huge.bin", vivae::serialise_model(p, vivae::Widths{}));
  const RunResult r = run_app("vae_train", args(dir + "/out", 50) + " --load " + dir + "/huge.bin");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("NaN/Inf"), std::string::npos) << r.err;
  EXPECT_FALSE(exists(dir + "/out/model.bin"));
}

TEST(VaeResume, AFinishedRunIsNotRedoneAndADivergedOneIsNotRetried) {
  // What a study relies on: rerunning the same command with --resume skips a run whose results
  // (or divergence) OUT already records, and only for the very same run.
  const std::string out = temp_dir(), bad = temp_dir();
  ASSERT_EQ(run_app("vae_train", args(out, 100) + " --resume").code, 0);
  const std::string summary = slurp(out + "/summary.json");
  RunResult again = run_app("vae_train", args(out, 100) + " --resume");
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.out.find("nothing to do"), std::string::npos) << again.out;
  EXPECT_EQ(slurp(out + "/summary.json"), summary);
  // Another run (more updates) in the same folder is not "the same run": it resumes and trains.
  again = run_app("vae_train", args(out, 150) + " --resume");
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out.find("nothing to do"), std::string::npos) << again.out;
  EXPECT_NE(slurp(out + "/summary.json"), summary);

  const RunResult d = run_app("vae_train", args(bad, 2000) + " --lr 1e3 --resume");
  EXPECT_EQ(d.code, 3) << d.err;
  EXPECT_NE(slurp(bad + "/diverged.json").find("\"status\": \"diverged\""), std::string::npos);
  EXPECT_FALSE(exists(bad + "/summary.json"));
  const RunResult d2 = run_app("vae_train", args(bad, 2000) + " --lr 1e3 --resume");
  EXPECT_EQ(d2.code, 3) << d2.err;
  EXPECT_NE(d2.err.find("nothing to do"), std::string::npos) << d2.err;
}
