// What a first-time user runs into, through the real binary: typos get a
// "did you mean" (config keys, values, policies, presets, devices, commands),
// a directory or a file in the wrong place is named as such, output paths are
// checked before any work (nothing printed, nothing left behind), and counts
// on the command line are plain whole numbers. Each test pins the exact line.
#include <gtest/gtest.h>

#include "tests/cli/cli_runner.h"

namespace tessera::testing {
namespace {

namespace fs = std::filesystem;

std::string mlp_experiment(const fs::path& dir, const std::string& extra = "") {
  return write_text(dir, "exp.yaml",
                    "name: tiny\n"
                    "workload: {family: mlp, widths: [16, 8]}\n" +
                        extra);
}

// The files directly in `dir`, by name.
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// ---- did you mean ---------------------------------------------------------

TEST(InputErrors, UnknownConfigKeySuggestsTheNearOne) {
  const auto dir = scratch_dir("input-key");
  const auto f = write_text(dir, "exp.yaml", "workload: {family: mlp, widths: [16, 8]}\nsed: 3\n");
  const CliResult r = run_tessera({"check", f});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, f + ":2:1: sed: expected one of the known keys (name, seed, workload, platform, "
                       "replay, cosim), found unknown key 'sed' (did you mean 'seed'?)\n");
}

TEST(InputErrors, UnknownEnumValueSuggestsTheNearOne) {
  const auto dir = scratch_dir("input-enum");
  const auto f = write_text(dir, "exp.yaml", "workload: {preset: gpt2-smal}\n");
  const CliResult r = run_tessera({"check", f});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, f + ":1:20: workload.preset: expected one of gpt2-small, bert-base, llama2-7b, "
                       "mixtral-8x7b, resnet50, lenet5, found 'gpt2-smal' (did you mean "
                       "'gpt2-small'?)\n");
}

TEST(InputErrors, CheckRejectsAnUnknownReplayPolicyAtItsLine) {
  // Policies register at run time (plugins), so the parser cannot see them;
  // check used to say "ok" and replay failed later without a line.
  const auto dir = scratch_dir("input-policy");
  const auto f = mlp_experiment(dir, "replay:\n  policies: [lru, lur]\n");
  const std::string line =
      f +
      ":4:19: replay.policies[1]: expected one of the eviction policies (arc, belady, "
      "belady-size, clock, fifo, lfu, lru, random, s3fifo, score, sieve, srrip), found 'lur' "
      "(did you mean 'lru'?)\n";
  const CliResult c = run_tessera({"check", f});
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_EQ(c.err, line);
  const CliResult r = run_tessera({"replay", f});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, line);
  EXPECT_EQ(r.out, "");
}

TEST(InputErrors, CheckRejectsAnUnknownPlatformCachePolicy) {
  const auto dir = scratch_dir("input-platform-policy");
  const auto f = write_text(dir, "p.yaml",
                            "name: p\n"
                            "clock: 1GHz\n"
                            "tiles: {count: 1, rows: 4, cols: 4}\n"
                            "cache: {capacity: 1MiB, policy: fifoo}\n"
                            "dram: {preset: DDR4-3200}\n");
  const CliResult r = run_tessera({"check", f});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind(f + ":4:33: cache.policy: expected one of the eviction policies (", 0), 0u)
      << r.err;
  EXPECT_NE(r.err.find("found 'fifoo' (did you mean 'fifo'?)\n"), std::string::npos) << r.err;
}

