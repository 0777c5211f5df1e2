// The `tessera` command line as a user meets it: --help, --version, unknown
// commands, and the trace commands (gen, convert, info) end to end.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "models/core/version.h"
#include "tests/cli/cli_runner.h"

namespace tessera::testing {
namespace {

// The small hand-built trace of tests/unit/workload/trace_io_test_util.h as
// CSV (tests/golden/small_trace.csv, also the CSV writer's golden output):
// x (64 B input), w (512 B weight), y (32 B output); fc0 (gemm, 256 FLOPs)
// reads x, w and writes y; act0 (elementwise, 8 FLOPs) reads y's two halves
// and writes y.
const std::string kSmallCsv = slurp(source_path("tests/golden/small_trace.csv"));

// A two-layer MLP small enough to generate in a blink.
const std::string kTinyExperiment =
    "name: tiny-mlp\n"
    "seed: 3\n"
    "workload:\n"
    "  family: mlp\n"
    "  widths: [16, 8, 4]\n"
    "  batch: 2\n";

std::size_t count_lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

TEST(CliBasics, HelpListsTheCommands) {
  const CliResult r = run_tessera({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Usage: tessera"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--set"), std::string::npos);
  EXPECT_NE(r.out.find("trace"), std::string::npos);
  EXPECT_NE(r.out.find("check"), std::string::npos);
  EXPECT_EQ(r.err, "");
}

TEST(CliBasics, VersionPrintsOneLine) {
  const CliResult r = run_tessera({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, std::string("tessera ") + kVersion + "\n");
}

TEST(CliBasics, TraceHelpListsItsSubcommands) {
  const CliResult r = run_tessera({"trace", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("generate, convert and inspect tensor-access traces"), std::string::npos)
      << r.out;
  for (const char* sub : {"gen", "convert", "info"}) {
    EXPECT_NE(r.out.find(std::string("  ") + sub), std::string::npos) << sub << "\n" << r.out;
  }
}

TEST(CliBasics, EveryTraceCommandHasHelp) {
  for (const char* sub : {"gen", "convert", "info"}) {
    const CliResult r = run_tessera({"trace", sub, "--help"});
    EXPECT_EQ(r.exit_code, 0) << sub;
    EXPECT_NE(r.out.find(std::string("tessera trace ") + sub), std::string::npos) << r.out;
  }
  EXPECT_NE(run_tessera({"trace", "gen", "--help"}).out.find("-o,--output OUT REQUIRED"),
            std::string::npos);
  EXPECT_NE(run_tessera({"trace", "info", "--help"}).out.find("--json"), std::string::npos);
}

TEST(CliBasics, UnknownSubcommandExitsTwo) {
  const CliResult r = run_tessera({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  // Names the word and the commands there are, then the hint.
  EXPECT_EQ(r.err.rfind("tessera: unknown command 'frobnicate'; commands: calibrate, check,", 0),
            0u)
      << r.err;
  EXPECT_NE(r.err.find("\nRun with --help for usage.\n"), std::string::npos) << r.err;
}

TEST(CliBasics, MissingSubcommandExitsTwo) {
  const CliResult r = run_tessera({"trace"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "tessera: A subcommand is required");
}

TEST(TraceInfo, PrintsTablesWorkedOutByHand) {
  const auto dir = scratch_dir("info-table");
  const std::string file = write_text(dir, "small.csv", kSmallCsv);
  const CliResult r = run_tessera({"trace", "info", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 6 events: 4 reads (x, w, y twice) and 2 writes (y twice); bytes moved
  // 64 + 512 + 32 + 16 + 16 + 32 = 672; distinct 64 + 512 + 32 = 608;
  // FLOPs 256 + 8 = 264, each op counted once. gemm: 3 events, 608 bytes;
  // elementwise: 3 events, 64 bytes.
  EXPECT_EQ(r.out, file +
                       ": model tiny (family mlp, seed 7)\n"
                       "\n"
                       "metric            value  note\n"
                       "----------------  -----  ----------------------\n"
                       "events                6\n"
                       "  reads               4\n"
                       "  writes              2\n"
                       "tensors               3\n"
                       "distinct tensors      3  accessed at least once\n"
                       "ops                   2\n"
                       "layers                1  highest index + 1\n"
                       "total bytes         672  672 B\n"
                       "distinct bytes      608  608 B\n"
                       "flops               264\n"
                       "\n"
                       "op kind      ops  events  bytes  flops\n"
                       "-----------  ---  ------  -----  -----\n"
                       "gemm           1       3    608    256\n"
                       "elementwise    1       3     64      8\n");
  EXPECT_EQ(r.err, "");
}

TEST(TraceInfo, PrintsJson) {
  const auto dir = scratch_dir("info-json");
  const std::string file = write_text(dir, "small.csv", kSmallCsv);
  const CliResult r = run_tessera({"trace", "info", file, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["file"], file);
  EXPECT_EQ(j["model"], "tiny");
  EXPECT_EQ(j["family"], "mlp");
  EXPECT_EQ(j["seed"], 7);
  EXPECT_EQ(j["events"], 6);
  EXPECT_EQ(j["reads"], 4);
  EXPECT_EQ(j["writes"], 2);
  EXPECT_EQ(j["tensors"], 3);
  EXPECT_EQ(j["distinct_tensors"], 3);
  EXPECT_EQ(j["ops"], 2);
  EXPECT_EQ(j["total_bytes"], 672);
  EXPECT_EQ(j["distinct_bytes"], 608);
  EXPECT_EQ(j["flops"], 264);
  EXPECT_EQ(j["op_kinds"].size(), 2u);
  EXPECT_EQ(j["op_kinds"]["gemm"],
            (nlohmann::json{{"ops", 1}, {"events", 3}, {"bytes", 608}, {"flops", 256}}));
  EXPECT_EQ(j["op_kinds"]["elementwise"],
            (nlohmann::json{{"ops", 1}, {"events", 3}, {"bytes", 64}, {"flops", 8}}));
  // Keys in a fixed order: file first, op_kinds last.
  EXPECT_EQ(r.out.substr(0, 12), "{\n  \"file\": ");
  EXPECT_NE(r.out.find("\"flops\": 264,\n  \"op_kinds\""), std::string::npos) << r.out;
}

TEST(TraceInfo, CorruptTraceIsOneLineAndExitTwo) {
  const auto dir = scratch_dir("info-corrupt");
  std::string text = kSmallCsv;
  text.replace(text.find("3,2,y,output,16,768"), 19, "3,2,y,output,16,9xx");
  const std::string file = write_text(dir, "bad.csv", text);
  const CliResult r = run_tessera({"trace", "info", file});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, file + ":16:17: address: expected an unsigned integer, found '9xx'\n");
}

TEST(TraceInfo, MissingTraceIsExitTwo) {
  const auto dir = scratch_dir("info-missing");
  const CliResult r = run_tessera({"trace", "info", (dir / "none.tst").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, (dir / "none.tst").string() + ": expected a readable trace file, found none\n");
}

TEST(TraceConvert, CsvToBinaryAndBackIsExact) {
  const auto dir = scratch_dir("convert");
  const std::string csv = write_text(dir, "small.csv", kSmallCsv);
  const std::string tst = (dir / "small.tst").string();
  const std::string back = (dir / "back.csv").string();
  CliResult r = run_tessera({"trace", "convert", csv, tst});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, csv + " -> " + tst + ": 6 events, 3 tensors, 2 ops\n");
  EXPECT_EQ(slurp(tst).size(), 368u);  // see tests/unit/workload/test_trace_io_binary.cpp
  r = run_tessera({"--quiet", "trace", "convert", tst, back});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(slurp(back), kSmallCsv);
}

TEST(TraceConvert, WritesLegacyColumnsByFlagOrExtension) {
  const auto dir = scratch_dir("convert-legacy");
  const std::string csv = write_text(dir, "small.csv", kSmallCsv);
  const std::string expected =
      "tensor_id,size_mb,reuse_distance,stride,op,model_type\n"
      "0,6.103515625e-05,-1,0,gemm,MLP\n"
      "1,0.00048828125,-1,0,gemm,MLP\n"
      "2,3.0517578125e-05,-1,0,gemm,MLP\n"
      "2,1.52587890625e-05,0,0,elementwise,MLP\n"
      "2,1.52587890625e-05,0,16,elementwise,MLP\n"
      "2,3.0517578125e-05,0,-16,elementwise,MLP\n";
  ASSERT_EQ(run_tessera({"trace", "convert", csv, (dir / "a.csv").string(), "--legacy"}).exit_code,
            0);
  EXPECT_EQ(slurp(dir / "a.csv"), expected);
  ASSERT_EQ(run_tessera({"trace", "convert", csv, (dir / "b.legacy.csv").string()}).exit_code, 0);
  EXPECT_EQ(slurp(dir / "b.legacy.csv"), expected);
  // And the legacy file reads back (sniffed by its header).
  const CliResult r = run_tessera({"trace", "info", (dir / "a.csv").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["events"], 6);
  EXPECT_EQ(j["total_bytes"], 672);
  EXPECT_EQ(j["distinct_bytes"], 608);
  EXPECT_EQ(j["family"], "mlp");
}

TEST(TraceConvert, UnknownOutputExtensionIsExitTwoAndWritesNothing) {
  const auto dir = scratch_dir("convert-ext");
  const std::string csv = write_text(dir, "small.csv", kSmallCsv);
  const std::string out = (dir / "small.parquet").string();
  const CliResult r = run_tessera({"trace", "convert", csv, out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, out +
                       ": expected a trace file name ending in .tst (binary), .csv or "
                       ".legacy.csv, found '.parquet'\n");
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(TraceGen, WritesBinaryAndCsvThatAgree) {
  const auto dir = scratch_dir("gen");
  const std::string exp = write_text(dir, "tiny.yaml", kTinyExperiment);
  const std::string tst = (dir / "t.tst").string();
  const std::string csv = (dir / "t.csv").string();
  CliResult r = run_tessera({"trace", "gen", exp, "-o", tst});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind(tst + ": ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("(binary trace of "), std::string::npos) << r.out;
  r = run_tessera({"trace", "gen", exp, "--output", csv});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The CSV written directly equals the binary converted to CSV.
  ASSERT_EQ(run_tessera({"trace", "convert", tst, (dir / "c.csv").string()}).exit_code, 0);
  EXPECT_EQ(slurp(csv), slurp(dir / "c.csv"));
  // info agrees with the CSV: one row per event after the header.
  r = run_tessera({"trace", "info", tst, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  const std::string text = slurp(csv);
  const std::size_t header_at = text.find("seq,tensor_id,");
  ASSERT_NE(header_at, std::string::npos);
  EXPECT_EQ(j["events"].get<std::size_t>(), count_lines(text.substr(header_at)) - 1);
  EXPECT_GT(j["events"].get<std::size_t>(), 0u);
  EXPECT_EQ(j["family"], "mlp");
  EXPECT_EQ(j["seed"], 3);
}

TEST(TraceGen, IsDeterministic) {
  const auto dir = scratch_dir("gen-determinism");
  const std::string exp = write_text(dir, "tiny.yaml", kTinyExperiment);
  ASSERT_EQ(run_tessera({"trace", "gen", exp, "-o", (dir / "a.tst").string()}).exit_code, 0);
  ASSERT_EQ(run_tessera({"trace", "gen", exp, "-o", (dir / "b.tst").string()}).exit_code, 0);
  EXPECT_EQ(slurp(dir / "a.tst"), slurp(dir / "b.tst"));
  EXPECT_FALSE(slurp(dir / "a.tst").empty());
}

TEST(TraceGen, SetOverridesTheExperiment) {
  const auto dir = scratch_dir("gen-set");
  const std::string exp = write_text(dir, "tiny.yaml", kTinyExperiment);
  ASSERT_EQ(run_tessera({"trace", "gen", exp, "-o", (dir / "a.tst").string()}).exit_code, 0);
  // One more layer: more ops, more events. --set may come before or after the command.
  CliResult r = run_tessera(
      {"--set", "workload.widths=[16,8,4,2]", "trace", "gen", exp, "-o", (dir / "b.tst").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_tessera({"trace", "gen", exp, "-o", (dir / "c.tst").string(), "--set", "seed=99"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto info = [&](const std::string& name) {
    const CliResult i = run_tessera({"trace", "info", (dir / name).string(), "--json"});
    EXPECT_EQ(i.exit_code, 0) << i.err;
    return nlohmann::json::parse(i.out);
  };
  const nlohmann::json a = info("a.tst"), b = info("b.tst"), c = info("c.tst");
  EXPECT_GT(b["ops"].get<int>(), a["ops"].get<int>());
  EXPECT_GT(b["events"].get<int>(), a["events"].get<int>());
  EXPECT_EQ(c["seed"], 99);
  EXPECT_EQ(a["seed"], 3);
}

TEST(TraceGen, UnknownExtensionIsExitTwoBeforeGenerating) {
  const auto dir = scratch_dir("gen-ext");
  const std::string exp = write_text(dir, "tiny.yaml", kTinyExperiment);
  const std::string out = (dir / "t.txt").string();
  const CliResult r = run_tessera({"trace", "gen", exp, "-o", out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, out +
                       ": expected a trace file name ending in .tst (binary), .csv or "
                       ".legacy.csv, found '.txt'\n");
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(TraceGen, OutputIsRequired) {
  const auto dir = scratch_dir("gen-noout");
  const std::string exp = write_text(dir, "tiny.yaml", kTinyExperiment);
  const CliResult r = run_tessera({"trace", "gen", exp});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "tessera: --output is required");
}

}  // namespace
}  // namespace tessera::testing
