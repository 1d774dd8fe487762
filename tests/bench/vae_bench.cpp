// One training step (batch 100, L = 2) and the matrix products it is made of, at the same
// shapes, so the step's FLOP rate can be read against the machine's GEMM rate.
#include <benchmark/benchmark.h>

#include "common/blas_info.hpp"
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

template <class T>
void BM_TrainStep(benchmark::State& state) {
  blas_set_threads(1);
  const Widths w;
  Rng rng = make_rng(1, 0);
  Params<T> p = init_params<T>(w, rng), g = zeros_like<T>(w);
  Optimiser<T> opt = make_optimiser(OptimKind::adam, 1e-3, p);
  arma::Mat<T> x(w.input, kBatch), eps(w.latent, kBatch * kSamples);
  for (arma::uword i = 0; i < x.n_elem; ++i) x(i) = uniform(rng) < 0.2 ? 1 : 0;
  fill_normal(eps, rng);
  Workspace<T> ws;
  for (auto _ : state) benchmark::DoNotOptimize(train_step(p, g, opt, x, eps, ws).recon);
  state.counters["GFLOPs"] = benchmark::Counter(step_gemm_flops(w) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_TEMPLATE(BM_TrainStep, float)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_TrainStep, double)->Unit(benchmark::kMicrosecond);

// Every product of one step, at its shape and transpose pattern, and nothing else.
template <class T>
void BM_StepGemms(benchmark::State& state) {
  blas_set_threads(1);
  const Widths w;
  const arma::uword b = kBatch, bl = kBatch * kSamples;
  using M = arma::Mat<T>;
  M w1(w.enc_hidden, w.input, arma::fill::randu), w2(2 * w.latent, w.enc_hidden, arma::fill::randu);
  M w3(w.dec_hidden, w.latent, arma::fill::randu), w4(w.input, w.dec_hidden, arma::fill::randu);
  M x(w.input, b, arma::fill::randu), h1(w.enc_hidden, b, arma::fill::randu), e(2 * w.latent, b, arma::fill::randu);
  M z(w.latent, bl, arma::fill::randu), h3(w.dec_hidden, bl, arma::fill::randu), a(w.input, bl, arma::fill::randu);
  M o1, o2, o3, o4, g1, g2, g3, g4, d1, d2, d3;
  for (auto _ : state) {
    o1 = w1 * x; o2 = w2 * h1; o3 = w3 * z; o4 = w4 * h3;             // forward
    g4 = a * h3.t(); d3 = w4.t() * a; g3 = h3 * z.t(); d2 = w3.t() * h3;  // decoder backward
    g2 = e * h1.t(); d1 = w2.t() * e; g1 = h1 * x.t();                  // encoder backward
    benchmark::DoNotOptimize(o4.memptr());
    benchmark::DoNotOptimize(g1.memptr());
  }
  state.counters["GFLOPs"] = benchmark::Counter(step_gemm_flops(w) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK_TEMPLATE(BM_StepGemms, float)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_StepGemms, double)->Unit(benchmark::kMicrosecond);

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
BENCHMARK_TEMPLATE(BM_Gemm196x128x200, float)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_Gemm196x128x200, double)->Unit(benchmark::kMicrosecond);
}  // namespace
