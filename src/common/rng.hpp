// The project's own random numbers: xoshiro256** seeded through splitmix64, and our own
// uniform and normal draws, so a seed gives the same stream on every build and machine
// (std::normal_distribution and Armadillo's RNG are implementation- or thread-dependent).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

namespace vivae {

struct Rng {
  std::array<uint64_t, 4> s{};
};

// One independent stream per (seed, stream id): init, shuffle, noise, evaluation, ...
Rng make_rng(uint64_t seed, uint64_t stream);
uint64_t next_u64(Rng& rng);
double uniform(Rng& rng);                         // in [0, 1), 53 random bits
double uniform_open(Rng& rng);                    // in (0, 1)
uint64_t uniform_index(Rng& rng, uint64_t n);     // in [0, n), unbiased
double normal(Rng& rng);                          // N(0, 1), Box-Muller (one value per call)
// n N(0, 1) draws, both of each Box–Muller pair (cosine then sine; an odd n drops the last
// sine), so n draws take ⌈n/2⌉ uniform pairs: out[0] is what normal() would give, the rest
// differ. Computed in vectorised blocks: the uniforms first, then transformed together.
void fill_normal(float* out, size_t n, Rng& rng);
void fill_normal(double* out, size_t n, Rng& rng);

enum Stream : uint64_t { kInit = 1, kShuffle = 2, kNoise = 3, kEval = 4, kProblem = 5 };

}  // namespace vivae
