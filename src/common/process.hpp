// Running another program with a time limit (the grader runs the checks this way, so a hostile
// input that makes a check hang or crash costs that check, never the grading).
#pragma once
#include <string>
#include <vector>

namespace vivae {

struct ProcessResult {
  int exit_code = -1;     // when it exited
  int signal = 0;         // when a signal ended it (SIGKILL after the time limit)
  bool timed_out = false;
  double seconds = 0;
  std::string out, err;   // its stdout and stderr, the first `max_output` bytes of each
};

// Runs argv[0] (a path) with argv, its stdout and stderr captured, in a process group of its
// own that is killed whole after `time_limit_s`. Throws IoError when it cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, double time_limit_s, size_t max_output = 1 << 20);

}  // namespace vivae
