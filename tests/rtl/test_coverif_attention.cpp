// Co-verification of attention_unit: four configurations in the Verilated attention_top
// (formats x methods x head dims x latencies; tests/rtl/tops/attention_top.v) against
// numerics::AttentionModel, bit for bit, with random gaps on in_valid and random
// back-pressure on out_ready. Directed rows first (one key; equal scores; increasing
// scores, so every key moves the running max; a -inf score), then seeded random rows
// of 1..12 keys (1..64 with --full, and 10x the rows) with occasional special values. A failing row
// prints its inputs, the expected and the got output and the cycle. Also checks the documented
// latency.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "Vattention_top.h"
#include "models/core/rng.h"
#include "models/numerics/attention_model.h"
#include "models/numerics/fp_arith.h"
#include "tests/rtl/coverif_options.h"
#include "tests/rtl/vbits.h"

namespace tessera::rtltest {
namespace {

using numerics::AccumMethod;
using numerics::AttentionConfig;
using numerics::DotReduce;
using numerics::FpFormat;

// The pins of one attention unit under its port prefix.
struct AttIo {
  std::function<void(bool valid, bool last, bool out_ready)> set_ctl;
  std::function<void(int lane, std::uint64_t q, std::uint64_t k, std::uint64_t v)> set_lane;
  std::function<bool()> in_ready, out_valid;
  std::function<std::uint64_t(int lane)> out_lane;
  std::function<void(bool clk, bool rst)> clock;  // sets clk / rst and evaluates
};

#define TESSERA_ATT_IO(top, P, SW, OW)                                                     \
  AttIo {                                                                                  \
    [&top](bool v, bool l, bool r) {                                                       \
      top.P##in_valid = v;                                                                 \
      top.P##in_last = l;                                                                  \
      top.P##out_ready = r;                                                                \
    },                                                                                     \
        [&top](int lane, std::uint64_t q, std::uint64_t k, std::uint64_t v) {              \
          put_bits(top.P##in_q, lane*(SW), (SW), q);                                       \
          put_bits(top.P##in_k, lane*(SW), (SW), k);                                       \
          put_bits(top.P##in_v, lane*(OW), (OW), v);                                       \
        },                                                                                 \
        [&top] { return top.P##in_ready != 0; }, [&top] { return top.P##out_valid != 0; }, \
        [&top](int lane) { return get_bits(top.P##out_o, lane * (OW), (OW)); },            \
        [&top](bool c, bool r) {                                                           \
          top.clk = c;                                                                     \
          top.rst = r;                                                                     \
          top.eval();                                                                      \
        }                                                                                  \
  }

struct AttCase {
  const char* name;
  AttentionConfig cfg;
  int mul_latency;
};

std::string hex_list(const std::vector<std::uint64_t>& v) {
  std::string s;
  char buf[24];
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s0x%llx", i ? " " : "", static_cast<unsigned long long>(v[i]));
    s += buf;
  }
  return s;
}

std::uint64_t draw(Rng& rng, const FpFormat& f, double half_width) {
  const std::uint64_t r = rng.below(400);
  if (r == 0) return f.inf(rng.below(2) != 0);
  if (r == 1) return f.nan();
  if (r < 12) {  // any finite bit pattern: subnormals, huge values, zeros
    std::uint64_t x = rng.next_u64() & f.mask();
    if (numerics::fp_exp_field(f, x) == f.exp_field_max()) x &= ~(std::uint64_t{1} << f.man_bits);
    return x;
  }
  return numerics::fp_from_double(f, (rng.uniform() * 2 - 1) * half_width);
}

struct Row {
  std::size_t keys = 0;
  std::vector<std::uint64_t> q, k, v, expected;
};

std::vector<Row> make_rows(const AttentionConfig& cfg, Rng& rng, int random_rows) {
  const std::size_t dim = static_cast<std::size_t>(cfg.head_dim);
  const FpFormat& sf = cfg.score_format;
  const FpFormat& of = cfg.out_format;
  std::vector<Row> rows;
  auto add = [&](std::size_t keys, const std::function<void(Row&)>& fill) {
    Row r;
    r.keys = keys;
    r.q.assign(dim, 0);
    r.k.assign(keys * dim, 0);
    r.v.assign(keys * dim, 0);
    fill(r);
    rows.push_back(std::move(r));
  };
  auto rand_v = [&](Row& r) {
    for (auto& x : r.v) x = numerics::fp_from_double(of, rng.uniform() * 2 - 1);
  };
  // One key: the output is v (p = 1, l = 1).
  add(1, [&](Row& r) {
    for (auto& x : r.q) x = numerics::fp_from_double(sf, rng.uniform());
    for (auto& x : r.k) x = numerics::fp_from_double(sf, rng.uniform());
    rand_v(r);
  });
  // Equal scores (q = 0): every p is exactly 1; the output is the mean of the v rows.
  add(7, rand_v);
  // Increasing scores: every key moves the running max and rescales the accumulators.
  add(6, [&](Row& r) {
    r.q[0] = numerics::fp_from_double(sf, 1.0);
    for (std::size_t j = 0; j < 6; ++j) {
      r.k[j * dim] = numerics::fp_from_double(sf, 0.5 * static_cast<double>(j));
    }
    rand_v(r);
  });
  // A -inf score (a masked key) between finite ones: its weight is exp(-inf) = 0.
  add(3, [&](Row& r) {
    r.q[0] = numerics::fp_from_double(sf, 1.0);
    r.k[0] = numerics::fp_from_double(sf, 0.25);
    r.k[dim] = sf.inf(true);
    r.k[2 * dim] = numerics::fp_from_double(sf, -0.5);
    rand_v(r);
  });
  for (int i = 0; i < random_rows; ++i) {
    add(1 + rng.below(options().full ? 64 : 12), [&](Row& r) {
      for (auto& x : r.q) x = draw(rng, sf, 2.0);
      for (auto& x : r.k) x = draw(rng, sf, 2.0);
      for (auto& x : r.v) x = draw(rng, of, 1.0);
    });
  }
  numerics::AttentionModel model(cfg);
  for (auto& r : rows) r.expected = model.run(r.q.data(), r.k.data(), r.v.data(), r.keys);
  return rows;
}

// Drives the rows through one unit; `steady` keeps in_valid and out_ready high (for the
// latency check) instead of random gaps and back-pressure.
void run_attention(const AttCase& c, AttIo io, std::uint64_t seed, int random_rows, bool steady) {
  Rng rng(seed);
  const std::vector<Row> rows = make_rows(c.cfg, rng, random_rows);
  const int dim = c.cfg.head_dim;
  io.clock(false, true);
  io.clock(true, true);
  io.clock(false, false);
  std::size_t feed_row = 0, feed_key = 0, done = 0;
  int failures = 0;
  std::uint64_t last_accept_cycle = 0;
  const std::uint64_t limit = 400 * rows.size() + 200;
  for (std::uint64_t cycle = 0; done < rows.size() && cycle < limit && failures < 5; ++cycle) {
    const bool valid = feed_row < rows.size() && (steady || rng.below(5) != 0);
    const bool ready = steady || rng.below(3) != 0;
    bool last = false;
    if (feed_row < rows.size()) {
      const Row& r = rows[feed_row];
      last = feed_key + 1 == r.keys;
      for (int l = 0; l < dim; ++l) {
        const std::size_t i =
            feed_key * static_cast<std::size_t>(dim) + static_cast<std::size_t>(l);
        io.set_lane(l, r.q[static_cast<std::size_t>(l)], r.k[i], r.v[i]);
      }
    }
    io.set_ctl(valid, last, ready);
    io.clock(false, false);
    const bool accepted = valid && io.in_ready();
    if (io.out_valid() && ready) {
      const Row& r = rows[done];
      std::vector<std::uint64_t> got(static_cast<std::size_t>(dim));
      for (int l = 0; l < dim; ++l) got[static_cast<std::size_t>(l)] = io.out_lane(l);
      if (got != r.expected) {
        ++failures;
        ADD_FAILURE() << c.name << " row " << done << " (" << r.keys << " keys) cycle " << cycle
                      << ": q=[" << hex_list(r.q) << "] k=[" << hex_list(r.k) << "] v=["
                      << hex_list(r.v) << "] expected [" << hex_list(r.expected) << "] got ["
                      << hex_list(got) << "]";
      }
      if (steady) {
        EXPECT_EQ(cycle - last_accept_cycle, static_cast<std::uint64_t>(c.mul_latency + 4))
            << c.name << " row " << done << ": latency from the last key's accepting edge";
      }
      ++done;
    }
    io.clock(true, false);
    if (accepted) {
      if (last) last_accept_cycle = cycle;
      if (++feed_key == rows[feed_row].keys) {
        feed_key = 0;
        ++feed_row;
      }
    }
  }
  EXPECT_EQ(done, rows.size()) << c.name << ": results missing";
  EXPECT_EQ(failures, 0);
}

AttentionConfig make_cfg(int dim, FpFormat s, DotReduce sr, AccumMethod sm, FpFormat p,
                         AccumMethod pm, FpFormat o, AccumMethod om) {
  AttentionConfig c;
  c.head_dim = dim;
  c.score_format = s;
  c.score_reduce = sr;
  c.score_method = sm;
  c.softmax_format = p;
  c.softmax_method = pm;
  c.out_format = o;
  c.out_method = om;
  return c;
}

const AttCase kCases[4] = {
    {"a0 d4 e4m3/e5m10/e5m10",
     make_cfg(4, {4, 3}, DotReduce::kTree, AccumMethod::kNaive, {5, 10}, AccumMethod::kKahan,
              {5, 10}, AccumMethod::kNeumaier),
     1},
    {"a1 d2 e5m10/e8m7/e8m7",
     make_cfg(2, {5, 10}, DotReduce::kSequential, AccumMethod::kTwoSum, {8, 7},
              AccumMethod::kKulisch, {8, 7}, AccumMethod::kKlein),
     0},
    {"a2 d2 e8m23/e8m23/e8m23",
     make_cfg(2, {8, 23}, DotReduce::kTree, AccumMethod::kFast2Sum, {8, 23}, AccumMethod::kNaive,
              {8, 23}, AccumMethod::kKulisch),
     2},
    {"a3 d4 e5m2/e4m3/e4m3",
     make_cfg(4, {5, 2}, DotReduce::kSequential, AccumMethod::kKlein, {4, 3},
              AccumMethod::kNeumaier, {4, 3}, AccumMethod::kKulisch),
     0},
};

TEST(CoverifAttention, Matrix) {
  Vattention_top top;
  const AttIo ios[4] = {TESSERA_ATT_IO(top, a0_, 8, 16), TESSERA_ATT_IO(top, a1_, 16, 16),
                        TESSERA_ATT_IO(top, a2_, 32, 32), TESSERA_ATT_IO(top, a3_, 8, 8)};
  // The units share clk / rst; each run drives one while the others idle.
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE(kCases[i].name);
    run_attention(kCases[i], ios[i], options().seed + 30 + static_cast<std::uint64_t>(i),
                  vectors(150), false);
  }
}

TEST(CoverifAttention, LatencyIsMulLatencyPlusFour) {
  Vattention_top top;
  const AttIo ios[4] = {TESSERA_ATT_IO(top, a0_, 8, 16), TESSERA_ATT_IO(top, a1_, 16, 16),
                        TESSERA_ATT_IO(top, a2_, 32, 32), TESSERA_ATT_IO(top, a3_, 8, 8)};
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE(kCases[i].name);
    run_attention(kCases[i], ios[i], options().seed + 40 + static_cast<std::uint64_t>(i), 10, true);
  }
}

}  // namespace
}  // namespace tessera::rtltest
