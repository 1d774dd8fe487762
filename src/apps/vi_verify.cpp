// vi_verify: exact verification of Problem 1 (variational inference on n bits).
// Parses options -> validates -> runs the sweep (src/vi) -> writes results atomically.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <thread>

#include "apps/cli.hpp"
#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "common/parse.hpp"
#include "vi/claim_check.hpp"
#include "vi/claims.hpp"
#include "vi/claims_output.hpp"
#include "vi/output.hpp"
#include "vi/sweep.hpp"

using namespace vivae;

namespace {

// The claims of --claims FILE ('-': standard input), then of each --claim, in order.
std::vector<Claim> read_claims(const std::string& file, const std::vector<std::string>& texts) {
  std::vector<Claim> claims;
  if (!file.empty()) {
    std::string text;
    if (file == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      try {
        text = read_file(file);
      } catch (const DataError& e) {
        throw DataError(std::string("--claims: ") + e.what());
      }
    }
    claims = parse_claims(text, file == "-" ? "stdin" : file);
  }
  for (size_t k = 0; k < texts.size(); ++k) claims.push_back(parse_claim(texts[k], "--claim " + std::to_string(k + 1), 0));
  return claims;
}

int run_claims(const std::vector<Claim>& claims, const SweepConfig& sweep, double claim_tol, const std::string& out,
               bool quiet) {
  ClaimCheckConfig cfg;
  cfg.n_values = sweep.n_values;
  cfg.betas = sweep.betas;
  cfg.tol.exact = sweep.tol;
  cfg.tol.hand = claim_tol;
  cfg.seed = sweep.seed;
  cfg.q1_starts = sweep.q1_starts;
  cfg.threads = sweep.threads;
  const DirLock lock = claim_output_folder(out, "vi_verify", holds_vi_run);
  check_output_targets(out, {"claims.csv", "claims.json"});
  if (!quiet && isatty(STDERR_FILENO))
    cfg.progress = [](size_t done, size_t total) {
      std::fprintf(stderr, "\rvi_verify: %zu/%zu (N, beta) points checked", done, total);
      if (done == total) std::fprintf(stderr, "\n");
    };
  const auto t0 = Clock::now();
  const std::vector<ClaimVerdict> verdicts = check_claims(claims, cfg);
  std::vector<ClaimRecord> records;
  for (const auto& v : verdicts) records.push_back(claim_record(v));
  write_files_atomic(out, {{"claims.csv", claims_csv(verdicts)}, {"claims.json", claims_json(records, cfg)}});
  size_t held = 0, points = 0;
  for (const auto& v : verdicts) {
    held += v.holds();
    points += static_cast<size_t>(v.checked);
    if (!quiet || !v.holds())
      std::printf("%s: %s: %s\n", claim_place(*v.claim).c_str(), v.claim->text.c_str(), verdict_line(v).c_str());
  }
  std::printf("vi_verify: %zu of %zu claims hold (%zu point%s checked in %.2f s; details in %s)\n", held,
              verdicts.size(), points, points == 1 ? "" : "s", seconds_since(t0), join_path(out, "claims.csv").c_str());
  return held == verdicts.size() ? 0 : 1;
}

}  // namespace

