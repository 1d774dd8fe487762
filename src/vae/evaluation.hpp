// The final evaluation of a model, as vae_train ends a run and vae_eval judges any model:
// held-out (and training) recon term, KL, ELBO and L_k with k samples per image from the
// evaluation streams of `seed` (vae/evaluate.hpp), the pictures of (iv) and (v) and the latent
// grid, and the files they go to:
//   reconstructions.csv, samples.csv, latent_grid.csv, iwae_k.csv, latent_kl.csv
// (formats in results/README.md).
#pragma once
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "vae/mnist.hpp"
#include "vae/pictures.hpp"
#include "vae/summary.hpp"

namespace vivae {

struct EvalConfig {
  int k = 1000;
  uint64_t seed = 546;
  int threads = 1;
  long train_eval = -1;  // training images evaluated: −1 all, 0 none, else the first that many
};

struct ModelEvaluation {
  SetEval train, heldout;
  long train_images = 0;  // evaluated (0: none)
  double seconds = 0;
  ImageSet pairs, samples;
  LatentGrid grid;
};

template <class T>
ModelEvaluation evaluate_model(const Params<T>& p, const Dataset& train, const Dataset& heldout, const EvalConfig& cfg);

// The evaluation's part of a run's record (vae/summary.hpp): the sets' numbers, the images
// counted, the latent grid's directions, the BLAS that ran, and whether the held-out ELBO is
// below what predicting ½ for every pixel scores.
void record_evaluation(RunSummary& s, const ModelEvaluation& e, const Widths& w, const Dataset& train, const Dataset& heldout,
                       uint64_t seed);

using OutputFiles = std::vector<std::pair<std::string, std::string>>;
OutputFiles evaluation_files(const ModelEvaluation& e);
// The names evaluation_files writes.
extern const std::vector<std::string> kEvaluationOutputs;

// −D log 2 nats/image: what predicting ½ for every pixel scores; a model below it is worse
// than knowing nothing.
inline double uniform_pixel_elbo(int input) { return -input * 0.6931471805599453; }

}  // namespace vivae
