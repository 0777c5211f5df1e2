// How long an operator's share takes on one tile, and how an operator is
// split across tiles.
//
// Split (documented in docs/platform.md): an operator's work is a count of
// equal units; tile t of T takes the contiguous units [t*U/T, (t+1)*U/T).
//   - GEMM-like operators (gemm, batched_gemm, conv2d, attention: those with
//     m, n, k > 0) on a systolic tile: a unit is one fold of the array (for
//     the output-stationary dataflow a fold is one R x C tile of the output,
//     so the split is by output tiles); U = batch * folds, and a share of u
//     folds takes u * cycles_per_fold (see systolic.h).
//   - Every other operator, and any operator on a vector tile: a unit is one
//     lane-operation (a GEMM's multiply-add, or one element operation, at
//     least one per output element); a share of u units takes ceil(u / lanes).
// Operand and result bytes are split by the same fractions (see
// models/platform/schedule.h).
#pragma once

#include <cstdint>

#include "models/config/platform_config.h"
#include "models/core/units.h"
#include "models/workload/trace.h"

namespace tessera::tile {

struct OpWork {
  std::uint64_t units = 0;
  Cycles cycles_per_fold = 0;  // > 0: systolic folds; 0: lane operations
  std::uint32_t lanes = 1;

  Cycles cycles(std::uint64_t unit_count) const;
};

struct Share {
  std::uint64_t unit_begin = 0, unit_end = 0;
  std::uint64_t units() const { return unit_end - unit_begin; }
};

bool is_gemm_like(const workload::OpInfo& op);
OpWork op_work(const workload::OpInfo& op, const config::TileConfig& tile);
Share tile_share(std::uint64_t units, std::uint32_t tile, std::uint32_t tiles);

}  // namespace tessera::tile
