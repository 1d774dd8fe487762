// report_gen: turns results/ into the generated parts of the report: report/generated/*.tex
// (every number the report prints), plot data for the gnuplot scripts in analysis/, and the
// image figures (iv), (v) and the latent grid, drawn by gnuplot driven from here through
// gnuplot-iostream. Every file is written to a temporary name and renamed into place.
#include <cstdio>
#include <fstream>
#include <gnuplot-iostream.h>
#include <iostream>
#include <algorithm>
#include <map>
#include <sstream>

#include "apps/cli.hpp"
#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/files.hpp"
#include "common/json.hpp"
#include "common/parse.hpp"
#include "common/read.hpp"
#include "report/config.hpp"
#include "report/eval_report.hpp"
#include "report/sections.hpp"

using namespace vivae;

namespace {

// An extra seed's validation log against its record.
void check_log_rows(const SeedRun& r) {
  const long every = std::max(1L, r.summary.options.valid_every);
  if (r.valid.rows.size() != static_cast<size_t>(r.summary.updates_done / every + 1))
    throw DataError("'" + r.valid.name + "' has " + std::to_string(r.valid.rows.size()) + " rows; its run's summary.json says " +
                    std::to_string(r.summary.updates_done / every + 1) + " validations (a truncated file?)");
}

// Tiles images (side × side, row-major pixels) into a grid with 1-pixel gaps and has gnuplot
// draw it as a grey-scale PNG: ink (1) black on white, row 0 at the top so digits are upright.
// Returns the PNG's bytes.
std::string draw_grid(const std::string& path, const ImageList& im, int rows, int cols, int side, int scale) {
  const int gap = 1;
  const int h = rows * side + (rows + 1) * gap, w = cols * side + (cols + 1) * gap;
  std::vector<std::vector<double>> canvas(h, std::vector<double>(w, 0.15));
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const size_t k = static_cast<size_t>(r) * cols + c;
      if (k >= im.size()) continue;
      for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) canvas[gap + r * (side + gap) + y][gap + c * (side + gap) + x] = im[k][y * side + x];
    }
  const std::string tmp = path + ".tmp.png";
  {
    Gnuplot gp("gnuplot");
    gp << "set terminal pngcairo size " << w * scale << "," << h * scale << "\n";
    gp << "set output '" << tmp << "'\n";
    gp << "unset key; unset border; unset tics; unset colorbox\n";
    gp << "set palette gray negative\nset cbrange [0:1]\n";
    gp << "set lmargin at screen 0\nset rmargin at screen 1\nset tmargin at screen 1\nset bmargin at screen 0\n";
    gp << "set xrange [-0.5:" << w - 0.5 << "]\nset yrange [" << h - 0.5 << ":-0.5]\n";
    gp << "plot '-' matrix with image\n";
    for (const auto& row : canvas) {
      for (size_t x = 0; x < row.size(); ++x) gp << (x ? " " : "") << row[x];
      gp << "\n";
    }
    gp << "e\n";
  }
  if (!file_exists(tmp)) throw IoError("gnuplot did not write '" + path + "' (is gnuplot installed?)");
  std::string png = read_file(tmp);
  std::remove(tmp.c_str());
  return png;
}

// A folder that holds only figures (the PNGs drawn here, gnuplot's PDFs beside them).
bool holds_figures(const std::string& dir) {
  return folder_files_all(dir, [](const std::string& n) {
    const size_t dot = n.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : n.substr(dot);
    return ext == ".png" || ext == ".pdf" || n.find(".tmp") != std::string::npos;
  });
}

