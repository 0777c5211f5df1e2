// Reading and writing bit fields of Verilated ports, whatever C++ type Verilator chose
// for the port's width (CData / SData / IData / QData up to 64 bits, VlWide beyond).
#pragma once

#include <verilated.h>

#include <cstdint>
#include <type_traits>

namespace tessera::rtltest {

template <typename T>
void put_bits(T& port, int lsb, int width, std::uint64_t v) {
  static_assert(std::is_integral<T>::value, "integral port");
  const std::uint64_t mask = width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
  std::uint64_t p = port;
  p = (p & ~(mask << lsb)) | ((v & mask) << lsb);
  port = static_cast<T>(p);
}

template <std::size_t N>
void put_bits(VlWide<N>& port, int lsb, int width, std::uint64_t v) {
  for (int i = 0; i < width; ++i) {
    const int bit = lsb + i;
    const EData m = EData{1} << (bit % 32);
    if ((v >> i) & 1) {
      port[bit / 32] |= m;
    } else {
      port[bit / 32] &= ~m;
    }
  }
}

template <typename T>
std::uint64_t get_bits(const T& port, int lsb, int width) {
  static_assert(std::is_integral<T>::value, "integral port");
  const std::uint64_t mask = width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
  return (static_cast<std::uint64_t>(port) >> lsb) & mask;
}

template <std::size_t N>
std::uint64_t get_bits(const VlWide<N>& port, int lsb, int width) {
  std::uint64_t v = 0;
  for (int i = 0; i < width; ++i) {
    const int bit = lsb + i;
    v |= static_cast<std::uint64_t>((port[bit / 32] >> (bit % 32)) & 1) << i;
  }
  return v;
}

}  // namespace tessera::rtltest
