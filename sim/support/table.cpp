#include "sim/support/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace tessera::cli {

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::add_row(std::vector<std::string> cells) {
  if (cells.size() != columns_.size()) {
    throw std::invalid_argument(fmt::format("table row has {} cells, the table has {} columns",
                                            cells.size(), columns_.size()));
  }
  rows_.push_back(std::move(cells));
}

namespace {

// Display width in characters: counts UTF-8 lead bytes only, so names with
// non-ASCII letters still line up.
std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

void append_cell(std::string& line, const std::string& cell, std::size_t width, Table::Align align,
                 bool last) {
  const std::size_t pad = width - display_width(cell);
  if (align == Table::kRight) {
    line.append(pad, ' ');
    line += cell;
  } else {
    line += cell;
    if (!last) line.append(pad, ' ');
  }
}

void trim_right(std::string& line) {
  while (!line.empty() && line.back() == ' ') line.pop_back();
}

}  // namespace

std::string Table::render() const {
  std::vector<std::size_t> widths(columns_.size());
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    widths[c] = display_width(columns_[c].header);
    for (const auto& row : rows_) widths[c] = std::max(widths[c], display_width(row[c]));
  }
  std::string out;
  std::string line;
  const auto emit = [&](const auto& cell_of) {
    line.clear();
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      if (c > 0) line += "  ";
      append_cell(line, cell_of(c), widths[c], columns_[c].align, c + 1 == columns_.size());
    }
    trim_right(line);
    out += line;
    out += '\n';
  };
  emit([&](std::size_t c) -> std::string { return columns_[c].header; });
  emit([&](std::size_t c) -> std::string { return std::string(widths[c], '-'); });
  for (const auto& row : rows_) {
    emit([&](std::size_t c) -> std::string { return row[c]; });
  }
  return out;
}

std::string Table::count(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  const std::size_t lead = digits.size() % 3;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (i + 3 - lead) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Table::count_signed(std::int64_t value) {
  if (value >= 0) return count(static_cast<std::uint64_t>(value));
  // Negate in unsigned arithmetic so INT64_MIN is representable.
  return "-" + count(0 - static_cast<std::uint64_t>(value));
}

std::string Table::fixed(double value, int decimals) {
  return fmt::format("{:.{}f}", value, decimals);
}

std::string Table::percent(double fraction, int decimals) {
  return fmt::format("{:.{}f}%", fraction * 100.0, decimals);
}

}  // namespace tessera::cli
