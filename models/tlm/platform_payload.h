// What travels through the timed platform: generic payloads from a pool with
// a memory manager (no allocation per transaction once warm), each carrying
// a MemExt that says which tile and which segment of its schedule it belongs
// to. The MemExt is a member of the pooled payload, not a registered TLM
// extension: every payload of the platform comes from the pool, and a
// static_cast is cheaper than the extension lookup on every hop. The data
// pointer of every payload points at one shared scratch buffer: the platform
// models time and traffic, not values.
#pragma once

#include <cstdint>
#include <memory>
#include <tlm>
#include <vector>

namespace tessera::tlm_platform {

inline constexpr std::uint32_t kNoLookup = ~0u;

struct MemExt {
  std::uint32_t tile = 0;  // issuing tile (interconnect input)
  std::uint32_t tensor_id = 0;
  std::uint32_t segment = 0;  // per-tile segment sequence number
  // The segment's index in the cache's lookup sequence (Segment::lookup), or
  // kNoLookup: the cache then decides in arrival order (cache_module.h).
  std::uint32_t lookup = kNoLookup;
  std::uint64_t access_bytes = 0;  // bytes of the whole trace access (cache entry size)
  std::uint64_t access_address = 0;
  std::uint64_t segment_address = 0;  // this tile's part of the access
  std::uint64_t segment_bytes = 0;
  bool from_tile = true;                       // false: a fill or write-back issued by the cache
  bool cache_hit = false;                      // set by the cache
  tlm::tlm_generic_payload* parent = nullptr;  // cache fills: the tile request waiting
  std::uint32_t fills_pending = 0;  // tile requests at the cache: DRAM requests still out
  std::uint64_t issue_ps = 0;       // when the DRAM request reaches the DRAM
  std::uint64_t ready_ps = 0;       // interconnect / cache queues: when it may be sent on
  std::uint32_t bank = 0;           // tile requests at the cache: the bank they came in on
};

struct PooledPayload : tlm::tlm_generic_payload {
  explicit PooledPayload(tlm::tlm_mm_interface* mm) : tlm::tlm_generic_payload(mm) {}
  MemExt ext;
};

class PayloadPool : public tlm::tlm_mm_interface {
 public:
  explicit PayloadPool(unsigned max_burst_bytes) : scratch_(max_burst_bytes, 0) {}
  ~PayloadPool() override = default;

  // A payload with reference count 1 and a MemExt reset to defaults.
  tlm::tlm_generic_payload* acquire() {
    tlm::tlm_generic_payload* p;
    if (free_.empty()) {
      all_.push_back(std::make_unique<PooledPayload>(this));
      p = all_.back().get();
    } else {
      p = free_.back();
      free_.pop_back();
    }
    *ext(*p) = MemExt{};
    p->set_data_ptr(scratch_.data());
    p->set_byte_enable_ptr(nullptr);
    p->set_byte_enable_length(0);
    p->set_streaming_width(0);
    p->set_dmi_allowed(false);
    p->set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    p->acquire();
    return p;
  }
  void free(tlm::tlm_generic_payload* p) override { free_.push_back(p); }
  std::size_t allocated() const { return all_.size(); }

  // Only for payloads from a PayloadPool.
  static MemExt* ext(tlm::tlm_generic_payload& p) { return &static_cast<PooledPayload&>(p).ext; }

 private:
  std::vector<unsigned char> scratch_;
  std::vector<std::unique_ptr<PooledPayload>> all_;
  std::vector<tlm::tlm_generic_payload*> free_;
};

// Sets command, address and length; streaming width = length.
inline void prepare(tlm::tlm_generic_payload& p, bool write, std::uint64_t address,
                    unsigned length) {
  p.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  p.set_address(address);
  p.set_data_length(length);
  p.set_streaming_width(length);
}

}  // namespace tessera::tlm_platform
