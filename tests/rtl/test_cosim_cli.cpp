// `tessera cosim` through the real binary: cycle counts against the roofline worked out by
// hand, RTL == model, determinism, and the one-line input errors; the platform path
// (rtl-dot tiles fed through the timed platform's cache and DRAM) and its waveforms (FST
// read back with GTKWave's reader, VCD as text); attention from seeded data and from a
// binary input file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"
#include "tests/rtl/fst_summary.h"

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
  // --output, as on every other command (-o's long form; --out also works).
  const CliResult b = run_tessera({"cosim", cfg, "--output", (dir / "b").string()});
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

// The variable of `summary` whose full name ends in `suffix` (e.g. ".dot_unit.clk"); ""
// when none does.
std::string find_var(const FstSummary& summary, const std::string& suffix) {
  for (const auto& [name, width] : summary.widths) {
    if (name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return name;
    }
  }
  return "";
}

// An FST file starts with its header block: block type 0 (FST_BL_HDR), the block's length
// (329, big-endian uint64), start and end time, then the endianness test value e as a
// native double (GTKWave's fstapi.c, fstWriterEmitHdrBytes).
void expect_fst_header(const std::string& bytes) {
  ASSERT_GE(bytes.size(), 33u);
  EXPECT_EQ(bytes[0], 0);
  std::uint64_t length = 0;
  for (int i = 1; i <= 8; ++i) length = length << 8 | static_cast<unsigned char>(bytes[i]);
  EXPECT_EQ(length, 329u);
  double e = 0;
  std::memcpy(&e, bytes.data() + 25, sizeof e);
  EXPECT_EQ(e, M_E);
}

TEST(CosimCli, WavesWriteAnFstOfTheUnitByDefault) {
  const auto dir = scratch_dir("cosim-waves-fst");
  // 4 rows of k = 32: 2 beats each, 8 beats.
  const std::string cfg = write_text(
      dir, "e.yaml", std::string(kBase) + rtl_platform(1) + "cosim:\n  rows: 4\n  k: 32\n");
  const CliResult r = run_tessera({"cosim", cfg, "-o", (dir / "out").string(), "--waves"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto fst = dir / "out" / "waves.fst";
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "waves.fst.tmp"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "waves.vcd"));
  expect_fst_header(slurp(fst));
  const FstSummary w = read_fst(fst.string());
  ASSERT_TRUE(w.opened);
  EXPECT_EQ(w.timescale, -12);  // 1 ps, SystemC's resolution
  // The pins with their widths (16 lanes of 8 bits), and internal signals.
  const std::pair<const char*, std::uint32_t> pins[] = {
      {".dot_unit.clk", 1},     {".dot_unit.rst", 1},       {".dot_unit.in_valid", 1},
      {".dot_unit.in_last", 1}, {".dot_unit.out_valid", 1}, {".dot_unit.out_result", 8},
      {".dot_unit.in_a", 128},  {".dot_unit.in_b", 128}};
  for (const auto& [suffix, width] : pins) {
    const std::string name = find_var(w, suffix);
    ASSERT_FALSE(name.empty()) << suffix;
    EXPECT_EQ(w.widths.at(name), width) << name;
  }
  EXPECT_GT(w.widths.size(), 20u);  // every internal signal, not just the pins
  // The clock ran at least the 8 beats (two changes a cycle), and results came out.
  EXPECT_GE(w.changes.at(find_var(w, ".dot_unit.clk")), 16u);
  EXPECT_GE(w.changes.at(find_var(w, ".dot_unit.out_valid")), 2u);
  // The waveform spans at least the 8 beats' cycles (1 GHz: 1000 ps a cycle).
  EXPECT_GE(w.end_time, 8u * 1000);
  EXPECT_NE(r.out.find("waves: " + fst.string()), std::string::npos) << r.out;
  // Same figures as without --waves (tracing changes nothing but the file).
  const CliResult plain = run_tessera({"cosim", cfg, "-o", (dir / "plain").string()});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(slurp(dir / "out" / "result.json"), slurp(dir / "plain" / "result.json"));
}

