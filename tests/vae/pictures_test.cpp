#include "vae/pictures.hpp"

#include <gtest/gtest.h>

using namespace vivae;

TEST(Pictures, ReconstructionPairsPutOriginalsFirstThenDecoderMeans) {
  Rng rng = make_rng(1, 0);
  const Params<double> p = init_params<double>(Widths{}, rng);
  Dataset held;
  held.x.set_size(196, 10);
  for (auto& v : held.x) v = uniform(rng) < 0.3;
  held.labels.assign(10, 7);
  const ImageSet s = reconstruction_pairs(p, held, 8);
  ASSERT_EQ(s.images.n_cols, 16u);
  EXPECT_TRUE(arma::approx_equal(s.images.cols(0, 7), held.x.cols(0, 7), "absdiff", 0));
  EXPECT_TRUE(arma::all(arma::vectorise(s.images.cols(8, 15)) > 0 && arma::vectorise(s.images.cols(8, 15)) < 1));
  EXPECT_EQ(s.lead[8], "0,7,reconstruction");
}

TEST(Pictures, LatentGridVariesOnlyTheTwoMostUsedDirections) {
  Rng rng = make_rng(2, 0);
  Params<double> p = init_params<double>(Widths{}, rng);
  // Make latent coordinates 3 and 6 carry the most KL: large |μ| from their encoder rows.
  p.b2(3) = 3.0;
  p.b2(6) = -2.0;
  arma::mat x(196, 20);
  for (auto& v : x) v = uniform(rng) < 0.3;
  const LatentGrid g = latent_grid(p, x, 5, 2.5);
  EXPECT_EQ(g.dim_a, 3u);
  EXPECT_EQ(g.dim_b, 6u);
  EXPECT_EQ(g.set.images.n_cols, 25u);
  for (arma::uword d = 0; d < 8; ++d) {
    if (d == 3 || d == 6) continue;
    EXPECT_EQ(arma::abs(g.z.row(d)).max(), 0.0);
  }
  EXPECT_DOUBLE_EQ(g.z(3, 0), -2.5);  // top-left: z_a = −range, z_b = +range
  EXPECT_DOUBLE_EQ(g.z(6, 0), 2.5);
}
