// Energies Φ(w) on w ∈ {0,1}^n and p_β(w) = e^{−βΦ(w)}/Z(β).
//   product: Φ(w) = ∏ᵢ wᵢ. At β = ∞ this is the homework's p(w) ∝ 1 − ∏ᵢ wᵢ (Problem 1c/1d).
//   ising:   Φ(w) = Σᵢ hᵢwᵢ + Σ_{i<j} Jᵢⱼwᵢwⱼ, random, for testing identities (2)-(4) where
//            they are not trivial.
// A state w is the bit pattern of an integer: wᵢ = (w >> i) & 1.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace vivae {

constexpr int kMaxBits = 30;

struct Energy {
  int n = 0;
  bool product = true;
  std::vector<double> h;  // n
  std::vector<double> J;  // n*n, symmetric, zero diagonal (only i<j is an interaction)
};

Energy product_energy(int n);
// hᵢ ~ N(0,1), Jᵢⱼ ~ N(0,1)/√n, drawn from the project's RNG.
Energy ising_energy(int n, uint64_t seed);
std::string energy_name(const Energy& e);

// Reference Φ(w), O(n²): for tests and small n only.
double phi(const Energy& e, uint64_t w);

// −βΦ with the convention 0·∞ = 0, so p_∞ gives weight 1 where Φ = 0 and 0 where Φ > 0.
inline double neg_beta_phi(double beta, double phi_w) { return phi_w == 0.0 ? 0.0 : -beta * phi_w; }
// β·x with 0·∞ = 0 (x an expectation of Φ under q).
inline double beta_times(double beta, double x) { return x == 0.0 ? 0.0 : beta * x; }

// For a product q(w) = ∏ θᵢ^{wᵢ}(1−θᵢ)^{1−wᵢ}, E_q[Φ] is multilinear in θ:
double expected_phi(const Energy& e, const std::vector<double>& theta);
// ∂E_q[Φ]/∂θᵢ, which does not depend on θᵢ (multilinearity): E_qΦ = a + θᵢ·slope.
double expected_phi_slope(const Energy& e, const std::vector<double>& theta, int i);

}  // namespace vivae
