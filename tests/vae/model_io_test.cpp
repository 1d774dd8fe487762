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

TEST(ModelIo, AHeaderClaimingHugeWidthsIsRefusedBeforeAllocating) {
  // Found by the fuzzer: widths near the limits in a 150-byte file asked for ~800 MB.
  Widths w;
  w.input = 65545, w.enc_hidden = 1536, w.latent = 4, w.dec_hidden = 6;
  BinaryWriter out;
  out.put_raw("VIVAEMB1", 8);
  out.put<uint32_t>(1);
  out.put<uint32_t>(8);
  for (int v : {w.input, w.enc_hidden, w.latent, w.dec_hidden}) out.put<uint32_t>(static_cast<uint32_t>(v));
  out.put_raw(std::string(100, '\0').data(), 100);
  try {
    parse_model(out.finish(), "m");
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("does not match its widths"), std::string::npos) << e.what();
  }
}
