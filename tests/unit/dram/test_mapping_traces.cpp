// Address mapping, presets and trace readers.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "models/core/error.h"
#include "models/dram/address_mapping.h"
#include "models/dram/presets.h"
#include "models/dram/request_source.h"

namespace tessera::dram {
namespace {

TEST(DramMapping, DefaultSchemeInterleavesBankGroupsThenColumns) {
  const DramSpec s = preset("DDR4-3200");
  const AddressMapping m(s.org, "RoRaBaCoBgCh");
  // 64 B bursts (6 offset bits); 1 channel (0 bits); then 2 bank-group bits.
  EXPECT_EQ(m.decode(0 * 64).bank_group, 0u);
  EXPECT_EQ(m.decode(1 * 64).bank_group, 1u);
  EXPECT_EQ(m.decode(3 * 64).bank_group, 3u);
  EXPECT_EQ(m.decode(4 * 64).bank_group, 0u);
  EXPECT_EQ(m.decode(4 * 64).column, 1u);
  // 128 bursts per row: bank changes after 4 x 128 bursts = 32 KiB.
  EXPECT_EQ(m.decode(32 * 1024).bank, 1u);
  EXPECT_EQ(m.decode(32 * 1024).row, 0u);
  // 4 banks x 32 KiB: the row changes at 128 KiB.
  EXPECT_EQ(m.decode(128 * 1024).row, 1u);
}

TEST(DramMapping, EncodeInvertsDecodeForEveryScheme) {
  for (const std::string& name : preset_names()) {
    const DramSpec s = preset(name);
    for (const std::string& scheme : AddressMapping::named_schemes()) {
      const AddressMapping m(s.org, scheme);
      for (std::uint64_t a = 0; a < (1u << 22); a += 4096 + 64) {
        const std::uint64_t aligned = a / s.org.burst_bytes() * s.org.burst_bytes();
        EXPECT_EQ(m.encode(m.decode(aligned)), aligned) << name << " " << scheme;
      }
    }
  }
}

TEST(DramMapping, BadSchemesAreOneLineErrors) {
  const DramSpec s = preset("DDR4-3200");
  try {
    AddressMapping(s.org, "RoRoBaCoBgCh", "x.yaml:3:5: dram.controller.mapping");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).find("x.yaml:3:5: dram.controller.mapping: expected"), 0u);
    EXPECT_NE(std::string(e.what()).find("twice"), std::string::npos);
  }
  EXPECT_THROW(AddressMapping(s.org, "RoRaBaCo"), InputError);
  EXPECT_THROW(AddressMapping(s.org, "RoRaBaCoBgXx"), InputError);
}

TEST(DramPresets, PeakBandwidthsMatchThePublishedFigures) {
  // DDR4-3200 x64: 25.6 GB/s; DDR5-4800 2 x32: 38.4; LPDDR5-6400 x16: 12.8;
  // GDDR6 14 Gb/s x 32 pins: 56; HBM2E 3.2 Gb/s x 1024: 409.6; HBM3 6.4 x 1024: 819.2.
  const std::pair<const char*, double> expected[] = {{"DDR4-3200", 25.6},   {"DDR5-4800", 38.4},
                                                     {"LPDDR5-6400", 12.8}, {"GDDR6", 56.0},
                                                     {"HBM2E", 409.6},      {"HBM3", 819.2}};
  for (const auto& [name, gbps] : expected) {
    EXPECT_NEAR(preset(name).peak_bytes_per_second() / 1e9, gbps, gbps * 0.005) << name;
  }
  EXPECT_THROW(preset("DDR9"), InputError);
}

