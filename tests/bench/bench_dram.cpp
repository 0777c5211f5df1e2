// DRAM model speed: requests per second on 5 M-request DDR4-3200 stream and
// random traces, for the core alone and through the TLM-2.0 target (AT and
// LT) - the cases of the DRAM issue's speed targets. The SystemC kernel
// elaborates once per process, so each TLM measurement runs in a forked child
// and reports back through a pipe; its time is the child's CPU time (the
// machine is shared, wall time is noise).
// TESSERA_BENCH_DRAM_REQUESTS overrides the request count.
#include <benchmark/benchmark.h>

#include <ctime>
#include <string>

#include "models/dram/presets.h"
#include "models/dram/run.h"
#include "models/tlm/dram_replay.h"
#include "tests/bench/run_in_child.h"

namespace {

std::uint64_t request_count() {
  const char* env = std::getenv("TESSERA_BENCH_DRAM_REQUESTS");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 5'000'000;
}

const char* pattern_of(int kind) {
  return kind == 0 ? "stream" : "random";
}

void BM_DramCore(benchmark::State& state) {
  using namespace tessera::dram;
  const DramSpec spec = preset("DDR4-3200");
  const std::uint64_t n = request_count();
  double bandwidth = 0;
  for (auto _ : state) {
    DramSystem dram(spec);
    PatternSource src(parse_pattern(pattern_of(static_cast<int>(state.range(0)))),
                      spec.capacity_bytes(), n, 64, 1);
    const RunSummary r = run_core(dram, src);
    bandwidth = r.bandwidth_gbps;
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  state.counters["simulated_GBps"] = bandwidth;
  state.SetLabel(pattern_of(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_DramCore)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(1);

double cpu_seconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Measured {
  double seconds = 0;
  double requests = 0;
  double bandwidth = 0;
};

Measured tlm_in_child(int kind, bool lt) {
  return tessera::bench::run_in_child<Measured>([kind, lt] {
    using namespace tessera;
    const dram::DramSpec spec = dram::preset("DDR4-3200");
    const std::uint64_t n = request_count();
    dram::PatternSource src(dram::parse_pattern(pattern_of(kind)), spec.capacity_bytes(),
                            lt ? n / 10 : n, 64, 1);
    const double start = cpu_seconds();
    const auto r = tlm_models::run_dram_tlm(
        spec, src, lt ? tlm_models::TlmMode::kLt : tlm_models::TlmMode::kAt);
    Measured m;
    m.seconds = cpu_seconds() - start;
    m.requests = static_cast<double>(r.summary.requests);
    m.bandwidth = r.summary.bandwidth_gbps;
    return m;
  });
}

void run_tlm(benchmark::State& state, bool lt) {
  const int kind = static_cast<int>(state.range(0));
  Measured m;
  for (auto _ : state) {
    m = tlm_in_child(kind, lt);
    if (m.seconds <= 0) {
      state.SkipWithError("the SystemC child failed");
      return;
    }
    state.SetIterationTime(m.seconds);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(m.requests) * state.iterations());
  state.counters["simulated_GBps"] = m.bandwidth;
  state.SetLabel(pattern_of(kind));
}

// LT serves one request at a time (see dram_target.h), so it replays a tenth
// of the requests.
void BM_DramTlmAt(benchmark::State& state) {
  run_tlm(state, false);
}
void BM_DramTlmLt(benchmark::State& state) {
  run_tlm(state, true);
}
BENCHMARK(BM_DramTlmAt)
    ->Arg(0)
    ->Arg(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK(BM_DramTlmLt)
    ->Arg(0)
    ->Arg(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
