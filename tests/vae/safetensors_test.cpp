// safetensors against its specification: the writer's bytes read back by numpy (an
// independent reader), files written by hand from the spec read here, and every malformed
// file refused with DataError naming the problem.
#include "vae/safetensors.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "common/binary.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "torch_like.hpp"

using namespace vivae;
using namespace vivae::testing;

namespace {

// A file from its header text and data, as the format lays it out.
std::string st_file(const std::string& header, const std::string& data) {
  BinaryWriter w;
  w.put<uint64_t>(header.size());
  w.put_raw(header.data(), header.size());
  w.put_raw(data.data(), data.size());
  return w.bytes;
}

std::string floats(std::initializer_list<float> v) {
  std::string s;
  for (float x : v) s.append(reinterpret_cast<const char*>(&x), 4);
  return s;
}

std::string safetensors_error(const std::string& bytes) {
  try {
    parse_safetensors(bytes, "m.safetensors");
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Safetensors, ReadsAFileWrittenFromTheSpecification) {
  const std::string header = R"({"b":{"dtype":"F32","shape":[2],"data_offsets":[24,32]},)"
                             R"("__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}  )";
  const TensorFile f = parse_safetensors(st_file(header, floats({1, 2, 3, 4, 5, 6, -1, 0.5})), "m");
  ASSERT_EQ(f.tensors.size(), 2u);
  EXPECT_EQ(f.tensors[0].name, "b");  // header order
  EXPECT_EQ(f.tensors[0].values, (std::vector<double>{-1, 0.5}));
  EXPECT_EQ(f.tensors[1].shape, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(f.tensors[1].values[5], 6.0);
  EXPECT_EQ(f.metadata.at("format"), "pt");
}

TEST(Safetensors, TheWritersBytesAreWhatNumpyReadsFromTheSpecification) {
  NamedTensor w{"enc1.weight", {2, 3}, "F64", {1.5, -2, 3, 4, 5e-3, 6}};
  NamedTensor b{"enc1.bias", {2}, "F64", {0.25, -0.125}};
  const std::string dir = temp_dir();
  for (const char* dtype : {"F32", "F64"}) {
    const std::string bytes = serialise_safetensors({w, b}, dtype, {{"format", "pt"}});
    write_file_atomic(dir + "/m.safetensors", bytes);
    const RunResult r = python(
        "import json, struct, numpy as np\n"
        "raw = open('" + dir + "/m.safetensors', 'rb').read()\n"
        "n = struct.unpack('<Q', raw[:8])[0]\nassert n % 8 == 0\nh = json.loads(raw[8:8 + n])\n"
        "for k in ['enc1.weight', 'enc1.bias']:\n"
        "    i = h[k]; s, e = i['data_offsets']\n"
        "    a = np.frombuffer(raw[8 + n + s:8 + n + e], dtype={'F32': '<f4', 'F64': '<f8'}[i['dtype']]).reshape(i['shape'])\n"
        "    print(k, ' '.join(repr(float(x)) for x in a.ravel()))\n"
        "print(h['__metadata__']['format'], 8 + n + max(v['data_offsets'][1] for k, v in h.items() if k != '__metadata__') == len(raw))\n");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("enc1.weight 1.5 -2.0 3.0 4.0 " + std::string(dtype[1] == '3' ? "0.004999999888241291" : "0.005") + " 6.0"),
              std::string::npos) << r.out;
    EXPECT_NE(r.out.find("enc1.bias 0.25 -0.125"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("pt True"), std::string::npos) << r.out;
    const TensorFile back = parse_safetensors(bytes, "m");
    EXPECT_EQ(back.tensors.size(), 2u);
  }
}

TEST(Safetensors, HalfAndBfloat16AreReadExactly) {
  // float16: 1.0 = 0x3c00, -2.0 = 0xc000, 65504 = 0x7bff, smallest subnormal 2^-24 = 0x0001;
  // bfloat16: 1.0 = 0x3f80, -0.5 = 0xbf00.
  std::string data;
  for (uint16_t h : {0x3c00, 0xc000, 0x7bff, 0x0001, 0x3f80, 0xbf00}) data.append(reinterpret_cast<const char*>(&h), 2);
  const std::string header = R"({"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},)"
                             R"("b":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]}})";
  const TensorFile f = parse_safetensors(st_file(header, data), "m");
  EXPECT_EQ(f.tensors[0].values, (std::vector<double>{1, -2, 65504, std::ldexp(1.0, -24)}));
  EXPECT_EQ(f.tensors[1].values, (std::vector<double>{1, -0.5}));
  EXPECT_TRUE(std::isinf(half_to_float(0x7c00)));
  EXPECT_TRUE(std::isnan(half_to_float(0x7e00)));
  EXPECT_EQ(half_to_float(0x0200), std::ldexp(1.0f, -15));
}

TEST(Safetensors, EveryMalformedFileIsRefusedNamingTheProblem) {
  const std::string good_header = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
  const std::string good = st_file(good_header, floats({1, 2}));
  std::string huge = good;
  const uint64_t two40 = uint64_t{1} << 40;
  std::memcpy(huge.data(), &two40, 8);
  std::string past = good;
  const uint64_t too_long = good.size();
  std::memcpy(past.data(), &too_long, 8);
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "shorter than its 8-byte header length"},
      {good.substr(0, 5), "shorter than its 8-byte"},
      {huge, "over the format's limit"},
      {past, "runs past the end of the file"},
      {good.substr(0, good.size() - 2), "runs past the end of the file"},
      {st_file("[1, 2]", ""), "does not start with '{'"},
      {st_file("{not json}", ""), "the header is not JSON"},
      {st_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}})", floats({1, 2, 3})), "holds 12 bytes, but its shape (2,) of F32 needs 8"},
      {st_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
               floats({1, 2, 3})), "overlaps"},
      {st_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", floats({1, 2, 3})), "a gap before it"},
      {st_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
               floats({1, 2, 3, 4})), "the name 'a' appears twice"},
      {st_file(R"({"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}})", floats({1, 2})), "tensor 'a' is I64"},
      {st_file(R"({"a":{"dtype":"X9","shape":[1],"data_offsets":[0,8]}})", floats({1, 2})), "no known dtype"},
      {st_file(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}})", floats({1, 2})), "not a non-negative integer"},
      {st_file(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}})", floats({1, 2})), "overflows"},
      {st_file(R"({"a":{"dtype":"F32","shape":[2]}})", floats({1, 2})), "lacks dtype, shape or data_offsets"},
      {st_file(good_header, floats({1, 2, 3})), "trailing bytes, or a tensor missing"},
      {st_file(R"({"__metadata__":{"x":1}})", ""), "is not a string"},
  };
  for (const auto& [bytes, expected] : bad) {
    const std::string e = safetensors_error(bytes);
    EXPECT_NE(e.find(expected), std::string::npos) << "expected: " << expected << "\ngot: " << e;
    EXPECT_EQ(e.rfind("'m.safetensors'", 0) == 0 || e.find("m.safetensors") != std::string::npos, true) << e;
  }
}
