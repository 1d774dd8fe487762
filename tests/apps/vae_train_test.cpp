// vae_train as a user meets it, on a small synthetic MNIST written by the test.
#include <gtest/gtest.h>

#include <algorithm>

#include "../vae/idx_writer.hpp"
#include "app_runner.hpp"
#include "common/files.hpp"

using namespace vivae::testing;

namespace {
const std::string kSmall =
    " --per-digit 5 --heldout 20 --valid-size 10 --valid-every 20 --batch 10 --iwae-k 5 --quiet";

}  // namespace

TEST(VaeTrainCli, RejectsBadOptionsWithOneLineAndWritesNothing) {
  const std::string out = temp_dir() + "/p2";
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"--batch 0", "--batch"},         {"--lr -1", "--lr"},           {"--lr nan", "--lr"},
      {"--lr 1e-3x", "--lr"},           {"--samples 0", "--samples"},  {"--enc-hidden 0", "--enc-hidden"},
      {"--dec-hidden -5", "--dec-hidden"}, {"--latent 0", "--latent"}, {"--updates abc", "--updates"},
      {"--updates -1", "--updates"},    {"--updates 5 --updates 6", "--updates"},    {"--optim sgd", "--optim"},    {"--seed x", "--seed"},
      {"--iwae-k 0", "--iwae-k"},       {"--valid-size 0", "--valid-size"}, {"--precision half", "--precision"},
      {"--per-digit 9", "--per-digit"}, {"--heldout 31", "--heldout"}, {"--load /nonexistent.bin", "--load"},
      {"--frobnicate 1", "frobnicate"}, {"--lr inf", "--lr"},         {"--lr 1e7", "--lr"},
      {"--batch 1e3", "--batch"},       {"--batch 51", "--batch"},      {"--samples 2.5", "--samples"},
      {"--updates 10x", "--updates"},   {"--iwae-k inf", "--iwae-k"},   {"--valid-every 0", "--valid-every"},
      {"--valid-size 21", "--valid-size"}, {"--heldout 0", "--heldout"}, {"--per-digit -1", "--per-digit"},
      {"--latent 8.0", "--latent"},     {"--seed -1", "--seed"},        {"--seed 99999999999999999999", "--seed"},
      {"--checkpoint-every -1", "--checkpoint-every"}, {"--optim ''", "--optim"}, {"--enc-hidden nan", "--enc-hidden"}};
  for (const auto& [args, name] : bad) {
    const RunResult r = run_app("vae_train", "--data-dir " + fake_mnist_dir() + kSmall + " " + args + " --out " + out);
    EXPECT_EQ(r.code, 2) << args << ": " << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << args << ": " << r.err;
    EXPECT_NE(r.err.find(name), std::string::npos) << args << ": " << r.err;
    EXPECT_FALSE(exists(out + "/train.csv")) << args;
  }
}

TEST(VaeTrainCli, RejectsMissingOrCorruptData) {
  const std::string out = temp_dir() + "/p2";
  RunResult r = run_app("vae_train", "--data-dir /nonexistent" + kSmall + " --out " + out);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("not found"), std::string::npos) << r.err;
  const std::string dir = temp_dir();
  write_fake_mnist(dir, 80, 30, false);
  const std::string img = slurp(dir + "/train-images-idx3-ubyte");
  write_bytes(dir + "/train-images-idx3-ubyte", img.substr(0, img.size() - 100));
  r = run_app("vae_train", "--data-dir " + dir + kSmall + " --out " + out);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("train-images-idx3-ubyte"), std::string::npos) << r.err;
  EXPECT_FALSE(exists(out + "/train.csv"));
}

TEST(VaeTrainCli, SameSeedGivesByteIdenticalOutputsAndTheModelLearns) {
  const std::string a = temp_dir(), b = temp_dir();
  const std::string args = "--data-dir " + fake_mnist_dir() + kSmall + " --updates 200 --out ";
  ASSERT_EQ(run_app("vae_train", args + a).code, 0);
  ASSERT_EQ(run_app("vae_train", args + b).code, 0);
  for (const char* f : {"train.csv", "valid.csv", "reconstructions.csv", "samples.csv", "latent_grid.csv", "model.bin"}) {
    const std::string fa = slurp(a + "/" + f);
    EXPECT_GT(fa.size(), 50u) << f;
    EXPECT_EQ(fa, slurp(b + "/" + f)) << f;
  }
  EXPECT_EQ(count_lines(slurp(a + "/train.csv")), 201);
  EXPECT_EQ(count_lines(slurp(a + "/valid.csv")), 1 + 11);  // update 0 and every 20
  const std::string summary = slurp(a + "/summary.json");
  for (const char* key : {"\"train\"", "\"heldout\"", "\"iwae\"", "\"wall_s\"", "\"updates_per_s\"", "\"seed\""})
    EXPECT_NE(summary.find(key), std::string::npos) << key;
  // Held-out ELBO: first row (update 0) against the last.
  const std::string valid = slurp(a + "/valid.csv");
  auto elbo_of = [](const std::string& line) { return std::stod(line.substr(line.rfind(',') + 1)); };
  const size_t l1 = valid.find('\n') + 1;
  const std::string first = valid.substr(l1, valid.find('\n', l1) - l1);
  const std::string body = valid.substr(0, valid.size() - 1);
  const std::string last = body.substr(body.rfind('\n') + 1);
  EXPECT_GT(elbo_of(last), elbo_of(first) + 20) << first << " / " << last;
}

