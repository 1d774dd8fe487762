#include "common/parse.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "common/errors.hpp"

using namespace vivae;

TEST(Parse, IntListAcceptsValueListAndRange) {
  EXPECT_EQ(parse_int_list("n", "5", 1, 30), (std::vector<int>{5}));
  EXPECT_EQ(parse_int_list("n", "1,3", 1, 30), (std::vector<int>{1, 3}));
  EXPECT_EQ(parse_int_list("n", "2:4,8", 1, 30), (std::vector<int>{2, 3, 4, 8}));
}

TEST(Parse, IntListRejectsBadValues) {
  for (const char* bad : {"0", "31", "-1", "1:", "4:2", "x", "3x", "1,,2", "1,", "", "1.5"})
    EXPECT_THROW(parse_int_list("n", bad, 1, 30), UsageError) << bad;
}

TEST(Parse, BetaListAcceptsInfAndRejectsNegativeOrNan) {
  const auto b = parse_beta_list("beta", "0,0.5,inf");
  ASSERT_EQ(b.size(), 3u);
  EXPECT_TRUE(std::isinf(b[2]));
  for (const char* bad : {"-1", "nan", "NaN", "1e999", "2x", "", "1,,2", "-inf"})
    EXPECT_THROW(parse_beta_list("beta", bad), UsageError) << bad;
}

TEST(Parse, DoubleNamesTheOption) {
  try {
    parse_double("lr", "abc");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--lr"), std::string::npos);
  }
}

TEST(Parse, SeedRejectsNegative) {
  EXPECT_THROW(parse_seed("seed", "-3"), UsageError);
  EXPECT_EQ(parse_seed("seed", "18446744073709551615"), UINT64_MAX);
}
