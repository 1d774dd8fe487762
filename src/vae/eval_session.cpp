#include "vae/eval_session.hpp"

#include "common/binary.hpp"
#include "vae/blas_info.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "vae/evaluation.hpp"
#include "vae/weights.hpp"

namespace vivae {

const std::vector<std::string> kEvalOutputs = {"summary.json", "reconstructions.csv", "samples.csv", "latent_grid.csv",
                                               "iwae_k.csv",   "latent_kl.csv",       "comparison.csv", "eval.pdf"};

bool holds_eval_run(const std::string& dir) {
  const std::string path = join_path(dir, "summary.json");
  if (!file_exists(path) || is_directory(path)) return false;
  try {
    return parse_summary(read_file(path), path).program == "vae_eval";
  } catch (const DataError&) {
    return false;
  }
}

namespace {

ImageList image_list(const arma::mat& images) {
  ImageList out;
  for (arma::uword c = 0; c < images.n_cols; ++c) out.emplace_back(images.colptr(c), images.colptr(c) + images.n_rows);
  return out;
}

template <class T>
EvalSessionResult evaluate_as(const EvalSessionOptions& o, const LoadedWeights& w, const Dataset& train, const Dataset& held,
                              const std::string& weights_bytes) {
  const Params<T> p = convert<T>(w.params);
  EvalConfig cfg;
  cfg.k = o.iwae_k;
  cfg.seed = o.seed;
  cfg.threads = o.threads;
  cfg.train_eval = o.train_eval;
  const ModelEvaluation ev = evaluate_model(p, train, held, cfg);
  EvalSessionResult r;
  RunSummary& s = r.summary;
  s.program = "vae_eval";
  const std::string key = std::to_string(fnv1a(weights_bytes.data(), weights_bytes.size())) + "-" + scale_name(o.scale) +
                          "-s" + std::to_string(o.seed) + "-k" + std::to_string(o.iwae_k) + "-t" + std::to_string(o.train_eval);
  s.run = "eval-" + key;
  record_evaluation(s, ev, w.widths, train, held, o.seed);
  RunOptions& op = s.options;
  op.data_dir = o.data_dir;
  op.out = o.out;
  op.per_digit = o.per_digit;
  op.heldout = o.heldout;
  op.seed = o.seed;
  op.iwae_k = o.iwae_k;
  op.enc_hidden = w.widths.enc_hidden;
  op.dec_hidden = w.widths.dec_hidden;
  op.latent = w.widths.latent;
  op.precision = sizeof(T) == 8 ? "double" : "float";
  op.scale = scale_name(o.scale);
  op.threads = o.threads;
  op.train_eval = o.train_eval;
  s.weights = WeightsRecord{o.weights, w.format, w.dtype, scale_name(o.scale), w.layers, w.notes};
  s.command = o.command;
  r.files = evaluation_files(ev);
  r.files.insert(r.files.begin(), {"summary.json", summary_text(s)});
  r.reconstructions = image_list(ev.pairs.images);
  r.samples = image_list(ev.samples.images);
  r.side = held.side;
  return r;
}

}  // namespace

EvalSessionResult run_eval_session(const EvalSessionOptions& o, const std::function<void(const std::string&)>& note) {
  auto say = [&](const std::string& m) {
    if (note) note(m);
  };
  if (o.weights.empty()) throw UsageError("--weights: give the model file to evaluate (.safetensors, .npz or model.bin)");
  std::string bytes;
  try {
    bytes = read_file(o.weights);
  } catch (const DataError& e) {
    throw DataError(std::string("--weights: ") + e.what());
  }
  if (bytes.empty()) throw DataError("--weights: '" + o.weights + "' is empty");
  // Never into a training run's folder (its record and checkpoint would be mixed with ours).
  if (file_exists(join_path(o.out, "checkpoint.bin")) ||
      (file_exists(join_path(o.out, "summary.json")) && !holds_eval_run(o.out)))
    throw IoError("output folder '" + o.out + "' holds a training run (or another program's results); vae_eval writes " +
                  "a folder of its own: choose another --out");
  check_output_folder(o.out, "vae_eval", holds_eval_run);
  blas_set_threads(1);
  const MnistFiles files = locate_mnist(o.data_dir);
  const Dataset train = load_training_set(files, o.per_digit);
  const Dataset held = load_heldout_set(files, o.heldout);
  const LoadedWeights w = load_weights(bytes, o.weights, o.scale, static_cast<int>(held.x.n_rows));
  say("read " + o.weights + " (" + w.format + ", " + w.dtype + "): widths " + std::to_string(w.widths.input) + " -> " +
      std::to_string(w.widths.enc_hidden) + " -> 2 x " + std::to_string(w.widths.latent) + " -> " +
      std::to_string(w.widths.dec_hidden) + " -> " + std::to_string(w.widths.input));
  for (const std::string& n : w.notes) say(n);
  DirLock lock = claim_output_folder(o.out, "vae_eval", holds_eval_run);
  check_output_targets(o.out, kEvalOutputs);
  const bool as_double = o.precision == "double" || (o.precision == "auto" && w.element_bytes == 8);
  say("evaluating ELBO and L_k (k = " + std::to_string(o.iwae_k) + ") in " + (as_double ? "double" : "float"));
  EvalSessionResult r = as_double ? evaluate_as<double>(o, w, train, held, bytes) : evaluate_as<float>(o, w, train, held, bytes);
  r.lock = std::move(lock);
  return r;
}

}  // namespace vivae
