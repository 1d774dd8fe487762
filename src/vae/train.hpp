// The training loop: mini-batches from a seeded shuffle, L reparameterised samples per image,
// one optimiser step per mini-batch, the batch's ELBO terms logged every update and the
// held-out terms every `valid_every` updates. All randomness comes from separate streams of
// one seed: init, shuffle, noise ε, evaluation.
#pragma once
#include <armadillo>
#include <cstdint>
#include <functional>
#include <vector>

#include "vae/optim.hpp"
#include "vae/step.hpp"

namespace vivae {

struct LogRow {
  long update = 0;
  double recon = 0, kl = 0, elbo = 0;
};

// Divergence. A model that ignores its input and predicts ½ for every pixel scores −D·log 2
// nats/image (−135.9 for 14×14); the untrained network scores within 2 % of that. Training has
// diverged when the mini-batch ELBO stays below 100 times that score for kDivergenceRun
// consecutive updates. A healthy run cannot do this: once training starts the ELBO stays near or
// above the untrained score, and the largest excursions seen here (Adagrad at lr 0.1, five
// seeds: single mini-batches down to −3×10⁶) lasted one update each before recovering.
constexpr double kDivergenceFactor = 100;
constexpr int kDivergenceRun = 20;
inline double divergence_floor(int input) { return -kDivergenceFactor * input * 0.6931471805599453; }
// True if the log ends with kDivergenceRun updates whose ELBO is below `floor`.
bool diverged(const std::vector<LogRow>& log, double floor);

template <class T>
struct TrainState {
  Params<T> params;
  Optimiser<T> opt;
  Rng shuffle, noise, eval;
  std::vector<arma::uword> order;  // current epoch's permutation of the training images
  size_t pos = 0;                  // next position in `order`
  long update = 0;                 // updates done
  long failed_at = 0;              // the update whose NaN/Inf or divergence stopped training
  std::vector<LogRow> train_log, valid_log;
};

// A fresh state: parameters from the init stream (or `initial` when given).
template <class T>
TrainState<T> start_training(const TrainConfig& cfg, size_t train_count, const Params<T>* initial);

// Runs until cfg.updates updates are done. `progress(update)` is called after each update;
// returning false stops early (the state stays consistent). Throws NumericError on NaN/Inf and
// when training has diverged (see above).
template <class T>
void train(TrainState<T>& s, const TrainConfig& cfg, const arma::Mat<T>& train_x, const arma::Mat<T>& valid_x,
           const std::function<bool(long)>& progress);

template <class T>
void fill_normal(arma::Mat<T>& m, Rng& rng) {
  fill_normal(m.memptr(), m.n_elem, rng);
}

}  // namespace vivae