TEST(VaeTrainCli, LoadRestoresTheTrainedWeights) {
  const std::string a = temp_dir(), b = temp_dir();
  ASSERT_EQ(run_app("vae_train", "--data-dir " + fake_mnist_dir() + kSmall + " --updates 60 --out " + a).code, 0);
  ASSERT_EQ(run_app("vae_train", "--data-dir " + fake_mnist_dir() + kSmall + " --updates 0 --load " + a + "/model.bin --out " + b).code, 0);
  EXPECT_EQ(slurp(a + "/model.bin"), slurp(b + "/model.bin"));
  EXPECT_EQ(slurp(a + "/reconstructions.csv"), slurp(b + "/reconstructions.csv"));
}

TEST(VaeTrainCli, HelpListsTheOptions) {
  const RunResult r = run_app("vae_train", "--help");
  EXPECT_EQ(r.code, 0);
  for (const char* opt : {"--data-dir", "--batch", "--lr", "--samples", "--updates", "--optim", "--iwae-k", "--load"})
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
}

TEST(VaeTrainCli, RejectsAnUnwritableOutputFolderBeforeTraining) {
  const RunResult r = run_app("vae_train", "--data-dir " + fake_mnist_dir() + kSmall + " --updates 5 --out /proc/vivae_cannot_write");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("/proc/vivae_cannot_write"), std::string::npos) << r.err;
}

TEST(VaeTrainCli, AFolderInUseByAnotherRunIsRefusedAndLeftAlone) {
  const std::string out = temp_dir();
  write_bytes(out + "/checkpoint.bin", "earlier run\n");  // a run's folder...
  const vivae::DirLock other = vivae::lock_dir(out, "test");  // ...that a live vae_train holds
  const RunResult r = run_app("vae_train", "--data-dir " + fake_mnist_dir() + kSmall + " --updates 5 --out " + out);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("is in use by another vae_train"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(out + "/checkpoint.bin"), "earlier run\n");
  EXPECT_FALSE(exists(out + "/summary.json"));
}

TEST(VaeTrainCli, ADivergingRunStopsWithExitThreeAndOneLineAndClaimsNothing) {
  const std::string out = temp_dir() + "/p2";
  const RunResult r = run_app("vae_train", "--data-dir " + fake_mnist_dir() + kSmall + " --updates 2000 --lr 1e3 --out " + out);
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("diverged at update"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("smaller --lr"), std::string::npos) << r.err;
  EXPECT_FALSE(exists(out + "/summary.json"));
  EXPECT_FALSE(exists(out + "/model.bin"));
}

TEST(VaeTrainCli, TrainEvalChoosesHowManyTrainingImagesAreEvaluated) {
  const std::string none = temp_dir() + "/p2", some = temp_dir() + "/p2";
  const std::string base = "--data-dir " + fake_mnist_dir() + kSmall + " --updates 40";
  ASSERT_EQ(run_app("vae_train", base + " --train-eval 0 --out " + none).code, 0);
  const std::string s0 = slurp(none + "/summary.json");
  EXPECT_EQ(s0.find("\"train\":"), std::string::npos) << s0;
  EXPECT_NE(s0.find("\"train_eval_images\": 0"), std::string::npos) << s0;
  ASSERT_EQ(run_app("vae_train", base + " --train-eval 7 --out " + some).code, 0);
  EXPECT_NE(slurp(some + "/summary.json").find("\"train_eval_images\": 7"), std::string::npos);
  // The held-out numbers do not depend on it.
  EXPECT_EQ(slurp(none + "/iwae_k.csv"), slurp(some + "/iwae_k.csv"));
  EXPECT_EQ(run_app("vae_train", base + " --train-eval -2 --out " + some).code, 2);
}

TEST(VaeTrainCli, OneTwoAndThreeThreadsWriteTheSameFiles) {
  // The batch is split into fixed shards and the evaluation keys its noise by image, so the
  // thread count decides only who computes what.
  std::vector<std::string> outs;
  for (int threads : {1, 2, 3}) {
    outs.push_back(temp_dir() + "/p2");
    const RunResult r = run_app("vae_train", "--data-dir " + fake_mnist_dir() + kSmall + " --updates 150 --threads " +
                                                 std::to_string(threads) + " --out " + outs.back());
    ASSERT_EQ(r.code, 0) << r.err;
  }
  for (const char* f : {"train.csv", "valid.csv", "model.bin", "iwae_k.csv", "latent_kl.csv", "reconstructions.csv",
                        "samples.csv", "latent_grid.csv", "checkpoint.bin"})
    for (size_t i = 1; i < outs.size(); ++i) EXPECT_EQ(slurp(outs[0] + "/" + f), slurp(outs[i] + "/" + f)) << f << " " << i;
}
