#include "models/workload/trace.h"

#include <cstring>

namespace tessera::workload {
namespace {
constexpr const char* kOpNames[kOpKindCount] = {
    "gemm",      "batched_gemm", "conv2d",    "pool",   "elementwise", "softmax",
    "layernorm", "embedding",    "reduction", "router", "attention",
};
constexpr const char* kRoleNames[] = {"weight", "activation", "kv_cache", "input", "output"};
}  // namespace

const char* op_kind_name(OpKind kind) {
  const auto i = static_cast<unsigned>(kind);
  return i < kOpKindCount ? kOpNames[i] : "unknown";
}

const char* tensor_role_name(TensorRole role) {
  const auto i = static_cast<unsigned>(role);
  return i < 5 ? kRoleNames[i] : "unknown";
}

const char* access_kind_name(AccessKind kind) {
  return kind == AccessKind::kWrite ? "write" : "read";
}

bool parse_op_kind(const std::string& name, OpKind& out) {
  for (int i = 0; i < kOpKindCount; ++i) {
    if (name == kOpNames[i]) {
      out = static_cast<OpKind>(i);
      return true;
    }
  }
  return false;
}

bool parse_tensor_role(const std::string& name, TensorRole& out) {
  for (int i = 0; i < 5; ++i) {
    if (name == kRoleNames[i]) {
      out = static_cast<TensorRole>(i);
      return true;
    }
  }
  return false;
}

}  // namespace tessera::workload
