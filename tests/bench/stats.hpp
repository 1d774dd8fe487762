// The machine here is shared and a benchmark's time varies by ±10 % or more between runs:
// besides the median of the repetitions, each benchmark reports their minimum, the run least
// disturbed, from which ratios (a step against its GEMMs, 1 thread against 2) are read.
#pragma once
#include <algorithm>
#include <vector>

inline double min_of(const std::vector<double>& v) { return v.empty() ? 0 : *std::min_element(v.begin(), v.end()); }
