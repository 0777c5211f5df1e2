// Trace analysis throughput on a 10 M-event trace (issue 4 §5: at least
// 5 M events/s for reuse distances and for the one-pass MRC). Items = events.
#include <benchmark/benchmark.h>

#include "models/analysis/lru_mrc.h"
#include "models/analysis/reuse_scanner.h"
#include "models/core/rng.h"

namespace {

using namespace tessera;

constexpr std::uint64_t kEvents = 10'000'000;
constexpr std::uint32_t kTensors = 20'000;

// 20 k tensors of 1 KiB .. 4 MiB; tensor ids drawn with a u^3 skew so that
// reuse distances span every scale (short for hot tensors, ~T for cold ones).
const workload::Trace& bench_trace() {
  static const workload::Trace trace = [] {
    Rng rng(42);
    workload::Trace t;
    std::uint64_t address = 0;
    for (std::uint32_t i = 0; i < kTensors; ++i) {
      workload::TensorInfo info;
      info.bytes = 1024 + rng.below(4 * 1024 * 1024);
      info.address = address;
      address += info.bytes;
      t.tensors.push_back(std::move(info));
    }
    t.ops.emplace_back();
    t.events.reserve(kEvents);
    for (std::uint64_t i = 0; i < kEvents; ++i) {
      const double u = rng.uniform();
      const auto id =
          std::min<std::uint32_t>(kTensors - 1, static_cast<std::uint32_t>(kTensors * u * u * u));
      t.access(id, 0, workload::AccessKind::kRead);
    }
    return t;
  }();
  return trace;
}

void BM_ReuseDistance(benchmark::State& state) {
  const auto& trace = bench_trace();
  for (auto _ : state) {
    analysis::ReuseScanner scanner(kTensors);
    std::uint64_t sum = 0;
    for (const auto& e : trace.events) {
      const analysis::ReuseSample s = scanner.step(e.tensor_id, e.bytes);
      sum += s.tensors ^ s.bytes;
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace.events.size()));
}
BENCHMARK(BM_ReuseDistance)->Unit(benchmark::kMillisecond)->Iterations(2);

// arg 0: 16 capacities all >= the largest tensor (one histogram);
// arg 1: 16 capacities from 4 KiB, 7 of them below the largest tensor (each
// of those keeps its own LRU boundary in the scanner's recency order).
void BM_LruMrcOnePass(benchmark::State& state) {
  const auto& trace = bench_trace();
  const Bytes largest = analysis::largest_access_bytes(trace);
  const Bytes lo = state.range(0) == 0 ? 5 * kMiB : 4 * kKiB;
  const auto caps = analysis::log_spaced_capacities(lo, 64 * kGiB, 16);
  for (auto _ : state) {
    analysis::LruMrcBuilder builder(kTensors, largest, caps);
    for (const auto& e : trace.events) builder.step(e.tensor_id, e.bytes);
    benchmark::DoNotOptimize(builder.finish());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace.events.size()));
}
BENCHMARK(BM_LruMrcOnePass)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace
