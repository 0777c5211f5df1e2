// The DRAM TLM-2.0 target (AT) with several initiators behind one socket:
// every request's entry (END_REQ) and completion (BEGIN_RESP + delay) must
// equal the core's (run_core) fed the same requests in the order and at the
// times their BEGIN_REQs reached the target, to the picosecond.
//
// Each initiator has its own seeded mixed traffic, many requests outstanding
// and the base protocol's request exclusion (its next BEGIN_REQ waits for
// END_REQ). Its arrival times sit off the clock edges at a residue of tCK
// of its own, so two BEGIN_REQs can only reach the target at the same time
// as reactions to END_REQs given at the same time, and those reach it in
// call order (handled inline). The order the target saw is therefore the
// order of (reach time, call number), which the test records.
// Initiator 0 acknowledges responses with END_RESP at their annotated time
// (response exclusion across initiators); the others return TLM_COMPLETED.
// Each test runs in its own process (sc_start once per process).
#include <gtest/gtest.h>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/peq_with_cb_and_phase.h>
#include <tlm_utils/simple_initiator_socket.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/dram/presets.h"
#include "models/dram/run.h"
#include "models/tlm/dram_target.h"

namespace tessera::tlm_models {
namespace {

Picoseconds stamp_ps() {
  return sc_core::sc_time_stamp().value();
}  // 1 ps resolution

struct Record {
  std::uint64_t id = 0;  // global: initiator * kPerInitiator + index
  dram::TraceRequest request;
  Picoseconds reach = 0;    // when its BEGIN_REQ reached the target
  std::uint64_t call = 0;   // global call number of that BEGIN_REQ
  Picoseconds entered = 0;  // END_REQ
  Picoseconds done = 0;     // BEGIN_RESP time + its delay
  bool completed = false;
};

// All initiators' records and the global call counter.
struct Log {
  std::vector<Record> records;
  std::uint64_t calls = 0;
};

// Routes the initiators' transactions to the one target and the target's
// backward calls to the initiator that owns the transaction (by payload).
class Funnel : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<Funnel> in;
  tlm_utils::simple_initiator_socket<Funnel> out;

  explicit Funnel(sc_core::sc_module_name name) : sc_module(name), in("in"), out("out") {
    in.register_nb_transport_fw(this, &Funnel::fw);
    out.register_nb_transport_bw(this, &Funnel::bw);
  }

 private:
  tlm::tlm_sync_enum fw(int id, tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                        sc_core::sc_time& delay) {
    owner_[&p] = id;
    return out->nb_transport_fw(p, phase, delay);
  }
  tlm::tlm_sync_enum bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                        sc_core::sc_time& delay) {
    return in[owner_.at(&p)]->nb_transport_bw(p, phase, delay);
  }
  std::unordered_map<const tlm::tlm_generic_payload*, int> owner_;
};

class Initiator : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Initiator> socket;

  Initiator(sc_core::sc_module_name name, Log& log, std::vector<std::uint64_t> ids,
            std::size_t max_outstanding, bool ack_with_end_resp)
      : sc_module(name),
        socket("socket"),
        log_(log),
        ids_(std::move(ids)),
        pool_(max_outstanding),
        ack_(ack_with_end_resp),
        peq_(this, &Initiator::end_response) {
    socket.register_nb_transport_bw(this, &Initiator::bw);
    for (std::size_t i = 0; i < pool_.size(); ++i) free_.push_back(i);
    SC_HAS_PROCESS(Initiator);
    SC_THREAD(start);
  }

 private:
  void start() { send(); }

  // BEGIN_REQs while allowed: a free payload, no request awaiting END_REQ.
  void send() {
    while (!awaiting_ && next_ < ids_.size() && !free_.empty()) {
      const std::size_t slot = free_.back();
      free_.pop_back();
      Record& r = log_.records[ids_[next_++]];
      tlm::tlm_generic_payload& p = pool_[slot].payload;
      pool_[slot].record = r.id;
      p.set_command(r.request.is_write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
      p.set_address(r.request.address);
      p.set_data_ptr(data_);
      p.set_data_length(r.request.bytes);
      p.set_streaming_width(r.request.bytes);
      p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
      const Picoseconds now = stamp_ps();
      const Picoseconds at = std::max(now, r.request.arrival_ps);
      r.reach = at;
      r.call = log_.calls++;
      tlm::tlm_phase phase = tlm::BEGIN_REQ;
      sc_core::sc_time delay = sc_core::sc_time::from_value(at - now);
      awaiting_ = true;
      const tlm::tlm_sync_enum s = socket->nb_transport_fw(p, phase, delay);
      if (s == tlm::TLM_UPDATED && phase == tlm::END_REQ) {
        r.entered = now + delay.value();
        awaiting_ = false;
      }
    }
  }

  std::size_t slot_of(const tlm::tlm_generic_payload& p) const {
    for (std::size_t i = 0; i < pool_.size(); ++i) {
      if (&pool_[i].payload == &p) return i;
    }
    ADD_FAILURE() << "unknown payload";
    return 0;
  }

  tlm::tlm_sync_enum bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                        sc_core::sc_time& delay) {
    const std::size_t slot = slot_of(p);
    Record& r = log_.records[pool_[slot].record];
    if (phase == tlm::END_REQ) {
      r.entered = stamp_ps() + delay.value();
      awaiting_ = false;
      send();
      return tlm::TLM_ACCEPTED;
    }
    EXPECT_EQ(phase, tlm::BEGIN_RESP);
    r.done = stamp_ps() + delay.value();
    r.completed = true;
    if (ack_) {
      // END_RESP at the response's own time: the target holds every other
      // response (of any initiator) until then.
      peq_.notify(p, tlm::END_RESP, delay);
      return tlm::TLM_ACCEPTED;
    }
    release(slot);
    return tlm::TLM_COMPLETED;
  }

  void end_response(tlm::tlm_generic_payload& p, const tlm::tlm_phase&) {
    tlm::tlm_phase phase = tlm::END_RESP;
    sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
    socket->nb_transport_fw(p, phase, zero);
    release(slot_of(p));
  }

  void release(std::size_t slot) {
    free_.push_back(slot);
    send();
  }

  struct Slot {
    tlm::tlm_generic_payload payload;
    std::uint64_t record = 0;
  };
  Log& log_;
  std::vector<std::uint64_t> ids_;
  std::size_t next_ = 0;
  std::vector<Slot> pool_;
  std::vector<std::size_t> free_;
  bool awaiting_ = false;
  bool ack_;
  tlm_utils::peq_with_cb_and_phase<Initiator> peq_;
  unsigned char data_[256] = {};
};

