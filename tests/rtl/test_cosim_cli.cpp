// `tessera cosim` through the real binary: cycle counts against the roofline worked out by
// hand, RTL == model, determinism, and the one-line input errors; the platform path
// (rtl-dot tiles fed through the timed platform's cache and DRAM) and its waveform.
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

// An inline platform of `tiles` rtl-dot tiles (DDR4-3200: 25.6 GB/s, 25.6 bytes per cycle
// at 1 GHz).
std::string rtl_platform(int tiles) {
  return "platform:\n  name: p\n  clock: 1GHz\n  tiles:\n    count: " + std::to_string(tiles) +
         "\n    kind: rtl-dot\n    lanes: 16\n  cache:\n    capacity: 1MiB\n    banks: 2\n"
         "  dram:\n    preset: DDR4-3200\n";
}

TEST(CosimCli, PlatformPathShippedConfig) {
  const auto dir = scratch_dir("cosim-platform");
  const CliResult r =
      run_tessera({"cosim", source_path("configs/cosim-rtl-dot.yaml"), "-o", dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(slurp(dir / "result.json"));
  EXPECT_EQ(j["memory"]["path"], "platform");
  EXPECT_EQ(j["rtl_model_mismatches"], 0);
  // 256 x 512 operands of A and of B, one byte each: 262144 bytes read in 4096 bursts of
  // 64, every one from DRAM (each chunk is read once: all misses); 256 result bytes
  // written in 4 bursts.
  ASSERT_EQ(j["tiles"].size(), 1u);
  const auto& t = j["tiles"][0];
  EXPECT_EQ(t["beats"], 256 * 32);
  EXPECT_EQ(t["read_bytes"], 262144);
  EXPECT_EQ(t["read_bursts"], 4096);
  EXPECT_EQ(t["write_bytes"], 256);
  EXPECT_EQ(t["write_bursts"], 4);
  EXPECT_EQ(j["memory"]["dram_read_bytes"], 262144);
  EXPECT_EQ(j["memory"]["cache_read_misses"], 4096);
  EXPECT_EQ(j["memory"]["cache_read_hits"], 0);
  // Roofline: compute 8192 beats; memory (262144 + 256) bytes at 25.6 bytes per cycle =
  // 10250 cycles. The measured run can only be slower than the bound.
  EXPECT_EQ(j["cycles"]["compute_bound"], 8192);
  EXPECT_EQ(j["cycles"]["memory_bound"], 10250);
  EXPECT_EQ(j["cycles"]["bottleneck"], "memory");
  EXPECT_EQ(j["cycles"]["below_bound"], false);
  const auto measured = j["cycles"]["measured"].get<std::uint64_t>();
  EXPECT_GE(measured, 10250u);
  // The tile's milestones are ordered, and the clock ran at most the cycles that passed.
  EXPECT_LT(t["first_beat_cycle"].get<std::uint64_t>(),
            t["last_result_cycle"].get<std::uint64_t>());
  EXPECT_LE(t["last_result_cycle"].get<std::uint64_t>(), t["finish_cycle"].get<std::uint64_t>());
  EXPECT_EQ(t["finish_cycle"].get<std::uint64_t>(), measured);
  EXPECT_LE(t["clocked_cycles"].get<std::uint64_t>(), measured);
  EXPECT_GE(t["clocked_cycles"].get<std::uint64_t>(), 8192u);
  // The RTL is the same unit as on the stream path: same numerics.
  const CliResult s = run_tessera({"cosim", source_path("configs/cosim-dot.yaml"), "--json"});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  const auto js = nlohmann::json::parse(s.out);
  EXPECT_EQ(js["accuracy"][0], j["accuracy"][0]);
  EXPECT_NE(r.out.find("memory: platform rtl-dot-1"), std::string::npos) << r.out;
}

TEST(CosimCli, PlatformPathTwoTilesDeterministic) {
  const auto dir = scratch_dir("cosim-platform2");
  // 37 rows of k = 40 (3 beats, the last zero-padded) split 18 / 19 between two tiles.
  const std::string cfg = write_text(dir, "e.yaml",
                                     std::string(kBase) + rtl_platform(2) +
                                         "cosim:\n  rows: 37\n  k: 40\n  distribution: uniform\n"
                                         "  methods: [naive, kulisch]\n");
  const CliResult a = run_tessera({"cosim", cfg, "-o", (dir / "a").string()});
  const CliResult b = run_tessera({"cosim", cfg, "-o", (dir / "b").string()});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const std::string ja = slurp(dir / "a" / "result.json");
  EXPECT_EQ(ja, slurp(dir / "b" / "result.json"));
  const auto j = nlohmann::json::parse(ja);
  EXPECT_EQ(j["rtl_model_mismatches"], 0);
  ASSERT_EQ(j["tiles"].size(), 2u);
  EXPECT_EQ(j["tiles"][0]["rows"], 18);
  EXPECT_EQ(j["tiles"][1]["rows"], 19);
  EXPECT_EQ(j["tiles"][0]["beats"], 18 * 3);
  EXPECT_EQ(j["tiles"][1]["beats"], 19 * 3);
  // 18 x 40 = 720 bytes of A: 12 bursts (11 full, one of 16 bytes); the same of B.
  EXPECT_EQ(j["tiles"][0]["read_bytes"], 2 * 720);
  EXPECT_EQ(j["tiles"][0]["read_bursts"], 2 * 12);
  EXPECT_EQ(j["tiles"][1]["write_bytes"], 19);
  EXPECT_EQ(j["cycles"]["compute_bound"], 19 * 3);
  EXPECT_GE(j["cycles"]["measured"].get<std::uint64_t>(),
            j["cycles"]["roofline_estimate"].get<std::uint64_t>());
}

TEST(CosimCli, WavesWriteAVcdOfTheUnit) {
  const auto dir = scratch_dir("cosim-waves");
  const std::string cfg = write_text(
      dir, "e.yaml", std::string(kBase) + rtl_platform(1) + "cosim:\n  rows: 4\n  k: 32\n");
  const CliResult r = run_tessera({"cosim", cfg, "-o", (dir / "out").string(), "--waves"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string vcd = slurp(dir / "out" / "waves.vcd");
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "waves.vcd.tmp"));
  EXPECT_EQ(vcd.rfind("$version", 0), 0u) << vcd.substr(0, 200);
  EXPECT_NE(vcd.find("$timescale"), std::string::npos);
  EXPECT_NE(vcd.find("$enddefinitions"), std::string::npos);
  for (const char* name : {" clk ", " rst ", " in_valid ", " in_last ", " out_valid ",
                           " out_result ", " in_a ", " in_b "}) {
    EXPECT_NE(vcd.find(name), std::string::npos) << name;
  }
  EXPECT_NE(vcd.find("$scope module"), std::string::npos);
  EXPECT_NE(r.out.find("waves: "), std::string::npos) << r.out;
  // Same figures as without --waves (tracing changes nothing but the file).
  const CliResult plain = run_tessera({"cosim", cfg, "-o", (dir / "plain").string()});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(slurp(dir / "out" / "result.json"), slurp(dir / "plain" / "result.json"));
}

TEST(CosimCli, PlatformPathErrors) {
  const auto dir = scratch_dir("cosim-platform-errors");
  const std::string stream = write_text(dir, "s.yaml", std::string(kBase) + "cosim:\n  rows: 4\n");
  const CliResult w = run_tessera({"cosim", stream, "-o", (dir / "o").string(), "--waves"});
  EXPECT_EQ(w.exit_code, 2);
  EXPECT_NE(w.err.find("--waves: expected a platform: with tiles of kind rtl-dot"),
            std::string::npos)
      << w.err;
  const std::string plat =
      write_text(dir, "p.yaml", std::string(kBase) + rtl_platform(1) + "cosim:\n  rows: 4\n");
  const CliResult no_out = run_tessera({"cosim", plat, "--waves"});
  EXPECT_EQ(no_out.exit_code, 2);
  EXPECT_NE(no_out.err.find("--waves: expected -o OUTDIR"), std::string::npos) << no_out.err;
  const std::string systolic =
      write_text(dir, "q.yaml",
                 std::string(kBase) +
                     "platform:\n  clock: 1GHz\n  tiles:\n    kind: systolic\ncosim:\n  rows: 4\n");
  const CliResult k = run_tessera({"cosim", systolic});
  EXPECT_EQ(k.exit_code, 2);
  EXPECT_NE(k.err.find("platform.tiles.kind: expected rtl-dot"), std::string::npos) << k.err;
  EXPECT_NE(k.err.find("found systolic"), std::string::npos) << k.err;
  const std::string lanes =
      write_text(dir, "l.yaml",
                 std::string(kBase) +
                     "platform:\n  clock: 1GHz\n  tiles:\n    kind: rtl-dot\n    lanes: 8\n"
                     "cosim:\n  rows: 4\n");
  const CliResult l = run_tessera({"cosim", lanes});
  EXPECT_EQ(l.exit_code, 2);
  EXPECT_NE(l.err.find("platform.tiles.lanes: expected 16"), std::string::npos) << l.err;
}

}  // namespace
}  // namespace tessera::testing
