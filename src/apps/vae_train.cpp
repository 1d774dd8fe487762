// vae_train: the Kingma & Welling VAE of Homework 5, Problem 2, on binarised 14×14 MNIST.
// Parses options -> validates -> loads data -> trains (src/vae) -> evaluates -> writes outputs.
#include <unistd.h>

#include <csignal>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "apps/cli.hpp"
#include "common/blas_info.hpp"
#include "common/parallel.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "common/format.hpp"
#include "common/parse.hpp"
#include "common/binary.hpp"
#include "vae/checkpoint.hpp"
#include "vae/evaluate.hpp"
#include "vae/mnist.hpp"
#include "vae/model_io.hpp"
#include "vae/output.hpp"
#include "vae/pictures.hpp"
#include "vae/train.hpp"

namespace po = boost::program_options;
using namespace vivae;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  TrainConfig train;
  std::string data_dir, out, load, precision;
  int per_digit = 1000, heldout = 1000, iwae_k = 1000;
  long checkpoint_every = 1000;
  bool quiet = false, resume = false;
  std::string command;
};

const std::vector<std::string> kOutputs = {"train.csv",     "valid.csv", "reconstructions.csv", "samples.csv",
                                           "latent_grid.csv", "iwae_k.csv", "latent_kl.csv", "model.bin", "summary.json",
                                           "checkpoint.bin"};  // checkpoint.bin: written during training

volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_signal(int signo) { g_signal = signo; }

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// What must match for a checkpoint to be resumed: every option that changes the run except
// --updates (a run may be extended), and digests of the data and of any --load weights.
std::string fingerprint(const Options& o, const Dataset& tr, const Dataset& held, const std::string& load_bytes) {
  const TrainConfig& c = o.train;
  auto digest = [](const arma::mat& x) { return std::to_string(fnv1a(reinterpret_cast<const char*>(x.memptr()), x.n_elem * sizeof(double))); };
  return "seed=" + std::to_string(c.seed) + ";batch=" + std::to_string(c.batch) + ";samples=" + std::to_string(c.samples) +
         ";optim=" + optim_name(c.optim) + ";lr=" + fmt(c.lr) + ";valid_every=" + std::to_string(c.valid_every) +
         ";valid_size=" + std::to_string(c.valid_size) + ";widths=" + std::to_string(c.widths.input) + "," +
         std::to_string(c.widths.enc_hidden) + "," + std::to_string(c.widths.latent) + "," +
         std::to_string(c.widths.dec_hidden) + ";precision=" + o.precision + ";train=" + digest(tr.x) +
         ";heldout=" + digest(held.x) + ";load=" + std::to_string(fnv1a(load_bytes.data(), load_bytes.size()));
}

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Progress on stderr, only when it is a terminal and not --quiet.
struct Progress {
  bool on;
  long total;
  Clock::time_point start = Clock::now(), last = start;
  bool operator()(long update, double elbo) {
    if (!on) return true;
    const auto now = Clock::now();
    if (update != total && std::chrono::duration<double>(now - last).count() < 0.25) return true;
    last = now;
    const double rate = update / std::max(1e-9, seconds_since(start));
    std::fprintf(stderr, "\rvae_train: update %ld/%ld  elbo %8.2f  %6.0f upd/s  ETA %4.0fs ", update, total, elbo, rate,
                 (total - update) / std::max(rate, 1e-9));
    if (update == total) std::fprintf(stderr, "\n");
    return true;
  }
};

void note(const Options& o, const std::string& msg) {
  if (!o.quiet) std::cerr << "vae_train: " << msg << "\n";
}

Json eval_json(const SetEval& e, bool with_iwae) {
  Json j;
  j.num("elbo", e.elbo).num("recon", e.recon).num("kl", e.kl);
  if (with_iwae) j.num("iwae", e.iwae);
  return j;
}

