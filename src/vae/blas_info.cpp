#include "vae/blas_info.hpp"

extern "C" {
char* openblas_get_corename(void);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int);
}

namespace vivae {

std::string blas_core_name() { return openblas_get_corename(); }
int blas_threads() { return openblas_get_num_threads(); }
void blas_set_threads(int n) { openblas_set_num_threads(n); }

}  // namespace vivae
