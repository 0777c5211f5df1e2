// Physical address -> (controller, rank, bank group, bank, row, column).
// The low log2(burst_bytes) bits address bytes inside a burst; above them the
// fields follow the scheme's order, most significant first. Tokens:
//   Ro row, Ra rank, Bg bank group, Ba bank (within group), Co column (in
//   bursts), Ch controller (channel x pseudo-channel).
// Named schemes (any permutation of the six tokens is accepted too):
//   RoRaBaCoBgCh  default: consecutive bursts alternate channels, then bank
//                 groups (bank-group interleaving), then walk a row
//   RoBaRaCoCh    Ramulator 2's default order (bank group bits placed with Ba)
//   RoRaBgBaCoCh  a row's bursts are consecutive; banks change per row
//   RoCoRaBgBaCh  consecutive bursts spread over every bank (row stays open longest)
//   BaBgRaRoCoCh  bank bits at the top: a sequential stream stays in one bank
// Field widths come from the organization (all powers of two); addresses
// beyond the capacity wrap.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "models/dram/spec.h"

namespace tessera::dram {

struct DecodedAddress {
  std::uint32_t controller = 0;
  std::uint32_t rank = 0;
  std::uint32_t bank_group = 0;
  std::uint32_t bank = 0;  // within its bank group
  std::uint32_t row = 0;
  std::uint32_t column = 0;  // in bursts
};

class AddressMapping {
 public:
  AddressMapping() = default;
  // Throws InputError naming `where` when the scheme is unknown or malformed.
  AddressMapping(const Organization& org, const std::string& scheme,
                 const std::string& where = "dram.controller.mapping");

  DecodedAddress decode(std::uint64_t address) const;
  // decode(address).controller alone (the queue-room check of every request).
  std::uint32_t controller_of(std::uint64_t address) const {
    return static_cast<std::uint32_t>((address >> shift_[kCh]) & mask_[kCh]);
  }
  // Inverse of decode (byte offset 0): for tests and pattern generators.
  std::uint64_t encode(const DecodedAddress& d) const;
  std::uint32_t offset_bits() const { return offset_bits_; }
  const std::string& scheme() const { return scheme_; }

  static std::vector<std::string> named_schemes();

 private:
  enum Field { kRo, kRa, kBg, kBa, kCo, kCh, kFields };
  std::string scheme_;
  std::uint32_t offset_bits_ = 6;
  std::array<std::uint32_t, kFields> shift_{};
  std::array<std::uint64_t, kFields> mask_{};
};

}  // namespace tessera::dram
