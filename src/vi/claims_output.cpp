#include "vi/claims_output.hpp"

#include "common/errors.hpp"
#include "common/format.hpp"
#include "common/json.hpp"

namespace vivae {

namespace {

std::string list_text(const std::vector<int>& v) {
  std::string s;
  for (int x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s;
}

Json values_json(const std::vector<double>& v, bool as_array) {
  if (!as_array) return json_number(v.empty() ? 0.0 : v[0]);
  Json a = Json::array();
  for (double x : v) a.push_back(json_number(x));
  return a;
}

std::vector<double> values_from(const Json& j, const std::string& name) {
  auto one = [&](const Json& x) {
    Json holder;
    holder["v"] = x;
    return number_at(holder, "v", name);
  };
  std::vector<double> out;
  if (j.is_array())
    for (const auto& x : j) out.push_back(one(x));
  else
    out.push_back(one(j));
  return out;
}

}  // namespace

std::string claims_csv(const std::vector<ClaimVerdict>& verdicts) {
  std::string s = "claim,line,quantity,n,beta,claimed,exact,error,claimed_kl,min_kl,verdict\n";
  for (size_t k = 0; k < verdicts.size(); ++k) {
    const Claim& c = *verdicts[k].claim;
    const bool theta = is_theta(c.quantity);
    for (const ClaimPoint& p : verdicts[k].points)
      s += std::to_string(k + 1) + "," + std::to_string(c.line) + "," + quantity_name(c.quantity) + "," +
           std::to_string(p.n) + "," + fmt(p.beta) + "," + fmt_list(p.claimed) + "," + fmt_list(p.exact) + "," + fmt(p.error) +
           "," + (theta ? fmt(p.claimed_kl) : "") + "," + (theta ? fmt(p.min_kl) : "") + "," +
           (p.holds ? "holds" : "fails") + "\n";
  }
  return s;
}

ClaimRecord claim_record(const ClaimVerdict& v) {
  const Claim& c = *v.claim;
  ClaimRecord r;
  r.claim = c.text;
  r.source = c.source;
  r.quantity = quantity_name(c.quantity);
  r.line = c.line;
  r.checked = v.checked;
  r.held = v.held;
  r.holds = v.holds();
  if (v.first_failure >= 0) {
    const ClaimPoint& p = v.points[static_cast<size_t>(v.first_failure)];
    r.first_failure = ClaimFailure{p.n, p.beta, p.claimed, p.exact, p.why};
  }
  return r;
}

std::string claims_json(const std::vector<ClaimRecord>& records, const ClaimCheckConfig& cfg) {
  Json list = Json::array();
  bool all = true;
  for (const ClaimRecord& r : records) {
    const bool array = r.quantity == "Q1.theta";
    Json j;
    j["claim"] = r.claim;
    j["source"] = r.source;
    j["line"] = r.line;
    j["quantity"] = r.quantity;
    j["holds"] = r.holds;
    j["checked"] = r.checked;
    j["held"] = r.held;
    if (r.first_failure) {
      const ClaimFailure& f = *r.first_failure;
      Json ff;
      ff["n"] = f.n;
      ff["beta"] = json_number(f.beta);
      ff["claimed"] = values_json(f.claimed, array);
      ff["exact"] = values_json(f.exact, array);
      ff["why"] = f.why;
      j["first_failure"] = ff;
    } else {
      j["first_failure"] = nullptr;
    }
    all = all && r.holds;
    list.push_back(j);
  }
  std::string betas;
  for (double b : cfg.betas) betas += (betas.empty() ? "" : ",") + fmt(b);
  Json out;
  out["claims"] = list;
  out["all_hold"] = all;
  out["n"] = list_text(cfg.n_values);
  out["beta"] = betas;
  out["tol"] = json_number(cfg.tol.exact);
  out["claim_tol"] = json_number(cfg.tol.hand);
  return json_text(out);
}

std::vector<ClaimRecord> parse_claims_json(const std::string& text, const std::string& name) {
  const Json j = parse_json(text, name);
  if (!j.is_object() || !j.contains("claims") || !j["claims"].is_array())
    throw DataError("'" + name + "' is not a claims.json (no \"claims\" list)");
  std::vector<ClaimRecord> out;
  try {
    for (const Json& c : j["claims"]) {
      ClaimRecord r;
      r.claim = string_at(c, "claim", name);
      r.source = string_at(c, "source", name);
      r.quantity = string_at(c, "quantity", name);
      r.line = c.at("line").get<int>();
      r.checked = c.at("checked").get<int>();
      r.held = c.at("held").get<int>();
      r.holds = c.at("holds").get<bool>();
      const Json& f = c.at("first_failure");
      if (!f.is_null()) {
        ClaimFailure ff;
        ff.n = f.at("n").get<int>();
        ff.beta = number_at(f, "beta", name);
        ff.claimed = values_from(f.at("claimed"), name);
        ff.exact = values_from(f.at("exact"), name);
        ff.why = string_at(f, "why", name);
        r.first_failure = ff;
      }
      out.push_back(std::move(r));
    }
  } catch (const Json::exception& e) {
    throw DataError("'" + name + "' is not a claims.json (" + e.what() + ")");
  }
  return out;
}

}  // namespace vivae
