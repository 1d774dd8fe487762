#include "report/eval_report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "common/errors.hpp"
#include "common/files.hpp"
#include "common/format.hpp"
#include "report/tex.hpp"

namespace vivae {

ImageList images_of(const Table& t) {
  ImageList out;
  const size_t v0 = t.col("v0");
  for (size_t r = 0; r < t.rows.size(); ++r) {
    std::vector<double> px;
    for (size_t c = v0; c < t.header.size(); ++c) px.push_back(t.num(r, t.header[c]));
    out.push_back(std::move(px));
  }
  return out;
}

Band recon_band(const std::vector<Table>& valids) {
  Band b;
  if (valids.empty()) return b;
  const Table& first = valids.front();
  for (size_t i = 0; i < first.rows.size(); ++i) {
    std::vector<double> at;
    for (const Table& v : valids) {
      if (v.rows.size() != first.rows.size())
        throw DataError("'" + v.name + "' has " + std::to_string(v.rows.size()) + " rows, '" + first.name + "' " +
                        std::to_string(first.rows.size()) + ": the runs differ");
      at.push_back(v.num(i, "recon"));
    }
    b.update.push_back(first.num(i, "update"));
    b.min.push_back(*std::min_element(at.begin(), at.end()));
    b.max.push_back(*std::max_element(at.begin(), at.end()));
    b.mean.push_back(mean_of(at));
  }
  return b;
}

namespace {

std::string clean(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '"')) s.pop_back();
  while (!s.empty() && (s.front() == ' ' || s.front() == '"')) s.erase(s.begin());
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool any_of_words(const std::string& s, std::initializer_list<const char*> words) {
  for (const char* w : words)
    if (s.find(w) != std::string::npos) return true;
  return false;
}

}  // namespace

Curve parse_curve(const std::string& text, const std::string& name) {
  Table t = parse_csv(text, name);
  for (auto& h : t.header) h = clean(h);
  for (auto& row : t.rows)
    for (auto& f : row) f = clean(f);
  std::vector<size_t> cols;  // the named columns (pandas writes an unnamed index first)
  for (size_t i = 0; i < t.header.size(); ++i)
    if (!t.header[i].empty()) cols.push_back(i);
  std::vector<size_t> upd, rec;
  for (size_t i : cols) {
    const std::string& h = t.header[i];
    if (h == "update" || any_of_words(h, {"update", "step", "iter", "batch"}) || h == "it") upd.push_back(i);
    else if (any_of_words(h, {"recon", "likelihood", "loglik", "log_p", "logp", "ll", "nll"})) rec.push_back(i);
  }
  for (size_t i : upd)
    if (t.header[i] == "update") upd = {i};
  for (size_t i : rec)
    if (t.header[i] == "recon") rec = {i};
  if (cols.size() == 2 && (upd.size() != 1 || rec.size() != 1)) upd = {cols[0]}, rec = {cols[1]};
  std::string names;
  for (size_t i : cols) names += (names.empty() ? "'" : ", '") + t.header[i] + "'";
  if (upd.size() != 1 || rec.size() != 1)
    throw DataError("'" + name + "': cannot tell the update and the recon columns apart among " + names +
                    " (name them update and recon)");
  Curve c;
  c.update_column = t.header[upd[0]];
  c.recon_column = t.header[rec[0]];
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const double u = t.num(r, c.update_column), v = t.num(r, c.recon_column);
    if (!std::isfinite(u) || !std::isfinite(v)) throw DataError("'" + name + "' line " + std::to_string(r + 2) + ": not a finite number");
    if (!c.update.empty() && u <= c.update.back())
      throw DataError("'" + name + "' line " + std::to_string(r + 2) + ": the updates do not increase");
    c.update.push_back(u);
    c.recon.push_back(v);
  }
  if (c.update.empty()) throw DataError("'" + name + "' has no rows");
  return c;
}

