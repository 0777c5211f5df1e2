#include "models/numerics/fp_format.h"

#include <fmt/format.h>

#include <cctype>

#include "models/core/error.h"

namespace tessera::numerics {

std::string FpFormat::name() const {
  return fmt::format("e{}m{}", exp_bits, man_bits);
}

FpFormat parse_format(const std::string& text, const std::string& where) {
  std::string t;
  for (char c : text) t.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (t == "fp8-e4m3") t = "e4m3";
  if (t == "fp8-e5m2") t = "e5m2";
  if (t == "fp16") t = "e5m10";
  if (t == "bf16") t = "e8m7";
  if (t == "fp32") t = "e8m23";
  int e = 0;
  int m = 0;
  char tail = 0;
  const bool shaped = std::sscanf(t.c_str(), "e%dm%d%c", &e, &m, &tail) == 2;
  if (!shaped || e < 2 || e > 11 || m < 1 || m > 52) {
    throw InputError(
        fmt::format("{}: expected a floating-point format eXmY with 2 <= X <= 11 and 1 <= Y <= 52 "
                    "(or fp8-e4m3, fp8-e5m2, fp16, bf16, fp32), found '{}'",
                    where, text));
  }
  return FpFormat{e, m};
}

}  // namespace tessera::numerics
