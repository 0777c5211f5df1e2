#include <gtest/gtest.h>

#include <stdexcept>

#include "sim/support/table.h"

namespace tessera::cli {
namespace {

TEST(Table, AlignsColumnsUnderHeaders) {
  Table t({{"kind"}, {"events", Table::kRight}, {"flops", Table::kRight}});
  t.add_row({"gemm", "12", "1,536"});
  t.add_row({"layernorm", "3", "0"});
  // Widths: kind = 9 ("layernorm"), events = 6 (header), flops = 5 (both).
  EXPECT_EQ(t.render(),
            "kind       events  flops\n"
            "---------  ------  -----\n"
            "gemm           12  1,536\n"
            "layernorm       3      0\n");
}

TEST(Table, NoTrailingSpacesOnLeftAlignedLastColumn) {
  Table t({{"a", Table::kRight}, {"name"}});
  t.add_row({"1", "x"});
  t.add_row({"22", "longer"});
  EXPECT_EQ(t.render(),
            " a  name\n"
            "--  ------\n"
            " 1  x\n"
            "22  longer\n");
}

TEST(Table, EmptyTablePrintsHeaderAndRule) {
  Table t({{"metric"}, {"value", Table::kRight}});
  EXPECT_EQ(t.rows(), 0u);
  EXPECT_EQ(t.render(), "metric  value\n------  -----\n");
}

TEST(Table, WrongCellCountIsAnError) {
  Table t({{"a"}, {"b"}});
  EXPECT_THROW(t.add_row({"only one"}), std::invalid_argument);
}

TEST(Table, NonAsciiNamesCountAsOneColumnPerCharacter) {
  Table t({{"n"}, {"v", Table::kRight}});
  t.add_row({"\xc3\xa9t\xc3\xa9", "1"});  // "été": 3 characters, 5 bytes
  t.add_row({"abcd", "2"});
  EXPECT_EQ(t.render(),
            "n     v\n"
            "----  -\n"
            "\xc3\xa9t\xc3\xa9   1\n"
            "abcd  2\n");
}

TEST(Table, CountsGetThousandsSeparators) {
  EXPECT_EQ(Table::count(0), "0");
  EXPECT_EQ(Table::count(999), "999");
  EXPECT_EQ(Table::count(1000), "1,000");
  EXPECT_EQ(Table::count(12345), "12,345");
  EXPECT_EQ(Table::count(123456), "123,456");
  EXPECT_EQ(Table::count(1234567), "1,234,567");
  EXPECT_EQ(Table::count(18446744073709551615ull), "18,446,744,073,709,551,615");
  EXPECT_EQ(Table::count_signed(-1234), "-1,234");
  EXPECT_EQ(Table::count_signed(-9223372036854775807ll - 1), "-9,223,372,036,854,775,808");
}

TEST(Table, FixedAndPercent) {
  EXPECT_EQ(Table::fixed(0.123456, 3), "0.123");
  EXPECT_EQ(Table::fixed(2.5, 0), "2");  // round half to even, as printf does
  EXPECT_EQ(Table::percent(0.4567), "45.67%");
  EXPECT_EQ(Table::percent(1.0, 0), "100%");
}

}  // namespace
}  // namespace tessera::cli
