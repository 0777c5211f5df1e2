#include "models/numerics/dot_model.h"

#include <fmt/format.h>

#include <algorithm>

#include "models/core/error.h"
#include "models/numerics/fp_arith.h"

namespace tessera::numerics {

DotModel::DotModel(const FpFormat& f, int lanes, DotReduce reduce, AccumMethod method)
    : f_(f), lanes_(lanes), reduce_(reduce), acc_(f, method) {
  if (lanes < 1 || (lanes & (lanes - 1)) != 0) {
    throw InputError(fmt::format("dot unit: expected lanes to be a power of two, found {}", lanes));
  }
  tree_.assign(static_cast<std::size_t>(2 * lanes - 1), 0);
  pad_a_.assign(static_cast<std::size_t>(lanes), 0);
  pad_b_.assign(static_cast<std::size_t>(lanes), 0);
}

void DotModel::beat(const std::uint64_t* a, const std::uint64_t* b) {
  const std::size_t n = static_cast<std::size_t>(lanes_);
  if (reduce_ == DotReduce::kSequential) {
    for (std::size_t i = 0; i < n; ++i) acc_.add(fp_mul(f_, a[i], b[i]));
    return;
  }
  for (std::size_t i = 0; i < n; ++i) tree_[n - 1 + i] = fp_mul(f_, a[i], b[i]);
  for (std::size_t node = n - 1; node-- > 0;) {
    tree_[node] = fp_add(f_, tree_[2 * node + 1], tree_[2 * node + 2]);
  }
  acc_.add(tree_[0]);
}

std::uint64_t DotModel::finish() {
  const std::uint64_t r = acc_.result();
  acc_.clear();
  return r;
}

std::uint64_t DotModel::dot(const std::uint64_t* a, const std::uint64_t* b, std::size_t k) {
  const std::size_t n = static_cast<std::size_t>(lanes_);
  for (std::size_t i = 0; i < k; i += n) {
    if (i + n <= k) {
      beat(a + i, b + i);
    } else {
      std::fill(pad_a_.begin(), pad_a_.end(), 0);
      std::fill(pad_b_.begin(), pad_b_.end(), 0);
      std::copy(a + i, a + k, pad_a_.begin());
      std::copy(b + i, b + k, pad_b_.begin());
      beat(pad_a_.data(), pad_b_.data());
    }
  }
  return finish();
}

}  // namespace tessera::numerics
