#include "vae/evaluate.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace vivae;

TEST(Evaluate, ImportanceWeightedBoundIsAboveTheElboAndGrowsWithK) {
  Widths w;
  Rng rng = make_rng(5, 0);
  const Params<double> p = init_params<double>(w, rng);
  arma::mat x(196, 20);
  for (arma::uword i = 0; i < x.n_elem; ++i) x(i) = uniform(rng) < 0.3 ? 1 : 0;
  Rng e1 = make_rng(6, 0), e2 = make_rng(6, 0);
  const SetEval k1 = evaluate_set(p, x, 1, e1);
  const SetEval k200 = evaluate_set(p, x, 200, e2);
  // L_1 is a one-sample ELBO estimate (KL by Monte Carlo instead of analytically), so it
  // agrees with the ELBO up to sampling noise; L_k increases with k (Burda et al., Thm 1).
  EXPECT_NEAR(k1.iwae, k1.elbo, 0.5);
  EXPECT_GT(k200.iwae, k200.elbo);
  EXPECT_GT(k200.iwae, k1.iwae);
  EXPECT_NEAR(k200.kl, k1.kl, 1e-12);  // analytic
  // The curve ends at L_k itself and rises with the group size.
  ASSERT_FALSE(k200.iwae_curve.empty());
  EXPECT_EQ(k200.iwae_curve.back().first, 200);
  EXPECT_NEAR(k200.iwae_curve.back().second, k200.iwae, 1e-9);
  for (size_t i = 1; i < k200.iwae_curve.size(); ++i) EXPECT_GT(k200.iwae_curve[i].second, k200.iwae_curve[i - 1].second);
}
