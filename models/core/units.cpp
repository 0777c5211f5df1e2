#include "models/core/units.h"

#include <fmt/format.h>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace tessera {
namespace {

struct Suffix {
  std::string_view text;
  double scale;
};

// Splits "1.5GiB" into 1.5 and "GiB"; refuses signs, empty numbers and junk.
bool split_number(std::string_view text, double& value, std::string_view& suffix) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  std::size_t i = 0;
  bool digits = false;
  bool dot = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else if (c == '_' || c == '\'') {
      continue;  // digit separators: 1_000_000
    } else {
      break;
    }
  }
  if (!digits) return false;
  std::string number;
  for (char c : text.substr(0, i)) {
    if (c != '_' && c != '\'') number.push_back(c);
  }
  value = std::strtod(number.c_str(), nullptr);
  suffix = text.substr(i);
  while (!suffix.empty() && suffix.front() == ' ') suffix.remove_prefix(1);
  return std::isfinite(value);
}

template <std::size_t N>
std::optional<double> scaled(std::string_view text, const Suffix (&table)[N], bool bare_ok) {
  double value = 0;
  std::string_view suffix;
  if (!split_number(text, value, suffix)) return std::nullopt;
  if (suffix.empty()) return bare_ok ? std::optional<double>(value) : std::nullopt;
  for (const Suffix& s : table) {
    if (suffix == s.text) return value * s.scale;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> to_integer(std::optional<double> value) {
  if (!value || *value < 0 || *value > 1.8e19) return std::nullopt;
  return static_cast<std::uint64_t>(std::llround(*value));
}

std::string trim_number(double v) {
  std::string s = fmt::format("{:.2f}", v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::optional<Bytes> parse_bytes(std::string_view text) {
  static const Suffix table[] = {
      {"B", 1},
      {"KiB", 1024.0},
      {"MiB", 1024.0 * 1024},
      {"GiB", 1024.0 * 1024 * 1024},
      {"TiB", 1024.0 * 1024 * 1024 * 1024},
      {"KB", 1e3},
      {"kB", 1e3},
      {"MB", 1e6},
      {"GB", 1e9},
      {"TB", 1e12},
  };
  const auto value = scaled(text, table, /*bare_ok=*/true);
  // Sizes are whole bytes: 1.5 B is refused rather than silently rounded.
  if (value && std::floor(*value) != *value) return std::nullopt;
  return to_integer(value);
}

std::optional<Picoseconds> parse_time_ps(std::string_view text) {
  static const Suffix table[] = {
      {"ps", 1}, {"ns", 1e3}, {"us", 1e6}, {"ms", 1e9}, {"s", 1e12},
  };
  return to_integer(scaled(text, table, /*bare_ok=*/false));
}

std::optional<Hertz> parse_frequency_hz(std::string_view text) {
  static const Suffix table[] = {
      {"Hz", 1}, {"kHz", 1e3}, {"KHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9},
  };
  const auto hz = to_integer(scaled(text, table, /*bare_ok=*/false));
  if (hz && *hz == 0) return std::nullopt;
  return hz;
}

std::string format_bytes(Bytes bytes) {
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 5) {
    v /= 1024.0;
    ++u;
  }
  return trim_number(v) + " " + units[u];
}

std::string format_time_ps(Picoseconds ps) {
  static const char* const units[] = {"ps", "ns", "us", "ms", "s"};
  double v = static_cast<double>(ps);
  int u = 0;
  while (v >= 1000.0 && u < 4) {
    v /= 1000.0;
    ++u;
  }
  return trim_number(v) + " " + units[u];
}

Picoseconds period_ps(Hertz frequency_hz) {
  if (frequency_hz == 0) return 0;
  return (kPsPerSecond + frequency_hz / 2) / frequency_hz;
}

}  // namespace tessera
