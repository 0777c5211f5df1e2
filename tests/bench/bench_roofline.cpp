// Roofline estimator throughput: operator estimates per second (one GEMM over
// the H100's six tile shapes and three memory levels; a fused attention; a
// streaming op) and trace operators per second for a whole workload.
#include <benchmark/benchmark.h>

#include "models/config/device_config.h"
#include "models/roofline/estimator.h"
#include "models/roofline/workload_estimate.h"

namespace {

using tessera::roofline::OpSpec;

const tessera::config::DeviceConfig& h100() {
  static const tessera::config::DeviceConfig d = tessera::config::load_device(
      std::string(TESSERA_SOURCE_DIR) + "/platforms/devices/h100-sxm.yaml");
  return d;
}

void BM_EstimateGemm(benchmark::State& state) {
  const auto& d = h100();
  std::uint64_t n = 64;
  for (auto _ : state) {
    benchmark::DoNotOptimize(tessera::roofline::estimate(
        OpSpec::gemm(n, n + 8, 4096, tessera::config::Dtype::kFp16), d));
    n = n >= 8192 ? 64 : n + 64;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EstimateGemm);

void BM_EstimateAttention(benchmark::State& state) {
  const auto& d = h100();
  for (auto _ : state) {
    benchmark::DoNotOptimize(tessera::roofline::estimate(
        OpSpec::attention({4, 32, 2048, 2048, 128}, true, tessera::config::Dtype::kBf16), d));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EstimateAttention);

void BM_EstimateWorkload(benchmark::State& state) {
  const auto& d = h100();
  tessera::workload::Trace t;
  for (int i = 0; i < 1000; ++i) {
    tessera::workload::OpInfo op;
    op.kind = i % 2 ? tessera::workload::OpKind::kGemm : tessera::workload::OpKind::kElementwise;
    op.m = 512 + i;
    op.n = i % 2 ? 768 : 1;
    op.k = i % 2 ? 3072 : 1;
    op.flops = 2 * op.m * op.n * op.k;
    t.add_op(op);
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(tessera::roofline::estimate_workload(t, d));
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_EstimateWorkload);

}  // namespace
