// Runs tests/vae/torch_like.py (numpy, Debian's python3-numpy): an independent writer of
// PyTorch-style weight files and a float64 evaluator of the model it writes.
#pragma once
#include <string>

#include "apps/app_runner.hpp"

namespace vivae::testing {

// Exit code and stdout (one JSON object) of `torch_like.py ARGS`.
inline RunResult torch_like(const std::string& args) {
  return run_command("/usr/bin/python3 " + std::string(VIVAE_SOURCE_DIR) + "/tests/vae/torch_like.py " + args);
}

// A short Python program's exit code and output.
inline RunResult python(const std::string& program) {
  const std::string file = temp_dir() + "/p.py";
  std::ofstream(file) << program;
  return run_command("/usr/bin/python3 " + file);
}

}  // namespace vivae::testing
