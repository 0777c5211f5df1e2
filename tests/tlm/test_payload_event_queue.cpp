// PayloadEventQueue (models/tlm/payload_event_queue.h) replaced
// tlm_utils::peq_with_cb_and_phase on the memory path on the promise that no
// delivery moves: checked here against the peq itself on a seeded random
// workload (same payloads, phases, times and delta cycles), and on a small
// hand-worked order. Each test runs in its own process (sc_start once).
#include <gtest/gtest.h>
#include <tlm_utils/peq_with_cb_and_phase.h>

#include <cstdint>
#include <random>
#include <systemc>
#include <tlm>
#include <vector>

#include "models/tlm/payload_event_queue.h"

namespace {

using sc_core::SC_NS;
using sc_core::SC_PS;
using sc_core::sc_time;

struct Delivery {
  std::uint64_t time_ps;
  std::uint64_t delta;
  std::size_t payload;
  unsigned phase;
  bool operator==(const Delivery& o) const {
    return time_ps == o.time_ps && delta == o.delta && payload == o.payload && phase == o.phase;
  }
};

// Feeds the same notifications to both queues; each queue's callback records
// its deliveries and, for some payloads, notifies again from inside the
// callback (as the DRAM target and the cache do), the same way for both.
struct Harness : sc_core::sc_module {
  SC_HAS_PROCESS(Harness);
  Harness(sc_core::sc_module_name name, std::uint32_t seed, std::size_t count)
      : sc_module(name), payloads(count), seed_(seed) {
    SC_THREAD(drive);
  }

  std::vector<tlm::tlm_generic_payload> payloads;
  std::vector<Delivery> ours_log, peq_log;
  std::vector<unsigned> ours_again, peq_again;  // re-notifications left per payload
  std::size_t renotifications = 0;              // asked for in total

  void on_ours(tlm::tlm_generic_payload& p, const tlm::tlm_phase& ph) {
    record(ours_log, ours_again, p, ph,
           [&](const tlm::tlm_phase& np, const sc_time& d) { ours.notify(p, np, d); });
  }
  void on_peq(tlm::tlm_generic_payload& p, const tlm::tlm_phase& ph) {
    record(peq_log, peq_again, p, ph,
           [&](const tlm::tlm_phase& np, const sc_time& d) { peq.notify(p, np, d); });
  }

  tessera::tlm_models::PayloadEventQueue<Harness> ours{this, &Harness::on_ours};
  tlm_utils::peq_with_cb_and_phase<Harness> peq{this, &Harness::on_peq};

 private:
  template <class Again>
  void record(std::vector<Delivery>& log, std::vector<unsigned>& again, tlm::tlm_generic_payload& p,
              const tlm::tlm_phase& ph, Again notify_again) {
    const auto id = static_cast<std::size_t>(&p - payloads.data());
    log.push_back({sc_core::sc_time_stamp().value(), sc_core::sc_delta_count(), id,
                   static_cast<unsigned>(ph)});
    if (again[id] > 0) {
      --again[id];
      // A delay from the payload's id and round: some zero (next delta), some equal.
      const std::uint64_t ps = (id * 7 + again[id] * 13) % 5 == 0 ? 0 : (id % 4 + 1) * 250;
      notify_again(tlm::END_RESP, sc_time::from_value(ps));
    }
  }