ReferenceBand read_reference(const std::string& results_dir) {
  ReferenceBand ref;
  const std::string main = join_path(results_dir, "p2"), seeds_dir = join_path(results_dir, "p2-seeds");
  const std::string main_summary = join_path(main, "summary.json");
  if (!file_exists(main_summary)) {
    ref.missing = "no reference run in " + main + " (make train, or make report, makes it)";
    return ref;
  }
  std::vector<std::string> dirs = {main};
  for (const std::string& n : list_folder(seeds_dir))
    if (n.rfind("seed-", 0) == 0 && file_exists(join_path(join_path(seeds_dir, n), "summary.json")))
      dirs.push_back(join_path(seeds_dir, n));
  if (dirs.size() == 1) ref.missing = "only seed 546 as a reference: the other seeds are missing from " + seeds_dir + " (make seeds makes them)";
  std::vector<Table> valids;
  for (const std::string& dir : dirs) {
    const std::string path = join_path(dir, "summary.json");
    ref.runs.push_back(parse_summary(read_file(path), path));
    ref.seeds.push_back(static_cast<long long>(ref.runs.back().seed));
    valids.push_back(read_csv(join_path(dir, "valid.csv")));
  }
  const Band band = recon_band(valids);
  ref.update = band.update, ref.min = band.min, ref.max = band.max, ref.mean = band.mean;
  ref.reconstructions = images_of(read_csv(join_path(main, "reconstructions.csv")));
  ref.samples = images_of(read_csv(join_path(main, "samples.csv")));
  return ref;
}

std::vector<ComparisonRow> compare_with_reference(const RunSummary& m, const ReferenceBand& ref) {
  std::vector<ComparisonRow> rows;
  auto row = [&](const char* name, const std::string& label, double model, double SetEval::*field) {
    ComparisonRow r;
    r.quantity = name;
    r.label = label;
    r.model = model;
    std::vector<double> v;
    for (const RunSummary& s : ref.runs) v.push_back(s.heldout.*field);
    r.runs = static_cast<int>(v.size());
    if (!v.empty()) {
      r.mean = mean_of(v);
      r.sd = sample_sd(v);
      r.min = *std::min_element(v.begin(), v.end());
      r.max = *std::max_element(v.begin(), v.end());
    }
    rows.push_back(r);
  };
  row("heldout.recon", "E_q log p(x|z)", m.heldout.recon, &SetEval::recon);
  row("heldout.kl", "KL", m.heldout.kl, &SetEval::kl);
  row("heldout.elbo", "ELBO", m.heldout.elbo, &SetEval::elbo);
  row("heldout.iwae", "L_" + std::to_string(m.options.iwae_k), m.heldout.iwae, &SetEval::iwae);
  return rows;
}

std::string comparison_csv(const std::vector<ComparisonRow>& rows) {
  std::string s = "quantity,model,reference_mean,reference_sd,reference_min,reference_max,reference_runs\n";
  for (const ComparisonRow& r : rows)
    s += r.quantity + "," + fmt(r.model) + "," + (r.runs ? fmt(r.mean) : "") + "," + (r.runs ? fmt(r.sd) : "") + "," +
         (r.runs ? fmt(r.min) : "") + "," + (r.runs ? fmt(r.max) : "") + "," + std::to_string(r.runs) + "\n";
  return s;
}

std::string comparison_text(const std::vector<ComparisonRow>& rows) {
  std::string s;
  char line[200];
  std::snprintf(line, sizeof line, "  %-14s %10s   %s\n", "held-out", "this model",
                rows.empty() || rows[0].runs == 0 ? "(no reference)" : ("reference, " + std::to_string(rows[0].runs) + " seeds: mean +- sd [min, max]").c_str());
  s += line;
  for (const ComparisonRow& r : rows) {
    if (r.runs)
      std::snprintf(line, sizeof line, "  %-14s %10.3f   %8.3f +- %.3f [%.3f, %.3f]\n", r.label.c_str(), r.model, r.mean, r.sd,
                    r.min, r.max);
    else
      std::snprintf(line, sizeof line, "  %-14s %10.3f\n", r.label.c_str(), r.model);
    s += line;
  }
  return s;
}

