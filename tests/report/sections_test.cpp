// The report's generated numbers agree with the results they are read from.
#include "report/sections.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "common/errors.hpp"
#include "report/config.hpp"
#include "vi/output.hpp"

using namespace vivae;

namespace {
std::string content(const std::vector<GeneratedFile>& files, const std::string& name) {
  for (const auto& f : files)
    if (f.name == name) return f.content;
  ADD_FAILURE() << "no generated file " << name;
  return "";
}
}  // namespace

TEST(Sections, ProblemOneNumbersComeFromTheSweep) {
  SweepConfig cfg;
  cfg.n_values = {2, 3, 10};
  cfg.betas = {1.0, 8.0, INFINITY};
  cfg.threads = 1;
  const SweepResult r = run_sweep(cfg);
  const CheckTally t = tally(r);
  const auto files = p1_generated(parse_csv(mean_field_csv(r), "mf"), parse_csv(identities_csv(r), "id"),
                                  vi_summary_json(r, cfg, "test"));
  const std::string numbers = content(files, "p1_numbers.tex");
  EXPECT_NE(numbers.find("\\newcommand{\\POneChecks}{" + std::to_string(t.checks) + "}"), std::string::npos) << numbers;
  EXPECT_NE(numbers.find("\\newcommand{\\POneNRange}{2,\\dots,10}"), std::string::npos) << numbers;
  // The β = ∞ table has one row per n with both families.
  const std::string inf = content(files, "p1_inf_table.tex");
  EXPECT_NE(inf.find("\n3 & "), std::string::npos) << inf;
  EXPECT_NE(content(files, "p1_checks_table.tex").find("identity (2)"), std::string::npos);
  EXPECT_NE(content(files, "p1_fd.dat").find("# ising 10 1"), std::string::npos);
}

namespace {
// A run's record as vae_train writes it (the one writer, vae/summary.hpp).
RunSummary summary_of(double held_elbo, long seed) {
  RunSummary s;
  s.train = SetEval{-23.5, 9.25, -32.75, -31.6, {}};
  s.heldout = SetEval{-24.6, 9.1, held_elbo, held_elbo + 1.324, {}};
  s.seed = static_cast<uint64_t>(seed);
  s.train_images = 10000;
  s.train_eval_images = 10000;
  s.heldout_images = 1000;
  s.parameters = 53716;
  s.latent_grid_dim_a = 1;
  s.latent_grid_dim_b = 5;
  s.blas_core = "Haswell";
  RunOptions& o = s.options;
  o.updates = 10000, o.batch = 100, o.samples = 2, o.iwae_k = 1000, o.per_digit = 1000, o.valid_every = 100;
  o.valid_size = 100, o.enc_hidden = 128, o.dec_hidden = 128, o.latent = 8, o.lr = 0.001;
  return s;
}
}  // namespace

TEST(Sections, ProblemTwoNumbersComeFromTheSummary) {
  const RunSummary summary = parse_summary(summary_text(summary_of(-33.714, 7)), "summary.json");
  const Table train = parse_csv("update,recon,kl,elbo\n1,-130,0.1,-130.1\n2,-120,0.2,-120.2\n", "train");
  const Table valid = parse_csv("update,recon,kl,elbo\n0,-137,0.1,-137.1\n100,-50,4,-54\n", "valid");
  const Table kl = parse_csv("dim,kl\n0,0.05\n1,1.5\n", "kl");
  const auto files = p2_generated(summary, train, valid, kl, {});
  const std::string m = content(files, "p2_numbers.tex");
  EXPECT_NE(m.find("\\newcommand{\\PTwoHeldElbo}{$-33.71$}"), std::string::npos) << m;
  EXPECT_NE(m.find("\\newcommand{\\PTwoIwaeGap}{$1.32$}"), std::string::npos) << m;
  EXPECT_NE(m.find("\\newcommand{\\PTwoValidFirstElbo}{$-137.10$}"), std::string::npos) << m;
  EXPECT_NE(m.find("\\newcommand{\\PTwoActiveDims}{1}"), std::string::npos) << m;
  EXPECT_NE(m.find("\\newcommand{\\PTwoOptim}{Adam}"), std::string::npos) << m;
  // Moving average over the first two updates.
  EXPECT_NE(content(files, "p2_train_smooth.csv").find("2,-125.00000,0.15000"), std::string::npos);
}

