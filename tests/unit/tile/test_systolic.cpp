// SCALE-Sim's analytical runtime (Samajdar et al., ISPASS 2020, section III),
// worked by hand: folds = ceil(Sr/R) * ceil(Sc/C), cycles per fold = 2R + C + T - 2.
#include <gtest/gtest.h>

#include "models/tile/op_timing.h"
#include "models/tile/systolic.h"

namespace tessera::tile {
namespace {

using config::Dataflow;

TEST(Systolic, OutputStationaryHandCase) {
  // 4x4 array, M=8 N=4 K=5: Sr=M=8, Sc=N=4, T=K=5.
  // folds = ceil(8/4)*ceil(4/4) = 2; per fold 2*4 + 4 + 5 - 2 = 15; total 30.
  const SystolicMapping s = map_gemm({8, 4, 5}, 4, 4, Dataflow::kOutputStationary);
  EXPECT_EQ(s.folds, 2u);
  EXPECT_EQ(s.cycles_per_fold, 15u);
  EXPECT_EQ(s.cycles(), 30u);
}

TEST(Systolic, WeightStationaryHandCase) {
  // Sr=K=5, Sc=N=4, T=M=8: folds = ceil(5/4)*ceil(4/4) = 2; per fold 8+4+8-2 = 18; total 36.
  const SystolicMapping s = map_gemm({8, 4, 5}, 4, 4, Dataflow::kWeightStationary);
  EXPECT_EQ(s.spatial_rows, 5u);
  EXPECT_EQ(s.spatial_cols, 4u);
  EXPECT_EQ(s.temporal, 8u);
  EXPECT_EQ(s.folds, 2u);
  EXPECT_EQ(s.cycles(), 36u);
}

TEST(Systolic, InputStationaryHandCase) {
  // Sr=K=5, Sc=M=8, T=N=4: folds = ceil(5/4)*ceil(8/4) = 4; per fold 8+4+4-2 = 14; total 56.
  const SystolicMapping s = map_gemm({8, 4, 5}, 4, 4, Dataflow::kInputStationary);
  EXPECT_EQ(s.folds, 4u);
  EXPECT_EQ(s.cycles_per_fold, 14u);
  EXPECT_EQ(s.cycles(), 56u);
}

TEST(Systolic, RectangularArrayUsesRowsAndColsSeparately) {
  // 16x8 array (R=16, C=8), OS, M=32 N=20 K=7: folds = ceil(32/16)*ceil(20/8) = 2*3 = 6;
  // per fold 2*16 + 8 + 7 - 2 = 45; total 270.
  const SystolicMapping s = map_gemm({32, 20, 7}, 16, 8, Dataflow::kOutputStationary);
  EXPECT_EQ(s.folds, 6u);
  EXPECT_EQ(s.cycles(), 270u);
}

TEST(Systolic, EmptyShapeTakesNoCycles) {
  EXPECT_EQ(map_gemm({0, 4, 4}, 4, 4, Dataflow::kOutputStationary).cycles(), 0u);
}

TEST(Systolic, NeverBeatsThePeakMacRate) {
  // Invariant: cycles >= M*N*K / (R*C) for every dataflow (the array's peak).
  for (std::uint64_t m : {1u, 3u, 16u, 100u}) {
    for (std::uint64_t n : {1u, 7u, 64u}) {
      for (std::uint64_t k : {1u, 9u, 128u}) {
        for (Dataflow df : {Dataflow::kOutputStationary, Dataflow::kWeightStationary,
                            Dataflow::kInputStationary}) {
          const SystolicMapping s = map_gemm({m, n, k}, 8, 4, df);
          EXPECT_GE(s.cycles() * 8 * 4, m * n * k) << m << "x" << n << "x" << k;
        }
      }
    }
  }
}

TEST(OpTiming, GemmOnSystolicTileIsFoldsTimesBatch) {
  workload::OpInfo op;
  op.kind = workload::OpKind::kBatchedGemm;
  op.batch = 3, op.m = 8, op.n = 4, op.k = 5;
  config::TileConfig tile;
  tile.rows = 4, tile.cols = 4, tile.dataflow = Dataflow::kOutputStationary;
  const OpWork w = op_work(op, tile);
  EXPECT_EQ(w.units, 6u);  // 3 batches x 2 folds
  EXPECT_EQ(w.cycles_per_fold, 15u);
  EXPECT_EQ(w.cycles(w.units), 90u);
}

TEST(OpTiming, ElementwiseRunsOnTheLanes) {
  workload::OpInfo op;
  op.kind = workload::OpKind::kElementwise;
  op.m = 1000, op.n = 1, op.k = 1, op.flops = 1000;
  config::TileConfig tile;
  tile.lanes = 16;
  const OpWork w = op_work(op, tile);
  EXPECT_EQ(w.units, 1000u);
  EXPECT_EQ(w.cycles(w.units), 63u);  // ceil(1000 / 16)
}

TEST(OpTiming, GemmOnVectorTileIsOneMacPerLanePerCycle) {
  workload::OpInfo op;
  op.kind = workload::OpKind::kGemm;
  op.m = 8, op.n = 4, op.k = 5, op.flops = 2 * 8 * 4 * 5;
  config::TileConfig tile;
  tile.kind = config::TileKind::kVector;
  tile.lanes = 32;
  const OpWork w = op_work(op, tile);
  EXPECT_EQ(w.units, 160u);          // 8*4*5 multiply-adds
  EXPECT_EQ(w.cycles(w.units), 5u);  // ceil(160 / 32)
}

TEST(OpTiming, ShareSplitsUnitsContiguouslyAndCompletely) {
  // 10 units over 4 tiles: floor(10*t/4) boundaries 0, 2, 5, 7, 10.
  EXPECT_EQ(tile_share(10, 0, 4).unit_end, 2u);
  EXPECT_EQ(tile_share(10, 1, 4).unit_begin, 2u);
  EXPECT_EQ(tile_share(10, 1, 4).unit_end, 5u);
  EXPECT_EQ(tile_share(10, 2, 4).unit_end, 7u);
  EXPECT_EQ(tile_share(10, 3, 4).unit_end, 10u);
  for (std::uint64_t units : {0u, 1u, 3u, 17u, 1000u}) {
    std::uint64_t total = 0;
    for (std::uint32_t t = 0; t < 7; ++t) total += tile_share(units, t, 7).units();
    EXPECT_EQ(total, units);
  }
}

}  // namespace
}  // namespace tessera::tile
