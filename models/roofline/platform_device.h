// Every Tessera platform is also a roofline device: its peak comes from its
// tiles and clock, its bandwidths from its cache port widths and its DRAM.
#pragma once

#include <optional>
#include <string>

#include "models/config/device_config.h"
#include "models/config/platform_config.h"

namespace tessera::roofline {

// Peak DRAM bandwidth: controllers x bus width x beats per clock / tCK.
double dram_peak_bytes_per_s(std::uint32_t controllers, std::uint32_t bus_width_bits,
                             std::uint32_t data_rate, Picoseconds tck_ps);

// Peak bandwidth of one channel of a JEDEC preset by name ("ddr4-3200",
// "hbm2", ...), from the standard's data rate and bus width; nullopt for an
// unknown name.
std::optional<double> dram_preset_channel_bytes_per_s(const std::string& preset);

// The platform as a device. `dram_bytes_per_s` is the platform's peak DRAM
// bandwidth (e.g. from its dram::DramSpec with dram_peak_bytes_per_s); when
// absent it is the dram::preset's peak bandwidth times dram.channels (or, for
// a lower-case JEDEC name, dram_preset_channel_bytes_per_s times channels),
// and an unknown preset is an InputError.
//   peak (every dtype the tile computes) = count x MACs per cycle x 2 x clock,
//     MACs per cycle = rows x cols (systolic) or lanes (vector);
//   vector peak = count x lanes x 2 x clock (the vector unit beside the array);
//   scratchpad level: per tile, (rows + cols) x 4 bytes per cycle per tile;
//   shared cache level: largest capacity, bytes_per_cycle x count x clock;
//   tile shape = rows x cols, compute units = count, no launch overhead.
config::DeviceConfig device_from_platform(const config::PlatformConfig& platform,
                                          std::optional<double> dram_bytes_per_s = std::nullopt);

}  // namespace tessera::roofline
