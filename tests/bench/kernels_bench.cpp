// The elementwise kernels of one training step (batch 100, L = 2, the homework's widths) and
// of one evaluation chunk (200 samples of one image), each alone: where the step's time
// beyond its GEMMs goes. Rates are elements (or parameters) per second.
#include <benchmark/benchmark.h>

#include <vector>

#include "bench/stats.hpp"
#include "common/rng.hpp"
#include "vae/kernels.hpp"
#include "vae/model.hpp"

using namespace vivae;

namespace {
constexpr int kBatch = 100, kSamples = 2, kInput = 196, kHidden = 128, kLatent = 8;

std::vector<float> normals(size_t n, double sd, uint64_t seed) {
  Rng r = make_rng(seed, 0);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(sd * normal(r));
  return v;
}

// log p(x|z) and its gradient for the batch's 196 × 200 logits (bernoulli, with the bias's).
void BM_Bernoulli(benchmark::State& state) {
  const int cols = kBatch * kSamples;
  const std::vector<float> raw = normals(static_cast<size_t>(kInput) * cols, 4, 1), bias = normals(kInput, 1, 2);
  std::vector<float> x = normals(static_cast<size_t>(kInput) * kBatch, 1, 3), d(raw.size()), d_bias(kInput);
  for (float& v : x) v = v > 0.8f ? 1 : 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(bernoulli(d.data(), d_bias.data(), raw.data(), bias.data(), x.data(), kInput, cols, kSamples, 0.005f));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(raw.size()));
}
BENCHMARK(BM_Bernoulli)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);

// tanh(h + b) over the decoder's hidden layer, 128 × 200 (tanh_bias, in place: tanh is
// bounded, so repeating it on its own output keeps the values ordinary).
void BM_TanhBias(benchmark::State& state) {
  std::vector<float> h = normals(static_cast<size_t>(kHidden) * kBatch * kSamples, 1, 4);
  const std::vector<float> b = normals(kHidden, 0.1, 5);
  for (auto _ : state) {
    tanh_bias(h.data(), b.data(), kHidden, kBatch * kSamples);
    benchmark::DoNotOptimize(h.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(h.size()));
}
BENCHMARK(BM_TanhBias)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);

// z = μ + σ ⊙ ε and the KL for the batch, then its backward pass.
void BM_ReparameteriseKl(benchmark::State& state) {
  const std::vector<float> e = normals(2 * kLatent * kBatch, 1, 6), eps = normals(kLatent * kBatch * kSamples, 1, 7),
                           d_z = normals(eps.size(), 0.01, 8);
  std::vector<float> z(eps.size()), d_e(e.size()), d_bias(2 * kLatent);
  for (auto _ : state) {
    benchmark::DoNotOptimize(reparameterise_kl(z.data(), e.data(), eps.data(), kLatent, kBatch, kSamples));
    reparameterise_kl_backward(d_e.data(), d_bias.data(), d_z.data(), e.data(), eps.data(), kLatent, kBatch, kSamples, 0.01f);
    benchmark::DoNotOptimize(d_e.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(z.size()));
}
BENCHMARK(BM_ReparameteriseKl)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);

// One Adam update of all the model's parameters from the two shards' gradients.
void BM_Adam(benchmark::State& state) {
  const size_t n = parameter_count(Widths{});
  std::vector<float> p = normals(n, 0.1, 10), m = normals(n, 1e-3, 11), v = normals(n, 1e-3, 12),
                     g = normals(n, 1e-2, 13), other = normals(n, 1e-2, 14);
  for (float& x : v) x *= x;
  for (auto _ : state)
    benchmark::DoNotOptimize(adam_update(p.data(), m.data(), v.data(), g.data(), other.data(), n, 1e-3f, 0.9f, 0.999f, 1e-8f));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}
BENCHMARK(BM_Adam)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);

// The evaluation's log p(x|z_l) for 200 samples of one image, from transposed logits.
void BM_BernoulliSamples(benchmark::State& state) {
  const int cols = 200;
  const std::vector<float> raw_t = normals(static_cast<size_t>(kInput) * cols, 4, 15), bias = normals(kInput, 1, 16);
  std::vector<float> x = normals(kInput, 1, 17);
  for (float& v : x) v = v > 0.8f ? 1 : 0;
  std::vector<double> ll(cols);
  for (auto _ : state) {
    bernoulli_samples(ll.data(), raw_t.data(), bias.data(), x.data(), kInput, cols);
    benchmark::DoNotOptimize(ll.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(raw_t.size()));
}
BENCHMARK(BM_BernoulliSamples)->Unit(benchmark::kMicrosecond)->ComputeStatistics("min", min_of);
}  // namespace
