#include "models/tile/op_timing.h"

#include <algorithm>

#include "models/core/rng.h"
#include "models/tile/systolic.h"

namespace tessera::tile {

Cycles OpWork::cycles(std::uint64_t unit_count) const {
  if (cycles_per_fold > 0) return unit_count * cycles_per_fold;
  return ceil_div(unit_count, lanes);
}

bool is_gemm_like(const workload::OpInfo& op) {
  switch (op.kind) {
    case workload::OpKind::kGemm:
    case workload::OpKind::kBatchedGemm:
    case workload::OpKind::kConv2d:
    case workload::OpKind::kAttention:
      return op.m > 0 && op.n > 0 && op.k > 0;
    default:
      return false;
  }
}

OpWork op_work(const workload::OpInfo& op, const config::TileConfig& tile) {
  OpWork w;
  const std::uint64_t batch = std::max<std::uint64_t>(op.batch, 1);
  if (tile.kind == config::TileKind::kSystolic && is_gemm_like(op)) {
    const SystolicMapping s = map_gemm({op.m, op.n, op.k}, tile.rows, tile.cols, tile.dataflow);
    w.units = batch * s.folds;
    w.cycles_per_fold = s.cycles_per_fold;
    return w;
  }
  w.lanes = tile.lanes;
  // One lane retires one multiply-add (2 FLOPs) or one element operation per
  // cycle; an operator touches each output element at least once.
  const std::uint64_t elements = batch * op.m * std::max<std::uint64_t>(op.n, 1);
  const std::uint64_t operations = is_gemm_like(op) ? op.flops / 2 : op.flops;
  w.units = std::max(operations, elements);
  return w;
}

Share tile_share(std::uint64_t units, std::uint32_t tile, std::uint32_t tiles) {
  const auto at = [&](std::uint64_t t) {
    return static_cast<std::uint64_t>(static_cast<RngU128>(units) * t / tiles);
  };
  return {at(tile), at(tile + 1ull)};
}

}  // namespace tessera::tile
