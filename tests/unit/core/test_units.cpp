#include <gtest/gtest.h>

#include "models/core/rng.h"
#include "models/core/units.h"

namespace tessera {
namespace {

TEST(Units, ParsesSizes) {
  EXPECT_EQ(parse_bytes("4096"), 4096u);
  EXPECT_EQ(parse_bytes("64KiB"), 65536u);
  EXPECT_EQ(parse_bytes("2MiB"), 2u * 1024 * 1024);
  EXPECT_EQ(parse_bytes("1.5MiB"), 1572864u);
  EXPECT_EQ(parse_bytes("64KB"), 64000u);
  EXPECT_EQ(parse_bytes("1GiB"), 1073741824u);
  EXPECT_FALSE(parse_bytes("64XB"));
  EXPECT_FALSE(parse_bytes("-1"));
  EXPECT_FALSE(parse_bytes("0.5"));
  EXPECT_FALSE(parse_bytes(""));
}

TEST(Units, ParsesTimesAndFrequencies) {
  EXPECT_EQ(parse_time_ps("10ns"), 10000u);
  EXPECT_EQ(parse_time_ps("1.5us"), 1500000u);
  EXPECT_EQ(parse_time_ps("312ps"), 312u);
  EXPECT_FALSE(parse_time_ps("10"));  // a time needs a unit
  EXPECT_EQ(parse_frequency_hz("1.5GHz"), 1500000000u);
  EXPECT_EQ(parse_frequency_hz("800MHz"), 800000000u);
  EXPECT_FALSE(parse_frequency_hz("0GHz"));
  EXPECT_EQ(period_ps(1'600'000'000), 625u);
  EXPECT_EQ(period_ps(3'200'000'000), 313u);  // 312.5 rounds half up
}

TEST(Units, FormatsForDisplay) {
  EXPECT_EQ(format_bytes(65536), "64 KiB");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(10), "10 B");
  EXPECT_EQ(format_time_ps(1500), "1.5 ns");
}

TEST(Rng, IsDeterministicAndBounded) {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a.next_u64();
    EXPECT_EQ(x, b.next_u64());
    differs = differs || x != c.next_u64();
  }
  EXPECT_TRUE(differs);
  Rng r(7);
  std::uint64_t counts[5] = {};
  for (int i = 0; i < 50000; ++i) {
    const auto v = r.below(5);
    ASSERT_LT(v, 5u);
    ++counts[v];
  }
  for (auto n : counts) EXPECT_NEAR(static_cast<double>(n), 10000.0, 500.0);
  for (int i = 0; i < 1000; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
}

}  // namespace
}  // namespace tessera
