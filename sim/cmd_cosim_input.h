// The binary input files of `tessera cosim` (the cosim section's `input:` key), read into
// bit patterns; every malformed or wrong-size file is one InputError line naming the file,
// the byte offset, the field, what was expected and what was found. Formats:
// docs/config/cosim.md, "Input files".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tessera::cli {

// Dot unit: headerless, `n` E4M3 bytes of A (rows x k, row-major) then `n` of B.
void read_dot_input(const std::string& path, std::size_t n, std::vector<std::uint64_t>& a,
                    std::vector<std::uint64_t>& b);

// Attention unit: a 32-byte header (magic "TESSATTN", version 1, the element format's
// exponent and mantissa bits, rows, keys, head_dim; little-endian uint32 fields), then Q
// (rows x head_dim), K and V (keys x head_dim each), one little-endian uint16 bit pattern
// per element. The header must describe the cosim section's workload and the unit's
// format (E`exponent_bits`M`mantissa_bits`).
struct AttentionFileShape {
  std::uint32_t exponent_bits = 5, mantissa_bits = 10;
  std::uint64_t rows = 0, keys = 0, head_dim = 0;
};
struct AttentionFileData {
  std::vector<std::uint64_t> q, k, v;  // rows x D, keys x D, keys x D
};
constexpr std::size_t kAttentionFileHeaderBytes = 32;
constexpr char kAttentionFileMagic[] = "TESSATTN";  // 8 bytes, no terminator in the file
AttentionFileData read_attention_input(const std::string& path, const AttentionFileShape& want);

}  // namespace tessera::cli