TEST(CosimCli, WavesFormatVcdWritesAVcdOfTheUnit) {
  const auto dir = scratch_dir("cosim-waves");
  const std::string cfg = write_text(
      dir, "e.yaml", std::string(kBase) + rtl_platform(1) + "cosim:\n  rows: 4\n  k: 32\n");
  const CliResult r =
      run_tessera({"cosim", cfg, "-o", (dir / "out").string(), "--waves", "--waves-format", "vcd"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string vcd = slurp(dir / "out" / "waves.vcd");
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "waves.vcd.tmp"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "waves.fst"));
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
  EXPECT_NE(no_out.err.find("--waves: expected -o OUTDIR (the waveform is OUTDIR/waves.fst)"),
            std::string::npos)
      << no_out.err;
  // --waves-format needs --waves, and takes fst or vcd only.
  const CliResult alone =
      run_tessera({"cosim", plat, "-o", (dir / "o").string(), "--waves-format", "vcd"});
  EXPECT_EQ(alone.exit_code, 2);
  EXPECT_NE(alone.err.find("--waves"), std::string::npos) << alone.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "o" / "waves.vcd"));
  const CliResult ghw =
      run_tessera({"cosim", plat, "-o", (dir / "o").string(), "--waves", "--waves-format", "ghw"});
  EXPECT_EQ(ghw.exit_code, 2);
  EXPECT_NE(ghw.err.find("ghw"), std::string::npos) << ghw.err;
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

// ---- rtl-attention tiles ------------------------------------------------------------

std::string attention_platform(int tiles, const std::string& extra_tile_keys = "") {
  return "platform:\n  name: pa\n  clock: 1GHz\n  tiles:\n    count: " + std::to_string(tiles) +
         "\n    kind: rtl-attention\n    lanes: 4\n" + extra_tile_keys +
         "  cache:\n    capacity: 1MiB\n    banks: 2\n  interconnect:\n    burst: 64\n"
         "  dram:\n    preset: DDR4-3200\n";
}

TEST(CosimCli, AttentionByHandAndDeterministic) {
  const auto dir = scratch_dir("cosim-attention");
  // 2 query rows of D = 4 against 8 keys on one tile, E5M10 (2 bytes per element, 8 per
  // row).
  const std::string cfg = write_text(dir, "e.yaml",
                                     std::string(kBase) + attention_platform(1) +
                                         "cosim:\n  unit: attention\n  rows: 2\n  keys: 8\n"
                                         "  methods: [naive, kulisch]\n");
  const CliResult a = run_tessera({"cosim", cfg, "-o", (dir / "a").string()});
  const CliResult b = run_tessera({"cosim", cfg, "-o", (dir / "b").string()});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const std::string ja = slurp(dir / "a" / "result.json");
  EXPECT_EQ(ja, slurp(dir / "b" / "result.json"));
  const auto j = nlohmann::json::parse(ja);
  EXPECT_EQ(j["rtl_model_mismatches"], 0);
  EXPECT_EQ(j["unit"]["kind"], "attention");
  EXPECT_EQ(j["unit"]["lanes"], 4);
  // Latency: MUL_LATENCY 1 + 4 cycles from the last key to the output.
  EXPECT_EQ(j["unit"]["latency_cycles"], 5);
  ASSERT_EQ(j["tiles"].size(), 1u);
  const auto& t = j["tiles"][0];
  // Q: 2 x 8 = 16 bytes (1 burst); K and V: 8 x 8 = 64 bytes each (1 burst each).
  EXPECT_EQ(t["beats"], 2 * 8);
  EXPECT_EQ(t["read_bytes"], 16 + 64 + 64);
  EXPECT_EQ(t["read_bursts"], 3);
  // O: 2 rows x 8 bytes in one burst.
  EXPECT_EQ(t["write_bytes"], 16);
  EXPECT_EQ(t["write_bursts"], 1);
  // Roofline: compute 16 keys at one per cycle; memory (16 + 64 + 64 + 16) = 160 bytes at
  // 25.6 bytes per 1 GHz cycle = 6.25, so 7 cycles: compute-bound, estimate 16 + 5 = 21.
  EXPECT_EQ(j["cycles"]["compute_bound"], 16);
  EXPECT_EQ(j["cycles"]["memory_bound"], 7);
  EXPECT_EQ(j["cycles"]["bottleneck"], "compute");
  EXPECT_EQ(j["cycles"]["roofline_estimate"], 21);
  const auto measured = j["cycles"]["measured"].get<std::uint64_t>();
  EXPECT_GE(measured, 21u);
  EXPECT_EQ(t["finish_cycle"].get<std::uint64_t>(), measured);
  // Each row: 8 keys, then 5 cycles to its output; the second row's keys wait for it.
  EXPECT_GE(t["clocked_cycles"].get<std::uint64_t>(), 2u * (8 + 5));
  EXPECT_LE(t["clocked_cycles"].get<std::uint64_t>(), measured);
  EXPECT_LT(t["first_beat_cycle"].get<std::uint64_t>(),
            t["last_result_cycle"].get<std::uint64_t>());
  // The unit is the naive E5M10 configuration: its error row equals the naive method's.
  ASSERT_EQ(j["accuracy"].size(), 3u);
  EXPECT_EQ(j["accuracy"][0]["method"], "rtl");
  EXPECT_EQ(j["accuracy"][1]["method"], "naive");
  for (const char* key : {"max_rel", "mean_rel", "max_ulps", "mean_ulps", "non_finite"}) {
    EXPECT_EQ(j["accuracy"][0][key], j["accuracy"][1][key]) << key;
  }
  EXPECT_GT(j["accuracy"][0]["max_ulps"].get<double>(), 0.0);
  EXPECT_NE(a.out.find("RTL vs bit-accurate model: 0 mismatches"), std::string::npos) << a.out;
}

