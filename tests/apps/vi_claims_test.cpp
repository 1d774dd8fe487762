// vi_verify --claims as a student meets it: one line per claim (holds, or the first
// counterexample and why), claims.csv and claims.json, exit 0 / 1 / 2, nothing written for a
// claim that cannot be read.
#include <gtest/gtest.h>

#include <fstream>

#include "app_runner.hpp"
#include "vi/claims_output.hpp"

using namespace vivae;
using namespace vivae::testing;

namespace {
std::string write_claims(const std::string& dir, const std::string& text) {
  const std::string path = dir + "/claims.txt";
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST(ViClaimsCli, TheIssuesExamplesJudgeRightWithTheReasonForTheWrongOne) {
  const std::string dir = temp_dir(), out = dir + "/out";
  const std::string file = write_claims(dir,
                                        "# Problem 1 (c), (d)\n"
                                        "Q2.kl = log(2^N - 1)\n"
                                        "Q2.theta = 1/2          # wrong: q(1...1) > 0\n"
                                        "Q1.kl = log(2 - 2^(1-N))\n"
                                        "Q1.theta = i == 1 ? 0 : 1/2\n");
  const RunResult r = run_app("vi_verify", "--beta inf --n 1:14 --claims " + file + " --out " + out);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(count_lines(r.out), 5) << r.out;
  EXPECT_NE(r.out.find("claims.txt:2: Q2.kl = log(2^N - 1): holds at 14 points"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("claims.txt:3: Q2.theta = 1/2: fails at N = 1, beta = inf: q puts mass 0.5"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("KL(q||p) = +inf; the minimum over Q2 is log(2^1 - 1) = 0, at theta = 0"), std::string::npos);
  EXPECT_NE(r.out.find("vi_verify: 3 of 4 claims hold (56 points checked"), std::string::npos) << r.out;
  const std::vector<ClaimRecord> rec = parse_claims_json(slurp(out + "/claims.json"), "claims.json");
  ASSERT_EQ(rec.size(), 4u);
  EXPECT_EQ(rec[1].claim, "Q2.theta = 1/2");
  EXPECT_FALSE(rec[1].holds);
  ASSERT_TRUE(rec[1].first_failure.has_value());
  EXPECT_EQ(rec[1].first_failure->n, 1);
  EXPECT_NE(rec[1].first_failure->why.find("+inf"), std::string::npos);
  for (int k : {0, 2, 3}) {
    EXPECT_TRUE(rec[k].holds) << rec[k].claim;
    EXPECT_EQ(rec[k].checked, 14);
    EXPECT_FALSE(rec[k].first_failure.has_value());
  }
  EXPECT_EQ(count_lines(slurp(out + "/claims.csv")), 1 + 4 * 14);

  const RunResult finite = run_app("vi_verify", "--claim 'log_z = log(2^N - 1 + exp(-beta))' --n 1:10 --out " + out);
  EXPECT_EQ(finite.code, 0) << finite.out << finite.err;
  EXPECT_NE(finite.out.find("--claim 1: log_z = log(2^N - 1 + exp(-beta)): holds at 80 points"), std::string::npos)
      << finite.out;
}

TEST(ViClaimsCli, AClaimThatCannotBeReadExitsTwoNamingItsLineAndWritesNothing) {
  const std::string dir = temp_dir(), out = dir + "/out";
  ASSERT_EQ(run_app("vi_verify", "--claim 'Q2.kl = log(2^N - 1)' --beta inf --n 3 --out " + out).code, 0);
  const std::string before = slurp(out + "/claims.json");
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"Q2.kl = log(2^N - 1)\nQ7.kl = 1\n", "claims.txt:2:1: unknown quantity 'Q7.kl'"},
      {"Q2.kl = log(2^n - 1)\n", "claims.txt:1:15: unknown name 'n'"},
      {"\n\nQ2.kl = (1 + N\n", "claims.txt:3:"},
      {"Q2.kl = 1 if\n", "claims.txt:1:13: nothing after 'if'"},
      {"# nothing\n", "no claims"},
  };
  for (const auto& [text, expected] : bad) {
    const RunResult r = run_app("vi_verify", "--claims " + write_claims(dir, text) + " --out " + out);
    EXPECT_EQ(r.code, 2) << text;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(slurp(out + "/claims.json"), before);
  }
  for (const std::string& path : {dir + "/missing.txt", dir, std::string("/dev/null")}) {
    const RunResult r = run_app("vi_verify", "--claims " + path + " --out " + out);
    EXPECT_EQ(r.code, 2) << path;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  }
  for (const char* tol : {"-1", "1", "nan", "x"}) {
    const RunResult r = run_app("vi_verify", std::string("--claim 'Q2.kl = 1' --claim-tol ") + tol + " --out " + out);
    EXPECT_EQ(r.code, 2) << tol;
    EXPECT_NE(r.err.find("--claim-tol"), std::string::npos) << r.err;
  }
}

TEST(ViClaimsCli, ClaimsComeFromStandardInputAndAreByteIdenticalAcrossThreadCounts) {
  const std::string a = temp_dir(), b = temp_dir();
  const std::string claims = "printf 'Q1.kl = 0.1\\nQ1.theta = i == 1 ? 0 : 1/2 if beta == inf\\nQ2.F = 0\\n' | ";
  const std::string cmd = std::string(VIVAE_BIN_DIR) + "/vi_verify --claims - --n 1:9 --beta 1,inf --quiet ";
  ASSERT_EQ(std::system((claims + cmd + "--threads 1 --out " + a + " >/dev/null").c_str()), 1 << 8);
  ASSERT_EQ(std::system((claims + cmd + "--threads 2 --out " + b + " >/dev/null").c_str()), 1 << 8);
  for (const char* f : {"claims.csv", "claims.json"}) {
    EXPECT_GT(slurp(a + "/" + f).size(), 100u);
    EXPECT_EQ(slurp(a + "/" + f), slurp(b + "/" + f)) << f;
  }
  EXPECT_NE(slurp(a + "/claims.json").find("\"source\": \"stdin\""), std::string::npos);
}

TEST(ViClaimsCli, HelpStatesTheComparisonRuleAndTheQuantities) {
  const RunResult r = run_app("vi_verify", "--help");
  EXPECT_EQ(r.code, 0);
  for (const char* s : {"--claims", "--claim ", "--claim-tol", "Q1.theta", "mean_phi", "max(1, |exact|)", "natural"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
}
