#include "models/platform/schedule.h"

#include "models/core/rng.h"
#include "models/tile/op_timing.h"

namespace tessera::platform {

std::uint64_t burst_count(std::uint64_t address, Bytes bytes, Bytes burst_bytes) {
  if (bytes == 0) return 0;
  const std::uint64_t first = address / burst_bytes;
  const std::uint64_t last = (address + bytes - 1) / burst_bytes;
  return last - first + 1;
}

namespace {

std::uint64_t scale(std::uint64_t value, std::uint64_t num, std::uint64_t den) {
  return static_cast<std::uint64_t>(static_cast<RngU128>(value) * num / den);
}

}  // namespace

std::vector<TileSchedule> build_schedule(const workload::Trace& trace,
                                         const config::PlatformConfig& platform) {
  const std::uint32_t tiles = platform.tiles.count;
  const Bytes burst = platform.interconnect.burst_bytes;
  // Events grouped by operator (counting sort keeps trace order inside an op).
  std::vector<std::uint32_t> first(trace.ops.size() + 1, 0);
  for (const auto& e : trace.events) {
    if (e.op_id() < trace.ops.size()) ++first[e.op_id() + 1];
  }
  for (std::size_t i = 1; i < first.size(); ++i) first[i] += first[i - 1];
  std::vector<std::uint32_t> order(first.back());
  {
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    for (std::uint32_t i = 0; i < trace.events.size(); ++i) {
      const std::uint32_t op = trace.events[i].op_id();
      if (op < trace.ops.size()) order[fill[op]++] = i;
    }
  }

  std::vector<TileSchedule> out(tiles);
  for (std::uint32_t op_id = 0; op_id < trace.ops.size(); ++op_id) {
    const tile::OpWork work = tile::op_work(trace.ops[op_id], platform.tiles);
    // Does the previous operator write this tensor? (Operators touch few tensors.)
    const auto written_by_previous = [&](std::uint32_t tensor) {
      if (op_id == 0) return false;
      for (std::uint32_t k = first[op_id - 1]; k < first[op_id]; ++k) {
        const workload::TraceEvent& e = trace.events[order[k]];
        if (e.is_write() && e.tensor_id == tensor) return true;
      }
      return false;
    };
    for (std::uint32_t t = 0; t < tiles; ++t) {
      TileSchedule& s = out[t];
      // With no work units the accesses are split evenly by tile.
      const std::uint64_t den = work.units > 0 ? work.units : tiles;
      const tile::Share share = tile::tile_share(den, t, tiles);
      TileOp top;
      top.op_id = op_id;
      top.compute_cycles = work.units > 0 ? work.cycles(share.units()) : 0;
      top.seg_begin = static_cast<std::uint32_t>(s.segments.size());
      // Pass 0: reads of tensors the previous operator does not write;
      // pass 1: reads of tensors it writes; pass 2: this operator's writes.
      for (int pass = 0; pass < 3; ++pass) {
        if (pass == 1) top.seg_dep = static_cast<std::uint32_t>(s.segments.size());
        if (pass == 2) top.seg_write = static_cast<std::uint32_t>(s.segments.size());
        for (std::uint32_t k = first[op_id]; k < first[op_id + 1]; ++k) {
          const workload::TraceEvent& e = trace.events[order[k]];
          if (e.is_write() != (pass == 2)) continue;
          if (pass < 2 && written_by_previous(e.tensor_id) != (pass == 1)) continue;
          const std::uint64_t lo = scale(e.bytes, share.unit_begin, den);
          const std::uint64_t hi = scale(e.bytes, share.unit_end, den);
          if (hi == lo) continue;
          Segment seg{e.address + lo, hi - lo, e.address, e.bytes, e.tensor_id, e.is_write()};
          s.segments.push_back(seg);
          (seg.write ? s.write_bytes : s.read_bytes) += seg.bytes;
          s.transactions += burst_count(seg.address, seg.bytes, burst);
        }
      }
      top.seg_end = static_cast<std::uint32_t>(s.segments.size());
      s.compute_cycles += top.compute_cycles;
      s.ops.push_back(top);
    }
  }
  return out;
}

}  // namespace tessera::platform
