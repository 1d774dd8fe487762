#include "common/parse.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "common/errors.hpp"

namespace vivae {

static std::string opt_name(const std::string& option) { return "--" + option; }

static std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

double parse_double(const std::string& option, const std::string& text_in, bool allow_inf) {
  const std::string text = trim(text_in);
  if (text.empty()) throw UsageError(opt_name(option) + ": empty value");
  if (allow_inf && (text == "inf" || text == "Inf" || text == "INF" || text == "infinity"))
    return INFINITY;
  errno = 0;
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0')
    throw UsageError(opt_name(option) + ": '" + text_in + "' is not a number");
  if (std::isnan(x)) throw UsageError(opt_name(option) + ": NaN is not allowed");
  if (std::isinf(x) && !allow_inf)
    throw UsageError(opt_name(option) + ": '" + text_in + "' must be finite");
  if (errno == ERANGE && std::isinf(x))
    throw UsageError(opt_name(option) + ": '" + text_in + "' is out of range");
  return x;
}

long long parse_int(const std::string& option, const std::string& text_in, long long lo, long long hi) {
  const std::string text = trim(text_in);
  if (text.empty()) throw UsageError(opt_name(option) + ": empty value");
  errno = 0;
  char* end = nullptr;
  const long long x = std::strtoll(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0')
    throw UsageError(opt_name(option) + ": '" + text_in + "' is not an integer");
  if (errno == ERANGE || x < lo || x > hi)
    throw UsageError(opt_name(option) + ": " + text_in + " is out of range [" + std::to_string(lo) +
                     ", " + std::to_string(hi) + "]");
  return x;
}

uint64_t parse_seed(const std::string& option, const std::string& text_in) {
  const std::string text = trim(text_in);
  if (text.empty() || text[0] == '-' || text[0] == '+')
    throw UsageError(opt_name(option) + ": '" + text_in + "' is not a non-negative integer");
  errno = 0;
  char* end = nullptr;
  const unsigned long long x = std::strtoull(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0')
    throw UsageError(opt_name(option) + ": '" + text_in + "' is not a non-negative integer");
  if (errno == ERANGE) throw UsageError(opt_name(option) + ": '" + text_in + "' is out of range");
  return x;
}

namespace {
// A value given twice would be counted twice (checks, seeds): refused, naming it.
template <class T>
void refuse_duplicates(const std::string& option, const std::vector<T>& values) {
  for (size_t i = 0; i < values.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (values[i] == values[j]) {
        std::ostringstream v;
        v << values[i];
        throw UsageError(opt_name(option) + ": " + v.str() + " is given twice");
      }
}
}  // namespace

std::vector<int> parse_int_list(const std::string& option, const std::string& text, int lo, int hi) {
  std::vector<int> out;
  std::stringstream ss(text);
  std::string item;
  if (trim(text).empty()) throw UsageError(opt_name(option) + ": empty value");
  while (std::getline(ss, item, ',')) {
    const auto colon = item.find(':');
    if (colon == std::string::npos) {
      out.push_back(static_cast<int>(parse_int(option, item, lo, hi)));
      continue;
    }
    const int a = static_cast<int>(parse_int(option, item.substr(0, colon), lo, hi));
    const int b = static_cast<int>(parse_int(option, item.substr(colon + 1), lo, hi));
    if (b < a) throw UsageError(opt_name(option) + ": range '" + item + "' is empty");
    for (int v = a; v <= b; ++v) out.push_back(v);
  }
  if (out.empty() || text.back() == ',') throw UsageError(opt_name(option) + ": '" + text + "' has an empty item");
  refuse_duplicates(option, out);
  return out;
}

std::vector<double> parse_beta_list(const std::string& option, const std::string& text) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string item;
  if (trim(text).empty()) throw UsageError(opt_name(option) + ": empty value");
  while (std::getline(ss, item, ',')) {
    const double b = parse_double(option, item, true);
    if (b < 0) throw UsageError(opt_name(option) + ": " + trim(item) + " is negative");
    out.push_back(b);
  }
  if (out.empty() || text.back() == ',') throw UsageError(opt_name(option) + ": '" + text + "' has an empty item");
  refuse_duplicates(option, out);
  return out;
}

void require_positive(const std::string& option, double x) {
  if (!(x > 0)) throw UsageError(opt_name(option) + ": must be positive");
}

void require_range(const std::string& option, double x, double lo, double hi) {
  if (!(x >= lo && x <= hi))
    throw UsageError(opt_name(option) + ": " + std::to_string(x) + " is outside [" + std::to_string(lo) +
                     ", " + std::to_string(hi) + "]");
}

}  // namespace vivae
