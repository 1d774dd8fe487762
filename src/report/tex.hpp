// LaTeX output for the report: macros holding generated numbers, tables, and number
// formatting. Every number the report prints comes through here from results/.
#pragma once
#include <string>
#include <vector>

namespace vivae {

// \newcommand{\name}{value}; name must be letters only (TeX control words).
std::string tex_macro(const std::string& name, const std::string& value);
// Fixed decimals, with a real minus sign in math mode: "$-33.71$".
std::string tex_fixed(double x, int digits);
// Scientific for small errors: "$3.6\times10^{-14}$"; exactly 0 → "$0$"; inf → "$\infty$".
std::string tex_sci(double x, int digits = 1);
std::string tex_int(long long x);
std::string tex_escape(const std::string& s);  // _ % & # $ { } \\ ~ ^ for text

// A booktabs table body: header row, then rows; `spec` is the column spec, e.g. "rrr".
std::string tex_tabular(const std::string& spec, const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

// Mean and sample standard deviation (n − 1 in the denominator; 0 for fewer than two values),
// and "$m\pm s$" with `digits` decimals ("---" for no values): the spread over seeds.
double mean_of(const std::vector<double>& x);
double sample_sd(const std::vector<double>& x);
std::string tex_mean_sd(const std::vector<double>& x, int digits);

// Trailing moving average over `window` values (shorter at the start).
std::vector<double> moving_average(const std::vector<double>& x, size_t window);

}  // namespace vivae
