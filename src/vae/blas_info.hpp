// What OpenBLAS is doing: its kernel set (core type) and thread count, for the records.
#pragma once
#include <string>

namespace vivae {

std::string blas_core_name();
int blas_threads();
// Results must not depend on threads: the apps pin OpenBLAS to one thread.
void blas_set_threads(int n);

}  // namespace vivae
