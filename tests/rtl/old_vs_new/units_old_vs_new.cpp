// old-vs-new check (old_vs_new.sh): fp_units_top and round_top Verilated from two
// revisions of rtl/, driven with the same inputs; every output compared. Not part of the
// build: old_vs_new.sh compiles it against the two generated models.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "VroundN.h"
#include "VroundO.h"
#include "VunitsN.h"
#include "VunitsO.h"
#include "verilated.h"

namespace {

std::uint64_t state = 0x243F6A8885A308D3ull;
std::uint64_t rnd() {  // xorshift64: fixed, reproducible vectors
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

template <class T>
void tick(T& t) {
  t.clk = 1;
  t.eval();
  t.clk = 0;
  t.eval();
}

// A value near -a (a few ulps off), so the adders cancel: the cases of the sticky bit,
// renormalisation and an exact zero sum.
std::uint32_t near_negation(std::uint32_t a, std::uint32_t sign_bit, std::uint64_t r) {
  return (a ^ sign_bit) + static_cast<std::uint32_t>(r % 9) - 4;
}

struct Inputs {
  std::uint32_t a8, b8, a16, b16, a16b, b16b, a32, b32;
};

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t n_random = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10000000;
  VerilatedContext ctx_o, ctx_n, ctx_ro, ctx_rn;
  VunitsO o{&ctx_o};
  VunitsN n{&ctx_n};
  std::uint64_t bad = 0, cycle = 0;
  o.en = n.en = 1;
  o.clk = n.clk = 0;
  o.eval();
  n.eval();
  auto step = [&](const Inputs& in) {
    o.a_e4m3 = n.a_e4m3 = in.a8 & 0xFF;
    o.b_e4m3 = n.b_e4m3 = in.b8 & 0xFF;
    o.a_e5m2 = n.a_e5m2 = in.a8 & 0xFF;
    o.b_e5m2 = n.b_e5m2 = in.b8 & 0xFF;
    o.a_e5m10 = n.a_e5m10 = in.a16 & 0xFFFF;
    o.b_e5m10 = n.b_e5m10 = in.b16 & 0xFFFF;
    o.a_e8m7 = n.a_e8m7 = in.a16b & 0xFFFF;
    o.b_e8m7 = n.b_e8m7 = in.b16b & 0xFFFF;
    o.a_e8m23 = n.a_e8m23 = in.a32;
    o.b_e8m23 = n.b_e8m23 = in.b32;
    tick(o);
    tick(n);
    ++cycle;
    const std::uint64_t got_o[] = {o.sum_e4m3,  o.prod_e4m3,  o.sum_e5m2, o.prod_e5m2,
                                   o.sum_e5m10, o.prod_e5m10, o.sum_e8m7, o.prod_e8m7,
                                   o.sum_e8m23, o.prod_e8m23};
    const std::uint64_t got_n[] = {n.sum_e4m3,  n.prod_e4m3,  n.sum_e5m2, n.prod_e5m2,
                                   n.sum_e5m10, n.prod_e5m10, n.sum_e8m7, n.prod_e8m7,
                                   n.sum_e8m23, n.prod_e8m23};
    static const char* const names[] = {"sum_e4m3",  "prod_e4m3",  "sum_e5m2", "prod_e5m2",
                                        "sum_e5m10", "prod_e5m10", "sum_e8m7", "prod_e8m7",
                                        "sum_e8m23", "prod_e8m23"};
    for (int i = 0; i < 10; ++i) {
      if (got_o[i] != got_n[i] && bad++ < 10) {
        std::printf("mismatch %s at cycle %llu: old %llx new %llx\n", names[i],
                    static_cast<unsigned long long>(cycle),
                    static_cast<unsigned long long>(got_o[i]),
                    static_cast<unsigned long long>(got_n[i]));
      }
    }
  };
  auto wide = [&](std::uint64_t r, std::uint64_t q, Inputs& in) {
    in.a16 = r & 0xFFFF;
    in.b16 = (q & 1) ? near_negation(in.a16, 0x8000, q >> 1) : (r >> 16) & 0xFFFF;
    in.a16b = (r >> 32) & 0xFFFF;
    in.b16b = (q & 2) ? near_negation(in.a16b, 0x8000, q >> 3) : (r >> 48) & 0xFFFF;
    in.a32 = static_cast<std::uint32_t>(q >> 32);
    in.b32 =
        (q & 4) ? near_negation(in.a32, 0x80000000u, q >> 5) : static_cast<std::uint32_t>(rnd());
  };
  // Every 8-bit pair (E4M3 and E5M2 both see all of them); the wider formats random.
  for (std::uint32_t a = 0; a < 256; ++a) {
    for (std::uint32_t b = 0; b < 256; ++b) {
      Inputs in{a, b, 0, 0, 0, 0, 0, 0};
      wide(rnd(), rnd(), in);
      step(in);
    }
  }
  for (std::uint64_t i = 0; i < n_random; ++i) {
    const std::uint64_t r = rnd();
    Inputs in{static_cast<std::uint32_t>(r & 0xFF),
              static_cast<std::uint32_t>((r >> 8) & 0xFF),
              0,
              0,
              0,
              0,
              0,
              0};
    wide(r, rnd(), in);
    step(in);
  }
  std::printf("fp_add / fp_mul, 5 formats: %llu cycles, %llu mismatches\n",
              static_cast<unsigned long long>(cycle), static_cast<unsigned long long>(bad));

  VroundO ro{&ctx_ro};
  VroundN rn{&ctx_rn};
  std::uint64_t round_bad = 0;
  const std::uint64_t n_round = 3 * n_random;
  for (std::uint64_t i = 0; i < n_round; ++i) {
    const std::uint64_t r = rnd();
    const int width = static_cast<int>(rnd() % 65);  // small sigs hit subnormal results
    const std::uint64_t sig = width == 64 ? r : (r & ((1ull << width) - 1));
    const std::int32_t exp_lsb = static_cast<std::int32_t>(rnd() % 401) - 200;
    ro.sig = rn.sig = sig;
    ro.exp_lsb = rn.exp_lsb = static_cast<std::uint32_t>(exp_lsb);
    ro.sign = rn.sign = rnd() & 1;
    ro.eval();
    rn.eval();
    for (int w = 0; w < 4; ++w) {
      if (ro.res[w] != rn.res[w] && round_bad++ < 10) {
        std::printf("fp_round mismatch: sig %llx exp_lsb %d, result word %d: old %x new %x\n",
                    static_cast<unsigned long long>(sig), exp_lsb, w, ro.res[w], rn.res[w]);
      }
    }
  }
  std::printf("fp_round, 11 configurations: %llu vectors, %llu mismatches\n",
              static_cast<unsigned long long>(n_round), static_cast<unsigned long long>(round_bad));
  return (bad || round_bad) ? 1 : 0;
}
