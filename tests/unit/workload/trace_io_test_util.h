// Shared by the trace I/O tests: a small hand-built trace, seeded random
// traces, field-by-field comparison and scratch files.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/core/rng.h"
#include "models/workload/trace.h"

namespace tessera::workload::testing {

// An MLP layer on one token, worked by hand (fp32):
//   x: 1x16 input  = 64 bytes  at 0
//   w: 16x8 weight = 512 bytes at 256
//   y: 1x8 output  = 32 bytes  at 768
//   fc0  (gemm, m=1 n=8 k=16): 2*1*8*16 = 256 FLOPs; reads x, w; writes y
//   act0 (elementwise, 8 elements): 8 FLOPs; reads y in two 16-byte halves, writes y
inline Trace small_trace() {
  Trace t;
  t.model = "tiny";
  t.family = "mlp";
  t.seed = 7;
  const auto x = t.add_tensor({"x", 64, 0, TensorRole::kInput});
  const auto w = t.add_tensor({"w", 512, 256, TensorRole::kWeight});
  const auto y = t.add_tensor({"y", 32, 768, TensorRole::kOutput});
  OpInfo fc;
  fc.name = "fc0";
  fc.kind = OpKind::kGemm;
  fc.flops = 256;
  fc.m = 1;
  fc.n = 8;
  fc.k = 16;
  fc.dtype_bytes = 4;
  const auto op0 = t.add_op(fc);
  OpInfo act;
  act.name = "act0";
  act.kind = OpKind::kElementwise;
  act.flops = 8;
  act.m = 8;
  act.n = 1;
  act.k = 1;
  act.dtype_bytes = 4;
  const auto op1 = t.add_op(act);
  t.access(x, op0, AccessKind::kRead);
  t.access(w, op0, AccessKind::kRead);
  t.access(y, op0, AccessKind::kWrite);
  t.access_part(y, op1, AccessKind::kRead, 768, 16);
  t.access_part(y, op1, AccessKind::kRead, 784, 16);
  t.access(y, op1, AccessKind::kWrite);
  return t;
}

// A random but valid trace: names with commas, quotes and spaces, every
// role and op kind, partial accesses, large numbers.
inline Trace random_trace(std::uint64_t seed, std::size_t events) {
  Rng rng(seed);
  Trace t;
  t.model = "random, \"model\" " + std::to_string(seed);
  t.family = "moe";
  t.seed = rng.next_u64();
  const std::size_t tensors = 1 + rng.below(20);
  std::uint64_t address = rng.below(1ull << 40);
  for (std::size_t i = 0; i < tensors; ++i) {
    TensorInfo info;
    info.name =
        (i % 3 == 0 ? " lead, space" : "t") + std::to_string(i) + (i % 4 == 1 ? "\"q\"" : "");
    info.bytes = rng.below(1ull << 34);
    info.address = address;
    info.role = static_cast<TensorRole>(rng.below(5));
    address += info.bytes + rng.below(4096);
    t.add_tensor(info);
  }
  const std::size_t ops = 1 + rng.below(10);
  for (std::size_t i = 0; i < ops; ++i) {
    OpInfo op;
    op.name = "layer" + std::to_string(i) + ".op,x";
    op.kind = static_cast<OpKind>(rng.below(kOpKindCount));
    op.layer = static_cast<std::uint32_t>(rng.below(1u << 31));
    op.flops = rng.next_u64();
    op.batch = rng.below(64);
    op.m = rng.next_u64();
    op.n = rng.below(100000);
    op.k = rng.below(100000);
    const std::uint8_t dtypes[] = {1, 2, 4, 8};
    op.dtype_bytes = dtypes[rng.below(4)];
    t.add_op(op);
  }
  for (std::size_t i = 0; i < events; ++i) {
    const auto tensor = static_cast<std::uint32_t>(rng.below(tensors));
    const auto op = static_cast<std::uint32_t>(rng.below(ops));
    const auto kind = rng.below(2) ? AccessKind::kWrite : AccessKind::kRead;
    const TensorInfo& info = t.tensors[tensor];
    if (rng.below(2)) {
      t.access(tensor, op, kind);
    } else {
      const std::uint64_t offset = rng.below(info.bytes + 1);
      t.access_part(tensor, op, kind, info.address + offset, rng.below(info.bytes - offset + 1));
    }
  }
  return t;
}

inline void expect_same_trace(const Trace& a, const Trace& b) {
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.family, b.family);
  EXPECT_EQ(a.seed, b.seed);
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (std::size_t i = 0; i < a.tensors.size(); ++i) {
    EXPECT_EQ(a.tensors[i].name, b.tensors[i].name) << "tensor " << i;
    EXPECT_EQ(a.tensors[i].bytes, b.tensors[i].bytes) << "tensor " << i;
    EXPECT_EQ(a.tensors[i].address, b.tensors[i].address) << "tensor " << i;
    EXPECT_EQ(a.tensors[i].role, b.tensors[i].role) << "tensor " << i;
  }
  ASSERT_EQ(a.ops.size(), b.ops.size());
  for (std::size_t i = 0; i < a.ops.size(); ++i) {
    const OpInfo& x = a.ops[i];
    const OpInfo& y = b.ops[i];
    EXPECT_EQ(x.name, y.name) << "op " << i;
    EXPECT_EQ(x.kind, y.kind) << "op " << i;
    EXPECT_EQ(x.layer, y.layer) << "op " << i;
    EXPECT_EQ(x.flops, y.flops) << "op " << i;
    EXPECT_EQ(x.batch, y.batch) << "op " << i;
    EXPECT_EQ(x.m, y.m) << "op " << i;
    EXPECT_EQ(x.n, y.n) << "op " << i;
    EXPECT_EQ(x.k, y.k) << "op " << i;
    EXPECT_EQ(x.dtype_bytes, y.dtype_bytes) << "op " << i;
  }
  ASSERT_EQ(a.events.size(), b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    EXPECT_EQ(a.events[i].address, b.events[i].address) << "event " << i;
    EXPECT_EQ(a.events[i].bytes, b.events[i].bytes) << "event " << i;
    EXPECT_EQ(a.events[i].tensor_id, b.events[i].tensor_id) << "event " << i;
    EXPECT_EQ(a.events[i].op_and_kind, b.events[i].op_and_kind) << "event " << i;
  }
}

// A fresh directory for one test, removed by the destructor.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("tessera-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::filesystem::path operator/(const std::string& file) const { return path_ / file; }
  const std::filesystem::path& path() const { return path_; }
  // Names of the files left in the directory, sorted.
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      out.push_back(entry.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace tessera::workload::testing
