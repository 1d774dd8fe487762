// summary.json through nlohmann/json: what is written reads back as the same values, keys keep
// their order, non-finite numbers survive, and paths find the value at their own level only.
#include "common/json.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "common/errors.hpp"

using namespace vivae;

TEST(Json, NumbersAndNonFiniteValuesRoundTrip) {
  Json j;
  j["elbo"] = json_number(-33.71315136231636);
  j["tiny"] = json_number(1e-300);
  j["kl"] = json_number(HUGE_VAL);
  j["low"] = json_number(-HUGE_VAL);
  j["bad"] = json_number(std::nan(""));
  j["n"] = 3;
  const Json back = parse_json(json_text(j), "t");
  EXPECT_EQ(number_at(back, "elbo", "t"), -33.71315136231636);  // shortest form that reads back exactly
  EXPECT_EQ(number_at(back, "tiny", "t"), 1e-300);
  EXPECT_EQ(number_at(back, "kl", "t"), HUGE_VAL);
  EXPECT_EQ(number_at(back, "low", "t"), -HUGE_VAL);
  EXPECT_TRUE(std::isnan(number_at(back, "bad", "t")));
  EXPECT_EQ(number_at(back, "n", "t"), 3.0);
  EXPECT_NE(json_text(j).find("\"kl\": \"inf\""), std::string::npos) << json_text(j);
}

TEST(Json, KeysKeepTheirOrderAndTextIsIndentedByTwo) {
  Json j;
  j["z"] = 1;
  j["a"] = Json::object();
  j["a"]["y"] = "s";
  EXPECT_EQ(json_text(j), "{\n  \"z\": 1,\n  \"a\": {\n    \"y\": \"s\"\n  }\n}\n");
}

TEST(Json, PathsAreNotFooledByKeysInStringsOrOtherLevelsOrOrder) {
  // The hand-written reader this replaced searched the text: a key inside a string value, a key
  // of the same name one level down, or a reordered object could fool it.
  const std::string text = R"({"note": "\"elbo\": 99", "heldout": {"name": "x", "elbo": -33.5}, "elbo": 1,
                               "train": {"iwae": "inf", "elbo": -2}})";
  const Json j = parse_json(text, "s");
  EXPECT_EQ(number_at(j, "elbo", "s"), 1.0);
  EXPECT_EQ(number_at(j, "heldout.elbo", "s"), -33.5);
  EXPECT_EQ(number_at(j, "train.elbo", "s"), -2.0);
  EXPECT_TRUE(std::isinf(number_at(j, "train.iwae", "s")));
  EXPECT_EQ(string_at(j, "heldout.name", "s"), "x");
  EXPECT_THROW(number_at(j, "heldout.kl", "s"), DataError);
  EXPECT_THROW(number_at(j, "heldout.name", "s"), DataError);  // a string that is not a number
  EXPECT_THROW(string_at(j, "elbo", "s"), DataError);
  EXPECT_THROW(number_at(j, "elbo.x", "s"), DataError);
}

TEST(Json, InvalidTextIsADataErrorNamingTheFile) {
  try {
    parse_json("{\"a\": ", "results/p2/summary.json");
    FAIL() << "no error";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("results/p2/summary.json"), std::string::npos) << e.what();
  }
}
