// Typed description of the experiment's `cosim:` section: the workload `tessera cosim`
// runs on a Verilated unit (dot products or attention rows, of seeded data or of a binary
// input file), the memory bandwidth that feeds it, and the accumulation methods whose numerical
// error is reported. Documented key by key in docs/config/cosim.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/core/units.h"

namespace tessera::config {

class Node;

struct CosimConfig {
  bool present = false;
  std::string unit = "dot";              // dot | attention
  std::uint64_t rows = 256;              // dot products, or attention query rows
  std::uint64_t k = 256;                 // dot: length of each
  std::uint64_t keys = 64;               // attention: keys (and values) per query row, L
  std::uint64_t head_dim = 4;            // attention: D (must equal the tiles' lanes)
  std::string distribution = "uniform";  // dot: uniform | positive | cancel;
                                         // attention: uniform | peaked | mixed
  std::string input_file;                // optional: operands instead of seeded data
  std::vector<std::string> methods{"naive", "kahan", "neumaier", "kulisch"};
  Hertz clock_hz = 1'000'000'000;
  double bandwidth_bytes_per_s = 32e9;            // feeds the unit's operands
  std::string source;                             // "file:line:col" of the section
  std::map<std::string, std::string> key_source;  // "file:line:col" of each key given

  // Where a check on `key` should point: the key's own line, or the section's when the
  // key was not given (its default applies).
  const std::string& where(const std::string& key) const {
    const auto it = key_source.find(key);
    return it == key_source.end() ? source : it->second;
  }
};

CosimConfig parse_cosim(const Node& node);

}  // namespace tessera::config
