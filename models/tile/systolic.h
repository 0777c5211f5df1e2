// Cycle counts of a GEMM on a systolic array, after SCALE-Sim's analytical
// model (A. Samajdar et al., "A Systematic Methodology for Characterizing
// Scalability of DNN Accelerators using SCALE-Sim", ISPASS 2020;
// arXiv:1811.02883, section III).
//
// A GEMM C[M x N] = A[M x K] * B[K x N] maps onto an R x C array with three
// spatial/temporal dimensions that depend on the dataflow:
//   output stationary (os): Sr = M, Sc = N, T = K  (each PE owns one output)
//   weight stationary (ws): Sr = K, Sc = N, T = M  (each PE holds one weight)
//   input stationary  (is): Sr = K, Sc = M, T = N  (each PE holds one input)
// When Sr x Sc does not fit, the work is cut into folds of R x C:
//   folds = ceil(Sr / R) * ceil(Sc / C)
// and every fold takes the paper's single-array runtime with the array's own
// dimensions: fill (R cycles to skew operands in), stream (T cycles of
// operands) and drain (R + C - 2 cycles to move the last partial results out):
//   cycles_per_fold = 2R + C + T - 2
//   cycles = folds * cycles_per_fold
// Like SCALE-Sim's analytical mode, a partial last fold costs a full fold and
// folds are not overlapped.
#pragma once

#include <cstdint>

#include "models/config/platform_config.h"
#include "models/core/units.h"

namespace tessera::tile {

struct GemmShape {
  std::uint64_t m = 0, n = 0, k = 0;
};

struct SystolicMapping {
  std::uint64_t spatial_rows = 0;  // Sr
  std::uint64_t spatial_cols = 0;  // Sc
  std::uint64_t temporal = 0;      // T
  std::uint64_t folds = 0;
  Cycles cycles_per_fold = 0;
  Cycles cycles() const { return folds * cycles_per_fold; }
};

SystolicMapping map_gemm(const GemmShape& gemm, std::uint32_t rows, std::uint32_t cols,
                         config::Dataflow dataflow);

inline std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return (a + b - 1) / b;
}

}  // namespace tessera::tile
