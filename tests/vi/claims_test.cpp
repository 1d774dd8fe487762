// The claims reader: formulas evaluate as written (natural log, ^, ?:, ==, &&, inf), the
// condition after `if` limits a claim, and every unreadable line is a ClaimError naming the
// source, the line and the column of the problem.
#include "vi/claims.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace vivae;

namespace {
double value_of(const std::string& claim, int n, double beta, int i = 1) {
  return parse_claim(claim, "t", 1).evaluate(n, beta, i);
}
std::string error_of(const std::string& text) {
  try {
    parse_claims(text, "f.txt");
  } catch (const ClaimError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(Claims, LogIsNaturalAndTheOperatorsAreThoseOfTheHomework) {
  EXPECT_DOUBLE_EQ(value_of("log_z = log(10)", 1, 1), std::log(10.0));  // not log10
  EXPECT_DOUBLE_EQ(value_of("log_z = log10(100)", 1, 1), 2.0);
  EXPECT_DOUBLE_EQ(value_of("log_z = 2^N - 1", 5, 1), 31.0);
  EXPECT_DOUBLE_EQ(value_of("log_z = 2^(1-N)", 3, 1), 0.25);
  EXPECT_DOUBLE_EQ(value_of("log_z = -2^2", 1, 1), -4.0);
  EXPECT_DOUBLE_EQ(value_of("log_z = sqrt(N) + exp(-beta)", 4, 0.5), 2.0 + std::exp(-0.5));
  EXPECT_DOUBLE_EQ(value_of("log_z = sigmoid(beta)", 1, 2), 1 / (1 + std::exp(-2.0)));
  EXPECT_DOUBLE_EQ(value_of("log_z = beta == inf ? 1 : 2", 1, INFINITY), 1.0);
  EXPECT_DOUBLE_EQ(value_of("log_z = beta == inf ? 1 : 2", 1, 3), 2.0);
  EXPECT_DOUBLE_EQ(value_of("log_z = N == 3 && beta > 1", 3, 2), 1.0);
  EXPECT_DOUBLE_EQ(value_of("log_z = N == 3 && beta > 1", 3, 1), 0.0);
  EXPECT_DOUBLE_EQ(value_of("log_z = N != 3 || beta <= 1 || beta >= 5", 3, 1), 1.0);
  EXPECT_DOUBLE_EQ(value_of("log_z = max(N, beta, 2)", 1, 1), 2.0);
  EXPECT_DOUBLE_EQ(value_of("log_z = log1p(1e-20) * 1e20", 1, 1), 1.0);
  EXPECT_DOUBLE_EQ(value_of("log_z = pi + e", 1, 1), M_PI + M_E);
  EXPECT_TRUE(std::isinf(value_of("log_z = inf", 1, 1)));
  EXPECT_DOUBLE_EQ(value_of("Q1.theta = i == 1 ? 0 : 1/2", 3, INFINITY, 1), 0.0);
  EXPECT_DOUBLE_EQ(value_of("Q1.theta = i == 1 ? 0 : 1/2", 3, INFINITY, 2), 0.5);
  EXPECT_TRUE(std::isnan(value_of("log_z = log(-1)", 1, 1)));
}

TEST(Claims, AConditionLimitsTheClaimToItsPoints) {
  const Claim c = parse_claim("Q1.kl = 0.5596 if N == 3 && beta == inf", "t", 1);
  EXPECT_EQ(c.quantity, Quantity::q1_kl);
  EXPECT_EQ(c.expression, "0.5596");
  EXPECT_EQ(c.condition, "N == 3 && beta == inf");
  EXPECT_TRUE(c.applies(3, INFINITY));
  EXPECT_FALSE(c.applies(3, 8));
  EXPECT_FALSE(c.applies(4, INFINITY));
  EXPECT_TRUE(parse_claim("Q2.kl = 1", "t", 1).applies(7, 1));
  // A word containing "if" is not the keyword.
  EXPECT_EQ(parse_claim("Q2.kl = 1 if N >= 2", "t", 1).condition, "N >= 2");
}

TEST(Claims, NumbersWithADecimalPointOrExponentAreHandTyped) {
  EXPECT_TRUE(parse_claim("Q1.kl = 0.5596", "t", 1).hand_number);
  EXPECT_TRUE(parse_claim("Q1.kl = .5", "t", 1).hand_number);
  EXPECT_TRUE(parse_claim("Q1.kl = 2 * 1e-3", "t", 1).hand_number);
  EXPECT_FALSE(parse_claim("Q1.kl = log(2 - 2^(1-N))", "t", 1).hand_number);
  EXPECT_FALSE(parse_claim("Q1.kl = 1/2 if beta > 0.5", "t", 1).hand_number);  // the condition does not count
  EXPECT_FALSE(parse_claim("Q1.kl = log10(N)", "t", 1).hand_number);
}

TEST(Claims, FileSkipsCommentsAndBlankLinesAndKeepsOrderAndLines) {
  const std::string text = "\xEF\xBB\xBF# my answers\r\n\r\nQ2.kl = log(2^N - 1)   # (c)\r\n   \nQ2.theta = 0\n# end";
  const std::vector<Claim> claims = parse_claims(text, "mine.txt");
  ASSERT_EQ(claims.size(), 2u);
  EXPECT_EQ(claims[0].text, "Q2.kl = log(2^N - 1)");
  EXPECT_EQ(claims[0].line, 3);
  EXPECT_EQ(claims[1].quantity, Quantity::q2_theta);
  EXPECT_EQ(claims[1].line, 5);
  EXPECT_EQ(claims[1].source, "mine.txt");
  EXPECT_EQ(claims_text({"Q2.kl = 1", "Q1.kl = 2"}), "Q2.kl = 1\nQ1.kl = 2\n");
  EXPECT_EQ(parse_claims(claims_text({"Q2.kl = 1", "Q1.kl = 2"}), "x").size(), 2u);
}

TEST(Claims, EveryUnreadableLineNamesItsLineAndColumn) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"Q3.kl = 1", "f.txt:1:1: unknown quantity 'Q3.kl'"},
      {"q2.KL = 1", "did you mean Q2.kl?"},
      {"\n\nQ2.kl = n", "f.txt:3:9: unknown name 'n' (did you mean N?"},
      {"Q2.kl = log(2^N - 1", "f.txt:1:"},
      {"Q2.kl = 1 +", "f.txt:1:12: the formula ends too early"},
      {"Q2.kl =", "f.txt:1:8: nothing right of '='"},
      {"Q2.kl == 1", "f.txt:1:1: expected QUANTITY = EXPRESSION"},
      {"just words", "f.txt:1:1: expected QUANTITY = EXPRESSION"},
      {"Q2.kl = 1 if", "f.txt:1:13: nothing after 'if'"},
      {"Q2.kl = 1 if i == 2", "f.txt:1:14: unknown name 'i'"},
      {"Q2.theta = i", "f.txt:1:12: unknown name 'i'"},
      {"Q2.kl = N ? 1", "'?' needs both branches"},
      {"Q2.kl = log_z + 1", "'log_z' is a quantity"},
      {"Q2.kl = \xCE\xB2", "f.txt:1:9: a character that is not ASCII"},
      {"Q2.theta = 0 if beta = inf", "f.txt:1:22: '=' inside a formula assigns; write '=='"},
      {"Q2.kl = N += 1", "f.txt:1:12: '=' inside a formula assigns"},
      {"Q2.kl = 1, 2", "f.txt:1:9: a formula gives one value"},
      {"Q2.kl = \"text\"", "f.txt:1:"},
      {"# only comments\n\n", "f.txt: no claims"},
      {"", "f.txt: no claims"},
      {"Q2.kl = 1\nQ1.kl = foo(2)", "f.txt:2:9: unknown name 'foo'"},
      {"Q2.kl = " + std::string(5000, '1'), "longer than"},
  };
  for (const auto& [text, expected] : bad) {
    const std::string e = error_of(text);
    EXPECT_NE(e.find(expected), std::string::npos) << "claim: " << text << "\nerror: " << e;
  }
  EXPECT_EQ(error_of(std::string("Q2.kl = 1\0", 10)).find("NUL") != std::string::npos, true);
}

TEST(Claims, AClaimGivenAloneIsNamedByItsPlaceOnTheCommandLine) {
  try {
    parse_claim("Q2.kl = n", "--claim 2", 0);
    FAIL() << "expected a ClaimError";
  } catch (const ClaimError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("--claim 2, column 9: unknown name 'n'", 0), 0u) << e.what();
  }
}