namespace {

// Images tiled rows × cols with 1-pixel gaps, as a gnuplot datablock of the canvas.
std::string tile_block(const std::string& name, const ImageList& images, size_t first, int rows, int cols, int side) {
  const int gap = 1, h = rows * side + (rows + 1) * gap, w = cols * side + (cols + 1) * gap;
  std::vector<std::vector<double>> canvas(static_cast<size_t>(h), std::vector<double>(static_cast<size_t>(w), 0.15));
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const size_t k = first + static_cast<size_t>(r * cols + c);
      if (k >= images.size() || images[k].size() < static_cast<size_t>(side * side)) continue;
      for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x)
          canvas[static_cast<size_t>(gap + r * (side + gap) + y)][static_cast<size_t>(gap + c * (side + gap) + x)] =
              images[k][static_cast<size_t>(y * side + x)];
    }
  std::string s = "$" + name + " << EOD\n";
  for (const auto& row : canvas) {
    for (size_t x = 0; x < row.size(); ++x) s += (x ? " " : "") + fmt_fixed(row[x], 3);
    s += "\n";
  }
  return s + "EOD\n";
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// One image panel: the canvas `block` at (x, y) of size (w, h) in screen fractions.
std::string image_panel(const std::string& block, const std::string& title, double x, double y, double w, double h) {
  char buf[400];
  std::snprintf(buf, sizeof buf,
                "set origin %.3f,%.3f\nset size %.3f,%.3f\nset title %s\nset autoscale xfix\nset autoscale yfix\n"
                "set yrange [*:*] reverse\nplot $%s matrix with image notitle\nset yrange [*:*] noreverse\n",
                x, y, w, h, quoted(title).c_str(), block.c_str());
  return buf;
}

}  // namespace

