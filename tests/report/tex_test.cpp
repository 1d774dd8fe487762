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

TEST(Read, CsvAndJsonValuesComeBackAsWritten) {
  const Table t = parse_csv("a,b\n1,x y\n2.5,z\n", "t.csv");
  EXPECT_EQ(t.num(1, "a"), 2.5);
  EXPECT_EQ(t.rows[0][t.col("b")], "x y");
  EXPECT_THROW(t.col("c"), DataError);
  EXPECT_THROW(parse_csv("a,b\n1\n", "bad.csv"), DataError);
  const std::string j = "{\n  \"elbo\": 1,\n  \"heldout\": {\n    \"elbo\": -33.5,\n    \"name\": \"x\"\n  },\n  \"w\": \"inf\"\n}";
  EXPECT_EQ(json_number_at(j, "heldout.elbo", "s"), -33.5);
  EXPECT_EQ(json_number_at(j, "elbo", "s"), 1.0);  // the top-level key, not the nested one
  EXPECT_TRUE(std::isinf(json_number_at(j, "w", "s")));
  EXPECT_EQ(json_string_at(j, "heldout.name", "s"), "x");
  EXPECT_THROW(json_number_at(j, "train.elbo", "s"), DataError);
}
