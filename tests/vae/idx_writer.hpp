// Writes small IDX files (raw or gzip) for tests: synthetic MNIST-shaped data.
#pragma once
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "temp_dir.hpp"
#include "common/rng.hpp"

namespace vivae::testing {

inline std::string idx_bytes(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data) {
  std::string s = {0, 0, 8, static_cast<char>(dims.size())};
  for (uint32_t d : dims)
    for (int k = 3; k >= 0; --k) s += static_cast<char>((d >> (8 * k)) & 0xff);
  s.append(data.begin(), data.end());
  return s;
}

inline std::string gzip_bytes(const std::string& raw) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(compressBound(raw.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  zs.avail_in = raw.size();
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = out.size();
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// A fake MNIST in `dir`: `train` 28×28 training images with labels cycling 0..9 and `test`
// test images; each digit d draws a bright bar in row band d plus noise, so it is learnable.
inline void write_fake_mnist(const std::string& dir, int train, int test, bool gz) {
  Rng rng = make_rng(77, 0);
  auto images = [&](int n, std::vector<uint8_t>& labels) {
    std::vector<uint8_t> px(static_cast<size_t>(n) * 784);
    for (int i = 0; i < n; ++i) {
      const int d = i % 10;
      labels.push_back(static_cast<uint8_t>(d));
      for (int r = 0; r < 28; ++r)
        for (int c = 0; c < 28; ++c) {
          const bool bar = r / 2 >= d && r / 2 < d + 3 && c > 4 && c < 24;
          px[i * 784 + r * 28 + c] = bar ? 230 : static_cast<uint8_t>(uniform(rng) < 0.05 ? 200 : 0);
        }
    }
    return px;
  };
  std::vector<uint8_t> ltr, lte;
  const auto tr = images(train, ltr), te = images(test, lte);
  auto put = [&](const std::string& name, const std::string& raw) {
    write_bytes(dir + "/" + name + (gz ? ".gz" : ""), gz ? gzip_bytes(raw) : raw);
  };
  put("train-images-idx3-ubyte", idx_bytes({uint32_t(train), 28, 28}, tr));
  put("train-labels-idx1-ubyte", idx_bytes({uint32_t(train)}, ltr));
  put("t10k-images-idx3-ubyte", idx_bytes({uint32_t(test), 28, 28}, te));
  put("t10k-labels-idx1-ubyte", idx_bytes({uint32_t(test)}, lte));
}

// One fake MNIST per test process (80 training, 30 test images), written on first use.
inline std::string fake_mnist_dir() {
  static const std::string dir = [] {
    const std::string d = temp_dir();
    write_fake_mnist(d, 80, 30, false);
    return d;
  }();
  return dir;
}

}  // namespace vivae::testing
