#include "common/binary.hpp"

namespace vivae {

uint64_t fnv1a(const char* data, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; ++i) {
    h ^= static_cast<uint8_t>(data[i]);
    h *= 0x100000001b3ULL;
  }
  return h;
}

bool checksum_ok(const std::string& bytes) {
  if (bytes.size() < 8) return false;
  uint64_t stored;
  std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
  return fnv1a(bytes.data(), bytes.size() - 8) == stored;
}

}  // namespace vivae
