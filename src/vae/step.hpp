// The training step of the VAE, fast: the ELBO (5) of a mini-batch, its gradient and the
// optimiser update, on raw arrays with one GEMM per product, fused elementwise passes and
// the work split over threads.
//
// Same bits at any thread count. The batch's images are split into kShards fixed ranges
// (shard s: images [n·s/kShards, n·(s+1)/kShards)). Each shard runs, on its own columns only,
// the forward pass, the backward pass, and its part of every weight and bias gradient (GEMMs
// over its columns), into a gradient of its own. Then the parameters are split into kShards
// fixed element ranges; each range sums the shards' gradients in shard order and applies the
// optimiser. Threads only decide who runs which shard or range, and sums run in shard order.
//
// Layout: an activation of the encoder is (width × n), one column per image; of the decoder
// (width × n·L), sample l of image b in column b·L + l (image-major), so a shard is a
// contiguous block of columns on both sides and ε is drawn in that order.
// The plain Armadillo statement of the same math is tests/vae/plain_vae.hpp.
#pragma once
#include <armadillo>

#include "vae/optim.hpp"
#include "vae/vae.hpp"

namespace vivae {

// Two shards: both cores of the machine this was built for, and two K = 50/100 GEMMs cost
// what one K = 100/200 GEMM does. More shards would let more cores help, at a cost per core.
constexpr int kShards = 2;

// Activations and their gradients for one mini-batch, reused across steps.
template <class T>
struct StepBuffers {
  arma::Mat<T> h1, e, z, h3, a;            // forward: encoder hidden, [μ; log σ²], z, decoder hidden, W4·h3
  arma::Mat<T> d_a, d_h3, d_z, d_e, d_h1;  // backward
  Params<T> shard_grad;                    // shard 1's gradient (shard 0's goes straight into the result)
  void resize(const Widths& w, arma::uword n, int samples, bool backward);
};

// Forward pass only (validation): the batch's ELBO terms. x is (input × n), eps (latent × n·L).
template <class T>
ElboTerms elbo_forward(const Params<T>& p, const arma::Mat<T>& x, const arma::Mat<T>& eps, StepBuffers<T>& b,
                       int threads);

// Forward and backward: the gradient of the loss −ELBO into g; returns the terms.
template <class T>
ElboTerms elbo_gradient(Params<T>& g, const Params<T>& p, const arma::Mat<T>& x, const arma::Mat<T>& eps,
                        StepBuffers<T>& b, int threads);

// One optimiser step on the batch; grad is scratch space (shard 0's part of the gradient; the
// update adds shard 1's as it goes, without storing the sum). If the loss is not
// finite, nothing is updated and the terms come back NaN. A non-finite gradient is found in
// the update's own pass (a separate scan would cost a pass over every parameter per step): the
// terms come back NaN too, after the parameters were updated; training stops there, and what
// it writes comes from before (the last checkpoint).
template <class T>
ElboTerms train_step(Params<T>& p, Params<T>& grad, Optimiser<T>& opt, const arma::Mat<T>& x, const arma::Mat<T>& eps,
                     StepBuffers<T>& b, int threads);

}  // namespace vivae
