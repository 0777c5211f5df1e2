// The workload schedule of a timed run: for every tile, the operators it
// executes in order, each with its compute cycles and the memory segments
// (address ranges) it reads before computing and writes after.
//
// Operators run in trace order on every tile. Each tile takes its share of an
// operator (models/tile/op_timing.h) and the same fraction of every access
// the operator makes: tile t of an operator with U work units, owning units
// [u0, u1), reads and writes bytes [B*u0/U, B*u1/U) of every B-byte access.
// Operand replication across tiles (every tile of a row split needing all of
// B) is not modelled: each byte of an operator's accesses is moved once, as
// in the roofline's compulsory traffic. Accesses of an operator with no work
// units are split evenly by tile.
//
// The lookup sequence: the shared cache decides hit or miss per tile segment
// in one fixed order, whatever order the requests arrive in (see
// cache_core.h). That order is the order a tile issues its segments (with
// double buffering: operator i+1's independent reads before operator i's
// writes, then i+1's reads of i's results), and inside one trace access tile
// 0, 1, ... T-1. Segment::lookup is the segment's index in it: access slot
// rank x tiles + tile. A tile with no part of an access leaves its index
// unused.
#pragma once

#include <cstdint>
#include <vector>

#include "models/config/platform_config.h"
#include "models/core/units.h"
#include "models/workload/trace.h"

namespace tessera::platform {

// A tile's part of one trace access.
struct Segment {
  std::uint64_t address = 0;
  Bytes bytes = 0;
  std::uint64_t access_address = 0;  // the whole trace access
  Bytes access_bytes = 0;
  std::uint32_t tensor_id = 0;
  std::uint32_t lookup = 0;  // index in the cache's lookup sequence
  bool write = false;
};

struct TileOp {
  std::uint32_t op_id = 0;
  Cycles compute_cycles = 0;
  // Reads then writes. [seg_begin, seg_dep) read tensors the previous
  // operator does not write: a double-buffering tile prefetches them while
  // that operator computes. [seg_dep, seg_write) read what the previous
  // operator writes: they are issued after its writes. [seg_write, seg_end)
  // are this operator's writes.
  std::uint32_t seg_begin = 0, seg_dep = 0, seg_write = 0, seg_end = 0;
};

struct TileSchedule {
  std::vector<TileOp> ops;
  std::vector<Segment> segments;
  Bytes read_bytes = 0;
  Bytes write_bytes = 0;
  Cycles compute_cycles = 0;
  std::uint64_t transactions = 0;  // burst transactions the segments become
};

// Burst-aligned transactions of a segment: the first runs to the next burst
// boundary, the last ends at the segment's end.
std::uint64_t burst_count(std::uint64_t address, Bytes bytes, Bytes burst_bytes);

std::vector<TileSchedule> build_schedule(const workload::Trace& trace,
                                         const config::PlatformConfig& platform);

// The lookup sequence of a schedule: entry i is the segment whose
// Segment::lookup is i, or nullptr for an unused index.
std::vector<const Segment*> lookup_sequence(const std::vector<TileSchedule>& schedule);

}  // namespace tessera::platform
