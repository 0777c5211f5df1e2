// Typed description of the experiment's `cosim:` section: the workload `tessera cosim`
// runs on the Verilated dot unit (dot products of seeded data or of a binary input file),
// the memory bandwidth that feeds it, and the accumulation methods whose numerical error
// is reported. Documented key by key in docs/config/cosim.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/core/units.h"

namespace tessera::config {

class Node;

struct CosimConfig {
  bool present = false;
  std::string unit = "dot";              // dot (the only unit with an RTL engine so far)
  std::uint64_t rows = 256;              // dot products
  std::uint64_t k = 256;                 // length of each
  std::string distribution = "uniform";  // uniform | positive | cancel
  std::string input_file;                // optional: raw operands instead of seeded data
  std::vector<std::string> methods{"naive", "kahan", "neumaier", "kulisch"};
  Hertz clock_hz = 1'000'000'000;
  double bandwidth_bytes_per_s = 32e9;  // feeds the unit's operands
  std::string source;                   // "file:line:col" of the section
};

CosimConfig parse_cosim(const Node& node);

}  // namespace tessera::config
