// A run's record, summary.json, defined once: written by vae_train and vae_eval, read back by
// --resume, the study, the report and the grader. Keys, in order:
//   program ("vae_train" | "vae_eval"), status ("complete"), run (the digest of everything that
//   determines the results), train {elbo, recon, kl, iwae} (when evaluated), heldout {…},
//   updates_done, train_eval_images, wall_s, updates_per_s, eval_s, resumed_at, seed,
//   train_images, heldout_images, parameters, latent_grid_dim_a, latent_grid_dim_b, blas_core,
//   blas_threads, below_floor, options {…}, weights {…} (vae_eval), command.
// (updates_done, wall_s, updates_per_s and resumed_at belong to training: vae_eval leaves them
// out.) Numbers JSON cannot hold are the strings "inf", "-inf", "nan" (common/json.hpp).
// A training run that diverged records diverged.json instead: status "diverged", update,
// message, run, command.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vae/config.hpp"

namespace vivae {

// The options block: what determined the run.
struct RunOptions {
  std::string data_dir, out, optim = "adam", precision = "float", load, scale = "logvar";
  long per_digit = 0, heldout = 0, batch = 0, samples = 0, updates = 0, valid_every = 0, valid_size = 0, iwae_k = 0;
  long enc_hidden = 0, dec_hidden = 0, latent = 0, checkpoint_every = 0, threads = 1, train_eval = -1;
  double lr = 0;
  uint64_t seed = 0;
  bool resume = false;
};

// vae_eval: the file the model came from and how its tensors were read.
struct WeightsRecord {
  std::string file, format, dtype, scale;
  std::vector<std::pair<std::string, std::string>> layers;  // role → tensor name
  std::vector<std::string> notes;
};

struct RunSummary {
  std::string program = "vae_train", status = "complete", run;
  std::optional<SetEval> train;  // recon, kl, elbo, iwae (not the curve)
  SetEval heldout;
  long updates_done = 0, train_eval_images = 0, resumed_at = 0, train_images = 0, heldout_images = 0, parameters = 0;
  double wall_s = 0, updates_per_s = 0, eval_s = 0;
  uint64_t seed = 0;
  long latent_grid_dim_a = 0, latent_grid_dim_b = 0;
  std::string blas_core;
  long blas_threads = 1;
  // The held-out ELBO is below −D log 2, what predicting ½ for every pixel scores.
  bool below_floor = false;
  RunOptions options;
  std::optional<WeightsRecord> weights;
  std::string command;
};

std::string summary_text(const RunSummary& s);
// DataError naming `name` when the text is not a complete run's summary.json.
RunSummary parse_summary(const std::string& text, const std::string& name);

struct DivergedRecord {
  long update = 0;
  std::string message, run, command;
};
std::string diverged_text(const DivergedRecord& d);
DivergedRecord parse_diverged(const std::string& text, const std::string& name);

// The `run` key of a record file's text, or "" when it has none or is not JSON (for --resume).
std::string record_run_key(const std::string& text);

}  // namespace vivae
