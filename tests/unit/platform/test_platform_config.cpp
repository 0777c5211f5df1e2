#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "models/config/node.h"
#include "models/config/platform_config.h"
#include "models/config/tree.h"
#include "models/core/error.h"

namespace tessera::config {
namespace {

PlatformConfig parse(const std::string& yaml) {
  const ValuePtr root = parse_tree(yaml, "p.yaml");
  return parse_platform(Node(*root), "p");
}

std::string error_of(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(PlatformConfig, FullFile) {
  const PlatformConfig p = parse(
      "name: t\n"
      "clock: 800MHz\n"
      "tiles: {count: 4, kind: systolic, rows: 8, cols: 16, dataflow: ws, scratchpad: 128KiB,\n"
      "        accumulator: 32KiB, double_buffering: false, max_outstanding: 8}\n"
      "cache: {capacity: [1MiB, 4MiB], policy: [lru, fifo], hit_latency: 12, banks: 4}\n"
      "interconnect: {bytes_per_cycle: 64, latency: 3, arbitration: fixed-priority, burst: 128}\n"
      "dram: {preset: HBM3, channels: 2}\n");
  EXPECT_EQ(p.name, "t");
  EXPECT_EQ(p.clock_hz, 800'000'000u);
  EXPECT_EQ(p.clock_period_ps(), 1250u);
  EXPECT_EQ(p.tiles.count, 4u);
  EXPECT_EQ(p.tiles.rows, 8u);
  EXPECT_EQ(p.tiles.cols, 16u);
  EXPECT_EQ(p.tiles.lanes, 16u);  // defaults to cols
  EXPECT_EQ(p.tiles.dataflow, Dataflow::kWeightStationary);
  EXPECT_EQ(p.tiles.scratchpad_bytes, 128 * kKiB);
  EXPECT_EQ(p.tiles.accumulator_bytes, 32 * kKiB);
  EXPECT_FALSE(p.tiles.double_buffering);
  EXPECT_EQ(p.tiles.max_outstanding, 8u);
  ASSERT_EQ(p.cache.capacities_bytes.size(), 2u);
  EXPECT_EQ(p.cache.capacities_bytes[1], 4 * kMiB);
  ASSERT_EQ(p.cache.policies.size(), 2u);
  EXPECT_EQ(p.cache.policies[1], "fifo");
  EXPECT_EQ(p.cache.hit_latency_cycles, 12u);
  EXPECT_EQ(p.cache.banks, 4u);
  EXPECT_EQ(p.interconnect.bytes_per_cycle, 64u);
  EXPECT_EQ(p.interconnect.latency_cycles, 3u);
  EXPECT_EQ(p.interconnect.arbitration, Arbitration::kFixedPriority);
  EXPECT_EQ(p.interconnect.burst_bytes, 128u);
  EXPECT_EQ(p.dram.preset, "HBM3");
  EXPECT_EQ(p.dram.channels, 2u);
}

TEST(PlatformConfig, DefaultsAndScalarPolicy) {
  const PlatformConfig p =
      parse("clock: 1GHz\ntiles: {kind: vector, lanes: 64}\ncache: {policy: fifo}\n");
  EXPECT_EQ(p.name, "p");
  EXPECT_EQ(p.tiles.kind, TileKind::kVector);
  EXPECT_EQ(p.tiles.lanes, 64u);
  ASSERT_EQ(p.cache.policies.size(), 1u);
  EXPECT_EQ(p.cache.policies[0], "fifo");
  EXPECT_EQ(p.cache.capacities_bytes[0], 4 * kMiB);
  EXPECT_EQ(p.dram.preset, "DDR4-3200");
  EXPECT_EQ(p.dram.channels, 1u);
}

TEST(PlatformConfig, UnknownKeyListsKnownOnes) {
  const std::string e = error_of("clock: 1GHz\ntiles: {count: 1, colour: red}\n");
  EXPECT_NE(e.find("p.yaml:2:"), std::string::npos) << e;
  EXPECT_NE(e.find("colour"), std::string::npos) << e;
  EXPECT_NE(e.find("dataflow"), std::string::npos) << e;
}

TEST(PlatformConfig, BadDataflow) {
  const std::string e = error_of("clock: 1GHz\ntiles: {dataflow: rs}\n");
  EXPECT_NE(e.find("tiles.dataflow"), std::string::npos) << e;
  EXPECT_NE(e.find("'rs'"), std::string::npos) << e;
}

TEST(PlatformConfig, BanksMustBeAPowerOfTwo) {
  const std::string e = error_of("clock: 1GHz\ntiles: {}\ncache: {banks: 3}\n");
  EXPECT_NE(e.find("p.yaml:3:"), std::string::npos) << e;
  EXPECT_NE(e.find("cache.banks: expected a power of two, found '3'"), std::string::npos) << e;
}

TEST(PlatformConfig, VectorTileRejectsSystolicKeys) {
  const std::string e = error_of("clock: 1GHz\ntiles: {kind: vector, rows: 4}\n");
  EXPECT_NE(e.find("tiles.rows"), std::string::npos) << e;
}

TEST(PlatformConfig, ClockIsRequired) {
  const std::string e = error_of("tiles: {}\n");
  EXPECT_NE(e.find("clock"), std::string::npos) << e;
}

TEST(PlatformConfig, UnknownDramPreset) {
  const std::string e = error_of("clock: 1GHz\ntiles: {}\ndram: {preset: DDR9}\n");
  EXPECT_NE(e.find("dram.preset"), std::string::npos) << e;
  EXPECT_NE(e.find("HBM3"), std::string::npos) << e;
}

TEST(PlatformConfig, DramOverridesAsInADramFile) {
  const PlatformConfig p = parse(
      "clock: 1GHz\ntiles: {}\n"
      "dram:\n"
      "  preset: DDR4-3200\n"
      "  channels: 2\n"
      "  organization: {ranks: 2}\n"
      "  timing: {tRCD: 30, tRP: 13.75ns}\n"
      "  controller: {scheduler: fcfs, page_policy: closed, read_queue: 16, mapping: "
      "RoBaRaCoCh}\n");
  EXPECT_EQ(p.dram.preset, "DDR4-3200");
  EXPECT_EQ(p.dram.channels, 2u);
  ASSERT_EQ(p.dram.config.organization.size(), 1u);
  EXPECT_EQ(p.dram.config.organization[0].key, "ranks");
  EXPECT_EQ(p.dram.config.organization[0].value, 2u);
  ASSERT_EQ(p.dram.config.timing.size(), 2u);
  EXPECT_EQ(p.dram.config.timing[0].key, "tRCD");
  EXPECT_EQ(p.dram.config.timing[0].value, 30u);
  EXPECT_TRUE(p.dram.config.timing[1].is_time);
  EXPECT_EQ(p.dram.config.scheduler, std::optional<std::string>("fcfs"));
  EXPECT_EQ(p.dram.config.page_policy, std::optional<std::string>("closed"));
  EXPECT_EQ(p.dram.config.read_queue, std::optional<std::uint64_t>(16));
  EXPECT_EQ(p.dram.config.mapping, std::optional<std::string>("RoBaRaCoCh"));
  // A bare preset name works as in a dram file.
  EXPECT_EQ(parse("clock: 1GHz\ntiles: {}\ndram: HBM3\n").dram.preset, "HBM3");
}

TEST(PlatformConfig, BadDramKeysAreOneLineErrors) {
  std::string e = error_of("clock: 1GHz\ntiles: {}\ndram: {preset: HBM3, timing: {tXYZ: 3}}\n");
  EXPECT_NE(e.find("p.yaml:3:"), std::string::npos) << e;
  EXPECT_NE(e.find("tXYZ"), std::string::npos) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  e = error_of("clock: 1GHz\ntiles: {}\ndram: {preset: HBM3, speed: 3}\n");
  EXPECT_NE(e.find("speed"), std::string::npos) << e;
  EXPECT_NE(e.find("channels"), std::string::npos) << e;  // listed among the known keys
  e = error_of("clock: 1GHz\ntiles: {}\ndram: {controller: {scheduler: lifo}}\n");
  EXPECT_NE(e.find("dram.controller.scheduler"), std::string::npos) << e;
  EXPECT_NE(e.find("frfcfs"), std::string::npos) << e;
  e = error_of("clock: 1GHz\ntiles: {}\ndram: {channels: 3}\n");
  EXPECT_NE(e.find("dram.channels"), std::string::npos) << e;
}

TEST(PlatformConfig, ShippedPlatformsParse) {
  for (const char* name : {"edge-npu", "gemmini", "datacenter-npu"}) {
    const PlatformConfig p =
        load_platform(std::string(TESSERA_SOURCE_DIR) + "/platforms/" + name + ".yaml");
    EXPECT_EQ(p.name, name);
    EXPECT_TRUE(
        looks_like_platform(std::string(TESSERA_SOURCE_DIR) + "/platforms/" + name + ".yaml"));
  }
  const PlatformConfig g =
      load_platform(std::string(TESSERA_SOURCE_DIR) + "/platforms/gemmini.yaml");
  EXPECT_EQ(g.tiles.rows, 16u);
  EXPECT_EQ(g.tiles.cols, 16u);
  EXPECT_EQ(g.tiles.scratchpad_bytes, 256 * kKiB);
  EXPECT_EQ(g.tiles.accumulator_bytes, 64 * kKiB);
}

}  // namespace
}  // namespace tessera::config
