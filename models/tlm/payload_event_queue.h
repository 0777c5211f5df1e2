// A payload event queue for the memory path's TLM modules (DRAM target, cache,
// interconnect): the same deliveries, in the same order and with the same
// kernel event notifications, as tlm_utils::peq_with_cb_and_phase, at less
// cost per payload.
//
// What is kept identical (so a schedule cannot move): one SC_METHOD spawned
// at construction, statically sensitive to one sc_event and not initialized;
// a timed notify inserts the payload after every one due no later (FIFO among
// equal times) and calls event.notify(delay) each time, as the peq does (the
// kernel keeps the earlier of two pending notifications); a zero delay goes
// to the next delta cycle through the peq's two lists alternating by delta
// parity; the method delivers the delta payloads first, then every timed one
// due now, then notifies the event for the next one. The kernel therefore
// sees the same notify calls at the same times, so its timed queue and its
// runnable order are the same.
//
// What is cheaper: the timed payloads sit in a vector sorted by time
// (searched from its end, where a new one nearly always goes: O(1) instead
// of the peq's walk over its whole linked list from the front), times are
// kernel ticks (integers, no sc_time arithmetic or sc_delta_count() call per
// timed payload, the time read inline), and the method is a lambda rather
// than a std::bind.
#pragma once

#ifndef SC_INCLUDE_DYNAMIC_PROCESSES
#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn (outside <systemc>'s include guard)
#endif
#include <cstddef>
#include <cstdint>
#include <systemc>
#include <tlm>
#include <vector>

namespace tessera::tlm_models {

template <class Owner>
class PayloadEventQueue {
 public:
  using Callback = void (Owner::*)(tlm::tlm_generic_payload&, const tlm::tlm_phase&);

  // Construct inside the owner's constructor (or as its member): the method
  // process belongs to the module under construction.
  PayloadEventQueue(Owner* owner, Callback callback)
      : owner_(owner), callback_(callback), simc_(sc_core::sc_get_curr_simcontext()) {
    sc_core::sc_spawn_options options;
    options.spawn_method();
    options.set_sensitivity(&event_);
    options.dont_initialize();
    sc_core::sc_spawn([this] { deliver(); }, sc_core::sc_gen_unique_name("payload_queue"),
                      &options);
  }
  PayloadEventQueue(const PayloadEventQueue&) = delete;
  PayloadEventQueue& operator=(const PayloadEventQueue&) = delete;

  // Delivers (trans, phase) to the owner's callback `delay` from now (zero:
  // in the next delta cycle).
  void notify(tlm::tlm_generic_payload& trans, const tlm::tlm_phase& phase,
              const sc_core::sc_time& delay) {
    if (delay == sc_core::SC_ZERO_TIME) {
      // The peq's parity rule: a payload notified in an odd delta cycle is
      // due in the next (even) one, and the other way round.
      (sc_core::sc_delta_count() & 1 ? even_delta_ : odd_delta_).push_back({&trans, phase, 0});
      event_.notify(sc_core::SC_ZERO_TIME);
      return;
    }
    const Ticks at = now() + delay.value();
    std::size_t i = timed_.size();
    while (i > head_ && timed_[i - 1].at > at) --i;
    if (i == timed_.size()) {
      timed_.push_back({&trans, phase, at});
    } else {
      timed_.insert(timed_.begin() + static_cast<std::ptrdiff_t>(i), Entry{&trans, phase, at});
    }
    event_.notify(delay);
  }

 private:
  using Ticks = sc_core::sc_time::value_type;
  struct Entry {
    tlm::tlm_generic_payload* trans;
    tlm::tlm_phase phase;
    Ticks at;  // kernel time value when due (timed entries)
  };

  // The kernel's time through the context kept at construction: inline, where
  // sc_time_stamp() is a library call.
  Ticks now() const { return simc_->time_stamp().value(); }

  void deliver() {
    // Delta payloads first, the list of this delta's parity; a callback's
    // zero-delay notify goes to the other list (next delta). (Skipped, with
    // the kernel call for the delta count, when none was notified.)
    if (!odd_delta_.empty() || !even_delta_.empty()) {
      const bool odd = (sc_core::sc_delta_count() & 1) != 0;
      std::vector<Entry>& due = odd ? odd_delta_ : even_delta_;
      const std::vector<Entry>& next = odd ? even_delta_ : odd_delta_;
      for (std::size_t k = 0; k < due.size(); ++k) {
        const Entry e = due[k];  // copied: a callback's notify grows the other list only
        (owner_->*callback_)(*e.trans, e.phase);
      }
      due.clear();
      if (!next.empty()) event_.notify(sc_core::SC_ZERO_TIME);
    }
    if (head_ == timed_.size()) return;
    const Ticks t = now();
    // Taken off before the callback runs: a callback may notify (insert).
    while (head_ < timed_.size() && timed_[head_].at == t) {
      const Entry e = timed_[head_++];
      (owner_->*callback_)(*e.trans, e.phase);
    }
    if (head_ == timed_.size()) {
      timed_.clear();
      head_ = 0;
      return;
    }
    if (head_ >= 64 && 2 * head_ >= timed_.size()) {
      // Never empty under steady traffic: drop the delivered front, amortized O(1).
      timed_.erase(timed_.begin(), timed_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    event_.notify(sc_core::sc_time::from_value(timed_[head_].at - t));
  }

  Owner* owner_;
  Callback callback_;
  const sc_core::sc_simcontext* simc_;
  std::vector<Entry> timed_;  // sorted by `at`, FIFO among equal; delivered before head_
  std::size_t head_ = 0;
  std::vector<Entry> odd_delta_, even_delta_;  // due in the next odd / even delta cycle
  sc_core::sc_event event_;
};

}  // namespace tessera::tlm_models
