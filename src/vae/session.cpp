#include "vae/session.hpp"

#include <cstdio>

#include "common/binary.hpp"
#include "common/blas_info.hpp"
#include "common/clock.hpp"
#include "common/errors.hpp"
#include <algorithm>
#include "common/files.hpp"
#include "common/format.hpp"
#include "common/json.hpp"
#include "vae/checkpoint.hpp"
#include "vae/mnist.hpp"
#include "vae/model_io.hpp"
#include "vae/output.hpp"
#include "vae/pictures.hpp"

namespace vivae {

const std::vector<std::string> kSessionOutputs = {"train.csv",      "valid.csv",      "reconstructions.csv", "samples.csv",
                                                  "latent_grid.csv", "iwae_k.csv",     "latent_kl.csv",       "model.bin",
                                                  "summary.json",   "checkpoint.bin", "diverged.json"};

namespace session_detail {

void note(const SessionHooks& hooks, const std::string& msg) {
  if (hooks.note) hooks.note(msg);
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

Json eval_json(const SetEval& e, bool with_iwae) {
  Json j;
  j["elbo"] = json_number(e.elbo);
  j["recon"] = json_number(e.recon);
  j["kl"] = json_number(e.kl);
  if (with_iwae) j["iwae"] = json_number(e.iwae);
  return j;
}

template <class T>
SessionResult run_training(const SessionOptions& o, const SessionHooks& hooks, const Dataset& train_set,
                           const Dataset& heldout_set) {
  const TrainConfig& cfg = o.train;
  const arma::Mat<T> train_x = arma::conv_to<arma::Mat<T>>::from(train_set.x);
  const arma::Mat<T> held_x = arma::conv_to<arma::Mat<T>>::from(heldout_set.x);
  Params<T> initial;
  std::string load_bytes;
  if (!o.load.empty()) {
    load_bytes = read_file(o.load);
    const LoadedModel m = parse_model(load_bytes, o.load);
    if (m.widths.input != cfg.widths.input || m.widths.enc_hidden != cfg.widths.enc_hidden ||
        m.widths.latent != cfg.widths.latent || m.widths.dec_hidden != cfg.widths.dec_hidden)
      throw UsageError("--load: '" + o.load + "' has widths that differ from the options");
    initial = convert<T>(m.params);
  }
  TrainState<T> s = start_training<T>(cfg, train_x.n_cols, o.load.empty() ? nullptr : &initial);
  const std::string print = fingerprint(o, train_set, heldout_set, load_bytes);
  const std::string run_key = std::to_string(fnv1a(print.data(), print.size())) + "-u" + std::to_string(cfg.updates) +
                              "-k" + std::to_string(o.iwae_k) + "-t" + std::to_string(o.train_eval);
  const std::string ckpt = join_path(o.out, "checkpoint.bin");
  const std::string summary_path = join_path(o.out, "summary.json"), diverged_path = join_path(o.out, "diverged.json");
  bool have_checkpoint = false;
  if (o.resume) {
    // A finished run of the same key: nothing to do.
    auto record = [&](const std::string& path) -> Json {
      if (!file_exists(path)) return Json();
      const Json j = parse_json(read_file(path), path);
      return j.is_object() && j.contains("run") && j["run"] == run_key ? j : Json();
    };
    SessionResult done;
    done.already_done = true;
    if (const Json j = record(summary_path); !j.is_null()) {
      note(hooks, o.out + " already holds this run's results (same options and data); nothing to do");
      done.update = done.first_update = j.value("updates_done", 0L);
      done.heldout.elbo = number_at(j, "heldout.elbo", summary_path);
      done.heldout.iwae = number_at(j, "heldout.iwae", summary_path);
      if (j.contains("train")) done.train.elbo = number_at(j, "train.elbo", summary_path);
      done.train_eval_images = j.value("train_eval_images", 0L);
      return done;
    }
    if (const Json j = record(diverged_path); !j.is_null())
      throw NumericError(string_at(j, "message", diverged_path) + " (recorded in " + diverged_path + "; nothing to do)");
  }
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
  auto save_checkpoint = [&] {
    write_file_atomic(ckpt, serialise_checkpoint(s, cfg.widths, print));
    have_checkpoint = true;
  };

  note(hooks, "training on " + std::to_string(train_x.n_cols) + " images, " + std::to_string(cfg.updates) + " updates");
  if (hooks.training_starts) hooks.training_starts();
  SessionResult r;
  r.checkpoint = ckpt;
  r.first_update = s.update;
  const auto t0 = Clock::now();
  bool stopped = false;
  try {
    train<T>(s, cfg, train_x, held_x, [&](long u) {
      // Not in the middle of a run of updates below the divergence floor: a checkpoint stays a
      // state to go back to if training turns out to have diverged.
      const bool healthy = !(s.train_log.back().elbo < divergence_floor(cfg.widths.input));
      if (o.checkpoint_every > 0 && u % o.checkpoint_every == 0 && healthy) save_checkpoint();
      if (hooks.progress) hooks.progress(u, s.train_log.back().elbo);
      stopped = hooks.stop_requested && hooks.stop_requested();
      return !stopped;
    });
  } catch (const NumericError& e) {
    Json d;
    d["status"] = "diverged";
    d["update"] = s.failed_at;
    d["message"] = e.what();
    d["run"] = run_key;
    d["command"] = o.command;
    write_file_atomic(diverged_path, json_text(d));
    const bool kept = have_checkpoint;  // this run's (or the one it resumed from), not a stranger's
    throw NumericError(std::string(e.what()) + (kept ? "; the last good checkpoint is kept in " + ckpt : ""));
  }
  r.update = s.update;
  if (stopped) {
    save_checkpoint();
    r.interrupted = true;
    return r;
  }
  r.train_s = seconds_since(t0);
  // Training is done and saved: from here on an interrupt just stops the program, and
  // --resume goes straight to the evaluation.
  if (o.checkpoint_every > 0 && s.update % o.checkpoint_every != 0) save_checkpoint();
  if (hooks.training_saved) hooks.training_saved();

  // The training images evaluated: all, none, or the first train_eval of them.
  const arma::uword n_train_eval =
      o.train_eval < 0 ? train_x.n_cols : std::min<arma::uword>(train_x.n_cols, static_cast<arma::uword>(o.train_eval));
  r.train_eval_images = static_cast<long>(n_train_eval);
  note(hooks, "evaluating ELBO and L_k (k = " + std::to_string(o.iwae_k) + ") on " +
                  (n_train_eval ? std::to_string(n_train_eval) + " training and " : "") + "the held-out images");
  const auto t1 = Clock::now();
  EvalOptions eo;
  eo.k = o.iwae_k;
  eo.seed = cfg.seed;
  eo.threads = cfg.threads;
  if (n_train_eval > 0) r.train = evaluate_set(s.params, arma::Mat<T>(train_x.cols(0, n_train_eval - 1)), eo);
  eo.set = 1;
  r.heldout = evaluate_set(s.params, held_x, eo);
  r.eval_s = seconds_since(t1);
  const SetEval &ev_train = r.train, &ev_held = r.heldout;

  const ImageSet pairs = reconstruction_pairs(s.params, heldout_set, 8);  // (iv)
  Rng sample_rng = make_rng(cfg.seed, kEval + 200);
  const ImageSet samples = prior_samples(s.params, 64, sample_rng);        // (v)
  const LatentGrid grid = latent_grid(s.params, held_x, 12, 2.5);

  Json opts;
  opts["data_dir"] = o.data_dir;
  opts["out"] = o.out;
  opts["per_digit"] = o.per_digit;
  opts["heldout"] = o.heldout;
  opts["batch"] = cfg.batch;
  opts["samples"] = cfg.samples;
  opts["updates"] = cfg.updates;
  opts["valid_every"] = cfg.valid_every;
  opts["valid_size"] = cfg.valid_size;
  opts["optim"] = optim_name(cfg.optim);
  opts["lr"] = json_number(cfg.lr);
  opts["seed"] = cfg.seed;
  opts["iwae_k"] = o.iwae_k;
  opts["enc_hidden"] = cfg.widths.enc_hidden;
  opts["dec_hidden"] = cfg.widths.dec_hidden;
  opts["latent"] = cfg.widths.latent;
  opts["precision"] = o.precision;
  opts["load"] = o.load;
  opts["checkpoint_every"] = o.checkpoint_every;
  opts["resume"] = o.resume;
  opts["threads"] = cfg.threads;
  opts["train_eval"] = o.train_eval;
  Json j;
  j["status"] = "complete";
  j["run"] = run_key;
  if (n_train_eval > 0) j["train"] = eval_json(ev_train, true);
  j["heldout"] = eval_json(ev_held, true);
  j["updates_done"] = s.update;
  j["train_eval_images"] = n_train_eval;
  r.updates_per_s = static_cast<double>(s.update - r.first_update) / std::max(r.train_s, 1e-9);
  j["wall_s"] = json_number(r.train_s);
  j["updates_per_s"] = json_number(r.updates_per_s);
  j["eval_s"] = json_number(r.eval_s);
  j["resumed_at"] = r.first_update;
  j["seed"] = cfg.seed;
  j["train_images"] = train_x.n_cols;
  j["heldout_images"] = held_x.n_cols;
  j["parameters"] = parameter_count(cfg.widths);
  j["latent_grid_dim_a"] = grid.dim_a;
  j["latent_grid_dim_b"] = grid.dim_b;
  j["blas_core"] = blas_core_name();
  j["blas_threads"] = blas_threads();
  j["options"] = opts;
  j["command"] = o.command;

  std::vector<std::pair<std::string, std::string>> files;
  auto put = [&](const std::string& name, std::string content) { files.emplace_back(name, std::move(content)); };
  put("train.csv", log_csv(s.train_log));
  put("valid.csv", log_csv(s.valid_log));
  put("reconstructions.csv", images_csv(pairs.lead_header, pairs.lead, pairs.images));
  put("samples.csv", images_csv(samples.lead_header, samples.lead, samples.images));
  put("latent_grid.csv", images_csv(grid.set.lead_header, grid.set.lead, grid.set.images));
  put("model.bin", serialise_model(s.params, cfg.widths));
  std::string curve = "k,iwae,elbo\n";
  for (const auto& [k, value] : ev_held.iwae_curve) curve += std::to_string(k) + "," + fmt(value) + "," + fmt(ev_held.elbo) + "\n";
  put("iwae_k.csv", curve);
  std::string kl_dims = "dim,kl\n";
  for (arma::uword d = 0; d < grid.kl_per_dim.n_elem; ++d) kl_dims += std::to_string(d) + "," + fmt(grid.kl_per_dim(d)) + "\n";
  put("latent_kl.csv", kl_dims);
  put("summary.json", json_text(j));
  write_files_atomic(o.out, files);
  if (file_exists(diverged_path)) std::remove(diverged_path.c_str());  // an earlier attempt's record, now stale
  return r;
}

}  // namespace session_detail

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
  ensure_writable_dir(o.out);
  // Two runs writing one folder would interleave their files (a study started twice, or a run
  // left over from a killed one): the second stops here instead.
  const DirLock lock = lock_dir(o.out, "vae_train");
  check_output_targets(o.out, kSessionOutputs);
  return o.precision == "double" ? run_training<double>(o, hooks, train_set, heldout_set)
                                 : run_training<float>(o, hooks, train_set, heldout_set);
}

}  // namespace vivae
