#include "vae/idx.hpp"

#include <gtest/gtest.h>

#include "../apps/app_runner.hpp"
#include "common/errors.hpp"
#include "idx_writer.hpp"

using namespace vivae;
using namespace vivae::testing;

TEST(Idx, ParsesAValidFile) {
  const IdxArray a = parse_idx(idx_bytes({2, 3}, {1, 2, 3, 4, 5, 6}), "t");
  EXPECT_EQ(a.dims, (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(a.data[5], 6);
}

TEST(Idx, RejectsEveryCorruptionWithAMessageNamingTheFile) {
  const std::string good = idx_bytes({2, 3}, {1, 2, 3, 4, 5, 6});
  std::vector<std::pair<std::string, std::string>> bad = {
      {"", "shorter"},
      {good.substr(0, 6), "truncated header"},
      {good.substr(0, good.size() - 1), "truncated"},
      {good + "x", "trailing"},
      {idx_bytes({0, 3}, {}), "zero"},
  };
  std::string magic = good;
  magic[0] = 1;
  bad.emplace_back(magic, "magic");
  std::string type = good;
  type[2] = 0x0d;
  bad.emplace_back(type, "element type");
  std::string dims = good;
  dims[3] = 0;
  bad.emplace_back(dims, "dimension count");
  for (const auto& [bytes, why] : bad) {
    try {
      parse_idx(bytes, "the-file");
      ADD_FAILURE() << "accepted: " << why;
    } catch (const DataError& e) {
      EXPECT_NE(std::string(e.what()).find("the-file"), std::string::npos);
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  }
}

TEST(Idx, ReadsGzipAndRawAlike) {
  const std::string dir = temp_dir();
  const std::string raw = idx_bytes({4}, {1, 2, 3, 9});
  write_bytes(dir + "/l", raw);
  write_bytes(dir + "/l.gz", gzip_bytes(raw));
  EXPECT_EQ(read_labels(dir + "/l"), read_labels(dir + "/l.gz"));
  const std::string gz = gzip_bytes(raw);
  write_bytes(dir + "/cut.gz", gz.substr(0, gz.size() / 2));
  EXPECT_THROW(read_labels(dir + "/cut.gz"), DataError);
}

TEST(Idx, RejectsLabelsOutsideZeroToNineAndWrongRanks) {
  const std::string dir = temp_dir();
  write_bytes(dir + "/l", idx_bytes({3}, {1, 10, 2}));
  EXPECT_THROW(read_labels(dir + "/l"), DataError);
  write_bytes(dir + "/i", idx_bytes({3}, {1, 2, 2}));
  EXPECT_THROW(read_images(dir + "/i"), DataError);
  EXPECT_THROW(read_images(dir + "/missing"), DataError);
}
