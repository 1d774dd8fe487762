#include "common/read.hpp"

#include <cstdlib>
#include <sstream>

#include "common/errors.hpp"
#include "common/files.hpp"

namespace vivae {

size_t Table::col(const std::string& column) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == column) return i;
  throw DataError("'" + name + "' has no column '" + column + "'");
}

double Table::num(size_t row, const std::string& column) const {
  const std::string& s = rows.at(row).at(col(column));
  char* end = nullptr;
  const double x = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0') throw DataError("'" + name + "': '" + s + "' in column '" + column + "' is not a number");
  return x;
}

Table parse_csv(const std::string& text, const std::string& name) {
  Table t;
  t.name = name;
  std::stringstream in(text);
  std::string line;
  auto split = [](const std::string& l) {
    std::vector<std::string> f;
    std::stringstream ss(l);
    std::string x;
    while (std::getline(ss, x, ',')) f.push_back(x);
    if (!l.empty() && l.back() == ',') f.emplace_back();
    return f;
  };
  if (!std::getline(in, line)) throw DataError("'" + name + "' is empty");
  t.header = split(line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto f = split(line);
    if (f.size() != t.header.size())
      throw DataError("'" + name + "' line " + std::to_string(t.rows.size() + 2) + " has " + std::to_string(f.size()) +
                      " fields, the header has " + std::to_string(t.header.size()));
    t.rows.push_back(std::move(f));
  }
  return t;
}

Table read_csv(const std::string& path) { return parse_csv(read_file(path), path); }

// Finds the raw value text at a dotted path of nested objects.
static std::string raw_at(const std::string& json, const std::string& path, const std::string& name) {
  size_t from = 0, to = json.size();
  std::stringstream ss(path);
  std::string key;
  std::vector<std::string> keys;
  while (std::getline(ss, key, '.')) keys.push_back(key);
  for (size_t k = 0; k < keys.size(); ++k) {
    // Search only at the current object's own depth.
    int depth = 0;
    size_t found = std::string::npos;
    const std::string quoted = "\"" + keys[k] + "\":";
    for (size_t i = from; i < to; ++i) {
      const char c = json[i];
      if (c == '"') {
        if (depth == 1 && json.compare(i, quoted.size(), quoted) == 0) {
          found = i + quoted.size();
          break;
        }
        for (++i; i < to && json[i] != '"'; ++i)
          if (json[i] == '\\') ++i;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        --depth;
      }
    }
    if (found == std::string::npos) throw DataError("'" + name + "' has no entry '" + path + "'");
    size_t v = json.find_first_not_of(" \n\t", found);
    if (k + 1 == keys.size()) {
      size_t e = v;
      if (json[v] == '"') {
        e = json.find('"', v + 1) + 1;
      } else {
        while (e < to && json[e] != ',' && json[e] != '\n' && json[e] != '}') ++e;
      }
      return json.substr(v, e - v);
    }
    // Narrow to the nested object.
    int d = 0;
    size_t e = v;
    for (; e < to; ++e) {
      if (json[e] == '{') ++d;
      if (json[e] == '}' && --d == 0) break;
    }
    from = v;
    to = e + 1;
  }
  throw DataError("'" + name + "': empty path");
}

double json_number_at(const std::string& json, const std::string& path, const std::string& name) {
  std::string raw = raw_at(json, path, name);
  if (!raw.empty() && raw[0] == '"') raw = raw.substr(1, raw.size() - 2);
  char* end = nullptr;
  const double x = std::strtod(raw.c_str(), &end);
  if (end == raw.c_str()) throw DataError("'" + name + "': '" + path + "' is not a number");
  return x;
}

std::string json_string_at(const std::string& json, const std::string& path, const std::string& name) {
  std::string raw = raw_at(json, path, name);
  if (raw.size() >= 2 && raw[0] == '"') return raw.substr(1, raw.size() - 2);
  return raw;
}

}  // namespace vivae
