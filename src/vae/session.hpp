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
  std::string data_dir = "data/mnist", out = "results/train", load, precision = "float", command;
  int per_digit = 1000, heldout = 1000, iwae_k = 1000;
  long train_eval = -1;                             // training images in the final evaluation: −1 all, 0 none
  long checkpoint_every = 1000;                     // 0: only when interrupted
  bool resume = false;
};

struct SessionHooks {
  std::function<void(const std::string&)> note;          // a line of news (loading, resuming, evaluating)
  std::function<void(const std::string&)> warning;       // something the user should know even when quiet
  std::function<void()> training_starts;                  // data and checkpoint loaded, outputs checked
  std::function<void(long update, double elbo)> progress;  // after every update
  std::function<bool()> stop_requested;                   // polled after every update
  std::function<void()> training_saved;                   // training is over and checkpointed
};

struct SessionResult {
  bool interrupted = false;   // stopped on request; the checkpoint holds the state
  bool already_done = false;  // --resume found this run's results complete in OUT; nothing was redone
  std::string checkpoint;     // OUT/checkpoint.bin
  long first_update = 0, update = 0;
  double train_s = 0, updates_per_s = 0, eval_s = 0;
  SetEval train, heldout;     // train: only when train_eval ≠ 0
  long train_eval_images = 0;
};

// The files a run writes in OUT (checkpoint.bin during training, the rest at the end, or
// diverged.json instead of them when training fails numerically).
extern const std::vector<std::string> kSessionOutputs;

// A run's record: summary.json ("status": "complete") or diverged.json ("status": "diverged",
// the update and the message) both carry `run`, a digest of everything that determines the
// results (options, data, --load weights, updates, evaluation). With --resume, a record of the
// same run in OUT means there is nothing to do: a complete run returns already_done, a
// diverged one throws its NumericError again, so a study never redoes a finished run.
//
// Throws UsageError, DataError, IoError for bad options, data or outputs (nothing written),
// NumericError when training produces NaN/Inf or diverges (diverged.json written, the last
// checkpoint kept, no result file).
SessionResult run_session(const SessionOptions& o, const SessionHooks& hooks);

// Whether `dir` holds an earlier vae_train run: its record (summary.json, diverged.json) or a
// checkpoint.
bool holds_training_run(const std::string& dir);

}  // namespace vivae
