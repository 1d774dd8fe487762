// Central finite differences in double precision: (f(x+h) − f(x−h)) / 2h for each entry.
// With h = 1e-5 the truncation error is O(h²) ≈ 1e-10·|f'''| and the rounding error of the
// two evaluations ≈ ε·|f|/h ≈ 2e-11·|f| (absolute, whatever the size of the derivative). So
// an entry passes if |numeric − analytic| ≤ 1e-6·(|numeric| + |analytic|) + 16ε·|f|/h: wide
// margins over both errors, while any wrong term shows up at the 1e-2 to 1 relative level.
#pragma once
#include <gtest/gtest.h>

#include <armadillo>
#include <cmath>
#include <functional>

namespace vivae::testing {

constexpr double kFdStep = 1e-5;
constexpr double kFdRelTol = 1e-6;

inline double rel_err(double a, double b) { return std::fabs(a - b) / std::max(1e-8, std::fabs(a) + std::fabs(b)); }
// The rounding part of the tolerance, for a function of size |f|.
inline double fd_rounding(double f) { return 16 * 2.220446049250313e-16 * std::max(1.0, std::fabs(f)) / kFdStep; }

// Checks analytic gradient `grad` of scalar f with respect to every entry of `x` (modified
// in place and restored).
inline void expect_gradient(arma::mat& x, const arma::mat& grad, const std::function<double()>& f,
                            const std::string& what) {
  ASSERT_EQ(x.n_elem, grad.n_elem) << what;
  double worst = 0;
  const double rounding = fd_rounding(f());
  for (arma::uword i = 0; i < x.n_elem; ++i) {
    const double x0 = x(i);
    x(i) = x0 + kFdStep;
    const double fp = f();
    x(i) = x0 - kFdStep;
    const double fm = f();
    x(i) = x0;
    const double num = (fp - fm) / (2 * kFdStep);
    worst = std::max(worst, rel_err(num, grad(i)));
    EXPECT_LE(std::fabs(num - grad(i)), kFdRelTol * (std::fabs(num) + std::fabs(grad(i))) + rounding)
        << what << " entry " << i << ": numeric " << num << " analytic " << grad(i);
  }
  ::testing::Test::RecordProperty(what + "_worst_rel_err", std::to_string(worst));
}

}  // namespace vivae::testing
