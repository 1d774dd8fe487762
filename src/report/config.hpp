// The configuration a report describes: report/generated/config.txt, written by the Makefile,
//   name=<the training configuration's folder name, "homework" for the homework's>
//   VAR=<value>|<the homework's value>      one line per parameter (SEED, LATENT, N, …)
// read here, checked against the results it claims to describe (a report of one configuration
// over the results of another is refused), and turned into the title-page line and the
// appendix's table.
#pragma once
#include <string>
#include <vector>

#include "report/sections.hpp"
#include "vae/summary.hpp"

namespace vivae {

struct ConfigParam {
  std::string name, value, homework;
  bool changed() const { return value != homework; }
};
struct ReportConfig {
  std::string name = "homework";
  std::vector<ConfigParam> params;
  bool homework() const;
};

// DataError naming `source` for a malformed file.
ReportConfig parse_report_config(const std::string& text, const std::string& source);

// DataError when the results were made with other values than `c` says (naming both), and
// the macros (config_numbers.tex: \ReportConfig) and the appendix table (config_table.tex).
std::vector<GeneratedFile> config_generated(const ReportConfig& c, const RunSummary& main_run, const std::string& p1_summary_json,
                                            const std::vector<long long>& extra_seeds);

}  // namespace vivae
