// The generated parts of report/hw5.tex, built from results/ (pure: text in, text out).
//   p1_numbers: macros and tables for Problem 1 (mean_field.csv, identities.csv, summary.json)
//   p2_numbers: macros and tables for Problem 2 (summary.json, valid.csv), and the spread of
//               the held-out numbers over the extra seeds
//   plot data:  blocks that the gnuplot scripts in analysis/ read
#pragma once
#include <map>
#include <string>

#include "common/read.hpp"
#include "vae/summary.hpp"

namespace vivae {

struct GeneratedFile {
  std::string name;     // file name under report/generated/
  std::string content;
};

std::vector<GeneratedFile> p1_generated(const Table& mean_field, const Table& identities, const std::string& summary_json);
// The report's own answers checked as claims (vi_verify --claims report/p1_claims.txt):
// macros with the counts, and a table of the claims and their verdicts.
std::vector<GeneratedFile> p1_claims_generated(const std::string& claims_json, const std::string& command);
// A run's files against its record (a truncated or edited file is refused, DataError naming
// it): train.csv has a row per update done, valid.csv one per validation, both the columns
// update,recon,kl,elbo with finite values; an images CSV has `count` rows of values in [0, 1].
void check_training_files(const RunSummary& s, const Table& train, const Table& valid);
void check_images(const Table& images, size_t count);
// Whether `dir` holds only what the report's generators and the Makefile write there (.tex,
// .csv, .dat, .gp, env.txt, .stamp, sub-folders): the rule for report_gen's and study_gen's --out.
bool holds_generated(const std::string& dir);
// One training run of the homework's configuration with another seed (held-out numbers only).
struct SeedRun {
  long long seed = 0;
  RunSummary summary;
  Table valid;
};
// `seeds`: the main run first (the one whose figures the report shows), then the others.
std::vector<GeneratedFile> p2_generated(const RunSummary& summary, const Table& train, const Table& valid,
                                        const Table& latent_kl, const std::vector<SeedRun>& seeds);
// env: key → value lines (commit, library versions) from the Makefile.
GeneratedFile env_generated(const std::map<std::string, std::string>& env);
// Reads such a file; an empty path gives no entries (every value then prints as unknown).
std::map<std::string, std::string> read_env_file(const std::string& path);

}  // namespace vivae
