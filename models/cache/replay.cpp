#include "models/cache/replay.h"

#include <algorithm>
#include <exception>
#include <thread>
#include <unordered_map>

#include "models/core/error.h"
#include "models/core/rng.h"

namespace tessera::cache {

using workload::TraceEvent;

const char* organization_name(Organization o) {
  return o == Organization::kTensor ? "tensor" : "set-assoc";
}

double ReplayResult::hit_rate() const {
  return counters.accesses == 0
             ? 0.0
             : static_cast<double>(counters.hits) / static_cast<double>(counters.accesses);
}
double ReplayResult::byte_hit_rate() const {
  return counters.bytes_accessed == 0 ? 0.0
                                      : static_cast<double>(counters.bytes_hit) /
                                            static_cast<double>(counters.bytes_accessed);
}

std::vector<std::uint64_t> next_use_index(const std::vector<std::uint32_t>& keys,
                                          std::uint32_t key_space) {
  std::vector<std::uint64_t> out(keys.size());
  std::vector<std::uint64_t> seen(key_space, kNever);
  for (std::size_t i = keys.size(); i-- > 0;) {
    out[i] = seen[keys[i]];
    seen[keys[i]] = i;
  }
  return out;
}

// One access stream: the trace's own events (tensor organization) or line
// accesses as TraceEvent records whose tensor_id is a dense line id.
struct PreparedTrace::Stream {
  const TraceEvent* events = nullptr;
  std::size_t size = 0;
  std::uint32_t key_space = 0;
  Bytes line_bytes = 0;                  // 0: the tensor stream
  std::vector<TraceEvent> own;           // line accesses
  std::vector<std::uint64_t> line_addr;  // line id -> line address / line_bytes

  std::once_flag future_once;
  std::vector<std::uint64_t> next_use;
  std::once_flag history_once;
  std::vector<std::uint64_t> reuse_interval;
  std::vector<std::uint64_t> stride_bytes;
  Bytes max_bytes = 1;
  std::uint64_t max_reuse_interval = 1;
  std::uint64_t max_stride_bytes = 1;

  const std::vector<std::uint64_t>& future() {
    std::call_once(future_once, [this] {
      next_use.assign(size, kNever);
      std::vector<std::uint64_t> seen(key_space, kNever);
      for (std::size_t i = size; i-- > 0;) {
        const std::uint32_t k = events[i].tensor_id;
        next_use[i] = seen[k];
        seen[k] = i;
      }
    });
    return next_use;
  }
  void history() {
    std::call_once(history_once, [this] {
      reuse_interval.assign(size, kNever);
      stride_bytes.assign(size, 0);
      std::vector<std::uint64_t> last(key_space, kNever);
      for (std::size_t i = 0; i < size; ++i) {
        const TraceEvent& e = events[i];
        if (last[e.tensor_id] != kNever) {
          reuse_interval[i] = i - last[e.tensor_id];
          max_reuse_interval = std::max(max_reuse_interval, reuse_interval[i]);
        }
        last[e.tensor_id] = i;
        if (i > 0) {
          const std::uint64_t a = events[i - 1].address;
          stride_bytes[i] = e.address > a ? e.address - a : a - e.address;
          max_stride_bytes = std::max(max_stride_bytes, stride_bytes[i]);
        }
        max_bytes = std::max(max_bytes, e.bytes);
      }
    });
  }
};

PreparedTrace::PreparedTrace(const workload::Trace& trace) : trace_(trace) {}
PreparedTrace::~PreparedTrace() = default;

const PreparedTrace::Stream& PreparedTrace::tensor_stream() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!tensors_) {
    tensors_ = std::make_unique<Stream>();
    tensors_->events = trace_.events.data();
    tensors_->size = trace_.events.size();
    std::uint32_t key_space = static_cast<std::uint32_t>(trace_.tensors.size());
    for (const TraceEvent& e : trace_.events) key_space = std::max(key_space, e.tensor_id + 1);
    tensors_->key_space = key_space;
  }
  return *tensors_;
}

namespace {
// A set-associative replay of more line accesses than this is refused: the
// line stream is held in memory (24 bytes per line access).
constexpr std::uint64_t kMaxLineAccesses = 400'000'000;
}  // namespace

