// C = alpha·op(A)·op(B) + beta·C on raw column-major arrays, straight to OpenBLAS through its
// CBLAS interface (Armadillo would copy a sub-block of columns or rows; here a block is a
// pointer and a leading dimension). op(X) = X for 'N', Xᵀ for 'T'; op(A) is m × k, op(B) is
// k × n, C is m × n.
#pragma once
#include <cblas.h>

namespace vivae {

inline CBLAS_TRANSPOSE cblas_op(char t) { return t == 'T' ? CblasTrans : CblasNoTrans; }

inline void gemm(char ta, char tb, int m, int n, int k, float alpha, const float* a, int lda, const float* b, int ldb,
                 float beta, float* c, int ldc) {
  if (m > 0 && n > 0) cblas_sgemm(CblasColMajor, cblas_op(ta), cblas_op(tb), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
inline void gemm(char ta, char tb, int m, int n, int k, double alpha, const double* a, int lda, const double* b,
                 int ldb, double beta, double* c, int ldc) {
  if (m > 0 && n > 0) cblas_dgemm(CblasColMajor, cblas_op(ta), cblas_op(tb), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

}  // namespace vivae
