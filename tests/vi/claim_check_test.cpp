// Claims judged against exact enumeration: every expected verdict here comes from the
// brute-force references (tests/vi/brute_force.hpp: one state at a time, from the definitions,
// and minima over grids of the family), never from the code under test.
#include "vi/claim_check.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "brute_force.hpp"

using namespace vivae;

namespace {

// Least brute-force KL over the grid θ ∈ {0, 1/m, …, 1} (Q2: one θ; Q1: θ ∈ grid^N). At β = ∞
// the grids below hold the exact minimisers (0 and 1/2), so the grid minimum is exact there.
double grid_min_q2(int n, double beta, int m) {
  double best = INFINITY;
  for (int k = 0; k <= m; ++k) best = std::min(best, brute::kl(product_energy(n), beta, std::vector<double>(n, double(k) / m)));
  return best;
}
double grid_min_q1(int n, double beta, int m) {
  double best = INFINITY;
  std::vector<double> theta(n);
  long total = 1;
  for (int i = 0; i < n; ++i) total *= m + 1;
  for (long idx = 0; idx < total; ++idx) {
    long r = idx;
    for (auto& t : theta) t = double(r % (m + 1)) / m, r /= m + 1;
    best = std::min(best, brute::kl(product_energy(n), beta, theta));
  }
  return best;
}

struct Judged {
  std::vector<Claim> claims;
  std::vector<ClaimVerdict> verdicts;
};
Judged judge(const std::vector<std::string>& lines, std::vector<int> ns, std::vector<double> betas,
             ClaimTolerance tol = {}) {
  Judged j;
  j.claims = parse_claims(claims_text(lines), "test");
  ClaimCheckConfig cfg;
  cfg.n_values = std::move(ns);
  cfg.betas = std::move(betas);
  cfg.tol = tol;
  cfg.threads = 2;
  j.verdicts = check_claims(j.claims, cfg);
  return j;
}

// The brute-force truth of "QUANTITY = value" at one point, for the quantities with values.
double brute_value(Quantity q, int n, double beta) {
  const Energy e = product_energy(n);
  switch (q) {
    case Quantity::log_z: return brute::log_z(e, beta);
    case Quantity::mean_phi: return brute::mean_phi_p(e, beta);
    case Quantity::q2_kl: return grid_min_q2(n, beta, 2000);
    case Quantity::q1_kl: return grid_min_q1(n, beta, n <= 2 ? 400 : 40);
    default: return NAN;
  }
}

}  // namespace

