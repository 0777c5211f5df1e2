#!/usr/bin/env bash
# `make run`: the quickstart experiment end to end. Each step is one tessera
# command; the full results land in results/quickstart/.
set -euo pipefail
cd "$(dirname "$0")/.."
tessera=${TESSERA:-build/bin/tessera}
experiment=configs/quickstart.yaml
out=results/quickstart
mkdir -p "$out"

step() { printf '\n== %s\n' "$*"; }

step "1/4 trace: $experiment"
"$tessera" trace gen "$experiment" -o "$out/trace.tst"
"$tessera" trace info "$out/trace.tst"

step "2/4 functional replay (cache policies side by side)"
"$tessera" replay "$experiment" --trace "$out/trace.tst" -o "$out/replay.json"

step "3/4 roofline estimate on the quickstart platform"
"$tessera" roofline "$experiment" --json > "$out/roofline.json"
echo "per-operator estimate: $out/roofline.json"

# The timed run simulates every 64-byte transaction in SystemC TLM-2.0 (AT):
# ~16 M transactions for the quickstart, about ten CPU seconds. Add --mode lt
# for a faster functional-timing run.
step "4/4 timed SystemC run on edge-npu"
"$tessera" run "$experiment" -o "$out/timed"

printf '\nFull results in %s/: trace.tst, replay.json, roofline.json, timed/result.json,\n' "$out"
printf 'timed/timeline.json (open in https://ui.perfetto.dev).\n'
