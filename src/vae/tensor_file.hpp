// Named tensors as the weight files of other frameworks hold them (safetensors, numpy .npz):
// a name, a shape, the element type it was stored in, and the values in row-major (C) order,
// held as doubles (exact for F64, F32, F16 and BF16).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace vivae {

struct NamedTensor {
  std::string name;
  std::vector<uint64_t> shape;  // [] is a scalar
  std::string dtype;            // "F32", "F64", "F16", "BF16"
  std::vector<double> values;   // row-major
  uint64_t elements() const {
    uint64_t n = 1;
    for (uint64_t d : shape) n *= d;
    return n;
  }
};

struct TensorFile {
  std::string format;                            // "safetensors", "npz"
  std::vector<NamedTensor> tensors;              // in the file's order
  std::map<std::string, std::string> metadata;   // safetensors' __metadata__
};

// "(128, 196)"
std::string shape_text(const std::vector<uint64_t>& shape);

// IEEE half and bfloat16 to float (exact: every value of both is a float).
float half_to_float(uint16_t h);
float bfloat16_to_float(uint16_t b);

}  // namespace vivae