template <class T>
int run_training(const Options& o, const Dataset& train_set, const Dataset& heldout_set) {
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
  const std::string ckpt = join_path(o.out, "checkpoint.bin");
  if (o.resume) {
    if (file_exists(ckpt)) {
      restore_checkpoint(s, read_file(ckpt), ckpt, cfg.widths, print, train_x.n_cols);
      note(o, "resuming from " + ckpt + " at update " + std::to_string(s.update));
      if (s.update > cfg.updates)
        throw UsageError("--updates " + std::to_string(cfg.updates) + " is less than the checkpoint's " + std::to_string(s.update));
    } else {
      note(o, "no checkpoint in " + o.out + "; starting from the beginning");
    }
  }
  auto save_checkpoint = [&] { write_file_atomic(ckpt, serialise_checkpoint(s, cfg.widths, print)); };

  note(o, "training on " + std::to_string(train_x.n_cols) + " images, " + std::to_string(cfg.updates) + " updates");
  Progress progress{!o.quiet && isatty(STDERR_FILENO), cfg.updates};
  install_signal_handlers();
  const long first_update = s.update;
  const auto t0 = Clock::now();
  try {
    train<T>(s, cfg, train_x, held_x, [&](long u) {
      if (o.checkpoint_every > 0 && u % o.checkpoint_every == 0) save_checkpoint();
      if (g_signal) return false;
      return progress(u, s.train_log.back().elbo);
    });
  } catch (const NumericError& e) {
    const bool kept = o.checkpoint_every > 0 && file_exists(ckpt);
    throw NumericError(std::string(e.what()) + (kept ? "; the last good checkpoint is kept in " + ckpt : ""));
  }
  if (g_signal) {
    save_checkpoint();
    std::fprintf(stderr, "\nvae_train: interrupted at update %ld; checkpoint written to %s; rerun the same command with --resume to continue\n",
                 s.update, ckpt.c_str());
    return 128 + g_signal;
  }
  const double wall = seconds_since(t0);
  // Training is done and saved: from here on an interrupt just stops the program, and
  // --resume goes straight to the evaluation.
  if (o.checkpoint_every > 0 && s.update % o.checkpoint_every != 0) save_checkpoint();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);

  note(o, "evaluating ELBO and L_k (k = " + std::to_string(o.iwae_k) + ") on the training and held-out sets");
  const auto t1 = Clock::now();
  EvalOptions eo;
  eo.k = o.iwae_k;
  eo.seed = cfg.seed;
  eo.threads = cfg.threads;
  const SetEval ev_train = evaluate_set(s.params, train_x, eo);
  eo.set = 1;
  const SetEval ev_held = evaluate_set(s.params, held_x, eo);
  const double eval_s = seconds_since(t1);

  const ImageSet pairs = reconstruction_pairs(s.params, heldout_set, 8);  // (iv)
  Rng sample_rng = make_rng(cfg.seed, kEval + 200);
  const ImageSet samples = prior_samples(s.params, 64, sample_rng);        // (v)
  const LatentGrid grid = latent_grid(s.params, held_x, 12, 2.5);

  Json opts;
  opts.str("data_dir", o.data_dir).str("out", o.out).integer("per_digit", o.per_digit).integer("heldout", o.heldout);
  opts.integer("batch", cfg.batch).integer("samples", cfg.samples).integer("updates", cfg.updates);
  opts.integer("valid_every", cfg.valid_every).integer("valid_size", cfg.valid_size).str("optim", optim_name(cfg.optim));
  opts.num("lr", cfg.lr).integer("seed", static_cast<long long>(cfg.seed)).integer("iwae_k", o.iwae_k);
  opts.integer("enc_hidden", cfg.widths.enc_hidden).integer("dec_hidden", cfg.widths.dec_hidden);
  opts.integer("latent", cfg.widths.latent).str("precision", o.precision).str("load", o.load);
  opts.integer("checkpoint_every", o.checkpoint_every).boolean("resume", o.resume).integer("threads", cfg.threads);
  Json j;
  j.obj("train", eval_json(ev_train, true)).obj("heldout", eval_json(ev_held, true));
  const double rate = static_cast<double>(s.update - first_update) / std::max(wall, 1e-9);
  j.num("wall_s", wall).num("updates_per_s", rate).num("eval_s", eval_s).integer("resumed_at", first_update);
  j.integer("seed", static_cast<long long>(cfg.seed)).integer("train_images", train_x.n_cols);
  j.integer("heldout_images", held_x.n_cols).integer("parameters", static_cast<long long>(parameter_count(cfg.widths)));
  j.integer("latent_grid_dim_a", grid.dim_a).integer("latent_grid_dim_b", grid.dim_b);
  j.str("blas_core", blas_core_name()).integer("blas_threads", blas_threads());
  j.obj("options", opts).str("command", o.command);

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
  put("summary.json", j.render() + "\n");
  write_files_atomic(o.out, files);

  std::printf("vae_train: %ld updates in %.2f s (%.0f updates/s); held-out ELBO %.3f, L_%d %.3f nats/image; train ELBO %.3f\n",
              s.update - first_update, wall, rate, ev_held.elbo, o.iwae_k, ev_held.iwae, ev_train.elbo);
  return 0;
}

