// Co-verification of fp_add / fp_mul: the Verilated fp_units_top (five formats; adders
// with 2 pipeline stages, multipliers with 1) against numerics::fp_add / fp_mul, bit for
// bit, every cycle, with the pipeline enable toggled at random. Directed vectors (every
// pair of each format's edge values) first, then random ones (half uniform bit patterns,
// half close in magnitude so subtraction cancels).
#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "Vfp_units_top.h"
#include "models/core/rng.h"
#include "models/numerics/fp_arith.h"
#include "tests/rtl/coverif_options.h"
#include "tests/rtl/vbits.h"

namespace tessera::rtltest {
namespace {

using numerics::FpFormat;

// One unit's expected pipeline: DEPTH stages that advance when en is high.
struct PipeModel {
  std::vector<std::uint64_t> stages;
  std::vector<std::string> inputs;  // the operands that produced each stage's value
  void push(std::uint64_t v, std::string in) {
    for (std::size_t i = stages.size(); i-- > 1;) {
      stages[i] = stages[i - 1];
      inputs[i] = inputs[i - 1];
    }
    stages[0] = v;
    inputs[0] = std::move(in);
  }
};

struct Lane {
  FpFormat f;
  PipeModel add{std::vector<std::uint64_t>(2, 0), std::vector<std::string>(2)};
  PipeModel mul{std::vector<std::uint64_t>(1, 0), std::vector<std::string>(1)};
  std::uint64_t a = 0, b = 0;
};

std::vector<std::uint64_t> edges(const FpFormat& f) {
  const std::uint64_t one = std::uint64_t(f.bias()) << f.man_bits;
  const std::uint64_t min_normal = std::uint64_t{1} << f.man_bits;
  std::vector<std::uint64_t> v = {
      0, 1, min_normal - 1, min_normal, one, one + 1, f.inf(false) - 1, f.inf(false), f.nan() | 1};
  const std::size_t n = v.size();
  for (std::size_t i = 0; i < n; ++i) v.push_back(fp_neg(f, v[i]));
  return v;
}

TEST(CoverifFp, AddMulAllFormats) {
  Vfp_units_top top;
  Lane lanes[5] = {
      {FpFormat{4, 3}}, {FpFormat{5, 2}}, {FpFormat{5, 10}}, {FpFormat{8, 7}}, {FpFormat{8, 23}}};
  Rng rng(options().seed);
  // Directed pairs: every pair of edge values (same count for all formats: 18 x 18).
  std::vector<std::pair<int, int>> directed;
  for (int i = 0; i < 18; ++i)
    for (int j = 0; j < 18; ++j) directed.emplace_back(i, j);
  const int random_cycles = vectors(20000);
  const int total = static_cast<int>(directed.size()) + random_cycles;
  int failures = 0;
  top.clk = 0;
  top.en = 0;
  top.eval();
  for (int cycle = 0; cycle < total + 4 && failures < 5; ++cycle) {
    const bool en = cycle < static_cast<int>(directed.size()) || rng.below(4) != 0;
    for (Lane& l : lanes) {
      if (cycle < static_cast<int>(directed.size())) {
        const auto e = edges(l.f);
        l.a = e[static_cast<std::size_t>(directed[static_cast<std::size_t>(cycle)].first)];
        l.b = e[static_cast<std::size_t>(directed[static_cast<std::size_t>(cycle)].second)];
      } else {
        l.a = rng.next_u64() & l.f.mask();
        l.b = rng.next_u64() & l.f.mask();
        if (rng.below(2) == 0) {
          const int keep =
              static_cast<int>(rng.below(static_cast<std::uint64_t>(l.f.man_bits) + 2));
          const std::uint64_t low = (std::uint64_t{1} << keep) - 1;
          l.b = ((l.a & ~low) | (l.b & low)) ^ (l.b & l.f.sign_bit());
        }
      }
    }
    top.a_e4m3 = lanes[0].a;
    top.b_e4m3 = lanes[0].b;
    top.a_e5m2 = lanes[1].a;
    top.b_e5m2 = lanes[1].b;
    top.a_e5m10 = lanes[2].a;
    top.b_e5m10 = lanes[2].b;
    top.a_e8m7 = lanes[3].a;
    top.b_e8m7 = lanes[3].b;
    top.a_e8m23 = static_cast<std::uint32_t>(lanes[4].a);
    top.b_e8m23 = static_cast<std::uint32_t>(lanes[4].b);
    top.en = en ? 1 : 0;
    top.eval();
    top.clk = 1;
    top.eval();
    top.clk = 0;
    top.eval();
    const std::uint64_t sums[5] = {top.sum_e4m3, top.sum_e5m2, top.sum_e5m10, top.sum_e8m7,
                                   top.sum_e8m23};
    const std::uint64_t prods[5] = {top.prod_e4m3, top.prod_e5m2, top.prod_e5m10, top.prod_e8m7,
                                    top.prod_e8m23};
    for (int i = 0; i < 5; ++i) {
      Lane& l = lanes[i];
      if (en) {
        char in[96];
        std::snprintf(in, sizeof in, "a=0x%llx b=0x%llx", static_cast<unsigned long long>(l.a),
                      static_cast<unsigned long long>(l.b));
        l.add.push(numerics::fp_add(l.f, l.a, l.b), in);
        l.mul.push(numerics::fp_mul(l.f, l.a, l.b), in);
      }
      if (cycle < 2) continue;  // pipeline registers not yet filled
      if (sums[i] != l.add.stages.back()) {
        ++failures;
        ADD_FAILURE() << "fp_add " << l.f.name() << " cycle " << cycle << ": inputs "
                      << l.add.inputs.back() << std::hex << " expected 0x" << l.add.stages.back()
                      << " got 0x" << sums[i];
      }
      if (prods[i] != l.mul.stages.back()) {
        ++failures;
        ADD_FAILURE() << "fp_mul " << l.f.name() << " cycle " << cycle << ": inputs "
                      << l.mul.inputs.back() << std::hex << " expected 0x" << l.mul.stages.back()
                      << " got 0x" << prods[i];
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace tessera::rtltest
