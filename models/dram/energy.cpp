// IDD currents of the presets and the energy per command derived from them.
// Sources (each figure below names one):
//  [DS-DDR4]   DRAMSys memspec MICRON_4Gb_DDR4-2400_8bit_A.json: IDD currents
//              of a Micron 4 Gb x8 DDR4-2400 device, VDD 1.2 V.
//  [MU-DDR5]   Micron 16Gb DDR5 SDRAM data sheet, die rev. A
//              (16gb_ddr5_sdram_diereva.pdf), DDR5-4800 column, VDD 1.1 V, as
//              quoted in gem5 src/python/gem5/components/memory/dram_interfaces/
//              ddr5.py (DDR5_4400_4x8, "Using the values for DDR5-4800"; gem5
//              applies them to x8 devices, as we do). IPP (VPP rail) currents
//              are not in that source and are left out.
//  [DS-LP4]    DRAMSys memspec JEDEC_8Gb_LPDDR4-3200_16bit.json: JEDEC LPDDR4
//              8 Gb x16 currents on the VDD1 (1.8 V) and VDD2 rails.
//  [MU-LP5]    Micron LPDDR5 data sheet (y31m_lpddr5_multi_pkg.pdf, Rev. A
//              05/2021), features page: VDD1 1.8 V, VDD2H 1.05 V.
//  [DRAMSys18] DRAMSys issue #18 (github.com/tukl-msd/DRAMSys/issues/18):
//              DDR5, LPDDR5 and HBM3 memspecs exist but are not public.
//  [DS-HBM2]   DRAMSys memspec HBM2.json: every IDD is 0 (not public).
//  [D3-HBM2]   DRAMsim3 configs/HBM2_8Gb_x128.ini: HBM2 8 Gb, per 128-bit
//              channel, VDD 1.2 V.
//  [D3-G5X]    DRAMsim3 configs/GDDR5X_8Gb_x32.ini: GDDR5X 8 Gb x32 device,
//              VDD 1.35 V.
//  [JESD250]   JEDEC GDDR6 standard: leaves IDD values to vendor data sheets;
//              GDDR6 VDD 1.35 V (also Micron GDDR6 8Gb brief, MT61K256M32).
//  [JESD238]   JEDEC HBM3: core supply VDD 1.1 V.
// Where a standard's currents are not public, the nearest public device is
// used and the assumption is stated at the preset (and in docs/dram.md).
#include "models/dram/energy.h"

#include <fmt/format.h>

#include "models/core/error.h"

