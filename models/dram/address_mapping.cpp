#include "models/dram/address_mapping.h"

#include <fmt/format.h>

#include "models/core/error.h"

namespace tessera::dram {
namespace {

std::uint32_t log2_exact(std::uint64_t v) {
  std::uint32_t bits = 0;
  while ((std::uint64_t{1} << bits) < v) ++bits;
  return bits;
}

}  // namespace

std::vector<std::string> AddressMapping::named_schemes() {
  return {"RoRaBaCoBgCh", "RoBaRaCoCh", "RoRaBgBaCoCh", "RoCoRaBgBaCh", "BaBgRaRoCoCh"};
}

AddressMapping::AddressMapping(const Organization& org, const std::string& scheme,
                               const std::string& where)
    : scheme_(scheme) {
  static const char* const kTokens[kFields] = {"Ro", "Ra", "Bg", "Ba", "Co", "Ch"};
  const std::uint64_t sizes[kFields] = {
      org.rows,         org.ranks, org.bank_groups, org.banks_per_group, org.bursts_per_row(),
      org.controllers()};
  std::vector<int> order;  // most significant first
  bool seen[kFields] = {};
  const auto bad = [&](const std::string& why) {
    throw InputError(fmt::format(
        "{}: expected a scheme name ({}) or a permutation of Ro Ra Bg Ba Co Ch, found '{}' ({})",
        where, fmt::join(named_schemes(), ", "), scheme, why));
  };
  if (scheme.size() % 2 != 0) bad("odd length");
  for (std::size_t i = 0; i < scheme.size(); i += 2) {
    const std::string tok = scheme.substr(i, 2);
    int f = -1;
    for (int k = 0; k < kFields; ++k) {
      if (tok == kTokens[k]) f = k;
    }
    if (f < 0) bad("unknown token '" + tok + "'");
    if (seen[f]) bad("token '" + tok + "' twice");
    seen[f] = true;
    order.push_back(f);
  }
  // Ramulator-style names omit Bg: bank group bits sit just above the bank bits.
  if (!seen[kBg] && seen[kBa]) {
    for (std::size_t i = 0; i < order.size(); ++i) {
      if (order[i] == kBa) {
        order.insert(order.begin() + static_cast<std::ptrdiff_t>(i), kBg);
        break;
      }
    }
    seen[kBg] = true;
  }
  for (int k = 0; k < kFields; ++k) {
    if (!seen[k]) bad(std::string("missing ") + kTokens[k]);
  }
  offset_bits_ = log2_exact(org.burst_bytes());
  std::uint32_t shift = offset_bits_;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const std::uint32_t bits = log2_exact(sizes[*it]);
    shift_[*it] = shift;
    mask_[*it] = (std::uint64_t{1} << bits) - 1;
    shift += bits;
  }
}

DecodedAddress AddressMapping::decode(std::uint64_t address) const {
  DecodedAddress d;
  d.row = static_cast<std::uint32_t>((address >> shift_[kRo]) & mask_[kRo]);
  d.rank = static_cast<std::uint32_t>((address >> shift_[kRa]) & mask_[kRa]);
  d.bank_group = static_cast<std::uint32_t>((address >> shift_[kBg]) & mask_[kBg]);
  d.bank = static_cast<std::uint32_t>((address >> shift_[kBa]) & mask_[kBa]);
  d.column = static_cast<std::uint32_t>((address >> shift_[kCo]) & mask_[kCo]);
  d.controller = static_cast<std::uint32_t>((address >> shift_[kCh]) & mask_[kCh]);
  return d;
}

std::uint64_t AddressMapping::encode(const DecodedAddress& d) const {
  return ((d.row & mask_[kRo]) << shift_[kRo]) | ((d.rank & mask_[kRa]) << shift_[kRa]) |
         ((d.bank_group & mask_[kBg]) << shift_[kBg]) | ((d.bank & mask_[kBa]) << shift_[kBa]) |
         ((d.column & mask_[kCo]) << shift_[kCo]) | ((d.controller & mask_[kCh]) << shift_[kCh]);
}

}  // namespace tessera::dram
