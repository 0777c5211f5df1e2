#!/bin/bash
# old_vs_new.sh [REV] [RANDOM]: bit-exactness of a restructured RTL datapath against the
# Verilog of git revision REV (default HEAD), both Verilated with the project's flags:
#   - fp_units_top (fp_add / fp_mul in E4M3, E5M2, E5M10, E8M7, E8M23): every 8-bit pair,
#     then RANDOM (default 10 M) random cycles, half of the wider pairs cancelling;
#   - round_top (fp_round alone, 11 format / SW combinations): 3 x RANDOM random
#     (sig of random width, exp_lsb in [-200, 200], sign);
#   - dot_unit E4M3 x 16 (the Vdot_e4m3_l16 configuration): RANDOM / 10 cycles of random
#     beats (half bench-like |x| < 1 operands, the rest arbitrary bit patterns and special
#     values), random in_valid / in_last / out_ready, every output pin compared per cycle.
# A developer check for speed rewrites that must not change function (docs/rtl.md,
# "Speed"); the co-verification tests (ctest Coverif*) check both against the C++ model.
# Needs verilator and g++; works in a temporary directory; exit 1 on any mismatch.
set -euo pipefail
REV=${1:-HEAD}
RANDOM_N=${2:-10000000}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/old" "$W/new"
for f in "$ROOT"/rtl/*.v "$ROOT"/rtl/*.vh; do
  b=$(basename "$f")
  cp "$f" "$W/new/$b"
  git -C "$ROOT" show "$REV:rtl/$b" > "$W/old/$b" 2>/dev/null || cp "$f" "$W/old/$b"
done
VFLAGS="--cc -Wno-fatal --x-assign fast --x-initial fast -O3"
DOT_SRC="fp_round.v fp_pipe.v fp_unpack.v fp_add.v fp_mul.v fp_ordered_error.v fp_accum_step.v
         fp_accum_result.v fp_accum.v dot_unit.v"
for side in old new; do
  S="$W/$side"
  P=$([ $side = old ] && echo O || echo N)
  (cd "$S" && verilator $VFLAGS --top-module fp_units_top --prefix Vunits$P -Mdir "$W/units$P" \
     fp_round.v fp_pipe.v fp_unpack.v fp_add.v fp_mul.v "$ROOT/tests/rtl/tops/fp_units_top.v" \
     > /dev/null)
  (cd "$S" && verilator $VFLAGS --top-module round_top --prefix Vround$P -Mdir "$W/round$P" \
     fp_round.v "$HERE/round_top.v" > /dev/null)
  (cd "$S" && verilator $VFLAGS --top-module dot_unit --prefix Vdot$P -Mdir "$W/dot$P" \
     -GEW=4 -GMW=3 -GLANES=16 -GREDUCE=0 -GMETHOD=0 -GMUL_LATENCY=1 $DOT_SRC > /dev/null)
done
VI=${VERILATOR_ROOT:-/usr/share/verilator}/include
CXX="g++ -std=c++17 -O1 -I$VI -I$VI/vltstd"
# Verilator's runtime and the generated models without warnings (third-party / generated
# code); the two drivers with -Wall -Wextra.
$CXX -w -c "$VI/verilated.cpp" -o "$W/verilated.o"
$CXX -w -c "$VI/verilated_threads.cpp" -o "$W/verilated_threads.o"
for m in unitsO unitsN roundO roundN dotO dotN; do
  for f in "$W/$m"/*.cpp; do $CXX -w -I"$W/$m" -c "$f" -o "${f%.cpp}.o"; done
done
$CXX -Wall -Wextra -I"$W/unitsO" -I"$W/unitsN" -I"$W/roundO" -I"$W/roundN" \
  "$HERE/units_old_vs_new.cpp" "$W"/unitsO/*.o "$W"/unitsN/*.o "$W"/roundO/*.o \
  "$W"/roundN/*.o "$W/verilated.o" "$W/verilated_threads.o" -pthread -o "$W/units"
$CXX -Wall -Wextra -I"$W/dotO" -I"$W/dotN" "$HERE/dot_old_vs_new.cpp" "$W"/dotO/*.o \
  "$W"/dotN/*.o "$W/verilated.o" "$W/verilated_threads.o" -pthread -o "$W/dot"
status=0
"$W/units" "$RANDOM_N" || status=1
"$W/dot" $((RANDOM_N / 10)) || status=1
exit $status