int run(int argc, char** argv) {
  Cli cli("report_gen: generate the report's numbers, tables, plot data and image figures",
          "\nEvery result file is checked against its run's record (row counts, columns, finite values) first, and\n"
          "the outputs are written as one set (only the files that change).\n"
          "Exit: 0 ok, 2 a bad option, a missing, empty or inconsistent result file, or an output folder that holds\n"
          "other files than the report's (one line naming it; nothing written).\n");
  cli.option("results", "results", "folder with p1/ and p2/");
  cli.option("out", "report/generated", "folder for generated .tex and plot data");
  cli.option("figures", "report/figures", "folder for the image figures");
  cli.option("env", "", "key=value file: commit and library versions");
  cli.option("config", "", "the configuration the report describes (report/generated/config.txt, written by make)");
  cli.option("seeds", "", "extra seeds of the homework's configuration, space or comma separated");
  cli.option("seeds-dir", "results/p2-seeds", "folder with one seed-N/ run folder per extra seed");
  cli.option("claims", "results/p1-claims/claims.json", "the report's own Problem 1 answers checked as claims");
  cli.option("claims-command", "vi_verify --claims report/p1_claims.txt", "the command that checked them, for the text");
  if (!cli.parse(argc, argv)) return 0;
  const auto t0 = Clock::now();
  const std::string &results = cli["results"], &out = cli["out"], &figures = cli["figures"], &env_file = cli["env"];
  const std::string p1 = join_path(results, "p1"), p2 = join_path(results, "p2");
  const Table mean_field = read_csv(join_path(p1, "mean_field.csv"));
  const Table identities = read_csv(join_path(p1, "identities.csv"));
  const std::string s1 = read_file(join_path(p1, "summary.json"));
  const std::string s2_path = join_path(p2, "summary.json");
  const RunSummary s2 = parse_summary(read_file(s2_path), s2_path);
  const Table train = read_csv(join_path(p2, "train.csv"));
  const Table valid = read_csv(join_path(p2, "valid.csv"));
  const Table recon = read_csv(join_path(p2, "reconstructions.csv"));
  const Table samples = read_csv(join_path(p2, "samples.csv"));
  const Table grid = read_csv(join_path(p2, "latent_grid.csv"));
  const Table latent_kl = read_csv(join_path(p2, "latent_kl.csv"));
  const auto env = read_env_file(env_file);
  check_training_files(s2, train, valid);
  check_images(recon, 16);
  check_images(samples, 64);
  check_images(grid, 144);
  if (latent_kl.rows.size() != static_cast<size_t>(s2.options.latent))
    throw DataError("'" + latent_kl.name + "' has " + std::to_string(latent_kl.rows.size()) + " rows for a latent size of " +
                    std::to_string(s2.options.latent));

  std::vector<GeneratedFile> files = p1_generated(mean_field, identities, s1);
  for (auto& f : p1_claims_generated(read_file(cli["claims"]), cli["claims-command"])) files.push_back(std::move(f));
  std::vector<SeedRun> seeds = {{static_cast<long long>(s2.seed), s2, valid}};
  std::string list = cli["seeds"];
  std::replace(list.begin(), list.end(), ',', ' ');
  std::stringstream seed_words(list);
  std::vector<std::string> words;
  for (std::string w; seed_words >> w;) {
    for (const std::string& v : words)
      if (parse_seed("seeds", v) == parse_seed("seeds", w)) throw UsageError("--seeds: " + w + " is given twice");
    if (parse_seed("seeds", w) == s2.seed) throw UsageError("--seeds: " + w + " is the main run's seed");
    words.push_back(w);
  }
  for (const std::string& w : words) {
    const long long seed = static_cast<long long>(parse_seed("seeds", w));
    const std::string dir = join_path(cli["seeds-dir"], "seed-" + w);
    const std::string path = join_path(dir, "summary.json");
    SeedRun run{seed, parse_summary(read_file(path), path), read_csv(join_path(dir, "valid.csv"))};
    if (run.summary.seed != static_cast<uint64_t>(seed)) throw DataError("'" + path + "' records seed " + std::to_string(run.summary.seed));
    run.valid.name = join_path(dir, "valid.csv");
    check_log_rows(run);
    seeds.push_back(std::move(run));
  }
  for (auto& f : p2_generated(s2, train, valid, latent_kl, seeds)) files.push_back(std::move(f));
  std::vector<long long> extra;
  for (size_t i = 1; i < seeds.size(); ++i) extra.push_back(seeds[i].seed);
  ReportConfig config;  // without --config: the homework's, as far as the results tell
  if (!cli["config"].empty()) config = parse_report_config(read_file(cli["config"]), cli["config"]);
  for (auto& f : config_generated(config, s2, s1, extra)) files.push_back(std::move(f));
  files.push_back(env_generated(env));

  // All or nothing: the folders claimed, every figure drawn, then the files written as one set.
  const DirLock out_lock = claim_output_folder(out, "report_gen", holds_generated);
  const DirLock figures_lock = claim_output_folder(figures, "report_gen", holds_figures);
  const int side = 14;
  std::vector<std::pair<std::string, std::string>> images = {
      {"p2_reconstructions.png", draw_grid(join_path(figures, "p2_reconstructions.png"), images_of(recon), 2, 8, side, 8)},
      {"p2_samples.png", draw_grid(join_path(figures, "p2_samples.png"), images_of(samples), 8, 8, side, 6)},
      {"p2_latent_grid.png", draw_grid(join_path(figures, "p2_latent_grid.png"), images_of(grid), 12, 12, side, 4)}};
  std::vector<std::pair<std::string, std::string>> generated;
  for (auto& f : files) generated.emplace_back(f.name, std::move(f.content));
  const size_t written = write_changed_files_atomic(out, generated) + write_changed_files_atomic(figures, images);
  std::printf("report_gen: %zu generated files, 3 image figures (%zu changed) in %.2f s\n", generated.size(), written,
              seconds_since(t0));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return run_main("report_gen", [&] { return run(argc, argv); });
}
