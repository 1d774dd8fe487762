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

}  // namespace vivae