int run(int argc, char** argv) {
  po::options_description desc(
      "vae_train: train the VAE of Homework 5, Problem 2 (Kingma & Welling 2014) on binarised 14x14 MNIST\n"
      "and write its training curves, reconstructions, samples, weights and final bounds.\n\nOptions");
  std::map<std::string, std::string> v;
  auto opt = [&](const char* name, const char* def, const char* help) {
    desc.add_options()(name, po::value(&v[name])->default_value(def), help);
  };
  desc.add_options()("help,h", "print this help and exit")("quiet,q", "no progress or notes on stderr");
  opt("data-dir", "data/mnist", "folder with the four MNIST IDX files (raw or .gz)");
  opt("out", "results/p2", "output folder");
  opt("per-digit", "1000", "training images per digit (first in file order)");
  opt("heldout", "1000", "held-out images (first of the t10k file)");
  opt("valid-size", "100", "held-out images in the periodic validation");
  opt("valid-every", "100", "validate every this many updates");
  opt("batch", "100", "mini-batch size");
  opt("samples", "2", "L: samples z ~ q(z|x) per image in the ELBO");
  opt("updates", "10000", "weight updates");
  opt("optim", "adam", "adam or adagrad");
  opt("lr", "1e-3", "learning rate (Adagrad: try 0.01)");
  opt("seed", "546", "seed for every random stream");
  opt("iwae-k", "1000", "k of the importance-weighted bound L_k in the final evaluation");
  opt("enc-hidden", "128", "encoder hidden width");
  opt("dec-hidden", "128", "decoder hidden width");
  opt("latent", "8", "latent dimension");
  opt("precision", "float", "float or double arithmetic for training");
  opt("threads", std::to_string(hardware_threads()).c_str(), "worker threads (results do not depend on it)");
  opt("load", "", "start from the weights in this model.bin");
  opt("checkpoint-every", "1000", "write OUT/checkpoint.bin every this many updates (0: only when interrupted)");
  desc.add_options()("resume", "continue from OUT/checkpoint.bin (from the beginning if there is none)");
  po::variables_map vm;
  po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
  if (vm.count("help")) {
    std::cout << desc << "\nOutputs in --out: train.csv, valid.csv, reconstructions.csv, samples.csv, latent_grid.csv,\n"
              << "iwae_k.csv, latent_kl.csv, model.bin, summary.json, checkpoint.bin.\n"
              << "Exit: 0 ok, 2 bad option/input/output, 3 NaN/Inf in training, 130/143 interrupted (rerun with --resume).\n";
    return 0;
  }
  po::notify(vm);

  Options o;
  o.command = command_line(argc, argv);
  o.quiet = vm.count("quiet") > 0;
  o.resume = vm.count("resume") > 0;
  o.checkpoint_every = parse_int("checkpoint-every", v["checkpoint-every"], 0, 1000000000);
  o.data_dir = v["data-dir"];
  o.out = v["out"];
  o.load = v["load"];
  TrainConfig& c = o.train;
  o.per_digit = static_cast<int>(parse_int("per-digit", v["per-digit"], 1, 100000));
  o.heldout = static_cast<int>(parse_int("heldout", v["heldout"], 1, 1000000));
  c.valid_size = static_cast<int>(parse_int("valid-size", v["valid-size"], 1, o.heldout));
  c.valid_every = static_cast<int>(parse_int("valid-every", v["valid-every"], 1, 1000000000));
  c.batch = static_cast<int>(parse_int("batch", v["batch"], 1, 10L * o.per_digit));
  c.samples = static_cast<int>(parse_int("samples", v["samples"], 1, 10000));
  c.updates = parse_int("updates", v["updates"], 0, 1000000000);
  c.lr = parse_double("lr", v["lr"]);
  if (!(c.lr > 0 && c.lr <= 1e6)) throw UsageError("--lr: " + v["lr"] + " must be in (0, 1e6]");
  if (v["optim"] == "adam") c.optim = OptimKind::adam;
  else if (v["optim"] == "adagrad") c.optim = OptimKind::adagrad;
  else throw UsageError("--optim: '" + v["optim"] + "' is not adam or adagrad");
  c.seed = parse_seed("seed", v["seed"]);
  o.iwae_k = static_cast<int>(parse_int("iwae-k", v["iwae-k"], 1, 1000000));
  c.widths.enc_hidden = static_cast<int>(parse_int("enc-hidden", v["enc-hidden"], 1, 100000));
  c.widths.dec_hidden = static_cast<int>(parse_int("dec-hidden", v["dec-hidden"], 1, 100000));
  c.widths.latent = static_cast<int>(parse_int("latent", v["latent"], 1, 10000));
  c.threads = static_cast<int>(parse_int("threads", v["threads"], 1, 1024));
  o.precision = v["precision"];
  if (o.precision != "float" && o.precision != "double")
    throw UsageError("--precision: '" + o.precision + "' is not float or double");
  if (!o.load.empty() && !file_exists(o.load)) throw UsageError("--load: '" + o.load + "' does not exist");

  blas_set_threads(1);
  const MnistFiles files = locate_mnist(o.data_dir);
  const Dataset train_set = load_training_set(files, o.per_digit);
  const Dataset heldout_set = load_heldout_set(files, o.heldout);
  c.widths.input = static_cast<int>(train_set.x.n_rows);
  if (heldout_set.x.n_rows != train_set.x.n_rows) throw DataError("training and held-out images differ in size");
  ensure_writable_dir(o.out);
  check_output_targets(o.out, kOutputs);
  return o.precision == "float" ? run_training<float>(o, train_set, heldout_set)
                                : run_training<double>(o, train_set, heldout_set);
}

}  // namespace

int main(int argc, char** argv) {
  return run_main("vae_train", [&] { return run(argc, argv); });
}
