// libFuzzer target: the reader of a student's validation curve (valid_curve.csv, vae_eval
// --curve) must turn any bytes into a curve or a DataError, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/errors.hpp"
#include "report/eval_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    vivae::parse_curve(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
  } catch (const vivae::DataError&) {
  }
  return 0;
}
