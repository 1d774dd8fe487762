// Runs tests/vae/torch_like.py (numpy, Debian's python3-numpy): an independent writer of
// PyTorch-style weight files and a float64 evaluator of the model it writes.
#pragma once
#include <string>

#include "apps/app_runner.hpp"

namespace vivae::testing {

// Exit code and stdout (one JSON object) of `torch_like.py ARGS`.
inline RunResult torch_like(const std::string& args) {
  const std::string dir = temp_dir();
  const std::string cmd = "/usr/bin/python3 " + std::string(VIVAE_SOURCE_DIR) + "/tests/vae/torch_like.py " + args + " >" +
                          dir + "/out 2>" + dir + "/err";
  const int status = std::system(cmd.c_str());
  RunResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir + "/out");
  r.err = slurp(dir + "/err");
  return r;
}

// A short Python program's exit code and output (python3 -c).
inline RunResult python(const std::string& program) {
  const std::string dir = temp_dir();
  std::ofstream(dir + "/p.py") << program;
  const std::string cmd = "/usr/bin/python3 " + dir + "/p.py >" + dir + "/out 2>" + dir + "/err";
  const int status = std::system(cmd.c_str());
  RunResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir + "/out");
  r.err = slurp(dir + "/err");
  return r;
}

}  // namespace vivae::testing