const PreparedTrace::Stream& PreparedTrace::line_stream(Bytes line_bytes) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& s : lines_) {
    if (s->line_bytes == line_bytes) return *s;
  }
  std::uint64_t total = 0;
  for (const TraceEvent& e : trace_.events) {
    if (e.bytes == 0) continue;
    total += (e.address + e.bytes - 1) / line_bytes - e.address / line_bytes + 1;
  }
  if (total > kMaxLineAccesses) {
    throw InputError("set-associative replay with " + std::to_string(line_bytes) +
                     "-byte lines expands this trace to " + std::to_string(total) +
                     " line accesses (limit " + std::to_string(kMaxLineAccesses) +
                     "); use larger lines or organization tensor");
  }
  auto s = std::make_unique<Stream>();
  s->line_bytes = line_bytes;
  s->own.reserve(total);
  std::unordered_map<std::uint64_t, std::uint32_t> ids;
  for (const TraceEvent& e : trace_.events) {
    if (e.bytes == 0) continue;
    const std::uint64_t first = e.address / line_bytes;
    const std::uint64_t last = (e.address + e.bytes - 1) / line_bytes;
    for (std::uint64_t line = first; line <= last; ++line) {
      auto [it, fresh] = ids.emplace(line, static_cast<std::uint32_t>(s->line_addr.size()));
      if (fresh) s->line_addr.push_back(line);
      TraceEvent l = e;
      l.address = line * line_bytes;
      l.bytes = line_bytes;
      l.tensor_id = it->second;
      s->own.push_back(l);
    }
  }
  s->events = s->own.data();
  s->size = s->own.size();
  s->key_space = static_cast<std::uint32_t>(s->line_addr.size());
  lines_.push_back(std::move(s));
  return *lines_.back();
}

namespace {

PolicyContext base_context(const ReplaySpec& spec) {
  PolicyContext c;
  c.seed = spec.seed;
  c.score_weight_size = spec.score_weight_size;
  c.score_weight_reuse = spec.score_weight_reuse;
  c.score_weight_stride = spec.score_weight_stride;
  return c;
}

// The hot loop, shared by both organizations: `Cache(key)` returns the core
// and its local key for a stream key.
template <typename Route>
void run(PreparedTrace::Stream& s, unsigned needs, Route route,
         std::atomic<std::uint64_t>* progress) {
  const std::uint64_t* next_use = (needs & Policy::kNeedsFuture) ? s.future().data() : nullptr;
  const bool history = (needs & Policy::kNeedsHistory) != 0;
  constexpr std::size_t kStep = 1 << 16;
  AccessInfo info;
  for (std::size_t i = 0; i < s.size; ++i) {
    const TraceEvent& e = s.events[i];
    info.position = i;
    info.bytes = e.bytes;
    info.is_write = e.is_write();
    if (next_use) info.next_use = next_use[i];
    if (history) {
      info.reuse_interval = s.reuse_interval[i];
      info.stride_bytes = s.stride_bytes[i];
    }
    route(e.tensor_id, info);
    if (progress && (i & (kStep - 1)) == kStep - 1) progress->fetch_add(kStep);
  }
  if (progress) progress->fetch_add(s.size % kStep);
}

void finish(ReplayResult& r, const LatencyModel& m) {
  const CacheCounters& c = r.counters;
  const double missed = static_cast<double>(c.bytes_missed);
  r.bandwidth_wait_time_ms = missed / m.bandwidth_bytes_per_s * 1e3;
  r.total_latency_ms = static_cast<double>(c.hits) * m.hit_ms +
                       missed / static_cast<double>(kMiB) * m.miss_ms_per_mib +
                       r.bandwidth_wait_time_ms;
}

}  // namespace

std::uint64_t replay_length(const PreparedTrace& trace, const ReplaySpec& spec) {
  return spec.organization == Organization::kTensor
             ? trace.tensor_stream().size
             : trace.line_stream(spec.geometry.line_bytes).size;
}

