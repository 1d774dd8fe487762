// Shared command-line plumbing for the apps: options declared by name, default and help line
// (Boost.Program_options underneath, included by cli.cpp alone), the run wrapper that turns
// the library's typed errors into one line on stderr and an exit code, and the command line as
// one string.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace vivae {

class Cli {
 public:
  // `caption`: the first lines of --help; `epilogue`: printed after the option list.
  Cli(const std::string& caption, const std::string& epilogue);
  ~Cli();
  // A valued option ("name" or "name,n" with a one-letter alias); its value is a string.
  void option(const std::string& name, const std::string& default_value, const std::string& help);
  // An option without a value.
  void flag(const std::string& name, const std::string& help);
  // A valued option that may be given any number of times (values in order, none by default).
  void repeatable(const std::string& name, const std::string& help);
  // Reads argv. Returns false after printing --help; throws UsageError for unknown or
  // malformed options.
  bool parse(int argc, char** argv);
  const std::string& operator[](const std::string& name) const;  // the value, or its default
  bool has(const std::string& flag) const;
  const std::vector<std::string>& all(const std::string& name) const;  // a repeatable option's values

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Exit codes: 0 ok, 1 a check failed, 2 bad usage/input/output, 3 numerical failure.
int run_main(const char* program, const std::function<int()>& body);
std::string command_line(int argc, char** argv);

}  // namespace vivae
