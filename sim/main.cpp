// The `tessera` command line. Subcommands live in sim/cmd_*.cpp.
#include "sim/command.h"

int main(int argc, char** argv) {
  return tessera::cli::run_cli(argc, argv);
}
