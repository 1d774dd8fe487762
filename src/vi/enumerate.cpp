#include "vi/enumerate.hpp"

#include <atomic>

namespace vivae {

static std::atomic<uint64_t> g_states{0};

uint64_t states_enumerated() { return g_states.load(); }
void count_states(uint64_t n) { g_states += n; }

}  // namespace vivae
