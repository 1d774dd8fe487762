// Typed errors thrown by the library. The apps turn each into one line and an exit code;
// the library itself never prints and never exits.
#pragma once
#include <stdexcept>
#include <string>

namespace vivae {

// A bad option value or combination (exit 2).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A missing, corrupt or unexpected input file (exit 2).
struct DataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// An output that could not be written (exit 2; nothing already in place is touched).
struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Training hit a NaN/Inf (exit 3).
struct NumericError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace vivae
