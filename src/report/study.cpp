#include "report/study.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/errors.hpp"
#include "common/files.hpp"
#include "common/format.hpp"
#include "report/tex.hpp"

namespace vivae {

StudyPlan study_plan(const std::string& name) {
  StudyPlan p;
  const StudyConfig homework{"homework", "", ""};
  auto with_label = [](StudyConfig c, const std::string& label) {
    c.label = label;
    return c;
  };
  if (name == "tiny") {
    p.common =
        "--updates 300 --iwae-k 5 --train-eval 20 --valid-size 10 --valid-every 50 --per-digit 5 --heldout 20 "
        "--batch 10 --checkpoint-every 50 --threads 1 --quiet --resume";
    p.seeds = {1, 2};
    p.iwae_k = 5;
    p.sweeps = {{"latent", "latent size", {with_label(homework, "8 (homework)")}}};
    return p;
  }
  if (name != "full") throw UsageError("--plan: '" + name + "' is not full or tiny");
  // Validation on all 1000 held-out images (smoother curves than the report's 100), and the
  // training-set numbers on its first 1000 images (the same count as held-out, at a fraction
  // of the cost of all 5,000-50,000).
  p.common = "--updates 10000 --iwae-k 1000 --train-eval 1000 --valid-size 1000 --threads 1 --quiet --resume";
  p.seeds = {1, 2, 3, 4, 5};
  p.sweeps = {
      {"latent", "latent size",
       {{"latent-2", "--latent 2", "2"},
        {"latent-3", "--latent 3", "3"},
        {"latent-5", "--latent 5", "5"},
        with_label(homework, "8 (homework)"),
        {"latent-10", "--latent 10", "10"},
        {"latent-20", "--latent 20", "20"}}},
      {"optim", "optimiser, step size",
       {with_label(homework, "Adam, 0.001 (homework)"),
        {"adagrad-0.01", "--optim adagrad --lr 0.01", "Adagrad, 0.01"},
        {"adagrad-0.02", "--optim adagrad --lr 0.02", "Adagrad, 0.02"},
        {"adagrad-0.1", "--optim adagrad --lr 0.1", "Adagrad, 0.1"}}},
      {"samples", "samples $L$ per image",
       {{"samples-1", "--samples 1", "1"}, with_label(homework, "2 (homework)"), {"samples-5", "--samples 5", "5"}}},
      {"size", "training images per digit",
       {{"per-digit-100", "--per-digit 100", "100"},
        with_label(homework, "1000 (homework)"),
        {"per-digit-5000", "--per-digit 5000", "5000"}}}};
  return p;
}

std::vector<StudyConfig> unique_configs(const StudyPlan& plan) {
  std::vector<StudyConfig> out;
  for (const StudySweep& s : plan.sweeps)
    for (const StudyConfig& c : s.configs)
      if (std::none_of(out.begin(), out.end(), [&](const StudyConfig& o) { return o.name == c.name; })) out.push_back(c);
  return out;
}

static std::string run_dir(const std::string& runs_dir, const std::string& config, long long seed) {
  return join_path(join_path(runs_dir, config), "seed-" + std::to_string(seed));
}

std::string study_jobs(const StudyPlan& plan, const std::string& runs_dir, const std::string& vae_train,
                       const std::string& data_dir) {
  std::string jobs;
  for (const StudyConfig& c : unique_configs(plan))
    for (long long seed : plan.seeds)
      jobs += vae_train + " --data-dir " + data_dir + " --out " + run_dir(runs_dir, c.name, seed) + " --seed " +
              std::to_string(seed) + " " + plan.common + (c.options.empty() ? "" : " " + c.options) + "\n";
  return jobs;
}

std::vector<RunRecord> collect_runs(const StudyPlan& plan, const std::string& runs_dir) {
  std::vector<RunRecord> out;
  for (const StudyConfig& c : unique_configs(plan))
    for (long long seed : plan.seeds) {
      RunRecord r;
      r.config = c.name;
      r.seed = seed;
      const std::string dir = run_dir(runs_dir, c.name, seed);
      const std::string summary = join_path(dir, "summary.json"), diverged = join_path(dir, "diverged.json");
      if (file_exists(summary)) {
        r.summary = parse_summary(read_file(summary), summary);
        if (r.summary.seed != static_cast<uint64_t>(seed))
          throw DataError("'" + summary + "' is not the complete record of seed " + std::to_string(seed));
        r.status = "complete";
        r.valid = read_csv(join_path(dir, "valid.csv"));
      } else if (file_exists(diverged)) {
        r.diverged = parse_diverged(read_file(diverged), diverged);
        r.status = "diverged";
      } else {
        r.status = "missing";
      }
      out.push_back(std::move(r));
    }
  return out;
}

namespace {

// One quantity over the seeds of a configuration.
struct Stats {
  std::vector<double> v;
  double mean() const { return mean_of(v); }
  double sd() const { return sample_sd(v); }
  // Standard error of the difference of two means.
  static double se_diff(const Stats& a, const Stats& b) {
    return std::sqrt(a.sd() * a.sd() / static_cast<double>(a.v.size()) + b.sd() * b.sd() / static_cast<double>(b.v.size()));
  }
};

std::string num(double x) { return tex_fixed(x, 2); }
std::string pm(const Stats& s) { return tex_mean_sd(s.v, 2); }

// The numbers of one configuration over its seeds (complete runs only).
struct ConfigStats {
  StudyConfig config;
  int complete = 0, diverged = 0, missing = 0;
  Stats held_elbo, held_iwae, held_recon, held_kl, train_elbo, train_iwae, gap;
  std::vector<double> curve_images;  // validation points: training images seen
  std::vector<Stats> curve;          // held-out ELBO at each validation point
};

ConfigStats config_stats(const StudyConfig& c, const std::vector<RunRecord>& runs) {
  ConfigStats s;
  s.config = c;
  for (const RunRecord& r : runs) {
    if (r.config != c.name) continue;
    if (r.status == "diverged") ++s.diverged;
    if (r.status == "missing") ++s.missing;
    if (r.status != "complete") continue;
    ++s.complete;
    const std::string name = c.name + "/seed-" + std::to_string(r.seed);
    if (!r.summary.train) throw DataError(name + ": summary.json has no training-set evaluation");
    s.held_elbo.v.push_back(r.summary.heldout.elbo);
    s.held_iwae.v.push_back(r.summary.heldout.iwae);
    s.held_recon.v.push_back(r.summary.heldout.recon);
    s.held_kl.v.push_back(r.summary.heldout.kl);
    s.train_elbo.v.push_back(r.summary.train->elbo);
    s.train_iwae.v.push_back(r.summary.train->iwae);
    s.gap.v.push_back(s.train_elbo.v.back() - s.held_elbo.v.back());
    const double batch = static_cast<double>(r.summary.options.batch);
    if (s.curve.empty()) {
      for (size_t i = 0; i < r.valid.rows.size(); ++i) s.curve_images.push_back(r.valid.num(i, "update") * batch);
      s.curve.resize(r.valid.rows.size());
    }
    if (r.valid.rows.size() != s.curve.size()) throw DataError(name + ": valid.csv differs in length from the other seeds'");
    for (size_t i = 0; i < r.valid.rows.size(); ++i) s.curve[i].v.push_back(r.valid.num(i, "elbo"));
  }
  return s;
}

std::string runs_cell(const ConfigStats& s) {
  std::string cell = std::to_string(s.complete);
  if (s.diverged) cell += ", " + std::to_string(s.diverged) + " diverged";
  if (s.missing) cell += ", " + std::to_string(s.missing) + " missing";
  return cell;
}

// A difference of means called clear when it exceeds twice its standard error.
std::string compare(const Stats& a, const Stats& b) {
  const double d = a.mean() - b.mean(), se = Stats::se_diff(a, b);
  return std::fabs(d) > 2 * se ? "clearly" : "not clearly";
}

const ConfigStats* best_by(const std::vector<ConfigStats>& all, Stats ConfigStats::*field) {
  const ConfigStats* best = nullptr;
  for (const ConfigStats& s : all)
    if (!(s.*field).v.empty() && (!best || (s.*field).mean() > (best->*field).mean())) best = &s;
  return best;
}

const ConfigStats& homework_of(const std::vector<ConfigStats>& all) {
  for (const ConfigStats& s : all)
    if (s.config.name == "homework") return s;
  return all.front();
}

std::string label_text(const ConfigStats& s) {  // the label without "(homework)"
  std::string l = s.config.label;
  const size_t p = l.find(" (homework)");
  return p == std::string::npos ? l : l.substr(0, p);
}

// What each sweep shows, in sentences built from its numbers.
std::string sweep_text(const StudySweep& sweep, const std::vector<ConfigStats>& all, int k) {
  const std::string lk = "$\\mathcal{L}_{" + std::to_string(k) + "}$";
  const ConfigStats& hw = homework_of(all);
  std::string t;
  int diverged = 0, complete = 0;
  for (const ConfigStats& s : all) diverged += s.diverged, complete += s.complete;
  const ConfigStats* best = best_by(all, &ConfigStats::held_iwae);
  if (!best) return "No run of this sweep completed.";
  if (sweep.name == "latent") {
    const ConfigStats &first = all.front(), &last = all.back();
    t += "Held-out " + lk + " goes from " + pm(first.held_iwae) + " nats/image with " + label_text(first) +
         " latent dimensions to " + pm(last.held_iwae) + " with " + label_text(last) + "; the best mean is at " +
         label_text(*best) + " (" + pm(best->held_iwae) + ").";
    if (best != &hw)
      t += " That is " + compare(best->held_iwae, hw.held_iwae) + " better than the homework's " + label_text(hw) + " (" +
           pm(hw.held_iwae) + "; a difference is called clear when it exceeds twice its standard error over the seeds).";
    t += " The KL term is " + pm(first.held_kl) + " nats/image with " + label_text(first) + " dimensions and " +
         pm(last.held_kl) + " with " + label_text(last);
    if (last.held_kl.mean() > first.held_kl.mean() && compare(last.held_kl, first.held_kl) == std::string("clearly"))
      t += ": the model puts more information into a larger latent space.";
    else
      t += ": the extra dimensions add no clear information about the image.";
  } else if (sweep.name == "optim") {
    t += "Adam at $10^{-3}$ (the homework's choice) reaches a held-out ELBO of " + pm(hw.held_elbo) + ".";
    for (const ConfigStats& s : all) {
      if (&s == &hw) continue;
      t += " Adagrad at " + label_text(s).substr(label_text(s).find(", ") + 2) + ": ";
      if (s.held_elbo.v.empty())
        t += "every run diverged";
      else
        t += pm(s.held_elbo) + " (" + compare(s.held_elbo, hw.held_elbo) +
             (s.held_elbo.mean() > hw.held_elbo.mean() ? " above" : " below") + " Adam)";
      if (s.diverged) t += ", " + std::to_string(s.diverged) + " of " + std::to_string(s.diverged + s.complete) + " runs diverged";
      t += ".";
    }
    t += diverged == 0 ? " No run of this sweep diverged." : "";
  } else if (sweep.name == "samples") {
    t += "With $L$ = ";
    for (size_t i = 0; i < all.size(); ++i)
      t += (i ? (i + 1 == all.size() ? " and " : ", ") : "") + label_text(all[i]);
    t += " samples per image the held-out ELBO is ";
    for (size_t i = 0; i < all.size(); ++i) t += (i ? (i + 1 == all.size() ? " and " : ", ") : "") + pm(all[i].held_elbo);
    t += ". More samples lower the variance of each gradient, not its expectation, so at a fixed number of updates "
         "any gain shows in these numbers only as far as the seeds allow: the largest and the smallest mean differ " +
         std::string(compare(best_by(all, &ConfigStats::held_elbo)->held_elbo, all.front().held_elbo)) + ".";
  } else if (sweep.name == "size") {
    auto list = [&](auto cell) {
      std::string l;
      for (size_t i = 0; i < all.size(); ++i) l += (i ? (i + 1 == all.size() ? " and " : ", ") : "") + cell(all[i]);
      return l;
    };
    t += "The ELBO on the first training images exceeds the held-out ELBO by " +
         list([](const ConfigStats& s) { return pm(s.gap); }) + " nats/image with " +
         list([](const ConfigStats& s) { return label_text(s); }) + " images per digit. ";
    const ConfigStats &small = all.front(), &large = all.back();
    t += "The gap " + std::string(small.gap.mean() > large.gap.mean() ? "shrinks" : "grows") +
         " as the training set grows, and held-out " + lk + " " +
         (large.held_iwae.mean() > small.held_iwae.mean() ? "rises" : "falls") + " from " + pm(small.held_iwae) + " to " +
         pm(large.held_iwae) + ". ";
    // Over-fitting in time: the held-out curve peaking before the end (Kingma & Welling's Fig. 3).
    for (const ConfigStats& s : all) {
      if (s.curve.empty()) continue;
      size_t peak = 0;
      for (size_t i = 0; i < s.curve.size(); ++i)
        if (s.curve[i].mean() > s.curve[peak].mean()) peak = i;
      const double drop = s.curve[peak].mean() - s.curve.back().mean();
      if (drop > 1)
        t += "With " + label_text(s) + " images per digit the held-out ELBO peaks at " + num(s.curve[peak].mean()) +
             " after " + tex_int(static_cast<long long>(s.curve_images[peak])) + " training images and then falls by " +
             num(drop) + " nats/image by the end: the model over-fits its small training set. ";
    }
  }
  return t;
}

}  // namespace

std::vector<GeneratedFile> study_generated(const StudyPlan& plan, const std::vector<RunRecord>& runs) {
  std::vector<GeneratedFile> out;
  std::string macros;
  int complete = 0, diverged = 0, missing = 0;
  for (const RunRecord& r : runs) complete += r.status == "complete", diverged += r.status == "diverged", missing += r.status == "missing";
  macros += tex_macro("StudyRuns", tex_int(static_cast<long long>(runs.size())));
  macros += tex_macro("StudyComplete", tex_int(complete));
  macros += tex_macro("StudyDiverged", tex_int(diverged));
  macros += tex_macro("StudyMissing", tex_int(missing));
  macros += tex_macro("StudyConfigs", tex_int(static_cast<long long>(unique_configs(plan).size())));
  macros += tex_macro("StudySeeds", tex_int(static_cast<long long>(plan.seeds.size())));
  macros += tex_macro("StudyK", tex_int(plan.iwae_k));
  std::string seed_list;
  for (long long s : plan.seeds) seed_list += (seed_list.empty() ? "" : ", ") + tex_int(s);
  macros += tex_macro("StudySeedList", seed_list);
  macros += tex_macro("StudyCommon", "\\texttt{" + tex_escape(plan.common) + "}");
  out.push_back({"study_numbers.tex", macros});

  for (const StudySweep& sweep : plan.sweeps) {
    std::vector<ConfigStats> all;
    for (const StudyConfig& c : sweep.configs) all.push_back(config_stats(c, runs));
    std::vector<std::vector<std::string>> rows;
    for (const ConfigStats& s : all)
      rows.push_back({s.config.label, runs_cell(s), pm(s.held_elbo), pm(s.held_iwae), pm(s.held_kl), pm(s.train_elbo),
                      pm(s.gap)});
    out.push_back({"study_" + sweep.name + "_table.tex",
                   tex_tabular("lrrrrrr",
                               {sweep.axis, "runs", "ELBO", "$\\mathcal{L}_{" + std::to_string(plan.iwae_k) + "}$", "KL",
                                "train ELBO", "gap"},
                               rows)});
    out.push_back({"study_" + sweep.name + "_text.tex", sweep_text(sweep, all, plan.iwae_k) + "\n"});
    // Held-out ELBO against training images seen, mean over the seeds, one column per setting.
    std::string d = "images";
    for (const ConfigStats& s : all) {
      std::string title = s.config.label;  // the column title in the plot: no commas in a CSV header
      title.erase(std::remove(title.begin(), title.end(), ','), title.end());
      d += "," + title;
    }
    d += "\n";
    const ConfigStats* ref = nullptr;
    for (const ConfigStats& s : all)
      if (!s.curve.empty()) ref = &s;
    if (ref)
      for (size_t i = 0; i < ref->curve_images.size(); ++i) {
        if (ref->curve_images[i] <= 0) continue;  // update 0 has no place on a log axis
        d += fmt(ref->curve_images[i]);
        for (const ConfigStats& s : all)
          d += "," + (i < s.curve.size() ? fmt_fixed(s.curve[i].mean(), 4) : std::string("nan"));
        d += "\n";
      }
    out.push_back({"study_" + sweep.name + "_curves.csv", d});
  }
  return out;
}

}  // namespace vivae
