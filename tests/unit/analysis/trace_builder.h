// Hand-built traces for the analysis tests: tensors of given sizes and an
// access sequence of tensor ids, all reads by one op.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/core/rng.h"
#include "models/workload/trace.h"

namespace tessera::analysis::testing {

inline workload::Trace make_trace(const std::vector<Bytes>& sizes,
                                  const std::vector<std::uint32_t>& sequence) {
  workload::Trace t;
  std::uint64_t address = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    workload::TensorInfo info;
    info.name = "t" + std::to_string(i);
    info.bytes = sizes[i];
    info.address = address;
    address += sizes[i];
    t.add_tensor(info);
  }
  t.add_op(workload::OpInfo{});
  for (std::uint32_t id : sequence) t.access(id, 0, workload::AccessKind::kRead);
  return t;
}

// Accesses that touch `bytes` of their tensor (a part, or a growing KV
// cache): (tensor id, bytes) pairs.
struct PartAccess {
  std::uint32_t tensor;
  Bytes bytes;
};
inline workload::Trace make_part_trace(const std::vector<Bytes>& sizes,
                                       const std::vector<PartAccess>& sequence) {
  workload::Trace t = make_trace(sizes, {});
  for (const PartAccess& a : sequence) {
    t.access_part(a.tensor, 0, workload::AccessKind::kRead, t.tensors[a.tensor].address, a.bytes);
  }
  return t;
}

// Seeded random trace: `tensors` tensors of sizes in [min_bytes, max_bytes],
// `events` accesses; skewed draws favour low ids (a rough power law) so that
// reuses at every distance occur.
inline workload::Trace random_trace(std::uint64_t seed, std::uint32_t tensors, std::uint64_t events,
                                    Bytes min_bytes, Bytes max_bytes, bool skewed) {
  Rng rng(seed);
  std::vector<Bytes> sizes(tensors);
  for (auto& s : sizes) s = min_bytes + rng.below(max_bytes - min_bytes + 1);
  std::vector<std::uint32_t> seq(events);
  for (auto& id : seq) {
    if (skewed) {
      const double u = rng.uniform();
      id = static_cast<std::uint32_t>(static_cast<double>(tensors) * u * u * u);
      if (id >= tensors) id = tensors - 1;
    } else {
      id = static_cast<std::uint32_t>(rng.below(tensors));
    }
  }
  return make_trace(sizes, seq);
}

}  // namespace tessera::analysis::testing
