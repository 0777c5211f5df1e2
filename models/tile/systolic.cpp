#include "models/tile/systolic.h"

namespace tessera::tile {

SystolicMapping map_gemm(const GemmShape& gemm, std::uint32_t rows, std::uint32_t cols,
                         config::Dataflow dataflow) {
  SystolicMapping s;
  switch (dataflow) {
    case config::Dataflow::kOutputStationary:
      s.spatial_rows = gemm.m, s.spatial_cols = gemm.n, s.temporal = gemm.k;
      break;
    case config::Dataflow::kWeightStationary:
      s.spatial_rows = gemm.k, s.spatial_cols = gemm.n, s.temporal = gemm.m;
      break;
    case config::Dataflow::kInputStationary:
      s.spatial_rows = gemm.k, s.spatial_cols = gemm.m, s.temporal = gemm.n;
      break;
  }
  if (s.spatial_rows == 0 || s.spatial_cols == 0 || s.temporal == 0) return s;
  s.folds = ceil_div(s.spatial_rows, rows) * ceil_div(s.spatial_cols, cols);
  s.cycles_per_fold = 2ull * rows + cols + s.temporal - 2;
  return s;
}

}  // namespace tessera::tile
