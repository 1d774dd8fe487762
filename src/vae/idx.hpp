// IDX files (the MNIST distribution format), raw or gzip-compressed.
// Layout: 0x00 0x00, type byte (0x08 = unsigned byte), dimension count d, then d big-endian
// uint32 sizes, then the data, exactly ∏ sizes bytes. Everything is validated: a corrupt or
// truncated file throws DataError naming the file and the problem, never a partial read.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace vivae {

struct IdxArray {
  std::vector<uint32_t> dims;
  std::vector<uint8_t> data;
};

// Parses IDX bytes already in memory; `name` is used in error messages.
IdxArray parse_idx(const std::string& bytes, const std::string& name);
// Reads a file, gunzipping it when it starts with the gzip magic.
IdxArray read_idx_file(const std::string& path);
std::string gunzip(const std::string& bytes, const std::string& name);

struct Images {
  int count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels;  // count × rows × cols, row-major per image
};
Images read_images(const std::string& path);               // requires d = 3
std::vector<uint8_t> read_labels(const std::string& path);  // requires d = 1, values 0..9

}  // namespace vivae
