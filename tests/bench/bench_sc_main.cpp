// libsystemc.so's own main() calls sc_main, so tessera-bench (which links the
// SystemC models) must define one. benchmark_main's main() is the one that
// runs; SystemC measurements call sc_core::sc_start themselves (in forked
// children, see bench_dram.cpp and bench_platform.cpp).
extern "C" int sc_main(int, char**) {
  return 0;
}
