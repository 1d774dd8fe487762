// Runs the built executables from tests: exit code, stdout and stderr of one command line.
#pragma once
#include <sys/wait.h>

#include "temp_dir.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace vivae::testing {

struct RunResult {
  int code = -1;
  std::string out, err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Exit code, stdout and stderr of a shell command line.
inline RunResult run_command(const std::string& command) {
  const std::string dir = temp_dir();
  const int status = std::system((command + " >" + dir + "/out 2>" + dir + "/err").c_str());
  RunResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir + "/out");
  r.err = slurp(dir + "/err");
  std::system(("rm -rf " + dir).c_str());
  return r;
}

inline RunResult run_app(const std::string& app, const std::string& args) {
  return run_command(std::string(VIVAE_BIN_DIR) + "/" + app + " " + args);
}

inline bool exists(const std::string& path) { return std::ifstream(path).good(); }

inline int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace vivae::testing
