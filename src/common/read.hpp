// Reading back the project's own CSV outputs: a header row, then rows of the same number of
// fields (no quoting; fields never contain commas). JSON: common/json.hpp.
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


}  // namespace vivae
