#include "common/rng.hpp"

#include <algorithm>
#include <cmath>

#include "common/fastmath.hpp"

namespace vivae {

static uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

Rng make_rng(uint64_t seed, uint64_t stream) {
  uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
  Rng r;
  for (auto& w : r.s) w = splitmix64(x);
  return r;
}

uint64_t next_u64(Rng& r) {
  auto& s = r.s;
  const uint64_t result = rotl(s[1] * 5, 7) * 9;
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double uniform(Rng& r) { return static_cast<double>(next_u64(r) >> 11) * 0x1.0p-53; }

double uniform_open(Rng& r) { return (static_cast<double>(next_u64(r) >> 12) + 0.5) * 0x1.0p-52; }

uint64_t uniform_index(Rng& r, uint64_t n) {
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;  // reject the biased tail
  uint64_t x;
  do x = next_u64(r);
  while (x >= limit);
  return x % n;
}

double normal(Rng& r) {
  // Box-Muller with the cosine branch only: one uniform pair per draw keeps the stream
  // position a simple function of the number of draws (needed for exact resume).
  const double u1 = uniform_open(r);
  const double u2 = uniform(r);
  return box_muller(u1, u2);
}

template <class T>
static void fill_normal_blocks(T* out, size_t n, Rng& r) {
  constexpr size_t kPairs = 128;
  double u1[kPairs], u2[kPairs], z[2 * kPairs];
  for (size_t first = 0; first < n; first += 2 * kPairs) {
    const size_t m = std::min(2 * kPairs, n - first), pairs = (m + 1) / 2;
    for (size_t i = 0; i < pairs; ++i) {  // in the order normal() draws its pair
      u1[i] = uniform_open(r);
      u2[i] = uniform(r);
    }
    box_muller_pairs(z, u1, u2, pairs);
    for (size_t i = 0; i < m; ++i) out[first + i] = static_cast<T>(z[i]);
  }
}

void fill_normal(float* out, size_t n, Rng& r) { fill_normal_blocks(out, n, r); }
void fill_normal(double* out, size_t n, Rng& r) { fill_normal_blocks(out, n, r); }

}  // namespace vivae