std::string eval_plot_script(const EvalFigure& f, const std::string& output) {
  const bool have_ref = !f.reference.runs.empty();
  std::string s = "set terminal pdfcairo noenhanced size 8.27in,11.69in font 'Helvetica,9'\nset output " + quoted(output) + "\n";
  s += tile_block("recon", f.reconstructions, 0, 2, 8, f.side);
  s += tile_block("samples", f.samples, 0, 8, 8, f.side);
  if (have_ref) {
    s += tile_block("refrecon", f.reference.reconstructions, 8, 1, 8, f.side);
    s += tile_block("refsamples", f.reference.samples, 0, 8, 8, f.side);
  }
  s += "set multiplot\nunset key\nunset border\nunset tics\nunset colorbox\nset palette gray negative\nset cbrange [0:1]\n";
  s += "set size ratio -1\n";
  s += "set label 1 " + quoted(f.title) + " at screen 0.5,0.975 center font 'Helvetica,12'\n";
  s += image_panel("recon", "held-out images 1-8 (top) and this model's reconstructions at z = mu(x)", 0.05, 0.80, 0.9, 0.16);
  s += "unset label 1\n";
  if (have_ref) s += image_panel("refrecon", "the reference model's reconstructions (seed 546)", 0.05, 0.72, 0.9, 0.09);
  s += image_panel("samples", "64 samples z ~ N(0, I): this model", 0.03, 0.44, 0.46, 0.27);
  if (have_ref) s += image_panel("refsamples", "the same z, reference model", 0.51, 0.44, 0.46, 0.27);
  // The numbers, as text.
  s += "set size noratio\nset origin 0.05,0.27\nset size 0.9,0.16\nset title 'held-out numbers, nats/image'\n";
  double y = 0.85;
  int n = 2;
  char buf[300];
  std::snprintf(buf, sizeof buf, "set label %d %s at graph 0.02,%.2f font 'Courier,9'\n", n++,
                quoted(have_ref ? "               this model    reference: mean +- sd over " +
                                      std::to_string(f.reference.runs.size()) + " seeds   [min, max]"
                                : "               this model    (no reference: " + f.reference.missing + ")")
                    .c_str(),
                y);
  s += buf;
  for (const ComparisonRow& r : f.rows) {
    y -= 0.17;
    char text[200];
    if (r.runs)
      std::snprintf(text, sizeof text, "%-14s %10.3f    %10.3f +- %-6.3f           [%.3f, %.3f]", r.label.c_str(), r.model,
                    r.mean, r.sd, r.min, r.max);
    else
      std::snprintf(text, sizeof text, "%-14s %10.3f", r.label.c_str(), r.model);
    std::snprintf(buf, sizeof buf, "set label %d %s at graph 0.02,%.2f font 'Courier,9'\n", n++, quoted(text).c_str(), y);
    s += buf;
  }
  if (have_ref && !f.reference.missing.empty()) {
    std::snprintf(buf, sizeof buf, "set label %d %s at graph 0.02,%.2f font 'Helvetica,8'\n", n++,
                  quoted("note: " + f.reference.missing).c_str(), y - 0.17);
    s += buf;
  }
  s += "plot [0:1][0:1] NaN notitle\n";
  for (int k = 2; k < n; ++k) s += "unset label " + std::to_string(k) + "\n";
  // The validation curve over the reference band.
  if (f.curve || have_ref) {
    s += "set origin 0.05,0.02\nset size 0.9,0.24\nset border\nset tics\nset key bottom right\nset grid\n";
    s += "set title 'held-out reconstruction term, E_q log p(x|z), during training'\nset xlabel 'weight updates'\n"
         "set ylabel 'nats/image'\n";
    std::string plots;
    if (have_ref && !f.reference.update.empty()) {
      s += "$band << EOD\n";
      for (size_t i = 0; i < f.reference.update.size(); ++i)
        s += fmt(f.reference.update[i]) + " " + fmt(f.reference.min[i]) + " " + fmt(f.reference.max[i]) + " " +
             fmt(f.reference.mean[i]) + "\n";
      s += "EOD\n";
      plots += "$band using 1:2:3 with filledcurves fc rgb '#c8c8c8' title 'reference, min-max over " +
               std::to_string(f.reference.runs.size()) + " seeds', $band using 1:4 with lines lc rgb '#606060' title 'reference mean'";
    }
    if (f.curve) {
      s += "$curve << EOD\n";
      for (size_t i = 0; i < f.curve->update.size(); ++i) s += fmt(f.curve->update[i]) + " " + fmt(f.curve->recon[i]) + "\n";
      s += "EOD\n";
      plots += std::string(plots.empty() ? "" : ", ") + "$curve using 1:2 with linespoints pt 7 ps 0.3 lc rgb '#1f77b4' title 'this model (--curve)'";
    }
    // The y range of the curves after their first tenth: the first points (near -137) would
    // squeeze the rest into a line.
    double lo = 1e300, hi = -1e300, last = 0;
    for (double u : f.reference.update) last = std::max(last, u);
    if (f.curve) last = std::max(last, f.curve->update.back());
    auto take = [&](double u, double a, double b) {
      if (u < 0.1 * last) return;
      lo = std::min(lo, a), hi = std::max(hi, b);
    };
    for (size_t i = 0; i < f.reference.update.size(); ++i) take(f.reference.update[i], f.reference.min[i], f.reference.max[i]);
    if (f.curve)
      for (size_t i = 0; i < f.curve->update.size(); ++i) take(f.curve->update[i], f.curve->recon[i], f.curve->recon[i]);
    if (lo < hi) s += "set yrange [" + fmt(std::floor(lo - 1)) + ":" + fmt(std::ceil(hi + 1)) + "]\n";
    if (!plots.empty()) s += "plot " + plots + "\n";
  }
  s += "unset multiplot\n";
  return s;
}

}  // namespace vivae
