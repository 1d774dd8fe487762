#include "report/tex.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "common/errors.hpp"

namespace vivae {

std::string tex_macro(const std::string& name, const std::string& value) {
  for (char c : name)
    if (!std::isalpha(static_cast<unsigned char>(c))) throw UsageError("TeX macro name '" + name + "' must be letters only");
  return "\\newcommand{\\" + name + "}{" + value + "}\n";
}

std::string tex_fixed(double x, int digits) {
  if (std::isinf(x)) return x > 0 ? "$\\infty$" : "$-\\infty$";
  if (std::isnan(x)) return "NaN";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  std::string s = buf;
  if (s == "-0" || s.rfind("-0.", 0) == 0) {  // no "−0.00"
    bool zero = true;
    for (char c : s) zero &= (c == '-' || c == '0' || c == '.');
    if (zero) s = s.substr(1);
  }
  return "$" + s + "$";
}

std::string tex_sci(double x, int digits) {
  if (x == 0) return "$0$";
  if (std::isinf(x)) return x > 0 ? "$\\infty$" : "$-\\infty$";
  if (std::isnan(x)) return "NaN";
  int e = static_cast<int>(std::floor(std::log10(std::fabs(x))));
  double m = x / std::pow(10.0, e);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, m);
  if (std::fabs(std::atof(buf)) >= 10) {  // rounding carried into a new digit
    ++e;
    std::snprintf(buf, sizeof buf, "%.*f", digits, m / 10);
  }
  return "$" + std::string(buf) + "\\times10^{" + std::to_string(e) + "}$";
}

std::string tex_int(long long x) { return std::to_string(x); }

std::string tex_escape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {  // two hyphens, not an en dash
      out += "-{}";
      continue;
    }
    if (c == '_' || c == '%' || c == '&' || c == '#' || c == '$' || c == '{' || c == '}') out += '\\';
    if (c == '\\') {
      out += "\\textbackslash{}";
      continue;
    }
    if (c == '~') {
      out += "\\textasciitilde{}";
      continue;
    }
    if (c == '^') {
      out += "\\textasciicircum{}";
      continue;
    }
    out += c;
  }
  return out;
}

std::string tex_tabular(const std::string& spec, const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  auto line = [](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) s += (i ? " & " : "") + cells[i];
    return s + " \\\\\n";
  };
  std::string s = "\\begin{tabular}{" + spec + "}\n\\toprule\n" + line(header) + "\\midrule\n";
  for (const auto& r : rows) s += line(r);
  return s + "\\bottomrule\n\\end{tabular}\n";
}

double mean_of(const std::vector<double>& x) {
  double s = 0;
  for (double v : x) s += v;
  return x.empty() ? NAN : s / static_cast<double>(x.size());
}

double sample_sd(const std::vector<double>& x) {
  if (x.size() < 2) return 0;
  const double m = mean_of(x);
  double s = 0;
  for (double v : x) s += (v - m) * (v - m);
  return std::sqrt(s / static_cast<double>(x.size() - 1));
}

std::string tex_mean_sd(const std::vector<double>& x, int digits) {
  if (x.empty()) return "---";
  auto bare = [](const std::string& math) { return math.substr(1, math.size() - 2); };  // both inside one $…$
  return "$" + bare(tex_fixed(mean_of(x), digits)) + "\\pm" + bare(tex_fixed(sample_sd(x), digits)) + "$";
}

std::vector<double> moving_average(const std::vector<double>& x, size_t window) {
  std::vector<double> out(x.size());
  double sum = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sum += x[i];
    if (i >= window) sum -= x[i - window];
    out[i] = sum / static_cast<double>(std::min(i + 1, window));
  }
  return out;
}

}  // namespace vivae
