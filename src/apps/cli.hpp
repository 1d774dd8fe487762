// Shared command-line plumbing for the apps: the run wrapper that turns the library's typed
// errors into one line on stderr and an exit code, and the command line as one string.
#pragma once
#include <functional>
#include <string>

namespace vivae {

// Exit codes: 0 ok, 1 a check failed, 2 bad usage/input/output, 3 numerical failure.
int run_main(const char* program, const std::function<int()>& body);
std::string command_line(int argc, char** argv);

}  // namespace vivae
