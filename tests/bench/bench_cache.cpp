// Replay throughput (issue 3 §6): a 10 M-access trace over 100 k distinct
// tensors, skewed (u^2 over ids), equal 4 KiB sizes, replayed through the
// tensor cache at a capacity holding 10% of the tensors. Reports accesses/s.
#include <benchmark/benchmark.h>

#include "models/cache/replay.h"
#include "models/core/rng.h"

namespace {

using namespace tessera;

const workload::Trace& bench_trace() {
  static const workload::Trace trace = [] {
    workload::Trace t;
    constexpr std::uint32_t kTensors = 100'000;
    constexpr std::size_t kAccesses = 10'000'000;
    for (std::uint32_t i = 0; i < kTensors; ++i) {
      t.add_tensor({"t", 4 * kKiB, std::uint64_t{i} * 4 * kKiB, workload::TensorRole::kActivation});
    }
    t.add_op({});
    t.events.reserve(kAccesses);
    Rng rng(1);
    for (std::size_t i = 0; i < kAccesses; ++i) {
      const double u = rng.uniform();
      const auto id = static_cast<std::uint32_t>(u * u * kTensors);
      t.access(id, 0,
               rng.below(8) == 0 ? workload::AccessKind::kWrite : workload::AccessKind::kRead);
    }
    return t;
  }();
  return trace;
}

void BM_Replay(benchmark::State& state, const char* policy) {
  const workload::Trace& trace = bench_trace();
  const cache::PreparedTrace prepared(trace);
  cache::ReplaySpec spec;
  spec.policy = policy;
  spec.capacity_bytes = 10'000 * 4 * kKiB;
  cache::replay(prepared, spec);  // next-use index and history built outside the timing
  for (auto _ : state) {
    const cache::ReplayResult r = cache::replay(prepared, spec);
    benchmark::DoNotOptimize(r.counters.hits);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace.events.size()));
}

BENCHMARK_CAPTURE(BM_Replay, lru, "lru")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Replay, fifo, "fifo")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Replay, belady, "belady")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Replay, sieve, "sieve")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Replay, s3fifo, "s3fifo")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Replay, arc, "arc")->Unit(benchmark::kMillisecond);

// The next-use index alone: one backward pass.
void BM_NextUseIndex(benchmark::State& state) {
  const workload::Trace& trace = bench_trace();
  std::vector<std::uint32_t> keys;
  keys.reserve(trace.events.size());
  for (const auto& e : trace.events) keys.push_back(e.tensor_id);
  for (auto _ : state) {
    auto next = cache::next_use_index(keys, 100'000);
    benchmark::DoNotOptimize(next.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * keys.size()));
}
BENCHMARK(BM_NextUseIndex)->Unit(benchmark::kMillisecond);

}  // namespace
