// Gradescope's results.json schema (gradescope/autograder_samples, docs/specs.md) as a check:
// the keys it documents, their types, and the values of status and visibility. Returns the
// problems found ("" when the file fits).
#pragma once
#include <set>
#include <string>

#include "common/json.hpp"

namespace vivae::testing {

inline std::string gradescope_problems(const std::string& text) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::exception& e) {
    return std::string("not JSON: ") + e.what();
  }
  std::string p;
  const std::set<std::string> top = {"score", "execution_time", "output", "visibility", "stdout_visibility",
                                     "extra_data", "tests", "leaderboard"};
  const std::set<std::string> test = {"score", "max_score", "name", "number", "output", "tags", "visibility",
                                      "extra_data", "status", "name_format", "output_format"};
  const std::set<std::string> visibility = {"hidden", "after_due_date", "after_published", "visible"};
  if (!j.is_object()) return "not an object";
  for (const auto& [k, v] : j.items())
    if (!top.count(k)) p += "unknown key " + k + "; ";
  if (!j.contains("score") || !j["score"].is_number()) p += "no numeric score; ";
  for (const char* k : {"output"})
    if (j.contains(k) && !j[k].is_string()) p += std::string(k) + " is not a string; ";
  for (const char* k : {"visibility", "stdout_visibility"})
    if (j.contains(k) && (!j[k].is_string() || !visibility.count(j[k].get<std::string>()))) p += std::string(k) + " is not a visibility; ";
  if (j.contains("tests")) {
    if (!j["tests"].is_array()) return p + "tests is not a list";
    for (const Json& t : j["tests"]) {
      if (!t.is_object()) {
        p += "a test is not an object; ";
        continue;
      }
      for (const auto& [k, v] : t.items())
        if (!test.count(k)) p += "unknown test key " + k + "; ";
      for (const char* k : {"score", "max_score"})
        if (t.contains(k) && !t[k].is_number()) p += std::string("test ") + k + " is not a number; ";
      for (const char* k : {"name", "output"})
        if (t.contains(k) && !t[k].is_string()) p += std::string("test ") + k + " is not a string; ";
      if (t.contains("status") && t["status"] != "passed" && t["status"] != "failed") p += "test status is not passed or failed; ";
      if (t.contains("visibility") && (!t["visibility"].is_string() || !visibility.count(t["visibility"].get<std::string>())))
        p += "test visibility is not a visibility; ";
      if (t.contains("score") && t.contains("max_score") && t["score"].get<double>() > t["max_score"].get<double>() + 1e-9)
        p += "a test scores above its max; ";
    }
  }
  return p;
}

}  // namespace vivae::testing
