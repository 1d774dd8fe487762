#include "vae/idx.hpp"

#include <zlib.h>

#include "common/errors.hpp"
#include "common/files.hpp"

namespace vivae {

static uint32_t be32(const std::string& b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) | (uint32_t(uint8_t(b[at + 2])) << 8) |
         uint32_t(uint8_t(b[at + 3]));
}

IdxArray parse_idx(const std::string& b, const std::string& name) {
  auto fail = [&](const std::string& why) { return DataError("'" + name + "' is not a valid IDX file: " + why); };
  if (b.size() < 4) throw fail("shorter than its 4-byte header (" + std::to_string(b.size()) + " bytes)");
  if (b[0] != 0 || b[1] != 0) throw fail("bad magic (first two bytes must be zero)");
  if (uint8_t(b[2]) != 0x08) throw fail("element type " + std::to_string(uint8_t(b[2])) + " is not unsigned byte (8)");
  const int d = uint8_t(b[3]);
  if (d < 1 || d > 4) throw fail("dimension count " + std::to_string(d) + " is not in 1..4");
  const size_t header = 4 + 4 * static_cast<size_t>(d);
  if (b.size() < header) throw fail("truncated header");
  IdxArray a;
  uint64_t total = 1;
  for (int i = 0; i < d; ++i) {
    const uint32_t n = be32(b, 4 + 4 * i);
    if (n == 0) throw fail("dimension " + std::to_string(i) + " is zero");
    total *= n;
    if (total > (uint64_t{1} << 34)) throw fail("sizes are implausibly large");
    a.dims.push_back(n);
  }
  if (b.size() != header + total)
    throw fail("expected " + std::to_string(header + total) + " bytes from its sizes, found " + std::to_string(b.size()) +
               (b.size() < header + total ? " (truncated)" : " (trailing bytes)"));
  a.data.assign(b.begin() + static_cast<std::ptrdiff_t>(header), b.end());
  return a;
}

std::string gunzip(const std::string& in, const std::string& name) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw DataError("'" + name + "': cannot start gzip decoder");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[1 << 16];
  int ret;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    ret = inflate(&zs, Z_NO_FLUSH);
    if (ret != Z_OK && ret != Z_STREAM_END) {
      inflateEnd(&zs);
      throw DataError("'" + name + "': corrupt gzip data");
    }
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > (size_t{1} << 30)) {  // MNIST is 47 MB; refuse decompression bombs
      inflateEnd(&zs);
      throw DataError("'" + name + "': decompresses to more than 1 GiB");
    }
    if (ret == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      throw DataError("'" + name + "': truncated gzip data");
    }
  } while (ret != Z_STREAM_END);
  inflateEnd(&zs);
  return out;
}

IdxArray read_idx_file(const std::string& path) {
  std::string bytes = read_file(path);
  if (bytes.size() >= 2 && uint8_t(bytes[0]) == 0x1f && uint8_t(bytes[1]) == 0x8b) bytes = gunzip(bytes, path);
  return parse_idx(bytes, path);
}

Images read_images(const std::string& path) {
  IdxArray a = read_idx_file(path);
  if (a.dims.size() != 3)
    throw DataError("'" + path + "' has " + std::to_string(a.dims.size()) + " dimensions; an image file has 3");
  Images im;
  im.count = static_cast<int>(a.dims[0]);
  im.rows = static_cast<int>(a.dims[1]);
  im.cols = static_cast<int>(a.dims[2]);
  im.pixels = std::move(a.data);
  return im;
}

std::vector<uint8_t> read_labels(const std::string& path) {
  IdxArray a = read_idx_file(path);
  if (a.dims.size() != 1)
    throw DataError("'" + path + "' has " + std::to_string(a.dims.size()) + " dimensions; a label file has 1");
  for (size_t i = 0; i < a.data.size(); ++i)
    if (a.data[i] > 9) throw DataError("'" + path + "': label " + std::to_string(a.data[i]) + " at index " + std::to_string(i) + " is not a digit 0..9");
  return std::move(a.data);
}

}  // namespace vivae
