#include "models/dram/from_config.h"

#include <fmt/format.h>

#include "models/core/error.h"
#include "models/dram/address_mapping.h"
#include "models/dram/presets.h"

namespace tessera::dram {
namespace {

std::uint32_t* organization_field(Organization& o, const std::string& key) {
  if (key == "channels") return &o.channels;
  if (key == "pseudo_channels") return &o.pseudo_channels;
  if (key == "ranks") return &o.ranks;
  if (key == "bank_groups") return &o.bank_groups;
  if (key == "banks_per_group") return &o.banks_per_group;
  if (key == "rows") return &o.rows;
  if (key == "columns") return &o.columns;
  if (key == "bus_width_bits") return &o.bus_width_bits;
  if (key == "burst_length") return &o.burst_length;
  if (key == "devices_per_rank") return &o.devices_per_rank;
  return nullptr;
}

std::uint32_t* timing_field(Timing& t, const std::string& key) {
  if (key == "data_rate") return &t.data_rate;
  if (key == "CL") return &t.cl;
  if (key == "CWL") return &t.cwl;
  if (key == "tRCD") return &t.rcd_rd;
  if (key == "tRCD_WR") return &t.rcd_wr;
  if (key == "tRP") return &t.rp;
  if (key == "tRAS") return &t.ras;
  if (key == "tRC") return &t.rc;
  if (key == "tWR") return &t.wr;
  if (key == "tRTP") return &t.rtp;
  if (key == "tCCD_S") return &t.ccd_s;
  if (key == "tCCD_L") return &t.ccd_l;
  if (key == "tRRD_S") return &t.rrd_s;
  if (key == "tRRD_L") return &t.rrd_l;
  if (key == "tFAW") return &t.faw;
  if (key == "tWTR_S") return &t.wtr_s;
  if (key == "tWTR_L") return &t.wtr_l;
  if (key == "tRTW") return &t.rtw;
  if (key == "tRTRS") return &t.rtrs;
  if (key == "tRFC") return &t.rfc;
  if (key == "tREFI") return &t.refi;
  if (key == "tRFCpb") return &t.rfc_pb;
  if (key == "tREFIpb") return &t.refi_pb;
  if (key == "tRREFD") return &t.rrefd;
  return nullptr;
}

}  // namespace

DramSpec spec_from_config(const config::DramConfig& c) {
  DramSpec s = preset(c.preset, c.where + ": dram.preset");
  for (const config::DramOverride& o : c.organization) {
    std::uint32_t* f = organization_field(s.org, o.key);
    if (f == nullptr) throw InputError(o.where + ": unknown organization key");
    *f = static_cast<std::uint32_t>(o.value);
  }
  // tCK first, so times given with units convert with the final clock.
  for (const config::DramOverride& o : c.timing) {
    if (o.key == "tCK") s.timing.tck_ps = o.value;
  }
  for (const config::DramOverride& o : c.timing) {
    if (o.key == "tCK") continue;
    std::uint32_t* f = timing_field(s.timing, o.key);
    if (f == nullptr) throw InputError(o.where + ": unknown timing key");
    const std::uint64_t cycles =
        o.is_time ? (o.value + s.timing.tck_ps - 1) / s.timing.tck_ps : o.value;
    if (cycles > (1u << 24)) {
      throw InputError(
          fmt::format("{}: expected at most 16777216 cycles, found {}", o.where, cycles));
    }
    *f = static_cast<std::uint32_t>(cycles);
  }
  ControllerSpec& k = s.controller;
  if (c.scheduler) k.scheduler = *c.scheduler == "fcfs" ? Scheduler::kFcfs : Scheduler::kFrFcfs;
  if (c.page_policy) {
    k.page_policy = *c.page_policy == "open"     ? PagePolicy::kOpen
                    : *c.page_policy == "closed" ? PagePolicy::kClosed
                                                 : PagePolicy::kOpenAdaptive;
  }
  if (c.refresh) {
    k.refresh = *c.refresh == "all-bank"   ? RefreshMode::kAllBank
                : *c.refresh == "per-bank" ? RefreshMode::kPerBank
                                           : RefreshMode::kOff;
  }
  if (c.read_queue) k.read_queue = static_cast<std::uint32_t>(*c.read_queue);
  if (c.write_queue) k.write_queue = static_cast<std::uint32_t>(*c.write_queue);
  if (c.write_high_watermark) {
    k.write_high_watermark = static_cast<std::uint32_t>(*c.write_high_watermark);
  } else if (k.write_high_watermark > k.write_queue) {
    k.write_high_watermark = k.write_queue * 3 / 4 == 0 ? 1 : k.write_queue * 3 / 4;
  }
  if (c.write_low_watermark) {
    k.write_low_watermark = static_cast<std::uint32_t>(*c.write_low_watermark);
  } else if (k.write_low_watermark >= k.write_high_watermark) {
    k.write_low_watermark = k.write_high_watermark / 3;
  }
  if (c.row_hit_cap) k.row_hit_cap = static_cast<std::uint32_t>(*c.row_hit_cap);
  validate(s, c.where);
  if (c.mapping) {
    k.mapping = *c.mapping;
    AddressMapping check(s.org, k.mapping, c.mapping_where);  // throws on a bad scheme
  }
  return s;
}

DramSpec spec_from_platform(const config::PlatformDramConfig& dram, const std::string& where) {
  config::DramConfig c = dram.config;
  c.preset = dram.preset;  // the preset field rules (code may set only it)
  DramSpec spec = spec_from_config(c);
  spec.org.channels *= dram.channels;
  validate(spec, where);
  return spec;
}

}  // namespace tessera::dram
