// `tessera roofline`, `tessera devices`, `tessera calibrate host` and
// `tessera validate-roofline` through the real binary, from the test's
// working directory (not the source tree): the device library is found by name.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"

namespace tessera::testing {
namespace {

using nlohmann::json;

int lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(RooflineCli, A100Fp32GemmJsonByHand) {
  const CliResult r = run_tessera({"roofline", "--device", "a100-sxm-40gb", "--op",
                                   "gemm:1024,1024,1024", "--dtype", "fp32", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["device"], "a100-sxm-40gb");
  EXPECT_DOUBLE_EQ(j["flops"].get<double>(), 2147483648.0);  // 2 * 1024^3
  EXPECT_DOUBLE_EQ(j["bytes"].get<double>(), 12582912.0);    // 3 x 4 MiB, all fit the L2
  EXPECT_EQ(j["bottleneck"], "compute");
  EXPECT_NEAR(j["ideal_compute_ms"].get<double>(), 0.110127, 1e-6);  // 2.147e9 / 19.5e12
  // 3 waves of 64x64 tiles on 108 SMs (0.139380 ms) + 3 us launch.
  EXPECT_NEAR(j["time_ms"].get<double>(), 0.142380, 1e-6);
  EXPECT_NEAR(j["arithmetic_intensity"].get<double>(), 2147483648.0 / 12582912.0, 1e-9);
  EXPECT_NEAR(j["energy_j"].get<double>(), 6.569119e-3, 1e-8);
  EXPECT_EQ(j["waves"], 3);
  EXPECT_EQ(j["levels"].size(), 3u);
}

TEST(RooflineCli, UnitsRestrictTheDeviceByHand) {
  // Half of the A100 (54 SMs): 256 tiles of 64 x 64 take 5 waves:
  // 5 * 54 * 2 * 64 * 64 * 1024 = 2,264,924,160 FLOP at 9.75 TFLOP/s = 0.232300 ms, + 3 us.
  const CliResult r =
      run_tessera({"roofline", "--device", "a100-sxm-40gb", "--op", "gemm:1024,1024,1024",
                   "--dtype", "fp32", "--units", "54", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["units"], 54);
  EXPECT_EQ(j["waves"], 5);
  EXPECT_NEAR(j["time_ms"].get<double>(), 0.235300, 1e-6);
  EXPECT_DOUBLE_EQ(j["pack_ms"].get<double>(), 0.0);  // a GPU library packs nothing
  const CliResult bad = run_tessera({"roofline", "--device", "a100-sxm-40gb", "--op", "gemm:8,8,8",
                                     "--dtype", "fp32", "--units", "200"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(lines(bad.err), 1) << bad.err;
  EXPECT_NE(bad.err.find("--units: expected 0 (all) to 108"), std::string::npos) << bad.err;
}

TEST(RooflineCli, GemvOnH100IsMemoryBoundAndTextOutputNamesIt) {
  const CliResult r = run_tessera(
      {"roofline", "--device", "h100-sxm", "--op", "gemm:8192,1,8192", "--dtype", "fp16"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("memory-bound"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("h100-sxm"), std::string::npos);
}

TEST(RooflineCli, EveryOperatorFormParses) {
  const char* ops[] = {"bgemm:8,128,128,64",
                       "conv2d:1,3,224,224,64,7,7,2,3",
                       "attention:1,16,2048,2048,128",
                       "attention_unfused:1,16,2048,2048,128",
                       "elementwise:1048576,2",
                       "reduction:1024,1024",
                       "softmax:4096,4096",
                       "layernorm:4096,1024",
                       "embedding:512,1024,50257"};
  for (const char* op : ops) {
    const CliResult r =
        run_tessera({"roofline", "--device", "mi300x", "--op", op, "--dtype", "bf16", "--json"});
    ASSERT_EQ(r.exit_code, 0) << op << ": " << r.err;
    const json j = json::parse(r.out);
    EXPECT_GT(j["time_ms"].get<double>(), 0) << op;
    EXPECT_GE(j["energy_j"].get<double>(), 0) << op;
  }
}

TEST(RooflineCli, BadInputsAreOneLineErrorsWithExitCode2) {
  struct Case {
    std::vector<std::string> args;
    std::string needle;
  };
  const Case cases[] = {
      {{"roofline", "--device", "h100-sxm", "--op", "gemm:1,2"}, "--op: expected"},
      {{"roofline", "--device", "h100-sxm", "--op", "matmul:1,2,3"}, "unknown operator 'matmul'"},
      {{"roofline", "--device", "h100-sxm", "--op", "gemm:1,x,3"}, "'x' is not a count"},
      {{"roofline", "--device", "a200", "--op", "gemm:1,2,3"}, "found 'a200'"},
      {{"roofline", "--device", "v100-sxm2", "--op", "gemm:64,64,64", "--dtype", "bf16"},
       "does not support dtype bf16"},
      {{"roofline", "--device", "h100-sxm", "--op", "gemm:1,2,3", "--dtype", "fp64"},
       "--dtype: expected one of"},
      {{"roofline", "--device", "h100-sxm"}, "expected either --op or an EXPERIMENT"},
  };
  for (const Case& c : cases) {
    const CliResult r = run_tessera(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.needle << ": " << r.err;
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(c.needle), std::string::npos) << r.err;
  }
}

TEST(RooflineCli, BrokenDeviceFileNamesFileLineAndKey) {
  const auto dir = scratch_dir("roofline-baddev");
  const std::string file = write_text(dir, "bad.yaml",
                                      "compute_units: 4\ntiles: [[2, 2]]\npeak: {fp32: 1TFLOP/s}\n"
                                      "memory: {bandwidth: 12 parsecs}\n");
  const CliResult r =
      run_tessera({"roofline", "--device", file, "--op", "gemm:8,8,8", "--dtype", "fp32"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("bad.yaml:4:21"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("memory.bandwidth"), std::string::npos) << r.err;
}

TEST(RooflineCli, WorkloadTableJsonAndPlot) {
  const auto dir = scratch_dir("roofline-workload");
  const std::string svg = (dir / "roofline.svg").string();
  const CliResult r = run_tessera({"roofline", source_path("configs/quickstart.yaml"), "--device",
                                   "h100-sxm", "--json", "--plot", svg});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_GT(j["ops"].size(), 0u);
  double time_ms = 0, flops = 0;
  for (const auto& op : j["ops"]) {
    time_ms += op["time_ms"].get<double>();
    flops += op["flops"].get<double>();
  }
  EXPECT_NEAR(j["time_ms"].get<double>(), time_ms, 1e-9 * time_ms);
  EXPECT_NEAR(j["flops"].get<double>(), flops, 1e-9 * flops);
  EXPECT_EQ(j["operators"].get<std::size_t>(), j["ops"].size());
  const std::string plot = slurp(svg);
  EXPECT_NE(plot.find("<svg"), std::string::npos);
  EXPECT_NE(plot.find("dram roof"), std::string::npos);
  EXPECT_NE(plot.find("operators"), std::string::npos);
  // Text mode: a per-operator table and a total line.
  const CliResult t = run_tessera(
      {"roofline", source_path("configs/quickstart.yaml"), "--device", "a100-sxm-80gb"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_NE(t.out.find("bound"), std::string::npos);
  EXPECT_NE(t.out.find("on a100-sxm-80gb:"), std::string::npos);
}

TEST(RooflineCli, DevicesListsTheLibrary) {
  const CliResult r = run_tessera({"devices", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  std::vector<std::string> names;
  for (const auto& d : j) names.push_back(d["name"]);
  for (const char* expected : {"a100-sxm-40gb", "a100-sxm-80gb", "h100-sxm", "h200", "v100-sxm2",
                               "tpu-v4", "tpu-v5e", "mi300x"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
  // The Tessera platforms are listed as devices too, and usable as one.
  EXPECT_NE(std::find(names.begin(), names.end(), "platforms/edge-npu.yaml"), names.end());
  const CliResult est = run_tessera({"roofline", "--device", source_path("platforms/edge-npu.yaml"),
                                     "--op", "gemm:256,256,256", "--json"});
  ASSERT_EQ(est.exit_code, 0) << est.err;
  EXPECT_GT(json::parse(est.out)["time_ms"].get<double>(), 0);
  const CliResult text = run_tessera({"devices"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("NVIDIA H100 SXM5"), std::string::npos);
}

TEST(RooflineCli, CalibrateWritesAValidDeviceThatValidateReads) {
  const auto dir = scratch_dir("roofline-calibrate");
  const std::string out = (dir / "host.yaml").string();
  const CliResult r = run_tessera(
      {"--quiet", "calibrate", "host", "-o", out, "--seconds", "0.2", "--dram-size", "8MiB"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string yaml = slurp(out);
  EXPECT_NE(yaml.find("fp32:"), std::string::npos);
  EXPECT_NE(yaml.find("STREAM triad"), std::string::npos);
  // The BLAS figures: one calibration shape, a measured call overhead, the
  // one-thread DRAM bandwidth.
  EXPECT_NE(yaml.find("sgemm 1280x1280x1280"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("efficiency: "), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("packs_operands: true"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("bandwidth_per_unit: "), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("ns        # measured: best 1x1x1 sgemm"), std::string::npos) << yaml;
  // The terms of a real BLAS on this machine: the second (small) calibration
  // shape, the packing's per-run latency, write-allocate bandwidths.
  EXPECT_NE(yaml.find("sgemm 40x40x40"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("tile_overhead: "), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("pack_run_latency: "), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("write_allocate: true"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("32 B per element"), std::string::npos) << yaml;
  const CliResult dev = run_tessera({"devices", "--devices-dir", dir.string(), "--json"});
  ASSERT_EQ(dev.exit_code, 0) << dev.err;
  bool found = false;
  for (const auto& d : json::parse(dev.out)) {
    if (d["name"] != "host") continue;
    found = true;
    const double efficiency = d["gemm"]["efficiency"].get<double>();
    EXPECT_GT(efficiency, 0.0);
    EXPECT_LE(efficiency, 1.0);
    EXPECT_GT(d["memory_bandwidth_per_unit_bytes_per_s"].get<double>(), 0.0);
  }
  EXPECT_TRUE(found);
  // No temporary left behind.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
  // The file is a device the estimator accepts.
  const CliResult est = run_tessera(
      {"roofline", "--device", out, "--op", "gemm:256,256,256", "--dtype", "fp32", "--json"});
  ASSERT_EQ(est.exit_code, 0) << est.err;
  EXPECT_GT(json::parse(est.out)["time_ms"].get<double>(), 0);
  // And validate-roofline times OpenBLAS against it.
  const CliResult v = run_tessera({"validate-roofline", "--device", out, "--quick", "--seconds",
                                   "0.01", "--batches", "3", "--roof-size", "8MiB", "--json"});
  ASSERT_EQ(v.exit_code, 0) << v.err;
  const json vj = json::parse(v.out);
  EXPECT_NE(vj["blas"].get<std::string>().find("OpenBLAS"), std::string::npos);
  ASSERT_EQ(vj["kernels"].size(), 6u);
  for (const auto& k : vj["kernels"]) {
    EXPECT_GT(k["measured_ms"].get<double>(), 0);
    EXPECT_GE(k["median_ms"].get<double>(), k["measured_ms"].get<double>());
    EXPECT_GE(k["spread"].get<double>(), 0);
    EXPECT_GE(k["batches"].get<int>(), 3);
    EXPECT_GT(k["estimate_ms"].get<double>(), 0);
    // The roofs measured before every batch, and the estimate at them.
    EXPECT_GT(k["insitu_compute_ratio"].get<double>(), 0);
    EXPECT_GT(k["insitu_memory_ratio"].get<double>(), 0);
    EXPECT_GT(k["insitu_estimate_ms"].get<double>(), 0);
    EXPECT_TRUE(k["insitu_error"].is_number());
    // The calibration shape is not one of the checked kernels.
    EXPECT_EQ(k["kernel"].get<std::string>().find("1280"), std::string::npos);
  }
  // OpenBLAS 0.3.21 runs sgemm up to M N K = 262144 and every sdot on one thread.
  EXPECT_EQ(vj["kernels"][0]["kernel"], "sgemm 16^3");
  EXPECT_EQ(vj["kernels"][0]["threads"], 1);
  EXPECT_EQ(vj["kernels"][1]["kernel"], "sgemm 64^3");
  EXPECT_EQ(vj["kernels"][1]["threads"], 1);
  EXPECT_EQ(vj["kernels"][5]["kernel"], "sdot 64Ki");
  EXPECT_EQ(vj["kernels"][5]["threads"], 1);
  EXPECT_GE(vj["bottleneck_agreement"].get<double>(), 0.0);
  EXPECT_TRUE(vj["interleaved_roofs"].get<bool>());
  EXPECT_EQ(vj["insitu"]["compute_bound"]["kernels"].get<int>() +
                vj["insitu"]["memory_bound"]["kernels"].get<int>(),
            6);
  // Without re-measuring, the in-situ figures are the file's.
  const CliResult plain = run_tessera({"validate-roofline", "--device", out, "--quick", "--seconds",
                                       "0.01", "--batches", "3", "--no-interleave", "--json"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  for (const auto& k : json::parse(plain.out)["kernels"]) {
    EXPECT_DOUBLE_EQ(k["insitu_compute_ratio"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(k["insitu_estimate_ms"].get<double>(), k["estimate_ms"].get<double>());
  }
}

TEST(RooflineCli, CalibrateRejectsBadOptions) {
  const auto dir = scratch_dir("roofline-calibrate-bad");
  const CliResult r =
      run_tessera({"calibrate", "host", "-o", (dir / "h.yaml").string(), "--seconds", "0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--seconds"), std::string::npos) << r.err;
  const CliResult s =
      run_tessera({"calibrate", "host", "-o", (dir / "h.yaml").string(), "--dram-size", "lots"});
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_NE(s.err.find("--dram-size"), std::string::npos) << s.err;
  const CliResult shape = run_tessera(
      {"calibrate", "host", "-o", (dir / "h.yaml").string(), "--gemm-shape", "1280,0,1280"});
  EXPECT_EQ(shape.exit_code, 2);
  EXPECT_EQ(lines(shape.err), 1) << shape.err;
  EXPECT_NE(shape.err.find("--gemm-shape: expected M,N,K"), std::string::npos) << shape.err;
  const CliResult small =
      run_tessera({"calibrate", "host", "-o", (dir / "h.yaml").string(), "--small-shape", "40,40"});
  EXPECT_EQ(small.exit_code, 2);
  EXPECT_EQ(lines(small.err), 1) << small.err;
  EXPECT_NE(small.err.find("--small-shape: expected M,N,K"), std::string::npos) << small.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "h.yaml"));
  const CliResult roof = run_tessera(
      {"validate-roofline", "--device", "a100-sxm-40gb", "--quick", "--roof-size", "big"});
  EXPECT_EQ(roof.exit_code, 2);
  EXPECT_EQ(lines(roof.err), 1) << roof.err;
  EXPECT_NE(roof.err.find("--roof-size: expected a size"), std::string::npos) << roof.err;
  const CliResult batches =
      run_tessera({"validate-roofline", "--device", "a100-sxm-40gb", "--quick", "--batches", "0"});
  EXPECT_EQ(batches.exit_code, 2);
  EXPECT_NE(batches.err.find("--batches: expected 1 to 1000, found 0"), std::string::npos)
      << batches.err;
}

}  // namespace
}  // namespace tessera::testing
