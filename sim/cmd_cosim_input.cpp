#include "sim/cmd_cosim_input.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <iterator>

#include "models/core/error.h"

namespace tessera::cli {
namespace {

std::vector<unsigned char> slurp_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open the cosim input file", path));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t le32(const std::vector<unsigned char>& b, std::size_t at) {
  return static_cast<std::uint32_t>(b[at]) | static_cast<std::uint32_t>(b[at + 1]) << 8 |
         static_cast<std::uint32_t>(b[at + 2]) << 16 | static_cast<std::uint32_t>(b[at + 3]) << 24;
}

// The magic as found, printable (a binary file's bytes as \xNN).
std::string printable(const unsigned char* p, std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] >= 0x20 && p[i] < 0x7F && p[i] != '\'' && p[i] != '\\') {
      s += static_cast<char>(p[i]);
    } else {
      s += fmt::format("\\x{:02X}", p[i]);
    }
  }
  return s;
}

}  // namespace

void read_dot_input(const std::string& path, std::size_t n, std::vector<std::uint64_t>& a,
                    std::vector<std::uint64_t>& b) {
  const std::vector<unsigned char> bytes = slurp_bytes(path);
  if (bytes.size() != 2 * n) {
    throw InputError(fmt::format(
        "{}: byte 0: expected {} bytes (rows * k E4M3 values of A, then of B), found {}", path,
        2 * n, bytes.size()));
  }
  a.assign(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
  b.assign(bytes.begin() + static_cast<std::ptrdiff_t>(n), bytes.end());
}

AttentionFileData read_attention_input(const std::string& path, const AttentionFileShape& want) {
  const std::vector<unsigned char> bytes = slurp_bytes(path);
  constexpr std::size_t kMagicBytes = sizeof(kAttentionFileMagic) - 1;
  if (bytes.size() < kAttentionFileHeaderBytes) {
    throw InputError(fmt::format(
        "{}: byte 0: expected a {}-byte attention input header (magic {}, version, format, "
        "rows, keys, head_dim), found a {}-byte file",
        path, kAttentionFileHeaderBytes, kAttentionFileMagic, bytes.size()));
  }
  if (std::memcmp(bytes.data(), kAttentionFileMagic, kMagicBytes) != 0) {
    throw InputError(
        fmt::format("{}: byte 0: magic: expected '{}' (a tessera attention input file), found '{}'",
                    path, kAttentionFileMagic, printable(bytes.data(), kMagicBytes)));
  }
  // Header fields in file order: offset, name, expected value, what sets it.
  struct Field {
    std::size_t offset;
    const char* name;
    std::uint64_t expected;
    const char* why;
  };
  const Field fields[] = {
      {8, "version", 1, "the only format version"},
      {12, "exponent_bits", want.exponent_bits, "the Verilated unit's format"},
      {16, "mantissa_bits", want.mantissa_bits, "the Verilated unit's format"},
      {20, "rows", want.rows, "cosim.rows"},
      {24, "keys", want.keys, "cosim.keys"},
      {28, "head_dim", want.head_dim, "cosim.head_dim"},
  };
  for (const Field& f : fields) {
    const std::uint32_t found = le32(bytes, f.offset);
    if (found != f.expected) {
      throw InputError(fmt::format("{}: byte {}: {}: expected {} ({}), found {}", path, f.offset,
                                   f.name, f.expected, f.why, found));
    }
  }
  const std::uint64_t q_values = want.rows * want.head_dim, kv_values = want.keys * want.head_dim;
  const std::uint64_t values = q_values + 2 * kv_values;
  const std::uint64_t payload = bytes.size() - kAttentionFileHeaderBytes;
  if (payload != 2 * values) {
    throw InputError(fmt::format(
        "{}: byte {}: expected {} bytes of values after the header (2 bytes each: {} x {} of Q, "
        "then {} x {} of K and of V), found {}",
        path, kAttentionFileHeaderBytes, 2 * values, want.rows, want.head_dim, want.keys,
        want.head_dim, payload));
  }
  auto values_at = [&](std::uint64_t first, std::uint64_t count) {
    std::vector<std::uint64_t> v(count);
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::size_t at = kAttentionFileHeaderBytes + 2 * (first + i);
      v[i] = static_cast<std::uint64_t>(bytes[at]) | static_cast<std::uint64_t>(bytes[at + 1]) << 8;
    }
    return v;
  };
  AttentionFileData d;
  d.q = values_at(0, q_values);
  d.k = values_at(q_values, kv_values);
  d.v = values_at(q_values + kv_values, kv_values);
  return d;
}

}  // namespace tessera::cli
