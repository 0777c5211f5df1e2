// DotEngine: the Verilated 16-lane E4M3 dot unit (rtl/dot_unit.v with EW=4, MW=3,
// LANES=16, tree reduction, naive accumulation, MUL_LATENCY=1) driven cycle by cycle from
// plain C++. A tile (SystemC) calls run() for a batch of dot products and then waits the
// returned number of cycles: one process wake per batch, not per clock (DESIGN.md:
// a --cc model stepped from one SC_THREAD is ~10x faster than a --sc model).
// The Verilated header stays inside dot_engine.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "models/numerics/accumulator.h"
#include "models/numerics/dot_model.h"

namespace tessera::rtl {

struct DotUnitInfo {
  numerics::FpFormat format;
  int lanes;
  numerics::DotReduce reduce;
  numerics::AccumMethod method;
  int mul_latency_cycles;
};

class DotEngine {
 public:
  DotEngine();
  ~DotEngine();
  DotEngine(const DotEngine&) = delete;
  DotEngine& operator=(const DotEngine&) = delete;

  // The configuration the Verilated instance was built with.
  static DotUnitInfo info();

  // Computes `count` dot products of length k: results[j] = dot(a + j * k, b + j * k).
  // Operands are bit patterns of the format; a length that is not a multiple of the lane
  // count is zero-padded. The beats stream back to back (one per cycle, no back-pressure).
  // Returns the clock cycles from the first beat to the last result.
  // bytes_per_cycle > 0 models the memory stream feeding the operands: each beat needs
  // 2 x 16 one-byte operands, which arrive at that rate (a credit that grows every cycle,
  // from 0); a beat is presented only once its bytes have arrived. 0 = unlimited.
  std::uint64_t run(const std::uint64_t* a, const std::uint64_t* b, std::size_t k,
                    std::size_t count, std::uint64_t* results, double bytes_per_cycle = 0);

  // Clock cycles simulated since construction.
  std::uint64_t total_cycles() const { return total_cycles_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint64_t total_cycles_ = 0;
};

}  // namespace tessera::rtl
