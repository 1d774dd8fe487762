#include "vae/session.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "common/binary.hpp"
#include "vae/blas_info.hpp"
#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "common/format.hpp"
#include "vae/checkpoint.hpp"
#include "vae/evaluation.hpp"
#include "vae/model_io.hpp"
#include "vae/output.hpp"
#include "vae/safetensors.hpp"
#include "vae/summary.hpp"
#include "vae/weights.hpp"

namespace vivae {

const std::vector<std::string> kSessionOutputs = {
    "train.csv",       "valid.csv",  "reconstructions.csv", "samples.csv",   "latent_grid.csv", "iwae_k.csv",
    "latent_kl.csv",   "model.bin",  "model.safetensors",   "summary.json",  "checkpoint.bin",  "diverged.json"};

// The stages of a run, in order: load the --load weights, key the run, find a finished record
// (--resume), restore or start, train with checkpoints, evaluate, write. Named, not anonymous:
// a lambda of the templates below captures these types, and in a unity build this file is an
// include (GCC's -Wsubobject-linkage).
namespace session_detail {

void note(const SessionHooks& hooks, const std::string& msg) {
  if (hooks.note) hooks.note(msg);
}

// --load: weights of any format (vae/weights.hpp) of the run's widths, and the file's bytes
// (part of the run's identity).
template <class T>
std::optional<Params<T>> load_initial(const SessionOptions& o, std::string& load_bytes) {
  if (o.load.empty()) return std::nullopt;
  try {
    load_bytes = read_file(o.load);
  } catch (const DataError& e) {
    throw UsageError(std::string("--load: ") + e.what());
  }
  const LoadedWeights m = load_weights(load_bytes, o.load, HeadScale::log_var, o.train.widths.input);
  const Widths &a = m.widths, &b = o.train.widths;
  if (a.enc_hidden != b.enc_hidden || a.latent != b.latent || a.dec_hidden != b.dec_hidden)
    throw UsageError("--load: '" + o.load + "' has widths " + std::to_string(a.enc_hidden) + "/" + std::to_string(a.latent) +
                     "/" + std::to_string(a.dec_hidden) + " (encoder hidden/latent/decoder hidden), the options " +
                     std::to_string(b.enc_hidden) + "/" + std::to_string(b.latent) + "/" + std::to_string(b.dec_hidden));
  return convert<T>(m.params);
}

// What must match for a checkpoint to be resumed: every option that changes the run except
// --updates (a run may be extended), and digests of the data and of any --load weights.
std::string fingerprint(const SessionOptions& o, const Dataset& tr, const Dataset& held, const std::string& load_bytes) {
  const TrainConfig& c = o.train;
  auto digest = [](const arma::mat& x) { return std::to_string(fnv1a(reinterpret_cast<const char*>(x.memptr()), x.n_elem * sizeof(double))); };
  return "seed=" + std::to_string(c.seed) + ";batch=" + std::to_string(c.batch) + ";samples=" + std::to_string(c.samples) +
         ";optim=" + optim_name(c.optim) + ";lr=" + fmt(c.lr) + ";valid_every=" + std::to_string(c.valid_every) +
         ";valid_size=" + std::to_string(c.valid_size) + ";widths=" + std::to_string(c.widths.input) + "," +
         std::to_string(c.widths.enc_hidden) + "," + std::to_string(c.widths.latent) + "," +
         std::to_string(c.widths.dec_hidden) + ";precision=" + o.precision + ";train=" + digest(tr.x) +
         ";heldout=" + digest(held.x) + ";load=" + std::to_string(fnv1a(load_bytes.data(), load_bytes.size()));
}

// A run's key: the fingerprint, and what else determines its results (updates, evaluation).
std::string run_key(const SessionOptions& o, const std::string& print) {
  return std::to_string(fnv1a(print.data(), print.size())) + "-u" + std::to_string(o.train.updates) + "-k" +
         std::to_string(o.iwae_k) + "-t" + std::to_string(o.train_eval);
}

// --resume with this run's record in OUT: nothing to do (a diverged run throws again).
std::optional<SessionResult> finished_run(const SessionOptions& o, const std::string& key, const SessionHooks& hooks) {
  const std::string summary_path = join_path(o.out, "summary.json"), diverged_path = join_path(o.out, "diverged.json");
  if (file_exists(summary_path)) {
    const std::string text = read_file(summary_path);
    if (record_run_key(text) == key) {
      const RunSummary s = parse_summary(text, summary_path);
      note(hooks, o.out + " already holds this run's results (same options and data); nothing to do");
      SessionResult done;
      done.already_done = true;
      done.update = done.first_update = s.updates_done;
      done.heldout = s.heldout;
      if (s.train) done.train = *s.train;
      done.train_eval_images = s.train_eval_images;
      return done;
    }
  }
  if (file_exists(diverged_path)) {
    const std::string text = read_file(diverged_path);
    if (record_run_key(text) == key)
      throw NumericError(parse_diverged(text, diverged_path).message + " (recorded in " + diverged_path + "; nothing to do)");
  }
  return std::nullopt;
}

// Trains s to cfg.updates, checkpointing every checkpoint_every updates (never inside a run of
// updates below the divergence floor, so the checkpoint kept is a state to go back to).
// Returns false when stopped on request. On divergence writes diverged.json and rethrows.
template <class T>
bool train_stage(TrainState<T>& s, const SessionOptions& o, const arma::Mat<T>& train_x, const arma::Mat<T>& held_x,
                 const std::string& print, const std::string& key, bool have_checkpoint, const SessionHooks& hooks) {
  const TrainConfig& cfg = o.train;
  const std::string ckpt = join_path(o.out, "checkpoint.bin");
  auto save = [&] {
    write_file_atomic(ckpt, serialise_checkpoint(s, cfg.widths, print));
    have_checkpoint = true;
  };
  bool stopped = false;
  try {
    train<T>(s, cfg, train_x, held_x, [&](long u) {
      const bool healthy = !(s.train_log.back().elbo < divergence_floor(cfg.widths.input));
      if (o.checkpoint_every > 0 && u % o.checkpoint_every == 0 && healthy) save();
      if (hooks.progress) hooks.progress(u, s.train_log.back().elbo);
      stopped = hooks.stop_requested && hooks.stop_requested();
      return !stopped;
    });
  } catch (const NumericError& e) {
    write_file_atomic(join_path(o.out, "diverged.json"), diverged_text({s.failed_at, e.what(), key, o.command}));
    // This run's checkpoint (or the one it resumed from), not a stranger's.
    throw NumericError(std::string(e.what()) + (have_checkpoint ? "; the last good checkpoint is kept in " + ckpt : ""));
  }
  if (stopped) {
    save();
    return false;
  }
  // Training is done and saved: from here on an interrupt just stops the program, and --resume
  // goes straight to the evaluation.
  if (o.checkpoint_every > 0 && s.update % o.checkpoint_every != 0) save();
  return true;
}

template <class T>
RunSummary run_summary(const SessionOptions& o, const SessionResult& r, const ModelEvaluation& ev, const std::string& key,
                       const Dataset& train_set, const Dataset& heldout_set) {
  const TrainConfig& cfg = o.train;
  RunSummary s;
  s.run = key;
  record_evaluation(s, ev, cfg.widths, train_set, heldout_set, cfg.seed);
  s.updates_done = r.update;
  s.wall_s = r.train_s;
  s.updates_per_s = r.updates_per_s;
  s.resumed_at = r.first_update;
  RunOptions& op = s.options;
  op.data_dir = o.data_dir;
  op.out = o.out;
  op.per_digit = o.per_digit;
  op.heldout = o.heldout;
  op.batch = cfg.batch;
  op.samples = cfg.samples;
  op.updates = cfg.updates;
  op.valid_every = cfg.valid_every;
  op.valid_size = cfg.valid_size;
  op.optim = optim_name(cfg.optim);
  op.lr = cfg.lr;
  op.seed = cfg.seed;
  op.iwae_k = o.iwae_k;
  op.enc_hidden = cfg.widths.enc_hidden;
  op.dec_hidden = cfg.widths.dec_hidden;
  op.latent = cfg.widths.latent;
  op.precision = o.precision;
  op.load = o.load;
  op.checkpoint_every = o.checkpoint_every;
  op.resume = o.resume;
  op.threads = cfg.threads;
  op.train_eval = o.train_eval;
  s.command = o.command;
  return s;
}

template <class T>
SessionResult run_training(const SessionOptions& o, const SessionHooks& hooks, const Dataset& train_set,
                           const Dataset& heldout_set) {
  const TrainConfig& cfg = o.train;
  std::string load_bytes;
  const std::optional<Params<T>> initial = load_initial<T>(o, load_bytes);
  const std::string print = fingerprint(o, train_set, heldout_set, load_bytes);
  const std::string key = run_key(o, print);
  if (o.resume)
    if (std::optional<SessionResult> done = finished_run(o, key, hooks)) return *done;

  const arma::Mat<T> train_x = arma::conv_to<arma::Mat<T>>::from(train_set.x);
  const arma::Mat<T> held_x = arma::conv_to<arma::Mat<T>>::from(heldout_set.x);
  TrainState<T> s = start_training<T>(cfg, train_x.n_cols, initial ? &*initial : nullptr);
  const std::string ckpt = join_path(o.out, "checkpoint.bin");
  bool have_checkpoint = false;
  if (o.resume) {
    if (file_exists(ckpt)) {
      restore_checkpoint(s, read_file(ckpt), ckpt, cfg.widths, print, train_x.n_cols);
      have_checkpoint = true;
      note(hooks, "resuming from " + ckpt + " at update " + std::to_string(s.update));
      if (s.update > cfg.updates)
        throw UsageError("--updates " + std::to_string(cfg.updates) + " is less than the checkpoint's " + std::to_string(s.update));
    } else {
      note(hooks, "no checkpoint in " + o.out + "; starting from the beginning");
    }
  }
  // A new run here (not this one resumed): the records of an earlier one go, so the folder never
  // claims two outcomes; its checkpoint is replaced at the first save, and the user is told.
  const std::string summary_path = join_path(o.out, "summary.json"), diverged_path = join_path(o.out, "diverged.json");
  for (const std::string& record : {summary_path, diverged_path})
    if (file_exists(record) && (!o.resume || record_run_key(read_file(record)) != key)) std::remove(record.c_str());
  if (!o.resume && file_exists(ckpt) && hooks.warning)
    hooks.warning(ckpt + " holds an earlier run's checkpoint, which this run replaces (rerun with --resume to continue it instead)");
  note(hooks, "training on " + std::to_string(train_x.n_cols) + " images, " + std::to_string(cfg.updates) + " updates");
  if (hooks.training_starts) hooks.training_starts();
  SessionResult r;
  r.checkpoint = ckpt;
  r.first_update = s.update;
  const auto t0 = Clock::now();
  const bool finished = train_stage(s, o, train_x, held_x, print, key, have_checkpoint, hooks);
  r.update = s.update;
  if (!finished) {
    r.interrupted = true;
    return r;
  }
  r.train_s = seconds_since(t0);
  r.updates_per_s = static_cast<double>(s.update - r.first_update) / std::max(r.train_s, 1e-9);
  if (hooks.training_saved) hooks.training_saved();

  EvalConfig ec;
  ec.k = o.iwae_k;
  ec.seed = cfg.seed;
  ec.threads = cfg.threads;
  ec.train_eval = o.train_eval;
  const long n_train = o.train_eval < 0 ? static_cast<long>(train_x.n_cols) : std::min<long>(o.train_eval, train_x.n_cols);
  note(hooks, "evaluating ELBO and L_k (k = " + std::to_string(o.iwae_k) + ") on " +
                  (n_train ? std::to_string(n_train) + " training and " : "") + "the held-out images");
  const ModelEvaluation ev = evaluate_model(s.params, train_set, heldout_set, ec);
  // A run too short for the divergence rule can still end worse than knowing nothing.
  const double floor = uniform_pixel_elbo(cfg.widths.input);
  if (!(ev.heldout.elbo >= floor)) {
    const std::string msg = "training failed: the final held-out ELBO " + fmt(ev.heldout.elbo) + " nats/image is below " +
                            fmt_fixed(floor, 1) + ", what predicting 1/2 for every pixel scores (try a smaller --lr)";
    write_file_atomic(diverged_path, diverged_text({s.update, msg, key, o.command}));
    throw NumericError(msg);
  }
  r.eval_s = ev.seconds;
  r.train = ev.train;
  r.heldout = ev.heldout;
  r.train_eval_images = ev.train_images;

  OutputFiles files = {{"train.csv", log_csv(s.train_log)}, {"valid.csv", log_csv(s.valid_log)}};
  for (auto& f : evaluation_files(ev)) files.push_back(std::move(f));
  files.emplace_back("model.bin", serialise_model(s.params, cfg.widths));
  files.emplace_back("model.safetensors", serialise_safetensors(linear_tensors(s.params), sizeof(T) == 8 ? "F64" : "F32",
                                                                {{"format", "pt"}, {"vivae", "enc2 rows 0..latent-1 mu, latent.. log sigma^2"}}));
  files.emplace_back("summary.json", summary_text(run_summary<T>(o, r, ev, key, train_set, heldout_set)));
  write_files_atomic(o.out, files);
  if (file_exists(diverged_path)) std::remove(diverged_path.c_str());  // an earlier attempt's record, now stale
  return r;
}

}  // namespace session_detail

bool holds_training_run(const std::string& dir) {
  if (file_exists(join_path(dir, "checkpoint.bin")) || file_exists(join_path(dir, "diverged.json"))) return true;
  const std::string summary = join_path(dir, "summary.json");
  if (!file_exists(summary) || is_directory(summary)) return false;
  try {
    const RunSummary s = parse_summary(read_file(summary), summary);
    return s.program == "vae_train";
  } catch (const DataError&) {
    return false;
  }
}

SessionResult run_session(const SessionOptions& options, const SessionHooks& hooks) {
  using namespace session_detail;
  SessionOptions o = options;
  if (!o.load.empty() && !file_exists(o.load)) throw UsageError("--load: '" + o.load + "' does not exist");
  blas_set_threads(1);
  const MnistFiles files = locate_mnist(o.data_dir);
  const Dataset train_set = load_training_set(files, o.per_digit);
  const Dataset heldout_set = load_heldout_set(files, o.heldout);
  o.train.widths.input = static_cast<int>(train_set.x.n_rows);
  if (heldout_set.x.n_rows != train_set.x.n_rows) throw DataError("training and held-out images differ in size");
  if (o.train_eval > static_cast<long>(train_set.x.n_cols))
    throw UsageError("--train-eval " + std::to_string(o.train_eval) + ": the training set has " +
                     std::to_string(train_set.x.n_cols) + " images (all: --train-eval all)");
  // Two runs writing one folder would interleave their files (a study started twice, or a run
  // left over from a killed one): the second stops here instead.
  const DirLock lock = claim_output_folder(o.out, "vae_train", holds_training_run);
  check_output_targets(o.out, kSessionOutputs);
  return o.precision == "double" ? run_training<double>(o, hooks, train_set, heldout_set)
                                 : run_training<float>(o, hooks, train_set, heldout_set);
}

}  // namespace vivae
