#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

#include "common/errors.hpp"
#include "common/files.hpp"
#include "common/format.hpp"
#include "common/json.hpp"
#include "report/eval_report.hpp"
#include "report/sections.hpp"
#include "report/tex.hpp"

namespace vivae {


namespace {
void check_log(const Table& t, size_t rows, const std::string& what) {
  const std::vector<std::string> columns = {"update", "recon", "kl", "elbo"};
  if (t.header != columns) throw DataError("'" + t.name + "' does not have the columns update,recon,kl,elbo");
  if (t.rows.size() != rows)
    throw DataError("'" + t.name + "' has " + std::to_string(t.rows.size()) + " rows; its run's summary.json says " + what +
                    " " + std::to_string(rows) + " (a truncated or mixed-up file?)");
  for (size_t r = 0; r < t.rows.size(); ++r)
    for (const std::string& c : columns)
      if (!std::isfinite(t.num(r, c)))
        throw DataError("'" + t.name + "' line " + std::to_string(r + 2) + ": " + c + " is not a finite number");
}
}  // namespace

bool holds_generated(const std::string& dir) {
  return folder_files_all(dir, [](const std::string& n) {
    const size_t dot = n.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : n.substr(dot);
    return ext == ".tex" || ext == ".csv" || ext == ".dat" || ext == ".gp" || ext == ".txt" || n == ".stamp" ||
           n.find(".tmp.") != std::string::npos;
  });
}

void check_training_files(const RunSummary& s, const Table& train, const Table& valid) {
  check_log(train, static_cast<size_t>(s.updates_done), "updates done:");
  const long every = std::max(1L, s.options.valid_every);
  check_log(valid, static_cast<size_t>(s.updates_done / every + 1), "validations (one every " + std::to_string(every) + " updates):");
}

void check_images(const Table& t, size_t count) {
  if (t.rows.size() != count)
    throw DataError("'" + t.name + "' has " + std::to_string(t.rows.size()) + " images, not " + std::to_string(count) +
                    " (a truncated file?)");
  const size_t v0 = t.col("v0");
  for (size_t r = 0; r < t.rows.size(); ++r)
    for (size_t c = v0; c < t.header.size(); ++c) {
      const double x = t.num(r, t.header[c]);
      if (!(x >= 0 && x <= 1)) throw DataError("'" + t.name + "' line " + std::to_string(r + 2) + ": a pixel outside [0, 1]");
    }
}

std::vector<GeneratedFile> p2_generated(const RunSummary& s, const Table& train, const Table& valid,
                                        const Table& latent_kl, const std::vector<SeedRun>& seeds) {
  if (!s.train) throw DataError("results/p2/summary.json: the main run has no training-set evaluation (--train-eval 0)");
  const SetEval& tr = *s.train;
  const SetEval& held = s.heldout;
  const RunOptions& op = s.options;
  std::vector<GeneratedFile> out;

  std::string m;
  auto fixed = [&](const char* macro, double x, int digits) { m += tex_macro(macro, tex_fixed(x, digits)); };
  fixed("PTwoHeldElbo", held.elbo, 2);
  fixed("PTwoHeldRecon", held.recon, 2);
  fixed("PTwoHeldKl", held.kl, 2);
  fixed("PTwoHeldIwae", held.iwae, 2);
  fixed("PTwoTrainElbo", tr.elbo, 2);
  fixed("PTwoTrainRecon", tr.recon, 2);
  fixed("PTwoTrainKl", tr.kl, 2);
  fixed("PTwoTrainIwae", tr.iwae, 2);
  fixed("PTwoIwaeGap", held.iwae - held.elbo, 2);
  fixed("PTwoGeneralisationGap", tr.elbo - held.elbo, 2);
  auto integer = [&](const char* macro, long long x) { m += tex_macro(macro, tex_int(x)); };
  integer("PTwoUpdates", op.updates);
  integer("PTwoBatch", op.batch);
  integer("PTwoSamples", op.samples);
  integer("PTwoIwaeK", op.iwae_k);
  integer("PTwoSeed", static_cast<long long>(s.seed));
  integer("PTwoTrainImages", s.train_images);
  integer("PTwoHeldImages", s.heldout_images);
  integer("PTwoPerDigit", op.per_digit);
  integer("PTwoValidEvery", op.valid_every);
  integer("PTwoValidSize", op.valid_size);
  integer("PTwoParameters", s.parameters);
  integer("PTwoEncHidden", op.enc_hidden);
  integer("PTwoDecHidden", op.dec_hidden);
  integer("PTwoLatent", op.latent);
  integer("PTwoLatentA", s.latent_grid_dim_a);
  integer("PTwoLatentB", s.latent_grid_dim_b);
  integer("PTwoBlasThreads", s.blas_threads);
  m += tex_macro("PTwoLr", tex_sci(op.lr, 0));
  m += tex_macro("PTwoOptim", op.optim == "adam" ? "Adam" : "Adagrad");
  m += tex_macro("PTwoPrecision", tex_escape(op.precision));
  m += tex_macro("PTwoBlasCore", tex_escape(s.blas_core));
  if (valid.rows.empty()) throw DataError("results/p2/valid.csv has no rows");
  if (train.rows.empty()) throw DataError("results/p2/train.csv has no rows (a run of 0 updates?)");
  const size_t last = valid.rows.size() - 1;
  m += tex_macro("PTwoValidFirstElbo", tex_fixed(valid.num(0, "elbo"), 2));
  m += tex_macro("PTwoValidFirstUpdate", tex_int(static_cast<long long>(valid.num(0, "update"))));
  m += tex_macro("PTwoValidLastElbo", tex_fixed(valid.num(last, "elbo"), 2));
  m += tex_macro("PTwoValidLastRecon", tex_fixed(valid.num(last, "recon"), 2));
  const size_t tl = train.rows.size() - 1;
  m += tex_macro("PTwoTrainFirstRecon", tex_fixed(train.num(0, "recon"), 2));
  m += tex_macro("PTwoTrainFirstKl", tex_fixed(train.num(0, "kl"), 2));
  m += tex_macro("PTwoTrainLastRecon", tex_fixed(train.num(tl, "recon"), 2));
  m += tex_macro("PTwoTrainLastKl", tex_fixed(train.num(tl, "kl"), 2));
  // Average KL of each latent coordinate on the held-out set, largest first.
  std::vector<double> kls;
  for (size_t i = 0; i < latent_kl.rows.size(); ++i) kls.push_back(latent_kl.num(i, "kl"));
  std::sort(kls.begin(), kls.end(), std::greater<double>());
  std::string list;
  for (double k : kls) list += (list.empty() ? "" : ", ") + fmt_fixed(k, 2);
  m += tex_macro("PTwoKlPerDim", "$" + list + "$");
  size_t active = 0;
  for (double k : kls) active += k > 0.1;
  m += tex_macro("PTwoActiveDims", tex_int(static_cast<long long>(active)));

  std::vector<std::vector<std::string>> rows = {
      {"training (" + tex_int(s.train_eval_images) + " images)", tex_fixed(tr.recon, 2), tex_fixed(tr.kl, 2),
       tex_fixed(tr.elbo, 2), tex_fixed(tr.iwae, 2)},
      {"held-out (" + tex_int(s.heldout_images) + " images)", tex_fixed(held.recon, 2), tex_fixed(held.kl, 2),
       tex_fixed(held.elbo, 2), tex_fixed(held.iwae, 2)}};
  // The same held-out numbers over every seed: mean ± sample standard deviation.
  std::vector<double> s_recon, s_kl, s_elbo, s_iwae;
  std::string seed_list;
  for (const SeedRun& r : seeds) {
    s_recon.push_back(r.summary.heldout.recon);
    s_kl.push_back(r.summary.heldout.kl);
    s_elbo.push_back(r.summary.heldout.elbo);
    s_iwae.push_back(r.summary.heldout.iwae);
    seed_list += (seed_list.empty() ? "" : ", ") + tex_int(r.seed);
  }
  // The work of Problem 2 over its runs: weight updates, and decoder passes (one per sample z)
  // in training, validation and the final evaluations.
  double updates_all = 0, train_passes = 0, eval_passes = 0;
  for (const SeedRun& r : seeds) {
    const RunOptions& o = r.summary.options;
    const double u = static_cast<double>(o.updates), samples = static_cast<double>(o.samples);
    const double validations = std::floor(u / static_cast<double>(std::max(1L, o.valid_every))) + 1;
    updates_all += u;
    train_passes += u * static_cast<double>(o.batch) * samples + validations * static_cast<double>(o.valid_size) * samples;
    eval_passes += static_cast<double>(r.summary.train_eval_images + r.summary.heldout_images) * static_cast<double>(o.iwae_k);
  }
  m += tex_macro("PTwoWorkUpdates", tex_int(static_cast<long long>(updates_all)));
  m += tex_macro("PTwoWorkTrainPasses", tex_sci(train_passes, 2));
  m += tex_macro("PTwoWorkEvalPasses", tex_sci(eval_passes, 2));
  // Sentences that follow the number of seeds: with one there is no spread to speak of.
  const size_t n_seeds = seeds.size();
  const bool spread = n_seeds > 1;
  std::string extra;
  for (size_t i = 1; i < seeds.size(); ++i) extra += (extra.empty() ? "" : ", ") + tex_int(seeds[i].seed);
  const std::string count = tex_int(static_cast<long long>(n_seeds));
  m += tex_macro("PTwoSeedCount", count);
  m += tex_macro("PTwoSeedList", seed_list);
  m += tex_macro("PTwoTrainings", count + (n_seeds == 1 ? " training" : " trainings"));
  m += tex_macro("PTwoHead", tex_int(2 * op.latent));
  if (spread) {
    rows.push_back({"held-out, " + count + " seeds", tex_mean_sd(s_recon, 2), tex_mean_sd(s_kl, 2), tex_mean_sd(s_elbo, 2),
                    tex_mean_sd(s_iwae, 2)});
    const double range = *std::max_element(s_elbo.begin(), s_elbo.end()) - *std::min_element(s_elbo.begin(), s_elbo.end());
    m += tex_macro("PTwoSeedElbo", tex_mean_sd(s_elbo, 2));
    m += tex_macro("PTwoSeedIwae", tex_mean_sd(s_iwae, 2));
    m += tex_macro("PTwoSeedElboSd", tex_fixed(sample_sd(s_elbo), 2));
    m += tex_macro("PTwoSeedElboRange", tex_fixed(range, 2));
    m += tex_macro("PTwoSeedSentence", "Over " + count + " seeds it is " + tex_mean_sd(s_elbo, 2) + " (lowest to highest " +
                                           tex_fixed(range, 2) + " nats apart), so differences in the held-out ELBO smaller " +
                                           "than about twice the seeds' standard deviation, " + tex_fixed(2 * sample_sd(s_elbo), 2) +
                                           " nats, are within what the seed alone changes.");
    m += tex_macro("PTwoBandSentence", "The shaded band is the range (lowest to highest) of the held-out curve over the " + count +
                                           " seeds " + seed_list + " of the same configuration: how much of the curve is chance.");
    m += tex_macro("PTwoTableSeedSentence", "the last row gives the held-out numbers of the same configuration trained with the " +
                                                count + " seeds " + seed_list + " as mean $\\pm$ sample standard deviation.");
    m += tex_macro("PTwoSeedsAppendix", "and with the seeds " + extra + " for the spread of the final numbers");
  } else {
    m += tex_macro("PTwoSeedSentence", "This report trains one seed, so it does not measure how much of this is chance "
                                       "(\\texttt{make report SEEDS=\"...\"} adds seeds).");
    m += tex_macro("PTwoBandSentence", "");
    m += tex_macro("PTwoTableSeedSentence", "one seed was trained, so the table gives no spread over seeds.");
    m += tex_macro("PTwoSeedsAppendix", "(one seed, so no spread over seeds)");
  }
  const double gap = tr.elbo - held.elbo;
  m += tex_macro("PTwoOverfitSentence",
                 std::string(gap < 2 ? "so with " : gap < 5 ? "a moderate over-fit for " : "so with only ") +
                     tex_int(s.train_images) + " training images" + (gap < 2 ? " the model barely over-fits" : gap < 5 ? "" : " the model over-fits"));
  {
    // Figure (vi): the held-out reconstruction term at each validation point, over the seeds.
    std::vector<Table> valids;
    for (const SeedRun& r : seeds) valids.push_back(r.valid);
    const Band b = recon_band(valids);
    std::string band = "update,min,max,mean\n";
    for (size_t i = 0; i < b.update.size(); ++i)
      band += fmt(b.update[i]) + "," + fmt_fixed(b.min[i], 5) + "," + fmt_fixed(b.max[i], 5) + "," + fmt_fixed(b.mean[i], 5) + "\n";
    out.push_back({"p2_valid_band.csv", band});
  }
  // The plots' words and tick steps, from the configuration run (analysis/p2_*.gp load them).
  const long updates = std::max(1L, op.updates);
  long step = 1;
  for (long cand : {1L, 2L, 5L}) 
    for (long p10 = 1; p10 <= updates; p10 *= 10)
      if (cand * p10 * 4 <= updates) step = std::max(step, cand * p10);
  out.push_back({"p2_titles.gp", "band_title = \"" +
                                     std::string(spread ? "held-out, min to max over the " + std::to_string(n_seeds) + " seeds" : "") +
                                     "\"\nvalid_title = \"held-out (every " + std::to_string(op.valid_every) +
                                     " updates)\"\nupdate_step = " + std::to_string(step) + "\n"});
  out.push_back({"p2_numbers.tex", m});
  out.push_back({"p2_final_table.tex",
                 tex_tabular("lrrrr",
                             {"set", "$\\mathbb{E}_q\\log p(x|z)$", "KL", "ELBO",
                              "$\\mathcal{L}_{" + tex_int(op.iwae_k) + "}$"},
                             rows)});

  // Moving averages of the per-update training terms (window 100) for figure (iii).
  std::vector<double> recon, kl, upd;
  for (size_t i = 0; i < train.rows.size(); ++i) {
    upd.push_back(train.num(i, "update"));
    recon.push_back(train.num(i, "recon"));
    kl.push_back(train.num(i, "kl"));
  }
  const auto mr = moving_average(recon, 100), mk = moving_average(kl, 100);
  std::string d = "update,recon_ma100,kl_ma100\n";
  for (size_t i = 0; i < upd.size(); ++i) d += fmt(upd[i]) + "," + fmt_fixed(mr[i], 5) + "," + fmt_fixed(mk[i], 5) + "\n";
  out.push_back({"p2_train_smooth.csv", d});
  return out;
}

std::map<std::string, std::string> read_env_file(const std::string& path) {
  std::map<std::string, std::string> env;
  if (path.empty()) return env;
  std::stringstream ss(read_file(path));
  std::string line;
  while (std::getline(ss, line)) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return env;
}

GeneratedFile env_generated(const std::map<std::string, std::string>& env) {
  std::string m;
  auto get = [&](const std::string& key) {
    auto it = env.find(key);
    return it == env.end() ? std::string("unknown") : it->second;
  };
  const std::vector<std::pair<std::string, std::string>> keys = {
      {"commit", "EnvCommit"},       {"armadillo", "EnvArmadillo"}, {"openblas", "EnvOpenblas"},
      {"boost", "EnvBoost"},         {"gnuplot", "EnvGnuplot"},     {"texlive", "EnvTexlive"},
      {"compiler", "EnvCompiler"},   {"coretype", "EnvCoretype"},   {"blas_threads", "EnvBlasThreads"},
      {"debian", "EnvDebian"},       {"cmake", "EnvCmake"}};
  for (const auto& [key, macro] : keys) m += tex_macro(macro, "\\texttt{" + tex_escape(get(key)) + "}");
  return {"env_numbers.tex", m};
}

}  // namespace vivae