  void drive() {
    std::mt19937_64 rng(seed_);
    ours_again.assign(payloads.size(), 0);
    for (std::size_t i = 0; i < payloads.size(); ++i) ours_again[i] = rng() % 3 == 0 ? 2 : 0;
    peq_again = ours_again;
    for (unsigned n : ours_again) renotifications += n;
    for (std::size_t i = 0; i < payloads.size(); ++i) {
      // Delays: zero (next delta), a few clock-like values that collide often,
      // and arbitrary picoseconds; out of order as often as in order.
      const std::uint64_t kind = rng() % 4;
      std::uint64_t ps = 0;
      if (kind == 1) ps = (rng() % 8 + 1) * 1000;
      if (kind >= 2) ps = rng() % 100000 + 1;
      const tlm::tlm_phase ph = rng() % 2 == 0 ? tlm::BEGIN_REQ : tlm::BEGIN_RESP;
      ours.notify(payloads[i], ph, sc_time::from_value(ps));
      peq.notify(payloads[i], ph, sc_time::from_value(ps));
      // Sometimes several notifications in one delta, sometimes a delta or time step apart.
      const std::uint64_t gap = rng() % 5;
      if (gap == 1) wait(sc_core::SC_ZERO_TIME);
      if (gap >= 2) wait(sc_time::from_value(rng() % 3000 + 1));
    }
  }
  std::uint32_t seed_;
};

TEST(PayloadEventQueue, DeliversAsPeqWithCbAndPhaseSeeded) {
  Harness h("h", 20261204, 4000);
  sc_core::sc_start();
  // Every payload delivered once, plus each re-notification.
  ASSERT_GT(h.renotifications, 1000u);
  ASSERT_EQ(h.peq_log.size(), h.payloads.size() + h.renotifications);
  ASSERT_EQ(h.ours_log.size(), h.peq_log.size());
  for (std::size_t i = 0; i < h.peq_log.size(); ++i) {
    ASSERT_TRUE(h.ours_log[i] == h.peq_log[i])
        << "delivery " << i << ": ours payload " << h.ours_log[i].payload << " at "
        << h.ours_log[i].time_ps << " ps delta " << h.ours_log[i].delta << ", peq payload "
        << h.peq_log[i].payload << " at " << h.peq_log[i].time_ps << " ps delta "
        << h.peq_log[i].delta;
  }
  // Both re-notified every payload that asked to (the counters ran down alike).
  EXPECT_EQ(h.ours_again, h.peq_again);
  for (unsigned left : h.ours_again) EXPECT_EQ(left, 0u);
}

struct Ordered : sc_core::sc_module {
  SC_HAS_PROCESS(Ordered);
  explicit Ordered(sc_core::sc_module_name name) : sc_module(name), p(5) { SC_THREAD(drive); }
  std::vector<tlm::tlm_generic_payload> p;
  std::vector<std::pair<std::uint64_t, std::size_t>> log;  // (ps, payload)
  std::vector<std::uint64_t> delta;
  void on(tlm::tlm_generic_payload& t, const tlm::tlm_phase&) {
    log.push_back({sc_core::sc_time_stamp().value(), static_cast<std::size_t>(&t - p.data())});
    delta.push_back(sc_core::sc_delta_count());
  }
  tessera::tlm_models::PayloadEventQueue<Ordered> q{this, &Ordered::on};
  void drive() {
    wait(1, SC_NS);
    q.notify(p[0], tlm::BEGIN_REQ, sc_time(10, SC_NS));
    q.notify(p[1], tlm::BEGIN_REQ, sc_time(5, SC_NS));
    q.notify(p[2], tlm::BEGIN_REQ, sc_time(10, SC_NS));
    q.notify(p[3], tlm::BEGIN_REQ, sc_time(5, SC_NS));
    q.notify(p[4], tlm::BEGIN_REQ, sc_core::SC_ZERO_TIME);
    start_delta = sc_core::sc_delta_count();
  }
  std::uint64_t start_delta = 0;
};

TEST(PayloadEventQueue, TimeOrderFifoAmongEqualTimesZeroDelayNextDelta) {
  Ordered o("o");
  sc_core::sc_start();
  // Hand-worked: notified at 1 ns; the zero-delay one in the next delta at
  // 1 ns, then 6 ns in notify order (p1, p3), then 11 ns (p0, p2).
  const std::vector<std::pair<std::uint64_t, std::size_t>> want = {
      {1000, 4}, {6000, 1}, {6000, 3}, {11000, 0}, {11000, 2}};
  EXPECT_EQ(o.log, want);
  EXPECT_EQ(o.delta.front(), o.start_delta + 1);
}

}  // namespace
