// The whole Problem 1 verification: for every (n, β) of the sweep, exact log Z, numeric
// mean-field optima over Q1 and Q2 against their closed forms, and identities (2)-(4) on the
// homework's energy and on a random Ising energy. Tasks run on a few threads; each task is
// independent and writes only its own slot, so results do not depend on the thread count.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "vi/identities.hpp"

namespace vivae {

struct SweepConfig {
  std::vector<int> n_values;
  std::vector<double> betas;
  uint64_t seed = 546;
  double tol = 1e-9;        // KL and identities (2), (3): absolute, scaled by max(1, |value|)
  double theta_tol = 1e-6;  // θ of a numeric optimum against the closed form (sorted)
  double fd_tol = 1e-6;     // identity (4) at the best step h
  int q1_starts = 8;
  int random_q = 3;
  int ising_max_n = 20;     // Ising identity checks for n up to this
  int threads = 2;
  // Called after each (n, β) task with (tasks done, total), from one thread at a time.
  std::function<void(size_t, size_t)> progress;
};

struct MeanFieldRow {
  int n = 0;
  double beta = 0;
  std::string family;  // Q1, Q2
  double log_z = 0;
  double kl_numeric = 0;  // KL of the numeric optimum, recomputed by full enumeration
  double kl_search = 0;   // the optimiser's own objective value
  double kl_exact = 0;    // closed form (β = ∞) or fixed-point solution (finite β)
  double abs_err = 0;
  std::vector<double> theta, theta_exact;
  double theta_err = 0;   // max |sorted θ − sorted θ_exact|
  int low_count = 0;
  int starts = 1;
  double tol = 0;
  bool pass = true;
};

struct SweepResult {
  std::vector<MeanFieldRow> mean_field;
  std::vector<CheckRow> checks;
  uint64_t states = 0;  // states visited by every enumeration pass of the sweep
};

SweepResult run_sweep(const SweepConfig& cfg);

// Sorted comparison: the problem is symmetric in the coordinates, so θ* is unique only up
// to a permutation.
double theta_error(std::vector<double> a, std::vector<double> b);

}  // namespace vivae
