// Wall time for progress lines and the printed run times (never in a result that must be
// byte-identical; summary.json's timing keys are the one documented exception).
#pragma once
#include <chrono>

namespace vivae {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

}  // namespace vivae
