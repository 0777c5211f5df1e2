// `tessera cosim` through the real binary: cycle counts against the roofline worked out by
// hand, RTL == model, determinism, and the one-line input errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace tessera::testing {
namespace {

const char* kBase = R"(name: t
seed: 3
workload:
  family: mlp
  widths: [16, 16]
  batch: 1
)";

TEST(CosimCli, MemoryBoundShippedConfig) {
  const auto dir = scratch_dir("cosim-shipped");
  const CliResult r =
      run_tessera({"cosim", source_path("configs/cosim-dot.yaml"), "-o", dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(slurp(dir / "result.json"));
  // 256 rows x 512 / 16 lanes = 8192 beats; 16 GB/s at 1 GHz = 16 bytes per cycle and
  // 32 bytes per beat: memory bound 8192 * 2 = 16384 cycles, compute bound 8192.
  EXPECT_EQ(j["cycles"]["compute_bound"], 8192);
  EXPECT_EQ(j["cycles"]["memory_bound"], 16384);
  EXPECT_EQ(j["cycles"]["bottleneck"], "memory");
  EXPECT_EQ(j["cycles"]["below_bound"], false);
  // The last beat is presented in cycle 16383 (index from 0: a beat every second cycle,
  // the first once 32 bytes have arrived, in cycle 1); then MUL_LATENCY + 2 = 3 edges to
  // the result register and one more cycle to read it out: 16384 + 3 = 16387.
  EXPECT_EQ(j["cycles"]["measured"], 16387);
  EXPECT_EQ(j["rtl_model_mismatches"], 0);
  ASSERT_EQ(j["accuracy"].size(), 8u);  // rtl + 7 methods
  EXPECT_EQ(j["accuracy"][0]["method"], "rtl");
  EXPECT_EQ(j["accuracy"][1]["method"], "naive");
  // Sequential Kulisch over exact products (b = 1) rounds once: at most half an ulp, and
  // far better than naive on cancelling data.
  EXPECT_LE(j["accuracy"][7]["max_ulps"].get<double>(), 0.5);
  EXPECT_LT(j["accuracy"][7]["mean_rel"].get<double>(), j["accuracy"][1]["mean_rel"].get<double>());
  EXPECT_NE(r.out.find("cycles: measured 16387"), std::string::npos) << r.out;
}

TEST(CosimCli, ComputeBoundByHandAndDeterministic) {
  const auto dir = scratch_dir("cosim-compute");
  const std::string cfg = write_text(dir, "e.yaml",
                                     std::string(kBase) +
                                         "cosim:\n  rows: 4\n  k: 40\n  bandwidth_gbps: 64\n"
                                         "  methods: [kulisch]\n");
  const CliResult a = run_tessera({"cosim", cfg, "-o", (dir / "a").string()});
  const CliResult b = run_tessera({"cosim", cfg, "-o", (dir / "b").string()});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const std::string ja = slurp(dir / "a" / "result.json");
  EXPECT_EQ(ja, slurp(dir / "b" / "result.json"));
  const auto j = nlohmann::json::parse(ja);
  // k = 40 pads to 3 beats per row: 12 beats. 64 bytes arrive per cycle and a beat needs
  // 32, so a beat is ready in every cycle from cycle 0. Compute bound 12; memory bound
  // 12 * 32 / 64 = 6.
  EXPECT_EQ(j["cycles"]["compute_bound"], 12);
  EXPECT_EQ(j["cycles"]["memory_bound"], 6);
  EXPECT_EQ(j["cycles"]["bottleneck"], "compute");
  // Beats in cycles 0..11, then 3 edges to the result register and one cycle to read it.
  EXPECT_EQ(j["cycles"]["measured"], 12 + 3);
  EXPECT_EQ(j["unit"]["latency_cycles"], 3);
}

TEST(CosimCli, MissingSectionIsAnInputError) {
  const auto dir = scratch_dir("cosim-missing");
  const std::string cfg = write_text(dir, "e.yaml", kBase);
  const CliResult r = run_tessera({"cosim", cfg});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cosim: expected a cosim section"), std::string::npos) << r.err;
}

TEST(CosimCli, BadKeysAreOneLineErrors) {
  const auto dir = scratch_dir("cosim-bad");
  const std::string cfg =
      write_text(dir, "e.yaml", std::string(kBase) + "cosim:\n  rows: 4\n  methods: [pairwise]\n");
  const CliResult r = run_tessera({"cosim", cfg});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("e.yaml:9:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cosim.methods"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'pairwise'"), std::string::npos) << r.err;
  const std::string cfg2 =
      write_text(dir, "f.yaml", std::string(kBase) + "cosim:\n  rows: 4\n  lanes: 8\n");
  const CliResult r2 = run_tessera({"cosim", cfg2});
  EXPECT_EQ(r2.exit_code, 2);
  EXPECT_NE(r2.err.find("lanes"), std::string::npos) << r2.err;
}

TEST(CosimCli, InputFileOfWrongSize) {
  const auto dir = scratch_dir("cosim-input");
  write_text(dir, "ops.bin", std::string(10, '\x38'));  // rows 1, k 16 needs 32 bytes
  const std::string cfg = write_text(
      dir, "e.yaml", std::string(kBase) + "cosim:\n  rows: 1\n  k: 16\n  input: ops.bin\n");
  const CliResult r = run_tessera({"cosim", cfg});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("ops.bin: byte 0: expected 32 bytes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("found 10"), std::string::npos) << r.err;
  // 16 ones (0x38) times 16 ones: the dot product is 16 = 0 1011 000 = 0x58.
  write_text(dir, "ops.bin", std::string(32, '\x38'));
  const CliResult ok = run_tessera({"cosim", cfg, "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const auto j = nlohmann::json::parse(ok.out);
  EXPECT_EQ(j["workload"]["distribution"], "file");
  EXPECT_EQ(j["accuracy"][0]["max_rel"], 0.0);
}

}  // namespace
}  // namespace tessera::testing
