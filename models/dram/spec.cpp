#include "models/dram/spec.h"

#include <fmt/format.h>

#include "models/core/error.h"

namespace tessera::dram {
namespace {

bool power_of_two(std::uint64_t v) {
  return v != 0 && (v & (v - 1)) == 0;
}

}  // namespace

void validate(const DramSpec& s, const std::string& where) {
  const auto fail = [&](const std::string& key, const std::string& expected, std::uint64_t found) {
    throw InputError(
        fmt::format("{}: dram.{}: expected {}, found {}", where, key, expected, found));
  };
  const Organization& o = s.org;
  const std::pair<const char*, std::uint32_t> pow2[] = {
      {"organization.channels", o.channels},
      {"organization.pseudo_channels", o.pseudo_channels},
      {"organization.ranks", o.ranks},
      {"organization.bank_groups", o.bank_groups},
      {"organization.banks_per_group", o.banks_per_group},
      {"organization.rows", o.rows},
      {"organization.columns", o.columns},
      {"organization.bus_width_bits", o.bus_width_bits},
      {"organization.burst_length", o.burst_length}};
  for (const auto& [key, v] : pow2) {
    if (!power_of_two(v)) fail(key, "a power of two", v);
  }
  if (o.bus_width_bits < 8) fail("organization.bus_width_bits", "at least 8", o.bus_width_bits);
  if (o.columns < o.burst_length) fail("organization.columns", "at least burst_length", o.columns);
  if (o.ranks > 8) fail("organization.ranks", "at most 8", o.ranks);
  if (o.banks() > 256) fail("organization.banks", "at most 256 banks per controller", o.banks());
  if (o.devices_per_rank == 0) fail("organization.devices_per_rank", "at least 1", 0);
  const Timing& t = s.timing;
  if (t.tck_ps == 0) fail("timing.tCK", "a positive time", 0);
  if (t.data_rate == 0) fail("timing.data_rate", "at least 1", 0);
  if (t.cl == 0) fail("timing.CL", "at least 1 cycle", 0);
  if (t.cwl == 0) fail("timing.CWL", "at least 1 cycle", 0);
  if (t.ras == 0) fail("timing.tRAS", "at least 1 cycle", 0);
  if (t.rc < t.ras + t.rp)
    fail("timing.tRC", fmt::format("at least tRAS + tRP = {}", t.ras + t.rp), t.rc);
  if (t.ccd_l < t.ccd_s)
    fail("timing.tCCD_L", fmt::format("at least tCCD_S = {}", t.ccd_s), t.ccd_l);
  if (t.rrd_l < t.rrd_s)
    fail("timing.tRRD_L", fmt::format("at least tRRD_S = {}", t.rrd_s), t.rrd_l);
  if (t.refi <= t.rfc) fail("timing.tREFI", fmt::format("more than tRFC = {}", t.rfc), t.refi);
  const ControllerSpec& c = s.controller;
  if (c.refresh == RefreshMode::kPerBank) {
    if (t.rfc_pb == 0 || t.refi_pb == 0) {
      throw InputError(fmt::format(
          "{}: dram.controller.refresh: expected all-bank or off ({} has no per-bank refresh "
          "timings), found per-bank",
          where, s.name));
    }
  }
  if (c.read_queue == 0) fail("controller.read_queue", "at least 1", 0);
  if (c.write_queue == 0) fail("controller.write_queue", "at least 1", 0);
  if (c.write_high_watermark > c.write_queue || c.write_high_watermark == 0) {
    fail("controller.write_high_watermark",
         fmt::format("between 1 and write_queue = {}", c.write_queue), c.write_high_watermark);
  }
  if (c.write_low_watermark >= c.write_high_watermark) {
    fail("controller.write_low_watermark",
         fmt::format("less than write_high_watermark = {}", c.write_high_watermark),
         c.write_low_watermark);
  }
  if (c.row_hit_cap == 0) fail("controller.row_hit_cap", "at least 1", 0);
}

const char* to_string(Scheduler s) {
  return s == Scheduler::kFcfs ? "fcfs" : "frfcfs";
}

const char* to_string(PagePolicy p) {
  switch (p) {
    case PagePolicy::kOpen:
      return "open";
    case PagePolicy::kClosed:
      return "closed";
    case PagePolicy::kOpenAdaptive:
      return "open-adaptive";
  }
  return "?";
}

const char* to_string(RefreshMode r) {
  switch (r) {
    case RefreshMode::kAllBank:
      return "all-bank";
    case RefreshMode::kPerBank:
      return "per-bank";
    case RefreshMode::kOff:
      return "off";
  }
  return "?";
}

}  // namespace tessera::dram
