// The independent reference: MPFR (libmpfr), correctly rounded by construction.
// - mpfr_fp_add / mpfr_fp_mul: the operation at the format's own precision and exponent
//   range (with MPFR's subnormalize), i.e. what IEEE 754 says the result must be.
// - ExactSum: an exact running sum (precision wide enough for any sum of the format's
//   values and products) for accuracy figures.
// mpfr.h stays inside mpfr_ref.cpp.
#pragma once

#include <cstdint>
#include <memory>

#include "models/numerics/fp_format.h"

namespace tessera::numerics {

std::uint64_t mpfr_fp_add(const FpFormat& f, std::uint64_t a, std::uint64_t b);
std::uint64_t mpfr_fp_mul(const FpFormat& f, std::uint64_t a, std::uint64_t b);

// Error of a computed value against an exact one.
struct ErrorFigures {
  double rel = 0;   // |got - exact| / |exact| (0 when both are 0; inf when only exact is 0)
  double ulps = 0;  // |got - exact| in units of the format's ulp at |exact|
};

class ExactSum {
 public:
  explicit ExactSum(const FpFormat& f);
  ~ExactSum();
  ExactSum(const ExactSum&) = delete;
  ExactSum& operator=(const ExactSum&) = delete;

  void clear();
  void add(std::uint64_t x);                           // a value of the format
  void add_product(std::uint64_t a, std::uint64_t b);  // the exact product of two values
  // The exact sum rounded once to the format (the best any method can return).
  std::uint64_t rounded() const;
  double to_double() const;
  ErrorFigures error_of(std::uint64_t got) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::numerics
