#include "models/tlm/cache_module.h"

#include <algorithm>
#include <array>
#include <utility>

namespace tessera::tlm_platform {

using sc_core::sc_time;

namespace {
Picoseconds stamp_ps() {
  return sc_core::sc_time_stamp().value();
}
// The kernel runs at 1 ps resolution (checked by run_timed): a time value is
// picoseconds, and from_value skips the floating-point conversion.
sc_time ps(Picoseconds t) {
  return sc_time::from_value(t);
}

std::uint32_t ring_mask_for(std::uint32_t outstanding) {
  std::uint32_t size = 1;
  while (size < 2 * outstanding + 2) size <<= 1;
  return size - 1;
}
}  // namespace

CacheModule::CacheModule(sc_core::sc_module_name name, const config::PlatformConfig& platform,
                         platform::SharedCacheCore& core, const dram::AddressMapping& mapping,
                         PayloadPool& pool, platform::RunRecord& record)
    : CacheModule(name, platform, &core, nullptr, mapping, pool, record) {}

CacheModule::CacheModule(sc_core::sc_module_name name, const config::PlatformConfig& platform,
                         platform::LineCacheCore& lines, const dram::AddressMapping& mapping,
                         PayloadPool& pool, platform::RunRecord& record)
    : CacheModule(name, platform, nullptr, &lines, mapping, pool, record) {}

CacheModule::CacheModule(sc_core::sc_module_name name, const config::PlatformConfig& platform,
                         platform::SharedCacheCore* core, platform::LineCacheCore* lines,
                         const dram::AddressMapping& mapping, PayloadPool& pool,
                         platform::RunRecord& record)
    : sc_module(name),
      in("in"),
      dram("dram"),
      core_(core),
      lines_(lines),
      mapping_(mapping),
      pool_(pool),
      record_(record),
      banks_(platform.cache.banks),
      burst_bytes_(platform.interconnect.burst_bytes),
      period_ps_(platform.clock_period_ps()),
      hit_latency_(ps(platform.cache.hit_latency_cycles * period_ps_)),
      hit_latency_ps_(platform.cache.hit_latency_cycles * period_ps_),
      single_controller_(record.channels.size() <= 1),
      bank_free_ps_(platform.cache.banks, 0),
      responses_(platform.cache.banks),
      ring_mask_(ring_mask_for(platform.tiles.max_outstanding)),
      decisions_(platform.tiles.count, std::vector<Decision>(ring_mask_ + 1)) {
  in.register_nb_transport_fw(this, &CacheModule::nb_transport_fw);
  in.register_b_transport(this, &CacheModule::b_transport);
  dram.register_nb_transport_bw(this, &CacheModule::dram_bw);
}

CacheModule::Decision CacheModule::decide(tlm::tlm_generic_payload& p, MemExt& e, Picoseconds now,
                                          bool lt) {
  if (e.lookup != kNoLookup) {
    const platform::LookupResult& r = core_->decide_through(
        e.lookup, [&](const platform::Segment& s, const platform::LookupResult& decided) {
          on_decided(s, decided, now, lt);
        });
    return {e.segment, r.hit, r.bypass};
  }
  // Arrival order: the first burst of this tile's segment asks the core.
  Decision& d = decisions_[e.tile][e.segment & ring_mask_];
  if (d.segment == e.segment) return d;
  const bool write = p.is_write();
  const platform::LookupResult r =
      core_->lookup(e.tensor_id, e.access_address, e.access_bytes, write);
  d = {e.segment, r.hit, r.bypass};
  platform::Segment s;
  s.address = e.segment_address;
  s.bytes = e.segment_bytes;
  s.access_address = e.access_address;
  s.access_bytes = e.access_bytes;
  s.tensor_id = e.tensor_id;
  s.write = write;
  on_decided(s, r, now, lt);
  return d;
}

void CacheModule::on_decided(const platform::Segment& seg, const platform::LookupResult& r,
                             Picoseconds now, bool lt) {
  platform::CacheStats& s = record_.cache;
  ++s.lookups;
  if (r.hit) ++s.lookup_hits;
  if (r.bypass) ++s.bypasses;
  if (!r.hit && !r.bypass) {
    Bytes fetched =
        0;  // of r.fill_bytes, what the tiles' own read bursts and the lines below cover
    if (!seg.write) {
      // The rest of the access the core just inserted (other tiles' parts).
      background(seg.access_address, seg.address - seg.access_address, false, now, lt);
      const std::uint64_t seg_end = seg.address + seg.bytes;
      background(seg_end, seg.access_address + seg.access_bytes - seg_end, false, now, lt);
      fetched = seg.access_bytes;
    }
    // The core inserts the tensor's whole extent (the most of it any access has
    // touched, models/cache/tensor_cache.h), so it also reads what lies beyond this
    // access; without these reads the timed DRAM traffic would fall short of the
    // functional cache's bytes_read_from_dram.
    if (r.fill_bytes > fetched) {
      background(seg.access_address + seg.access_bytes, r.fill_bytes - fetched, false, now, lt);
    }
  }
  if (r.writeback_bytes > 0) {
    s.writeback_bytes += r.writeback_bytes;
    background(r.writeback_address, r.writeback_bytes, true, now, lt);
  }
}

void CacheModule::count(const tlm::tlm_generic_payload& p, const Decision& d) {
  platform::CacheStats& s = record_.cache;
  const Bytes n = p.get_data_length();
  if (p.is_write()) {
    if (d.hit)
      ++s.write_hits, s.write_hit_bytes += n;
    else
      ++s.write_misses, s.write_miss_bytes += n;
    if (d.bypass) s.bypass_write_bytes += n;
  } else {
    if (d.hit)
      ++s.read_hits, s.read_hit_bytes += n;
    else
      ++s.read_misses, s.read_miss_bytes += n;
  }
}

void CacheModule::line_burst(tlm::tlm_generic_payload& p, const MemExt& e, Picoseconds now,
                             bool lt) {
  platform::CacheStats& s = record_.cache;
  const Bytes line = lines_->line_bytes();
  lines_->decide_through(e.lookup,
                         [&](std::uint8_t flags, std::uint64_t writeback_address, bool writeback) {
                           ++s.lookups;
                           if (flags & platform::LineLookup::kHit) ++s.lookup_hits;
                           if (flags & platform::LineLookup::kBypass) ++s.bypasses;
                           if (writeback) {
                             s.writeback_bytes += line;
                             background(writeback_address, line, true, now, lt);
                           }
                         });
  const bool write = p.is_write();
  const std::uint64_t address = p.get_address();
  const std::uint64_t end = address + p.get_data_length();
  const Bytes granule = lines_->granule_bytes();
  const std::uint8_t* flags = lines_->burst_flags(e.lookup, e.segment_address, address);
  const std::uint32_t n = lines_->burst_lines(address, p.get_data_length());
  dram_parts_.clear();
  Bytes hit_bytes = 0, miss_bytes = 0;
  for (std::uint32_t j = 0; j < n; ++j) {
    const std::uint64_t g = lines_->granule_address(address, j);
    const std::uint64_t lo = std::max(g, address);
    const Bytes part = std::min(g + granule, end) - lo;
    if (flags[j] & platform::LineLookup::kHit) {
      hit_bytes += part;
      continue;
    }
    miss_bytes += part;
    if (!write) {
      // The whole line, in burst-sized DRAM requests.
      const std::uint64_t line_start = g / line * line;
      for (std::uint64_t a = line_start; a < line_start + line;) {
        const std::uint64_t next =
            std::min((a / burst_bytes_ + 1) * burst_bytes_, line_start + line);
        dram_parts_.push_back({a, static_cast<unsigned>(next - a), false});
        a = next;
      }
    } else if (flags[j] & platform::LineLookup::kBypass) {
      // Not allocated: this part of the write goes to DRAM.
      dram_parts_.push_back({lo, static_cast<unsigned>(part), true});
      s.bypass_write_bytes += part;
    }
  }
  if (write) {
    if (miss_bytes == 0)
      ++s.write_hits;
    else
      ++s.write_misses;
    s.write_hit_bytes += hit_bytes;
    s.write_miss_bytes += miss_bytes;
  } else {
    if (miss_bytes == 0)
      ++s.read_hits;
    else
      ++s.read_misses;
    s.read_hit_bytes += hit_bytes;
    s.read_miss_bytes += miss_bytes;
  }
}

void CacheModule::background(std::uint64_t address, Bytes bytes, bool write, Picoseconds now,
                             bool lt) {
  const std::uint64_t stop = address + bytes;
  while (address < stop) {
    const std::uint64_t next = std::min((address / burst_bytes_ + 1) * burst_bytes_, stop);
    const auto length = static_cast<unsigned>(next - address);
    if (!write) record_.cache.fill_bytes += length;
    if (lt) {
      tlm::tlm_generic_payload* f = pool_.acquire();
      prepare(*f, write, address, length);
      ++record_.transactions;
      sc_time delay = ps(now - stamp_ps());
      const Picoseconds issue = now;
      dram->b_transport(*f, delay);
      record_dram(address, length, write, stamp_ps() + delay.value() - issue);
      f->release();
    } else {
      dram_request(address, length, write, nullptr, now);
    }
    address = next;
  }
}

template <class Fn>
void CacheModule::for_each_channel(std::uint64_t address, unsigned length, Fn fn) {
  if (single_controller_) {
    fn(record_.channels[0], length);
    return;
  }
  // Bytes per controller over the request's DRAM bursts, first touched first.
  // A request is at most a cache line, a few bursts; should one ever touch more
  // controllers than this holds, each full batch is credited as one request.
  std::array<std::pair<std::uint32_t, unsigned>, 16> touched;
  std::size_t n = 0;
  const std::uint64_t burst = std::uint64_t{1} << mapping_.offset_bits();
  const std::uint64_t stop = address + length;
  while (address < stop) {
    const std::uint64_t next = std::min((address / burst + 1) * burst, stop);
    const std::uint32_t c = mapping_.controller_of(address);
    std::size_t i = 0;
    while (i < n && touched[i].first != c) ++i;
    if (i == touched.size()) {
      for (std::size_t k = 0; k < n; ++k) fn(record_.channels[touched[k].first], touched[k].second);
      n = i = 0;
    }
    if (i == n) touched[n++] = {c, 0};
    touched[i].second += static_cast<unsigned>(next - address);
    address = next;
  }
  for (std::size_t k = 0; k < n; ++k) fn(record_.channels[touched[k].first], touched[k].second);
}

void CacheModule::record_dram(std::uint64_t address, unsigned length, bool write,
                              Picoseconds latency_ps) {
  for_each_channel(address, length, [&](platform::DramChannelRecord& ch, unsigned bytes) {
    ch.latency.add(latency_ps);
    (write ? ch.write_bytes : ch.read_bytes) += bytes;
    ++ch.requests;
  });
}

// ---- AT -------------------------------------------------------------------

tlm::tlm_sync_enum CacheModule::nb_transport_fw(int id, tlm::tlm_generic_payload& p,
                                                tlm::tlm_phase& phase, sc_time& delay) {
  const auto bank = static_cast<std::uint32_t>(id);
  if (phase == tlm::BEGIN_REQ) {
    const Picoseconds now = stamp_ps();
    const Picoseconds arrival = now + delay.value();
    const Picoseconds start = std::max(arrival, bank_free_ps_[bank]);
    bank_free_ps_[bank] = start + period_ps_;  // one lookup per bank per cycle
    MemExt& e = *PayloadPool::ext(p);
    e.bank = bank;
    const Picoseconds ready = start + hit_latency_ps_;
    bool to_dram;
    if (lines_ != nullptr) {
      line_burst(p, e, start, false);
      to_dram = !dram_parts_.empty();
      // Every request counted before the first is sent: the response waits for all.
      e.fills_pending = static_cast<std::uint32_t>(dram_parts_.size());
      for (const DramPart& d : dram_parts_) dram_request(d.address, d.length, d.write, &p, ready);
    } else {
      const Decision d = decide(p, e, start, false);
      count(p, d);
      to_dram = p.is_write() ? d.bypass : !d.hit;
      if (to_dram) {
        e.fills_pending = 1;
        dram_request(p.get_address(), p.get_data_length(), p.is_write(), &p, ready);
      }
    }
    if (to_dram) {
      phase = tlm::END_REQ;
      delay = sc_core::SC_ZERO_TIME;
    } else {
      // Answered on the return path: BEGIN_RESP (implying END_REQ) at the
      // end of the tag check.
      p.set_response_status(tlm::TLM_OK_RESPONSE);
      phase = tlm::BEGIN_RESP;
      delay = ps(ready - now);
    }
    return tlm::TLM_UPDATED;
  }
  if (phase == tlm::END_RESP) {
    responses_[bank].busy = false;
    if (!responses_[bank].queue.empty()) {
      tlm::tlm_generic_payload* next = responses_[bank].queue.front();
      responses_[bank].queue.pop_front();
      send_response(bank, *next);
    }
    return tlm::TLM_COMPLETED;
  }
  return tlm::TLM_ACCEPTED;
}

void CacheModule::respond(std::uint32_t bank, tlm::tlm_generic_payload& p) {
  if (responses_[bank].busy) {
    responses_[bank].queue.push_back(&p);
  } else {
    send_response(bank, p);
  }
}

void CacheModule::send_response(std::uint32_t bank, tlm::tlm_generic_payload& p) {
  p.set_response_status(tlm::TLM_OK_RESPONSE);
  tlm::tlm_phase phase = tlm::BEGIN_RESP;
  sc_time delay = sc_core::SC_ZERO_TIME;
  const tlm::tlm_sync_enum status = in[static_cast<int>(bank)]->nb_transport_bw(p, phase, delay);
  responses_[bank].busy =
      !(status == tlm::TLM_COMPLETED || (status == tlm::TLM_UPDATED && phase == tlm::END_RESP));
}

void CacheModule::dram_request(std::uint64_t address, unsigned length, bool write,
                               tlm::tlm_generic_payload* parent, Picoseconds ready_ps) {
  tlm::tlm_generic_payload* f = pool_.acquire();
  prepare(*f, write, address, length);
  MemExt& e = *PayloadPool::ext(*f);
  e.from_tile = false;
  e.parent = parent;
  e.ready_ps = ready_ps;
  ++record_.transactions;
  if (parent != nullptr && !write) {
    record_.cache.fill_bytes += length;
    if (misses_outstanding_++ == 0) record_.cache_misses.begin(ready_ps);
  }
  if (dram_awaiting_end_req_ == nullptr && dram_queue_.empty()) {
    dram_send(*f);
  } else {
    dram_queue_.push_back(f);
  }
}

void CacheModule::dram_send(tlm::tlm_generic_payload& f) {
  MemExt& e = *PayloadPool::ext(f);
  const Picoseconds now = stamp_ps();
  // Requests reach DRAM in FIFO order, never earlier than the one before
  // (a background fill is ready sooner than a demand miss queued ahead of it).
  const Picoseconds at = std::max({now, e.ready_ps, dram_last_request_ps_});
  dram_last_request_ps_ = at;
  e.issue_ps = at;
  for_each_channel(f.get_address(), f.get_data_length(),
                   [at](platform::DramChannelRecord& ch, unsigned) { ch.busy.begin(at); });
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_time delay = ps(at - now);
  const tlm::tlm_sync_enum status = dram->nb_transport_fw(f, phase, delay);
  if (status == tlm::TLM_ACCEPTED) {
    dram_awaiting_end_req_ = &f;
  } else if (status == tlm::TLM_COMPLETED ||
             (status == tlm::TLM_UPDATED && phase == tlm::BEGIN_RESP)) {
    dram_done(f);
  }
}

void CacheModule::dram_send_next() {
  while (dram_awaiting_end_req_ == nullptr && !dram_queue_.empty()) {
    tlm::tlm_generic_payload* f = dram_queue_.front();
    dram_queue_.pop_front();
    dram_send(*f);
  }
}

tlm::tlm_sync_enum CacheModule::dram_bw(tlm::tlm_generic_payload& p, tlm::tlm_phase& phase,
                                        sc_time& delay) {
  if (phase == tlm::END_REQ || phase == tlm::BEGIN_RESP) {
    if (&p == dram_awaiting_end_req_) {
      dram_awaiting_end_req_ = nullptr;
      dram_send_next();
    }
  }
  if (phase == tlm::BEGIN_RESP) {
    // The response counts from its annotated time (base protocol timing annotation).
    if (delay == sc_core::SC_ZERO_TIME) {
      dram_done(p);
    } else {
      dram_responses_.notify(p, phase, delay);
    }
    return tlm::TLM_COMPLETED;
  }
  return tlm::TLM_ACCEPTED;
}

void CacheModule::dram_response_due(tlm::tlm_generic_payload& p, const tlm::tlm_phase&) {
  dram_done(p);
}

void CacheModule::dram_done(tlm::tlm_generic_payload& f) {
  const Picoseconds now = stamp_ps();
  MemExt& e = *PayloadPool::ext(f);
  record_dram(f.get_address(), f.get_data_length(), f.is_write(), now - e.issue_ps);
  for_each_channel(f.get_address(), f.get_data_length(),
                   [now](platform::DramChannelRecord& ch, unsigned) { ch.busy.end(now); });
  if (e.parent != nullptr) {
    if (!f.is_write() && --misses_outstanding_ == 0) record_.cache_misses.end(now);
    MemExt& pe = *PayloadPool::ext(*e.parent);
    if (--pe.fills_pending == 0) respond(pe.bank, *e.parent);
  }
  f.release();
}

// ---- LT -------------------------------------------------------------------

void CacheModule::b_transport(int, tlm::tlm_generic_payload& p, sc_time& delay) {
  MemExt& e = *PayloadPool::ext(p);
  const Picoseconds now = stamp_ps() + delay.value();
  if (lines_ != nullptr) {
    line_burst(p, e, now, true);
    // The burst's DRAM requests leave together after the tag check (as in AT)
    // and it is answered when the last is back.
    const sc_time start = delay + hit_latency_;
    delay = start;
    for (const DramPart& d : dram_parts_) {
      sc_time part = start;
      lt_dram(d.address, d.length, d.write, part);
      delay = std::max(delay, part);
    }
  } else {
    const Decision d = decide(p, e, now, true);
    count(p, d);
    delay += hit_latency_;
    if (p.is_write() ? d.bypass : !d.hit) {
      lt_dram(p.get_address(), p.get_data_length(), p.is_write(), delay);
    }
  }
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

void CacheModule::lt_dram(std::uint64_t address, unsigned length, bool write, sc_time& delay) {
  tlm::tlm_generic_payload* f = pool_.acquire();
  prepare(*f, write, address, length);
  ++record_.transactions;
  if (!write) record_.cache.fill_bytes += length;
  const sc_time before = delay;
  dram->b_transport(*f, delay);
  record_dram(address, length, write, (delay - before).value());
  f->release();
}

}  // namespace tessera::tlm_platform
