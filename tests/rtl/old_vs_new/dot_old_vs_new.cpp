// old-vs-new check (old_vs_new.sh): the 16-lane E4M3 dot unit (the Vdot_e4m3_l16
// configuration) Verilated from two revisions of rtl/, driven with the same random beats,
// valid / last / ready patterns; in_ready, out_valid and out_result compared every cycle.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "VdotN.h"
#include "VdotO.h"
#include "verilated.h"

namespace {

std::uint64_t state = 88172645463325252ull;
std::uint64_t rnd() {  // xorshift64
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

// E4M3 nearest-even of x, |x| < 1 (no overflow): operands like tessera-rtl-bench's.
std::uint32_t e4m3(double x) {
  const std::uint32_t sign = x < 0 ? 0x80 : 0;
  x = std::fabs(x);
  if (x == 0) return sign;
  int e = 0;
  std::frexp(x, &e);  // x in [2^(e-1), 2^e)
  int lead = e - 1;
  if (lead < -6) lead = -6;  // subnormal weight
  std::uint32_t sig = static_cast<std::uint32_t>(std::nearbyint(std::ldexp(x, 3 - lead)));
  if (sig >= 16) {
    sig >>= 1;
    ++lead;
  }
  const std::uint32_t field = sig >= 8 ? static_cast<std::uint32_t>(lead + 7) : 0;
  return sign | (field << 3) | (sig & 7);
}

std::uint32_t operand() {
  static const std::uint32_t special[] = {0x00, 0x80, 0x78, 0xF8, 0x7C, 0x7F, 0x77,
                                          0xF7, 0x01, 0x81, 0x07, 0x08, 0x3F, 0x40};
  const std::uint64_t r = rnd() % 100;
  if (r < 50) return e4m3(static_cast<double>(rnd() >> 11) * 0x1.0p-52 - 1.0);
  if (r < 85) return rnd() & 0xFF;
  return special[rnd() % (sizeof special / sizeof special[0])];
}

template <class T>
void drive(T& t, std::uint32_t valid, std::uint32_t last, std::uint32_t ready,
           const std::uint32_t* a, const std::uint32_t* b) {
  t.in_valid = valid;
  t.in_last = last;
  t.out_ready = ready;
  for (int w = 0; w < 4; ++w) {
    t.in_a[w] = a[w];
    t.in_b[w] = b[w];
  }
}

template <class T>
void tick(T& t) {
  t.clk = 1;
  t.eval();
  t.clk = 0;
  t.eval();
}

template <class T>
void reset(T& t) {
  const std::uint32_t zero[4] = {0, 0, 0, 0};
  drive(t, 0, 0, 1, zero, zero);
  t.rst = 1;
  t.clk = 0;
  t.eval();
  tick(t);
  tick(t);
  t.rst = 0;
  t.eval();
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t cycles = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  VerilatedContext ctx_o, ctx_n;
  VdotO o{&ctx_o};
  VdotN n{&ctx_n};
  reset(o);
  reset(n);
  std::uint64_t results = 0, bad = 0;
  for (std::uint64_t c = 0; c < cycles; ++c) {
    std::uint32_t a[4], b[4];
    for (int w = 0; w < 4; ++w) {
      a[w] = b[w] = 0;
      for (int l = 0; l < 4; ++l) {
        a[w] |= operand() << (8 * l);
        b[w] |= operand() << (8 * l);
      }
    }
    const std::uint32_t valid = rnd() % 8 != 0, ready = rnd() % 5 != 0, last = rnd() % 4 == 0;
    drive(o, valid, last, ready, a, b);
    drive(n, valid, last, ready, a, b);
    tick(o);
    tick(n);
    if (o.out_valid && ready) ++results;
    if ((o.in_ready != n.in_ready || o.out_valid != n.out_valid || o.out_result != n.out_result) &&
        bad++ < 10) {
      std::printf(
          "mismatch at cycle %llu: old valid %u result %02x ready %u, new valid %u "
          "result %02x ready %u\n",
          static_cast<unsigned long long>(c), o.out_valid, o.out_result, o.in_ready, n.out_valid,
          n.out_result, n.in_ready);
    }
  }
  std::printf("dot_unit E4M3 x16: %llu cycles, %llu results, %llu mismatches\n",
              static_cast<unsigned long long>(cycles), static_cast<unsigned long long>(results),
              static_cast<unsigned long long>(bad));
  return bad ? 1 : 0;
}
