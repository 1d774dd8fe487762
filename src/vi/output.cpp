#include "vi/output.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

#include "common/errors.hpp"
#include "common/files.hpp"
#include "common/format.hpp"
#include "common/json.hpp"
#include "vi/claims_output.hpp"

namespace vivae {

static std::string beta_text(double b) { return fmt(b); }

CheckTally tally(const SweepResult& r) {
  CheckTally t;
  for (const auto& m : r.mean_field) {
    ++t.checks;
    if (m.pass) {
      ++t.passed;
    } else {
      t.failures.push_back("mean_field " + m.family + " n=" + std::to_string(m.n) + " beta=" + beta_text(m.beta) +
                           ": kl_numeric=" + fmt(m.kl_numeric) + " kl_exact=" + fmt(m.kl_exact) +
                           " theta_err=" + fmt(m.theta_err));
    }
  }
  for (const auto& c : r.checks) {
    if (!c.counted) continue;
    ++t.checks;
    if (c.pass) {
      ++t.passed;
    } else {
      t.failures.push_back(c.check + " " + c.energy + " n=" + std::to_string(c.n) + " beta=" + beta_text(c.beta) +
                           ": lhs=" + fmt(c.lhs) + " rhs=" + fmt(c.rhs) + " err=" + fmt(c.abs_err) +
                           " tol=" + fmt(c.tol));
    }
  }
  return t;
}

std::string mean_field_csv(const SweepResult& r) {
  std::string s =
      "n,beta,family,kl_numeric,kl_exact,abs_err,theta,theta_exact,theta_err,kl_search,log_z,low_count,starts,tol,pass\n";
  for (const auto& m : r.mean_field) {
    s += std::to_string(m.n) + "," + beta_text(m.beta) + "," + m.family + "," + fmt(m.kl_numeric) + "," +
         fmt(m.kl_exact) + "," + fmt(m.abs_err) + "," + fmt_list(m.theta) + "," + fmt_list(m.theta_exact) + "," +
         fmt(m.theta_err) + "," + fmt(m.kl_search) + "," + fmt(m.log_z) + "," + std::to_string(m.low_count) + "," +
         std::to_string(m.starts) + "," + fmt(m.tol) + "," + (m.pass ? "1" : "0") + "\n";
  }
  return s;
}

std::string identities_csv(const SweepResult& r) {
  std::string s = "check,n,beta,h,lhs,rhs,abs_err,energy,tol,counted,pass\n";
  for (const auto& c : r.checks) {
    s += c.check + "," + std::to_string(c.n) + "," + beta_text(c.beta) + "," + fmt(c.h) + "," + fmt(c.lhs) + "," +
         fmt(c.rhs) + "," + fmt(c.abs_err) + "," + c.energy + "," + fmt(c.tol) + "," + (c.counted ? "1" : "0") +
         "," + (c.pass ? "1" : "0") + "\n";
  }
  return s;
}

std::string vi_summary_json(const SweepResult& r, const SweepConfig& cfg, const std::string& command) {
  const CheckTally t = tally(r);
  std::map<std::string, double> worst;
  std::map<std::string, int> count;
  auto note = [&](const std::string& kind, double err) {
    worst[kind] = std::max(worst[kind], err);
    ++count[kind];
  };
  double worst_theta = 0;
  for (const auto& m : r.mean_field) {
    note("mean_field_" + m.family, m.abs_err);
    worst_theta = std::max(worst_theta, m.theta_err);
  }
  for (const auto& c : r.checks)
    if (c.counted) note(c.check + "_" + c.energy, c.abs_err);
  Json w = Json::object();
  for (const auto& [k, v] : worst) w[k] = json_number(v);
  w["theta"] = json_number(worst_theta);
  Json n = Json::object();
  for (const auto& [k, v] : count) n[k] = v;
  std::string ns, bs;
  for (int v : cfg.n_values) ns += (ns.empty() ? "" : ",") + std::to_string(v);
  for (double b : cfg.betas) bs += (bs.empty() ? "" : ",") + fmt(b);
  Json opts;
  opts["n"] = ns;
  opts["beta"] = bs;
  opts["seed"] = cfg.seed;
  opts["tol"] = json_number(cfg.tol);
  opts["theta_tol"] = json_number(cfg.theta_tol);
  opts["fd_tol"] = json_number(cfg.fd_tol);
  opts["q1_starts"] = cfg.q1_starts;
  opts["random_q"] = cfg.random_q;
  opts["ising_max_n"] = cfg.ising_max_n;
  Json j;
  j["program"] = "vi_verify";
  j["checks"] = t.checks;
  j["passed"] = t.passed;
  j["all_passed"] = t.checks == t.passed;
  j["states_enumerated"] = r.states;
  j["checks_by_kind"] = n;
  j["worst_abs_err"] = w;
  j["options"] = opts;
  j["command"] = command;
  return json_text(j);
}

std::string vi_table(const SweepResult& r) {
  std::string s;
  char line[256];
  std::snprintf(line, sizeof line, "%4s %8s %6s %22s %22s %10s %10s %s\n", "n", "beta", "family", "kl_numeric",
                "kl_exact", "abs_err", "theta_err", "ok");
  s += line;
  for (const auto& m : r.mean_field) {
    std::snprintf(line, sizeof line, "%4d %8s %6s %22.15f %22.15f %10.2e %10.2e %s\n", m.n, beta_text(m.beta).c_str(),
                  m.family.c_str(), m.kl_numeric, m.kl_exact, m.abs_err, m.theta_err, m.pass ? "ok" : "FAIL");
    s += line;
  }
  return s;
}

bool holds_vi_run(const std::string& dir) {
  try {
    const std::string summary = join_path(dir, "summary.json"), claims = join_path(dir, "claims.json");
    if (file_exists(summary) && !is_directory(summary)) {
      const Json j = parse_json(read_file(summary), summary);
      if (j.is_object() && (j.value("program", "") == "vi_verify" || j.contains("checks_by_kind"))) return true;
    }
    if (file_exists(claims) && !is_directory(claims)) {
      parse_claims_json(read_file(claims), claims);
      return true;
    }
  } catch (const DataError&) {
  }
  return false;
}

}  // namespace vivae
