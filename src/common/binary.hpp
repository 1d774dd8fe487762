// Little-endian binary records for model.bin and checkpoints: a writer that appends fixed-size
// values, and a reader that refuses to run past the end (DataError naming the file).
#pragma once
#include <cstdint>
#include <cstring>
#include <string>

#include "common/errors.hpp"

namespace vivae {

// FNV-1a, 64-bit: the files' integrity check (not a cryptographic hash).
uint64_t fnv1a(const char* data, size_t n, uint64_t h = 0xcbf29ce484222325ULL);

struct BinaryWriter {
  std::string bytes;
  template <class U>
  void put(U v) {
    char buf[sizeof(U)];
    std::memcpy(buf, &v, sizeof(U));  // x86-64 and aarch64 are little-endian
    bytes.append(buf, sizeof(U));
  }
  void put_raw(const void* p, size_t n) { bytes.append(static_cast<const char*>(p), n); }
  void put_string(const std::string& s) {
    put<uint32_t>(static_cast<uint32_t>(s.size()));
    bytes += s;
  }
  // Appends the checksum of everything written so far.
  std::string finish() {
    put<uint64_t>(fnv1a(bytes.data(), bytes.size()));
    return bytes;
  }
};

struct BinaryReader {
  const std::string& bytes;
  std::string name;
  size_t at = 0;
  template <class U>
  U get() {
    need(sizeof(U));
    U v;
    std::memcpy(&v, bytes.data() + at, sizeof(U));
    at += sizeof(U);
    return v;
  }
  void get_raw(void* p, size_t n) {
    need(n);
    std::memcpy(p, bytes.data() + at, n);
    at += n;
  }
  std::string get_string(size_t max_len) {
    const uint32_t n = get<uint32_t>();
    if (n > max_len) throw DataError("'" + name + "': implausible string length");
    need(n);
    std::string s = bytes.substr(at, n);
    at += n;
    return s;
  }
  void need(size_t n) const {
    if (n > bytes.size() || at > bytes.size() - n) throw DataError("'" + name + "' is truncated at byte " + std::to_string(at));
  }
};

// True when the last 8 bytes are the FNV-1a hash of the rest.
bool checksum_ok(const std::string& bytes);

}  // namespace vivae
