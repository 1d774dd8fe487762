#include "common/format.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "common/read.hpp"

using namespace vivae;

TEST(Format, ShortestFormReadsBackExactly) {
  for (double x : {0.1, 1.0 / 3, -33.71315146217154, 1e-300, 6.02e23, 0.0}) {
    EXPECT_EQ(std::strtod(fmt(x).c_str(), nullptr), x) << fmt(x);
  }
  EXPECT_EQ(fmt(0.5), "0.5");
  EXPECT_EQ(fmt(INFINITY), "inf");
  EXPECT_EQ(fmt(-INFINITY), "-inf");
  EXPECT_EQ(fmt(NAN), "nan");
}

