// Options of the co-verification binary: `--full` runs the documented full matrix
// (10x the random vectors; see docs/rtl.md), `--seed N` changes the random vectors.
#pragma once

#include <cstdint>

namespace tessera::rtltest {

struct CoverifOptions {
  bool full = false;
  std::uint64_t seed = 1;
};
CoverifOptions& options();

// Random vectors per configuration: `base` in CI, 10 x base with --full.
inline int vectors(int base) {
  return options().full ? 10 * base : base;
}

}  // namespace tessera::rtltest
