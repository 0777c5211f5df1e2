// A small text-table printer for command output: a header row, a rule, and
// rows of cells; numeric columns right-aligned so digits line up.
//
//   Table t({{"op kind"}, {"events", Table::kRight}, {"flops", Table::kRight}});
//   t.add_row({"gemm", Table::count(12), Table::count(1536)});
//   std::cout << t.render();
//
// Cells are strings: callers format numbers with the helpers below so every
// command shows counts, bytes and ratios the same way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::cli {

class Table {
 public:
  enum Align { kLeft, kRight };
  struct Column {
    std::string header;
    Align align = kLeft;
  };

  explicit Table(std::vector<Column> columns);

  // A row must have exactly one cell per column (a programming error otherwise:
  // std::invalid_argument).
  void add_row(std::vector<std::string> cells);
  std::size_t rows() const { return rows_.size(); }

  // Header, a rule of dashes under each header, then the rows; columns are
  // separated by two spaces and no line has trailing spaces.
  std::string render() const;

  // Integer with thousands separators: 1234567 -> "1,234,567".
  static std::string count(std::uint64_t value);
  static std::string count_signed(std::int64_t value);
  // Fixed-point with `decimals` digits: fixed(0.123456, 3) -> "0.123".
  static std::string fixed(double value, int decimals);
  // Percentage of a fraction: percent(0.4567) -> "45.67%".
  static std::string percent(double fraction, int decimals = 2);

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace tessera::cli