TEST(Sections, SeedSpreadIsTheMeanAndSampleStandardDeviation) {
  // Three runs with held-out ELBO -33, -34, -35: mean -34, sample sd 1 (n − 1 = 2).
  auto summary = [](double elbo) {
    RunSummary r = summary_of(elbo, 2);
    r.train.reset();
    r.train_eval_images = 10, r.heldout_images = 5;
    r.options.updates = 100, r.options.samples = 2, r.options.batch = 4, r.options.valid_every = 50;
    r.options.valid_size = 3, r.options.iwae_k = 7;
    return r;
  };
  const Table v1 = parse_csv("update,recon,kl,elbo\n0,-130,0,-130\n100,-50,4,-54\n", "v1");
  const Table v2 = parse_csv("update,recon,kl,elbo\n0,-131,0,-131\n100,-48,4,-52\n", "v2");
  const Table v3 = parse_csv("update,recon,kl,elbo\n0,-129,0,-129\n100,-49,4,-53\n", "v3");
  const RunSummary main_summary = summary_of(-33, 1);
  const Table train = parse_csv("update,recon,kl,elbo\n1,-130,0.1,-130.1\n", "train");
  const Table kl = parse_csv("dim,kl\n0,1\n1,1\n", "kl");
  const auto files = p2_generated(main_summary, train, v1, kl, {{1, summary(-33), v1}, {2, summary(-34), v2}, {3, summary(-35), v3}});
  const std::string m = content(files, "p2_numbers.tex");
  EXPECT_NE(m.find("\\newcommand{\\PTwoSeedElbo}{$-34.00\\pm1.00$}"), std::string::npos) << m;
  EXPECT_NE(m.find("\\newcommand{\\PTwoSeedCount}{3}"), std::string::npos) << m;
  EXPECT_NE(m.find("\\newcommand{\\PTwoSeedElboRange}{$2.00$}"), std::string::npos) << m;
  const std::string band = content(files, "p2_valid_band.csv");
  EXPECT_NE(band.find("100,-50.00000,-48.00000,-49.00000"), std::string::npos) << band;
  EXPECT_NE(content(files, "p2_final_table.tex").find("held-out, 3 seeds"), std::string::npos);
  // Work: 3 runs × 100 updates; decoder passes 3 × (100·4·2 + 3 validations·3·2) = 2454 in
  // training and 3 × (10 + 5)·7 = 315 in the evaluations.
  EXPECT_NE(m.find("\\newcommand{\\PTwoWorkUpdates}{300}"), std::string::npos) << m;
  EXPECT_NE(m.find("\\newcommand{\\PTwoWorkTrainPasses}{$2.45\\times10^{3}$}"), std::string::npos) << m;
  EXPECT_NE(m.find("\\newcommand{\\PTwoWorkEvalPasses}{$3.15\\times10^{2}$}"), std::string::npos) << m;
}

TEST(Sections, ANonDefaultConfigurationIsDescribedAsItRan) {
  // One seed, latent 20, 1000 of the training images evaluated, 2000 updates validated every 50:
  // every number and sentence from these results, no spread where there is one run.
  RunSummary s = summary_of(-31.5, 7);
  s.options.latent = 20, s.options.updates = 2000, s.options.valid_every = 50, s.options.iwae_k = 200;
  s.train_eval_images = 1000;
  s.updates_done = 2000;
  std::string train_csv = "update,recon,kl,elbo\n", valid_csv = "update,recon,kl,elbo\n", kl_csv = "dim,kl\n";
  for (int u = 1; u <= 2000; ++u) train_csv += std::to_string(u) + ",-30,9,-39\n";
  for (int u = 0; u <= 2000; u += 50) valid_csv += std::to_string(u) + ",-31,9,-40\n";
  for (int d = 0; d < 20; ++d) kl_csv += std::to_string(d) + "," + (d < 13 ? "0.5" : "0.01") + "\n";
  const Table train = parse_csv(train_csv, "train.csv"), valid = parse_csv(valid_csv, "valid.csv"), kl = parse_csv(kl_csv, "kl");
  EXPECT_NO_THROW(check_training_files(s, train, valid));
  const auto files = p2_generated(s, train, valid, kl, {{7, s, valid}});
  const std::string m = content(files, "p2_numbers.tex"), table = content(files, "p2_final_table.tex");
  EXPECT_NE(m.find("\\newcommand{\\PTwoLatent}{20}"), std::string::npos);
  EXPECT_NE(m.find("\\newcommand{\\PTwoHead}{40}"), std::string::npos);
  EXPECT_NE(m.find("\\newcommand{\\PTwoActiveDims}{13}"), std::string::npos);
  EXPECT_NE(m.find("\\newcommand{\\PTwoIwaeK}{200}"), std::string::npos);
  EXPECT_NE(m.find("\\newcommand{\\PTwoTrainings}{1 training}"), std::string::npos) << m;
  EXPECT_NE(m.find("This report trains one seed"), std::string::npos);
  EXPECT_NE(m.find("\\newcommand{\\PTwoBandSentence}{}"), std::string::npos);
  EXPECT_EQ(m.find("\\pm"), std::string::npos) << "a spread over one seed";
  EXPECT_EQ(table.find("\\pm"), std::string::npos) << table;
  EXPECT_NE(table.find("training (1000 images)"), std::string::npos) << table;  // evaluated, not trained on
  EXPECT_NE(content(files, "p2_titles.gp").find("held-out (every 50 updates)"), std::string::npos);
  EXPECT_NE(content(files, "p2_titles.gp").find("band_title = \"\""), std::string::npos);
  // The configuration's own line and table, checked against the results.
  const std::string p1 = "{\"options\": {\"n\": \"1,2,3\", \"beta\": \"1,inf\"}}";
  ReportConfig c = parse_report_config("name=latent-20\nSEED=7|546\nSEEDS=|547 548\nLATENT=20|8\nN=1:3|1:20\nBETA=1,inf|inf\n", "config.txt");
  const auto cf = config_generated(c, s, p1, {});
  EXPECT_NE(content(cf, "config_numbers.tex").find("a changed configuration: \\texttt{SEED} 7 (the homework's: 546)"), std::string::npos)
      << content(cf, "config_numbers.tex");
  EXPECT_NE(content(cf, "config_table.tex").find("\\texttt{LATENT} & 20 & 8 & changed"), std::string::npos) << content(cf, "config_table.tex");
  c.params[2].value = "4";  // a report of LATENT=4 over the results of latent 20
  try {
    config_generated(c, s, p1, {});
    FAIL() << "expected a DataError";
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find("the results were made with LATENT = 20, but the report's configuration says 4"),
              std::string::npos) << e.what();
  }
  // A train.csv cut short is refused against its record.
  const Table cut = parse_csv(train_csv.substr(0, train_csv.rfind('\n', train_csv.size() / 2) + 1), "train.csv");
  EXPECT_THROW(check_training_files(s, cut, valid), DataError);
}
