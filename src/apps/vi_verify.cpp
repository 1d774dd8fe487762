// vi_verify: exact verification of Problem 1 (variational inference on n bits).
// Parses options -> validates -> runs the sweep (src/vi) -> writes results atomically.
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <thread>

#include "apps/cli.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "common/parse.hpp"
#include "vi/output.hpp"
#include "vi/sweep.hpp"

namespace po = boost::program_options;
using namespace vivae;

static int run(int argc, char** argv) {
  po::options_description desc(
      "vi_verify: enumerate all 2^n states of p_beta(w) = exp(-beta*prod_i w_i)/Z, minimise KL(q||p)\n"
      "numerically over the mean-field families Q2 (iid) and Q1 (independent), compare with the\n"
      "closed forms, and check identities (2), (3), (4) of Homework 5, Problem 1.\n\nOptions");
  std::string n_text, beta_text, out, seed_text, tol_text, threads_text, starts_text, ising_text;
  desc.add_options()("help,h", "print this help and exit")
      ("n", po::value(&n_text)->default_value("1:20"), "number of bits: a value, a list 1,2,3 or a range a:b (1..30)")
      ("beta", po::value(&beta_text)->default_value("0.5,1,2,4,8,16,32,inf"), "comma list of beta >= 0; 'inf' is the homework's p")
      ("out", po::value(&out)->default_value("results/p1"), "output folder")
      ("seed", po::value(&seed_text)->default_value("546"), "seed for random q, Q1 starts and Ising energies")
      ("tol", po::value(&tol_text)->default_value("1e-9"), "tolerance for KL and identities (2), (3), scaled by max(1,|value|)")
      ("q1-starts", po::value(&starts_text)->default_value("8"), "seeded random starts of the Q1 coordinate descent")
      ("ising-max-n", po::value(&ising_text)->default_value("20"), "check identities on a random Ising energy for n up to this (0: never)")
      ("threads", po::value(&threads_text)->default_value(std::to_string(std::max(1u, std::thread::hardware_concurrency()))),
       "worker threads (results do not depend on it)")
      ("quiet,q", "print only the last line");
  po::variables_map vm;
  po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
  if (vm.count("help")) {
    std::cout << desc << "\nOutputs: OUT/mean_field.csv, OUT/identities.csv, OUT/summary.json.\n"
              << "Exit: 0 all checks pass, 1 a check failed, 2 bad option or unwritable output.\n";
    return 0;
  }
  po::notify(vm);

  SweepConfig cfg;
  cfg.n_values = parse_int_list("n", n_text, 1, kMaxBits);
  cfg.betas = parse_beta_list("beta", beta_text);
  cfg.seed = parse_seed("seed", seed_text);
  cfg.tol = parse_double("tol", tol_text);
  if (!(cfg.tol > 0 && cfg.tol < 1)) throw UsageError("--tol: must be in (0, 1)");
  cfg.q1_starts = static_cast<int>(parse_int("q1-starts", starts_text, 1, 1000));
  cfg.ising_max_n = static_cast<int>(parse_int("ising-max-n", ising_text, 0, kMaxBits));
  cfg.threads = static_cast<int>(parse_int("threads", threads_text, 1, 256));
  const bool quiet = vm.count("quiet") > 0;
  ensure_writable_dir(out);
  check_output_targets(out, {"mean_field.csv", "identities.csv", "summary.json"});

  if (!quiet && isatty(STDERR_FILENO))
    cfg.progress = [](size_t done, size_t total) {
      std::fprintf(stderr, "\rvi_verify: %zu/%zu (n, beta) pairs done", done, total);
      if (done == total) std::fprintf(stderr, "\n");
    };
  const SweepResult r = run_sweep(cfg);
  const CheckTally t = tally(r);
  write_files_atomic(out, {{"mean_field.csv", mean_field_csv(r)},
                           {"identities.csv", identities_csv(r)},
                           {"summary.json", vi_summary_json(r, cfg, command_line(argc, argv))}});
  if (!quiet) std::cout << vi_table(r);
  for (const auto& f : t.failures) std::cerr << "vi_verify: FAILED " << f << "\n";
  std::cout << "vi_verify: " << t.checks << " checks, " << t.passed << " passed\n";
  return t.checks == t.passed ? 0 : 1;
}

int main(int argc, char** argv) {
  return run_main("vi_verify", [&] { return run(argc, argv); });
}
