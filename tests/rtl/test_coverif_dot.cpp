// Co-verification of dot_unit: six configurations in the Verilated dot_matrix_top plus
// the standalone 16-lane E4M3 unit of tessera_rtl_models, each against numerics::DotModel,
// bit for bit, with random gaps on in_valid and random back-pressure on out_ready.
// Results must come out in order, one per dot product, none lost or duplicated.
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "Vdot_e4m3_l16.h"
#include "Vdot_matrix_top.h"
#include "models/core/rng.h"
#include "models/numerics/dot_model.h"
#include "models/numerics/fp_arith.h"
#include "tests/rtl/coverif_options.h"
#include "tests/rtl/vbits.h"

namespace tessera::rtltest {
namespace {

using numerics::AccumMethod;
using numerics::DotReduce;
using numerics::FpFormat;

// The pins of one dot unit, whatever model and port prefix it lives under.
struct DotIo {
  std::function<void(bool valid, bool last, bool out_ready)> set_ctl;
  std::function<void(int lane, std::uint64_t a, std::uint64_t b)> set_lane;
  std::function<bool()> in_ready, out_valid;
  std::function<std::uint64_t()> out_result;
  std::function<void(bool clk, bool rst)> clock;  // sets clk / rst and evaluates
};

#define TESSERA_DOT_IO(top, P, W)                                                                  \
  DotIo {                                                                                          \
    [&top](bool v, bool l, bool r) {                                                               \
      top.P##in_valid = v;                                                                         \
      top.P##in_last = l;                                                                          \
      top.P##out_ready = r;                                                                        \
    },                                                                                             \
        [&top](int lane, std::uint64_t a, std::uint64_t b) {                                       \
          put_bits(top.P##in_a, lane*(W), (W), a);                                                 \
          put_bits(top.P##in_b, lane*(W), (W), b);                                                 \
        },                                                                                         \
        [&top] { return top.P##in_ready != 0; }, [&top] { return top.P##out_valid != 0; },         \
        [&top] { return static_cast<std::uint64_t>(top.P##out_result); }, [&top](bool c, bool r) { \
          top.clk = c;                                                                             \
          top.rst = r;                                                                             \
          top.eval();                                                                              \
        }                                                                                          \
  }

struct DotConfig {
  const char* name;
  FpFormat f;
  int lanes;
  DotReduce reduce;
  AccumMethod method;
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

std::uint64_t draw(Rng& rng, const FpFormat& f) {
  const std::uint64_t r = rng.below(200);
  if (r == 0) return f.inf(rng.below(2) != 0);
  if (r == 1) return f.nan();
  if (r < 20) {
    std::uint64_t x = rng.next_u64() & f.mask();
    if (numerics::fp_exp_field(f, x) == f.exp_field_max()) x &= ~(std::uint64_t{1} << f.man_bits);
    return x;
  }
  return numerics::fp_from_double(f, (rng.uniform() * 2 - 1) * 4);
}

struct Job {
  std::vector<std::uint64_t> a, b;  // whole beats (zero-padded)
  std::uint64_t expected;
};

void run_dot(const DotConfig& cfg, DotIo io, std::uint64_t seed, int jobs_count) {
  Rng rng(seed);
  numerics::DotModel model(cfg.f, cfg.lanes, cfg.reduce, cfg.method);
  std::vector<Job> jobs;
  const std::size_t lanes = static_cast<std::size_t>(cfg.lanes);
  for (int j = 0; j < jobs_count; ++j) {
    const std::size_t beats = 1 + rng.below(4);
    const std::size_t k = beats * lanes - rng.below(lanes);  // last beat partly padded
    Job job;
    job.a.assign(beats * lanes, 0);
    job.b.assign(beats * lanes, 0);
    for (std::size_t i = 0; i < k; ++i) {
      job.a[i] = draw(rng, cfg.f);
      job.b[i] = draw(rng, cfg.f);
    }
    if (j == 0) {  // directed: x * 1 and -x * 1 cancel exactly
      for (std::size_t i = 0; i < beats * lanes; ++i) {
        job.a[i] = i % 2 ? numerics::fp_neg(cfg.f, job.a[i - 1]) : job.a[i];
        job.b[i] = numerics::fp_from_double(cfg.f, 1.0);
      }
    }
    job.expected = model.dot(job.a.data(), job.b.data(), job.a.size());
    jobs.push_back(std::move(job));
  }
  io.clock(false, true);
  io.clock(true, true);
  io.clock(false, false);
  std::size_t feed_job = 0, feed_beat = 0, done = 0;
  int failures = 0;
  const std::uint64_t limit = 20 * static_cast<std::uint64_t>(jobs_count) * 4 + 100;
  for (std::uint64_t cycle = 0; done < jobs.size() && cycle < limit && failures < 5; ++cycle) {
    const bool valid = feed_job < jobs.size() && rng.below(5) != 0;
    const bool ready = rng.below(3) != 0;
    bool last = false;
    if (feed_job < jobs.size()) {
      const Job& job = jobs[feed_job];
      last = (feed_beat + 1) * lanes == job.a.size();
      for (std::size_t l = 0; l < lanes; ++l) {
        io.set_lane(static_cast<int>(l), job.a[feed_beat * lanes + l],
                    job.b[feed_beat * lanes + l]);
      }
    }
    io.set_ctl(valid, last, ready);
    io.clock(false, false);
    const bool accepted = valid && io.in_ready();
    if (io.out_valid() && ready) {
      const std::uint64_t got = io.out_result();
      const Job& job = jobs[done];
      if (got != job.expected) {
        ++failures;
        ADD_FAILURE() << cfg.name << " dot product " << done << " cycle " << cycle << ": a=["
                      << hex_list(job.a) << "] b=[" << hex_list(job.b) << "]" << std::hex
                      << " expected 0x" << job.expected << " got 0x" << got;
      }
      ++done;
    }
    io.clock(true, false);
    if (accepted && ++feed_beat * lanes == jobs[feed_job].a.size()) {
      feed_beat = 0;
      ++feed_job;
    }
  }
  EXPECT_EQ(done, jobs.size()) << cfg.name << ": results missing";
  EXPECT_EQ(failures, 0);
}

TEST(CoverifDot, Matrix) {
  Vdot_matrix_top top;
  const DotConfig cfgs[6] = {
      {"d0 e5m10 l4 seq kahan", FpFormat{5, 10}, 4, DotReduce::kSequential, AccumMethod::kKahan},
      {"d1 e8m7 l8 tree kulisch", FpFormat{8, 7}, 8, DotReduce::kTree, AccumMethod::kKulisch},
      {"d2 e4m3 l4 seq klein", FpFormat{4, 3}, 4, DotReduce::kSequential, AccumMethod::kKlein},
      {"d3 e8m23 l2 seq twosum", FpFormat{8, 23}, 2, DotReduce::kSequential, AccumMethod::kTwoSum},
      {"d4 e5m2 l4 tree fast2sum", FpFormat{5, 2}, 4, DotReduce::kTree, AccumMethod::kFast2Sum},
      {"d5 e5m10 l2 tree neumaier", FpFormat{5, 10}, 2, DotReduce::kTree, AccumMethod::kNeumaier},
  };
  const DotIo ios[6] = {TESSERA_DOT_IO(top, d0_, 16), TESSERA_DOT_IO(top, d1_, 16),
                        TESSERA_DOT_IO(top, d2_, 8),  TESSERA_DOT_IO(top, d3_, 32),
                        TESSERA_DOT_IO(top, d4_, 8),  TESSERA_DOT_IO(top, d5_, 16)};
  // The units share clk / rst; each run drives one while the others idle.
  for (int i = 0; i < 6; ++i) {
    SCOPED_TRACE(cfgs[i].name);
    run_dot(cfgs[i], ios[i], options().seed + 10 + static_cast<std::uint64_t>(i), vectors(400));
  }
}

TEST(CoverifDot, E4M3Lanes16TreeNaive) {
  Vdot_e4m3_l16 top;
  const DotConfig cfg{"e4m3 l16 tree naive", FpFormat{4, 3}, 16, DotReduce::kTree,
                      AccumMethod::kNaive};
  run_dot(cfg, TESSERA_DOT_IO(top, , 8), options().seed + 20, vectors(1000));
}

}  // namespace
}  // namespace tessera::rtltest