// Seeded mixed traffic for initiator k: 2 reads per write, random 64 B
// addresses over a region of its own, gaps of 0 to max_gap cycles, arrival times at
// a residue of tCK of its own (never on a clock edge).
std::vector<dram::TraceRequest> traffic(const dram::DramSpec& spec, std::uint32_t k,
                                        std::uint32_t n, std::uint32_t max_gap) {
  std::mt19937_64 rng(1000 + k);
  const Picoseconds tck = spec.timing.tck_ps;
  const std::uint64_t region = spec.capacity_bytes() / 4;
  std::vector<dram::TraceRequest> out(n);
  Picoseconds cycle = 0;
  for (dram::TraceRequest& r : out) {
    cycle += rng() % (max_gap + 1);
    r.arrival_ps = cycle * tck + 7 * (k + 1);
    r.address = k * region + (rng() % (region / 64)) * 64;
    r.bytes = 64;
    r.is_write = rng() % 3 == 0;
  }
  return out;
}

void expect_core_times(const dram::DramSpec& spec, std::uint32_t initiators,
                       std::uint32_t per_initiator, std::size_t outstanding,
                       std::uint32_t max_gap = 3) {
  ASSERT_GT(spec.timing.tck_ps, 7u * (initiators + 1));
  Log log;
  std::vector<std::vector<std::uint64_t>> ids(initiators);
  for (std::uint32_t k = 0; k < initiators; ++k) {
    for (const dram::TraceRequest& r : traffic(spec, k, per_initiator, max_gap)) {
      Record rec;
      rec.id = log.records.size();
      rec.request = r;
      ids[k].push_back(rec.id);
      log.records.push_back(rec);
    }
  }
  auto target = std::make_unique<DramTarget>("dram", spec);
  auto funnel = std::make_unique<Funnel>("funnel");
  std::vector<std::unique_ptr<Initiator>> inits;
  for (std::uint32_t k = 0; k < initiators; ++k) {
    inits.push_back(std::make_unique<Initiator>(("init" + std::to_string(k)).c_str(), log, ids[k],
                                                outstanding, k == 0));
    inits.back()->socket.bind(funnel->in);
  }
  funnel->out.bind(target->socket);
  sc_core::sc_start();

  EXPECT_GT(target->held_back(), 0u) << "the queues never filled: back-pressure untested";
  // The order the target saw, and the core fed the same.
  std::vector<const Record*> order;
  for (const Record& r : log.records) {
    ASSERT_TRUE(r.completed) << "request " << r.id;
    order.push_back(&r);
  }
  std::sort(order.begin(), order.end(), [](const Record* a, const Record* b) {
    return a->reach != b->reach ? a->reach < b->reach : a->call < b->call;
  });
  // Several initiators really overlapped: consecutive requests from different ones.
  std::uint64_t switches = 0;
  for (std::size_t i = 1; i < order.size(); ++i) {
    switches += order[i]->id / per_initiator != order[i - 1]->id / per_initiator;
  }
  EXPECT_GT(switches, order.size() / 4);
  std::vector<dram::TraceRequest> fed;
  for (const Record* r : order) {
    dram::TraceRequest t = r->request;
    t.arrival_ps = r->reach;
    fed.push_back(t);
  }
  dram::DramSystem core(spec);
  dram::VectorSource src(fed);
  std::vector<dram::DramCompletion> got(fed.size());
  dram::run_core(core, src, [&](const dram::DramCompletion& c) { got[c.tag] = c; });
  for (std::size_t i = 0; i < order.size(); ++i) {
    ASSERT_EQ(order[i]->entered, got[i].arrival_ps) << "request " << order[i]->id;
    ASSERT_EQ(order[i]->done, got[i].done_ps) << "request " << order[i]->id;
  }
}

TEST(DramTargetMulti, ThreeInitiatorsGetTheCoreTimesDdr4SmallQueues) {
  dram::DramSpec spec = dram::preset("DDR4-3200");
  spec.controller.read_queue = 8;
  spec.controller.write_queue = 8;
  spec.controller.write_high_watermark = 6;
  spec.controller.write_low_watermark = 2;
  expect_core_times(spec, 3, 3000, 12);
}

TEST(DramTargetMulti, FourInitiatorsGetTheCoreTimesDdr4) {
  expect_core_times(dram::preset("DDR4-3200"), 4, 2500, 24);
}

TEST(DramTargetMulti, TwoInitiatorsGetTheCoreTimesHbm3SmallQueues) {
  dram::DramSpec spec = dram::preset("HBM3");
  spec.controller.read_queue = 4;
  spec.controller.write_queue = 4;
  spec.controller.write_high_watermark = 3;
  spec.controller.write_low_watermark = 1;
  expect_core_times(spec, 2, 4000, 64, 0);
}

}  // namespace
}  // namespace tessera::tlm_models
