// The device library parses, every library file is consistent, and device
// file mistakes are one-line errors naming file:line:col and the key.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "models/config/device_config.h"
#include "models/config/node.h"
#include "models/config/tree.h"
#include "models/core/error.h"
#include "models/roofline/device_library.h"

namespace tessera::config {
namespace {

DeviceConfig parse_text(const std::string& text) {
  const ValuePtr root = parse_tree(text, "dev.yaml");
  return parse_device(Node(*root), "dev");
}

std::string error_of(const std::string& text) {
  try {
    parse_text(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

const char* kMinimal = R"(compute_units: 4
tiles: [[2, 2]]
peak: {fp32: 1TFLOP/s}
memory: {bandwidth: 100GB/s}
)";

TEST(DeviceUnits, BandwidthAndThroughputSuffixes) {
  EXPECT_DOUBLE_EQ(*parse_bandwidth("1555GB/s"), 1555e9);
  EXPECT_DOUBLE_EQ(*parse_bandwidth("3.35TB/s"), 3.35e12);
  EXPECT_DOUBLE_EQ(*parse_bandwidth("1GiB/s"), 1073741824.0);
  EXPECT_DOUBLE_EQ(*parse_bandwidth("2.5e9"), 2.5e9);
  EXPECT_FALSE(parse_bandwidth("fast"));
  EXPECT_FALSE(parse_bandwidth("10GHz"));
  EXPECT_DOUBLE_EQ(*parse_throughput("19.5TFLOP/s"), 19.5e12);
  EXPECT_DOUBLE_EQ(*parse_throughput("624TOP/s"), 624e12);
  EXPECT_DOUBLE_EQ(*parse_throughput("312e12"), 312e12);
  EXPECT_FALSE(parse_throughput("1TB/s"));
}

TEST(DeviceUnits, DtypeNamesAndSizes) {
  for (Dtype d : kAllDtypes) EXPECT_EQ(*parse_dtype(dtype_name(d)), d);
  EXPECT_FALSE(parse_dtype("fp64"));
  EXPECT_EQ(dtype_bytes(Dtype::kFp32), 4u);
  EXPECT_EQ(dtype_bytes(Dtype::kTf32), 4u);
  EXPECT_EQ(dtype_bytes(Dtype::kBf16), 2u);
  EXPECT_EQ(dtype_bytes(Dtype::kFp8), 1u);
}

TEST(DeviceConfig, MinimalDeviceTakesDefaults) {
  const DeviceConfig d = parse_text(kMinimal);
  EXPECT_EQ(d.name, "dev");
  EXPECT_EQ(d.compute_units, 4u);
  ASSERT_EQ(d.tiles.size(), 1u);
  EXPECT_EQ(d.tiles[0].m, 2u);
  EXPECT_DOUBLE_EQ(d.peak(Dtype::kFp32), 1e12);
  EXPECT_DOUBLE_EQ(d.vector_flops_per_s, 1e12);  // defaults to the fp32 peak
  EXPECT_FALSE(d.supports(Dtype::kFp16));
  EXPECT_DOUBLE_EQ(d.memory_bandwidth_bytes_per_s, 100e9);
  EXPECT_TRUE(d.caches.empty());
  EXPECT_EQ(d.launch_overhead_ps, 0u);
}

TEST(DeviceConfig, UnknownKeyListsKnownOnes) {
  const std::string msg = error_of(std::string(kMinimal) + "turbo: 2\n");
  EXPECT_EQ(msg.find('\n'), std::string::npos);
  EXPECT_NE(msg.find("dev.yaml:5:1"), std::string::npos) << msg;
  EXPECT_NE(msg.find("turbo"), std::string::npos) << msg;
  EXPECT_NE(msg.find("compute_units"), std::string::npos) << msg;
}

TEST(DeviceConfig, BadBandwidthNamesKeyAndValue) {
  const std::string msg = error_of(R"(compute_units: 4
tiles: [[2, 2]]
peak: {fp32: 1TFLOP/s}
memory: {bandwidth: fast}
)");
  EXPECT_NE(msg.find("dev.yaml:4:21"), std::string::npos) << msg;
  EXPECT_NE(msg.find("memory.bandwidth"), std::string::npos) << msg;
  EXPECT_NE(msg.find("'fast'"), std::string::npos) << msg;
}

TEST(DeviceConfig, MissingPeakAndAllZeroPeakAreErrors) {
  EXPECT_NE(error_of("compute_units: 1\ntiles: [[1,1]]\nmemory: {bandwidth: 1GB/s}\n")
                .find("peak: expected a map"),
            std::string::npos);
  const std::string msg =
      error_of("compute_units: 1\ntiles: [[1,1]]\npeak: {fp16: 0}\nmemory: {bandwidth: 1GB/s}\n");
  EXPECT_NE(msg.find("at least one dtype with a peak above 0"), std::string::npos) << msg;
  EXPECT_NE(error_of("compute_units: 1\ntiles: [[1,1]]\npeak: {fp64: 1}\nmemory: "
                     "{bandwidth: 1GB/s}\n")
                .find("fp64"),
            std::string::npos);
}

TEST(DeviceConfig, BadTileAndCacheAreErrors) {
  EXPECT_NE(error_of("compute_units: 1\ntiles: [[1,2,3]]\npeak: {fp32: 1}\nmemory: "
                     "{bandwidth: 1GB/s}\n")
                .find("tiles"),
            std::string::npos);
  const std::string msg = error_of(std::string(kMinimal) + "caches:\n  - {name: l1, size: big}\n");
  EXPECT_NE(msg.find("dev.yaml:6:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("caches"), std::string::npos) << msg;
  EXPECT_NE(msg.find("size"), std::string::npos) << msg;
}

TEST(DeviceConfig, GemmSectionAndPerUnitBandwidth) {
  const DeviceConfig d = parse_text(R"(compute_units: 2
tiles: [[16, 4]]
peak: {fp32: 90GFLOP/s}
gemm: {efficiency: 0.55, packs_operands: true}
memory: {bandwidth: 23.6GB/s, bandwidth_per_unit: 11.5GB/s}
)");
  EXPECT_DOUBLE_EQ(d.gemm.efficiency, 0.55);
  EXPECT_TRUE(d.gemm.packs_operands);
  EXPECT_DOUBLE_EQ(d.memory_bandwidth_per_unit_bytes_per_s, 11.5e9);
  // Defaults: the plain roofline.
  const DeviceConfig plain = parse_text(kMinimal);
  EXPECT_DOUBLE_EQ(plain.gemm.efficiency, 1.0);
  EXPECT_FALSE(plain.gemm.packs_operands);
  EXPECT_DOUBLE_EQ(plain.memory_bandwidth_per_unit_bytes_per_s, 0.0);
}

TEST(DeviceConfig, BlasTermsAndWriteAllocate) {
  const DeviceConfig d = parse_text(R"(compute_units: 2
tiles: [[4, 8]]
peak: {fp32: 90GFLOP/s}
gemm: {packs_operands: true, pack_block_k: 320, pack_block_m: 256, pack_run_latency: 95ns,
       tile_overhead: 1500ps}
memory: {bandwidth: 30GB/s, write_allocate: true}
)");
  EXPECT_EQ(d.gemm.pack_block_k, 320u);
  EXPECT_EQ(d.gemm.pack_block_m, 256u);
  EXPECT_EQ(d.gemm.pack_run_latency_ps, 95'000u);
  EXPECT_EQ(d.gemm.tile_overhead_ps, 1'500u);
  EXPECT_TRUE(d.write_allocate);
  // Defaults: none of them.
  const DeviceConfig plain = parse_text(kMinimal);
  EXPECT_EQ(plain.gemm.pack_block_k, 0u);
  EXPECT_EQ(plain.gemm.pack_run_latency_ps, 0u);
  EXPECT_EQ(plain.gemm.tile_overhead_ps, 0u);
  EXPECT_FALSE(plain.write_allocate);
  const std::string bad = error_of(std::string(kMinimal) + "gemm: {pack_run_latency: soon}\n");
  EXPECT_EQ(bad.find('\n'), std::string::npos) << bad;
  EXPECT_NE(bad.find("gemm.pack_run_latency"), std::string::npos) << bad;
  const std::string flag = error_of(R"(compute_units: 4
tiles: [[2, 2]]
peak: {fp32: 1TFLOP/s}
memory: {bandwidth: 100GB/s, write_allocate: 2}
)");
  EXPECT_NE(flag.find("memory.write_allocate"), std::string::npos) << flag;
}

TEST(DeviceConfig, BadGemmSectionIsOneLineError) {
  for (const char* bad :
       {"gemm: {efficiency: 0}\n", "gemm: {efficiency: 1.5}\n", "gemm: {efficiency: fast}\n"}) {
    const std::string msg = error_of(std::string(kMinimal) + bad);
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_NE(msg.find("dev.yaml:5:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("gemm.efficiency"), std::string::npos) << msg;
  }
  const std::string unknown = error_of(std::string(kMinimal) + "gemm: {packing: yes}\n");
  EXPECT_NE(unknown.find("packs_operands"), std::string::npos) << unknown;
  const std::string flag = error_of(std::string(kMinimal) + "gemm: {packs_operands: 3}\n");
  EXPECT_NE(flag.find("gemm.packs_operands"), std::string::npos) << flag;
  const std::string list = error_of(std::string(kMinimal) + "gemm: [1]\n");
  EXPECT_NE(list.find("gemm"), std::string::npos) << list;
  const std::string bw = error_of(R"(compute_units: 4
tiles: [[2, 2]]
peak: {fp32: 1TFLOP/s}
memory: {bandwidth: 100GB/s, bandwidth_per_unit: lots}
)");
  EXPECT_NE(bw.find("memory.bandwidth_per_unit"), std::string::npos) << bw;
  EXPECT_NE(bw.find("lots"), std::string::npos) << bw;
}

TEST(DeviceLibrary, EveryLibraryDeviceLoadsAndIsConsistent) {
  const auto dir = std::filesystem::path(TESSERA_SOURCE_DIR) / "platforms/devices";
  const char* expected[] = {"a100-sxm-40gb", "a100-sxm-80gb", "h100-sxm", "h200",
                            "v100-sxm2",     "tpu-v4",        "tpu-v5e",  "mi300x"};
  for (const char* name : expected) {
    SCOPED_TRACE(name);
    const DeviceConfig d = load_device(dir / (std::string(name) + ".yaml"));
    EXPECT_EQ(d.name, name);  // the name: key matches the file name
    EXPECT_GT(d.memory_bandwidth_bytes_per_s, 0);
    EXPECT_GE(d.compute_units, 1u);
    EXPECT_FALSE(d.tiles.empty());
    // Caches are listed innermost first: per-unit levels before shared ones.
    bool seen_shared = false;
    for (const auto& c : d.caches) {
      if (!c.per_unit) seen_shared = true;
      EXPECT_FALSE(c.per_unit && seen_shared) << c.name;
    }
  }
  // Spot checks against the datasheets cited in the files.
  const DeviceConfig a100 = load_device(dir / "a100-sxm-40gb.yaml");
  EXPECT_DOUBLE_EQ(a100.peak(Dtype::kFp32), 19.5e12);
  EXPECT_DOUBLE_EQ(a100.peak(Dtype::kFp16), 312e12);
  EXPECT_FALSE(a100.supports(Dtype::kFp8));
  EXPECT_EQ(a100.compute_units, 108u);
  EXPECT_DOUBLE_EQ(a100.memory_bandwidth_bytes_per_s, 1555e9);
  const DeviceConfig h100 = load_device(dir / "h100-sxm.yaml");
  EXPECT_DOUBLE_EQ(h100.peak(Dtype::kFp8), 1978.9e12);
  EXPECT_DOUBLE_EQ(h100.memory_bandwidth_bytes_per_s, 3.35e12);
}

TEST(DeviceLibrary, FindsByNameFromAnyDirectoryAndRejectsUnknownNames) {
  const DeviceConfig h100 = roofline::find_device("h100-sxm");
  EXPECT_EQ(h100.compute_units, 132u);
  try {
    roofline::find_device("a200");
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'a200'"), std::string::npos);
    EXPECT_NE(msg.find("h100-sxm"), std::string::npos);  // lists the known names
  }
  EXPECT_EQ(roofline::list_devices().size() >= 8, true);
}

TEST(DeviceLibrary, ExtraDirectoriesWinOverTheLibrary) {
  const auto dir = std::filesystem::temp_directory_path() / "tessera-roofline-devdir";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "h100-sxm.yaml") << "name: h100-sxm\n" << kMinimal;
  const DeviceConfig d = roofline::find_device("h100-sxm", {dir});
  EXPECT_EQ(d.compute_units, 4u);
  ::setenv("TESSERA_DEVICES", dir.string().c_str(), 1);
  EXPECT_EQ(roofline::find_device("h100-sxm").compute_units, 4u);
  ::unsetenv("TESSERA_DEVICES");
  EXPECT_EQ(roofline::find_device("h100-sxm").compute_units, 132u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tessera::config