TEST(InputErrors, UnknownSubcommandOfAGroupSuggestsTheNearOne) {
  const CliResult r = run_tessera({"trace", "gne", "x.yaml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "tessera: unknown command 'trace gne'; trace commands: convert, gen, info, stats, "
            "validate (did you mean 'gen'?)\nRun with --help for usage.\n");
  const CliResult top = run_tessera({"replya"});
  EXPECT_NE(top.err.find("(did you mean 'replay'?)\n"), std::string::npos) << top.err;
}

TEST(InputErrors, DramPresetInTheWrongCaseSuggestsTheRightOne) {
  const CliResult r = run_tessera({"dram", "ddr4-3200", "--requests", "10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "dram: expected a DRAM preset (DDR4-3200, DDR5-4800, LPDDR5-6400, GDDR6, HBM2E, "
            "HBM3) or a config file with a dram: section, found 'ddr4-3200' (did you mean "
            "'DDR4-3200'?)\n");
}

TEST(InputErrors, RooflineDeviceAndOperatorTyposSuggestTheNearOnes) {
  const CliResult d = run_tessera({"roofline", "--device", "h100", "--op", "gemm:8,8,8"});
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_NE(d.err.find("found 'h100' (did you mean 'h100-sxm'?) (searched "), std::string::npos)
      << d.err;
  const CliResult o = run_tessera({"roofline", "--device", "h100-sxm", "--op", "gmm:8,8,8"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_NE(o.err.find("(unknown operator 'gmm'; did you mean 'gemm'?), found 'gmm:8,8,8'\n"),
            std::string::npos)
      << o.err;
  const CliResult t =
      run_tessera({"roofline", "--device", "h100-sxm", "--op", "gemm:8,8,8", "--dtype", "fp61"});
  EXPECT_EQ(t.err,
            "--dtype: expected one of fp32, tf32, bf16, fp16, fp8, int8, found 'fp61' (did you "
            "mean 'fp16'?)\n");
}

TEST(InputErrors, RooflineZeroDimensionIsAnOpError) {
  const CliResult r = run_tessera({"roofline", "--device", "h100-sxm", "--op", "gemm:0,8,8"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("(gemm needs every number >= 1, found 0 as number 1), found "
                       "'gemm:0,8,8'\n"),
            std::string::npos)
      << r.err;
  // conv2d's padding (the 9th number) may be 0.
  const CliResult pad = run_tessera(
      {"roofline", "--device", "h100-sxm", "--op", "conv2d:1,3,8,8,4,3,3,1,0", "--json"});
  EXPECT_EQ(pad.exit_code, 0) << pad.err;
}

// ---- files where they should not be ----------------------------------------

TEST(InputErrors, ADirectoryAsExperimentOrTraceIsNamedAsOne) {
  const auto dir = scratch_dir("input-dir");
  const CliResult g = run_tessera({"trace", "gen", dir.string(), "-o", (dir / "t.tst").string()});
  EXPECT_EQ(g.exit_code, 2);
  EXPECT_EQ(g.err, dir.string() + ": expected a readable file, found a directory\n");
  fs::create_directories(dir / "d.tst");
  const CliResult i = run_tessera({"trace", "info", (dir / "d.tst").string()});
  EXPECT_EQ(i.exit_code, 2);
  EXPECT_EQ(i.err,
            (dir / "d.tst").string() + ": expected a readable trace file, found a directory\n");
}

TEST(InputErrors, AHuggingFaceConfigGivenAsAnExperimentSaysHowToUseIt) {
  const auto dir = scratch_dir("input-hf");
  const auto f = write_text(dir, "config.json", "{\"model_type\": \"gpt2\", \"n_layer\": 2}\n");
  const CliResult r = run_tessera({"check", f});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, f + ":1:1: expected an experiment (a map with a workload: section), found a "
                       "Hugging Face config.json (use it from an experiment as workload: "
                       "{hf_config: config.json})\n");
}

TEST(InputErrors, ATensorTraceGivenToDramIsNamedAsOne) {
  const auto dir = scratch_dir("input-dram-trace");
  const auto t = (dir / "t.tst").string();
  ASSERT_EQ(run_tessera({"trace", "gen", mlp_experiment(dir), "-o", t}).exit_code, 0);
  const CliResult r = run_tessera({"dram", "DDR4-3200", "--trace", t});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, t + ": expected a DRAM request trace (Tessera text 'TIME R|W ADDRESS [BYTES]', "
                       "DRAMSys .stl or Ramulator 2 LD/ST), found a Tessera tensor-access trace "
                       "(replay it with `tessera replay` or `tessera run`)\n");
  const auto empty = write_text(dir, "empty.trace", "");
  const CliResult e = run_tessera({"dram", "DDR4-3200", "--trace", empty});
  EXPECT_EQ(e.exit_code, 2);
  EXPECT_EQ(e.err, empty + ": expected at least one request, found none\n");
  EXPECT_EQ(e.out, "");
}

TEST(InputErrors, AMissingDevicesOrPlatformsDirectoryIsAnError) {
  const auto dir = scratch_dir("input-devdir");
  const std::string missing = (dir / "nope").string();
  const CliResult d = run_tessera({"devices", "--devices-dir", missing});
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_EQ(d.err.rfind("tessera: --devices-dir: Directory does not exist: " + missing, 0), 0u)
      << d.err;
  const CliResult p = run_tessera({"platforms", "--dir", missing});
  EXPECT_EQ(p.exit_code, 2);
  EXPECT_EQ(p.err.rfind("tessera: --dir: Directory does not exist: " + missing, 0), 0u) << p.err;
}

// ---- output paths are checked before the work --------------------------------

TEST(InputErrors, OutputUnderARegularFileFailsBeforeAnyWork) {
  const auto dir = scratch_dir("input-out-file");
  const auto exp = mlp_experiment(dir);
  const auto blocker = write_text(dir, "blocker", "a file, not a directory\n");
  const std::string under = blocker + "/x";
  const std::string why = " ('" + blocker + "' is a file, not a directory)\n";

  const CliResult g = run_tessera({"trace", "gen", exp, "-o", under + ".tst"});
  EXPECT_EQ(g.exit_code, 2);
  EXPECT_EQ(g.err, "-o: expected a writable file path, found '" + under + ".tst'" + why);

  // replay used to print its whole table and then fail on -o.
  const CliResult r = run_tessera({"replay", exp, "-o", under + ".json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "-o: expected a writable file path, found '" + under + ".json'" + why);
  const CliResult m = run_tessera({"replay", exp, "--mrc", under});
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_EQ(m.err, "--mrc: expected a writable directory, found '" + under + "'" + why);

  const CliResult p = run_tessera(
      {"roofline", "--device", "h100-sxm", "--op", "gemm:8,8,8", "--plot", under + ".svg"});
  EXPECT_EQ(p.exit_code, 2);
  EXPECT_EQ(p.out, "");
  EXPECT_EQ(p.err, "--plot: expected a writable file path, found '" + under + ".svg'" + why);

  const CliResult s = run_tessera({"trace", "stats", exp, "--plot", blocker});
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_EQ(s.err, "--plot: expected a writable directory, found '" + blocker + "' (a file)\n");

  EXPECT_EQ(listing(dir), (std::vector<std::string>{"blocker", "exp.yaml"}));
}

TEST(InputErrors, CalibrateChecksItsOutputAndThreadsBeforeMeasuring) {
  const auto dir = scratch_dir("input-calibrate");
  const auto blocker = write_text(dir, "blocker", "");
  const CliResult o = run_tessera({"calibrate", "host", "-o", blocker + "/h.yaml"});
  EXPECT_EQ(o.exit_code, 2);
  EXPECT_EQ(o.err, "-o: expected a writable file path, found '" + blocker + "/h.yaml' ('" +
                       blocker + "' is a file, not a directory)\n");
  // 100000 threads never finished; more threads than the machine has are refused.
  const CliResult t =
      run_tessera({"calibrate", "host", "-o", (dir / "h.yaml").string(), "--threads", "100000"});
  EXPECT_EQ(t.exit_code, 2);
  EXPECT_EQ(t.err.rfind("--threads: expected 0 (all) to ", 0), 0u) << t.err;
  EXPECT_NE(t.err.find(" (this machine's hardware threads), found 100000\n"), std::string::npos)
      << t.err;
  EXPECT_EQ(listing(dir), (std::vector<std::string>{"blocker"}));
}

TEST(InputErrors, RunOutputUnderARegularFileFailsBeforeTheSimulation) {
  const auto dir = scratch_dir("input-run-out");
  const auto exp = write_text(dir, "exp.yaml",
                              "workload: {family: mlp, widths: [16, 8]}\n"
                              "platform: {clock: 1GHz, tiles: {count: 1, rows: 4, cols: 4}, "
                              "dram: {preset: DDR4-3200}}\n");
  const auto blocker = write_text(dir, "blocker", "");
  const CliResult r = run_tessera({"run", exp, "-o", blocker});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "-o: expected a writable directory, found '" + blocker + "' (a file)\n");
}

TEST(InputErrors, TraceOutputThatIsADirectoryFailsBeforeGenerating) {
  const auto dir = scratch_dir("input-out-dir");
  const auto exp = mlp_experiment(dir);
  fs::create_directories(dir / "t.tst");
  const CliResult g = run_tessera({"trace", "gen", exp, "-o", (dir / "t.tst").string()});
  EXPECT_EQ(g.exit_code, 2);
  EXPECT_EQ(g.err, "-o: expected a writable file path, found '" + (dir / "t.tst").string() +
                       "' (a directory)\n");
  EXPECT_TRUE(fs::is_empty(dir / "t.tst"));
}

// ---- counts on the command line ------------------------------------------------

TEST(InputErrors, NegativeCountsAreRejectedNotWrapped) {
  // CLI11 read "-5" as 2^64 - 5: `dram --requests -5` ran for ever.
  const CliResult d = run_tessera({"dram", "DDR4-3200", "--requests", "-5"});
  EXPECT_EQ(d.exit_code, 2);
  EXPECT_EQ(d.err,
            "tessera: --requests: expected a whole number >= 0, found '-5'\n"
            "Run with --help for usage.\n");
  const CliResult u =
      run_tessera({"roofline", "--device", "h100-sxm", "--op", "gemm:8,8,8", "--units", "-1"});
  EXPECT_EQ(u.exit_code, 2);
  EXPECT_EQ(u.err.substr(0, u.err.find('\n')),
            "tessera: --units: expected a whole number >= 0, found '-1'");
}

TEST(InputErrors, CountsAreDecimalNotOctal) {
  // CLI11 reads integers in base 0: "010" would have been 8.
  const auto dir = scratch_dir("input-octal");
  const CliResult r = run_tessera({"dram", "DDR4-3200", "--requests", "0x10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "tessera: --requests: expected a whole number >= 0, found '0x10'");
  const CliResult ok = run_tessera({"dram", "DDR4-3200", "--requests", "010", "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("\"requests\": 10,"), std::string::npos) << ok.out;
}

}  // namespace
}  // namespace tessera::testing
