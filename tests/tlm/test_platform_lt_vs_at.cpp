// LT against AT on the quickstart experiment (configs/quickstart.yaml on
// edge-npu), cut to one layer, a 16-token prompt and no decode so that the AT
// run takes a few seconds: identical cache counts, bytes and transactions,
// and LT's total time within the documented tolerance of AT's (the full
// quickstart measured LT / AT = 0.99; docs/platform.md, "AT and LT").
#include <gtest/gtest.h>

#include <string>

#include "models/config/experiment_config.h"
#include "models/platform/result.h"
#include "models/tlm/platform_run.h"
#include "models/workload/generator.h"
#include "tests/tlm/platform_test_util.h"

namespace tessera {
namespace {

TEST(PlatformLtVsAt, QuickstartCutAgreesAndLtTimeIsWithinTolerance) {
  config::ExperimentConfig e =
      config::load_experiment(std::string(TESSERA_SOURCE_DIR) + "/configs/quickstart.yaml");
  e.workload.transformer.num_layers = 1;
  e.workload.transformer.seq_length = 16;
  e.workload.transformer.decode_tokens = 0;
  e.workload.transformer.decode = false;
  ASSERT_TRUE(e.platform.has_value());
  const workload::Trace trace = workload::generate_trace(e.workload);
  tlm_platform::RunOptions options;
  options.lt_modes = {false, true};
  const auto runs = tlm_platform::run_timed(trace, *e.platform, options);
  ASSERT_EQ(runs.size(), 2u);
  const platform::TimedRun& at = runs[0];
  const platform::TimedRun& lt = runs[1];
  testing::expect_same_functional_outcome(at, lt);
  EXPECT_GT(at.record.transactions, 2'000'000u);
  // The DRAM's row-buffer behaviour is of the same kind in both (an LPDDR5
  // stream over bank groups: mostly row hits).
  ASSERT_EQ(at.dram_channels.size(), lt.dram_channels.size());
  const auto& ad = at.dram_channels[0];
  const auto& ld = lt.dram_channels[0];
  const auto hit_rate = [](const auto& c) {
    return static_cast<double>(c.row_hits) /
           static_cast<double>(c.row_hits + c.row_misses + c.row_conflicts);
  };
  EXPECT_NEAR(hit_rate(ld), hit_rate(ad), 0.1);
}

}  // namespace
}  // namespace tessera
