#include "models/platform/cache_core.h"

#include <algorithm>

#include "models/core/error.h"

namespace tessera::platform {

namespace {

// Trace-wide maxima the `score` policy normalises by (PolicyContext).
void fill_context_maxima(const workload::Trace& trace, cache::PolicyContext& ctx) {
  std::vector<std::uint64_t> last(trace.tensors.size(), cache::kNever);
  std::vector<std::uint64_t> last_addr(trace.tensors.size(), 0);
  for (std::uint64_t i = 0; i < trace.events.size(); ++i) {
    const auto& e = trace.events[i];
    ctx.max_bytes = std::max<Bytes>(ctx.max_bytes, e.bytes);
    if (e.tensor_id >= last.size()) continue;
    if (last[e.tensor_id] != cache::kNever) {
      ctx.max_reuse_interval = std::max(ctx.max_reuse_interval, i - last[e.tensor_id]);
      const std::uint64_t stride = e.address > last_addr[e.tensor_id]
                                       ? e.address - last_addr[e.tensor_id]
                                       : last_addr[e.tensor_id] - e.address;
      ctx.max_stride_bytes = std::max(ctx.max_stride_bytes, stride);
    }
    last[e.tensor_id] = i;
    last_addr[e.tensor_id] = e.address;
  }
}

}  // namespace

SharedCacheCore::SharedCacheCore(const config::PlatformCacheConfig& cache, Bytes capacity_bytes,
                                 const std::string& policy, const workload::Trace& trace,
                                 std::uint64_t seed)
    : trace_(trace) {
  init(cache, capacity_bytes, policy, seed, false);
}

SharedCacheCore::SharedCacheCore(const config::PlatformCacheConfig& cache, Bytes capacity_bytes,
                                 const std::string& policy, const workload::Trace& trace,
                                 std::uint64_t seed, std::vector<const Segment*> sequence)
    : trace_(trace), sequence_(std::move(sequence)) {
  init(cache, capacity_bytes, policy, seed, true);
  results_.resize(sequence_.size());
  // Next use in lookup positions (the n-th decided lookup has position n).
  next_use_.assign(sequence_.size(), cache::kNever);
  std::uint64_t position = 0;
  std::vector<std::uint64_t> positions(sequence_.size(), 0);
  for (std::size_t i = 0; i < sequence_.size(); ++i) {
    if (sequence_[i] != nullptr) positions[i] = position++;
  }
  std::vector<std::uint64_t> next_seen(trace.tensors.size() + 1, cache::kNever);
  for (std::size_t i = sequence_.size(); i-- > 0;) {
    const Segment* s = sequence_[i];
    if (s == nullptr || s->tensor_id >= trace.tensors.size()) continue;
    next_use_[i] = next_seen[s->tensor_id];
    next_seen[s->tensor_id] = positions[i];
  }
}

void SharedCacheCore::init(const config::PlatformCacheConfig& cache, Bytes capacity_bytes,
                           const std::string& policy, std::uint64_t seed, bool oracle_allowed) {
  const workload::Trace& trace = trace_;
  if (cache.organization != config::CacheOrganization::kTensor) {
    // `tessera run` builds a LineCacheCore for set-assoc; what reaches here is
    // the arrival-order mode of the RTL co-simulation, whose tiles have no
    // schedule to derive the line lookups from up front.
    throw InputError("platform.cache.organization: expected tensor in a co-simulation, found '" +
                     std::string(config::cache_organization_name(cache.organization)) +
                     "' (its cache decides in arrival order, per tensor access; `tessera run` "
                     "and `tessera replay` simulate set-associative caches)");
  }
  cache::PolicyContext ctx;
  ctx.key_space = static_cast<std::uint32_t>(std::max<std::size_t>(trace.tensors.size(), 1));
  ctx.capacity_bytes = capacity_bytes;
  ctx.seed = seed;
  fill_context_maxima(trace, ctx);
  std::unique_ptr<cache::Policy> p = cache::make_policy(policy, ctx);
  needs_ = p->needs();
  if (!oracle_allowed && (needs_ & cache::Policy::kNeedsFuture) != 0) {
    throw InputError(
        "platform.cache.policy: expected a policy that does not need the future in "
        "a timed run, found '" +
        policy + "' (an oracle; use `tessera replay`)");
  }
  core_ = std::make_unique<cache::TensorCache>(capacity_bytes, ctx.key_space, std::move(p));
  core_->set_eviction_log(&evicted_);
  last_position_.assign(ctx.key_space, cache::kNever);
  last_address_.assign(ctx.key_space, 0);
}

LookupResult SharedCacheCore::lookup(std::uint32_t tensor_id, std::uint64_t address,
                                     Bytes access_bytes, bool write) {
  return lookup_at(tensor_id, address, access_bytes, write, cache::kNever);
}

LookupResult SharedCacheCore::lookup_at(std::uint32_t tensor_id, std::uint64_t address,
                                        Bytes access_bytes, bool write, std::uint64_t next_use) {
  cache::AccessInfo info;
  info.next_use = next_use;
  info.position = position_;
  info.bytes = access_bytes;
  info.is_write = write;
  if ((needs_ & cache::Policy::kNeedsHistory) != 0) {
    const std::uint64_t last = last_position_[tensor_id];
    info.reuse_interval = last == cache::kNever ? cache::kNever : position_ - last;
    const std::uint64_t prev = last_address_[tensor_id];
    info.stride_bytes =
        last == cache::kNever ? 0 : (address > prev ? address - prev : prev - address);
  }
  last_position_[tensor_id] = position_;
  last_address_[tensor_id] = address;
  ++position_;

  evicted_.clear();
  const Bytes written_before = core_->counters().bytes_written_to_dram;
  const Bytes read_before = core_->counters().bytes_read_from_dram;
  const cache::AccessOutcome outcome = core_->access(tensor_id, info);
  LookupResult r;
  r.hit = outcome == cache::AccessOutcome::kHit;
  r.bypass = outcome == cache::AccessOutcome::kBypassed;
  // A bypassed write is the tile's own traffic (sent to DRAM by the timed
  // cache), not a write-back.
  r.fill_bytes = core_->counters().bytes_read_from_dram - read_before;
  r.writeback_bytes = core_->counters().bytes_written_to_dram - written_before;
  if (r.bypass && write) r.writeback_bytes -= std::min(r.writeback_bytes, access_bytes);
  if (r.writeback_bytes > 0 && !evicted_.empty() && evicted_.front() < trace_.tensors.size()) {
    r.writeback_address = trace_.tensors[evicted_.front()].address;
  }
  return r;
}

}  // namespace tessera::platform