TEST(ClaimCheck, TheHomeworksAnswersHoldAndTheWrongQ2AnswerFailsWithInfiniteKl) {
  const Judged j = judge({"Q2.kl = log(2^N - 1)", "Q2.theta = 1/2", "Q1.kl = log(2 - 2^(1-N))",
                          "Q1.theta = i == 1 ? 0 : 1/2", "Q2.theta = 0", "Q1.theta = i == N ? 0 : 1/2"},
                         {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, {INFINITY});
  // Brute force, for every N small enough to enumerate the grids: the claimed values are the
  // grids' minima, the claimed q attain them, and θ = 1/2 puts mass on the state p excludes.
  for (int n = 1; n <= 12; ++n) {
    const double q2 = grid_min_q2(n, INFINITY, 2), q1 = n <= 8 ? grid_min_q1(n, INFINITY, 2) : NAN;
    EXPECT_NEAR(std::log(std::pow(2.0, n) - 1), q2, 1e-12) << n;
    if (n <= 8) {
      EXPECT_NEAR(std::log(2 - std::pow(2.0, 1 - n)), q1, 1e-12) << n;
    }
    std::vector<double> t1(n, 0.5);
    t1[0] = 0;
    EXPECT_NEAR(brute::kl(product_energy(n), INFINITY, t1), std::log(2 - std::pow(2.0, 1 - n)), 1e-12);
    EXPECT_TRUE(std::isinf(brute::kl(product_energy(n), INFINITY, std::vector<double>(n, 0.5))));
  }
  const bool expected[] = {true, false, true, true, true, true};
  for (size_t k = 0; k < j.verdicts.size(); ++k) {
    EXPECT_EQ(j.verdicts[k].holds(), expected[k]) << j.claims[k].text << ": " << verdict_line(j.verdicts[k]);
    EXPECT_EQ(j.verdicts[k].checked, 14);
  }
  const ClaimVerdict& half = j.verdicts[1];
  ASSERT_EQ(half.first_failure, 0);
  const ClaimPoint& f = half.points[0];
  EXPECT_EQ(f.n, 1);
  EXPECT_TRUE(std::isinf(f.claimed_kl));
  EXPECT_NE(f.why.find("where p = 0, so KL(q||p) = +inf"), std::string::npos) << f.why;
  EXPECT_NE(f.why.find("the minimum over Q2 is log(2^1 - 1) = 0, at theta = 0"), std::string::npos) << f.why;
  EXPECT_EQ(half.held, 0);
}

TEST(ClaimCheck, FormulasAtFiniteBetaAreJudgedByEnumeration) {
  const std::vector<std::string> lines = {"log_z = log(2^N - 1 + exp(-beta))", "mean_phi = exp(-beta)/(2^N - 1 + exp(-beta))",
                                          "log_z = N*log(2)", "mean_phi = 2^(-N)", "Z = 2^N - 1 + exp(-beta)"};
  const std::vector<int> ns = {1, 2, 3, 5, 8};
  const std::vector<double> betas = {0.5, 2, 8};
  const Judged j = judge(lines, ns, betas);
  for (size_t k = 0; k < lines.size(); ++k) {
    bool truth = true;  // from brute force, at the same tolerance rule
    for (int n : ns)
      for (double b : betas) {
        const Quantity q = j.claims[k].quantity == Quantity::z ? Quantity::log_z : j.claims[k].quantity;
        const double x = brute_value(q, n, b), c = j.claims[k].evaluate(n, b);
        const double claimed = j.claims[k].quantity == Quantity::z ? std::log(c) : c;
        truth = truth && std::fabs(claimed - x) <= 1e-9 * std::max(1.0, std::fabs(x));
      }
    EXPECT_EQ(j.verdicts[k].holds(), truth) << lines[k] << ": " << verdict_line(j.verdicts[k]);
  }
  EXPECT_TRUE(j.verdicts[0].holds());
  EXPECT_FALSE(j.verdicts[2].holds());
  EXPECT_EQ(j.verdicts[0].checked, 15);
}

TEST(ClaimCheck, NearMissesFailAtTheStatedTolerance) {
  // θ off by 0.01, a formula off by a power of two, a hand number off in its fourth digit.
  const Judged j = judge({"Q1.theta = i == 1 ? 0 : 0.51", "Q1.kl = log(2 - 2^(-N))", "Q2.kl = log(2^N)",
                          "Q1.kl = 0.5586 if N == 3", "Q1.kl = 0.5596 if N == 3", "Q1.kl = 0.55961579 if N == 3",
                          "Q2.theta = 0.01"},
                         {1, 2, 3, 4, 5, 6}, {INFINITY});
  const double kl3 = grid_min_q1(3, INFINITY, 2);  // exact at β = ∞: log(1.75)
  EXPECT_GT(std::fabs(0.5586 - kl3), 1e-3 * kl3);
  EXPECT_LT(std::fabs(0.5596 - kl3), 1e-3 * kl3);
  const bool expected[] = {false, false, false, false, true, true, false};
  for (size_t k = 0; k < j.verdicts.size(); ++k)
    EXPECT_EQ(j.verdicts[k].holds(), expected[k]) << j.claims[k].text << ": " << verdict_line(j.verdicts[k]);
  // θ off by 0.01 holds at N = 1 (no coordinate but the zero) and fails from N = 2 on.
  const ClaimVerdict& off = j.verdicts[0];
  EXPECT_EQ(off.points[static_cast<size_t>(off.first_failure)].n, 2);
  EXPECT_EQ(off.held, 1);
  std::vector<double> t = {0, 0.51};
  EXPECT_GT(brute::kl(product_energy(2), INFINITY, t), grid_min_q1(2, INFINITY, 2) + 1e-5);
  // The formula off by a power of two names N = 1 as its first failure.
  EXPECT_EQ(j.verdicts[1].points[static_cast<size_t>(j.verdicts[1].first_failure)].n, 1);
  EXPECT_NE(verdict_line(j.verdicts[1]).find("fails at N = 1, beta = inf"), std::string::npos);
}

TEST(ClaimCheck, AWrongFormulaRightForSomeNNamesTheFirstNWhereItFails) {
  // N^2 - N + 1 = 2^N - 1 for N = 1, 2, 3 only; --n given out of order.
  const Judged j = judge({"Q2.kl = log(N^2 - N + 1)"}, {4, 1, 3, 2, 5}, {INFINITY});
  int first_bad = 0;
  for (int n = 1; n <= 5 && !first_bad; ++n)
    if (std::fabs(std::log(double(n * n - n + 1)) - grid_min_q2(n, INFINITY, 2)) > 1e-9) first_bad = n;
  ASSERT_EQ(first_bad, 4);
  const ClaimVerdict& v = j.verdicts[0];
  ASSERT_FALSE(v.holds());
  EXPECT_EQ(v.points[static_cast<size_t>(v.first_failure)].n, first_bad);
  EXPECT_EQ(v.held, 3);
  EXPECT_NE(verdict_line(v).find("(holds at 3 of 5 points)"), std::string::npos) << verdict_line(v);
}

TEST(ClaimCheck, HandNumbersAtFiniteBetaMatchTheBruteForceMinimum) {
  // Q2 at N = 3, beta = 2: the minimum by a dense brute-force line search, written to 4 and to
  // 8 significant digits, and 1 % off.
  const double kl = grid_min_q2(3, 2, 20000);
  double theta = 0, best = INFINITY;
  for (int k = 0; k <= 20000; ++k) {
    const double f = brute::kl(product_energy(3), 2, std::vector<double>(3, k / 20000.0));
    if (f < best) best = f, theta = k / 20000.0;
  }
  char four[32], eight[32], off[32], th[32], th_off[32];
  std::snprintf(four, sizeof four, "%.4g", kl);
  std::snprintf(eight, sizeof eight, "%.8g", kl);
  std::snprintf(off, sizeof off, "%.4g", kl * 1.01);
  std::snprintf(th, sizeof th, "%.4f", theta);
  std::snprintf(th_off, sizeof th_off, "%.4f", theta + 0.01);
  const std::string when = " if N == 3 && beta == 2";
  const Judged j = judge({std::string("Q2.kl = ") + four + when, std::string("Q2.kl = ") + eight + when,
                          std::string("Q2.kl = ") + off + when, std::string("Q2.theta = ") + th + when,
                          std::string("Q2.theta = ") + th_off + when},
                         {3}, {2, INFINITY});
  const bool expected[] = {true, true, false, true, false};
  for (size_t k = 0; k < j.verdicts.size(); ++k) {
    EXPECT_EQ(j.verdicts[k].holds(), expected[k]) << j.claims[k].text << ": " << verdict_line(j.verdicts[k]);
    EXPECT_EQ(j.verdicts[k].checked, 1);
  }
}

TEST(ClaimCheck, AQ1MinimiserAtFiniteBetaHoldsAnyPermutationAndFreeEnergyIsLogZMinusKl) {
  // Small N, finite beta: the brute-force grid minimum bounds the true one from above; the
  // checker's minimum must lie at or below it, and max F = log Z - min KL.
  const Judged j = judge({"Q1.kl = 0", "Q1.F = 0"}, {2, 3}, {0.5, 8});
  for (const ClaimPoint& p : j.verdicts[0].points) {
    const double grid = grid_min_q1(p.n, p.beta, p.n == 2 ? 200 : 40);
    EXPECT_LE(p.exact[0], grid + 1e-12) << p.n << " " << p.beta;
    EXPECT_GE(p.exact[0], grid - 1e-3) << p.n << " " << p.beta;
  }
  for (size_t k = 0; k < j.verdicts[1].points.size(); ++k) {
    const ClaimPoint &f = j.verdicts[1].points[k], &kl = j.verdicts[0].points[k];
    EXPECT_NEAR(f.exact[0], brute::log_z(product_energy(f.n), f.beta) - kl.exact[0], 1e-12);
  }
}

TEST(ClaimCheck, AClaimWhoseConditionNeverHoldsIsNotChecked) {
  const Judged j = judge({"Q2.kl = 1 if N == 30", "Q2.theta = 2", "Q2.theta = log(-1)"}, {1, 2}, {INFINITY});
  EXPECT_EQ(j.verdicts[0].checked, 0);
  EXPECT_FALSE(j.verdicts[0].holds());
  EXPECT_NE(verdict_line(j.verdicts[0]).find("not checked"), std::string::npos);
  EXPECT_NE(verdict_line(j.verdicts[1]).find("theta = 2 is not a probability"), std::string::npos) << verdict_line(j.verdicts[1]);
  EXPECT_NE(verdict_line(j.verdicts[2]).find("not a number"), std::string::npos) << verdict_line(j.verdicts[2]);
}

TEST(ClaimCheck, ResultsDoNotDependOnTheThreadCount) {
  const std::vector<Claim> claims = parse_claims("Q1.kl = 0.1\nQ1.theta = i == 1 ? 0.3 : 0.2\nQ2.theta = 0\n", "t");
  ClaimCheckConfig cfg;
  cfg.n_values = {1, 2, 3, 4, 5, 6, 7, 8};
  cfg.betas = {0.5, 4, INFINITY};
  cfg.threads = 1;
  const auto a = check_claims(claims, cfg);
  cfg.threads = 3;
  const auto b = check_claims(claims, cfg);
  for (size_t k = 0; k < a.size(); ++k)
    for (size_t p = 0; p < a[k].points.size(); ++p) {
      EXPECT_EQ(a[k].points[p].exact, b[k].points[p].exact);
      EXPECT_EQ(a[k].points[p].why, b[k].points[p].why);
    }
}
