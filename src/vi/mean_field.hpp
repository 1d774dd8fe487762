// Numerical minimisation of KL(q‖p) over the mean-field families of Problem 1:
//   Q2 = { q(w) = ∏ᵢ q(wᵢ) }   (one θ = q(wᵢ = 1) shared by all bits), and
//   Q1 = { q(w) = ∏ᵢ qᵢ(wᵢ) }  (θ₁…θₙ).
// The methods know the objective, never its minimiser:
//   Q2: a 1-D bracketing search on [0, 1] (dense grid incl. both endpoints, then golden
//       section inside the best bracket), which finds the global minimum of a multimodal
//       KL(θ) and handles +∞ values (β = ∞) and optima on the boundary.
//   Q1: coordinate descent, each coordinate by the same 1-D search, from several seeded
//       random starts; the best end point is kept (finite β can have several local minima).
// The objective during the search is eq. (2) evaluated for product q:
//   KL(θ) = β E_q[Φ] − Σᵢ H(θᵢ) + log Z,
// with E_q[Φ] multilinear in θ; the caller recomputes every reported optimum's KL by
// full enumeration (vi/exact.hpp).
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "vi/energy.hpp"

namespace vivae {

double binary_entropy(double t);  // H(t) = −t log t − (1−t) log(1−t), with 0 log 0 = 0

double kl_product(const Energy& e, double beta, double log_z, const std::vector<double>& theta);

struct LineMin {
  double x = 0;
  double f = 0;
};
LineMin minimise_unit_interval(const std::function<double(double)>& f, int grid_points);

struct MeanField {
  std::vector<double> theta;
  double kl = 0;      // the search objective at theta (not the enumeration)
  int starts = 1;
  int sweeps = 0;     // coordinate sweeps of the best start (Q1)
};

MeanField minimise_q2(const Energy& e, double beta, double log_z);
MeanField minimise_q1(const Energy& e, double beta, double log_z, uint64_t seed, int starts);

}  // namespace vivae
