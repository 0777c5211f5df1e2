#include "models/dram/run.h"

#include <algorithm>

namespace tessera::dram {

void LatencyHistogram::add(Picoseconds latency_ps, Picoseconds tck_ps) {
  const std::uint64_t cycles = latency_ps / tck_ps;
  ++counts_[std::min<std::uint64_t>(cycles, kBuckets)];
  ++count_;
  sum_ps_ += latency_ps;
}

Picoseconds LatencyHistogram::quantile_ps(double q, Picoseconds tck_ps) const {
  if (count_ == 0) return 0;
  const auto need = static_cast<std::uint64_t>(q * static_cast<double>(count_) + 0.999999);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= std::max<std::uint64_t>(need, 1)) return i * tck_ps;
  }
  return kBuckets * tck_ps;
}

RunSummary summarize(const DramSystem& dram, const LatencyHistogram& latency,
                     std::uint64_t requests, Picoseconds first_arrival_ps,
                     Picoseconds last_done_ps) {
  const DramSpec& spec = dram.spec();
  const ChannelStats st = dram.total_stats();
  const Picoseconds tck = spec.timing.tck_ps;
  RunSummary s;
  s.requests = requests;
  s.reads = st.reads;
  s.writes = st.writes;
  s.bytes = st.bytes;
  s.first_arrival_ps = first_arrival_ps;
  s.last_done_ps = last_done_ps;
  const double elapsed_s = static_cast<double>(last_done_ps - first_arrival_ps) * 1e-12;
  s.bandwidth_gbps = elapsed_s > 0 ? static_cast<double>(st.bytes) / elapsed_s / 1e9 : 0.0;
  s.peak_bandwidth_gbps = spec.peak_bytes_per_second() / 1e9;
  s.latency_mean_ns = latency.mean_ps() / 1000.0;
  s.latency_p50_ns = static_cast<double>(latency.quantile_ps(0.50, tck)) / 1000.0;
  s.latency_p99_ns = static_cast<double>(latency.quantile_ps(0.99, tck)) / 1000.0;
  s.row_hits = st.row_hits;
  s.row_misses = st.row_misses;
  s.row_conflicts = st.row_conflicts;
  s.activates = st.activates;
  s.refreshes = st.refreshes;
  s.refreshes_pb = st.refreshes_pb;
  const double rank_cycles = static_cast<double>(last_done_ps) / static_cast<double>(tck) *
                             spec.org.ranks * spec.org.controllers();
  s.refresh_overhead =
      rank_cycles > 0 ? static_cast<double>(st.refresh_busy_cycles) / rank_cycles : 0.0;
  s.energy_pj = dram.energy_pj(last_done_ps);
  s.energy_pj_per_bit = st.bytes ? s.energy_pj / (static_cast<double>(st.bytes) * 8.0) : 0.0;
  return s;
}

RunSummary run_core(DramSystem& dram, RequestSource& source, const CompletionHook& hook) {
  LatencyHistogram latency;
  const Picoseconds tck = dram.spec().timing.tck_ps;
  std::uint64_t requests = 0;
  Picoseconds first = DramSystem::kNever, last_done = 0;
  DramCompletion c;
  const auto pop_all = [&](Picoseconds until) {
    while (dram.pop_completion(until, c)) {
      latency.add(c.done_ps - c.arrival_ps, tck);
      last_done = std::max(last_done, c.done_ps);
      if (hook) hook(c);
    }
  };
  // Completions are popped once per request, after its submission: every
  // completion found later finishes after the time of any earlier pop (a
  // command issued at or after now completes at least CL later), so the
  // hook sees the same sequence as with a pop after every step.
  TraceRequest r;
  while (source.next(r)) {
    Picoseconds at = std::max(r.arrival_ps, dram.now_ps());
    dram.advance_to(at);
    if (!dram.can_accept(r.address, r.is_write, r.bytes)) {
      // Issue commands until one frees a queue slot; the request enters then.
      dram.advance_until_accepts(r.address, r.is_write, r.bytes);
      at = std::max(at, dram.now_ps());
    }
    dram.submit({r.address, r.is_write, r.bytes, at, requests});
    first = std::min(first, at);
    ++requests;
    pop_all(dram.now_ps());
  }
  dram.drain();
  pop_all(DramSystem::kNever - 1);
  if (requests == 0) first = 0;
  return summarize(dram, latency, requests, first, last_done);
}

}  // namespace tessera::dram
