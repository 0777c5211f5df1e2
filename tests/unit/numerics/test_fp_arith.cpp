// Hand-worked cases of fp_add / fp_mul / conversions in small formats.
#include <gtest/gtest.h>

#include "models/numerics/fp_arith.h"

namespace tessera::numerics {
namespace {

const FpFormat kE4M3{4, 3};  // bias 7, 1.0 = 0 0111 000 = 0x38

TEST(FpArith, FormatFields) {
  EXPECT_EQ(kE4M3.bias(), 7);
  EXPECT_EQ(kE4M3.emin(), -6);
  EXPECT_EQ(kE4M3.emax(), 7);
  // Largest finite E4M3: 0 1110 111 = 1.875 * 2^7 = 240.
  EXPECT_EQ(fp_to_double(kE4M3, 0x77), 240.0);
  // Smallest subnormal: 0 0000 001 = 2^-6 * 1/8 = 2^-9.
  EXPECT_EQ(fp_to_double(kE4M3, 0x01), 0x1p-9);
  EXPECT_EQ(parse_format("fp16", "x"), (FpFormat{5, 10}));
  EXPECT_EQ(parse_format("E8M7", "x"), (FpFormat{8, 7}));
  EXPECT_THROW(parse_format("e1m3", "x"), std::exception);
  EXPECT_EQ(kE4M3.name(), "e4m3");
}

TEST(FpArith, TiesRoundToEven) {
  // 1 + 1/16: halfway between 1.0 (mantissa 000) and 1.125 (001) -> the even 1.0.
  const std::uint64_t one = 0x38, sixteenth = fp_from_double(kE4M3, 0.0625);
  EXPECT_EQ(fp_to_double(kE4M3, sixteenth), 0.0625);
  EXPECT_EQ(fp_add(kE4M3, one, sixteenth), 0x38u);
  // 1.125 + 1/16 = 1.1875: halfway between 1.125 (001) and 1.25 (010) -> 1.25 = 0x3A.
  EXPECT_EQ(fp_add(kE4M3, 0x39, sixteenth), 0x3Au);
  // 1.125 * 1.125 = 1.265625; neighbours 1.25 and 1.375, below halfway -> 1.25.
  EXPECT_EQ(fp_mul(kE4M3, 0x39, 0x39), 0x3Au);
}

TEST(FpArith, SubnormalsAndOverflow) {
  // 2^-6 (min normal 0x08) * 0.5 (0x30) = 2^-7: subnormal 0 0000 100 = 0x04.
  EXPECT_EQ(fp_mul(kE4M3, 0x08, 0x30), 0x04u);
  // 2^-9 * 0.5 = 2^-10: a tie between 0 and 2^-9 -> even, +0.
  EXPECT_EQ(fp_mul(kE4M3, 0x01, 0x30), 0x00u);
  // 0x03 (3 * 2^-9) * 0.5 = 1.5 * 2^-9: tie between 1 and 2 (x 2^-9) -> 2 = 0x02.
  EXPECT_EQ(fp_mul(kE4M3, 0x03, 0x30), 0x02u);
  // 240 + 240 overflows to +inf (0 1111 000 = 0x78); -240 * 2 to -inf.
  EXPECT_EQ(fp_add(kE4M3, 0x77, 0x77), 0x78u);
  EXPECT_EQ(fp_mul(kE4M3, 0xF7, 0x40), 0xF8u);
  // 240 + 8: 248 is halfway to 256 (=inf boundary) -> rounds to even, i.e. to inf.
  EXPECT_EQ(fp_add(kE4M3, 0x77, fp_from_double(kE4M3, 8.0)), 0x78u);
  // 240 + 4 = 244 rounds back to 240.
  EXPECT_EQ(fp_add(kE4M3, 0x77, fp_from_double(kE4M3, 4.0)), 0x77u);
}

TEST(FpArith, SpecialValues) {
  const std::uint64_t inf = 0x78, ninf = 0xF8, nan = kE4M3.nan();
  EXPECT_EQ(nan, 0x7Cu);
  EXPECT_EQ(fp_add(kE4M3, inf, ninf), nan);
  EXPECT_EQ(fp_mul(kE4M3, inf, 0x80), nan);  // inf * -0
  EXPECT_EQ(fp_add(kE4M3, inf, 0x38), inf);
  EXPECT_EQ(fp_mul(kE4M3, ninf, 0xB8), inf);    // -inf * -1
  EXPECT_EQ(fp_add(kE4M3, 0x7F, 0x38), nan);    // NaN payloads become the canonical NaN
  EXPECT_EQ(fp_add(kE4M3, 0x38, 0xB8), 0x00u);  // 1 + -1 = +0
  EXPECT_EQ(fp_add(kE4M3, 0x80, 0x80), 0x80u);  // -0 + -0 = -0
  EXPECT_EQ(fp_add(kE4M3, 0x80, 0x00), 0x00u);  // -0 + +0 = +0
  EXPECT_EQ(fp_mul(kE4M3, 0x80, 0x38), 0x80u);  // -0 * 1 = -0
}

TEST(FpArith, DoubleRoundTrip) {
  const FpFormat f{5, 10};
  for (std::uint64_t x = 0; x < 0x10000; ++x) {
    if (fp_is_nan(f, x)) continue;
    ASSERT_EQ(fp_from_double(f, fp_to_double(f, x)), x);
  }
}

}  // namespace
}  // namespace tessera::numerics
