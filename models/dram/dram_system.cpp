#include "models/dram/dram_system.h"

#include <fmt/format.h>

#include <algorithm>

#include "models/core/error.h"
#include "models/dram/channel_controller.h"

namespace tessera::dram {
namespace {

bool later(Picoseconds ad, std::uint64_t ao, Picoseconds bd, std::uint64_t bo) {
  return ad != bd ? ad > bd : ao > bo;
}

}  // namespace

DramSystem::DramSystem(const DramSpec& spec, bool log_commands)
    : spec_(spec), mapping_(spec.org, spec.controller.mapping) {
  validate(spec_, spec_.name);
  for (std::uint32_t i = 0; i < spec_.org.controllers(); ++i) {
    channels_.push_back(std::make_unique<ChannelController>(spec_, log_commands));
  }
  parents_.reserve(256);
  heap_.reserve(256);
}

DramSystem::~DramSystem() = default;

bool DramSystem::can_accept(std::uint64_t address, bool is_write, std::uint32_t bytes) const {
  const Bytes bb = spec_.org.burst_bytes();
  const std::uint32_t shift = mapping_.offset_bits();  // burst_bytes is a power of two
  const std::uint64_t first = address >> shift;
  const std::uint64_t last = (address + std::max<std::uint32_t>(bytes, 1) - 1) >> shift;
  if (first == last) {
    // The common case, asked again after every command while a queue is full.
    return channels_[mapping_.controller_of(address)]->can_accept(is_write, 1);
  }
  // Multi-burst requests: every controller touched needs room for its share.
  for (std::uint64_t b = first; b <= last; ++b) {
    const std::uint32_t ch = mapping_.decode(b * bb).controller;
    std::uint32_t share = 0;
    for (std::uint64_t k = first; k <= last; ++k) {
      if (mapping_.decode(k * bb).controller == ch) ++share;
    }
    if (!channels_[ch]->can_accept(is_write, share)) return false;
  }
  return true;
}

void DramSystem::submit(const DramRequest& req) {
  if (req.arrival_ps < now_ps_) {
    throw RuntimeError(fmt::format("dram: request arrives at {} ps, before the current time {} ps",
                                   req.arrival_ps, now_ps_));
  }
  if (!can_accept(req.address, req.is_write, req.bytes)) {
    throw RuntimeError("dram: request submitted while its controller queue is full");
  }
  advance_to(req.arrival_ps);
  const Bytes bb = spec_.org.burst_bytes();
  const std::uint32_t shift = mapping_.offset_bits();  // burst_bytes is a power of two
  const std::uint64_t first = req.address >> shift;
  const std::uint64_t last = (req.address + std::max<std::uint32_t>(req.bytes, 1) - 1) >> shift;

  std::uint32_t slot;
  if (!free_parents_.empty()) {
    slot = free_parents_.back();
    free_parents_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(parents_.size());
    parents_.push_back({});
  }
  Parent& p = parents_[slot];
  p.tag = req.tag;
  p.arrival_ps = req.arrival_ps;
  p.data_cycle = 0;
  p.done_cycle = 0;
  p.bytes = req.bytes;
  p.remaining = static_cast<std::uint32_t>(last - first + 1);
  p.is_write = req.is_write;
  ++outstanding_;

  const Picoseconds tck = spec_.timing.tck_ps;
  const Cycles arrival = (req.arrival_ps + tck - 1) / tck;
  for (std::uint64_t b = first; b <= last; ++b) {
    const DecodedAddress d = mapping_.decode(b * bb);
    BurstRequest br;
    br.parent = slot;
    br.row = d.row;
    br.rank = static_cast<std::uint8_t>(d.rank);
    br.bank_group = static_cast<std::uint8_t>(d.bank_group);
    br.bank = static_cast<std::uint16_t>(
        (d.rank * spec_.org.bank_groups + d.bank_group) * spec_.org.banks_per_group + d.bank);
    br.is_write = req.is_write;
    br.arrival = arrival;
    br.seq = order_++;
    channels_[d.controller]->enqueue(br);
  }
}

void DramSystem::push_pending(const Pending& p) {
  heap_.push_back(p);
  std::push_heap(heap_.begin(), heap_.end(), [](const Pending& a, const Pending& b) {
    return later(a.done_ps, a.order, b.done_ps, b.order);
  });
}

void DramSystem::collect(std::uint32_t channel) {
  std::vector<BurstDone>& done = channels_[channel]->finished();
  const Picoseconds tck = spec_.timing.tck_ps;
  for (const BurstDone& d : done) {
    Parent& p = parents_[d.parent];
    p.data_cycle = std::max(p.data_cycle, d.data_cycle);
    p.done_cycle = std::max(p.done_cycle, d.done_cycle);
    if (--p.remaining == 0) push_pending({p.done_cycle * tck, order_++, d.parent});
  }
  done.clear();
}

void DramSystem::advance_to(Picoseconds until_ps) {
  if (until_ps <= now_ps_) return;
  const Picoseconds tck = spec_.timing.tck_ps;
  const Cycles until = (until_ps + tck - 1) / tck;
  for (std::uint32_t i = 0; i < channels_.size(); ++i) {
    channels_[i]->advance(until);
    if (!channels_[i]->finished().empty()) collect(i);
  }
  now_ps_ = until_ps;
}

bool DramSystem::pop_completion(Picoseconds until_ps, DramCompletion& out) {
  if (heap_.empty() || heap_.front().done_ps > until_ps) return false;
  std::pop_heap(heap_.begin(), heap_.end(), [](const Pending& a, const Pending& b) {
    return later(a.done_ps, a.order, b.done_ps, b.order);
  });
  const Pending top = heap_.back();
  heap_.pop_back();
  const Parent& p = parents_[top.parent];
  out.tag = p.tag;
  out.is_write = p.is_write;
  out.bytes = p.bytes;
  out.arrival_ps = p.arrival_ps;
  out.data_ps = p.data_cycle * spec_.timing.tck_ps;
  out.done_ps = top.done_ps;
  free_parents_.push_back(top.parent);
  --outstanding_;
  return true;
}

void DramSystem::advance_until_accepts(std::uint64_t address, bool is_write, std::uint32_t bytes) {
  const std::uint32_t shift = mapping_.offset_bits();
  const bool one_burst =
      (address >> shift) == ((address + std::max<std::uint32_t>(bytes, 1) - 1) >> shift);
  if (channels_.size() == 1 && one_burst) {
    // One controller: the next command of the system is its next command,
    // and advance_to(t + 1 ps) issues exactly the commands of cycle t (one),
    // since t x tCK >= now_ps() (the controller's clock never lags the
    // system's). Completions are collected once at the end: collect() gives
    // them their order in issue order either way, and nothing pops them
    // in between.
    ChannelController& c = *channels_[0];
    if (c.can_accept(is_write, 1)) return;
    Cycles t = 0;
    do {
      t = c.issue_next();
      if (t == ChannelController::kNever) {
        throw RuntimeError("dram: a full controller queue has no command to issue");
      }
    } while (!c.can_accept(is_write, 1));
    if (!c.finished().empty()) collect(0);
    now_ps_ = std::max(now_ps_, t * spec_.timing.tck_ps + 1);
    return;
  }
  while (!can_accept(address, is_write, bytes)) {
    const Picoseconds t = next_command_ps();
    if (t == kNever) throw RuntimeError("dram: a full controller queue has no command to issue");
    advance_to(std::max(t + 1, now_ps_ + 1));
  }
}

Picoseconds DramSystem::next_command_ps() {
  Picoseconds t = kNever;
  for (auto& ch : channels_) {
    if (!ch->has_work()) continue;
    t = std::min(t, ch->next_command_cycle() * spec_.timing.tck_ps);
  }
  return t;
}

Picoseconds DramSystem::next_event_ps() {
  if (outstanding_ == 0) return kNever;
  Picoseconds t = heap_.empty() ? kNever : heap_.front().done_ps;
  return std::min(t, next_command_ps());
}

Picoseconds DramSystem::drain() {
  for (;;) {
    const Picoseconds t = next_command_ps();
    if (t == kNever) break;
    advance_to(std::max(t + 1, now_ps_ + 1));
  }
  Picoseconds last = now_ps_;
  for (const Pending& p : heap_) last = std::max(last, p.done_ps);
  return last;
}

const ChannelStats& DramSystem::stats(std::uint32_t controller) const {
  return channels_.at(controller)->stats();
}

ChannelStats DramSystem::total_stats() const {
  ChannelStats t;
  for (const auto& ch : channels_) {
    const ChannelStats& s = ch->stats();
    t.reads += s.reads;
    t.writes += s.writes;
    t.row_hits += s.row_hits;
    t.row_misses += s.row_misses;
    t.row_conflicts += s.row_conflicts;
    t.activates += s.activates;
    t.precharges += s.precharges;
    t.refreshes += s.refreshes;
    t.refreshes_pb += s.refreshes_pb;
    t.refresh_busy_cycles += s.refresh_busy_cycles;
    t.bytes += s.bytes;
    t.latency_sum_cycles += s.latency_sum_cycles;
    t.decisions += s.decisions;
  }
  return t;
}

double DramSystem::energy_pj(Picoseconds at_ps) const {
  const EnergySpec& e = spec_.energy;
  const ChannelStats s = total_stats();
  // ACT and PRE are costed as a pair (IDD0 method); each ACT implies one PRE.
  double pj =
      e.act_pre_pj * static_cast<double>(s.activates) + e.read_pj * static_cast<double>(s.reads) +
      e.write_pj * static_cast<double>(s.writes) + e.refresh_pj * static_cast<double>(s.refreshes) +
      e.refresh_pb_pj * static_cast<double>(s.refreshes_pb);
  // 1 mW for 1 ps is 1e-3 pJ.
  pj += e.background_mw * 1e-3 * static_cast<double>(at_ps) *
        static_cast<double>(spec_.org.ranks * spec_.org.controllers());
  return pj;
}

const std::vector<CommandRecord>& DramSystem::command_log(std::uint32_t controller) const {
  return channels_.at(controller)->log();
}

}  // namespace tessera::dram
