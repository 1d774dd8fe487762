#include "grade/rubric.hpp"

#include "common/errors.hpp"
#include "common/json.hpp"

namespace vivae {

Rubric parse_rubric(const std::string& text, const std::string& name) {
  const Json j = parse_json(text, name);
  Rubric r;
  try {
    r.homework = j.at("homework").get<std::string>();
    const Json& c = j.at("claims");
    r.claims_file = c.at("file").get<std::string>();
    r.claims_n = c.at("n").get<std::string>();
    r.claims_beta = c.at("beta").get<std::string>();
    r.claims_time_limit_s = c.at("time_limit_s").get<double>();
    const Json& m = j.at("model");
    r.model_files = m.at("files").get<std::vector<std::string>>();
    r.scale_file = m.at("scale_file").get<std::string>();
    r.curve_file = m.at("curve_file").get<std::string>();
    r.widths = m.at("widths").get<std::vector<int>>();
    r.per_digit = m.at("per_digit").get<int>();
    r.heldout = m.at("heldout").get<int>();
    r.iwae_k = m.at("iwae_k").get<int>();
    r.seed = m.at("seed").get<long long>();
    r.model_time_limit_s = m.at("time_limit_s").get<double>();
    const Json& b = j.at("band");
    r.band_why = b.at("why").get<std::string>();
    r.full_within_sd = b.at("full_within_sd").get<double>();
    r.zero_beyond_sd = b.at("zero_beyond_sd").get<double>();
    r.min_sd = b.at("min_sd").get<double>();
    r.max_file_mb = j.at("max_file_mb").get<double>();
    for (const Json& it : j.at("items")) {
      RubricItem i;
      i.id = it.at("id").get<std::string>();
      i.name = it.at("name").get<std::string>();
      i.points = it.at("points").get<double>();
      i.graded_by = it.at("graded_by").get<std::string>();
      i.earns = it.at("earns").get<std::string>();
      i.check = it.value("check", "");
      i.quantity = it.value("quantity", "");
      if (i.graded_by != "hand" && i.graded_by != "autograder")
        throw DataError("'" + name + "': item '" + i.id + "': graded_by must be hand or autograder");
      if (i.automatic() && i.check != "claim" && i.check != "model" && i.check != "elbo" && i.check != "iwae")
        throw DataError("'" + name + "': item '" + i.id + "': check must be claim, model, elbo or iwae");
      if (i.check == "claim" && i.quantity.empty()) throw DataError("'" + name + "': item '" + i.id + "' names no quantity");
      r.items.push_back(i);
    }
  } catch (const Json::exception& e) {
    throw DataError("'" + name + "' is not a rubric (" + e.what() + ")");
  }
  if (r.widths.size() != 4) throw DataError("'" + name + "': model.widths must be 4 numbers (input, hidden, latent, hidden)");
  if (!(r.full_within_sd >= 0 && r.zero_beyond_sd > r.full_within_sd && r.min_sd > 0))
    throw DataError("'" + name + "': band needs 0 <= full_within_sd < zero_beyond_sd and min_sd > 0");
  return r;
}

std::string rubric_text(const Rubric& r) {
  Json j;
  j["homework"] = r.homework;
  j["claims"] = {{"file", r.claims_file}, {"n", r.claims_n}, {"beta", r.claims_beta}, {"time_limit_s", r.claims_time_limit_s}};
  j["model"] = {{"files", r.model_files}, {"scale_file", r.scale_file}, {"curve_file", r.curve_file}, {"widths", r.widths},
                {"per_digit", r.per_digit}, {"heldout", r.heldout}, {"iwae_k", r.iwae_k}, {"seed", r.seed},
                {"time_limit_s", r.model_time_limit_s}};
  j["band"] = {{"why", r.band_why}, {"full_within_sd", r.full_within_sd}, {"zero_beyond_sd", r.zero_beyond_sd}, {"min_sd", r.min_sd}};
  j["max_file_mb"] = r.max_file_mb;
  Json items = Json::array();
  for (const RubricItem& i : r.items) {
    Json it;
    it["id"] = i.id;
    it["name"] = i.name;
    it["points"] = i.points;
    it["graded_by"] = i.graded_by;
    if (!i.check.empty()) it["check"] = i.check;
    if (!i.quantity.empty()) it["quantity"] = i.quantity;
    it["earns"] = i.earns;
    items.push_back(it);
  }
  j["items"] = items;
  return json_text(j);
}

}  // namespace vivae
