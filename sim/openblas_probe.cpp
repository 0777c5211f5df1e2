#include "sim/openblas_probe.h"

#include <cblas.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "sim/blas_probe.h"

// OpenBLAS's DYNAMIC_ARCH builds export the parameter table of the core they
// picked (common_param.h, gotoblas_t). Not a public API: its first fields are
// read only after checking they look like the 0.3.x layout (below).
extern "C" int* gotoblas;  // NOLINT: the library's own name

namespace tessera::cli {

unsigned openblas_threads(BlasKernel kernel, std::uint64_t m, std::uint64_t n, std::uint64_t k) {
  const unsigned all = static_cast<unsigned>(std::max(1, openblas_get_num_threads()));
  // OpenBLAS 0.3.21, built with the default GEMM_MULTITHREAD_THRESHOLD = 4 and
  // SMP_THRESHOLD_MIN = 65536 (common.h):
  switch (kernel) {
    case BlasKernel::kSgemm:
      // interface/gemm.c: one thread while M N K <= 65536 x 4.
      return static_cast<double>(m) * n * k <= 65536.0 * 4 ? 1 : all;
    case BlasKernel::kSgemv:
      // interface/gemv.c: one thread while M N < 2304 x 4.
      return static_cast<double>(m) * k < 2304.0 * 4 ? 1 : all;
    case BlasKernel::kSaxpy:
      // interface/axpy.c: one thread while n <= 10000.
      return m <= 10000 ? 1 : all;
    case BlasKernel::kSdot:
    case BlasKernel::kScopy:
      // interface/dot.c and copy.c of 0.3.21 have no threaded path (later
      // releases thread them above n = 100000); the x86_64 sdot kernels do not
      // thread either (OpenBLAS issue #2221: only ddot/zdot kernels do).
      return 1;
  }
  return 1;
}

std::string openblas_description() {
  std::string config = openblas_get_config();
  while (!config.empty() && config.back() == ' ') config.pop_back();
  return fmt::format("{} (core {}, {} threads)", config, openblas_get_corename(),
                     openblas_get_num_threads());
}

namespace {

KernelTiming time_sgemm(std::uint64_t m, std::uint64_t n, std::uint64_t k, double budget_s,
                        int batches, TimingClock clock) {
  auto filled = [](std::uint64_t count, float value) {
    auto p = std::make_unique<float[]>(count);
    std::fill(p.get(), p.get() + count, value);
    return p;
  };
  const auto a = filled(m * k, 0.5f), b = filled(k * n, 0.25f), c = filled(m * n, 0.0f);
  const int mi = static_cast<int>(m), ni = static_cast<int>(n), ki = static_cast<int>(k);
  return time_kernel_calls(
      [&](int reps) {
        for (int r = 0; r < reps; ++r) {
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, mi, ni, ki, 1.0f, a.get(), ki,
                      b.get(), ni, 0.0f, c.get(), ni);
        }
      },
      budget_s, batches, clock);
}

// gotoblas_t of 0.3.21 built without BUILD_BFLOAT16 (Debian's): dtb_entries,
// offsetA, offsetB, align, sgemm_p, sgemm_q, sgemm_r, sgemm_unroll_m,
// sgemm_unroll_n, sgemm_unroll_mn. The check: align is a power of two minus
// one, P and Q are plausible block sizes, unroll_mn = max(unroll_m, unroll_n).
SgemmBlocking sgemm_blocking() {
  SgemmBlocking b;
  const int* t = gotoblas;
  if (t == nullptr) return b;
  const bool align_ok = t[3] > 0 && ((t[3] + 1) & t[3]) == 0;
  const bool blocks_ok = t[4] >= 8 && t[4] <= 8192 && t[5] >= 8 && t[5] <= 8192;
  const bool unroll_ok =
      t[7] >= 1 && t[7] <= 64 && t[8] >= 1 && t[8] <= 64 && t[9] == std::max(t[7], t[8]);
  if (!align_ok || !blocks_ok || !unroll_ok) return b;
  b.p = static_cast<std::uint64_t>(t[4]);
  b.q = static_cast<std::uint64_t>(t[5]);
  b.unroll_m = static_cast<std::uint64_t>(t[7]);
  b.unroll_n = static_cast<std::uint64_t>(t[8]);
  return b;
}

const BlasProbe kOpenBlas{[] { return openblas_description(); },
                          [](std::uint64_t m, std::uint64_t n, std::uint64_t k) {
                            return openblas_threads(BlasKernel::kSgemm, m, n, k);
                          },
                          time_sgemm, sgemm_blocking};

// Registered before main() runs: the tessera binary links this object only
// when OpenBLAS was found.
[[maybe_unused]] const bool registered = (register_blas_probe(&kOpenBlas), true);

}  // namespace
}  // namespace tessera::cli
