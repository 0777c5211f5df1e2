// Bit-accurate models of rtl/fp_accum_step.v: summation of a stream of values of one
// format by one of seven methods. Every step of every compensated method is a real,
// correctly rounded fp_add / fp_sub of the format (the original A-PACE RTL used integer
// adds on bit patterns here; these do not). Method codes are the RTL's METHOD parameter.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "models/numerics/fp_format.h"

namespace tessera::numerics {

enum class AccumMethod : int {
  kNaive = 0,     // s += x
  kKahan = 1,     // Kahan 1965: y = x - c; t = s + y; c = (t - s) - y; s = t
  kNeumaier = 2,  // Kahan-Babuska-Neumaier 1974: Fast2Sum after a magnitude compare
  kTwoSum = 3,    // cascade of Knuth's 6-op TwoSum, errors summed apart (Ogita et al. Sum2)
  kFast2Sum = 4,  // Dekker's 3-op Fast2Sum without the compare (exact only if |s| >= |x|)
  kKlein = 5,     // Klein 2006, second-order iterative Kahan-Babuska
  kKulisch = 6,   // exact fixed-point register over the whole format, one final rounding
};
constexpr int kAccumMethodCount = 7;

const char* method_name(AccumMethod m);
// "naive", "kahan", "neumaier", "twosum", "fast2sum", "klein", "kulisch".
// Throws tessera::InputError naming `where` otherwise.
AccumMethod parse_method(const std::string& text, const std::string& where);

// Width in bits of the Kulisch register for a format: every finite value from the
// smallest subnormal to the largest finite value, 16 carry bits (2^16 additions
// cannot overflow) and a sign bit, two's complement.
int kulisch_bits(const FpFormat& f);
constexpr int kKulischCarryBits = 16;
constexpr int kKulischMaxWords = 8;  // formats with E <= 8 fit (e8m52: 8 words)

class Accumulator {
 public:
  Accumulator(const FpFormat& f, AccumMethod m);
  void clear();
  void add(std::uint64_t x);
  // The sum so far, rounded to the format (the RTL's `result` output).
  std::uint64_t result() const;

  const FpFormat& format() const { return f_; }
  AccumMethod method() const { return m_; }

 private:
  void kulisch_add(std::uint64_t x);
  std::uint64_t kulisch_round() const;

  FpFormat f_;
  AccumMethod m_;
  std::uint64_t s_ = 0, c_ = 0, cs_ = 0, ccs_ = 0;
  // Kulisch state: register words (little endian) and special-value flags.
  std::array<std::uint64_t, kKulischMaxWords> reg_{};
  int words_ = 0;
  bool saw_nan_ = false, saw_pos_inf_ = false, saw_neg_inf_ = false;
};

}  // namespace tessera::numerics
