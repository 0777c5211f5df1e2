// Timed-platform simulation speed: TLM transactions simulated per CPU second
// on the quickstart workload (configs/quickstart.yaml) on edge-npu, in AT and
// in LT mode: the whole quickstart as `make run` times it (2 layers, 64-token
// prompt, 4 generated tokens: ~16 M transactions). The time is the
// child's CPU time (std::clock), so a loaded machine does not distort it. The
// SystemC kernel elaborates once per process, so every measurement runs in a
// forked child and reports back through a pipe.
#include <benchmark/benchmark.h>

#include <ctime>
#include <string>

#include "models/config/experiment_config.h"
#include "models/tlm/platform_run.h"
#include "models/workload/generator.h"
#include "tests/bench/run_in_child.h"

namespace {

struct Measured {
  double seconds = 0;
  double transactions = 0;
};

Measured measure_in_child(bool lt) {
  return tessera::bench::run_in_child<Measured>([lt] {
    const auto e = tessera::config::load_experiment(std::string(TESSERA_SOURCE_DIR) +
                                                    "/configs/quickstart.yaml");
    const auto trace = tessera::workload::generate_trace(e.workload);
    tessera::config::PlatformConfig platform = tessera::config::load_platform(
        std::string(TESSERA_SOURCE_DIR) + "/platforms/edge-npu.yaml");
    tessera::tlm_platform::RunOptions options;
    options.lt_modes = {lt};
    const std::clock_t start = std::clock();
    const auto runs = tessera::tlm_platform::run_timed(trace, platform, options);
    Measured m;
    m.seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
    m.transactions = static_cast<double>(runs.front().record.transactions);
    return m;
  });
}

void run_bench(benchmark::State& state, bool lt) {
  Measured m;
  for (auto _ : state) {
    m = measure_in_child(lt);
    state.SetIterationTime(m.seconds);
  }
  if (m.seconds <= 0) {
    state.SkipWithError("the timed run failed in the child process");
    return;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(m.transactions) *
                          static_cast<std::int64_t>(state.iterations()));
  state.counters["transactions"] = m.transactions;
}

void BM_PlatformQuickstartAT(benchmark::State& state) {
  run_bench(state, false);
}
void BM_PlatformQuickstartLT(benchmark::State& state) {
  run_bench(state, true);
}

BENCHMARK(BM_PlatformQuickstartAT)->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK(BM_PlatformQuickstartLT)->UseManualTime()->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
