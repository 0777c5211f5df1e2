#include "models/platform/schedule.h"

#include <array>

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

  const auto n_ops = static_cast<std::uint32_t>(trace.ops.size());
  // Does the previous operator write this tensor? (Operators touch few tensors.)
  const auto written_by_previous = [&](std::uint32_t op_id, std::uint32_t tensor) {
    if (op_id == 0) return false;
    for (std::uint32_t k = first[op_id - 1]; k < first[op_id]; ++k) {
      const workload::TraceEvent& e = trace.events[order[k]];
      if (e.is_write() && e.tensor_id == tensor) return true;
    }
    return false;
  };
  // Pass of an event: 0 reads the previous operator does not write, 1 reads
  // of what it writes, 2 writes.
  const auto pass_of = [&](std::uint32_t op_id, const workload::TraceEvent& e) {
    if (e.is_write()) return 2;
    return written_by_previous(op_id, e.tensor_id) ? 1 : 0;
  };
  // Rank of the first access slot of each (operator, pass) in issue order.
  std::vector<std::array<std::uint32_t, 3>> count(n_ops, {0, 0, 0}), base(n_ops, {0, 0, 0});
  for (std::uint32_t op_id = 0; op_id < n_ops; ++op_id) {
    for (std::uint32_t k = first[op_id]; k < first[op_id + 1]; ++k) {
      ++count[op_id][pass_of(op_id, trace.events[order[k]])];
    }
  }
  {
    std::uint32_t next = 0;
    const auto place = [&](std::uint32_t op_id, int pass) {
      base[op_id][pass] = next;
      next += count[op_id][pass];
    };
    if (platform.tiles.double_buffering) {
      if (n_ops > 0) place(0, 0), place(0, 1);
      for (std::uint32_t i = 0; i < n_ops; ++i) {
        if (i + 1 < n_ops) place(i + 1, 0);
        place(i, 2);
        if (i + 1 < n_ops) place(i + 1, 1);
      }
    } else {
      for (std::uint32_t i = 0; i < n_ops; ++i) place(i, 0), place(i, 1), place(i, 2);
    }
  }

  std::vector<TileSchedule> out(tiles);
  for (std::uint32_t op_id = 0; op_id < n_ops; ++op_id) {
    const tile::OpWork work = tile::op_work(trace.ops[op_id], platform.tiles);
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
        std::uint32_t slot = base[op_id][pass];
        for (std::uint32_t k = first[op_id]; k < first[op_id + 1]; ++k) {
          const workload::TraceEvent& e = trace.events[order[k]];
          if (pass_of(op_id, e) != pass) continue;
          const std::uint32_t lookup = slot++ * tiles + t;
          const std::uint64_t lo = scale(e.bytes, share.unit_begin, den);
          const std::uint64_t hi = scale(e.bytes, share.unit_end, den);
          if (hi == lo) continue;
          Segment seg{e.address + lo, hi - lo, e.address,   e.bytes,
                      e.tensor_id,    lookup,  e.is_write()};
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

std::vector<const Segment*> lookup_sequence(const std::vector<TileSchedule>& schedule) {
  std::vector<const Segment*> sequence;
  for (const TileSchedule& s : schedule) {
    for (const Segment& seg : s.segments) {
      if (seg.lookup >= sequence.size()) sequence.resize(seg.lookup + 1, nullptr);
      sequence[seg.lookup] = &seg;
    }
  }
  return sequence;
}

}  // namespace tessera::platform
