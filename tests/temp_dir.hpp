// Temporary folders for tests, removed when the test process exits.
#pragma once
#include <cstdlib>
#include <string>
#include <vector>

namespace vivae::testing {

// A fresh folder under /tmp, removed when the test process exits.
inline std::string temp_dir() {
  static std::vector<std::string> made;
  static const bool cleanup_registered = [] {
    std::atexit([] {
      for (const auto& d : made) std::system(("rm -rf '" + d + "'").c_str());
    });
    return true;
  }();
  (void)cleanup_registered;
  char tmpl[] = "/tmp/vivae_test_XXXXXX";
  const char* d = mkdtemp(tmpl);
  if (!d) return "/tmp";
  made.emplace_back(d);
  return d;
}

}  // namespace vivae::testing
