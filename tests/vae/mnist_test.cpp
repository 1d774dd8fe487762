#include "vae/mnist.hpp"

#include <gtest/gtest.h>

#include "../apps/app_runner.hpp"
#include "common/errors.hpp"
#include "idx_writer.hpp"

using namespace vivae;
using namespace vivae::testing;

TEST(Mnist, DownsampleAveragesBlocksThenThresholdsAt128) {
  // 4×2 image → 2×1: block means 128.0 (→ 0, not > 128) and 128.25 (→ 1).
  const uint8_t img[8] = {128, 128, 128, 128, 128, 129, 128, 128};
  const arma::vec v = downsample_binarise(img, 4, 2);
  ASSERT_EQ(v.n_elem, 2u);
  EXPECT_EQ(v(0), 0.0);
  EXPECT_EQ(v(1), 1.0);
}

TEST(Mnist, FirstPerDigitKeepsFileOrder) {
  const std::vector<uint8_t> labels = {3, 1, 3, 0, 2, 1, 3, 4, 5, 6, 7, 8, 9, 0, 2, 4, 5, 6, 7, 8, 9};
  const auto idx = first_per_digit(labels, 1);
  EXPECT_EQ(idx, (std::vector<size_t>{0, 1, 3, 4, 7, 8, 9, 10, 11, 12}));
  EXPECT_THROW(first_per_digit(labels, 3), DataError);  // only two 0s
}

TEST(Mnist, LoadsTrainingAndHeldOutSetsFromIdxFiles) {
  const std::string dir = temp_dir();
  write_fake_mnist(dir, 50, 12, true);
  const MnistFiles f = locate_mnist(dir);
  const Dataset tr = load_training_set(f, 3);
  EXPECT_EQ(tr.x.n_rows, 196u);
  EXPECT_EQ(tr.x.n_cols, 30u);
  EXPECT_EQ(tr.labels[0], 0);
  EXPECT_EQ(tr.labels[29], 9);
  const Dataset te = load_heldout_set(f, 12);
  EXPECT_EQ(te.x.n_cols, 12u);
  EXPECT_TRUE(arma::all(arma::vectorise((te.x == 0) + (te.x == 1)) == 1));
  EXPECT_THROW(load_heldout_set(f, 13), DataError);
  EXPECT_THROW(locate_mnist(dir + "/nowhere"), DataError);
}
