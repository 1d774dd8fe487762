// Number formatting for the CSV files and the report: a fixed, locale-free format, so the same
// values always give the same bytes. (JSON: common/json.hpp.)
#pragma once
#include <string>
#include <vector>

namespace vivae {

std::string fmt(double x);  // shortest round-trip form, "inf", "-inf", "nan"
std::string fmt_fixed(double x, int digits);
std::string fmt_list(const std::vector<double>& v);  // fmt of each, space-separated

}  // namespace vivae
