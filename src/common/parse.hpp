// Strict option parsing: the whole string must be a value (no trailing garbage), finite unless
// allowed, in range. Each failure throws UsageError naming the option and the value.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace vivae {

double parse_double(const std::string& option, const std::string& text, bool allow_inf = false);
long long parse_int(const std::string& option, const std::string& text, long long lo, long long hi);
uint64_t parse_seed(const std::string& option, const std::string& text);

// "5", "1,2,3", "1:20" (inclusive), or a mix "1:4,8"; every value in [lo, hi].
std::vector<int> parse_int_list(const std::string& option, const std::string& text, int lo, int hi);
// Comma list of non-negative numbers; "inf" allowed.
std::vector<double> parse_beta_list(const std::string& option, const std::string& text);

void require_positive(const std::string& option, double x);
void require_range(const std::string& option, double x, double lo, double hi);

}  // namespace vivae
