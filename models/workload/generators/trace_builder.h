// What every family generator writes through: a deterministic address
// allocator for tensors, and the current op to which accesses are charged.
//
// Addresses: tensors are laid out in creation order, the first at 0, each at
// the next multiple of kAlignmentBytes after the previous one's last byte.
// Creation order depends only on the shapes (never on random draws), so the
// same shapes give the same addresses whatever the seed.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "models/workload/trace.h"

namespace tessera::workload {

// a + b with a single allocation (operator+ copies `a`, then grows it).
inline std::string join(const std::string& a, std::string_view b) {
  std::string s(a.size() + b.size(), '\0');
  std::memcpy(&s[0], a.data(), a.size());
  std::memcpy(&s[a.size()], b.data(), b.size());
  return s;
}

class TraceBuilder {
 public:
  // 256 B: a multiple of every cache line and DRAM burst Tessera models (32-128 B).
  static constexpr std::uint64_t kAlignmentBytes = 256;

  TraceBuilder(Trace& trace, std::uint8_t dtype_bytes) : trace_(trace), dtype_bytes_(dtype_bytes) {}

  Trace& trace() { return trace_; }
  std::uint8_t dtype_bytes() const { return dtype_bytes_; }

  std::uint32_t tensor(std::string name, Bytes bytes, TensorRole role) {
    TensorInfo t;
    t.name = std::move(name);
    t.bytes = bytes;
    t.address = next_address_;
    t.role = role;
    next_address_ =
        (next_address_ + bytes + kAlignmentBytes - 1) / kAlignmentBytes * kAlignmentBytes;
    return trace_.add_tensor(std::move(t));
  }

  // Starts an op; the accesses that follow are charged to it. `m, n, k` and
  // `batch` are the GEMM view (elementwise ops: m = elements, n = k = 1).
  std::uint32_t op(std::string name, OpKind kind, std::uint32_t layer, std::uint64_t flops,
                   std::uint64_t batch, std::uint64_t m, std::uint64_t n, std::uint64_t k) {
    OpInfo o;
    o.name = std::move(name);
    o.kind = kind;
    o.layer = layer;
    o.flops = flops;
    o.batch = batch;
    o.m = m;
    o.n = n;
    o.k = k;
    o.dtype_bytes = dtype_bytes_;
    op_ = trace_.add_op(std::move(o));
    return op_;
  }
  // An elementwise-like op over `elements` values.
  std::uint32_t elementwise_op(std::string name, OpKind kind, std::uint32_t layer,
                               std::uint64_t elements, std::uint64_t flops_per_element) {
    return op(std::move(name), kind, layer, elements * flops_per_element, 1, elements, 1, 1);
  }
  // A GEMM (batch x (m x k) * (k x n)): 2 FLOPs per multiply-add.
  std::uint32_t gemm_op(std::string name, OpKind kind, std::uint32_t layer, std::uint64_t batch,
                        std::uint64_t m, std::uint64_t n, std::uint64_t k) {
    return op(std::move(name), kind, layer, 2 * batch * m * n * k, batch, m, n, k);
  }

  void read(std::uint32_t tensor) { trace_.access(tensor, op_, AccessKind::kRead); }
  void write(std::uint32_t tensor) { trace_.access(tensor, op_, AccessKind::kWrite); }
  // Part of a tensor: `offset` bytes from its base, `bytes` long.
  void read_part(std::uint32_t tensor, Bytes offset, Bytes bytes) {
    trace_.access_part(tensor, op_, AccessKind::kRead, trace_.tensors[tensor].address + offset,
                       bytes);
  }
  void write_part(std::uint32_t tensor, Bytes offset, Bytes bytes) {
    trace_.access_part(tensor, op_, AccessKind::kWrite, trace_.tensors[tensor].address + offset,
                       bytes);
  }

 private:
  Trace& trace_;
  std::uint8_t dtype_bytes_;
  std::uint64_t next_address_ = 0;
  std::uint32_t op_ = 0;
};

}  // namespace tessera::workload
