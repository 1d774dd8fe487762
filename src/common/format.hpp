// Text output helpers shared by the CSV and JSON writers: numbers are printed with a fixed,
// locale-free format so the same values always give the same bytes.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace vivae {

std::string fmt(double x);              // shortest round-trip form, "inf", "-inf", "nan"
std::string fmt_fixed(double x, int digits);
std::string json_number(double x);      // non-finite values become JSON strings

// A tiny ordered JSON object writer: keys keep insertion order.
struct Json {
  std::vector<std::pair<std::string, std::string>> fields;  // key -> rendered value
  Json& num(const std::string& key, double x);
  Json& integer(const std::string& key, long long x);
  Json& str(const std::string& key, const std::string& s);
  Json& boolean(const std::string& key, bool b);
  Json& obj(const std::string& key, const Json& j);
  std::string render(int indent = 0) const;
};

std::string json_escape(const std::string& s);

}  // namespace vivae
