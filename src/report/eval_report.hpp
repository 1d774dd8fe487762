// What vae_eval shows beside a model's numbers: the reference runs of `make report` (seed 546
// in RESULTS/p2 and the seeds of `make seeds` in RESULTS/p2-seeds), a student's validation
// curve, the comparison table, and the gnuplot script that draws eval.pdf. Pure functions but
// for read_reference, which reads the reference folders.
#pragma once
#include <string>
#include <vector>

#include "common/read.hpp"
#include "vae/summary.hpp"

namespace vivae {

// The v0… columns of an images CSV, one ImageList entry (vae/config.hpp) per row.
ImageList images_of(const Table& images_csv);

// The held-out reconstruction term every few updates: columns `update` and `recon`, or other
// names when unambiguous (step/iteration/…; recon/log_likelihood/ll/…; or the only two
// columns), an unnamed index column (pandas) ignored. DataError naming the file otherwise.
struct Curve {
  std::string update_column, recon_column;
  std::vector<double> update, recon;
};
Curve parse_curve(const std::string& text, const std::string& name);

// valid.csv's recon term over several runs, row by row (the runs must have the same rows).
struct Band {
  std::vector<double> update, min, max, mean;
};
Band recon_band(const std::vector<Table>& valids);

struct ReferenceBand {
  std::vector<long long> seeds;
  std::vector<RunSummary> runs;           // held-out numbers of every seed
  std::vector<double> update, min, max, mean;  // valid.csv's recon term over the seeds
  ImageList reconstructions, samples;     // the seed-546 model's pictures
  std::string missing;                    // what is not there and the command that makes it
};
ReferenceBand read_reference(const std::string& results_dir);

struct ComparisonRow {
  std::string quantity, label;  // "heldout.elbo", "ELBO"
  double model = 0, mean = 0, sd = 0, min = 0, max = 0;
  int runs = 0;
};
std::vector<ComparisonRow> compare_with_reference(const RunSummary& model, const ReferenceBand& ref);
std::string comparison_csv(const std::vector<ComparisonRow>& rows);
std::string comparison_text(const std::vector<ComparisonRow>& rows);  // for the terminal

struct EvalFigure {
  std::string title;
  ImageList reconstructions, samples;  // this model: 8 originals then 8 reconstructions; 64 samples
  ReferenceBand reference;
  std::vector<ComparisonRow> rows;
  const Curve* curve = nullptr;
  int side = 14;
};
// A gnuplot script drawing the figure as one PDF page into `output`.
std::string eval_plot_script(const EvalFigure& f, const std::string& output);

}  // namespace vivae
