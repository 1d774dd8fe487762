// Optimisers: a few lines of state and one update each.
//   Adam (Kingma & Ba 2015): defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
//   Adagrad (Duchi et al. 2011), as used by Kingma & Welling (2014).
// Both minimise; the VAE's loss is −ELBO.
#pragma once
#include <armadillo>
#include <string>
#include <vector>

#include "vae/kernels.hpp"
#include "vae/model.hpp"

namespace vivae {

template <class T>
struct Optimiser {
  OptimKind kind = OptimKind::adam;
  double lr = 1e-3;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  long step = 0;
  std::vector<arma::Mat<T>> m, v;  // Adam: first/second moments; Adagrad: v = Σ g²
};

template <class T>
Optimiser<T> make_optimiser(OptimKind kind, double lr, const Params<T>& like) {
  Optimiser<T> o;
  o.kind = kind;
  o.lr = lr;
  for (const arma::Mat<T>* t : tensors(like)) {
    o.m.push_back(arma::zeros<arma::Mat<T>>(t->n_rows, t->n_cols));
    o.v.push_back(arma::zeros<arma::Mat<T>>(t->n_rows, t->n_cols));
  }
  return o;
}

// The coefficients of one update, shared by all its slices.
template <class T>
struct UpdateStep {
  T alpha, b1, b2, eps;
};

// Starts update number o.step + 1.
template <class T>
UpdateStep<T> begin_update(Optimiser<T>& o) {
  ++o.step;
  if (o.kind == OptimKind::adagrad) return {static_cast<T>(o.lr), 0, 0, static_cast<T>(o.eps)};
  // Bias corrections folded into the step size (the paper's "efficient" form, Sec. 2).
  const double c1 = 1 - std::pow(o.beta1, static_cast<double>(o.step));
  const double c2 = 1 - std::pow(o.beta2, static_cast<double>(o.step));
  return {static_cast<T>(o.lr * std::sqrt(c2) / c1), static_cast<T>(o.beta1), static_cast<T>(o.beta2),
          static_cast<T>(o.eps)};
}

// Updates elements [first, first + n) of tensor t (tensors() order) from their gradient g (or
// g + other when `other` is given); returns whether every gradient value is finite. Slices of
// one update may run on different threads: each touches only its own elements.
template <class T>
bool update_slice(Optimiser<T>& o, const UpdateStep<T>& c, size_t t, size_t first, size_t n, T* p, const T* g,
                  const T* other = nullptr) {
  T* v = o.v[t].memptr() + first;
  if (o.kind == OptimKind::adam) return adam_update(p, o.m[t].memptr() + first, v, g, other, n, c.alpha, c.b1, c.b2, c.eps);
  return adagrad_update(p, v, g, other, n, c.alpha, c.eps);
}

template <class T>
void optimiser_update(Optimiser<T>& o, Params<T>& p, const Params<T>& g) {
  const UpdateStep<T> c = begin_update(o);
  auto ps = tensors(p);
  auto gs = tensors(g);
  for (size_t i = 0; i < ps.size(); ++i) update_slice(o, c, i, 0, ps[i]->n_elem, ps[i]->memptr(), gs[i]->memptr());
}


}  // namespace vivae
