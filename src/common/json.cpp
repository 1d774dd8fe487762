#include "common/json.hpp"

#include <cmath>
#include <limits>

#include "common/errors.hpp"
#include "common/files.hpp"

namespace vivae {

Json json_number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return x;
}

std::string json_text(const Json& j) { return j.dump(2) + "\n"; }

Json parse_json(const std::string& text, const std::string& name) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw DataError("'" + name + "' is empty, not JSON");
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw DataError("'" + name + "' is not valid JSON (" + e.what() + ")");
  }
}

Json read_json(const std::string& path) { return parse_json(read_file(path), path); }

static const Json& at_path(const Json& j, const std::string& path, const std::string& name) {
  const Json* node = &j;
  size_t from = 0;
  while (true) {
    const size_t dot = path.find('.', from);
    const std::string key = path.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
    if (!node->is_object() || !node->contains(key)) throw DataError("'" + name + "' has no entry '" + path + "'");
    node = &(*node)[key];
    if (dot == std::string::npos) return *node;
    from = dot + 1;
  }
}

double number_at(const Json& j, const std::string& path, const std::string& name) {
  const Json& v = at_path(j, path, name);
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
  }
  throw DataError("'" + name + "': '" + path + "' is not a number");
}

std::string string_at(const Json& j, const std::string& path, const std::string& name) {
  const Json& v = at_path(j, path, name);
  if (!v.is_string()) throw DataError("'" + name + "': '" + path + "' is not a string");
  return v.get<std::string>();
}

}  // namespace vivae
