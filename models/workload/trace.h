// The tensor-access trace: what every engine (replay, timed run, roofline,
// analysis) consumes. A trace is three tables:
//   tensors: one row per distinct tensor (name, bytes, base address, role)
//   ops:     one row per operator instance in execution order (kind, name,
//            layer, FLOPs, GEMM-like shape for analytic models)
//   events:  one 24-byte record per access, in order; the sequence index of
//            an event is its position in `events`.
// Events carry their own address and bytes because an access may touch part
// of a tensor (a decode step reads the KV cache written so far).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/core/units.h"

namespace tessera::workload {

enum class AccessKind : std::uint8_t { kRead = 0, kWrite = 1 };

enum class TensorRole : std::uint8_t {
  kWeight = 0,      // parameters: read-only, reused across tokens / batches
  kActivation = 1,  // produced by one op, consumed by later ops
  kKvCache = 2,     // attention keys / values kept across decode steps
  kInput = 3,       // model input (token ids, image)
  kOutput = 4,      // model output (logits, class scores)
};

enum class OpKind : std::uint8_t {
  kGemm = 0,         // matmul / linear / projection
  kBatchedGemm = 1,  // attention scores and context (per head)
  kConv2d = 2,
  kPool = 3,
  kElementwise = 4,  // add, activation functions, residual
  kSoftmax = 5,
  kLayerNorm = 6,  // layernorm / rmsnorm
  kEmbedding = 7,
  kReduction = 8,
  kRouter = 9,      // MoE gate
  kAttention = 10,  // fused attention (scores + softmax + context)
};
inline constexpr int kOpKindCount = 11;

// "gemm", "batched_gemm", "conv2d", ... (stable: used in files and JSON).
const char* op_kind_name(OpKind kind);
const char* tensor_role_name(TensorRole role);
const char* access_kind_name(AccessKind kind);
// Reverse lookups; return false for unknown names.
bool parse_op_kind(const std::string& name, OpKind& out);
bool parse_tensor_role(const std::string& name, TensorRole& out);

struct TensorInfo {
  std::string name;  // "layer3.attn.wq"
  Bytes bytes = 0;
  std::uint64_t address = 0;  // base address from the deterministic allocator
  TensorRole role = TensorRole::kActivation;
};

struct OpInfo {
  std::string name;  // "layer3.attn.q_proj"
  OpKind kind = OpKind::kGemm;
  std::uint32_t layer = 0;
  std::uint64_t flops = 0;  // multiply and add count as 2
  // GEMM view for analytic models: batch x (m x k) * (k x n). Zero when the
  // op is not GEMM-like (elementwise ops set m = elements, n = k = 1).
  std::uint64_t batch = 1, m = 0, n = 0, k = 0;
  std::uint8_t dtype_bytes = 2;
};

// 24 bytes: the in-memory and on-disk event record.
struct TraceEvent {
  std::uint64_t address = 0;
  std::uint64_t bytes = 0;
  std::uint32_t tensor_id = 0;
  // Bit 31: access kind (1 = write); bits 0-30: op id (index into Trace::ops).
  std::uint32_t op_and_kind = 0;

  static constexpr std::uint32_t kWriteBit = 1u << 31;
  static constexpr std::uint32_t kMaxOpId = kWriteBit - 1;

  std::uint32_t op_id() const { return op_and_kind & kMaxOpId; }
  AccessKind kind() const {
    return (op_and_kind & kWriteBit) ? AccessKind::kWrite : AccessKind::kRead;
  }
  bool is_write() const { return (op_and_kind & kWriteBit) != 0; }
  void set(std::uint32_t op, AccessKind k) {
    op_and_kind = (op & kMaxOpId) | (k == AccessKind::kWrite ? kWriteBit : 0u);
  }
};
static_assert(sizeof(TraceEvent) == 24, "TraceEvent is a 24-byte record");

struct Trace {
  std::string model;   // "gpt2-small", "resnet50", ...
  std::string family;  // transformer | cnn | mlp | moe
  std::uint64_t seed = 0;
  std::vector<TensorInfo> tensors;
  std::vector<OpInfo> ops;
  std::vector<TraceEvent> events;

  // Convenience for generators: appends and returns the id.
  std::uint32_t add_tensor(TensorInfo t) {
    tensors.push_back(std::move(t));
    return static_cast<std::uint32_t>(tensors.size() - 1);
  }
  std::uint32_t add_op(OpInfo op) {
    ops.push_back(std::move(op));
    return static_cast<std::uint32_t>(ops.size() - 1);
  }
  // An access to a whole tensor by op `op_id`.
  void access(std::uint32_t tensor_id, std::uint32_t op_id, AccessKind kind) {
    const TensorInfo& t = tensors[tensor_id];
    access_part(tensor_id, op_id, kind, t.address, t.bytes);
  }
  void access_part(std::uint32_t tensor_id, std::uint32_t op_id, AccessKind kind,
                   std::uint64_t address, Bytes bytes) {
    TraceEvent e;
    e.address = address;
    e.bytes = bytes;
    e.tensor_id = tensor_id;
    e.set(op_id, kind);
    events.push_back(e);
  }
};

}  // namespace tessera::workload
