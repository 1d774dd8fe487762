// Typed errors thrown by the library. The apps turn each into one line and an exit code;
// the library itself never prints and never exits.
#pragma once
#include <stdexcept>
#include <string>

namespace vivae {

// Everything the user can fix by changing the command or the files (exit 2).
struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A bad option value or combination.
struct UsageError : BadInput {
  using BadInput::BadInput;
};

// A missing, corrupt or unexpected input file.
struct DataError : BadInput {
  using BadInput::BadInput;
};

// An output that could not be written (nothing already in place is touched).
struct IoError : BadInput {
  using BadInput::BadInput;
};

// Training hit a NaN/Inf (exit 3).
struct NumericError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace vivae
