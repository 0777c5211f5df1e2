// The hook through which `tessera calibrate host` times this machine's BLAS.
// The BLAS itself is linked into the tessera binary only (sim/CMakeLists.txt):
// sim/openblas_probe.cpp registers a probe at start-up when OpenBLAS was
// found; without it calibrate leaves the GEMM figures at their defaults.
#pragma once

#include <cstdint>
#include <string>

#include "sim/kernel_timing.h"

namespace tessera::cli {

// The library's sgemm blocking, in its own (column-major) terms: P blocks
// its M, Q its K (GotoBLAS's mc and kc); its micro-kernel computes
// unroll_m x unroll_n of C. Zero when the library does not tell.
struct SgemmBlocking {
  std::uint64_t p = 0, q = 0, unroll_m = 0, unroll_n = 0;
};

struct BlasProbe {
  // Library, version and the kernel set it picked: "OpenBLAS 0.3.21 ... (core Prescott)".
  std::string (*describe)() = nullptr;
  // Threads the library uses for C[m x n] = A[m x k] B[k x n], fp32.
  unsigned (*sgemm_threads)(std::uint64_t m, std::uint64_t n, std::uint64_t k) = nullptr;
  // Times row-major sgemm C = A B (alpha 1, beta 0) with time_kernel_calls.
  KernelTiming (*time_sgemm)(std::uint64_t m, std::uint64_t n, std::uint64_t k, double budget_s,
                             int batches, TimingClock clock) = nullptr;
  // The blocking the library picked for this CPU.
  SgemmBlocking (*sgemm_blocking)() = nullptr;
};

// The registered probe, or nullptr when the binary has no BLAS.
const BlasProbe* blas_probe();
void register_blas_probe(const BlasProbe* probe);

}  // namespace tessera::cli
