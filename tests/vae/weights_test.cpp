// Layers found by shape: every naming and order of a state dict gives the same parameters;
// names decide only what shapes cannot, and say so; a transposed, missing or extra tensor,
// or two heads nothing tells apart, is a DataError naming the tensors.
#include "vae/weights.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/errors.hpp"
#include "common/rng.hpp"
#include "vae/model_io.hpp"
#include "vae/safetensors.hpp"

using namespace vivae;

namespace {

const Widths kW{12, 5, 2, 4};  // D, He, L, Hd

Params<double> random_params(uint64_t seed) {
  Rng rng = make_rng(seed, 0);
  Params<double> p = zeros_like<double>(kW);
  for (arma::mat* m : tensors(p))
    for (arma::uword i = 0; i < m->n_elem; ++i) (*m)(i) = 2 * uniform(rng) - 1;
  return p;
}

NamedTensor tensor_of(const std::string& name, const arma::mat& m, bool bias, arma::uword r0 = 0, arma::uword rows = 0) {
  NamedTensor t;
  t.name = name;
  t.dtype = "F64";
  rows = rows ? rows : m.n_rows;
  t.shape = bias ? std::vector<uint64_t>{rows} : std::vector<uint64_t>{rows, m.n_cols};
  for (arma::uword r = r0; r < r0 + rows; ++r)
    for (arma::uword c = 0; c < (bias ? 1 : m.n_cols); ++c) t.values.push_back(m(r, c));
  return t;
}

// pytorch/examples: fc1, fc21 (μ), fc22 (the scale), fc3, fc4.
std::vector<NamedTensor> examples_naming(const Params<double>& p) {
  const arma::uword L = p.w3.n_cols;
  return {tensor_of("fc1.weight", p.w1, false), tensor_of("fc1.bias", p.b1, true),
          tensor_of("fc21.weight", p.w2, false, 0, L), tensor_of("fc21.bias", p.b2, true, 0, L),
          tensor_of("fc22.weight", p.w2, false, L, L), tensor_of("fc22.bias", p.b2, true, L, L),
          tensor_of("fc3.weight", p.w3, false), tensor_of("fc3.bias", p.b3, true),
          tensor_of("fc4.weight", p.w4, false), tensor_of("fc4.bias", p.b4, true)};
}

TensorFile file_of_tensors(std::vector<NamedTensor> t) {
  TensorFile f;
  f.format = "test";
  f.tensors = std::move(t);
  return f;
}

bool same(const Params<double>& a, const Params<double>& b) {
  auto ta = tensors(a);
  auto tb = tensors(b);
  for (size_t i = 0; i < ta.size(); ++i)
    if (!arma::approx_equal(*ta[i], *tb[i], "absdiff", 0.0)) return false;
  return true;
}

std::string weights_error(const TensorFile& f) {
  try {
    match_layers(f, "w", HeadScale::log_var, kW.input);
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Weights, EveryNamingAndOrderGivesTheSameParameters) {
  const Params<double> p = random_params(1);
  const LoadedWeights head = match_layers(file_of_tensors(linear_tensors(p)), "w", HeadScale::log_var, kW.input);
  EXPECT_TRUE(same(head.params, p));
  EXPECT_EQ(head.widths.latent, 2);
  EXPECT_EQ(head.widths.enc_hidden, 5);
  EXPECT_EQ(head.widths.dec_hidden, 4);
  EXPECT_TRUE(head.notes.empty());

  std::vector<NamedTensor> ex = examples_naming(p);
  const LoadedWeights a = match_layers(file_of_tensors(ex), "w", HeadScale::log_var, kW.input);
  EXPECT_TRUE(same(a.params, p));
  ASSERT_EQ(a.notes.size(), 1u);
  EXPECT_NE(a.notes[0].find("'fc21' read as mu and 'fc22' as the logvar head, by the numbers in their names"),
            std::string::npos) << a.notes[0];
  for (int k = 0; k < 5; ++k) {  // any order of the keys
    std::rotate(ex.begin(), ex.begin() + 3, ex.end());
    std::reverse(ex.begin() + k, ex.end());
    EXPECT_TRUE(same(match_layers(file_of_tensors(ex), "w", HeadScale::log_var, kW.input).params, p)) << k;
  }
  // nn.Sequential-style keys, the heads named mu and logvar and listed scale first: names decide.
  std::vector<NamedTensor> seq = examples_naming(p);
  const char* names[] = {"encoder.0", "encoder.0", "encoder.mu", "encoder.mu", "encoder.logvar", "encoder.logvar",
                         "decoder.0", "decoder.0", "decoder.2", "decoder.2"};
  for (size_t i = 0; i < seq.size(); ++i) seq[i].name = std::string(names[i]) + (i % 2 ? ".bias" : ".weight");
  std::swap(seq[2], seq[4]);
  std::swap(seq[3], seq[5]);
  const LoadedWeights b = match_layers(file_of_tensors(seq), "w", HeadScale::log_var, kW.input);
  EXPECT_TRUE(same(b.params, p));
  EXPECT_NE(b.notes[0].find("by their names"), std::string::npos) << b.notes[0];
}

TEST(Weights, ATransposedMissingOrExtraTensorIsNamed) {
  const Params<double> p = random_params(2);
  std::vector<NamedTensor> t = linear_tensors(p);
  std::swap(t[0].shape[0], t[0].shape[1]);  // enc1.weight stored (in, out)
  EXPECT_NE(weights_error(file_of_tensors(t)).find("weight 'enc1.weight' is (12, 5) but its bias 'enc1.bias' has 5 entries"),
            std::string::npos) << weights_error(file_of_tensors(t));
  EXPECT_NE(weights_error(file_of_tensors(t)).find("is it transposed?"), std::string::npos);
  // Its bias named otherwise: the sizes still show it.
  t[1].name = "b_first";
  EXPECT_NE(weights_error(file_of_tensors(t)).find("is it transposed?"), std::string::npos) << weights_error(file_of_tensors(t));
  t = linear_tensors(p);
  t.erase(t.begin() + 7);  // dec2.bias
  EXPECT_NE(weights_error(file_of_tensors(t)).find("no bias of size 12 for weight 'dec2.weight'"), std::string::npos)
      << weights_error(file_of_tensors(t));
  t = linear_tensors(p);
  t.erase(t.begin() + 4, t.begin() + 6);  // no dec1
  EXPECT_NE(weights_error(file_of_tensors(t)).find("found 3"), std::string::npos) << weights_error(file_of_tensors(t));
  t = linear_tensors(p);
  t.push_back(NamedTensor{"extra", {3}, "F64", {1, 2, 3}});
  EXPECT_NE(weights_error(file_of_tensors(t)).find("'extra' (3,) is the bias of no weight"), std::string::npos);
  t = linear_tensors(p);
  t.push_back(NamedTensor{"bn.running_mean", {2, 2, 2}, "F64", std::vector<double>(8, 0.0)});
  EXPECT_NE(weights_error(file_of_tensors(t)).find("'bn.running_mean' has shape (2, 2, 2)"), std::string::npos);
  t = linear_tensors(p);
  t[3].values[0] = NAN;
  EXPECT_NE(weights_error(file_of_tensors(t)).find("'enc2.bias' has a non-finite value"), std::string::npos);
  // A model for other images.
  try {
    match_layers(file_of_tensors(linear_tensors(p)), "w", HeadScale::log_var, 196);
    FAIL();
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("no layer takes the images' 196 inputs"), std::string::npos) << e.what();
  }
}

TEST(Weights, TwoHeadsThatNothingTellsApartAreRefusedNamingBoth) {
  std::vector<NamedTensor> t = examples_naming(random_params(3));
  t[2].name = "head_x.weight", t[3].name = "head_x.bias", t[4].name = "head_y.weight", t[5].name = "head_y.bias";
  const std::string e = weights_error(file_of_tensors(t));
  EXPECT_NE(e.find("mu: 'head_x' or 'head_y'"), std::string::npos) << e;
  EXPECT_NE(e.find("scale: 'head_y' or 'head_x'"), std::string::npos) << e;
}

TEST(Weights, FilesAreToldApartByTheirFirstBytes) {
  const Params<double> p = random_params(4);
  const std::string st = serialise_safetensors(linear_tensors(p), "F64", {});
  const LoadedWeights a = load_weights(st, "no-extension", HeadScale::log_std, kW.input);
  EXPECT_EQ(a.format, "safetensors");
  EXPECT_EQ(a.params.scale, HeadScale::log_std);
  EXPECT_TRUE(same(a.params, p));
  const LoadedWeights b = load_weights(serialise_model(p, kW), "model.bin", HeadScale::log_var, kW.input);
  EXPECT_EQ(b.format, "model.bin");
  EXPECT_TRUE(same(b.params, p));
  EXPECT_THROW(load_weights("", "x", HeadScale::log_var, kW.input), DataError);
  EXPECT_THROW(load_weights("hello world, not a model", "x", HeadScale::log_var, kW.input), DataError);
  EXPECT_THROW(load_weights(serialise_model(p, kW), "model.bin", HeadScale::log_var, 196), DataError);
  // F32 values survive exactly.
  const LoadedWeights f = load_weights(serialise_safetensors(linear_tensors(convert<float>(p)), "F32", {}), "m",
                                       HeadScale::log_var, kW.input);
  EXPECT_EQ(f.element_bytes, 4);
  EXPECT_TRUE(same(f.params, convert<double>(convert<float>(p))));
}
