// The prototype's CSV columns: reuse distance and stride worked out by hand,
// exact text, and reading prototype files back into a trace.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "models/core/error.h"
#include "models/workload/trace_io.h"
#include "tests/unit/workload/trace_io_test_util.h"

namespace tessera::workload {
namespace {

using testing::read_bytes;
using testing::ScratchDir;
using testing::small_trace;
using testing::write_bytes;

std::string read_error(const std::filesystem::path& path) {
  try {
    read_trace(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(TraceLegacyCsv, WritesSmallTraceByHand) {
  // size_mb = bytes / 2^20: 64 B = 6.103515625e-05, 512 B = 0.00048828125,
  // 32 B = 3.0517578125e-05, 16 B = 1.52587890625e-05 (shortest exact decimals).
  // y is touched by events 2..5 with nothing else in between: reuse distance 0.
  // stride: 768 -> 768 = 0, 768 -> 784 = 16, 784 -> 768 = -16.
  ScratchDir dir("legacy-small");
  write_trace(small_trace(), dir / "t.csv", TraceFormat::kLegacyCsv);
  EXPECT_EQ(read_bytes(dir / "t.csv"),
            "tensor_id,size_mb,reuse_distance,stride,op,model_type\n"
            "0,6.103515625e-05,-1,0,gemm,MLP\n"
            "1,0.00048828125,-1,0,gemm,MLP\n"
            "2,3.0517578125e-05,-1,0,gemm,MLP\n"
            "2,1.52587890625e-05,0,0,elementwise,MLP\n"
            "2,1.52587890625e-05,0,16,elementwise,MLP\n"
            "2,3.0517578125e-05,0,-16,elementwise,MLP\n");
}

TEST(TraceLegacyCsv, ReuseDistanceCountsDistinctOtherTensors) {
  // Accesses A B C B A A C (tensors 0 1 2, each 1 MiB):
  //   A, B, C: first use -> -1
  //   B (4th): since B at 2nd, only C       -> 1
  //   A (5th): since A at 1st, B, C (B twice counts once) -> 2
  //   A (6th): immediately again             -> 0
  //   C (7th): since C at 3rd, B and A       -> 2
  Trace t;
  t.family = "transformer";
  for (int i = 0; i < 3; ++i) {
    t.add_tensor({"t" + std::to_string(i), kMiB, static_cast<std::uint64_t>(i) * kMiB,
                  TensorRole::kActivation});
  }
  OpInfo op;
  op.kind = OpKind::kAttention;
  t.add_op(op);
  for (std::uint32_t id : {0, 1, 2, 1, 0, 0, 2}) t.access(id, 0, AccessKind::kRead);
  ScratchDir dir("legacy-reuse");
  write_trace(t, dir / "r.legacy.csv");  // format from the extension
  EXPECT_EQ(read_bytes(dir / "r.legacy.csv"),
            "tensor_id,size_mb,reuse_distance,stride,op,model_type\n"
            "0,1,-1,0,attention,Transformer\n"
            "1,1,-1,0,attention,Transformer\n"
            "2,1,-1,0,attention,Transformer\n"
            "1,1,1,0,attention,Transformer\n"
            "0,1,2,0,attention,Transformer\n"
            "0,1,0,0,attention,Transformer\n"
            "2,1,2,0,attention,Transformer\n");
}

TEST(TraceLegacyCsv, ReusesDistancesMatchABruteForceCount) {
  ScratchDir dir("legacy-brute");
  const Trace t = testing::random_trace(42, 400);
  write_trace(t, dir / "r.csv", TraceFormat::kLegacyCsv);
  const std::string text = read_bytes(dir / "r.csv");
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);  // header
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    ASSERT_TRUE(std::getline(lines, line));
    // Brute force: walk back to the previous access of the same tensor.
    std::set<std::uint32_t> between;
    long long expected = -1;
    for (std::size_t j = i; j-- > 0;) {
      if (t.events[j].tensor_id == t.events[i].tensor_id) {
        expected = static_cast<long long>(between.size());
        break;
      }
      between.insert(t.events[j].tensor_id);
    }
    // Third field of the row (op names are kinds: no commas inside).
    const std::size_t a = line.find(',', line.find(',') + 1);
    const std::size_t b = line.find(',', a + 1);
    EXPECT_EQ(std::stoll(line.substr(a + 1, b - a - 1)), expected) << "event " << i;
  }
}

TEST(TraceLegacyCsv, ReadsPrototypeRows) {
  // Sizes: 0.5 MiB = 524288 B; tensor 1 appears with 1 MiB and 0.25 MiB: it is
  // as large as its largest row (1048576 B); 1e-6 MiB = 1.048576 B -> 1 B.
  // Addresses (bump, 256-byte aligned, id order): t0 at 0 (524288 B),
  // t1 at 524288 (1048576 B), t2 at 1572864 (1 B).
  // Ops: a new op when the text changes: MatMul | relu | MatMul.
  ScratchDir dir("legacy-read");
  write_bytes(dir / "proto.csv",
              "tensor_id,size_mb,reuse_distance,stride,op,model_type\r\n"
              "0,0.5,-1,0,MatMul,CNN\r\n"
              "1,1.0,-1,0,MatMul,CNN\r\n"
              "1,0.25,0,64,relu,CNN\r\n"
              "2,1e-6,-1,0,MatMul,CNN\r\n");
  const Trace t = read_trace(dir / "proto.csv");
  EXPECT_EQ(t.family, "cnn");
  EXPECT_EQ(t.model, "proto");
  ASSERT_EQ(t.tensors.size(), 3u);
  EXPECT_EQ(t.tensors[0].name, "tensor0");
  EXPECT_EQ(t.tensors[0].bytes, 524288u);
  EXPECT_EQ(t.tensors[0].address, 0u);
  EXPECT_EQ(t.tensors[1].bytes, 1048576u);
  EXPECT_EQ(t.tensors[1].address, 524288u);
  EXPECT_EQ(t.tensors[2].bytes, 1u);
  EXPECT_EQ(t.tensors[2].address, 1572864u);
  EXPECT_EQ(t.tensors[2].role, TensorRole::kActivation);
  ASSERT_EQ(t.ops.size(), 3u);
  EXPECT_EQ(t.ops[0].name, "MatMul");
  EXPECT_EQ(t.ops[0].kind, OpKind::kGemm);
  EXPECT_EQ(t.ops[1].kind, OpKind::kElementwise);
  EXPECT_EQ(t.ops[2].kind, OpKind::kGemm);
  ASSERT_EQ(t.events.size(), 4u);
  EXPECT_EQ(t.events[2].tensor_id, 1u);
  EXPECT_EQ(t.events[2].bytes, 262144u);
  EXPECT_EQ(t.events[2].address, 524288u);
  EXPECT_EQ(t.events[2].op_id(), 1u);
  EXPECT_EQ(t.events[3].op_id(), 2u);
  EXPECT_FALSE(t.events[0].is_write());
}

TEST(TraceLegacyCsv, WriteThenReadKeepsIdsSizesAndOrder) {
  ScratchDir dir("legacy-roundtrip");
  const Trace t = small_trace();
  write_trace(t, dir / "t.legacy.csv");
  const Trace back = read_trace(dir / "t.legacy.csv");
  EXPECT_EQ(back.family, "mlp");
  ASSERT_EQ(back.events.size(), t.events.size());
  for (std::size_t i = 0; i < t.events.size(); ++i) {
    EXPECT_EQ(back.events[i].tensor_id, t.events[i].tensor_id);
    EXPECT_EQ(back.events[i].bytes, t.events[i].bytes);
  }
  ASSERT_EQ(back.tensors.size(), 3u);
  EXPECT_EQ(back.tensors[1].bytes, 512u);
  EXPECT_EQ(back.ops.size(), 2u);  // gemm x3 then elementwise x3
  // Writing the read-back trace reproduces the legacy text except the
  // strides: reading places every access at its tensor's base.
  write_trace(back, dir / "u.legacy.csv");
  EXPECT_EQ(read_bytes(dir / "u.legacy.csv"),
            "tensor_id,size_mb,reuse_distance,stride,op,model_type\n"
            "0,6.103515625e-05,-1,0,gemm,MLP\n"
            "1,0.00048828125,-1,0,gemm,MLP\n"
            "2,3.0517578125e-05,-1,0,gemm,MLP\n"
            "2,1.52587890625e-05,0,0,elementwise,MLP\n"
            "2,1.52587890625e-05,0,0,elementwise,MLP\n"
            "2,3.0517578125e-05,0,0,elementwise,MLP\n");
}

TEST(TraceLegacyCsv, SparseIdsAreRenumberedInOrderOfFirstUse) {
  ScratchDir dir("legacy-sparse");
  write_bytes(dir / "s.csv",
              "tensor_id,size_mb,reuse_distance,stride,op,model_type\n"
              "900000,1,-1,0,gemm,MLP\n"
              "7,2,-1,0,gemm,MLP\n"
              "900000,1,1,0,gemm,MLP\n");
  const Trace t = read_trace(dir / "s.csv");
  ASSERT_EQ(t.tensors.size(), 2u);
  EXPECT_EQ(t.tensors[0].name, "tensor900000");
  EXPECT_EQ(t.tensors[1].name, "tensor7");
  EXPECT_EQ(t.events[2].tensor_id, 0u);
}

TEST(TraceLegacyCsv, BadRowsNameLineAndColumn) {
  ScratchDir dir("legacy-errors");
  const auto p = dir / "bad.csv";
  const std::string header = "tensor_id,size_mb,reuse_distance,stride,op,model_type\n";
  write_bytes(p, header + "0,1,-1,0,gemm,MLP\n0,big,0,0,gemm,MLP\n");
  EXPECT_EQ(read_error(p), p.string() +
                               ":3:3: size_mb: expected a size in MiB between 0 and "
                               "2^33, found 'big'");
  write_bytes(p, header + "0,1,-2,0,gemm,MLP\n");
  EXPECT_EQ(read_error(p),
            p.string() + ":2:5: reuse_distance: expected an integer >= -1, found '-2'");
  write_bytes(p, header + "0,1,-1,0,gemm,MLP\n1,1,-1,0,gemm,CNN\n");
  EXPECT_EQ(read_error(p), p.string() +
                               ":3:15: model_type: expected 'MLP' (one model type per file, "
                               "as on line 2), found 'CNN'");
  write_bytes(p, header + "-3,1,-1,0,gemm,MLP\n");
  EXPECT_EQ(read_error(p), p.string() +
                               ":2:1: tensor_id: expected an integer id below 2^32 - 1, "
                               "found '-3'");
  write_bytes(p, header + "0,1,-1,gemm,MLP\n");
  EXPECT_EQ(read_error(p), p.string() +
                               ":2:1: expected 6 fields (tensor_id,size_mb,reuse_distance,"
                               "stride,op,model_type), found 5");
  write_bytes(p, header + "0,-0.5,-1,0,gemm,MLP\n");
  EXPECT_EQ(read_error(p), p.string() +
                               ":2:3: size_mb: expected a size in MiB between 0 and 2^33, "
                               "found '-0.5'");
}

}  // namespace
}  // namespace tessera::workload
