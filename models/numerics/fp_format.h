// A binary floating-point format with E exponent bits and M stored mantissa bits,
// held as its bit pattern in the low 1 + E + M bits of a uint64_t.
//
// Every format follows IEEE 754 conventions: bias 2^(E-1) - 1, exponent field 0 holds
// zeros and subnormals, the all-ones exponent field holds infinities (mantissa 0) and
// NaNs (mantissa != 0). OCP's E4M3FN variant (no infinities, max 448) is NOT modelled:
// E4M3 here has infinities and a largest finite value of 240.
#pragma once

#include <cstdint>
#include <string>

namespace tessera::numerics {

struct FpFormat {
  int exp_bits = 8;   // E, 2..11
  int man_bits = 23;  // M, 1..52

  int width() const { return 1 + exp_bits + man_bits; }
  int bias() const { return (1 << (exp_bits - 1)) - 1; }
  int exp_field_max() const { return (1 << exp_bits) - 1; }  // the all-ones field
  int emin() const { return 1 - bias(); }                    // smallest normal exponent
  int emax() const { return exp_field_max() - 1 - bias(); }  // largest finite exponent
  std::uint64_t mask() const {
    return width() >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width()) - 1;
  }
  std::uint64_t sign_bit() const { return std::uint64_t{1} << (exp_bits + man_bits); }
  std::uint64_t man_mask() const { return (std::uint64_t{1} << man_bits) - 1; }
  // Canonical quiet NaN: sign 0, all-ones exponent, mantissa MSB set.
  std::uint64_t nan() const {
    return (std::uint64_t(exp_field_max()) << man_bits) | (std::uint64_t{1} << (man_bits - 1));
  }
  std::uint64_t inf(bool negative) const {
    return (negative ? sign_bit() : 0) | (std::uint64_t(exp_field_max()) << man_bits);
  }
  // "e4m3", "E8M23": the name used in configs and reports.
  std::string name() const;

  bool operator==(const FpFormat& o) const {
    return exp_bits == o.exp_bits && man_bits == o.man_bits;
  }
};

// Parses "e4m3" (any case) or the aliases fp8-e4m3, fp8-e5m2, fp16, bf16, fp32.
// Throws tessera::InputError naming `where` when the text is not a supported format.
FpFormat parse_format(const std::string& text, const std::string& where);

// Field accessors.
inline bool fp_sign(const FpFormat& f, std::uint64_t x) {
  return (x & f.sign_bit()) != 0;
}
inline int fp_exp_field(const FpFormat& f, std::uint64_t x) {
  return static_cast<int>((x >> f.man_bits) & std::uint64_t(f.exp_field_max()));
}
inline std::uint64_t fp_man_field(const FpFormat& f, std::uint64_t x) {
  return x & f.man_mask();
}
inline bool fp_is_nan(const FpFormat& f, std::uint64_t x) {
  return fp_exp_field(f, x) == f.exp_field_max() && fp_man_field(f, x) != 0;
}
inline bool fp_is_inf(const FpFormat& f, std::uint64_t x) {
  return fp_exp_field(f, x) == f.exp_field_max() && fp_man_field(f, x) == 0;
}
inline bool fp_is_zero(const FpFormat& f, std::uint64_t x) {
  return (x & ~f.sign_bit()) == 0;
}
inline std::uint64_t fp_abs(const FpFormat& f, std::uint64_t x) {
  return x & ~f.sign_bit();
}
inline std::uint64_t fp_neg(const FpFormat& f, std::uint64_t x) {
  return x ^ f.sign_bit();
}

}  // namespace tessera::numerics
