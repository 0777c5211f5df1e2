// The read-only DRAM bandwidth (docs/roofline.md, "Read-only streams"): a
// kernel that writes nothing back (sdot, GEMV) streams at the bandwidth
// calibrate measures with a read-only sum, one that writes the triad's share
// or more at the triad's, linearly in between; a streaming kernel pays for
// its reads (and fills) at the read-only bandwidth, its write-backs overlap.
// Every figure is worked by hand.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "models/config/device_config.h"
#include "models/roofline/device_library.h"
#include "models/roofline/estimator.h"
#include "models/roofline/validation.h"
#include "tests/unit/roofline/cpu_test_device.h"

namespace tessera::roofline {
namespace {

constexpr std::uint64_t kMi = 1u << 20;

// The test core with write-allocate, the triad at 10 GB/s and a read-only
// stream at 6 GB/s.
DeviceConfig reader() {
  DeviceConfig d = test_devices::cpu1();
  d.write_allocate = true;
  d.memory_read_bandwidth_bytes_per_s = 6e9;
  return d;
}

TEST(RooflineReadBandwidth, BlendsByTheShareOfWriteBacks) {
  const DeviceConfig d = reader();
  // Nothing written: the read-only stream's 6 GB/s.
  EXPECT_DOUBLE_EQ(dram_bandwidth(d, 1000, 0), 6e9);
  // Write-backs 1/8 of the bytes, half the triad's 8 of 32: 6 + 0.5 x 4 = 8 GB/s.
  EXPECT_DOUBLE_EQ(dram_bandwidth(d, 1000, 125), 8e9);
  // The triad's share (1/4) and above: the triad's 10 GB/s.
  EXPECT_DOUBLE_EQ(dram_bandwidth(d, 1000, 250), 10e9);
  EXPECT_DOUBLE_EQ(dram_bandwidth(d, 1200, 400), 10e9);
  // Without write-allocate the triad writes 8 of 24 B: a 1/6 share is half way.
  DeviceConfig plain = d;
  plain.write_allocate = false;
  EXPECT_DOUBLE_EQ(dram_bandwidth(plain, 600, 100), 8e9);
  // No read-only figure (the datasheet devices): always the triad's.
  EXPECT_DOUBLE_EQ(dram_bandwidth(test_devices::cpu1(), 1000, 0), 10e9);
}

TEST(RooflineReadBandwidth, ADotProductStreamsAtTheReadOnlyBandwidth) {
  // sdot over 1 Mi fp32: x and y read, 8388608 B, nothing written:
  // 8388608 / 6e9 = 1.398101333 ms, + 1 us per call.
  OpSpec dot = OpSpec::elementwise(kMi, 2, Dtype::kFp32);
  dot.n = 0;
  const Estimate e = estimate(dot, reader());
  EXPECT_DOUBLE_EQ(e.dram_bytes, 8388608);
  EXPECT_FALSE(e.compute_bound);
  EXPECT_NEAR(e.time_s * 1e3, 8388608 / 6e9 * 1e3 + 1e-3, 1e-12);
  EXPECT_NEAR(e.time_s * 1e3, 1.399101333, 1e-9);
  // Without the read-only figure: 0.8388608 ms + 1 us.
  DeviceConfig triad_only = reader();
  triad_only.memory_read_bandwidth_bytes_per_s = 0;
  EXPECT_NEAR(estimate(dot, triad_only).time_s * 1e3, 0.8398608, 1e-12);
}

TEST(RooflineReadBandwidth, StreamingKernelsPayForTheirReadsOnly) {
  const DeviceConfig d = reader();
  // 1200 B moved, 400 of them write-backs: 800 B read at 6 GB/s take as long
  // as 1200 B at 9 GB/s.
  EXPECT_DOUBLE_EQ(dram_stream_bandwidth(d, 1200, 400), 9e9);
  // Nothing written: the read-only stream's.
  EXPECT_DOUBLE_EQ(dram_stream_bandwidth(d, 1000, 0), 6e9);
  // Only writes (no read left): dram_bandwidth's triad figure.
  EXPECT_DOUBLE_EQ(dram_stream_bandwidth(d, 1000, 1000), 10e9);
  // No read-only figure (the datasheet devices): dram_bandwidth, the triad's.
  EXPECT_DOUBLE_EQ(dram_stream_bandwidth(test_devices::cpu1(), 1200, 400), 10e9);
  // saxpy in place over 1 Mi fp32: 12582912 B, 4194304 of them written back;
  // x and y read, 8388608 B / 6e9 = 1.398101333 ms, + 1 us per call.
  OpSpec saxpy = OpSpec::elementwise(kMi, 2, Dtype::kFp32);
  saxpy.in_place = true;
  const Estimate e = estimate(saxpy, d);
  EXPECT_DOUBLE_EQ(e.dram_bytes, 12582912);
  EXPECT_NEAR(e.time_s * 1e3, 1.399101333, 1e-9);
  // scopy: x read and y filled (8388608 B), y written back (4194304 B): the same.
  EXPECT_NEAR(estimate(OpSpec::elementwise(kMi, 1, Dtype::kFp32), d).time_s * 1e3, 1.399101333,
              1e-9);
  // Without the read-only figure both keep the triad's 10 GB/s: 1.2582912 ms + 1 us.
  EXPECT_NEAR(estimate(saxpy, test_devices::cpu1()).time_s * 1e3, 1.2592912, 1e-12);
}

TEST(RooflineReadBandwidth, AGemvWritesAlmostNothing) {
  // y = A x, 1024 x 1024 fp32 (n = 1): A, x, y compulsory 4202496 B; the
  // 1 MiB cache re-reads x once per 295-row block (4 blocks: 3 x 4096 B
  // more) and y's 4096 B are filled first: 4218880 B at DRAM, 4096 written.
  // Write share 4096 / 4218880 = 0.00097087, 0.0038835 of the triad's 1/4:
  // 6e9 + 4e9 x 0.0038835 = 6.015534e9 B/s, so 0.70133 ms + 1 us.
  const Estimate e = estimate(OpSpec::gemm(1024, 1, 1024, Dtype::kFp32), reader());
  EXPECT_DOUBLE_EQ(e.dram_bytes, 4218880);
  const double bw = 6e9 + 4e9 * (4096.0 / 4218880.0 / 0.25);
  EXPECT_NEAR(bw, 6.015534e9, 1e3);
  EXPECT_NEAR(e.time_s * 1e3, 4218880 / bw * 1e3 + 1e-3, 1e-12);
  EXPECT_NEAR(e.time_s * 1e3, 0.70233, 1e-5);
}

TEST(RooflineReadBandwidth, OneUnitDrawsItsOwnReadBandwidth) {
  DeviceConfig d = reader();
  d.compute_units = 2;
  d.memory_read_bandwidth_bytes_per_s = 12e9;
  d.memory_read_bandwidth_per_unit_bytes_per_s = 7e9;
  EXPECT_DOUBLE_EQ(restrict_to_units(d, 1).memory_read_bandwidth_bytes_per_s, 7e9);
  EXPECT_DOUBLE_EQ(restrict_to_units(d, 2).memory_read_bandwidth_bytes_per_s, 12e9);
  // Without a per-unit figure one unit keeps the whole read bandwidth.
  d.memory_read_bandwidth_per_unit_bytes_per_s = 0;
  EXPECT_DOUBLE_EQ(restrict_to_units(d, 1).memory_read_bandwidth_bytes_per_s, 12e9);
}

TEST(RooflineReadBandwidth, TheInSituRoofsScaleIt) {
  DeviceConfig d = reader();
  d.memory_read_bandwidth_per_unit_bytes_per_s = 5e9;
  const DeviceConfig s = scale_device(d, 1.0, 0.5);
  EXPECT_DOUBLE_EQ(s.memory_read_bandwidth_bytes_per_s, 3e9);
  EXPECT_DOUBLE_EQ(s.memory_read_bandwidth_per_unit_bytes_per_s, 2.5e9);
}

TEST(RooflineReadBandwidth, DatasheetDevicesHaveNone) {
  // The library's devices keep the plain roofline: the A100 1024^3 fp32 case
  // (test_estimator) is untouched because no device file sets the field.
  const DeviceConfig a100 = find_device("a100-sxm-40gb", {});
  EXPECT_DOUBLE_EQ(a100.memory_read_bandwidth_bytes_per_s, 0.0);
  EXPECT_DOUBLE_EQ(dram_bandwidth(a100, 1e6, 0), a100.memory_bandwidth_bytes_per_s);
}

TEST(RooflineReadBandwidth, ParsedFromTheMemorySection) {
  const auto dir = std::filesystem::temp_directory_path() / "tessera_read_bw_test";
  std::filesystem::create_directories(dir);
  const auto file = dir / "r.yaml";
  {
    std::ofstream out(file);
    out << "name: r\ncompute_units: 2\ntiles: [[4, 8]]\npeak: {fp32: 100GFLOP/s}\n"
           "memory: {bandwidth: 80GB/s, read_bandwidth: 50GB/s, read_bandwidth_per_unit: 30GB/s}\n";
  }
  const DeviceConfig d = config::load_device(file);
  EXPECT_DOUBLE_EQ(d.memory_read_bandwidth_bytes_per_s, 50e9);
  EXPECT_DOUBLE_EQ(d.memory_read_bandwidth_per_unit_bytes_per_s, 30e9);
  {
    std::ofstream out(file);
    out << "name: r\ncompute_units: 2\ntiles: [[4, 8]]\npeak: {fp32: 100GFLOP/s}\n"
           "memory: {bandwidth: 80GB/s, read_bandwidth: fast}\n";
  }
  try {
    config::load_device(file);
    ADD_FAILURE() << "a bad read_bandwidth must be an error";
  } catch (const std::exception& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("memory.read_bandwidth"), std::string::npos) << msg;
    EXPECT_NE(msg.find("fast"), std::string::npos) << msg;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tessera::roofline