TEST(DramPresets, TimingsAreConsistent) {
  for (const std::string& name : preset_names()) {
    const DramSpec s = preset(name);
    EXPECT_NO_THROW(validate(s, name));
    EXPECT_GE(s.timing.rc, s.timing.ras + s.timing.rp) << name;
    EXPECT_GE(s.timing.ccd_s, s.timing.burst_cycles(s.org.burst_length)) << name;
  }
  // DDR4-3200AA: 22-22-22, tRFC 350 ns = 560 cycles, tREFI 7.8 us = 12480.
  const DramSpec d = preset("DDR4-3200");
  EXPECT_EQ(d.timing.cl, 22u);
  EXPECT_EQ(d.timing.rfc, 560u);
  EXPECT_EQ(d.timing.refi, 12480u);
}

std::string write_tmp(const std::string& name, const std::string& text) {
  const auto p = std::filesystem::temp_directory_path() / ("tessera-dram-" + name);
  std::ofstream(p) << text;
  return p.string();
}

TEST(DramTraces, ThreeFormatsAreRecognisedAndParsed) {
  DramTraceFormat f;
  auto t =
      read_dram_trace(write_tmp("a.stl", "# DRAMSys\n0: read 0x40\n10:\twrite\t0x80\n"), 625, &f);
  EXPECT_EQ(f, DramTraceFormat::kDramSysStl);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1].arrival_ps, 6250u);
  EXPECT_TRUE(t[1].is_write);
  EXPECT_EQ(t[1].address, 0x80u);
  t = read_dram_trace(write_tmp("b.trace", "LD 0x1000\nST 4096\n"), 625, &f);
  EXPECT_EQ(f, DramTraceFormat::kRamulatorLoadStore);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_FALSE(t[0].is_write);
  EXPECT_EQ(t[1].address, 4096u);
  t = read_dram_trace(
      write_tmp("c.txt", "# t kind addr bytes\n0 R 0x0\n1500 W 0x40 128\n2ns R 64\n"), 625, &f);
  EXPECT_EQ(f, DramTraceFormat::kTessera);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[1].bytes, 128u);
  EXPECT_EQ(t[2].arrival_ps, 2000u);
}

TEST(DramTraces, BadLinesNameFileAndLine) {
  const std::string p = write_tmp("bad.stl", "0: read 0x40\n\n5: fetch 0x80\n");
  try {
    read_dram_trace(p, 625);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(
        std::string(e.what()),
        p + ":3: expected 'CYCLE: read|write 0xADDRESS' (DRAMSys .stl), found '5: fetch 0x80'");
  }
  const std::string q = write_tmp("bad.trace", "LD 0x10\nLD 0xZZ\n");
  EXPECT_THROW(read_dram_trace(q, 625), InputError);
  const std::string r = write_tmp("back.txt", "100 R 0\n50 R 64\n");
  try {
    read_dram_trace(r, 625);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(":2: expected times in non-decreasing order"),
              std::string::npos);
  }
}

TEST(DramTraces, PatternsAreDeterministicAndInRange) {
  const DramSpec s = preset("DDR4-3200");
  for (const char* text : {"stream", "random", "strided:4KiB", "mix:3:1"}) {
    PatternSource a(parse_pattern(text), s.capacity_bytes(), 1000, 64, 5);
    PatternSource b(parse_pattern(text), s.capacity_bytes(), 1000, 64, 5);
    TraceRequest x, y;
    std::uint64_t writes = 0;
    while (a.next(x)) {
      ASSERT_TRUE(b.next(y));
      EXPECT_EQ(x.address, y.address);
      EXPECT_LT(x.address, s.capacity_bytes());
      EXPECT_EQ(x.address % 64, 0u);
      writes += x.is_write;
    }
    if (std::string(text) == "mix:3:1") {
      EXPECT_GT(writes, 180u);  // 1 in 4 of 1000
      EXPECT_LT(writes, 320u);
    }
  }
  EXPECT_THROW(parse_pattern("strided:0"), InputError);
  EXPECT_THROW(parse_pattern("mix:0:0"), InputError);
  EXPECT_THROW(parse_pattern("zigzag"), InputError);
}

}  // namespace
}  // namespace tessera::dram
