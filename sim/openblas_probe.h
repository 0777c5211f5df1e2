// How many threads OpenBLAS 0.3.21 (Debian 12's) gives each kernel that
// `tessera validate-roofline` times, so the estimate runs on the same number
// of cores. The thresholds are the library's own (interface/*.c of the 0.3.21
// sources, see openblas_probe.cpp), checked on this machine by watching the
// worker threads' CPU time (/proc/self/task/*/schedstat) around each call.
#pragma once

#include <cstdint>
#include <string>

namespace tessera::cli {

enum class BlasKernel { kSgemm, kSgemv, kSaxpy, kSdot, kScopy };

// Threads OpenBLAS uses for the call (1 .. openblas_get_num_threads()).
// sgemm: C[m x n] = A[m x k] B[k x n]; sgemv: A[m x k] x; vectors: n = m.
unsigned openblas_threads(BlasKernel kernel, std::uint64_t m, std::uint64_t n, std::uint64_t k);

// "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH ... (core Prescott, 2 threads)".
std::string openblas_description();

}  // namespace tessera::cli
