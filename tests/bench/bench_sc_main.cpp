// libsystemc.so's own main() calls sc_main, so tessera-bench (which links the
// SystemC models) must define one. benchmark_main's main() is the one that
// runs; SystemC measurements call sc_core::sc_start themselves (in forked
// children, see bench_dram.cpp and bench_platform.cpp). Should SystemC's main
// ever be the one that runs, it runs the benchmarks all the same.
#include <benchmark/benchmark.h>

extern "C" int sc_main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
