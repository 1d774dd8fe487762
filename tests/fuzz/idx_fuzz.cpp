// libFuzzer target: the IDX reader (raw and gzip) must reject any bad input with DataError,
// never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/errors.hpp"
#include "vae/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    vivae::parse_idx(bytes, "fuzz");
  } catch (const vivae::DataError&) {
  }
  try {
    vivae::parse_idx(vivae::gunzip(bytes, "fuzz.gz"), "fuzz.gz");
  } catch (const vivae::DataError&) {
  }
  return 0;
}