static int run(int argc, char** argv) {
  Cli cli(
      "vi_verify: enumerate all 2^n states of p_beta(w) = exp(-beta*prod_i w_i)/Z, minimise KL(q||p)\n"
      "numerically over the mean-field families Q2 (iid) and Q1 (independent), compare with the\n"
      "closed forms, and check identities (2), (3), (4) of Homework 5, Problem 1.",
      "\nOutputs: OUT/mean_field.csv, OUT/identities.csv, OUT/summary.json.\n"
      "Exit: 0 every check passes (with claims: every claim holds), 1 a check (a claim) fails, 2 a bad option,\n"
      "claim or input file, or an output folder that is not vi_verify's (one line naming it; nothing written).\n"
      "\nChecking your own answers: --claims FILE and --claim TEXT check only the claims (fast), at every\n"
      "N of --n and beta of --beta, and write OUT/claims.csv and OUT/claims.json. A claim is one line\n"
      "    QUANTITY = EXPRESSION [if CONDITION]      # comment\n"
      "with EXPRESSION a formula in N, beta and (Q1.theta only) i = 1..N, CONDITION one in N and beta,\n"
      "e.g.  Q2.kl = log(2^N - 1) if beta == inf   or   Q1.theta = i == 1 ? 0 : 1/2 if beta == inf.\n"
      "Formulas: + - * / ^, ?:, == != < <= > >=, && ||, log (natural), log2, log10, exp, sqrt, abs,\n"
      "sigmoid, log1p, expm1, min, max; constants inf, pi, e. Quantities:\n" + quantity_help() +
      "Comparison at each point: a formula holds when |claimed - exact| <= tol * max(1, |exact|) (--tol);\n"
      "a claim with a decimal number in it (0.5596, 1e-3: typed by hand) also when within --claim-tol *\n"
      "|exact|. A theta claim holds when every theta_i is in [0, 1] and KL(q||p) <= min KL + tol * max(1,\n"
      "min KL), or, with a decimal number, when each theta_i (sorted) is within --claim-tol * theta_i of a\n"
      "minimiser's. A claim holds when it holds at every point where its condition does (at one at least).\n"
      "Exit with claims: 0 every claim holds, 1 one fails (the first counterexample and why on stdout),\n"
      "2 a claim cannot be read (its line and column named; nothing written) or a bad option.\n");
  cli.option("n", "1:20", "number of bits: a value, a list 1,2,3 or a range a:b (1..30)");
  cli.option("beta", "0.5,1,2,4,8,16,32,inf", "comma list of beta >= 0; 'inf' is the homework's p");
  cli.option("out", "", "output folder (default results/p1; with claims, results/claims)");
  cli.option("claims", "", "check the claims in this file ('-': standard input) instead of the full verification");
  cli.repeatable("claim", "check this claim (repeatable; after those of --claims)");
  cli.option("claim-tol", "1e-3", "relative tolerance for claims with a number typed by hand");
  cli.option("seed", "546", "seed for random q, Q1 starts and Ising energies");
  cli.option("tol", "1e-9", "tolerance for KL and identities (2), (3), scaled by max(1,|value|)");
  cli.option("q1-starts", "8", "seeded random starts of the Q1 coordinate descent");
  cli.option("ising-max-n", "20", "check identities on a random Ising energy for n up to this (0: never)");
  cli.option("threads", std::to_string(std::max(1u, std::thread::hardware_concurrency())),
             "worker threads (results do not depend on it)");
  cli.flag("quiet,q", "print only the last line");
  if (!cli.parse(argc, argv)) return 0;
  const bool claims_mode = !cli["claims"].empty() || !cli.all("claim").empty();
  const std::string out = !cli["out"].empty() ? cli["out"] : claims_mode ? "results/claims" : "results/p1";

  SweepConfig cfg;
  cfg.n_values = parse_int_list("n", cli["n"], 1, kMaxBits);
  cfg.betas = parse_beta_list("beta", cli["beta"]);
  cfg.seed = parse_seed("seed", cli["seed"]);
  cfg.tol = parse_double("tol", cli["tol"]);
  if (!(cfg.tol > 0 && cfg.tol < 1)) throw UsageError("--tol: must be in (0, 1)");
  cfg.q1_starts = static_cast<int>(parse_int("q1-starts", cli["q1-starts"], 1, 1000));
  cfg.ising_max_n = static_cast<int>(parse_int("ising-max-n", cli["ising-max-n"], 0, kMaxBits));
  cfg.threads = static_cast<int>(parse_int("threads", cli["threads"], 1, 256));
  const bool quiet = cli.has("quiet");
  if (claims_mode) {
    const double claim_tol = parse_double("claim-tol", cli["claim-tol"]);
    if (!(claim_tol >= 0 && claim_tol < 1)) throw UsageError("--claim-tol: must be in [0, 1)");
    const std::vector<Claim> claims = read_claims(cli["claims"], cli.all("claim"));
    return run_claims(claims, cfg, claim_tol, out, quiet);
  }
  const DirLock lock = claim_output_folder(out, "vi_verify", holds_vi_run);
  check_output_targets(out, {"mean_field.csv", "identities.csv", "summary.json"});

  if (!quiet && isatty(STDERR_FILENO))
    cfg.progress = [](size_t done, size_t total) {
      std::fprintf(stderr, "\rvi_verify: %zu/%zu (n, beta) pairs done", done, total);
      if (done == total) std::fprintf(stderr, "\n");
    };
  const auto t0 = Clock::now();
  const SweepResult r = run_sweep(cfg);
  const CheckTally t = tally(r);
  write_files_atomic(out, {{"mean_field.csv", mean_field_csv(r)},
                           {"identities.csv", identities_csv(r)},
                           {"summary.json", vi_summary_json(r, cfg, command_line(argc, argv))}});
  if (!quiet) std::cout << vi_table(r);
  for (const auto& f : t.failures) std::cerr << "vi_verify: FAILED " << f << "\n";
  const double wall = seconds_since(t0);
  std::printf("vi_verify: %zu checks, %zu passed (%.3g states enumerated in %.2f s)\n", static_cast<size_t>(t.checks),
              static_cast<size_t>(t.passed), static_cast<double>(r.states), wall);
  return t.checks == t.passed ? 0 : 1;
}

int main(int argc, char** argv) {
  return run_main("vi_verify", [&] { return run(argc, argv); });
}
