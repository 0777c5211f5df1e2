#include "models/platform/line_cache_core.h"

#include <algorithm>

#include "models/core/error.h"
#include "models/core/rng.h"

namespace tessera::platform {

namespace {

// Dense ids for 64-bit keys, by open addressing (linear probing, a power-of-
// two table kept under half full): built once per run, over every line lookup.
class DenseIds {
 public:
  std::uint32_t id(std::uint64_t key) {
    if (2 * (size_ + 1) > keys_.size()) grow();
    std::size_t i = slot(key);
    while (ids_[i] != kEmpty) {
      if (keys_[i] == key) return ids_[i];
      i = (i + 1) & (keys_.size() - 1);
    }
    keys_[i] = key;
    ids_[i] = size_;
    return size_++;
  }
  std::uint32_t size() const { return size_; }

 private:
  static constexpr std::uint32_t kEmpty = ~0u;
  std::size_t slot(std::uint64_t key) const {
    // Fibonacci hashing: consecutive lines spread over the table.
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  void grow() {
    std::vector<std::uint64_t> keys = std::move(keys_);
    std::vector<std::uint32_t> ids = std::move(ids_);
    const std::size_t n = keys.empty() ? 1024 : 2 * keys.size();
    shift_ = 64;
    for (std::size_t s = n; s > 1; s >>= 1) --shift_;
    keys_.assign(n, 0);
    ids_.assign(n, kEmpty);
    for (std::size_t j = 0; j < keys.size(); ++j) {
      if (ids[j] == kEmpty) continue;
      std::size_t i = slot(keys[j]);
      while (ids_[i] != kEmpty) i = (i + 1) & (n - 1);
      keys_[i] = keys[j];
      ids_[i] = ids[j];
    }
  }

  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> ids_;
  std::uint32_t size_ = 0;
  unsigned shift_ = 64;
};

}  // namespace

LineCacheCore::LineCacheCore(const config::PlatformCacheConfig& cache, Bytes capacity_bytes,
                             Bytes burst_bytes, const std::string& policy, std::uint64_t seed,
                             std::vector<const Segment*> sequence_in)
    : line_(cache.line_bytes),
      granule_(std::min(cache.line_bytes, burst_bytes)),
      sets_(0),
      sequence_(std::move(sequence_in)),
      first_lookup_(sequence_.size() + 1, 0) {
  const Bytes set_bytes = static_cast<Bytes>(cache.ways) * line_;
  if (cache.ways == 0 || line_ == 0 || capacity_bytes < set_bytes ||
      capacity_bytes % set_bytes != 0) {
    throw InputError("platform.cache.capacity: expected a positive multiple of ways x line (" +
                     std::to_string(set_bytes) + " bytes), found " +
                     std::to_string(capacity_bytes));
  }
  sets_ = capacity_bytes / set_bytes;
  cache::PolicyContext ctx;
  ctx.seed = seed;
  needs_ = cache::make_policy(policy, ctx)->needs();

  // The line lookups in sequence order, each a dense line id.
  for (std::size_t i = 0; i < sequence_.size(); ++i) {
    const Segment* s = sequence_[i];
    first_lookup_[i + 1] =
        first_lookup_[i] + (s != nullptr ? burst_count(s->address, s->bytes, granule_) : 0);
  }
  line_of_.resize(first_lookup_.back());
  flags_.assign(first_lookup_.back(), 0);
  DenseIds ids;
  for (std::size_t i = 0; i < sequence_.size(); ++i) {
    const Segment* s = sequence_[i];
    if (s == nullptr) continue;
    for (std::uint64_t k = first_lookup_[i]; k < first_lookup_[i + 1]; ++k) {
      const std::uint64_t line =
          (s->address / granule_ + (k - first_lookup_[i])) * granule_ / line_;
      const std::uint32_t id = ids.id(line);
      if (id == line_number_.size()) line_number_.push_back(line);
      line_of_[k] = id;
    }
  }
  // Sets in order of first use, each with dense local keys (as the replay does).
  DenseIds set_ids;
  set_slot_.resize(line_number_.size());
  local_.resize(line_number_.size());
  for (std::uint32_t line = 0; line < line_number_.size(); ++line) {
    const std::uint32_t slot = set_ids.id(line_number_[line] % sets_);
    if (slot == line_in_set_.size()) line_in_set_.emplace_back();
    set_slot_[line] = slot;
    local_[line] = static_cast<std::uint32_t>(line_in_set_[slot].size());
    line_in_set_[slot].push_back(line);
  }

  // Stream-wide maxima for `score`, over the line lookups (the replay's line stream).
  ctx.capacity_bytes = set_bytes;
  ctx.max_bytes = line_;
  if ((needs_ & cache::Policy::kNeedsHistory) != 0) {
    std::vector<std::uint64_t> last(line_number_.size(), cache::kNever);
    for (std::uint64_t k = 0; k < line_of_.size(); ++k) {
      const std::uint32_t l = line_of_[k];
      if (last[l] != cache::kNever)
        ctx.max_reuse_interval = std::max(ctx.max_reuse_interval, k - last[l]);
      last[l] = k;
      if (k > 0) {
        const std::uint64_t a = line_number_[l], b = line_number_[line_of_[k - 1]];
        ctx.max_stride_bytes = std::max(ctx.max_stride_bytes, (a > b ? a - b : b - a) * line_);
      }
    }
    last_position_.assign(line_number_.size(), cache::kNever);
  }
  if ((needs_ & cache::Policy::kNeedsFuture) != 0) {
    next_use_.assign(line_of_.size(), cache::kNever);
    std::vector<std::uint64_t> seen(line_number_.size(), cache::kNever);
    for (std::uint64_t k = line_of_.size(); k-- > 0;) {
      next_use_[k] = seen[line_of_[k]];
      seen[line_of_[k]] = k;
    }
  }
  caches_.reserve(line_in_set_.size());
  for (std::size_t slot = 0; slot < line_in_set_.size(); ++slot) {
    ctx.key_space = static_cast<std::uint32_t>(line_in_set_[slot].size());
    ctx.seed = Rng::derive(seed, slot);
    caches_.push_back(std::make_unique<cache::TensorCache>(set_bytes, ctx.key_space,
                                                           cache::make_policy(policy, ctx)));
    caches_.back()->set_eviction_log(&evicted_);
  }
}

LineCacheCore::~LineCacheCore() = default;

std::uint64_t LineCacheCore::decide(std::uint64_t k, bool write) {
  const std::uint32_t line = line_of_[k];
  cache::AccessInfo info;
  info.position = k;
  info.bytes = line_;  // a write covers the whole line, as in the replay
  info.is_write = write;
  if (!next_use_.empty()) info.next_use = next_use_[k];
  if (!last_position_.empty()) {
    const std::uint64_t last = last_position_[line];
    info.reuse_interval = last == cache::kNever ? cache::kNever : k - last;
    last_position_[line] = k;
    const std::uint64_t address = line_number_[line] * line_;
    info.stride_bytes = k == 0 ? 0
                               : (address > previous_address_ ? address - previous_address_
                                                              : previous_address_ - address);
    previous_address_ = address;
  }
  const std::uint32_t slot = set_slot_[line];
  cache::TensorCache& c = *caches_[slot];
  const std::uint64_t writebacks = c.counters().writebacks;
  evicted_.clear();
  const cache::AccessOutcome outcome = c.access(local_[line], info);
  flags_[k] = static_cast<std::uint8_t>(
      (outcome == cache::AccessOutcome::kHit ? LineLookup::kHit : 0) |
      (outcome == cache::AccessOutcome::kBypassed ? LineLookup::kBypass : 0));
  // Entries are all one line and a set holds whole lines: an access evicts at
  // most one line, written back when it was dirty.
  if (c.counters().writebacks == writebacks || evicted_.empty()) return kNoWriteback;
  return line_number_[line_in_set_[slot][evicted_.back()]] * line_;
}

cache::CacheCounters LineCacheCore::counters() const {
  cache::CacheCounters total;
  for (const auto& c : caches_) total += c->counters();
  return total;
}

}  // namespace tessera::platform
