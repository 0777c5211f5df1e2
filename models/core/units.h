// Units inside Tessera are plain integers whose names carry the unit:
// sizes in bytes, times in picoseconds, frequencies in hertz, work in cycles.
// Floating point appears only at the edges (display, analytic estimates).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessera {

using Bytes = std::uint64_t;
using Cycles = std::uint64_t;
using Picoseconds = std::uint64_t;
using Hertz = std::uint64_t;

inline constexpr Bytes kKiB = 1024;
inline constexpr Bytes kMiB = 1024 * kKiB;
inline constexpr Bytes kGiB = 1024 * kMiB;
inline constexpr Picoseconds kPsPerNs = 1000;
inline constexpr Picoseconds kPsPerUs = 1000 * kPsPerNs;
inline constexpr Picoseconds kPsPerMs = 1000 * kPsPerUs;
inline constexpr Picoseconds kPsPerSecond = 1000 * kPsPerMs;

// Parsers for the unit strings configs and command lines accept. Each returns
// nullopt when the text is not of the expected form; callers own the message.
//   sizes:       "4096", "64KiB", "2MiB", "1GiB", "1.5MiB", "64KB" (= 64000), "64B"
//   times:       "10ns", "1.5us", "3ms", "2s", "312ps" (bare numbers are refused)
//   frequencies: "1.5GHz", "800MHz", "100kHz", "50Hz"
std::optional<Bytes> parse_bytes(std::string_view text);
std::optional<Picoseconds> parse_time_ps(std::string_view text);
std::optional<Hertz> parse_frequency_hz(std::string_view text);

// Human display: 65536 -> "64 KiB", 1536 -> "1.5 KiB".
std::string format_bytes(Bytes bytes);
// 1500 -> "1.5 ns", 2'000'000 -> "2 us".
std::string format_time_ps(Picoseconds ps);

// Clock period of a frequency, rounded to the nearest picosecond.
Picoseconds period_ps(Hertz frequency_hz);

}  // namespace tessera
