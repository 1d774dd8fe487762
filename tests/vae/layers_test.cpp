#include "vae/layers.hpp"

#include <gtest/gtest.h>

#include "grad_check.hpp"

using namespace vivae;
using vivae::testing::expect_gradient;

// A fixed random linear functional of the output turns a layer into a scalar to check.
static double project(const arma::mat& out, const arma::mat& c) { return arma::accu(out % c); }

TEST(Dense, BackwardMatchesFiniteDifferences) {
  arma::arma_rng::set_seed(1);
  arma::mat in(5, 3, arma::fill::randn), w(4, 5, arma::fill::randn), b(4, 1, arma::fill::randn);
  const arma::mat c(4, 3, arma::fill::randn);
  arma::mat out, d_in, d_w, d_b;
  dense_forward(out, in, w, b);
  dense_backward(&d_in, d_w, d_b, c, in, w);  // d_out = c for f = Σ out ⊙ c
  auto f = [&] {
    arma::mat o;
    dense_forward(o, in, w, b);
    return project(o, c);
  };
  expect_gradient(in, d_in, f, "dense d_in");
  expect_gradient(w, d_w, f, "dense d_w");
  expect_gradient(b, d_b, f, "dense d_b");
}

TEST(Dense, ForwardIsTheAffineMap) {
  const arma::mat in = {{1, 2}, {3, 4}}, w = {{1, 0}, {2, -1}}, b = arma::colvec{10, 20};
  arma::mat out;
  dense_forward(out, in, w, b);
  const arma::mat expected = {{11, 12}, {19, 20}};
  EXPECT_TRUE(arma::approx_equal(out, expected, "absdiff", 0));
}

TEST(Tanh, BackwardMatchesFiniteDifferences) {
  arma::arma_rng::set_seed(2);
  arma::mat a(6, 4, arma::fill::randn);
  const arma::mat c(6, 4, arma::fill::randn);
  arma::mat h;
  tanh_forward(h, a);
  arma::mat d = c;
  tanh_backward(d, h);
  auto f = [&] {
    arma::mat hh;
    tanh_forward(hh, a);
    return project(hh, c);
  };
  expect_gradient(a, d, f, "tanh");
}
