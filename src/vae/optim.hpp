// Optimisers: a few lines of state and one update each.
//   Adam (Kingma & Ba 2015): defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
//   Adagrad (Duchi et al. 2011), as used by Kingma & Welling (2014).
// Both minimise; the VAE's loss is −ELBO.
#pragma once
#include <armadillo>
#include <string>
#include <vector>

#include "vae/model.hpp"

namespace vivae {

enum class OptimKind { adam, adagrad };

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

template <class T>
void optimiser_update(Optimiser<T>& o, Params<T>& p, const Params<T>& g) {
  ++o.step;
  auto ps = tensors(p);
  auto gs = tensors(g);
  if (o.kind == OptimKind::adam) {
    // Bias corrections folded into the step size (the paper's "efficient" form, Sec. 2).
    const double c1 = 1 - std::pow(o.beta1, static_cast<double>(o.step));
    const double c2 = 1 - std::pow(o.beta2, static_cast<double>(o.step));
    const T alpha = static_cast<T>(o.lr * std::sqrt(c2) / c1);
    const T b1 = static_cast<T>(o.beta1), b2 = static_cast<T>(o.beta2), eps = static_cast<T>(o.eps);
    for (size_t i = 0; i < ps.size(); ++i) {
      T* pi = ps[i]->memptr();
      T* m = o.m[i].memptr();
      T* v = o.v[i].memptr();
      const T* gi = gs[i]->memptr();
      for (arma::uword k = 0; k < ps[i]->n_elem; ++k) {
        m[k] = b1 * m[k] + (1 - b1) * gi[k];
        v[k] = b2 * v[k] + (1 - b2) * gi[k] * gi[k];
        pi[k] -= alpha * m[k] / (std::sqrt(v[k]) + eps);
      }
    }
  } else {
    const T lr = static_cast<T>(o.lr), eps = static_cast<T>(o.eps);
    for (size_t i = 0; i < ps.size(); ++i) {
      o.v[i] += arma::square(*gs[i]);
      *ps[i] -= lr * (*gs[i] / (arma::sqrt(o.v[i]) + eps));
    }
  }
}

inline std::string optim_name(OptimKind k) { return k == OptimKind::adam ? "adam" : "adagrad"; }

}  // namespace vivae
