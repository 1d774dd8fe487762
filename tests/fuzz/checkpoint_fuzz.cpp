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
  vivae::TrainConfig cfg;
  cfg.widths.input = 9, cfg.widths.enc_hidden = 6, cfg.widths.latent = 2, cfg.widths.dec_hidden = 5;
  vivae::TrainState<float> s = vivae::start_training<float>(cfg, 12, nullptr);
  try {
    vivae::restore_checkpoint(s, bytes, "fuzz-checkpoint", cfg.widths, "fp", 12);
  } catch (const vivae::DataError&) {
  } catch (const vivae::UsageError&) {
  }
  return 0;
}
