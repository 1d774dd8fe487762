// Enumeration of all 2^n states without storing them. States are visited in blocks of
// 2^low states that share their high bits; each block's energies are built in O(2^low)
// from per-half tables, so a pass costs O(2^n) plus small per-block work.
#pragma once
#include <algorithm>
#include <cstdint>
#include <vector>

#include "vi/energy.hpp"

namespace vivae {

inline int low_bits(int n) { return std::min(n, 12); }

// States visited by all enumeration passes of this process so far (the report's measure of the
// work Problem 1 takes).
uint64_t states_enumerated();
void count_states(uint64_t n);

// Calls f(hi, phi) once per block, where phi[lo] = Φ((hi << low) | lo), lo < 2^low.
template <class F>
void for_each_block(const Energy& e, F&& f) {
  const int low = low_bits(e.n);
  const int high = e.n - low;
  const size_t block = size_t{1} << low;
  const uint64_t blocks = uint64_t{1} << high;
  std::vector<double> phi_block(block, 0.0);
  count_states(blocks * block);
  if (e.product) {
    // Φ = ∏ wᵢ is 1 only in the last state of the last block.
    for (uint64_t hi = 0; hi < blocks; ++hi) {
      const bool last = hi + 1 == blocks;
      phi_block[block - 1] = last ? 1.0 : 0.0;
      f(hi, phi_block.data());
    }
    return;
  }
  // Ising: Φ(w) = Φ_low(lo) + Φ_high(hi) + Σ_{i low, j high} Jᵢⱼ wᵢ wⱼ.
  std::vector<double> phi_low(block, 0.0), cross(block, 0.0), field(low, 0.0);
  // Φ_low by doubling: for lo < 2^i, Φ_low(lo + 2^i) = Φ_low(lo) + hᵢ + Σ_{j ∈ lo} Jᵢⱼ, the
  // last sum itself built by doubling over j (in `cross`, free until the blocks start).
  for (int i = 0; i < low; ++i) {
    const size_t half = size_t{1} << i;
    cross[0] = 0;
    for (int j = 0; j < i; ++j) {
      const size_t h = size_t{1} << j;
      for (size_t lo = 0; lo < h; ++lo) cross[h + lo] = cross[lo] + e.J[i * e.n + j];
    }
    for (size_t lo = 0; lo < half; ++lo) phi_low[half + lo] = phi_low[lo] + (e.h[i] + cross[lo]);
  }
  for (uint64_t hi = 0; hi < blocks; ++hi) {
    const double phi_high = phi(e, hi << low);
    for (int i = 0; i < low; ++i) {
      double s = 0;
      for (int j = low; j < e.n; ++j)
        if ((hi >> (j - low)) & 1) s += e.J[i * e.n + j];
      field[i] = s;
    }
    // Σ_{i ∈ lo} field_i by doubling: the states whose highest low bit is i add field_i to
    // the states below 2^i (plain loops, which vectorise).
    cross[0] = 0;
    for (int i = 0; i < low; ++i) {
      const size_t half = size_t{1} << i;
      for (size_t lo = 0; lo < half; ++lo) cross[half + lo] = cross[lo] + field[i];
    }
    for (size_t lo = 0; lo < block; ++lo) phi_block[lo] = phi_low[lo] + phi_high + cross[lo];
    f(hi, phi_block.data());
  }
}

}  // namespace vivae
