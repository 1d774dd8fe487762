// One vae_eval run: a model trained anywhere (vae/weights.hpp: model.bin, safetensors, npz)
// evaluated exactly as vae_train ends a run (vae/evaluation.hpp): the same data, the same
// evaluation streams of --seed, the same summary.json schema (vae/summary.hpp, program
// "vae_eval", with a `weights` entry saying how the file was read). It never prints: news goes
// through `note`; the program adds the comparison with the reference runs and the figure.
#pragma once
#include <functional>
#include <string>

#include "common/files.hpp"
#include "vae/summary.hpp"

namespace vivae {

struct EvalSessionOptions {
  std::string weights, data_dir = "data/mnist", out = "results/eval", precision = "auto", command;
  HeadScale scale = HeadScale::log_var;
  int per_digit = 1000, heldout = 1000, iwae_k = 1000, threads = 1;
  long train_eval = -1;  // −1 all, 0 none, else the first that many training images
  uint64_t seed = 546;
};

struct EvalSessionResult {
  RunSummary summary;
  std::vector<std::pair<std::string, std::string>> files;  // summary.json and the evaluation's CSVs
  ImageList reconstructions, samples;                      // for the figure
  int side = 14;
  DirLock lock;                                            // on --out, until the files are written
};

// The files vae_eval writes (the figure, eval.pdf, and comparison.csv beside these).
extern const std::vector<std::string> kEvalOutputs;

// Whether `dir` holds an earlier vae_eval run (its summary.json says so).
bool holds_eval_run(const std::string& dir);

// Throws UsageError, DataError, IoError (nothing written): a bad weight file, data, or an --out
// that is a training run's folder (or anything but new, empty or an earlier vae_eval run).
EvalSessionResult run_eval_session(const EvalSessionOptions& o, const std::function<void(const std::string&)>& note);

}  // namespace vivae
