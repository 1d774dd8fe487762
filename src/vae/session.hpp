// One vae_train run as the program does it: load the data (and --load weights), resume from a
// checkpoint, train with periodic checkpoints, evaluate, and write every output at once
// (temporary files, then renames). It never prints: what the user should see goes through
// the hooks, and the program turns the result into its last line and exit code.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "vae/config.hpp"

namespace vivae {

struct SessionOptions {
  TrainConfig train;                                // train.widths.input comes from the data
  std::string data_dir = "data/mnist", out = "results/p2", load, precision = "float", command;
  int per_digit = 1000, heldout = 1000, iwae_k = 1000;
  long checkpoint_every = 1000;                     // 0: only when interrupted
  bool resume = false;
};

struct SessionHooks {
  std::function<void(const std::string&)> note;          // a line of news (loading, resuming, evaluating)
  std::function<void()> training_starts;                  // data and checkpoint loaded, outputs checked
  std::function<void(long update, double elbo)> progress;  // after every update
  std::function<bool()> stop_requested;                   // polled after every update
  std::function<void()> training_saved;                   // training is over and checkpointed
};

struct SessionResult {
  bool interrupted = false;   // stopped on request; the checkpoint holds the state
  std::string checkpoint;     // OUT/checkpoint.bin
  long first_update = 0, update = 0;
  double train_s = 0, updates_per_s = 0, eval_s = 0;
  SetEval train, heldout;
};

// The files a run writes in OUT (checkpoint.bin during training, the rest at the end).
extern const std::vector<std::string> kSessionOutputs;

// Throws UsageError, DataError, IoError for bad options, data or outputs (nothing written),
// NumericError when training produces NaN/Inf (the last checkpoint kept).
SessionResult run_session(const SessionOptions& o, const SessionHooks& hooks);

}  // namespace vivae
