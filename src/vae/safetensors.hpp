// safetensors (huggingface/safetensors), the format `safetensors.torch.save_file` writes:
//   u64 little-endian N; N bytes of UTF-8 JSON header; the data buffer.
//   header: {"__metadata__": {str: str} (optional),
//            NAME: {"dtype": "F32", "shape": [128, 196], "data_offsets": [begin, end]}, …}
//   offsets are relative to the buffer, little-endian row-major data.
// Read as the format's own reader validates it: N ≤ 100,000,000 and within the file; the header
// a JSON object (trailing spaces allowed: writers pad it to 8 bytes); no duplicate names; the
// tensors, ordered by offset, contiguous from 0 with end − begin = elements × dtype size
// (overflow checked); the last end at the end of the file. Values are read for F64, F32, F16 and
// BF16; any other dtype (I64, U8, …) is refused with the tensor's name.
// Written like the format's own writer: tensors by descending dtype size then name, header
// padded with spaces to a multiple of 8.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "vae/tensor_file.hpp"

namespace vivae {

// Throws DataError "'NAME' is not a valid safetensors file: why".
TensorFile parse_safetensors(const std::string& bytes, const std::string& name);

// `tensors` with their values stored as `dtype` ("F32" or "F64").
std::string serialise_safetensors(const std::vector<NamedTensor>& tensors, const std::string& dtype,
                                  const std::map<std::string, std::string>& metadata);

}  // namespace vivae