ReplayResult replay(const PreparedTrace& trace, const ReplaySpec& spec,
                    std::atomic<std::uint64_t>* progress) {
  check_policy_name(spec.policy);
  ReplayResult r;
  r.policy = spec.policy;
  r.capacity_bytes = spec.capacity_bytes;
  r.organization = spec.organization;
  PolicyContext context = base_context(spec);
  const unsigned needs = make_policy(spec.policy, context)->needs();

  if (spec.organization == Organization::kTensor) {
    auto& s = const_cast<PreparedTrace::Stream&>(trace.tensor_stream());
    if (needs & Policy::kNeedsHistory) s.history();
    context.key_space = s.key_space;
    context.capacity_bytes = spec.capacity_bytes;
    context.max_bytes = s.max_bytes;
    context.max_reuse_interval = s.max_reuse_interval;
    context.max_stride_bytes = s.max_stride_bytes;
    TensorCache cache(spec.capacity_bytes, s.key_space, make_policy(spec.policy, context));
    for (std::uint32_t t : spec.pinned_tensors) {
      if (t < s.key_space) cache.pin(t);
    }
    run(
        s, needs, [&](std::uint32_t key, const AccessInfo& info) { cache.access(key, info); },
        progress);
    r.counters = cache.counters();
    r.dirty_bytes_at_end = cache.dirty_bytes();
    finish(r, spec.latency);
    return r;
  }

  const SetAssocGeometry& g = spec.geometry;
  if (g.ways == 0 || g.line_bytes == 0)
    throw InputError("set-associative cache needs ways and line_bytes >= 1");
  const Bytes set_bytes = static_cast<Bytes>(g.ways) * g.line_bytes;
  if (spec.capacity_bytes < set_bytes || spec.capacity_bytes % set_bytes != 0) {
    throw InputError("set-associative capacity " + std::to_string(spec.capacity_bytes) +
                     " bytes is not a positive multiple of ways x line_bytes (" +
                     std::to_string(set_bytes) + " bytes)");
  }
  const std::uint64_t sets = spec.capacity_bytes / set_bytes;
  auto& s = const_cast<PreparedTrace::Stream&>(trace.line_stream(g.line_bytes));
  if (needs & Policy::kNeedsHistory) s.history();
  // Dense ids per set: local[line] within set set_of[line].
  std::vector<std::uint32_t> local(s.key_space);
  std::vector<std::uint32_t> set_slot(s.key_space);
  std::unordered_map<std::uint64_t, std::uint32_t> slot_of_set;
  std::vector<std::uint32_t> count;
  for (std::uint32_t line = 0; line < s.key_space; ++line) {
    const std::uint64_t set = s.line_addr[line] % sets;
    auto [it, fresh] = slot_of_set.emplace(set, static_cast<std::uint32_t>(count.size()));
    if (fresh) count.push_back(0);
    set_slot[line] = it->second;
    local[line] = count[it->second]++;
  }
  context.capacity_bytes = set_bytes;
  context.max_bytes = s.max_bytes;
  context.max_reuse_interval = s.max_reuse_interval;
  context.max_stride_bytes = s.max_stride_bytes;
  std::vector<std::unique_ptr<TensorCache>> caches;
  caches.reserve(count.size());
  for (std::uint32_t n : count) {
    context.key_space = n;
    context.seed = Rng::derive(spec.seed, caches.size());
    caches.push_back(
        std::make_unique<TensorCache>(set_bytes, n, make_policy(spec.policy, context)));
  }
  run(
      s, needs,
      [&](std::uint32_t line, const AccessInfo& info) {
        caches[set_slot[line]]->access(local[line], info);
      },
      progress);
  for (const auto& c : caches) {
    r.counters += c->counters();
    r.dirty_bytes_at_end += c->dirty_bytes();
  }
  finish(r, spec.latency);
  return r;
}

std::vector<ReplayResult> replay_all(const PreparedTrace& trace,
                                     const std::vector<ReplaySpec>& specs, unsigned threads,
                                     std::atomic<std::uint64_t>* progress) {
  std::vector<ReplayResult> results(specs.size());
  std::vector<std::exception_ptr> errors(specs.size());
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, specs.size()));
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < specs.size(); i = next++) {
      try {
        results[i] = replay(trace, specs[i], progress);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  return results;
}

ReplayResult replay(const workload::Trace& trace, const ReplaySpec& spec) {
  const PreparedTrace prepared(trace);
  return replay(prepared, spec);
}

}  // namespace tessera::cache
