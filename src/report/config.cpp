#include "report/config.hpp"

#include <cmath>
#include <sstream>

#include "common/errors.hpp"
#include "common/json.hpp"
#include "common/parse.hpp"
#include "report/tex.hpp"

namespace vivae {

bool ReportConfig::homework() const {
  for (const ConfigParam& p : params)
    if (p.changed()) return false;
  return true;
}

ReportConfig parse_report_config(const std::string& text, const std::string& source) {
  ReportConfig c;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) throw DataError("'" + source + "': '" + line + "' is not NAME=VALUE");
    const std::string key = line.substr(0, eq), rest = line.substr(eq + 1);
    if (key == "name") {
      c.name = rest;
      continue;
    }
    const size_t bar = rest.find('|');
    if (bar == std::string::npos) throw DataError("'" + source + "': '" + line + "' lacks the homework's value (VALUE|HOMEWORK)");
    c.params.push_back({key, rest.substr(0, bar), rest.substr(bar + 1)});
  }
  return c;
}

namespace {

std::string value_text(const std::string& v) { return v.empty() ? "(none)" : v; }

// The value the results were made with, for the parameters a result records.
bool recorded(const std::string& name, const RunSummary& s, const Json& p1, const std::vector<long long>& seeds,
              std::string& out) {
  const RunOptions& o = s.options;
  auto num = [&](long v) { out = std::to_string(v); };
  if (name == "SEED") num(static_cast<long>(s.seed));
  else if (name == "PER_DIGIT") num(o.per_digit);
  else if (name == "HELDOUT") num(o.heldout);
  else if (name == "VALID_SIZE") num(o.valid_size);
  else if (name == "BATCH") num(o.batch);
  else if (name == "SAMPLES") num(o.samples);
  else if (name == "UPDATES") num(o.updates);
  else if (name == "ENC_HIDDEN") num(o.enc_hidden);
  else if (name == "DEC_HIDDEN") num(o.dec_hidden);
  else if (name == "LATENT") num(o.latent);
  else if (name == "IWAE_K") num(o.iwae_k);
  else if (name == "OPTIM") out = o.optim;
  else if (name == "LR") {
    std::ostringstream v;
    v << o.lr;
    out = v.str();
  } else if (name == "SEEDS") {
    out.clear();
    for (long long x : seeds) out += (out.empty() ? "" : " ") + std::to_string(x);
  } else if (name == "N" || name == "BETA") {
    out = p1.contains("options") ? p1["options"].value(name == "N" ? "n" : "beta", "") : "";
  } else {
    return false;
  }
  return true;
}

bool agrees(const std::string& name, const std::string& asked, const std::string& ran) {
  try {
    if (name == "LR") return std::fabs(parse_double("LR", asked) - parse_double("LR", ran)) <= 1e-12 * std::fabs(parse_double("LR", ran));
    if (name == "N") return parse_int_list("N", asked, 1, 30) == parse_int_list("N", ran, 1, 30);
    if (name == "BETA") return parse_beta_list("BETA", asked) == parse_beta_list("BETA", ran);
    if (name == "SEEDS") {
      std::stringstream a(asked), b(ran);
      std::vector<std::string> x, y;
      for (std::string w; a >> w;) x.push_back(std::to_string(parse_seed("SEEDS", w)));
      for (std::string w; b >> w;) y.push_back(w);
      return x == y;
    }
  } catch (const UsageError&) {
    return false;
  }
  return asked == ran;
}

}  // namespace

std::vector<GeneratedFile> config_generated(const ReportConfig& c, const RunSummary& main_run, const std::string& p1_summary_json,
                                            const std::vector<long long>& extra_seeds) {
  const Json p1 = parse_json(p1_summary_json, "results/p1/summary.json");
  std::vector<std::vector<std::string>> rows;
  std::string changed;
  for (const ConfigParam& p : c.params) {
    std::string ran, asked = p.value;
    if (p.name == "SEEDS") {  // the main run's seed, when listed, is not an extra one
      std::stringstream words(p.value);
      asked.clear();
      for (std::string w; words >> w;)
        if (w != std::to_string(main_run.seed)) asked += (asked.empty() ? "" : " ") + w;
    }
    if (recorded(p.name, main_run, p1, extra_seeds, ran) && !agrees(p.name, asked, ran))
      throw DataError("the results were made with " + p.name + " = " + value_text(ran) + ", but the report's configuration says " +
                      value_text(p.value) + " (run make report " + p.name + "=... to make them)");
    rows.push_back({"\\texttt{" + tex_escape(p.name) + "}", tex_escape(value_text(p.value)), tex_escape(value_text(p.homework)),
                    p.changed() ? "changed" : ""});
    if (p.changed())
      changed += (changed.empty() ? "" : "; ") + std::string("\\texttt{") + tex_escape(p.name) + "} " + tex_escape(value_text(p.value)) +
                 " (the homework's: " + tex_escape(value_text(p.homework)) + ")";
  }
  std::string m;
  m += tex_macro("ReportConfig", c.homework() ? "the homework's configuration" : "a changed configuration: " + changed);
  m += tex_macro("ReportConfigName", "\\texttt{" + tex_escape(c.name) + "}");
  return {{"config_numbers.tex", m}, {"config_table.tex", tex_tabular("lllr", {"parameter", "this report", "the homework's", ""}, rows)}};
}

}  // namespace vivae
