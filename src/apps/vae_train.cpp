// vae_train: the Kingma & Welling VAE of Homework 5, Problem 2, on binarised 14×14 MNIST.
// Parses options -> validates -> runs the session (src/vae/session.hpp: data, training,
// evaluation, outputs) -> prints progress, the last line, and the exit code.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>

#include "apps/cli.hpp"
#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/parallel.hpp"
#include "common/parse.hpp"
#include "vae/session.hpp"

using namespace vivae;

namespace {

volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_signal(int signo) { g_signal = signo; }
// After training is saved: stop at once, saying how to finish (write(2) is async-signal-safe).
extern "C" void on_late_signal(int signo) {
  const char msg[] = "\nvae_train: interrupted during the final evaluation; training is saved: rerun the same command with "
                     "--resume to go straight to the evaluation\n";
  (void)!write(STDERR_FILENO, msg, sizeof msg - 1);
  _exit(128 + signo);
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

// Progress on stderr, only when it is a terminal and not --quiet.
struct Progress {
  bool on;
  long total;
  Clock::time_point start = Clock::now(), last = start;
  void operator()(long update, double elbo) {
    if (!on) return;
    const auto now = Clock::now();
    if (update != total && std::chrono::duration<double>(now - last).count() < 0.25) return;
    last = now;
    const double rate = update / std::max(1e-9, seconds_since(start));
    std::fprintf(stderr, "\rvae_train: update %ld/%ld  elbo %8.2f  %6.0f upd/s  ETA %4.0fs ", update, total, elbo, rate,
                 (total - update) / std::max(rate, 1e-9));
    if (update == total) std::fprintf(stderr, "\n");
  }
};

int run(int argc, char** argv) {
  Cli cli("vae_train: train the VAE of Homework 5, Problem 2 (Kingma & Welling 2014) on binarised 14x14 MNIST\n"
          "and write its training curves, reconstructions, samples, weights and final bounds.",
          "\nOutputs in --out: train.csv, valid.csv, reconstructions.csv, samples.csv, latent_grid.csv,\n"
          "iwae_k.csv, latent_kl.csv, model.bin, model.safetensors (PyTorch nn.Linear names: enc1, enc2, dec1, dec2),\n"
          "summary.json, checkpoint.bin.\n"
          "Exit: 0 ok, 2 a bad option, input file or output folder, or --out in use by another vae_train (one line\n"
          "naming it; nothing written), 3 NaN/Inf or divergence in training, or a final held-out ELBO below what\n"
          "predicting 1/2 for every pixel scores (diverged.json written), 130/143 interrupted (rerun with --resume).\n");
  cli.flag("quiet,q", "no progress or notes on stderr");
  cli.option("data-dir", "data/mnist", "folder with the four MNIST IDX files (raw or .gz)");
  cli.option("out", "results/train", "output folder (make train and make report use results/runs/; this default never replaces their runs)");
  cli.option("per-digit", "1000", "training images per digit (first in file order)");
  cli.option("heldout", "1000", "held-out images (first of the t10k file)");
  cli.option("valid-size", "100", "held-out images in the periodic validation");
  cli.option("valid-every", "100", "validate every this many updates");
  cli.option("batch", "100", "mini-batch size");
  cli.option("samples", "2", "L: samples z ~ q(z|x) per image in the ELBO");
  cli.option("updates", "10000", "weight updates");
  cli.option("optim", "adam", "adam or adagrad");
  cli.option("lr", "1e-3", "learning rate (Adagrad: try 0.01)");
  cli.option("seed", "546", "seed for every random stream");
  cli.option("iwae-k", "1000", "k of the importance-weighted bound L_k in the final evaluation");
  cli.option("train-eval", "all", "training images in the final evaluation: all, 0 (held-out only) or a count");
  cli.option("enc-hidden", "128", "encoder hidden width");
  cli.option("dec-hidden", "128", "decoder hidden width");
  cli.option("latent", "8", "latent dimension");
  cli.option("precision", "float", "float or double arithmetic for training");
  cli.option("threads", std::to_string(hardware_threads()), "worker threads (results do not depend on it)");
  cli.option("load", "", "start from these weights (model.bin, .safetensors or .npz; see vae_eval --help)");
  cli.option("checkpoint-every", "1000", "write OUT/checkpoint.bin every this many updates (0: only when interrupted)");
  cli.flag("resume", "continue from OUT/checkpoint.bin (from the beginning if there is none)");
  if (!cli.parse(argc, argv)) return 0;
  auto v = [&](const char* name) { return cli[name]; };

  SessionOptions o;
  const bool quiet = cli.has("quiet");
  o.command = command_line(argc, argv);
  o.resume = cli.has("resume");
  o.checkpoint_every = parse_int("checkpoint-every", v("checkpoint-every"), 0, 1000000000);
  o.data_dir = v("data-dir");
  o.out = v("out");
  o.load = v("load");
  TrainConfig& c = o.train;
  o.per_digit = static_cast<int>(parse_int("per-digit", v("per-digit"), 1, 100000));
  o.heldout = static_cast<int>(parse_int("heldout", v("heldout"), 1, 1000000));
  c.valid_size = static_cast<int>(parse_int("valid-size", v("valid-size"), 1, o.heldout));
  c.valid_every = static_cast<int>(parse_int("valid-every", v("valid-every"), 1, 1000000000));
  c.batch = static_cast<int>(parse_int("batch", v("batch"), 1, 10L * o.per_digit));
  c.samples = static_cast<int>(parse_int("samples", v("samples"), 1, 10000));
  c.updates = parse_int("updates", v("updates"), 0, 1000000000);
  c.lr = parse_double("lr", v("lr"));
  if (!(c.lr > 0 && c.lr <= 1e6)) throw UsageError("--lr: " + v("lr") + " must be in (0, 1e6]");
  if (v("optim") == "adam") c.optim = OptimKind::adam;
  else if (v("optim") == "adagrad") c.optim = OptimKind::adagrad;
  else throw UsageError("--optim: '" + v("optim") + "' is not adam or adagrad");
  c.seed = parse_seed("seed", v("seed"));
  o.iwae_k = static_cast<int>(parse_int("iwae-k", v("iwae-k"), 1, 1000000));
  o.train_eval = v("train-eval") == "all" ? -1 : parse_int("train-eval", v("train-eval"), 0, 100000000);
  c.widths.enc_hidden = static_cast<int>(parse_int("enc-hidden", v("enc-hidden"), 1, 100000));
  c.widths.dec_hidden = static_cast<int>(parse_int("dec-hidden", v("dec-hidden"), 1, 100000));
  c.widths.latent = static_cast<int>(parse_int("latent", v("latent"), 1, 10000));
  c.threads = static_cast<int>(parse_int("threads", v("threads"), 1, 1024));
  o.precision = v("precision");
  if (o.precision != "float" && o.precision != "double")
    throw UsageError("--precision: '" + o.precision + "' is not float or double");

  SessionHooks hooks;
  if (!quiet) hooks.note = [](const std::string& msg) { std::cerr << "vae_train: " << msg << "\n"; };
  auto progress = std::make_shared<Progress>(Progress{!quiet && isatty(STDERR_FILENO), c.updates});
  hooks.training_starts = [progress] {
    progress->start = progress->last = Clock::now();
    install_signal_handlers();
  };
  hooks.progress = [progress](long update, double elbo) { (*progress)(update, elbo); };
  hooks.stop_requested = [] { return g_signal != 0; };
  // Training is saved: an interrupt during the evaluation just stops the program.
  hooks.training_saved = [] {
    std::signal(SIGINT, on_late_signal);
    std::signal(SIGTERM, on_late_signal);
  };
  hooks.warning = [](const std::string& msg) { std::cerr << "vae_train: warning: " << msg << "\n"; };
  const SessionResult r = run_session(o, hooks);
  if (r.interrupted) {
    std::fprintf(stderr, "\nvae_train: interrupted at update %ld; checkpoint written to %s; rerun the same command with --resume to continue\n",
                 r.update, r.checkpoint.c_str());
    return 128 + g_signal;
  }
  if (r.already_done) {
    std::printf("vae_train: %s is complete (held-out ELBO %.3f, L_%d %.3f nats/image); nothing to do\n", o.out.c_str(),
                r.heldout.elbo, o.iwae_k, r.heldout.iwae);
    return 0;
  }
  std::printf("vae_train: %ld updates in %.2f s (%.0f updates/s), evaluation %.2f s; held-out ELBO %.3f, L_%d %.3f nats/image",
              r.update - r.first_update, r.train_s, r.updates_per_s, r.eval_s, r.heldout.elbo, o.iwae_k, r.heldout.iwae);
  if (r.train_eval_images > 0) std::printf("; train ELBO %.3f", r.train.elbo);
  std::printf("\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return run_main("vae_train", [&] { return run(argc, argv); });
}
