// gtest runner for the co-verification tests: strips --full and --seed N first.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "tests/rtl/coverif_options.h"

namespace tessera::rtltest {
CoverifOptions& options() {
  static CoverifOptions o;
  return o;
}
}  // namespace tessera::rtltest

int main(int argc, char** argv) {
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--full") == 0) {
      tessera::rtltest::options().full = true;
    } else if (std::strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
      tessera::rtltest::options().seed = std::strtoull(argv[++i], nullptr, 10);
    } else {
      argv[out++] = argv[i];
    }
  }
  argc = out;
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
