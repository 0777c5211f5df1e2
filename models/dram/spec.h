// What a DRAM device and its controller are: organization, timing (in clock
// cycles of tCK), energy per command, and controller policies. A DramSpec is
// complete and validated once built (presets.h, then config overrides);
// the controller and the checker only read it.
#pragma once

#include <cstdint>
#include <string>

#include "models/core/units.h"

namespace tessera::dram {

struct Organization {
  std::uint32_t channels = 1;         // independent controllers per stack / DIMM
  std::uint32_t pseudo_channels = 1;  // per channel (HBM); each is its own controller
  std::uint32_t ranks = 1;
  std::uint32_t bank_groups = 4;
  std::uint32_t banks_per_group = 4;
  std::uint32_t rows = 65536;
  std::uint32_t columns = 1024;        // device columns per row (each bus_width_bits wide)
  std::uint32_t bus_width_bits = 64;   // data bus of one controller (channel or pseudo-channel)
  std::uint32_t burst_length = 8;      // beats per column command
  std::uint32_t devices_per_rank = 8;  // for energy: devices sharing one command

  std::uint32_t controllers() const { return channels * pseudo_channels; }
  std::uint32_t banks_per_rank() const { return bank_groups * banks_per_group; }
  std::uint32_t banks() const { return ranks * banks_per_rank(); }
  // Bytes moved by one column command (one burst).
  Bytes burst_bytes() const { return Bytes{bus_width_bits} / 8 * burst_length; }
  std::uint32_t bursts_per_row() const { return columns / burst_length; }
};

// All in cycles of tck_ps. Names follow JEDEC; "_s"/"_l" are the different-/
// same-bank-group variants (equal on standards without bank groups).
struct Timing {
  Picoseconds tck_ps = 625;
  std::uint32_t data_rate = 2;  // data beats per tCK on the data bus (2 = DDR)
  std::uint32_t cl = 22;        // read latency (RD to first data)
  std::uint32_t cwl = 16;       // write latency (WR to first data)
  std::uint32_t rcd_rd = 22;    // ACT to RD
  std::uint32_t rcd_wr = 22;    // ACT to WR
  std::uint32_t rp = 22;        // PRE to ACT
  std::uint32_t ras = 52;       // ACT to PRE
  std::uint32_t rc = 74;        // ACT to ACT, same bank
  std::uint32_t wr = 24;        // write recovery: end of write data to PRE
  std::uint32_t rtp = 12;       // RD to PRE
  std::uint32_t ccd_s = 4;
  std::uint32_t ccd_l = 8;
  std::uint32_t rrd_s = 4;
  std::uint32_t rrd_l = 8;
  std::uint32_t faw = 34;      // four-activation window (0: none)
  std::uint32_t wtr_s = 4;     // end of write data to RD, other bank group
  std::uint32_t wtr_l = 12;    // end of write data to RD, same bank group
  std::uint32_t rtw = 2;       // extra bus turnaround added to RD-to-WR (CL + BL/2 + rtw - CWL)
  std::uint32_t rtrs = 1;      // rank-to-rank data bus switch
  std::uint32_t rfc = 560;     // all-bank refresh cycle
  std::uint32_t refi = 12480;  // all-bank refresh interval
  std::uint32_t rfc_pb = 0;    // per-bank refresh cycle (0: standard has no per-bank refresh)
  std::uint32_t refi_pb = 0;   // per-bank refresh command interval (one command every refi_pb)
  std::uint32_t rrefd = 0;     // per-bank refresh to per-bank refresh / ACT of another bank

  // Cycles one burst occupies the data bus.
  std::uint32_t burst_cycles(std::uint32_t burst_length) const {
    return (burst_length + data_rate - 1) / data_rate;
  }
};

// Energy per command for the whole rank (all devices that see the command),
// in picojoules, plus background power. Derived from IDD currents (energy.cpp
// names each source, the formula and what is assumed where the currents are
// not public).
struct EnergySpec {
  double act_pre_pj = 0;     // one ACT and its PRE
  double read_pj = 0;        // one read burst (array + I/O)
  double write_pj = 0;       // one write burst
  double refresh_pj = 0;     // one all-bank refresh of one rank
  double refresh_pb_pj = 0;  // one per-bank refresh
  double background_mw = 0;  // per rank, while the device is powered (active standby)
};

enum class Scheduler { kFcfs, kFrFcfs };
enum class PagePolicy { kOpen, kClosed, kOpenAdaptive };
enum class RefreshMode { kAllBank, kPerBank, kOff };

struct ControllerSpec {
  Scheduler scheduler = Scheduler::kFrFcfs;
  PagePolicy page_policy = PagePolicy::kOpen;
  RefreshMode refresh = RefreshMode::kAllBank;
  std::uint32_t read_queue = 32;            // entries (bursts)
  std::uint32_t write_queue = 32;           // entries (bursts)
  std::uint32_t write_high_watermark = 24;  // start draining writes at this many
  std::uint32_t write_low_watermark = 8;    // stop draining (when reads wait) at this many
  std::uint32_t row_hit_cap = 16;  // frfcfs: row hits lose priority after this many in a row
  // Address bit order, most significant field first: a scheme name or a
  // permutation of the tokens Ro Ra Bg Ba Co Ch (address_mapping.h).
  std::string mapping = "RoRaBaCoBgCh";
};

struct DramSpec {
  std::string name;      // preset name, e.g. "DDR4-3200"
  std::string standard;  // "DDR4", "DDR5", "LPDDR5", "GDDR6", "HBM2E", "HBM3"
  Organization org;
  Timing timing;
  EnergySpec energy;
  ControllerSpec controller;
  // DDR5 same-bank refresh (REFsb) refreshes bank k of every bank group at once.
  bool per_bank_refresh_spans_bank_groups = false;

  // Peak data bandwidth of all controllers, bytes per second.
  double peak_bytes_per_second() const {
    return static_cast<double>(org.controllers()) * org.bus_width_bits / 8.0 * timing.data_rate *
           1e12 / static_cast<double>(timing.tck_ps);
  }
  Bytes capacity_bytes() const {
    return Bytes{org.controllers()} * org.banks() * org.rows * org.bursts_per_row() *
           org.burst_bytes();
  }
};

// Throws InputError("<where>: dram.<key>: expected ..., found ...") when a
// figure is inconsistent (zero sizes, non powers of two, tRC < tRAS + tRP, ...).
void validate(const DramSpec& spec, const std::string& where);

const char* to_string(Scheduler s);
const char* to_string(PagePolicy p);
const char* to_string(RefreshMode r);

}  // namespace tessera::dram
