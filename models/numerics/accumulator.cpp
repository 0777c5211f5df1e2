#include "models/numerics/accumulator.h"

#include <fmt/format.h>

#include "models/core/error.h"
#include "models/numerics/fp_arith.h"

namespace tessera::numerics {
namespace {

constexpr const char* kNames[kAccumMethodCount] = {"naive",    "kahan", "neumaier", "twosum",
                                                   "fast2sum", "klein", "kulisch"};

// Fast2Sum error of t = a + b after ordering by magnitude: (big - t) + small.
std::uint64_t ordered_error(const FpFormat& f, std::uint64_t a, std::uint64_t b, std::uint64_t t) {
  return fp_abs_ge(f, a, b) ? fp_add(f, fp_sub(f, a, t), b) : fp_add(f, fp_sub(f, b, t), a);
}

}  // namespace

const char* method_name(AccumMethod m) {
  return kNames[static_cast<int>(m)];
}

AccumMethod parse_method(const std::string& text, const std::string& where) {
  for (int i = 0; i < kAccumMethodCount; ++i) {
    if (text == kNames[i]) return static_cast<AccumMethod>(i);
  }
  throw InputError(fmt::format(
      "{}: expected an accumulation method (naive, kahan, neumaier, twosum, fast2sum, klein, "
      "kulisch), found '{}'",
      where, text));
}

int kulisch_bits(const FpFormat& f) {
  // Finite magnitudes span 2^(emin - M) .. 2^(emax + 1): emax - emin + M + 1 bits, which
  // equals (2^E - 2) + M.
  return (f.exp_field_max() - 1) + f.man_bits + kKulischCarryBits + 1;
}

Accumulator::Accumulator(const FpFormat& f, AccumMethod m) : f_(f), m_(m) {
  if (m_ == AccumMethod::kKulisch) {
    words_ = (kulisch_bits(f_) + 63) / 64;
    if (words_ > kKulischMaxWords) {
      throw InputError(fmt::format(
          "accumulator: expected a format with at most {} Kulisch register bits, found {} ({} "
          "bits)",
          kKulischMaxWords * 64, f_.name(), kulisch_bits(f_)));
    }
  }
  clear();
}

void Accumulator::clear() {
  s_ = c_ = cs_ = ccs_ = 0;
  reg_.fill(0);
  saw_nan_ = saw_pos_inf_ = saw_neg_inf_ = false;
}

void Accumulator::add(std::uint64_t x) {
  const FpFormat& f = f_;
  switch (m_) {
    case AccumMethod::kNaive:
      s_ = fp_add(f, s_, x);
      break;
    case AccumMethod::kKahan: {
      const std::uint64_t y = fp_sub(f, x, c_);
      const std::uint64_t t = fp_add(f, s_, y);
      c_ = fp_sub(f, fp_sub(f, t, s_), y);
      s_ = t;
      break;
    }
    case AccumMethod::kNeumaier: {
      const std::uint64_t t = fp_add(f, s_, x);
      c_ = fp_add(f, c_, ordered_error(f, s_, x, t));
      s_ = t;
      break;
    }
    case AccumMethod::kTwoSum: {
      const std::uint64_t t = fp_add(f, s_, x);
      const std::uint64_t bp = fp_sub(f, t, s_);
      const std::uint64_t ap = fp_sub(f, t, bp);
      const std::uint64_t e = fp_add(f, fp_sub(f, s_, ap), fp_sub(f, x, bp));
      c_ = fp_add(f, c_, e);
      s_ = t;
      break;
    }
    case AccumMethod::kFast2Sum: {
      const std::uint64_t t = fp_add(f, s_, x);
      c_ = fp_add(f, c_, fp_sub(f, x, fp_sub(f, t, s_)));
      s_ = t;
      break;
    }
    case AccumMethod::kKlein: {
      const std::uint64_t t = fp_add(f, s_, x);
      const std::uint64_t c = ordered_error(f, s_, x, t);
      s_ = t;
      const std::uint64_t t2 = fp_add(f, cs_, c);
      const std::uint64_t cc = ordered_error(f, cs_, c, t2);
      cs_ = t2;
      ccs_ = fp_add(f, ccs_, cc);
      break;
    }
    case AccumMethod::kKulisch:
      kulisch_add(x);
      break;
  }
}

std::uint64_t Accumulator::result() const {
  switch (m_) {
    case AccumMethod::kNaive:
    case AccumMethod::kKahan:
      return s_;
    case AccumMethod::kNeumaier:
    case AccumMethod::kTwoSum:
    case AccumMethod::kFast2Sum:
      return fp_add(f_, s_, c_);
    case AccumMethod::kKlein:
      return fp_add(f_, s_, fp_add(f_, cs_, ccs_));
    case AccumMethod::kKulisch:
      return kulisch_round();
  }
  return s_;
}

void Accumulator::kulisch_add(std::uint64_t x) {
  if (fp_is_nan(f_, x)) {
    saw_nan_ = true;
    return;
  }
  if (fp_is_inf(f_, x)) {
    (fp_sign(f_, x) ? saw_neg_inf_ : saw_pos_inf_) = true;
    return;
  }
  // x = sig * 2^(exp_eff - bias - M); the register's LSB weighs 2^(1 - bias - M), so the
  // significand goes in shifted left by exp_eff - 1.
  const int e = fp_exp_field(f_, x);
  const std::uint64_t sig =
      e == 0 ? fp_man_field(f_, x) : (fp_man_field(f_, x) | (std::uint64_t{1} << f_.man_bits));
  const int shift = (e == 0 ? 1 : e) - 1;
  std::array<std::uint64_t, kKulischMaxWords + 1> term{};
  const int w = shift / 64, b = shift % 64;
  term[w] = sig << b;
  if (b != 0) term[w + 1] = sig >> (64 - b);
  if (fp_sign(f_, x)) {  // two's complement negate over the register's words
    unsigned carry = 1;
    for (int i = 0; i < words_; ++i) {
      const std::uint64_t v = ~term[i] + carry;
      carry = (carry != 0 && v == 0) ? 1 : 0;
      term[i] = v;
    }
  }
  unsigned carry = 0;
  for (int i = 0; i < words_; ++i) {
    const std::uint64_t s1 = reg_[i] + term[i];
    const unsigned c1 = s1 < reg_[i] ? 1 : 0;
    const std::uint64_t s2 = s1 + carry;
    const unsigned c2 = s2 < s1 ? 1 : 0;
    reg_[i] = s2;
    carry = c1 | c2;
  }
  // Bits above kulisch_bits are sign copies in the RTL's narrower register; keep them so.
  const int top_bits = kulisch_bits(f_) - 64 * (words_ - 1);
  if (top_bits < 64) {
    const std::uint64_t top_mask = (std::uint64_t{1} << top_bits) - 1;
    const bool neg = ((reg_[words_ - 1] >> (top_bits - 1)) & 1) != 0;
    reg_[words_ - 1] = neg ? (reg_[words_ - 1] | ~top_mask) : (reg_[words_ - 1] & top_mask);
  }
}

std::uint64_t Accumulator::kulisch_round() const {
  if (saw_nan_ || (saw_pos_inf_ && saw_neg_inf_)) return f_.nan();
  if (saw_pos_inf_ || saw_neg_inf_) return f_.inf(saw_neg_inf_);
  std::array<std::uint64_t, kKulischMaxWords> mag = reg_;
  const bool negative = (mag[words_ - 1] >> 63) != 0;
  if (negative) {
    unsigned carry = 1;
    for (int i = 0; i < words_; ++i) {
      const std::uint64_t v = ~mag[i] + carry;
      carry = (carry != 0 && v == 0) ? 1 : 0;
      mag[i] = v;
    }
  }
  int msb = -1;
  for (int i = words_ - 1; i >= 0 && msb < 0; --i) {
    if (mag[i] != 0) msb = 64 * i + 63 - __builtin_clzll(mag[i]);
  }
  const int lsb_exp = 1 - f_.bias() - f_.man_bits;
  if (msb < 0) return 0;  // an exact zero sum is +0
  // Take a 120-bit window under the leading one; the bits below it only matter as a
  // sticky bit, folded into the window's LSB (the rounding point is >= 60 bits higher).
  const int low = msb >= 119 ? msb - 119 : 0;
  U128 window = 0;
  bool sticky = false;
  for (int bit = msb; bit >= 0; --bit) {
    const bool v = ((mag[bit / 64] >> (bit % 64)) & 1) != 0;
    if (bit >= low) {
      window = (window << 1) | (v ? 1 : 0);
    } else if (v) {
      sticky = true;
      break;
    }
  }
  if (sticky) window |= 1;
  return fp_round_pack(f_, negative, window, lsb_exp + low);
}

}  // namespace tessera::numerics
