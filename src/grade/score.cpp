#include "grade/score.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/errors.hpp"
#include "common/format.hpp"
#include "common/json.hpp"
#include "report/tex.hpp"

namespace vivae {

namespace {

std::string num(double x, int digits = 3) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string points_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", std::round(p * 100) / 100);
  return buf;
}

std::string claim_name(const ClaimRecord& c) {
  return (c.line > 0 ? "line " + std::to_string(c.line) + ": " : "") + "'" + c.claim + "'";
}

ItemScore score_claim(const RubricItem& item, const Rubric& rubric, const ClaimsOutcome& claims) {
  ItemScore s{item, 0, ""};
  if (!claims.present) {
    s.reason = "no " + rubric.claims_file + " in the submission";
    return s;
  }
  if (!claims.problem.empty()) {
    s.reason = claims.problem;
    return s;
  }
  std::vector<const ClaimRecord*> mine;
  for (const ClaimRecord& c : claims.records)
    if (c.quantity == item.quantity) mine.push_back(&c);
  if (mine.empty()) {
    s.reason = "no claim of " + item.quantity + " in " + rubric.claims_file + " (a line '" + item.quantity + " = FORMULA')";
    return s;
  }
  for (const ClaimRecord* c : mine)
    if (c->checked > 0 && !c->holds) {
      const ClaimFailure& f = *c->first_failure;
      s.reason = claim_name(*c) + " fails at N = " + std::to_string(f.n) + ", beta = " + fmt(f.beta) + ": " + f.why;
      return s;
    }
  for (const ClaimRecord* c : mine)
    if (c->holds && c->checked >= claims.grid_points) {
      s.points = item.points;
      s.reason = claim_name(*c) + " holds at all " + std::to_string(claims.grid_points) + " points (" + claims.grid + ")";
      return s;
    }
  for (const ClaimRecord* c : mine)
    if (c->holds) {
      s.points = item.points / 2;
      s.reason = claim_name(*c) + " holds, but only at the " + std::to_string(c->checked) + " of " +
                 std::to_string(claims.grid_points) + " points (" + claims.grid +
                 ") its condition allows; the answer asked for is a formula for every N (half credit)";
      return s;
    }
  s.reason = claim_name(*mine.front()) + " applies at none of the graded points (" + claims.grid + ")";
  return s;
}

std::string widths_text(long in, long he, long l, long hd) {
  return std::to_string(in) + " -> " + std::to_string(he) + " -> 2 x " + std::to_string(l) + " -> " + std::to_string(hd) +
         " -> " + std::to_string(in);
}

ItemScore score_model(const RubricItem& item, const Rubric& rubric, const ModelOutcome& m) {
  ItemScore s{item, 0, ""};
  if (m.file.empty()) {
    std::string files;
    for (const std::string& f : rubric.model_files) files += (files.empty() ? "" : " or ") + f;
    s.reason = "no " + files + " in the submission";
    return s;
  }
  if (!m.problem.empty()) {
    s.reason = m.problem;
    return s;
  }
  const RunOptions& o = m.summary->options;
  const std::vector<int>& w = rubric.widths;
  const long input = w[0];
  const std::string got = widths_text(input, o.enc_hidden, o.latent, o.dec_hidden);
  const std::string want = widths_text(w[0], w[1], w[2], w[3]);
  const std::string how = m.summary->weights ? " (" + m.summary->weights->format + ", " + m.summary->weights->dtype + ")" : "";
  if (o.enc_hidden == w[1] && o.latent == w[2] && o.dec_hidden == w[3]) {
    s.points = item.points;
    s.reason = m.file + how + " loads as the homework's VAE, " + got;
  } else {
    s.points = item.points / 2;
    s.reason = m.file + how + " loads, but as " + got + ", not the homework's " + want + " (half credit)";
  }
  return s;
}

ItemScore score_bound(const RubricItem& item, const Rubric& rubric, const ModelOutcome& m, const ReferenceBand& ref) {
  ItemScore s{item, 0, ""};
  const bool elbo = item.check == "elbo";
  const std::string what = elbo ? "held-out ELBO" : "held-out L_" + std::to_string(rubric.iwae_k);
  if (!m.summary) {
    s.reason = "no " + what + ": the model was not evaluated (" + (m.file.empty() ? "no model file" : m.problem) + ")";
    return s;
  }
  std::vector<double> v;
  for (const RunSummary& r : ref.runs) v.push_back(elbo ? r.heldout.elbo : r.heldout.iwae);
  const double mean = mean_of(v), sd = std::max(sample_sd(v), rubric.min_sd);
  const double value = elbo ? m.summary->heldout.elbo : m.summary->heldout.iwae;
  const double full_at = rubric.full_within_sd * sd, zero_at = rubric.zero_beyond_sd * sd, below = mean - value;
  const double frac = !std::isfinite(value) ? 0 : below <= full_at ? 1 : below >= zero_at ? 0 : (zero_at - below) / (zero_at - full_at);
  s.points = std::round(item.points * frac * 100) / 100;
  const std::string band = "the reference mean " + num(mean) + " over " + std::to_string(v.size()) + " seeds (sd " + num(sd) +
                           "; full credit within " + num(full_at, 2) + " nats below it, none beyond " + num(zero_at, 2) + ")";
  if (frac == 1)
    s.reason = what + " " + num(value) + (below <= 0 ? " is at or above " : " is within " + num(full_at, 2) + " nats of ") + band;
  else
    s.reason = what + " " + num(value) + " is " + num(below) + " nats below " + band +
               (m.summary->below_floor ? "; it is below what predicting 1/2 for every pixel scores" : "");
  return s;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

GradeRecord grade_submission(const Rubric& rubric, const ClaimsOutcome& claims, const ModelOutcome& model,
                             const ReferenceBand& reference) {
  if (reference.runs.empty())
    throw DataError("no reference runs to grade the model against (" + reference.missing + ")");
  GradeRecord g;
  for (const RubricItem& item : rubric.items) {
    ItemScore s{item, 0, "graded by hand: " + item.earns};
    if (item.check == "claim") s = score_claim(item, rubric, claims);
    else if (item.check == "model") s = score_model(item, rubric, model);
    else if (item.check == "elbo" || item.check == "iwae") s = score_bound(item, rubric, model, reference);
    if (item.automatic()) {
      g.total += s.points;
      g.max += item.points;
    }
    g.items.push_back(s);
  }
  g.total = std::round(g.total * 100) / 100;
  g.notes = model.notes;
  return g;
}

std::string grade_json(const GradeRecord& g) {
  Json j;
  j["submission"] = g.submission;
  j["key"] = g.key;
  j["total"] = g.total;
  j["max"] = g.max;
  Json items = Json::array();
  for (const ItemScore& s : g.items)
    items.push_back({{"id", s.item.id}, {"name", s.item.name}, {"points", s.points}, {"max", s.item.points},
                     {"graded_by", s.item.graded_by}, {"reason", s.reason}});
  j["items"] = items;
  j["notes"] = g.notes;
  return json_text(j);
}

GradeRecord parse_grade_json(const std::string& text, const std::string& name) {
  const Json j = parse_json(text, name);
  GradeRecord g;
  try {
    g.submission = j.at("submission").get<std::string>();
    g.key = j.at("key").get<std::string>();
    g.total = j.at("total").get<double>();
    g.max = j.at("max").get<double>();
    for (const Json& it : j.at("items")) {
      ItemScore s;
      s.item.id = it.at("id").get<std::string>();
      s.item.name = it.at("name").get<std::string>();
      s.item.points = it.at("max").get<double>();
      s.item.graded_by = it.at("graded_by").get<std::string>();
      s.points = it.at("points").get<double>();
      s.reason = it.at("reason").get<std::string>();
      g.items.push_back(s);
    }
    g.notes = j.at("notes").get<std::vector<std::string>>();
  } catch (const Json::exception& e) {
    throw DataError("'" + name + "' is not a grade.json (" + e.what() + ")");
  }
  return g;
}

std::string grades_csv(const Rubric& rubric, const std::vector<GradeRecord>& grades) {
  std::string s = "submission";
  for (const RubricItem& i : rubric.items)
    if (i.automatic()) s += "," + csv_field(i.id + " (" + points_text(i.points) + ")");
  s += ",total,max,reasons for lost points\n";
  for (const GradeRecord& g : grades) {
    s += csv_field(g.submission);
    std::string reasons;
    for (const RubricItem& i : rubric.items) {
      if (!i.automatic()) continue;
      const auto it = std::find_if(g.items.begin(), g.items.end(), [&](const ItemScore& x) { return x.item.id == i.id; });
      s += "," + (it == g.items.end() ? std::string("") : points_text(it->points));
      if (it != g.items.end() && it->points < i.points)
        reasons += (reasons.empty() ? "" : " | ") + i.id + ": " + it->reason;
    }
    s += "," + points_text(g.total) + "," + points_text(g.max) + "," + csv_field(reasons) + "\n";
  }
  return s;
}

std::string gradescope_json(const GradeRecord& g) {
  Json tests = Json::array();
  for (const ItemScore& s : g.items) {
    Json t;
    t["name"] = s.item.id + ": " + s.item.name;
    t["score"] = s.item.automatic() ? s.points : 0.0;
    t["max_score"] = s.item.automatic() ? s.item.points : 0.0;
    t["status"] = !s.item.automatic() || s.points >= s.item.points ? "passed" : "failed";
    t["output"] = s.item.automatic() ? s.reason : "Not autograded (" + points_text(s.item.points) + " points, " + s.reason + ")";
    t["visibility"] = "visible";
    tests.push_back(t);
  }
  std::string output = "Autograded: " + points_text(g.total) + " of " + points_text(g.max) +
                       " points. The proofs and the plots are graded by hand.";
  for (const std::string& n : g.notes) output += "\nNote: " + n;
  Json j;
  j["score"] = g.total;
  j["output"] = output;
  j["visibility"] = "visible";
  j["stdout_visibility"] = "hidden";
  j["tests"] = tests;
  return json_text(j);
}

}  // namespace vivae
