// libFuzzer target: the checkpoint and model.bin readers. Inputs are fuzzed with their
// checksum re-sealed, so the fuzzer reaches the parser behind the integrity check.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "common/binary.hpp"
#include "common/errors.hpp"
#include "vae/checkpoint.hpp"
#include "vae/model_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.size() >= 8) {
    const uint64_t h = vivae::fnv1a(bytes.data(), bytes.size() - 8);
    std::memcpy(&bytes[bytes.size() - 8], &h, 8);
  }
  try {
    vivae::parse_model(bytes, "fuzz-model");
  } catch (const vivae::DataError&) {
  }
  static const vivae::Widths widths = [] {
    vivae::Widths w;
    w.input = 9, w.enc_hidden = 6, w.latent = 2, w.dec_hidden = 5;
    return w;
  }();
  static const vivae::TrainState<float> fresh = [] {
    vivae::TrainConfig cfg;
    cfg.widths = widths;
    return vivae::start_training<float>(cfg, 12, nullptr);
  }();
  vivae::TrainState<float> s = fresh;
  try {
    vivae::restore_checkpoint(s, bytes, "fuzz-checkpoint", widths, "fp", 12);
  } catch (const vivae::DataError&) {
  } catch (const vivae::UsageError&) {
  }
  return 0;
}
