// Co-verification of fp_accum: the Verilated accum_top (7 methods x E4M3, E5M10, E8M23)
// against numerics::Accumulator, bit for bit after every clock. Directed streams first
// (the hand-worked fp16 case of tests/unit/numerics, cancellation, infinities and NaN),
// then random streams of random lengths with random clears and idle cycles.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "Vaccum_top.h"
#include "models/core/rng.h"
#include "models/numerics/accumulator.h"
#include "models/numerics/fp_arith.h"
#include "tests/rtl/coverif_options.h"
#include "tests/rtl/vbits.h"

namespace tessera::rtltest {
namespace {

using numerics::AccumMethod;
using numerics::FpFormat;

struct FormatLane {
  FpFormat f;
  std::vector<numerics::Accumulator> accs;
  std::vector<std::uint64_t> history;  // inputs since the last clear, for failure reports
};

std::string hex_list(const std::vector<std::uint64_t>& v) {
  std::string s;
  char buf[24];
  for (std::size_t i = 0; i < v.size() && i < 64; ++i) {
    std::snprintf(buf, sizeof buf, "%s0x%llx", i ? " " : "", static_cast<unsigned long long>(v[i]));
    s += buf;
  }
  if (v.size() > 64) s += " ...";
  return s;
}

// Draws a value of the format: mostly finite values around 1 of both signs (so the
// compensated terms are busy), sometimes large or tiny, rarely inf/NaN.
std::uint64_t draw(Rng& rng, const FpFormat& f) {
  const std::uint64_t r = rng.below(100);
  if (r < 2) return rng.below(2) ? f.inf(rng.below(2) != 0) : f.nan();
  if (r < 12) {
    std::uint64_t x = rng.next_u64() & f.mask();
    if (numerics::fp_exp_field(f, x) == f.exp_field_max()) x &= ~(std::uint64_t{1} << f.man_bits);
    return x;
  }
  const double scale = r < 20 ? 64.0 : 1.0;
  return numerics::fp_from_double(f, (rng.uniform() * 2 - 1) * scale);
}

TEST(CoverifAccum, AllMethodsThreeFormats) {
  Vaccum_top top;
  std::vector<FormatLane> lanes = {
      {FpFormat{4, 3}, {}, {}}, {FpFormat{5, 10}, {}, {}}, {FpFormat{8, 23}, {}, {}}};
  for (auto& l : lanes) {
    for (int m = 0; m < numerics::kAccumMethodCount; ++m)
      l.accs.emplace_back(l.f, static_cast<AccumMethod>(m));
  }
  // Directed streams (as doubles, converted per format); each starts with a clear.
  const std::vector<std::vector<double>> directed = {
      {2048, 1, 1, 1, 1},   // fp16 lost-bits case: naive 2048, compensated 2052
      {1, 4096, -4096},     // Fast2Sum needs |s| >= |x|
      {1e30, 1, -1e30, 3},  // cancellation of a huge term
      {0.1, 0.2, 0.3, -0.6, 1e-3},
      {HUGE_VAL, 1},          // +inf
      {HUGE_VAL, -HUGE_VAL},  // NaN
      {-0.0, -0.0},           // signed zeros
  };
  Rng rng(options().seed + 100);
  top.rst = 1;
  top.clk = 0;
  top.eval();
  top.clk = 1;
  top.eval();
  top.clk = 0;
  top.rst = 0;
  int failures = 0;
  std::size_t d = 0, pos = 0;
  const int random_cycles = vectors(20000);
  for (int cycle = 0; cycle < random_cycles && failures < 5; ++cycle) {
    bool clear = false, valid = false;
    double directed_value = 0;
    if (d < directed.size()) {
      if (pos == 0) {
        clear = true;
        pos = 1;
      } else {
        valid = true;
        directed_value = directed[d][pos - 1];
        if (++pos > directed[d].size()) {
          ++d;
          pos = 0;
        }
      }
    } else {
      clear = rng.below(40) == 0;
      valid = rng.below(5) != 0;
    }
    top.clear = clear;
    top.in_valid = valid;
    std::uint64_t xs[3];
    for (std::size_t i = 0; i < 3; ++i) {
      xs[i] = d < directed.size() ? numerics::fp_from_double(lanes[i].f, directed_value)
                                  : draw(rng, lanes[i].f);
    }
    top.x_e4m3 = static_cast<CData>(xs[0]);
    top.x_e5m10 = static_cast<SData>(xs[1]);
    top.x_e8m23 = static_cast<IData>(xs[2]);
    top.eval();
    top.clk = 1;
    top.eval();
    top.clk = 0;
    top.eval();
    for (std::size_t i = 0; i < 3; ++i) {
      FormatLane& l = lanes[i];
      if (clear) {
        for (auto& a : l.accs) a.clear();
        l.history.clear();
      } else if (valid) {
        for (auto& a : l.accs) a.add(xs[i]);
        l.history.push_back(xs[i]);
      }
      const int w = l.f.width();
      for (int m = 0; m < numerics::kAccumMethodCount; ++m) {
        std::uint64_t got = 0;
        if (i == 0) got = get_bits(top.res_e4m3, m * w, w);
        if (i == 1) got = get_bits(top.res_e5m10, m * w, w);
        if (i == 2) got = get_bits(top.res_e8m23, m * w, w);
        const std::uint64_t want = l.accs[static_cast<std::size_t>(m)].result();
        if (got != want) {
          ++failures;
          ADD_FAILURE() << "fp_accum " << l.f.name() << " "
                        << numerics::method_name(static_cast<AccumMethod>(m)) << " cycle " << cycle
                        << ": inputs since clear [" << hex_list(l.history) << "]" << std::hex
                        << " expected 0x" << want << " got 0x" << got;
        }
      }
    }
  }
  EXPECT_EQ(d, directed.size());
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace tessera::rtltest
