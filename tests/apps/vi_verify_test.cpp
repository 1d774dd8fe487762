// vi_verify as a user meets it: bad options rejected with one line and exit 2, nothing
// written; good runs pass every check and are byte-identical across runs.
#include <gtest/gtest.h>

#include "app_runner.hpp"

using namespace vivae::testing;

TEST(ViVerifyCli, RejectsEachBadValueWithOneLineAndWritesNothing) {
  const std::string out = temp_dir() + "/p1";
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"--n 0", "--n"},          {"--n 31", "--n"},         {"--n abc", "--n"},      {"--n 5:2", "--n"},
      {"--n -3", "--n"},         {"--n 2.5", "--n"},        {"--beta -1", "--beta"}, {"--beta nan", "--beta"},
      {"--beta 1,x", "--beta"},  {"--beta 2e", "--beta"},   {"--tol -1", "--tol"},   {"--tol nan", "--tol"},
      {"--seed -4", "--seed"},   {"--seed 1x", "--seed"},   {"--threads 0", "--threads"},
      {"--q1-starts 0", "--q1-starts"},                     {"--bogus", "bogus"},
      {"--tol inf", "--tol"},    {"--tol 1", "--tol"},      {"--tol 1e-9x", "--tol"}, {"--n 1:inf", "--n"},
      {"--n ''", "--n"},         {"--beta ''", "--beta"},   {"--beta -inf", "--beta"}, {"--ising-max-n 31", "--ising-max-n"},
      {"--threads 1.5", "--threads"}, {"--seed 1e3", "--seed"}, {"--n 1 --n 2", "--n"}};
  for (const auto& [args, name] : bad) {
    const RunResult r = run_app("vi_verify", args + " --out " + out);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(count_lines(r.err), 1) << args << ": " << r.err;
    EXPECT_NE(r.err.find(name), std::string::npos) << args << ": " << r.err;
    EXPECT_FALSE(exists(out + "/summary.json")) << args;
  }
}

TEST(ViVerifyCli, RejectsAnUnwritableOutputFolder) {
  const RunResult r = run_app("vi_verify", "--n 2 --beta 1 --out /proc/vivae_cannot_write");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("/proc/vivae_cannot_write"), std::string::npos);
}

TEST(ViVerifyCli, HelpDescribesTheOptions) {
  const RunResult r = run_app("vi_verify", "--help");
  EXPECT_EQ(r.code, 0);
  for (const char* opt : {"--n", "--beta", "--out", "--seed", "--tol"}) EXPECT_NE(r.out.find(opt), std::string::npos);
}

TEST(ViVerifyCli, PassesAndIsByteIdenticalAcrossRuns) {
  const std::string a = temp_dir(), b = temp_dir();
  const std::string args = " --n 1:8,13 --beta 0.5,4,inf --seed 7 --threads ";
  const RunResult ra = run_app("vi_verify", args + "2 --out " + a);
  const RunResult rb = run_app("vi_verify", args + "1 --out " + b);
  ASSERT_EQ(ra.code, 0) << ra.err;
  ASSERT_EQ(rb.code, 0) << rb.err;
  EXPECT_NE(ra.out.find(" passed ("), std::string::npos) << ra.out;
  for (const char* f : {"mean_field.csv", "identities.csv"}) {
    const std::string fa = slurp(a + "/" + f);
    EXPECT_GT(fa.size(), 100u);
    EXPECT_EQ(fa, slurp(b + "/" + f)) << f;
  }
  EXPECT_NE(slurp(a + "/summary.json").find("\"all_passed\": true"), std::string::npos);
}

TEST(ViVerifyCli, FailedRunKeepsPreviousResults) {
  const std::string out = temp_dir();
  ASSERT_EQ(run_app("vi_verify", "--n 3 --beta 1 --out " + out).code, 0);
  const std::string before = slurp(out + "/mean_field.csv");
  EXPECT_EQ(run_app("vi_verify", "--n 99 --out " + out).code, 2);
  EXPECT_EQ(slurp(out + "/mean_field.csv"), before);
}
