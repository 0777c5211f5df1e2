#include "models/dram/request_source.h"

#include <fmt/format.h>

#include <cctype>
#include <fstream>

#include "models/core/error.h"

namespace tessera::dram {
namespace {

bool parse_u64(const std::string& s, std::uint64_t& out) {
  if (s.empty()) return false;
  std::size_t pos = 0;
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    pos = 2;
    base = 16;
  }
  std::uint64_t v = 0;
  for (; pos < s.size(); ++pos) {
    const char c = s[pos];
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return false;
    if (v >
        (~std::uint64_t{0} - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base)) {
      return false;
    }
    v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
  }
  if ((base == 16 && s.size() == 2)) return false;
  out = v;
  return true;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string strip_comment(const std::string& line) {
  const auto hash = line.find('#');
  std::string s = hash == std::string::npos ? line : line.substr(0, hash);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

}  // namespace

Pattern parse_pattern(const std::string& text, const std::string& what) {
  const auto bad = [&]() -> Pattern {
    throw InputError(fmt::format(
        "{}: expected stream, random, strided:N (bytes > 0) or mix:R:W (R + W > 0), found '{}'",
        what, text));
  };
  Pattern p;
  if (text == "stream") return p;
  if (text == "random") {
    p.kind = Pattern::Kind::kRandom;
    return p;
  }
  if (text.rfind("strided:", 0) == 0) {
    const auto n = parse_bytes(text.substr(8));
    if (!n || *n == 0) return bad();
    p.kind = Pattern::Kind::kStrided;
    p.stride_bytes = *n;
    return p;
  }
  if (text.rfind("mix:", 0) == 0) {
    const std::string rest = text.substr(4);
    const auto colon = rest.find(':');
    std::uint64_t r = 0, w = 0;
    if (colon == std::string::npos || !parse_u64(rest.substr(0, colon), r) ||
        !parse_u64(rest.substr(colon + 1), w) || r + w == 0 || r > 1000000 || w > 1000000) {
      return bad();
    }
    p.kind = Pattern::Kind::kMix;
    p.reads = static_cast<std::uint32_t>(r);
    p.writes = static_cast<std::uint32_t>(w);
    return p;
  }
  return bad();
}

PatternSource::PatternSource(const Pattern& p, Bytes capacity_bytes, std::uint64_t count,
                             std::uint32_t bytes, std::uint64_t seed)
    : pattern_(p), capacity_(capacity_bytes), remaining_(count), bytes_(bytes), rng_(seed) {}

bool PatternSource::next(TraceRequest& out) {
  if (remaining_ == 0) return false;
  --remaining_;
  out.arrival_ps = 0;
  out.bytes = bytes_;
  out.is_write = false;
  const std::uint64_t slots = capacity_ / bytes_;
  switch (pattern_.kind) {
    case Pattern::Kind::kStream:
      out.address = (cursor_ % slots) * bytes_;
      ++cursor_;
      break;
    case Pattern::Kind::kStrided:
      out.address = cursor_ % capacity_ / bytes_ * bytes_;
      cursor_ += pattern_.stride_bytes;
      break;
    case Pattern::Kind::kRandom:
      out.address = rng_.below(slots) * bytes_;
      break;
    case Pattern::Kind::kMix:
      out.address = rng_.below(slots) * bytes_;
      out.is_write = rng_.below(pattern_.reads + pattern_.writes) >= pattern_.reads;
      break;
  }
  return true;
}

const char* to_string(DramTraceFormat f) {
  switch (f) {
    case DramTraceFormat::kTessera:
      return "tessera";
    case DramTraceFormat::kDramSysStl:
      return "dramsys-stl";
    case DramTraceFormat::kRamulatorLoadStore:
      return "ramulator-loadstore";
  }
  return "?";
}

std::vector<TraceRequest> read_dram_trace(const std::filesystem::path& path, Picoseconds tck_ps,
                                          DramTraceFormat* format_out, std::uint64_t limit) {
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("{}: cannot open the trace file", path.string()));
  std::vector<TraceRequest> out;
  std::string line;
  std::uint64_t line_no = 0;
  bool known = false;
  DramTraceFormat format = DramTraceFormat::kTessera;
  Picoseconds last_ps = 0;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string text = strip_comment(line);
    if (text.empty()) continue;
    const auto fail = [&](const std::string& expected) {
      throw InputError(
          fmt::format("{}:{}: expected {}, found '{}'", path.string(), line_no, expected, text));
    };
    if (!known) {
      known = true;
      if (text.rfind("LD", 0) == 0 || text.rfind("ST", 0) == 0) {
        format = DramTraceFormat::kRamulatorLoadStore;
      } else if (const auto colon = text.find(':');
                 colon != std::string::npos && colon > 0 &&
                 std::isdigit(static_cast<unsigned char>(text[0]))) {
        format = DramTraceFormat::kDramSysStl;
      }
    }
    TraceRequest r;
    switch (format) {
      case DramTraceFormat::kRamulatorLoadStore: {
        const auto f = split(text);
        if (f.size() != 2 || (f[0] != "LD" && f[0] != "ST") || !parse_u64(f[1], r.address)) {
          fail("'LD ADDRESS' or 'ST ADDRESS' (Ramulator 2 load/store trace)");
        }
        r.is_write = f[0] == "ST";
        break;
      }
      case DramTraceFormat::kDramSysStl: {
        const auto colon = text.find(':');
        std::uint64_t cycle = 0;
        if (colon == std::string::npos || !parse_u64(text.substr(0, colon), cycle)) {
          fail("'CYCLE: read|write 0xADDRESS' (DRAMSys .stl)");
        }
        const auto f = split(text.substr(colon + 1));
        if (f.size() < 2 || (f[0] != "read" && f[0] != "write") || !parse_u64(f[1], r.address)) {
          fail("'CYCLE: read|write 0xADDRESS' (DRAMSys .stl)");
        }
        r.is_write = f[0] == "write";
        r.arrival_ps = cycle * tck_ps;
        break;
      }
      case DramTraceFormat::kTessera: {
        const auto f = split(text);
        std::uint64_t bytes = 64;
        if (f.size() < 3 || f.size() > 4) fail("'TIME R|W ADDRESS [BYTES]' (Tessera DRAM trace)");
        std::uint64_t ps = 0;
        if (!parse_u64(f[0], ps)) {
          const auto t = parse_time_ps(f[0]);
          if (!t) fail("a time in ps or with a unit (10ns) as the first field");
          ps = *t;
        }
        if (f[1] != "R" && f[1] != "W" && f[1] != "r" && f[1] != "w")
          fail("R or W as the second field");
        if (!parse_u64(f[2], r.address)) fail("an address (0x... or decimal) as the third field");
        if (f.size() == 4 && (!parse_u64(f[3], bytes) || bytes == 0 || bytes > (1u << 20))) {
          fail("a size in bytes between 1 and 1048576 as the fourth field");
        }
        r.arrival_ps = ps;
        r.is_write = f[1] == "W" || f[1] == "w";
        r.bytes = static_cast<std::uint32_t>(bytes);
        break;
      }
    }
    if (r.arrival_ps < last_ps) {
      fail(fmt::format("times in non-decreasing order (previous request at {} ps)", last_ps));
    }
    last_ps = r.arrival_ps;
    out.push_back(r);
    if (limit != 0 && out.size() >= limit) break;
  }
  if (format_out != nullptr) *format_out = format;
  return out;
}

}  // namespace tessera::dram
