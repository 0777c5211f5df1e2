// Figures of the standard presets and where each comes from. Cycle counts are
// the JEDEC minimum in nanoseconds divided by tCK and rounded up, unless the
// source gives cycles. Sources:
//  [JESD79-4]  JEDEC DDR4 SDRAM standard, speed bin DDR4-3200AA (22-22-22),
//              8 Gb x8 die (tRFC1 350 ns, tREFI 7.8 us, tFAW x8 = 34 nCK).
//  [R2-DDR4]   Ramulator 2, src/dram/impl/DDR4.cpp, preset DDR4_3200AA (same figures).
//  [JESD79-5]  JEDEC DDR5 SDRAM standard, speed bin DDR5-4800B (40-39-39),
//              16 Gb x8: tRFC1 295 ns, tRFCsb 130 ns, tREFI 3.9 us (also in
//              Ramulator 2 src/dram/impl/DDR5.cpp refresh tables).
//  [R2-LP5]    Ramulator 2, src/dram/impl/LPDDR5.cpp, preset LPDDR5_6400 and its
//              16 Gb refresh tables (tRFCab 280 ns, tRFCpb 140 ns, tPBR2PBR 90 ns).
//  [R2-GDDR6]  Ramulator 2, src/dram/impl/GDDR6.cpp, preset GDDR6_2000_1350mV
//              (cycles at tCK = 570 ps) and JESD250 GDDR6 (tCCDS = 2 nCK).
//  [DS-HBM2]   DRAMSys memspec HBM2.json (figures in ns at tCK = 1 ns), JESD235
//              HBM2/HBM2E; HBM2E runs the same ns figures at 3.2 Gb/s (tCK 625 ps).
//  [JESD238]   JEDEC HBM3: 6.4 Gb/s, 16 channels x 2 pseudo-channels of 32 bits,
//              BL8. Core timings in ns taken equal to HBM2E's (assumption; the
//              public Ramulator 2 HBM3 preset only covers 2 Gb/s).
// Energy: from each preset's IDD currents (energy.h; currents, sources and
// assumptions in energy.cpp).
#include "models/dram/presets.h"

#include <fmt/format.h>

#include "models/core/error.h"

