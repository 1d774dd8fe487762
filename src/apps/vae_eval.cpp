// vae_eval: evaluate a VAE trained anywhere (PyTorch's safetensors or numpy .npz, or vivae's
// model.bin) on the homework's data exactly as vae_train's final evaluation does, beside the
// reference runs of `make report`. Parses options -> the eval session (src/vae/eval_session.hpp)
// -> the comparison and figure (src/report/eval_report.hpp) -> writes everything at once.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include "apps/cli.hpp"
#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "common/parallel.hpp"
#include "common/parse.hpp"
#include "common/process.hpp"
#include "report/eval_report.hpp"
#include "vae/eval_session.hpp"

using namespace vivae;

namespace {

// Runs gnuplot on `script`; returns "" when it wrote `pdf`, else why not.
std::string run_gnuplot(const std::string& script, const std::string& pdf) {
  const std::string script_path = pdf + ".gp";
  write_file_atomic(script_path, script);
  const ProcessResult r = run_process({"/usr/bin/env", "gnuplot", script_path}, 120);
  std::remove(script_path.c_str());
  if (r.exit_code == 127) return "gnuplot is not installed (apt-get install gnuplot-nox)";
  if (r.exit_code != 0 || !file_exists(pdf)) return "gnuplot failed: " + r.err.substr(0, r.err.find('\n'));
  return "";
}

int run(int argc, char** argv) {
  Cli cli("vae_eval: evaluate a VAE of the homework's shape trained anywhere (PyTorch, numpy, vae_train) on the\n"
          "homework's binarised 14x14 MNIST exactly as vae_train's final evaluation does, beside the reference runs.",
          "\nWeights: .safetensors (safetensors.torch.save_file(model.state_dict(), path)), numpy .npz (np.savez or\n"
          "np.savez_compressed of the state dict's arrays) or vivae's model.bin. Layers are found by their shapes\n"
          "(nn.Linear weight (out, in) and bias (out,)): 196 -> hidden -> one head of 2 x latent rows (mu first) or\n"
          "two heads of latent rows -> hidden -> 196, in any order and under any names. Where shapes cannot tell\n"
          "two heads apart, names decide (mu/mean against logvar/var/std; else fc21 before fc22) and vae_eval\n"
          "says which it chose; where nothing decides, it stops naming the candidates.\n"
          "--scale: what the encoder's second half is. The handout says \"8 more for the standard deviation\",\n"
          "which allows each reading: logvar (log sigma^2, the homework's KL formula, what vae_train learns),\n"
          "logstd (log sigma) or std (sigma itself; log sigma^2 = log s^2).\n"
          "\nOutputs in --out (never a training run's folder): summary.json (vae_train's schema, program vae_eval),\n"
          "comparison.csv (held-out numbers against the reference seeds), reconstructions.csv, samples.csv,\n"
          "latent_grid.csv, iwae_k.csv, latent_kl.csv, eval.pdf (pictures, numbers, --curve over the reference band).\n"
          "--curve: a CSV of the held-out reconstruction term during training, columns update and recon (other\n"
          "names accepted when unambiguous), drawn over the reference seeds' band.\n"
          "Exit: 0 ok (a warning when the model scores below predicting 1/2 for every pixel), 2 bad option, weights,\n"
          "data or output folder (one line naming it; nothing written).\n");
  cli.option("weights", "", "the model file: .safetensors, .npz or model.bin (required)");
  cli.option("scale", "logvar", "the encoder's second half: logvar, logstd or std");
  cli.option("out", "results/eval", "output folder (new, empty, or an earlier vae_eval's)");
  cli.option("curve", "", "CSV of your held-out reconstruction term during training (update, recon)");
  cli.option("reference", "results", "folder with the reference runs p2/ and p2-seeds/ (make report)");
  cli.option("iwae-k", "1000", "k of the importance-weighted bound L_k");
  cli.option("data-dir", "data/mnist", "folder with the four MNIST IDX files (raw or .gz)");
  cli.option("per-digit", "1000", "training images per digit (first in file order)");
  cli.option("heldout", "1000", "held-out images (first of the t10k file)");
  cli.option("train-eval", "all", "training images evaluated: all, 0 or a count");
  cli.option("seed", "546", "seed of the evaluation streams (vae_train's --seed gives its numbers exactly)");
  cli.option("precision", "auto", "auto (the file's: F64 in double, else float), float or double");
  cli.option("threads", std::to_string(hardware_threads()), "worker threads (results do not depend on it)");
  cli.flag("quiet,q", "print only the last line");
  if (!cli.parse(argc, argv)) return 0;
  auto v = [&](const char* name) { return cli[name]; };
  EvalSessionOptions o;
  o.command = command_line(argc, argv);
  o.weights = v("weights");
  if (o.weights.empty()) throw UsageError("--weights: give the model file to evaluate (.safetensors, .npz or model.bin)");
  if (v("scale") == "logvar") o.scale = HeadScale::log_var;
  else if (v("scale") == "logstd") o.scale = HeadScale::log_std;
  else if (v("scale") == "std") o.scale = HeadScale::std;
  else throw UsageError("--scale: '" + v("scale") + "' is not logvar, logstd or std");
  o.out = v("out");
  o.data_dir = v("data-dir");
  o.iwae_k = static_cast<int>(parse_int("iwae-k", v("iwae-k"), 1, 1000000));
  o.per_digit = static_cast<int>(parse_int("per-digit", v("per-digit"), 1, 100000));
  o.heldout = static_cast<int>(parse_int("heldout", v("heldout"), 1, 1000000));
  o.train_eval = v("train-eval") == "all" ? -1 : parse_int("train-eval", v("train-eval"), 0, 100000000);
  o.seed = parse_seed("seed", v("seed"));
  o.precision = v("precision");
  if (o.precision != "auto" && o.precision != "float" && o.precision != "double")
    throw UsageError("--precision: '" + o.precision + "' is not auto, float or double");
  o.threads = static_cast<int>(parse_int("threads", v("threads"), 1, 1024));
  const bool quiet = cli.has("quiet");
  // The curve is read first: a bad one stops the run before the evaluation's seconds.
  std::optional<Curve> curve;
  if (!v("curve").empty()) {
    try {
      curve = parse_curve(read_file(v("curve")), v("curve"));
    } catch (const DataError& e) {
      throw DataError(std::string("--curve: ") + e.what());
    }
  }
  const auto t0 = Clock::now();
  auto note = [&](const std::string& m) {
    if (!quiet) std::cerr << "vae_eval: " << m << "\n";
  };
  EvalSessionResult r = run_eval_session(o, note);
  ReferenceBand ref = read_reference(v("reference"));
  if (!ref.runs.empty() && ref.runs.front().options.iwae_k != o.iwae_k)
    ref.missing += std::string(ref.missing.empty() ? "" : "; ") + "the reference's bound is L_" +
                   std::to_string(ref.runs.front().options.iwae_k) + ", this model's L_" + std::to_string(o.iwae_k) +
                   " (use --iwae-k " + std::to_string(ref.runs.front().options.iwae_k) + " to compare them)";
  if (!ref.missing.empty()) note("reference: " + ref.missing);
  const std::vector<ComparisonRow> rows = compare_with_reference(r.summary, ref);
  r.files.emplace_back("comparison.csv", comparison_csv(rows));

  EvalFigure fig;
  fig.title = "vae_eval: " + o.weights + " (" + r.summary.weights->format + ", " + r.summary.weights->dtype + ", --scale " +
              v("scale") + ", L_" + std::to_string(o.iwae_k) + ")";
  fig.reconstructions = r.reconstructions;
  fig.samples = r.samples;
  fig.reference = ref;
  fig.rows = rows;
  fig.curve = curve ? &*curve : nullptr;
  fig.side = r.side;
  const std::string pdf_tmp = join_path(o.out, ".eval.pdf.tmp." + std::to_string(getpid()));
  const std::string why = run_gnuplot(eval_plot_script(fig, pdf_tmp), pdf_tmp);
  if (why.empty()) {
    r.files.emplace_back("eval.pdf", read_file(pdf_tmp));
    std::remove(pdf_tmp.c_str());
  } else {
    std::remove(pdf_tmp.c_str());
    note("eval.pdf not drawn: " + why);
  }
  write_files_atomic(o.out, r.files);
  if (!quiet) std::cout << comparison_text(rows);
  const RunSummary& s = r.summary;
  if (s.below_floor)
    std::fprintf(stderr,
                 "vae_eval: warning: the held-out ELBO %.3f is below %.1f, what predicting 1/2 for every pixel scores: "
                 "is a tensor transposed or in another order, or is --scale wrong?\n",
                 s.heldout.elbo, -0.6931471805599453 * r.side * r.side);
  std::printf("vae_eval: held-out ELBO %.3f, L_%d %.3f nats/image (recon %.3f, KL %.3f)", s.heldout.elbo, o.iwae_k,
              s.heldout.iwae, s.heldout.recon, s.heldout.kl);
  if (s.train) std::printf("; train ELBO %.3f", s.train->elbo);
  std::printf("; %s in %.2f s\n", join_path(o.out, "summary.json").c_str(), seconds_since(t0));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return run_main("vae_eval", [&] { return run(argc, argv); });
}
