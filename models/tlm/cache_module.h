// The shared cache of the timed platform: a TLM target with one socket per
// bank (fed by the interconnect) and an initiator towards DRAM, wrapping the
// functional cache core (models/platform/cache_core.h).
//
// Per tile request burst:
//   - the bank looks the burst up at its next free cycle (one lookup per bank
//     per cycle, in arrival order); the module computes that time when the
//     request arrives and answers with annotated delays instead of waking up
//     at it (hit or miss does not depend on the time, see below);
//   - hit or miss is decided per tile segment: in the order of the schedule's
//     lookup sequence when the request carries a lookup index (the timed
//     platform, see cache_core.h: timing-independent, so AT and LT agree),
//     else in arrival order, the first burst of a tile's segment asking the
//     core and the others reusing that answer (the RTL co-simulation's tiles);
//   - hits, and writes that allocate, respond hit_latency cycles after the
//     lookup (BEGIN_RESP on the return path, with that delay);
//   - read misses (inserted or bypassed) go to DRAM after the tag check
//     (hit_latency) and respond when DRAM does; bypassed writes go to DRAM
//     likewise;
//   - a read miss that inserts the whole trace access also fetches the rest
//     of that access (the parts other tiles will read) from DRAM in the
//     background, so the DRAM reads equal the functional replay's;
//   - dirty evictions are written back to DRAM in the background.
// DRAM requests leave through one socket, respecting the base protocol's
// request exclusion (the next BEGIN_REQ waits for END_REQ), in FIFO order,
// each annotated with the delay until it is ready (the end of its tag check).
// LT: the same decisions; b_transport adds hit_latency, and for misses the
// DRAM's b_transport delay; background traffic does not delay the requester.
//
// Set-associative organization (platform::LineCacheCore): every line a burst
// touches is looked up (in sequence order, as above). A burst whose lines all
// hit answers after hit_latency; a read burst fetches each missed line whole
// from DRAM (split at burst boundaries when the line is larger than a burst)
// and answers when the last fill returns; a write allocates without fetching,
// and the parts of a write whose line the policy declines go to DRAM. Dirty
// evicted lines are written back in the background. A line larger than a
// burst is looked up by each burst touching it: the second burst hits the line
// the first one inserted, without waiting for its fill (no miss merging).
#pragma once

#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <cstdint>
#include <deque>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/config/platform_config.h"
#include "models/dram/address_mapping.h"
#include "models/platform/cache_core.h"
#include "models/platform/line_cache_core.h"
#include "models/platform/run_record.h"
#include "models/tlm/payload_event_queue.h"
#include "models/tlm/platform_payload.h"

namespace tessera::tlm_platform {

class CacheModule : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<CacheModule> in;  // bank b binds index b
  tlm_utils::simple_initiator_socket<CacheModule> dram;

  SC_HAS_PROCESS(CacheModule);
  CacheModule(sc_core::sc_module_name name, const config::PlatformConfig& platform,
              platform::SharedCacheCore& core, const dram::AddressMapping& mapping,
              PayloadPool& pool, platform::RunRecord& record);
  // Set-associative organization.
  CacheModule(sc_core::sc_module_name name, const config::PlatformConfig& platform,
              platform::LineCacheCore& lines, const dram::AddressMapping& mapping,
              PayloadPool& pool, platform::RunRecord& record);

 private:
  struct Decision {
    std::uint32_t segment = ~0u;
    bool hit = false;
    bool bypass = false;
  };
  // What the core said about this burst's segment (first burst asks).
  Decision decide(tlm::tlm_generic_payload& p, MemExt& e, Picoseconds now, bool lt);
  // Statistics and background traffic of one core decision.
  void on_decided(const platform::Segment& segment, const platform::LookupResult& r,
                  Picoseconds now, bool lt);
  void count(const tlm::tlm_generic_payload& p, const Decision& d);
  // Set-associative: decides and counts the burst's line lookups and fills
  // dram_parts_ with the DRAM requests it needs (empty: answered by the cache).
  void line_burst(tlm::tlm_generic_payload& p, const MemExt& e, Picoseconds now, bool lt);
  // LT: one DRAM request on behalf of a tile request, its delay added to `delay`.
  void lt_dram(std::uint64_t address, unsigned length, bool write, sc_core::sc_time& delay);
  void background(std::uint64_t address, Bytes bytes, bool write, Picoseconds now, bool lt);

  tlm::tlm_sync_enum nb_transport_fw(int id, tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                     sc_core::sc_time& delay);
  void b_transport(int id, tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  void respond(std::uint32_t bank, tlm::tlm_generic_payload& p);
  void send_response(std::uint32_t bank, tlm::tlm_generic_payload& p);
  tlm::tlm_sync_enum dram_bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                             sc_core::sc_time& delay);
  void dram_request(std::uint64_t address, unsigned length, bool write,
                    tlm::tlm_generic_payload* parent, Picoseconds ready_ps);
  void dram_send(tlm::tlm_generic_payload& f);
  void dram_send_next();
  void dram_done(tlm::tlm_generic_payload& p);
  void dram_response_due(tlm::tlm_generic_payload& p, const tlm::tlm_phase& phase);
  // Calls fn(channel record, bytes) once per DRAM controller the request
  // [address, address + length) touches, with the bytes of its own bursts: a
  // request can span controllers (HBM3's 32 B bursts interleave its pseudo-
  // channels under a 64 B transaction), and each must be credited its share.
  template <class Fn>
  void for_each_channel(std::uint64_t address, unsigned length, Fn fn);
  // A finished DRAM request: bytes per controller, and one request with this
  // latency on each controller it touched.
  void record_dram(std::uint64_t address, unsigned length, bool write, Picoseconds latency_ps);

  CacheModule(sc_core::sc_module_name name, const config::PlatformConfig& platform,
              platform::SharedCacheCore* core, platform::LineCacheCore* lines,
              const dram::AddressMapping& mapping, PayloadPool& pool, platform::RunRecord& record);

  platform::SharedCacheCore* core_;  // tensor organization, or
  platform::LineCacheCore* lines_;   // set-associative
  struct DramPart {
    std::uint64_t address;
    unsigned length;
    bool write;
  };
  std::vector<DramPart> dram_parts_;  // line_burst's output (reused: no allocation per burst)
  const dram::AddressMapping& mapping_;
  PayloadPool& pool_;
  platform::RunRecord& record_;
  std::uint32_t banks_;
  Bytes burst_bytes_;
  Picoseconds period_ps_;
  sc_core::sc_time hit_latency_;
  Picoseconds hit_latency_ps_;
  bool single_controller_;
  std::vector<Picoseconds> bank_free_ps_;
  struct BankResponses {
    bool busy = false;
    std::deque<tlm::tlm_generic_payload*> queue;
  };
  std::vector<BankResponses> responses_;
  // Per tile, a ring of segment decisions (larger than the segments a tile
  // can have in flight).
  std::uint32_t ring_mask_;
  std::vector<std::vector<Decision>> decisions_;
  std::deque<tlm::tlm_generic_payload*> dram_queue_;
  tlm::tlm_generic_payload* dram_awaiting_end_req_ = nullptr;
  Picoseconds dram_last_request_ps_ = 0;  // when the last BEGIN_REQ reaches DRAM
  std::uint64_t misses_outstanding_ = 0;
  // DRAM responses annotated with a delay (the DRAM target sends each one as
  // soon as its completion time is final) are taken at that time.
  tlm_models::PayloadEventQueue<CacheModule> dram_responses_{this, &CacheModule::dram_response_due};
};

}  // namespace tessera::tlm_platform
