#include "common/format.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace vivae {

std::string fmt(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  char buf[40];
  for (int prec = 6; prec <= 17; ++prec) {  // shortest form that reads back exactly
    std::snprintf(buf, sizeof buf, "%.*g", prec, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

std::string fmt_fixed(double x, int digits) {
  if (!std::isfinite(x)) return fmt(x);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string fmt_list(const std::vector<double>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? " " : "") + fmt(v[i]);
  return s;
}

}  // namespace vivae
