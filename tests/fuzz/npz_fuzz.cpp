// libFuzzer target: the .npz reader (libzip, then each .npy member), and the layer matching
// after it, must turn any bytes into a model or a DataError, never crash, hang or inflate
// without bound.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/errors.hpp"
#include "vae/npz.hpp"
#include "vae/weights.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    vivae::match_layers(vivae::parse_npz(bytes, "fuzz"), "fuzz", vivae::HeadScale::log_var, 9);
  } catch (const vivae::DataError&) {
  }
  try {
    vivae::parse_npy(bytes, "fuzz", "fuzz");
  } catch (const vivae::DataError&) {
  }
  return 0;
}
