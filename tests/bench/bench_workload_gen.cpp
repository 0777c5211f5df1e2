// Trace generation throughput (items = events). Target: >= 20 M events/s.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "models/config/node.h"
#include "models/config/tree.h"
#include "models/config/workload_config.h"
#include "models/workload/generator.h"

namespace {

tessera::config::WorkloadConfig workload_of(const std::string& body) {
  auto tree = tessera::config::parse_tree("workload:\n" + body, "bench.yaml");
  return tessera::config::parse_workload(tessera::config::Node(*tree).at("workload"), 1);
}

void run(benchmark::State& state, const std::string& body) {
  const tessera::config::WorkloadConfig w = workload_of(body);
  std::uint64_t events = 0;
  for (auto _ : state) {
    auto t = std::make_unique<tessera::workload::Trace>(tessera::workload::generate_trace(w));
    events += t->events.size();
    benchmark::DoNotOptimize(t->events.data());
    // Freeing the trace is not generation: keep it out of the timing.
    state.PauseTiming();
    t.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}

// GPT-2 small shapes, 4 layers, 128-token prompt, 16 decode steps: the quickstart's
// shape before configs/quickstart.yaml was cut to 2 layers for `make run`; kept
// larger so the generation rate is measured over more events.
void BM_GenerateQuickstart(benchmark::State& state) {
  run(state, "  preset: gpt2-small\n  num_layers: 4\n  seq_length: 128\n  decode_tokens: 16\n");
}
// Llama-2-7B, batch 8, 512-token prompts, 64 decode steps: embedding rows dominate prefill.
void BM_GenerateLlamaDecode(benchmark::State& state) {
  run(state, "  preset: llama2-7b\n  batch: 8\n  seq_length: 512\n  decode_tokens: 64\n");
}
// Mixtral-8x7B prefill of 2048 tokens with Zipf routing (router draws included).
void BM_GenerateMixtralPrefill(benchmark::State& state) {
  run(state, "  preset: mixtral-8x7b\n  seq_length: 2048\n  routing: zipf\n  zipf_s: 1.1\n");
}
void BM_GenerateResnet50(benchmark::State& state) {
  run(state, "  preset: resnet50\n  batch: 8\n");
}

BENCHMARK(BM_GenerateQuickstart)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GenerateLlamaDecode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GenerateMixtralPrefill)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GenerateResnet50)->Unit(benchmark::kMillisecond);

}  // namespace
