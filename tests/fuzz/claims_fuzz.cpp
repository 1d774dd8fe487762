// libFuzzer target: the claims reader must turn any bytes into claims or a ClaimError, never
// crash, hang or read out of bounds; every claim read must evaluate (to a number or NaN) at a
// few points.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "vi/claims.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    for (const vivae::Claim& c : vivae::parse_claims(text, "fuzz"))
      for (int n : {1, 3})
        for (double beta : {0.0, 1.5, double(INFINITY)})
          if (c.applies(n, beta)) (void)c.evaluate(n, beta, n);
  } catch (const vivae::ClaimError&) {
  }
  return 0;
}
