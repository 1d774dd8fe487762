#include "report/tex.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "common/errors.hpp"
#include "common/read.hpp"

using namespace vivae;

TEST(Tex, NumbersAreFormattedForLatex) {
  EXPECT_EQ(tex_fixed(-33.713, 2), "$-33.71$");
  EXPECT_EQ(tex_fixed(-0.001, 2), "$0.00$");
  EXPECT_EQ(tex_sci(3.57e-14), "$3.6\\times10^{-14}$");
  EXPECT_EQ(tex_sci(9.96e-5), "$1.0\\times10^{-4}$");  // rounding carries into the exponent
  EXPECT_EQ(tex_sci(0.0), "$0$");
  EXPECT_EQ(tex_fixed(INFINITY, 2), "$\\infty$");
  EXPECT_EQ(tex_escape("vi_verify 50%"), "vi\\_verify 50\\%");
  EXPECT_EQ(tex_escape("--claims 2^N ~"), "-{}-claims 2\\textasciicircum{}N \\textasciitilde{}");
  EXPECT_THROW(tex_macro("P1", "x"), UsageError);
}

TEST(Tex, MovingAverageMatchesTheNaiveSum) {
  std::vector<double> x;
  for (int i = 0; i < 50; ++i) x.push_back(std::sin(i) * 10);
  const auto m = moving_average(x, 7);
  for (size_t i = 0; i < x.size(); ++i) {
    double s = 0;
    const size_t from = i >= 6 ? i - 6 : 0;
    for (size_t j = from; j <= i; ++j) s += x[j];
    EXPECT_NEAR(m[i], s / static_cast<double>(i - from + 1), 1e-12);
  }
}

TEST(Read, CsvValuesComeBackAsWritten) {
  const Table t = parse_csv("a,b\n1,x y\n2.5,z\n", "t.csv");
  EXPECT_EQ(t.num(1, "a"), 2.5);
  EXPECT_EQ(t.rows[0][t.col("b")], "x y");
  EXPECT_THROW(t.col("c"), DataError);
  EXPECT_THROW(parse_csv("a,b\n1\n", "bad.csv"), DataError);
}