namespace tessera::dram {
namespace {

// ns -> cycles, rounded up (JEDEC: the minimum is in time).
std::uint32_t cyc(double ns, Picoseconds tck_ps) {
  const double c = ns * 1000.0 / static_cast<double>(tck_ps);
  const auto whole = static_cast<std::uint32_t>(c);
  return (c - whole) > 0.025 ? whole + 1 : whole;  // JEDEC rounding tolerance 2.5%
}

DramSpec ddr4_3200() {
  DramSpec s;
  s.name = "DDR4-3200";
  s.standard = "DDR4";
  Organization& o = s.org;  // one 64-bit channel, one rank of 8 x8 devices [JESD79-4]
  o.channels = 1;
  o.ranks = 1;
  o.bank_groups = 4;
  o.banks_per_group = 4;
  o.rows = 65536;
  o.columns = 1024;
  o.bus_width_bits = 64;
  o.burst_length = 8;
  o.devices_per_rank = 8;
  Timing& t = s.timing;  // [JESD79-4] / [R2-DDR4] DDR4_3200AA
  t.tck_ps = 625;
  t.data_rate = 2;
  t.cl = 22;
  t.cwl = 16;
  t.rcd_rd = t.rcd_wr = 22;
  t.rp = 22;
  t.ras = 52;
  t.rc = 74;
  t.wr = 24;
  t.rtp = 12;
  t.ccd_s = 4;
  t.ccd_l = 8;
  t.rrd_s = 4;
  t.rrd_l = 8;
  t.faw = 34;
  t.wtr_s = 4;
  t.wtr_l = 12;
  t.rtw = 2;
  t.rtrs = 1;                    // DRAMSys DDR4 memspecs: RTRS = 1
  t.rfc = cyc(350, t.tck_ps);    // 560
  t.refi = cyc(7800, t.tck_ps);  // 12480
  // DDR4 has no per-bank refresh.
  s.energy = energy_from_currents(preset_currents(s.name), o, t);
  return s;
}

DramSpec ddr5_4800() {
  DramSpec s;
  s.name = "DDR5-4800";
  s.standard = "DDR5";
  Organization& o = s.org;  // a DIMM: two 32-bit sub-channels, x8 devices [JESD79-5]
  o.channels = 2;
  o.ranks = 1;
  o.bank_groups = 8;
  o.banks_per_group = 4;
  o.rows = 65536;
  o.columns = 1024;
  o.bus_width_bits = 32;
  o.burst_length = 16;
  o.devices_per_rank = 4;
  Timing& t = s.timing;  // [JESD79-5] DDR5-4800B
  t.tck_ps = 416;        // tCK(avg) 0.416 ns
  t.data_rate = 2;
  t.cl = 40;
  t.cwl = 38;  // CWL = CL - 2
  t.rcd_rd = t.rcd_wr = 39;
  t.rp = 39;
  t.ras = cyc(32, t.tck_ps);   // 77
  t.rc = t.ras + t.rp;         // 116
  t.wr = cyc(30, t.tck_ps);    // 72
  t.rtp = cyc(7.5, t.tck_ps);  // 18
  t.ccd_s = 8;
  t.ccd_l = 12;  // max(8 nCK, 5 ns)
  t.rrd_s = 8;
  t.rrd_l = 12;  // max(8 nCK, 5 ns)
  t.faw = 32;    // x8, 1 KB page: max(32 nCK, 13.333 ns)
  t.wtr_s = 6;   // max(4 nCK, 2.5 ns)
  t.wtr_l = 24;  // max(16 nCK, 10 ns)
  t.rtw = 2;
  t.rtrs = 2;
  t.rfc = cyc(295, t.tck_ps);              // tRFC1, 16 Gb
  t.refi = cyc(3900, t.tck_ps);            // 3.9 us
  t.rfc_pb = cyc(130, t.tck_ps);           // tRFCsb, 16 Gb
  t.refi_pb = t.refi / o.banks_per_group;  // REFsb to each bank index once per tREFI
  t.rrefd = cyc(7.5, t.tck_ps);            // tREFSBRD (assumed 7.5 ns)
  s.per_bank_refresh_spans_bank_groups = true;
  s.energy = energy_from_currents(preset_currents(s.name), o, t);
  return s;
}

DramSpec lpddr5_6400() {
  DramSpec s;
  s.name = "LPDDR5-6400";
  s.standard = "LPDDR5";
  Organization& o = s.org;  // one x16 channel, 16 Gb, bank-group mode [R2-LP5]
  o.channels = 1;
  o.ranks = 1;
  o.bank_groups = 4;
  o.banks_per_group = 4;
  o.rows = 65536;
  o.columns = 1024;
  o.bus_width_bits = 16;
  o.burst_length = 16;
  o.devices_per_rank = 1;
  Timing& t = s.timing;  // [R2-LP5] LPDDR5_6400, cycles of CK = 800 MHz
  t.tck_ps = 1250;
  t.data_rate = 8;  // 6400 MT/s per pin on an 800 MHz CK (WCK 4:1, DDR)
  t.cl = 20;
  t.cwl = 11;
  t.rcd_rd = t.rcd_wr = 15;
  t.rp = 15;  // tRPpb (per-bank precharge)
  t.ras = 34;
  t.rc = t.ras + t.rp;  // 49
  t.wr = 28;
  t.rtp = 4;
  t.ccd_s = 2;  // BL16 in bank-group mode: 2 nCK to another group
  t.ccd_l = 4;  // same group
  t.rrd_s = t.rrd_l = 4;
  t.faw = 16;
  t.wtr_s = 5;
  t.wtr_l = 10;
  t.rtw = 2;
  t.rtrs = 2;
  t.rfc = cyc(280, t.tck_ps);     // tRFCab 16 Gb: 224
  t.refi = 3124;                  // 3.906 us
  t.rfc_pb = cyc(140, t.tck_ps);  // tRFCpb: 112
  t.refi_pb = t.refi / o.banks_per_rank();
  t.rrefd = cyc(90, t.tck_ps);  // tPBR2PBR: 72
  s.energy = energy_from_currents(preset_currents(s.name), o, t);
  return s;
}

DramSpec gddr6() {
  DramSpec s;
  s.name = "GDDR6";
  s.standard = "GDDR6";
  Organization& o = s.org;  // one 16 Gb x16 device: two 16-bit channels [R2-GDDR6]
  o.channels = 2;
  o.ranks = 1;
  o.bank_groups = 4;
  o.banks_per_group = 4;
  o.rows = 16384;
  o.columns = 2048;
  o.bus_width_bits = 16;
  o.burst_length = 16;
  o.devices_per_rank = 1;
  Timing& t = s.timing;  // [R2-GDDR6] cycles at tCK 570 ps (CK 1.75 GHz, 14 Gb/s)
  t.tck_ps = 570;
  t.data_rate = 8;
  t.cl = 24;
  t.cwl = 6;
  t.rcd_rd = 26;
  t.rcd_wr = 16;
  t.rp = 26;
  t.ras = 53;
  t.rc = 79;
  t.wr = 26;
  t.rtp = 4;
  t.ccd_s = 2;  // JESD250
  t.ccd_l = 3;
  t.rrd_s = t.rrd_l = 7;
  t.faw = 28;
  t.wtr_s = 9;
  t.wtr_l = 11;
  t.rtw = 4;
  t.rtrs = 2;
  t.rfc = 210;
  t.refi = 3333;
  t.rfc_pb = 105;
  t.refi_pb = t.refi / o.banks_per_rank();
  t.rrefd = 14;
  s.energy = energy_from_currents(preset_currents(s.name), o, t);
  return s;
}

// HBM2E and HBM3 share the same core timings in ns [DS-HBM2].
void hbm_core_timing(Timing& t) {
  const Picoseconds k = t.tck_ps;
  t.cl = cyc(17, k);
  t.cwl = cyc(7, k);
  t.rcd_rd = cyc(12, k);
  t.rcd_wr = cyc(6, k);
  t.rp = cyc(14, k);
  t.ras = cyc(28, k);
  t.rc = std::max(cyc(42, k), t.ras + t.rp);
  t.wr = cyc(14, k);
  t.rtp = cyc(5, k);
  t.ccd_s = 2;
  t.ccd_l = cyc(3, k);
  t.rrd_s = cyc(4, k);
  t.rrd_l = cyc(6, k);
  t.faw = cyc(16, k);
  t.wtr_s = cyc(4, k);
  t.wtr_l = cyc(9, k);
  t.rtw = 2;
  t.rtrs = 1;
  t.refi = cyc(3900, k);
  t.rrefd = cyc(8, k);
}

DramSpec hbm2e() {
  DramSpec s;
  s.name = "HBM2E";
  s.standard = "HBM2E";
  Organization& o = s.org;  // one stack: 8 channels x 2 pseudo-channels of 64 bits
  o.channels = 8;
  o.pseudo_channels = 2;
  o.ranks = 1;
  o.bank_groups = 4;
  o.banks_per_group = 4;
  o.rows = 32768;
  o.columns = 128;  // 1 KB row per pseudo-channel
  o.bus_width_bits = 64;
  o.burst_length = 4;
  o.devices_per_rank = 1;
  Timing& t = s.timing;
  t.tck_ps = 625;  // 3.2 Gb/s
  t.data_rate = 2;
  hbm_core_timing(t);
  t.rfc = cyc(220, t.tck_ps);
  t.rfc_pb = cyc(96, t.tck_ps);    // tRFCSB
  t.refi_pb = cyc(244, t.tck_ps);  // tREFISB
  s.energy = energy_from_currents(preset_currents(s.name), o, t);
  return s;
}

DramSpec hbm3() {
  DramSpec s;
  s.name = "HBM3";
  s.standard = "HBM3";
  Organization& o = s.org;  // one stack: 16 channels x 2 pseudo-channels of 32 bits [JESD238]
  o.channels = 16;
  o.pseudo_channels = 2;
  o.ranks = 1;
  o.bank_groups = 4;
  o.banks_per_group = 4;
  o.rows = 32768;
  o.columns = 256;  // 1 KB row per pseudo-channel
  o.bus_width_bits = 32;
  o.burst_length = 8;
  o.devices_per_rank = 1;
  Timing& t = s.timing;
  t.tck_ps = 625;   // 1.6 GHz
  t.data_rate = 4;  // 6.4 Gb/s per pin
  hbm_core_timing(t);
  t.rfc = cyc(350, t.tck_ps);     // 8 Gb (Ramulator 2 HBM3 tRFC table)
  t.rfc_pb = cyc(160, t.tck_ps);  // tRFCSB
  t.refi_pb = t.refi / o.banks_per_rank();
  s.energy = energy_from_currents(preset_currents(s.name), o, t);
  return s;
}

struct PresetEntry {
  const char* name;
  DramSpec (*make)();
};
const PresetEntry kPresets[] = {
    {"DDR4-3200", ddr4_3200}, {"DDR5-4800", ddr5_4800}, {"LPDDR5-6400", lpddr5_6400},
    {"GDDR6", gddr6},         {"HBM2E", hbm2e},         {"HBM3", hbm3},
};

}  // namespace

std::vector<std::string> preset_names() {
  std::vector<std::string> out;
  for (const PresetEntry& p : kPresets) out.emplace_back(p.name);
  return out;
}

bool has_preset(const std::string& name) {
  for (const PresetEntry& p : kPresets) {
    if (name == p.name) return true;
  }
  return false;
}

DramSpec preset(const std::string& name, const std::string& where) {
  for (const PresetEntry& p : kPresets) {
    if (name == p.name) return p.make();
  }
  throw InputError(fmt::format("{}: expected a DRAM preset ({}), found '{}'", where,
                               fmt::join(preset_names(), ", "), name));
}

}  // namespace tessera::dram
