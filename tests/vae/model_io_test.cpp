#include "vae/model_io.hpp"

#include <gtest/gtest.h>

#include "common/errors.hpp"

using namespace vivae;

TEST(ModelIo, RoundTripsFloatAndDoubleExactly) {
  Widths w;
  w.enc_hidden = 5, w.latent = 2, w.dec_hidden = 3;
  Rng rng = make_rng(1, 0);
  const Params<double> pd = init_params<double>(w, rng);
  const LoadedModel md = parse_model(serialise_model(pd, w), "m");
  EXPECT_EQ(md.element_bytes, 8);
  EXPECT_EQ(md.widths.dec_hidden, 3);
  for (size_t i = 0; i < 8; ++i) EXPECT_TRUE(arma::approx_equal(*tensors(md.params)[i], *tensors(pd)[i], "absdiff", 0));
  const Params<float> pf = convert<float>(pd);
  const LoadedModel mf = parse_model(serialise_model(pf, w), "m");
  EXPECT_EQ(mf.element_bytes, 4);
  EXPECT_TRUE(arma::approx_equal(arma::conv_to<arma::fmat>::from(mf.params.w4), pf.w4, "absdiff", 0));
}

TEST(ModelIo, RejectsCorruptOrTruncatedFiles) {
  Widths w;
  w.enc_hidden = 4, w.latent = 2, w.dec_hidden = 3;
  Rng rng = make_rng(2, 0);
  const std::string good = serialise_model(init_params<float>(w, rng), w);
  std::string flipped = good;
  flipped[100] ^= 1;
  for (const std::string& bad : {flipped, good.substr(0, good.size() - 3), std::string("VIVAEMB1"), std::string()})
    EXPECT_THROW(parse_model(bad, "m"), DataError);
}
