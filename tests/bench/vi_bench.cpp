// Throughput of the exact enumeration passes (states per second, one core).
#include <benchmark/benchmark.h>

#include "bench/stats.hpp"

#include "vi/energy.hpp"
#include "vi/exact.hpp"

using namespace vivae;

static void BM_LogZ(benchmark::State& state) {
  const Energy e = product_energy(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(log_z(e, 2.0));
  state.SetItemsProcessed(state.iterations() * (int64_t{1} << e.n));
}
BENCHMARK(BM_LogZ)->Arg(20)->Arg(24)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);

static void BM_KlProductQ(benchmark::State& state) {
  const Energy e = product_energy(static_cast<int>(state.range(0)));
  const double lz = log_z(e, 2.0);
  const std::vector<double> theta(e.n, 0.3);
  for (auto _ : state) benchmark::DoNotOptimize(q_stats(e, 2.0, lz, theta).kl);
  state.SetItemsProcessed(state.iterations() * (int64_t{1} << e.n));
}
BENCHMARK(BM_KlProductQ)->Arg(20)->Arg(24)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);

static void BM_LogZIsing(benchmark::State& state) {
  const Energy e = ising_energy(static_cast<int>(state.range(0)), 1);
  for (auto _ : state) benchmark::DoNotOptimize(log_z(e, 2.0));
  state.SetItemsProcessed(state.iterations() * (int64_t{1} << e.n));
}
BENCHMARK(BM_LogZIsing)->Arg(20)->Unit(benchmark::kMillisecond)->ComputeStatistics("min", min_of);
