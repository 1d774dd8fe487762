// The one thread helper: f(piece, worker) for piece = 0 … pieces − 1 on up to `threads`
// threads (OpenMP; serial when the build has no OpenMP or threads = 1).
// Same bits at any thread count is the caller's design, not this helper's: a piece must
// compute the same thing whichever worker runs it, and results must be combined in piece
// order afterwards. `worker` (0 … threads − 1) only selects scratch space. Pieces are dealt
// round-robin (piece p to worker p mod threads), the same way every call, so data a piece
// touched in one call is still in that core's cache in the next.
#pragma once
#include <exception>
#include <vector>
#if defined(_OPENMP)
#include <omp.h>
#endif

namespace vivae {

// All cores of this machine (at least 1).
int hardware_threads();

template <class F>
void parallel_for(int pieces, int threads, F&& f) {
  if (pieces <= 0) return;
  std::vector<std::exception_ptr> errors(static_cast<size_t>(pieces));
#if defined(_OPENMP)
  const int t = threads < 1 ? 1 : (threads > pieces ? pieces : threads);
#pragma omp parallel for num_threads(t) schedule(static, 1) if (t > 1)
#endif
  for (int p = 0; p < pieces; ++p) {
    try {
#if defined(_OPENMP)
      f(p, omp_get_thread_num());
#else
      f(p, 0);
#endif
    } catch (...) {  // an exception must not leave an OpenMP region; rethrown below
      errors[static_cast<size_t>(p)] = std::current_exception();
    }
  }
  (void)threads;
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace vivae
