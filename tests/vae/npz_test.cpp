// .npz files written by numpy itself (np.savez, np.savez_compressed) read exactly, whatever the
// float width, byte order and memory order; integer and object arrays, non-zip files and zip
// bombs refused with DataError naming the member.
#include "vae/npz.hpp"

#include <gtest/gtest.h>

#include "common/errors.hpp"
#include "common/files.hpp"
#include "torch_like.hpp"

using namespace vivae;
using namespace vivae::testing;

namespace {
// Runs numpy code with `path` bound to a file in a fresh folder; returns the file's bytes.
std::string numpy_file(const std::string& code) {
  const std::string path = temp_dir() + "/m.npz";
  const RunResult r = python("import numpy as np\npath = '" + path + "'\n" + code);
  EXPECT_EQ(r.code, 0) << r.err;
  return file_exists(path) ? read_file(path) : "";
}
std::string npz_error(const std::string& bytes) {
  try {
    parse_npz(bytes, "m.npz");
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(Npz, ReadsWhatNumpyWritesInEveryFloatWidthByteOrderAndMemoryOrder) {
  const std::string code =
      "w = np.arange(6, dtype=np.float64).reshape(2, 3) / 8 - 0.25\n"
      "{}(path, **{'fc1.weight': w.astype('<f4'), 'fc1.bias': np.array([1.5, -2.0]), 'big': w.astype('>f8'),\n"
      "   'fortran': np.asfortranarray(w), 'half': w.astype(np.float16)})\n";
  for (const char* writer : {"np.savez", "np.savez_compressed"}) {
    std::string c = code;
    c.replace(c.find("{}"), 2, writer);
    const TensorFile f = parse_npz(numpy_file(c), "m.npz");
    ASSERT_EQ(f.tensors.size(), 5u) << writer;
    const std::vector<double> w = {-0.25, -0.125, 0, 0.125, 0.25, 0.375};
    for (const NamedTensor& t : f.tensors) {
      if (t.name == "fc1.bias") {
        EXPECT_EQ(t.values, (std::vector<double>{1.5, -2.0}));
        EXPECT_EQ(t.dtype, "F64");
        continue;
      }
      EXPECT_EQ(t.shape, (std::vector<uint64_t>{2, 3})) << t.name;
      EXPECT_EQ(t.values, w) << writer << " " << t.name;
    }
    EXPECT_EQ(f.tensors[0].name, "fc1.weight");
    EXPECT_EQ(f.tensors[0].dtype, "F32");
  }
}

TEST(Npz, IntegersObjectsGarbageAndZipBombsAreRefused) {
  EXPECT_NE(npz_error(numpy_file("np.savez(path, w=np.arange(4, dtype=np.int64))")).find("member 'w': its dtype '<i8' is not a float"),
            std::string::npos);
  EXPECT_NE(npz_error(numpy_file("np.savez(path, w=np.array([{}, 1], dtype=object))")).find("Python objects"),
            std::string::npos);
  EXPECT_NE(npz_error("PK\x03\x04 this is no zip").find("not a zip archive"), std::string::npos);
  EXPECT_NE(npz_error("").find("not a zip archive"), std::string::npos);
  EXPECT_NE(npz_error(numpy_file("np.savez(path)")).find("holds no arrays"), std::string::npos);
  // A member that inflates to 100 MB of zeros (100 kB in the file): refused before inflating.
  const std::string bomb = numpy_file(
      "import zipfile\n"
      "with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:\n"
      "    with z.open('w.npy', 'w', force_zip64=True) as f:\n"
      "        for _ in range(100):\n"
      "            f.write(bytes(1 << 20))\n");
  EXPECT_LT(bomb.size(), 1u << 20);
  EXPECT_NE(npz_error(bomb).find("member 'w.npy' inflates to 104857600 bytes, over the bound"), std::string::npos)
      << npz_error(bomb);
  EXPECT_NE(npz_error(numpy_file("import zipfile\nzipfile.ZipFile(path, 'w').writestr('readme.txt', 'hi')")).find(
                "member 'readme.txt' is not a .npy array"),
            std::string::npos);
  // A .npy member cut short.
  const std::string npy = numpy_file("np.save(path[:-4] + '.npy', np.zeros(4)); import shutil; shutil.move(path[:-4] + '.npy', path)");
  EXPECT_NE(npz_error(npy).find("not a zip archive"), std::string::npos);
  EXPECT_THROW(parse_npy(npy.substr(0, npy.size() - 3), "w", "m.npz"), DataError);
  EXPECT_EQ(parse_npy(npy, "w", "m.npz").values, std::vector<double>(4, 0.0));
}
