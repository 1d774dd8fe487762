#include "vae/step.hpp"

#include <array>
#include <cmath>

#include "vae/gemm.hpp"
#include "common/parallel.hpp"
#include "vae/kernels.hpp"
#include "vae/layers.hpp"

namespace vivae {

namespace {

struct Range {
  int first, count;
};
// Part i of `parts` nearly equal parts of [0, n).
Range split(arma::uword n, int parts, int i) {
  const auto first = static_cast<int>(n * static_cast<arma::uword>(i) / static_cast<arma::uword>(parts));
  const auto last = static_cast<int>(n * static_cast<arma::uword>(i + 1) / static_cast<arma::uword>(parts));
  return {first, last - first};
}

template <class T>
Widths widths_of(const Params<T>& p) {
  return {static_cast<int>(p.w1.n_cols), static_cast<int>(p.w1.n_rows), static_cast<int>(p.w3.n_cols),
          static_cast<int>(p.w3.n_rows)};
}

struct ShardSums {
  double recon = 0, kl = 0;  // Σ over the shard's samples of log p(x|z), Σ over its images of KL
};

// One layer's weight gradient over the shard's columns: forward was out = W·in + b, so
// dW = d_out·inᵀ (db = Σ_cols d_out comes from the kernel that wrote d_out).
template <class T>
void weight_gradient(arma::Mat<T>& d_w, const T* d_out, const T* in, int cols) {
  const int out = static_cast<int>(d_w.n_rows), inputs = static_cast<int>(d_w.n_cols);
  gemm('N', 'T', out, inputs, cols, T(1), d_out, out, in, inputs, T(0), d_w.memptr(), out);
}

// Forward pass of the images in r; with `g`, the backward pass on the same columns and the
// shard's whole gradient into g.
template <class T>
ShardSums shard_pass(const Params<T>& p, const arma::Mat<T>& x, const arma::Mat<T>& eps, StepBuffers<T>& b,
                     int samples, Range r, Params<T>* g, T recon_scale, T kl_scale) {
  ShardSums s;
  if (r.count == 0) {
    if (g)
      for (arma::Mat<T>* m : tensors(*g)) m->zeros();
    return s;
  }
  const int d = static_cast<int>(x.n_rows), enc = static_cast<int>(p.w1.n_rows);
  const int latent = static_cast<int>(p.w3.n_cols), dec = static_cast<int>(p.w3.n_rows);
  const int cols = r.count * samples;
  const auto first = static_cast<arma::uword>(r.first), first_col = first * static_cast<arma::uword>(samples);
  const T* xs = x.colptr(first);
  const T* ep = eps.colptr(first_col);
  T* h1 = b.h1.colptr(first);
  T* e = b.e.colptr(first);
  T* z = b.z.colptr(first_col);
  T* h3 = b.h3.colptr(first_col);
  T* a = b.a.colptr(first_col);  // W4·h3; the logits are a + b4
  // Encoder: h1 = tanh(W1·x + b1), e = W2·h1 + b2 = [μ; log σ²]; z = μ + σ ⊙ ε and the KL.
  matmul(h1, xs, p.w1, r.count);
  tanh_bias(h1, p.b1.memptr(), enc, r.count);
  dense_forward(e, h1, p.w2, p.b2, r.count);
  s.kl = reparameterise_kl(z, e, ep, latent, r.count, samples);
  // Decoder: h3 = tanh(W3·z + b3), logits a = W4·h3 + b4, and log p(x|z) (with d_a).
  matmul(h3, z, p.w3, cols);
  tanh_bias(h3, p.b3.memptr(), dec, cols);
  matmul(a, h3, p.w4, cols);
  T* d_a = g ? b.d_a.colptr(first_col) : nullptr;
  s.recon = bernoulli(d_a, g ? g->b4.memptr() : nullptr, a, p.b4.memptr(), xs, d, cols, samples, recon_scale);
  if (!g) return s;
  T* d_h3 = b.d_h3.colptr(first_col);
  T* d_z = b.d_z.colptr(first_col);
  T* d_e = b.d_e.colptr(first);
  T* d_h1 = b.d_h1.colptr(first);
  // Backward, layer by layer from the logits; each weight gradient as soon as its d_out is known.
  weight_gradient(g->w4, d_a, h3, cols);
  dense_backward_input(d_h3, d_a, p.w4, cols);
  tanh_backward(d_h3, g->b3.memptr(), h3, dec, cols);
  weight_gradient(g->w3, d_h3, z, cols);
  dense_backward_input(d_z, d_h3, p.w3, cols);
  reparameterise_kl_backward(d_e, g->b2.memptr(), d_z, e, ep, latent, r.count, samples, kl_scale);
  weight_gradient(g->w2, d_e, h1, r.count);
  dense_backward_input(d_h1, d_e, p.w2, r.count);
  tanh_backward(d_h1, g->b1.memptr(), h1, enc, r.count);
  weight_gradient(g->w1, d_h1, xs, r.count);
  return s;
}

// Phase 1 on every shard: shard 0's gradient into `g` (if given), shard 1's into b.shard_grad.
template <class T>
void run_shards(const Params<T>& p, const arma::Mat<T>& x, const arma::Mat<T>& eps, StepBuffers<T>& b, int threads,
                Params<T>* g, ElboTerms& terms) {
  static_assert(kShards == 2, "the gradient sum below adds exactly two shards");
  const arma::uword n = x.n_cols;
  const int samples = static_cast<int>(eps.n_cols / n);
  b.resize(widths_of(p), n, samples, g != nullptr);
  const T recon_scale = T(1) / T(n * static_cast<arma::uword>(samples)), kl_scale = T(1) / T(n);
  std::array<ShardSums, kShards> sums;
  std::array<Params<T>*, kShards> grads = {g, g ? &b.shard_grad : nullptr};
  parallel_for(kShards, threads, [&](int s, int) {
    const auto i = static_cast<size_t>(s);
    sums[i] = shard_pass(p, x, eps, b, samples, split(n, kShards, s), grads[i], recon_scale, kl_scale);
  });
  double recon = 0, kl = 0;
  for (const ShardSums& s : sums) recon += s.recon, kl += s.kl;
  terms.recon = recon / static_cast<double>(n * static_cast<arma::uword>(samples));
  terms.kl = kl / static_cast<double>(n);
}

// Phase 2: g += b.shard_grad over fixed element ranges and, with an optimiser, the update of
// those elements from the sum in the same pass; returns whether every sum is finite.
template <class T>
bool sum_and_update(Params<T>& g, StepBuffers<T>& b, Params<T>* p, Optimiser<T>* opt, int threads) {
  auto gs = tensors(g);
  auto others = tensors(b.shard_grad);
  std::array<arma::Mat<T>*, 8> ps{};
  if (p) ps = tensors(*p);
  const UpdateStep<T> c = opt ? begin_update(*opt) : UpdateStep<T>{};
  std::array<bool, kShards> finite{};
  parallel_for(kShards, threads, [&](int piece, int) {
    bool ok = true;
    for (size_t t = 0; t < gs.size(); ++t) {
      const Range r = split(gs[t]->n_elem, kShards, piece);
      T* gt = gs[t]->memptr() + r.first;
      const size_t count = static_cast<size_t>(r.count);
      const T* other = others[t]->memptr() + r.first;
      ok = (opt ? update_slice(*opt, c, t, static_cast<size_t>(r.first), count, ps[t]->memptr() + r.first, gt, other)
                : add_into(gt, other, count)) && ok;
    }
    finite[static_cast<size_t>(piece)] = ok;
  });
  return finite[0] && finite[1];
}

}  // namespace

template <class T>
void StepBuffers<T>::resize(const Widths& w, arma::uword n, int samples, bool backward) {
  const arma::uword nl = n * static_cast<arma::uword>(samples);
  const auto enc = static_cast<arma::uword>(w.enc_hidden), dec = static_cast<arma::uword>(w.dec_hidden);
  const auto latent = static_cast<arma::uword>(w.latent), input = static_cast<arma::uword>(w.input);
  h1.set_size(enc, n);
  e.set_size(2 * latent, n);
  z.set_size(latent, nl);
  h3.set_size(dec, nl);
  a.set_size(input, nl);
  if (!backward) return;
  if (shard_grad.w1.n_rows != enc || shard_grad.w1.n_cols != input || shard_grad.w3.n_rows != dec ||
      shard_grad.w3.n_cols != latent)
    shard_grad = zeros_like<T>(w);
  d_a.set_size(input, nl);
  d_h3.set_size(dec, nl);
  d_z.set_size(latent, nl);
  d_e.set_size(2 * latent, n);
  d_h1.set_size(enc, n);
}

template <class T>
ElboTerms elbo_forward(const Params<T>& p, const arma::Mat<T>& x, const arma::Mat<T>& eps, StepBuffers<T>& b,
                       int threads) {
  ElboTerms t;
  run_shards(p, x, eps, b, threads, static_cast<Params<T>*>(nullptr), t);
  return t;
}

template <class T>
ElboTerms elbo_gradient(Params<T>& g, const Params<T>& p, const arma::Mat<T>& x, const arma::Mat<T>& eps,
                        StepBuffers<T>& b, int threads) {
  ElboTerms t;
  run_shards(p, x, eps, b, threads, &g, t);
  sum_and_update<T>(g, b, nullptr, nullptr, threads);
  return t;
}

template <class T>
ElboTerms train_step(Params<T>& p, Params<T>& grad, Optimiser<T>& opt, const arma::Mat<T>& x, const arma::Mat<T>& eps,
                     StepBuffers<T>& b, int threads) {
  ElboTerms t;
  run_shards(p, x, eps, b, threads, &grad, t);
  if (!std::isfinite(t.elbo())) return ElboTerms{NAN, NAN};
  if (!sum_and_update(grad, b, &p, &opt, threads)) return ElboTerms{NAN, NAN};
  return t;
}

template struct StepBuffers<float>;
template struct StepBuffers<double>;
template ElboTerms elbo_forward<float>(const Params<float>&, const arma::fmat&, const arma::fmat&, StepBuffers<float>&, int);
template ElboTerms elbo_forward<double>(const Params<double>&, const arma::mat&, const arma::mat&, StepBuffers<double>&,
                                        int);
template ElboTerms elbo_gradient<float>(Params<float>&, const Params<float>&, const arma::fmat&, const arma::fmat&,
                                        StepBuffers<float>&, int);
template ElboTerms elbo_gradient<double>(Params<double>&, const Params<double>&, const arma::mat&, const arma::mat&,
                                         StepBuffers<double>&, int);
template ElboTerms train_step<float>(Params<float>&, Params<float>&, Optimiser<float>&, const arma::fmat&,
                                     const arma::fmat&, StepBuffers<float>&, int);
template ElboTerms train_step<double>(Params<double>&, Params<double>&, Optimiser<double>&, const arma::mat&,
                                      const arma::mat&, StepBuffers<double>&, int);

}  // namespace vivae
