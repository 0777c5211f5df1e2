// Trace I/O throughput in events per second. The binary reader's target is
// at least 50 M events/s on the project's 2-core machine (issue 2, section 6).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "models/core/rng.h"
#include "models/workload/trace.h"
#include "models/workload/trace_io.h"

namespace tessera::workload {
namespace {

// A synthetic trace shaped like a generated one: a few thousand tensors and
// ops, whole-tensor accesses, a write per op.
Trace synthetic_trace(std::size_t events) {
  Trace t;
  t.model = "bench";
  t.family = "transformer";
  constexpr std::uint32_t kTensors = 4096;
  constexpr std::uint32_t kOps = 2048;
  std::uint64_t address = 0;
  for (std::uint32_t i = 0; i < kTensors; ++i) {
    const Bytes bytes = 4096 + (i % 97) * 1024;
    t.add_tensor({"layer" + std::to_string(i / 16) + ".tensor" + std::to_string(i % 16), bytes,
                  address, static_cast<TensorRole>(i % 5)});
    address += bytes;
  }
  for (std::uint32_t i = 0; i < kOps; ++i) {
    OpInfo op;
    op.name = "op" + std::to_string(i);
    op.kind = static_cast<OpKind>(i % kOpKindCount);
    op.layer = i / 32;
    op.flops = 1000 + i;
    t.add_op(op);
  }
  Rng rng(1);
  t.events.reserve(events);
  for (std::size_t i = 0; i < events; ++i) {
    const auto tensor = static_cast<std::uint32_t>(rng.below(kTensors));
    const auto op = static_cast<std::uint32_t>((i / 3) % kOps);
    t.access(tensor, op, i % 3 == 2 ? AccessKind::kWrite : AccessKind::kRead);
  }
  return t;
}

std::filesystem::path bench_path(const char* name) {
  return std::filesystem::temp_directory_path() /
         ("tessera-bench-" + std::to_string(::getpid()) + "-" + name);
}

// Written once per process, removed at exit.
struct BenchFile {
  std::filesystem::path path;
  std::size_t events;
  BenchFile(const char* name, std::size_t n) : path(bench_path(name)), events(n) {
    write_trace(synthetic_trace(n), path);
  }
  ~BenchFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

constexpr std::size_t kBinaryEvents = 4'000'000;  // 96 MB of events
constexpr std::size_t kCsvEvents = 200'000;

void BM_TraceReadBinary(benchmark::State& state) {
  static const BenchFile file("read.tst", kBinaryEvents);
  for (auto _ : state) {
    Trace t = read_trace(file.path);
    benchmark::DoNotOptimize(t.events.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * file.events));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file.events * 24));
}
BENCHMARK(BM_TraceReadBinary)->Unit(benchmark::kMillisecond);

void BM_TraceWriteBinary(benchmark::State& state) {
  static const Trace trace = synthetic_trace(kBinaryEvents);
  const auto path = bench_path("write.tst");
  for (auto _ : state) write_trace(trace, path);
  std::filesystem::remove(path);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace.events.size()));
}
BENCHMARK(BM_TraceWriteBinary)->Unit(benchmark::kMillisecond);

void BM_TraceReadCsv(benchmark::State& state) {
  static const BenchFile file("read.csv", kCsvEvents);
  for (auto _ : state) {
    Trace t = read_trace(file.path);
    benchmark::DoNotOptimize(t.events.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * file.events));
}
BENCHMARK(BM_TraceReadCsv)->Unit(benchmark::kMillisecond);

void BM_TraceWriteCsv(benchmark::State& state) {
  static const Trace trace = synthetic_trace(kCsvEvents);
  const auto path = bench_path("write.csv");
  for (auto _ : state) write_trace(trace, path);
  std::filesystem::remove(path);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace.events.size()));
}
BENCHMARK(BM_TraceWriteCsv)->Unit(benchmark::kMillisecond);

void BM_TraceWriteLegacyCsv(benchmark::State& state) {
  static const Trace trace = synthetic_trace(kCsvEvents);
  const auto path = bench_path("write.legacy.csv");
  for (auto _ : state) write_trace(trace, path);
  std::filesystem::remove(path);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace.events.size()));
}
BENCHMARK(BM_TraceWriteLegacyCsv)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tessera::workload
