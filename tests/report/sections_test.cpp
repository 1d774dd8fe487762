// The report's generated numbers agree with the results they are read from.
#include "report/sections.hpp"

#include <gtest/gtest.h>

#include <cmath>

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

TEST(Sections, ProblemTwoNumbersComeFromTheSummary) {
  const std::string summary =
      "{\n  \"train\": {\n    \"elbo\": -32.75,\n    \"recon\": -23.5,\n    \"kl\": 9.25,\n    \"iwae\": -31.6\n  },\n"
      "  \"heldout\": {\n    \"elbo\": -33.714,\n    \"recon\": -24.6,\n    \"kl\": 9.1,\n    \"iwae\": -32.39\n  },\n"
      "  \"seed\": 7,\n  \"train_images\": 10000,\n  \"heldout_images\": 1000,\n  \"parameters\": 53716,\n"
      "  \"latent_grid_dim_a\": 1,\n  \"latent_grid_dim_b\": 5,\n  \"blas_core\": \"Haswell\",\n  \"blas_threads\": 1,\n"
      "  \"options\": {\n    \"updates\": 10000,\n    \"batch\": 100,\n    \"samples\": 2,\n    \"iwae_k\": 1000,\n"
      "    \"per_digit\": 1000,\n    \"valid_every\": 100,\n    \"valid_size\": 100,\n    \"enc_hidden\": 128,\n"
      "    \"dec_hidden\": 128,\n    \"latent\": 8,\n    \"lr\": 0.001,\n    \"optim\": \"adam\",\n    \"precision\": \"float\"\n  }\n}\n";
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
    return "{\"heldout\": {\"elbo\": " + std::to_string(elbo) + ", \"recon\": -24, \"kl\": 9, \"iwae\": " +
           std::to_string(elbo + 1) + "}, \"train_eval_images\": 10, \"heldout_images\": 5, \"options\": {\"updates\": 100,"
           " \"samples\": 2, \"batch\": 4, \"valid_every\": 50, \"valid_size\": 3, \"iwae_k\": 7}}";
  };
  const Table v1 = parse_csv("update,recon,kl,elbo\n0,-130,0,-130\n100,-50,4,-54\n", "v1");
  const Table v2 = parse_csv("update,recon,kl,elbo\n0,-131,0,-131\n100,-48,4,-52\n", "v2");
  const Table v3 = parse_csv("update,recon,kl,elbo\n0,-129,0,-129\n100,-49,4,-53\n", "v3");
  const std::string main_summary =
      "{\"train\": {\"elbo\": -32, \"recon\": -23, \"kl\": 9, \"iwae\": -31}, \"heldout\": {\"elbo\": -33, \"recon\": -24,"
      " \"kl\": 9, \"iwae\": -32}, \"seed\": 1, \"train_images\": 10, \"heldout_images\": 5, \"parameters\": 1,"
      " \"latent_grid_dim_a\": 0, \"latent_grid_dim_b\": 1, \"blas_core\": \"x\", \"blas_threads\": 1, \"options\": {"
      "\"updates\": 100, \"batch\": 1, \"samples\": 1, \"iwae_k\": 5, \"per_digit\": 1, \"valid_every\": 100,"
      " \"valid_size\": 5, \"enc_hidden\": 1, \"dec_hidden\": 1, \"latent\": 2, \"lr\": 0.001, \"optim\": \"adam\","
      " \"precision\": \"float\"}}";
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
