#include "models/roofline/platform_device.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "models/core/error.h"
#include "models/dram/from_config.h"
#include "models/dram/presets.h"

namespace tessera::roofline {

double dram_peak_bytes_per_s(std::uint32_t controllers, std::uint32_t bus_width_bits,
                             std::uint32_t data_rate, Picoseconds tck_ps) {
  if (tck_ps == 0) return 0;
  return static_cast<double>(controllers) * (bus_width_bits / 8.0) * data_rate * 1e12 /
         static_cast<double>(tck_ps);
}

std::optional<double> dram_preset_channel_bytes_per_s(const std::string& preset) {
  // Transfer rate (MT/s) x channel width (bytes), from the JEDEC standards:
  // DDR4 JESD79-4 (64-bit channel), DDR5 JESD79-5 (two 32-bit subchannels per
  // DIMM channel), LPDDR4/5 JESD209-4/-5 (16-bit channel), HBM2 JESD235
  // (128-bit channel, 2 Gb/s/pin), HBM2E (3.2 Gb/s/pin), HBM3 JESD238
  // (64-bit channel, 6.4 Gb/s/pin).
  static const std::pair<const char*, double> kTable[] = {
      {"ddr4-2400", 2400e6 * 8},   {"ddr4-3200", 3200e6 * 8},   {"ddr5-4800", 4800e6 * 8},
      {"ddr5-6400", 6400e6 * 8},   {"lpddr4-3200", 3200e6 * 2}, {"lpddr4-4266", 4266e6 * 2},
      {"lpddr5-6400", 6400e6 * 2}, {"hbm2", 2000e6 * 16},       {"hbm2e", 3200e6 * 16},
      {"hbm3", 6400e6 * 8},
  };
  for (const auto& [name, bw] : kTable) {
    if (preset == name) return bw;
  }
  return std::nullopt;
}

config::DeviceConfig device_from_platform(const config::PlatformConfig& p,
                                          std::optional<double> dram_bytes_per_s) {
  config::DeviceConfig d;
  d.source = p.source;
  d.name = p.name;
  d.description = p.description.empty() ? "Tessera platform " + p.name : p.description;
  d.clock_hz = p.clock_hz;
  const double clock = static_cast<double>(p.clock_hz);
  const double count = p.tiles.count;
  d.compute_units = p.tiles.count;
  const bool systolic = p.tiles.kind == config::TileKind::kSystolic;
  const double macs = systolic ? static_cast<double>(p.tiles.rows) * p.tiles.cols : p.tiles.lanes;
  const double peak = count * macs * 2.0 * clock;
  for (config::Dtype dt : config::kAllDtypes) d.peak_flops_per_s[static_cast<int>(dt)] = peak;
  d.vector_flops_per_s = count * p.tiles.lanes * 2.0 * clock;
  d.tiles = {systolic ? config::TileShape{p.tiles.rows, p.tiles.cols}
                      : config::TileShape{1, p.tiles.lanes}};
  d.launch_overhead_ps = 0;
  // Energy per action at 45 nm (Horowitz, ISSCC 2014, "Computing's energy
  // problem"): 32-bit float FMA ~4.6 pJ, 16-bit ~1.5 pJ, 8-bit int ~0.23 pJ;
  // 32 KB SRAM read ~20 pJ per 64 bits; 1 MB ~100 pJ per 64 bits; DRAM
  // 1.3-2.6 nJ per 64 bits, i.e. 162.5-325 pJ per byte (we take the low end).
  d.energy_pj_per_flop = {2.3, 2.3, 0.75, 0.75, 0.12, 0.12};
  d.caches.push_back({"scratchpad", p.tiles.scratchpad_bytes, true,
                      count * (p.tiles.rows + p.tiles.cols) * 4.0 * clock, 2.5});
  if (!p.cache.capacities_bytes.empty()) {
    const Bytes cap =
        *std::max_element(p.cache.capacities_bytes.begin(), p.cache.capacities_bytes.end());
    d.caches.push_back({"cache", cap, false, count * p.interconnect.bytes_per_cycle * clock, 12.5});
  }
  if (dram_bytes_per_s) {
    d.memory_bandwidth_bytes_per_s = *dram_bytes_per_s;
  } else if (dram::has_preset(p.dram.preset)) {
    // The platform's memory as the timed run builds it: the preset with the
    // dram: section's overrides (tCK, bus width...), replicated `channels` times.
    d.memory_bandwidth_bytes_per_s =
        dram::spec_from_platform(p.dram, p.source.empty() ? "platform" : p.source)
            .peak_bytes_per_second();
  } else {
    const auto channel = dram_preset_channel_bytes_per_s(p.dram.preset);
    if (!channel) {
      throw InputError(fmt::format(
          "platform '{}': dram.preset: expected a preset with a known peak bandwidth (ddr4-3200, "
          "ddr5-4800, lpddr5-6400, hbm2, hbm2e, hbm3, ...), found '{}'",
          p.name, p.dram.preset));
    }
    d.memory_bandwidth_bytes_per_s = *channel * p.dram.channels;
  }
  d.memory_energy_pj_per_byte = 162.5;
  return d;
}

}  // namespace tessera::roofline