TEST(CosimCli, AttentionTwoTilesShareKeysAndValues) {
  const auto dir = scratch_dir("cosim-attention2");
  // 5 rows split 2 / 3 between two tiles, 256 keys: K and V 256 x 8 = 2048 bytes each (32
  // bursts each), read by both tiles from the one copy.
  const std::string cfg = write_text(dir, "e.yaml",
                                     std::string(kBase) + attention_platform(2) +
                                         "cosim:\n  unit: attention\n  rows: 5\n  keys: 256\n"
                                         "  distribution: mixed\n  methods: [naive, kahan]\n");
  const CliResult r = run_tessera({"cosim", cfg, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rtl_model_mismatches"], 0);
  ASSERT_EQ(j["tiles"].size(), 2u);
  EXPECT_EQ(j["tiles"][0]["rows"], 2);
  EXPECT_EQ(j["tiles"][1]["rows"], 3);
  EXPECT_EQ(j["tiles"][0]["beats"], 2 * 256);
  EXPECT_EQ(j["tiles"][1]["beats"], 3 * 256);
  EXPECT_EQ(j["tiles"][0]["read_bytes"], 16 + 2 * 2048);
  EXPECT_EQ(j["tiles"][1]["read_bytes"], 24 + 2 * 2048);
  EXPECT_EQ(j["tiles"][0]["read_bursts"], 1 + 2 * 32);
  EXPECT_EQ(j["tiles"][1]["read_bursts"], 1 + 2 * 32);
  EXPECT_EQ(j["tiles"][0]["write_bytes"], 16);
  EXPECT_EQ(j["tiles"][1]["write_bytes"], 24);
  EXPECT_EQ(j["tiles"][1]["write_bursts"], 1);
  // Roofline: compute 768 keys (the busier tile); memory (5 + 256 + 256 + 5) x 8 = 4176
  // bytes at 25.6 per cycle = 163.1, so 164 cycles.
  EXPECT_EQ(j["cycles"]["compute_bound"], 768);
  EXPECT_EQ(j["cycles"]["memory_bound"], 164);
  EXPECT_GE(j["cycles"]["measured"].get<std::uint64_t>(),
            j["cycles"]["roofline_estimate"].get<std::uint64_t>());
}

TEST(CosimCli, AttentionShippedConfig) {
  const auto dir = scratch_dir("cosim-attention-shipped");
  const CliResult r =
      run_tessera({"cosim", source_path("configs/cosim-rtl-attention.yaml"), "-o", dir.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(slurp(dir / "result.json"));
  EXPECT_EQ(j["rtl_model_mismatches"], 0);
  // 32 rows x 256 keys over two tiles: 4096 keys each; Q, K, V, O = (32 + 256 + 256 +
  // 32) x 8 = 4608 bytes = 180 cycles at 25.6 bytes per cycle.
  EXPECT_EQ(j["cycles"]["compute_bound"], 4096);
  EXPECT_EQ(j["cycles"]["memory_bound"], 180);
  for (const auto& t : j["tiles"]) {
    EXPECT_EQ(t["read_bytes"], 128 + 2 * 2048);
    EXPECT_EQ(t["read_bursts"], 2 + 2 * 32);
    EXPECT_EQ(t["write_bytes"], 128);
    EXPECT_EQ(t["write_bursts"], 2);
  }
  // K and V come from DRAM once (2 x 2048 bytes), each tile's Q once (2 x 128): 4352
  // bytes; of the 2 x 66 read bursts, the later tile's 64 K / V bursts hit in the cache.
  EXPECT_EQ(j["memory"]["dram_read_bytes"], 2 * 2048 + 2 * 128);
  EXPECT_EQ(j["memory"]["cache_read_hits"].get<int>() + j["memory"]["cache_read_misses"].get<int>(),
            2 * 66);
  EXPECT_EQ(j["memory"]["cache_read_hits"], 64);
  ASSERT_EQ(j["accuracy"].size(), 5u);  // rtl + 4 methods
  EXPECT_NE(r.out.find("memory: platform rtl-attention-2"), std::string::npos) << r.out;
}

TEST(CosimCli, AttentionWaves) {
  const auto dir = scratch_dir("cosim-attention-waves");
  const std::string cfg = write_text(dir, "e.yaml",
                                     std::string(kBase) + attention_platform(1) +
                                         "cosim:\n  unit: attention\n  rows: 2\n  keys: 8\n");
  // FST by default: the pins with their widths (D = 4 lanes of E5M10, 16 bits each).
  const CliResult r = run_tessera({"cosim", cfg, "-o", (dir / "out").string(), "--waves"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "waves.fst.tmp"));
  expect_fst_header(slurp(dir / "out" / "waves.fst"));
  const FstSummary w = read_fst((dir / "out" / "waves.fst").string());
  ASSERT_TRUE(w.opened);
  const std::pair<const char*, std::uint32_t> pins[] = {
      {".attention_unit.clk", 1},      {".attention_unit.in_valid", 1},
      {".attention_unit.in_ready", 1}, {".attention_unit.in_last", 1},
      {".attention_unit.in_q", 64},    {".attention_unit.in_k", 64},
      {".attention_unit.in_v", 64},    {".attention_unit.out_o", 64},
      {".attention_unit.out_valid", 1}};
  for (const auto& [suffix, width] : pins) {
    const std::string name = find_var(w, suffix);
    ASSERT_FALSE(name.empty()) << suffix;
    EXPECT_EQ(w.widths.at(name), width) << name;
  }
  // 2 rows x 8 keys: at least 16 clocked cycles; two outputs (out_valid up and down twice,
  // plus its reset value).
  EXPECT_GE(w.changes.at(find_var(w, ".attention_unit.clk")), 32u);
  EXPECT_GE(w.changes.at(find_var(w, ".attention_unit.out_valid")), 4u);
  // VCD on request: the same pins by name.
  const CliResult rv =
      run_tessera({"cosim", cfg, "-o", (dir / "vcd").string(), "--waves", "--waves-format", "vcd"});
  ASSERT_EQ(rv.exit_code, 0) << rv.err;
  const std::string vcd = slurp(dir / "vcd" / "waves.vcd");
  EXPECT_EQ(vcd.rfind("$version", 0), 0u) << vcd.substr(0, 200);
  EXPECT_NE(vcd.find("$enddefinitions"), std::string::npos);
  for (const char* name : {" clk ", " in_valid ", " in_ready ", " in_last ", " in_q ", " in_k ",
                           " in_v ", " out_o "}) {
    EXPECT_NE(vcd.find(name), std::string::npos) << name;
  }
  const CliResult plain = run_tessera({"cosim", cfg, "-o", (dir / "plain").string()});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(slurp(dir / "out" / "result.json"), slurp(dir / "plain" / "result.json"));
  EXPECT_EQ(slurp(dir / "vcd" / "result.json"), slurp(dir / "plain" / "result.json"));
}

// An attention input file (docs/config/cosim.md): the 32-byte header, then Q, K, V as
// little-endian uint16 bit patterns.
struct AttentionFile {
  std::string magic = "TESSATTN";
  std::uint32_t version = 1, exponent_bits = 5, mantissa_bits = 10;
  std::uint32_t rows = 0, keys = 0, head_dim = 4;
  std::vector<std::uint16_t> values;  // Q, then K, then V

  std::string bytes() const {
    std::string b = magic;
    for (std::uint32_t f : {version, exponent_bits, mantissa_bits, rows, keys, head_dim}) {
      for (int i = 0; i < 4; ++i) b += static_cast<char>((f >> (8 * i)) & 0xFF);
    }
    for (std::uint16_t v : values) {
      b += static_cast<char>(v & 0xFF);
      b += static_cast<char>(v >> 8);
    }
    return b;
  }
};

// The E5M10 (IEEE binary16) bit pattern of a normal x, its mantissa truncated to 10 bits
// (exact for the small integers and halves used here).
std::uint16_t half(double x) {
  if (x == 0) return 0;
  int e = 0;
  const double m = std::frexp(std::fabs(x), &e);  // |x| = m 2^e, m in [0.5, 1)
  return static_cast<std::uint16_t>((x < 0 ? 0x8000 : 0) | (e - 1 + 15) << 10 |
                                    static_cast<int>((m * 2 - 1) * 1024));
}

// One query row of zeros against 4 keys: every score is exactly 0, so every softmax weight
// is exactly 1 and the output is the mean of the value rows, lane d of value row j being
// (j + 1)(d + 1): (1 + 2 + 3 + 4)(d + 1) / 4 = 2.5, 5, 7.5, 10, all exact in E5M10, and
// every step (p = 1, sums 10 (d + 1), denominator 4) is exact: error 0 against MPFR.
AttentionFile mean_of_values_file() {
  AttentionFile f;
  f.rows = 1;
  f.keys = 4;
  for (int i = 0; i < 4; ++i) f.values.push_back(0);  // q
  for (int j = 0; j < 4; ++j) {
    for (int d = 0; d < 4; ++d) f.values.push_back(half(0.5 * (j - d)));  // k: any finite
  }
  for (int j = 0; j < 4; ++j) {
    for (int d = 0; d < 4; ++d) f.values.push_back(half((j + 1) * (d + 1)));  // v
  }
  return f;
}

TEST(CosimCli, AttentionInputFileByHand) {
  const auto dir = scratch_dir("cosim-attention-input");
  ASSERT_EQ(half(2.5), 0x4100);  // the helper against known patterns
  ASSERT_EQ(half(-0.5), 0xB800);
  ASSERT_EQ(half(1.0 / 3), 0x3555);
  write_text(dir, "qkv.bin", mean_of_values_file().bytes());
  const std::string cfg =
      write_text(dir, "e.yaml",
                 std::string(kBase) + attention_platform(1) +
                     "cosim:\n  unit: attention\n  rows: 1\n  keys: 4\n  input: qkv.bin\n"
                     "  methods: [naive, kulisch]\n");
  const CliResult r = run_tessera({"cosim", cfg, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["workload"]["distribution"], "file");
  EXPECT_EQ(j["rtl_model_mismatches"], 0);
  for (const auto& row : j["accuracy"]) {
    EXPECT_EQ(row["max_rel"], 0.0) << row;
    EXPECT_EQ(row["non_finite"], 0) << row;
  }
  // Q: 8 bytes; K and V: 32 bytes each; O: 8 bytes.
  EXPECT_EQ(j["tiles"][0]["read_bytes"], 8 + 32 + 32);
  EXPECT_EQ(j["tiles"][0]["beats"], 4);
  // The file's values are what ran: with v[0][0] = 0x3555 (1/3 truncated) lane 0's sum
  // 9.33325... is not an E5M10 value, so it rounds and the error is no longer 0.
  AttentionFile skew = mean_of_values_file();
  skew.values[4 + 16] = half(1.0 / 3);
  write_text(dir, "qkv.bin", skew.bytes());
  const CliResult r2 = run_tessera({"cosim", cfg, "--json"});
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  const auto j2 = nlohmann::json::parse(r2.out);
  EXPECT_EQ(j2["rtl_model_mismatches"], 0);
  EXPECT_GT(j2["accuracy"][0]["max_rel"].get<double>(), 0.0);
}

TEST(CosimCli, AttentionInputFileErrors) {
  const auto dir = scratch_dir("cosim-attention-input-errors");
  const std::string cfg =
      write_text(dir, "e.yaml",
                 std::string(kBase) + attention_platform(1) +
                     "cosim:\n  unit: attention\n  rows: 1\n  keys: 4\n  input: a.bin\n");
  auto expect_error = [&](const std::string& what, const std::string& bytes,
                          const std::string& want) {
    write_text(dir, "a.bin", bytes);
    const CliResult r = run_tessera({"cosim", cfg});
    EXPECT_EQ(r.exit_code, 2) << what;
    EXPECT_NE(r.err.find((dir / "a.bin").string() + ": " + want), std::string::npos)
        << what << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ": " << r.err;
  };
  const AttentionFile good = mean_of_values_file();
  expect_error("short", std::string(10, 'x'),
               "byte 0: expected a 32-byte attention input header (magic TESSATTN, version, "
               "format, rows, keys, head_dim), found a 10-byte file");
  AttentionFile f = good;
  f.magic = std::string("TESSDOT") + '\0';
  expect_error("magic", f.bytes(),
               "byte 0: magic: expected 'TESSATTN' (a tessera attention input file), found "
               "'TESSDOT\\x00'");
  f = good;
  f.version = 2;
  expect_error("version", f.bytes(),
               "byte 8: version: expected 1 (the only format version), "
               "found 2");
  f = good;
  f.exponent_bits = 4;
  f.mantissa_bits = 3;
  expect_error("format", f.bytes(),
               "byte 12: exponent_bits: expected 5 (the Verilated unit's format), found 4");
  f = good;
  f.mantissa_bits = 7;
  expect_error("mantissa", f.bytes(),
               "byte 16: mantissa_bits: expected 10 (the Verilated unit's format), found 7");
  f = good;
  f.rows = 2;
  expect_error("rows", f.bytes(), "byte 20: rows: expected 1 (cosim.rows), found 2");
  f = good;
  f.keys = 3;
  expect_error("keys", f.bytes(), "byte 24: keys: expected 4 (cosim.keys), found 3");
  f = good;
  f.head_dim = 8;
  expect_error("head_dim", f.bytes(), "byte 28: head_dim: expected 4 (cosim.head_dim), found 8");
  // 1 x 4 + 2 x 4 x 4 = 36 values, 72 bytes; one value short, then one byte over.
  f = good;
  f.values.pop_back();
  expect_error("short payload", f.bytes(),
               "byte 32: expected 72 bytes of values after the header (2 bytes each: 1 x 4 of "
               "Q, then 4 x 4 of K and of V), found 70");
  expect_error("long payload", good.bytes() + "x",
               "byte 32: expected 72 bytes of values after the header (2 bytes each: 1 x 4 of "
               "Q, then 4 x 4 of K and of V), found 73");
  std::filesystem::remove(dir / "a.bin");
  const CliResult missing = run_tessera({"cosim", cfg});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find((dir / "a.bin").string() + ": cannot open the cosim input file"),
            std::string::npos)
      << missing.err;
}

TEST(CosimCli, AttentionSeededDataFollowsSeedAndDistribution) {
  const auto dir = scratch_dir("cosim-attention-seeded");
  auto run = [&](const std::string& name, const std::string& extra) {
    const std::string cfg =
        write_text(dir, name,
                   std::string(kBase) + attention_platform(1) +
                       "cosim:\n  unit: attention\n  rows: 3\n  keys: 16\n" + extra);
    const CliResult r = run_tessera({"cosim", cfg, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  };
  const auto uniform = run("u.yaml", "  distribution: uniform\n");
  const auto peaked = run("p.yaml", "  distribution: peaked\n");
  const auto reseeded = run("s.yaml", "  distribution: uniform\n");
  EXPECT_EQ(uniform["workload"]["distribution"], "uniform");
  EXPECT_EQ(peaked["workload"]["distribution"], "peaked");
  EXPECT_EQ(uniform["rtl_model_mismatches"], 0);
  EXPECT_EQ(peaked["rtl_model_mismatches"], 0);
  // Same seed and distribution: the same data, the same figures.
  EXPECT_EQ(uniform["accuracy"], reseeded["accuracy"]);
  EXPECT_NE(uniform["accuracy"][0]["mean_rel"], peaked["accuracy"][0]["mean_rel"]);
  // `mixed` draws q = 0 (docs/numerics.md): every softmax weight is 1 and the output is the
  // mean of the values, each sum rounded: nonzero error, still finite.
  const auto mixed = run("m.yaml", "  distribution: mixed\n");
  EXPECT_EQ(mixed["rtl_model_mismatches"], 0);
  EXPECT_EQ(mixed["accuracy"][0]["non_finite"], 0);
}

TEST(CosimCli, AttentionPlatformDramOverridesReachTheRoofline) {
  const auto dir = scratch_dir("cosim-attention-dram");
  // The DDR4-3200 preset with its organization overridden to two channels: 51.2 GB/s, so
  // the 160 bytes of Q, K, V, O of 2 rows x 8 keys take 3.125, i.e. 4 cycles.
  std::string platform = attention_platform(1);
  platform.replace(platform.find("  dram:\n    preset: DDR4-3200\n"),
                   std::string("  dram:\n    preset: DDR4-3200\n").size(),
                   "  dram:\n    preset: DDR4-3200\n    organization: {channels: 2}\n");
  const std::string cfg = write_text(
      dir, "e.yaml",
      std::string(kBase) + platform + "cosim:\n  unit: attention\n  rows: 2\n  keys: 8\n");
  const CliResult r = run_tessera({"cosim", cfg, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["memory"]["dram_peak_bytes_per_s"].get<double>(), 51.2e9);
  EXPECT_EQ(j["cycles"]["memory_bound"], 4);
  EXPECT_EQ(j["rtl_model_mismatches"], 0);
}

TEST(CosimCli, AttentionConfigErrors) {
  const auto dir = scratch_dir("cosim-attention-errors");
  auto expect_error = [&](const std::string& name, const std::string& yaml,
                          const std::string& want) {
    const std::string cfg = write_text(dir, name, std::string(kBase) + yaml);
    const CliResult r = run_tessera({"cosim", cfg});
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_NE(r.err.find(want), std::string::npos) << name << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << name << ": " << r.err;
  };
  // The error names the key's own line: kBase is 6 lines, attention_platform(1) 14, so
  // `cosim:` is line 21 and head_dim line 24.
  expect_error("hd.yaml",
               attention_platform(1) + "cosim:\n  unit: attention\n  rows: 2\n  head_dim: 8\n",
               "hd.yaml:24:13: cosim.head_dim: expected 4 (platform.tiles.lanes");
  expect_error("lanes.yaml",
               "platform:\n  clock: 1GHz\n  tiles:\n    kind: rtl-attention\n    lanes: 8\n"
               "cosim:\n  unit: attention\n  rows: 2\n  head_dim: 8\n",
               "platform.tiles.lanes: expected 4");
  expect_error("kind.yaml", rtl_platform(1) + "cosim:\n  unit: attention\n  rows: 2\n",
               "platform.tiles.kind: expected rtl-attention");
  expect_error("dotkind.yaml", attention_platform(1) + "cosim:\n  rows: 2\n",
               "platform.tiles.kind: expected rtl-dot");
  expect_error("noplat.yaml", "cosim:\n  unit: attention\n  rows: 2\n",
               "cosim.unit: attention runs on a platform");
  expect_error("k.yaml", attention_platform(1) + "cosim:\n  unit: attention\n  k: 16\n", "cosim.k");
  expect_error("dist.yaml",
               attention_platform(1) + "cosim:\n  unit: attention\n  distribution: cancel\n",
               "cosim.distribution");
  expect_error("spad.yaml",
               attention_platform(1, "    scratchpad: 1KiB\n") +
                   "cosim:\n  unit: attention\n  rows: 2\n  keys: 128\n",
               "spad.yaml:25:9: cosim.keys: expected K and V (128 keys x 16 bytes each) to fit "
               "the tiles' scratchpad of 1024 bytes, found 2048 bytes");
}

}  // namespace
}  // namespace tessera::testing
