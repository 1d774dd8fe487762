#include "vae/optim.hpp"

#include <gtest/gtest.h>

using namespace vivae;

namespace {
Params<double> filled(const Widths& w, double v) {
  Params<double> p = zeros_like<double>(w);
  for (arma::mat* m : tensors(p)) m->fill(v);
  return p;
}
}  // namespace

TEST(Adam, FirstStepMovesEachParameterByLrAgainstTheGradientSign) {
  // After one step m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g).
  Widths w;
  w.input = 3, w.enc_hidden = 2, w.latent = 1, w.dec_hidden = 2;
  Params<double> p = filled(w, 1.0), g = filled(w, 0.0);
  g.w1(0, 0) = 5.0;
  g.b4(1, 0) = -0.01;
  Optimiser<double> o = make_optimiser(OptimKind::adam, 0.1, p);
  optimiser_update(o, p, g);
  EXPECT_NEAR(p.w1(0, 0), 1.0 - 0.1, 1e-8);
  // ε enters as ε/√(1−β₂) relative to |g| = 0.01 in this form: 1e-8/0.0316/0.01 ≈ 3e-5 of the step.
  EXPECT_NEAR(p.b4(1, 0), 1.0 + 0.1, 1e-5);
  EXPECT_EQ(p.w2(0, 0), 1.0);  // zero gradient, no move
}

TEST(Adagrad, FirstStepIsLrTimesSignAndStepsShrink) {
  Widths w;
  w.input = 2, w.enc_hidden = 1, w.latent = 1, w.dec_hidden = 1;
  Params<double> p = filled(w, 0.0), g = filled(w, 2.0);
  Optimiser<double> o = make_optimiser(OptimKind::adagrad, 0.5, p);
  optimiser_update(o, p, g);
  EXPECT_NEAR(p.w1(0, 0), -0.5, 1e-8);
  optimiser_update(o, p, g);  // second step: 0.5·2/√8
  EXPECT_NEAR(p.w1(0, 0), -0.5 - 0.5 * 2 / std::sqrt(8.0), 1e-8);
}

TEST(Adam, MinimisesAQuadratic) {
  Widths w;
  w.input = 2, w.enc_hidden = 2, w.latent = 1, w.dec_hidden = 1;
  Params<double> p = filled(w, 3.0), g = zeros_like<double>(w);
  Optimiser<double> o = make_optimiser(OptimKind::adam, 0.05, p);
  for (int it = 0; it < 2000; ++it) {
    auto ps = tensors(p);
    auto gs = tensors(g);
    for (size_t i = 0; i < ps.size(); ++i) *gs[i] = 2 * (*ps[i] - 1.0);  // ∇ of Σ (p − 1)²
    optimiser_update(o, p, g);
  }
  for (const arma::mat* m : tensors(p)) EXPECT_LT(arma::abs(*m - 1.0).max(), 1e-3);
}
