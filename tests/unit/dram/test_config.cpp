// The dram: config section: preset plus overrides, strict errors with file:line:col.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "models/config/dram_config.h"
#include "models/core/error.h"
#include "models/dram/from_config.h"
#include "models/dram/presets.h"

namespace tessera::dram {
namespace {

std::string write_yaml(const std::string& name, const std::string& text) {
  const auto p = std::filesystem::temp_directory_path() / ("tessera-dramcfg-" + name);
  std::ofstream(p) << text;
  return p.string();
}

std::string error_of(const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    spec_from_config(config::load_dram_file(write_yaml("e.yaml", text), sets));
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(DramConfig, PresetNamesMatchTheCore) {
  EXPECT_EQ(config::dram_preset_names(), preset_names());
}

TEST(DramConfig, OverridesApplyOnThePreset) {
  const auto file = write_yaml("ok.yaml", R"(dram:
  preset: DDR4-3200
  organization: {ranks: 2}
  timing:
    tRCD: 20
    tRP: 13.75ns   # 13750 / 625 = 22 cycles
  controller:
    scheduler: fcfs
    page_policy: closed
    mapping: RoBaRaCoCh
    read_queue: 16
)");
  const DramSpec s = spec_from_config(config::load_dram_file(file));
  EXPECT_EQ(s.org.ranks, 2u);
  EXPECT_EQ(s.timing.rcd_rd, 20u);
  EXPECT_EQ(s.timing.rp, 22u);
  EXPECT_EQ(s.controller.scheduler, Scheduler::kFcfs);
  EXPECT_EQ(s.controller.page_policy, PagePolicy::kClosed);
  EXPECT_EQ(s.controller.mapping, "RoBaRaCoCh");
  EXPECT_EQ(s.controller.read_queue, 16u);
  // --set overrides on a preset name.
  const DramSpec h = spec_from_config(
      config::dram_from_preset("HBM3", {"dram.controller.refresh=per-bank", "dram.timing.CL=30"}));
  EXPECT_EQ(h.controller.refresh, RefreshMode::kPerBank);
  EXPECT_EQ(h.timing.cl, 30u);
}

TEST(DramConfig, ErrorsNameFileLineColumnAndKey) {
  std::string e = error_of("dram:\n  preset: DDR3\n");
  EXPECT_NE(e.find("e.yaml:2:11: dram.preset: expected one of"), std::string::npos) << e;
  e = error_of("dram:\n  timing:\n    tRCDX: 3\n");
  EXPECT_NE(e.find("e.yaml:3:5"), std::string::npos) << e;
  EXPECT_NE(e.find("tRCDX"), std::string::npos) << e;
  e = error_of("dram:\n  timing:\n    tRP: fast\n");
  EXPECT_NE(
      e.find("e.yaml:3:10: dram.timing.tRP: expected cycles (an integer) or a time with a unit"),
      std::string::npos)
      << e;
  e = error_of("dram:\n  organization:\n    rows: 1000\n");
  EXPECT_NE(e.find("e.yaml:2:3: dram.organization.rows: expected a power of two, found 1000"),
            std::string::npos)
      << e;
  e = error_of("dram:\n  timing: {tRC: 10}\n");
  EXPECT_NE(e.find("dram.timing.tRC: expected at least tRAS + tRP = 74, found 10"),
            std::string::npos)
      << e;
  e = error_of("dram:\n  controller: {mapping: RoRo}\n");
  EXPECT_NE(e.find("e.yaml:2:25: dram.controller.mapping: expected a scheme name"),
            std::string::npos)
      << e;
  e = error_of("dram:\n  controller: {refresh: per-bank}\n");
  EXPECT_NE(e.find("has no per-bank refresh"), std::string::npos) << e;
  e = error_of("memory: {}\n");
  EXPECT_NE(e.find("memory"), std::string::npos) << e;
}

}  // namespace
}  // namespace tessera::dram
