// `tessera run`, `tessera platforms` and `tessera check PLATFORM.yaml`
// through the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace tessera::testing {
namespace {

// A 3-layer MLP (batch 8) on a 2-tile inline platform: small enough to run in
// well under a second.
std::string small_experiment(const std::filesystem::path& dir) {
  return write_text(dir, "exp.yaml",
                    "name: small\n"
                    "seed: 3\n"
                    "workload: {family: mlp, widths: [64, 128, 128, 32], batch: 8}\n"
                    "platform:\n"
                    "  clock: 1GHz\n"
                    "  tiles: {count: 2, rows: 8, cols: 8, dataflow: ws}\n"
                    "  cache: {capacity: [8KiB, 1MiB], policy: lru, banks: 2}\n"
                    "  interconnect: {bytes_per_cycle: 32, latency: 2}\n"
                    "  dram: {preset: DDR4-3200}\n");
}

TEST(RunCli, WritesResultAndTimelineAndPrintsASummary) {
  const auto dir = scratch_dir("run-at");
  const auto exp = small_experiment(dir);
  const CliResult r = run_tessera({"run", exp, "-o", (dir / "out").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("timed run of 'small'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("timeline.json"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("SystemC"), std::string::npos) << "banner must be off: " << r.out;
  const auto result = nlohmann::json::parse(slurp(dir / "out" / "result.json"));
  EXPECT_EQ(result["schema_version"].get<int>(), 1);
  EXPECT_EQ(result["mode"], "at");
  ASSERT_EQ(result["runs"].size(), 2u);  // two capacities side by side
  for (const auto& run : result["runs"]) {
    EXPECT_GT(run["total_cycles"].get<std::uint64_t>(), 0u);
    EXPECT_GT(run["transactions"].get<std::uint64_t>(), 0u);
    EXPECT_EQ(run["tiles"].size(), 2u);
    EXPECT_EQ(run["operators"].size(), result["workload"]["operators"].get<std::size_t>());
    EXPECT_EQ(run["checks"]["operators_below_roofline_bound"].get<int>(), 0);
    EXPECT_GT(run["energy_pj"]["total"].get<double>(), 0.0);
    EXPECT_FALSE(run["dram"]["channels"].empty());
  }
  // The bigger cache never reads more from DRAM.
  EXPECT_LE(result["runs"][1]["dram"]["read_bytes"].get<std::uint64_t>(),
            result["runs"][0]["dram"]["read_bytes"].get<std::uint64_t>());
  const auto timeline = nlohmann::json::parse(slurp(dir / "out" / "timeline.json"));
  ASSERT_TRUE(timeline.contains("traceEvents"));
  bool tile_track = false, dram_track = false;
  for (const auto& e : timeline["traceEvents"]) {
    if (e["ph"] == "M" && e["args"]["name"] == "tile 1") tile_track = true;
    if (e["ph"] == "M" && e["args"]["name"] == "dram channel 0") dram_track = true;
  }
  EXPECT_TRUE(tile_track);
  EXPECT_TRUE(dram_track);
}

// A set-associative cache (platform.cache.organization: set-assoc) runs timed
// from the command line: line lookups, whole-line fills, the organization in
// the result; a capacity that is not whole sets is a one-line input error.
TEST(RunCli, SetAssociativeCacheRuns) {
  const auto dir = scratch_dir("run-set-assoc");
  const auto exp = small_experiment(dir);
  const CliResult r = run_tessera({"run", exp, "-o", (dir / "out").string(), "--set",
                                   "platform.cache.organization=set-assoc", "--set",
                                   "platform.cache.ways=4", "--set", "platform.cache.line=128"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = nlohmann::json::parse(slurp(dir / "out" / "result.json"));
  ASSERT_EQ(result["runs"].size(), 2u);
  for (const auto& run : result["runs"]) {
    const auto& cache = run["cache"];
    EXPECT_EQ(cache["organization"], "set-assoc");
    EXPECT_GT(cache["lookups"].get<std::uint64_t>(), 0u);
    EXPECT_GT(cache["read_hits"].get<std::uint64_t>(), 0u);
    EXPECT_EQ(cache["fill_bytes"].get<std::uint64_t>() % 128, 0u);
    EXPECT_EQ(run["dram"]["read_bytes"], cache["fill_bytes"]);
  }
  const CliResult bad = run_tessera({"run", exp, "--set", "platform.cache.organization=set-assoc",
                                     "--set", "platform.cache.ways=3"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err.find('\n'), bad.err.size() - 1) << bad.err;
  EXPECT_NE(bad.err.find("capacity"), std::string::npos) << bad.err;
}

TEST(RunCli, LtModeRuns) {
  const auto dir = scratch_dir("run-lt");
  const auto exp = small_experiment(dir);
  const CliResult r = run_tessera({"run", exp, "-o", (dir / "out").string(), "--mode", "lt",
                                   "--set", "platform.cache.capacity=1MiB"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = nlohmann::json::parse(slurp(dir / "out" / "result.json"));
  EXPECT_EQ(result["mode"], "lt");
  ASSERT_EQ(result["runs"].size(), 1u);
  EXPECT_EQ(result["runs"][0]["capacity_bytes"].get<std::uint64_t>(), 1024u * 1024u);
}

TEST(RunCli, ExperimentWithoutPlatformIsAnInputError) {
  const auto dir = scratch_dir("run-noplat");
  const auto exp = write_text(dir, "exp.yaml", "workload: {family: mlp, widths: [8, 8]}\n");
  const CliResult r = run_tessera({"run", exp, "-o", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("platform: expected a platform"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "result.json"));
}

TEST(RunCli, BadModeIsAUsageError) {
  const auto dir = scratch_dir("run-badmode");
  const auto exp = small_experiment(dir);
  const CliResult r = run_tessera({"run", exp, "--mode", "ca"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(RunCli, PlatformFileRelativeToTheExperiment) {
  const auto dir = scratch_dir("run-platfile");
  write_text(dir, "p.yaml",
             "clock: 1GHz\ntiles: {count: 1, rows: 4, cols: 4}\ncache: {capacity: 64KiB}\n");
  const auto exp = write_text(
      dir, "exp.yaml", "workload: {family: mlp, widths: [16, 16], batch: 4}\nplatform: p.yaml\n");
  const CliResult r = run_tessera(
      {"run", exp, "-o", (dir / "out").string(), "--set", "platform.cache.policy=fifo"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = nlohmann::json::parse(slurp(dir / "out" / "result.json"));
  EXPECT_EQ(result["platform"]["name"], "p");
  EXPECT_EQ(result["runs"][0]["policy"], "fifo");
}

TEST(RunCli, MissingPlatformFileNamesTheKey) {
  const auto dir = scratch_dir("run-missing");
  const auto exp = write_text(dir, "exp.yaml",
                              "workload: {family: mlp, widths: [16, 16]}\nplatform: nope.yaml\n");
  const CliResult r = run_tessera({"run", exp});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("exp.yaml:2:11: platform: expected an existing platform file"),
            std::string::npos)
      << r.err;
}

TEST(PlatformsCli, ListsTheShippedPlatforms) {
  const CliResult r = run_tessera({"platforms"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name : {"edge-npu", "gemmini", "datacenter-npu"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << r.out;
  }
  EXPECT_NE(r.out.find("systolic 16x16 ws"), std::string::npos) << r.out;  // gemmini
}

TEST(CheckCli, ValidatesAPlatformFile) {
  const CliResult ok = run_tessera({"check", source_path("platforms/gemmini.yaml")});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("ok (platform 'gemmini'"), std::string::npos) << ok.out;

  const auto dir = scratch_dir("check-platform");
  const auto bad = write_text(dir, "bad.yaml", "clock: 1GHz\ntiles:\n  count: 2\n  dataflow: xs\n");
  const CliResult r = run_tessera({"check", bad});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.yaml:4:13: tiles.dataflow: expected one of"), std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace tessera::testing
