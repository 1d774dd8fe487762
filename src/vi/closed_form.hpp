// Closed forms for the product energy Φ(w) = ∏ᵢ wᵢ (Problem 1c, 1d).
//
// β = ∞, p uniform on the 2^n − 1 states other than 1…1 (log Z = log(2^n − 1)).
//   KL(q‖p) = E_q log q + log Z if q(1…1) = ∏θᵢ = 0, and +∞ otherwise.
//   Q2: ∏θᵢ = θⁿ = 0 forces θ* = 0, q* = δ(0…0):        KL* = log(2^n − 1).
//   Q1: some θⱼ = 0; the other coordinates are then free and −H is minimised at θᵢ = ½:
//       KL* = −(n−1) log 2 + log(2^n − 1) = log(2 − 2^{1−n}).
//
// Finite β: KL(θ) = β E_q[Φ] − Σᵢ H(θᵢ) + log Z with E_q[Φ] = ∏ θᵢ, and
//   ∂KL/∂θᵢ = β ∏_{j≠i} θⱼ − log((1−θᵢ)/θᵢ) = 0  ⇔  θᵢ = σ(−β ∏_{j≠i} θⱼ).
//   Q2: θ = σ(−β θ^{n−1}); θ − σ(−βθ^{n−1}) is increasing, so the root is unique
//       (safeguarded Newton, sigmoid_fixed_point).
//   Q1: stationary points with k coordinates at a and n−k at b solve
//       a = σ(−β a^{k−1} b^{n−k}),  b = σ(−β a^k b^{n−k−1});
//       for each a the second has a unique root b(a) (same monotonicity), so all solutions
//       are the roots of r(a) = a − σ(−β a^{k−1} b(a)^{n−k}), found by a scan plus bisection.
//       The answer is the stationary point of least KL over k = 1…n (k = n is symmetric).
#pragma once
#include <vector>

namespace vivae {

double sigmoid(double x);
// The unique θ ∈ (0, 1) with θ = σ(−c·θ^m), for c ≥ 0, m ≥ 0, to about one ulp.
double sigmoid_fixed_point(double c, int m);

double kl_q2_inf(int n);  // log(2^n − 1)
double kl_q1_inf(int n);  // log(2 − 2^{1−n})
std::vector<double> theta_q2_inf(int n);
std::vector<double> theta_q1_inf(int n);

struct FixedPoint {
  std::vector<double> theta;
  double kl = 0;
  int low_count = 0;  // k: coordinates at the lower value a (0 when symmetric)
};
FixedPoint q2_fixed_point(int n, double beta, double log_z);
FixedPoint q1_fixed_point(int n, double beta, double log_z);

}  // namespace vivae
