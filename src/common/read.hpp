// Reading back the project's own outputs: CSV with a header row (no quoting; fields never
// contain commas) and values from the JSON objects that Json (common/format.hpp) writes.
#pragma once
#include <string>
#include <vector>

namespace vivae {

struct Table {
  std::string name;  // file name, for messages
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  size_t col(const std::string& column) const;  // throws DataError naming the file and column
  double num(size_t row, const std::string& column) const;
};
Table read_csv(const std::string& path);
Table parse_csv(const std::string& text, const std::string& name);

// "heldout.elbo" → the number (or "inf"/"nan" string) at that path; DataError if absent.
double json_number_at(const std::string& json, const std::string& path, const std::string& name);
std::string json_string_at(const std::string& json, const std::string& path, const std::string& name);

}  // namespace vivae