namespace tessera::dram {

EnergySpec energy_from_currents(const IddCurrents& c, const Organization& org, const Timing& t) {
  const double tck_ns = static_cast<double>(t.tck_ps) / 1000.0;
  const double trc = t.rc * tck_ns, tras = t.ras * tck_ns;
  const double tburst = t.burst_cycles(org.burst_length) * tck_ns;
  const double trfc = t.rfc * tck_ns;
  const double scale = org.devices_per_rank * c.share;
  EnergySpec e;
  for (const IddRail& r : c.rails) {
    // mA x ns = pC; pC x V = pJ.
    e.act_pre_pj +=
        (c.act_above_precharge_standby ? (r.idd0 - r.idd2n) * trc
                                       : r.idd0 * trc - r.idd3n * tras - r.idd2n * (trc - tras)) *
        r.volts * scale;
    e.read_pj += (r.idd4r - r.idd3n) * r.volts * tburst * scale;
    e.write_pj += (r.idd4w - r.idd3n) * r.volts * tburst * scale;
    e.refresh_pj += (r.idd5b - r.idd3n) * r.volts * trfc * scale;
    e.background_mw += r.idd3n * r.volts * scale;  // mA x V = mW
  }
  // A per-bank refresh refreshes the rows of one bank that an all-bank
  // refresh refreshes in every bank: its share of the charge.
  e.refresh_pb_pj = t.rfc_pb == 0 ? 0.0 : e.refresh_pj / org.banks_per_rank();
  if (e.act_pre_pj < 0 || e.read_pj < 0 || e.write_pj < 0 || e.refresh_pj < 0 ||
      e.background_mw < 0) {
    throw RuntimeError(
        fmt::format("dram energy: currents give a negative energy (ACT+PRE {} pJ, RD {} pJ, "
                    "WR {} pJ, REF {} pJ)",
                    e.act_pre_pj, e.read_pj, e.write_pj, e.refresh_pj));
  }
  return e;
}

namespace {

IddCurrents ddr4_3200() {
  IddCurrents c;  // [DS-DDR4]
  c.rails.push_back({1.2, 60.75, 38.25, 44.0, 184.5, 168.75, 118.0});
  return c;
}

IddCurrents ddr5_4800() {
  IddCurrents c;  // [MU-DDR5]: IDD0 122, IDD2N 92, IDD3N 142, IDD4R 530, IDD4W 479, IDD5B 277 mA
  c.rails.push_back({1.1, 122.0, 92.0, 142.0, 530.0, 479.0, 277.0});
  // IDD3N (all banks open) > IDD0 (one bank cycling) in this data sheet: the
  // TN-40-07 subtraction would be negative. Assumption: (IDD0 - IDD2N) tRC.
  c.act_above_precharge_standby = true;
  return c;
}

IddCurrents lpddr5_6400() {
  // LPDDR5 IDD values are not public ([DRAMSys18]; vendor data sheets are
  // under NDA). Assumption: the JEDEC LPDDR4-3200 8 Gb x16 currents [DS-LP4]
  // on LPDDR5's rails [MU-LP5]: VDD1 1.8 V and VDD2H 1.05 V (LPDDR4's VDD2 is
  // 1.1 V). Refresh: LPDDR4's IDD5 (all-bank refresh burst) per rail.
  IddCurrents c;
  c.rails.push_back({1.8, 3.5, 2.0, 2.25, 2.25, 2.25, 10.0});
  c.rails.push_back({1.05, 45.0, 27.0, 30.0, 275.0, 210.0, 90.0});
  return c;
}

IddCurrents gddr6() {
  // GDDR6 IDD values are left to vendor data sheets [JESD250] and none is
  // public here. Assumption: the GDDR5X 8 Gb x32 currents [D3-G5X] (same
  // 1.35 V VDD): IDD0 75, IDD2N 45, IDD3N 55, IDD4R 211, IDD4W 198, IDD5AB 286 mA.
  // One x32 device's currents serve both x16 channels of a GDDR6 device: each
  // channel controller takes half.
  IddCurrents c;
  c.rails.push_back({1.35, 75.0, 45.0, 55.0, 211.0, 198.0, 286.0});
  c.share = 0.5;
  return c;
}

IddCurrents hbm2e() {
  // HBM2/HBM2E IDD values are not public ([DS-HBM2] leaves them 0).
  // Assumption: DRAMsim3's HBM2 8 Gb per-channel currents [D3-HBM2] (IDD0 65,
  // IDD2N 40, IDD3N 55, IDD4R 390, IDD4W 500, IDD5AB 250 mA at 1.2 V); a
  // pseudo-channel is half a 128-bit channel (half the row, half the burst).
  IddCurrents c;
  c.rails.push_back({1.2, 65.0, 40.0, 55.0, 390.0, 500.0, 250.0});
  c.share = 0.5;
  return c;
}

IddCurrents hbm3() {
  // HBM3 IDD values are not public [DRAMSys18]. Assumption: HBM2E's currents
  // (above) at HBM3's 1.1 V core supply [JESD238]; an HBM3 pseudo-channel
  // moves 32 B per burst and opens a 1 KB row, as an HBM2E pseudo-channel does.
  IddCurrents c = hbm2e();
  c.rails[0].volts = 1.1;
  return c;
}

struct Entry {
  const char* name;
  IddCurrents (*make)();
};
const Entry kCurrents[] = {
    {"DDR4-3200", ddr4_3200}, {"DDR5-4800", ddr5_4800}, {"LPDDR5-6400", lpddr5_6400},
    {"GDDR6", gddr6},         {"HBM2E", hbm2e},         {"HBM3", hbm3},
};

}  // namespace

IddCurrents preset_currents(const std::string& preset_name) {
  for (const Entry& e : kCurrents) {
    if (preset_name == e.name) return e.make();
  }
  throw RuntimeError(fmt::format("dram energy: no currents for preset '{}'", preset_name));
}

}  // namespace tessera::dram
