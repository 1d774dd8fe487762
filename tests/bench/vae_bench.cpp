// One training step (batch 100, L = 2) and the matrix products it is made of, at the same
// shapes, so the step's FLOP rate can be read against the machine's GEMM rate.
#include <benchmark/benchmark.h>

#include "bench/stats.hpp"

#include "vae/blas_info.hpp"
#include "vae/gemm.hpp"
#include "vae/train.hpp"

using namespace vivae;

namespace {
constexpr int kBatch = 100, kSamples = 2;

// FLOPs of the step's matrix products (2·m·n·k each): forward, backward data and weight grads.
double step_gemm_flops(const Widths& w) {
  const double b = kBatch, bl = kBatch * kSamples;
  const double fwd = w.enc_hidden * w.input * b + 2.0 * w.latent * w.enc_hidden * b + w.dec_hidden * w.latent * bl +
                     w.input * w.dec_hidden * bl;
  const double bwd = w.input * w.dec_hidden * bl * 2 + w.dec_hidden * w.latent * bl * 2 +
                     2.0 * w.latent * w.enc_hidden * b * 2 + w.enc_hidden * w.input * b;
  return 2 * (fwd + bwd);
}

// One training step (forward, backward, optimiser) at state.range(0) threads.
template <class T>
void BM_TrainStep(benchmark::State& state) {
  blas_set_threads(1);
  const int threads = static_cast<int>(state.range(0));
  const Widths w;
  Rng rng = make_rng(1, 0);
  Params<T> p = init_params<T>(w, rng), g = zeros_like<T>(w);
  Optimiser<T> opt = make_optimiser(OptimKind::adam, 1e-3, p);
  arma::Mat<T> x(w.input, kBatch), eps(w.latent, kBatch * kSamples);
  for (arma::uword i = 0; i < x.n_elem; ++i) x(i) = uniform(rng) < 0.2 ? 1 : 0;
  fill_normal(eps, rng);
  StepBuffers<T> b;
  for (auto _ : state) benchmark::DoNotOptimize(train_step(p, g, opt, x, eps, b, threads).recon);
  state.counters["GFLOPs"] = benchmark::Counter(step_gemm_flops(w) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_TrainStep, float)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMicrosecond)->UseRealTime()->ComputeStatistics("min", min_of);
BENCHMARK_TEMPLATE(BM_TrainStep, double)->Arg(1)->ArgName("threads")->Unit(benchmark::kMicrosecond)->UseRealTime()->ComputeStatistics("min", min_of);

// Every product of one step, at its shape and transpose pattern, and nothing else: with
// state.range(0) = 1 over the whole batch, with 2 per shard as the step splits them (each
// product over half the batch's columns, the weight gradients over half the K dimension).
template <class T>
void BM_StepGemms(benchmark::State& state) {
  blas_set_threads(1);
  const Widths w;
  const int parts = static_cast<int>(state.range(0));
  const int b = kBatch, bl = kBatch * kSamples;
  using M = arma::Mat<T>;
  M w1(w.enc_hidden, w.input, arma::fill::randu), w2(2 * w.latent, w.enc_hidden, arma::fill::randu);
  M w3(w.dec_hidden, w.latent, arma::fill::randu), w4(w.input, w.dec_hidden, arma::fill::randu);
  M x(w.input, b, arma::fill::randu), h1(w.enc_hidden, b, arma::fill::randu), e(2 * w.latent, b, arma::fill::randu);
  M z(w.latent, bl, arma::fill::randu), h3(w.dec_hidden, bl, arma::fill::randu), a(w.input, bl, arma::fill::randu);
  M o1(w1.n_rows, b), o2(w2.n_rows, b), o3(w3.n_rows, bl), o4(w4.n_rows, bl), d1(w2.n_cols, b), d2(w3.n_cols, bl),
      d3(w4.n_cols, bl), g1(w1.n_rows, w1.n_cols), g2(w2.n_rows, w2.n_cols), g3(w3.n_rows, w3.n_cols),
      g4(w4.n_rows, w4.n_cols);
  auto rows = [](const M& m) { return static_cast<int>(m.n_rows); };
  // Forward and input-gradient products of columns [c0, c1): C = op(W)·B.
  auto apply = [&](char tw, const M& W, const M& B, M& C, int c0, int c1) {
    gemm(tw, 'N', rows(C), c1 - c0, rows(B), T(1), W.memptr(), rows(W), B.colptr(c0), rows(B), T(0), C.colptr(c0), rows(C));
  };
  // A weight gradient over columns [c0, c1): G = D·INᵀ.
  auto weight = [&](const M& D, const M& IN, M& G, int c0, int c1) {
    gemm('N', 'T', rows(G), static_cast<int>(G.n_cols), c1 - c0, T(1), D.colptr(c0), rows(D), IN.colptr(c0), rows(IN), T(0),
         G.memptr(), rows(G));
  };
  for (auto _ : state) {
    for (int s = 0; s < parts; ++s) {
      const int i0 = b * s / parts, i1 = b * (s + 1) / parts, s0 = i0 * kSamples, s1 = i1 * kSamples;
      apply('N', w1, x, o1, i0, i1), apply('N', w2, h1, o2, i0, i1);  // forward
      apply('N', w3, z, o3, s0, s1), apply('N', w4, h3, o4, s0, s1);
      weight(a, h3, g4, s0, s1), apply('T', w4, a, d3, s0, s1);  // backward, layer by layer
      weight(h3, z, g3, s0, s1), apply('T', w3, h3, d2, s0, s1);
      weight(e, h1, g2, i0, i1), apply('T', w2, e, d1, i0, i1);
      weight(h1, x, g1, i0, i1);
    }
    benchmark::DoNotOptimize(o4.memptr());
    benchmark::DoNotOptimize(g1.memptr());
  }
  state.counters["GFLOPs"] = benchmark::Counter(step_gemm_flops(w) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK_TEMPLATE(BM_StepGemms, float)->Arg(1)->Arg(2)->ArgName("parts")->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_TEMPLATE(BM_StepGemms, double)->Arg(1)->ArgName("parts")->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);

// The largest single product (decoder output layer) as a plain GEMM-rate reference.
template <class T>
void BM_Gemm196x128x200(benchmark::State& state) {
  blas_set_threads(1);
  arma::Mat<T> w4(196, 128, arma::fill::randu), h3(128, 200, arma::fill::randu), out;
  for (auto _ : state) {
    out = w4 * h3;
    benchmark::DoNotOptimize(out.memptr());
  }
  state.counters["GFLOPs"] = benchmark::Counter(2.0 * 196 * 128 * 200 * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK_TEMPLATE(BM_Gemm196x128x200, float)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
BENCHMARK_TEMPLATE(BM_Gemm196x128x200, double)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
}  // namespace
