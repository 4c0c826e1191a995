#!/usr/bin/env bash
# Issue 18's identity check over many small streams (bench/fold-identity-fuzz.py): `omnireport derive` of the working
# tree against the BASE commit's binary (default 16880c6, derive before the eighth part's fold and write) for RUN_SECONDS
# (default 1200): the shared scenarios, `generate` with random option mixes, bench/fold-stress.py's streams as they are and
# with lines rewritten by bench/mutate-lines.py; both reports, stdout and stderr byte for byte, on the default threads,
# one and 2–8. Streams that differ are kept under $dir/fuzz/diffs. Exits 1 when any differed.
# Usage: bench/derive-fuzz.sh   (BASE=commit RUN_SECONDS=n SEED=n OMNIREPORT_BENCH_DIR=dir)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${BASE:-16880c6}"
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-derive-fuzz}"
. "$root/bench/build-both.sh"
build_both "$base" "$dir"
rm -rf "$dir/fuzz"
python3 "$root/bench/fold-identity-fuzz.py" "$dir/base" "$dir/new" "$dir/fuzz" "${RUN_SECONDS:-1200}" --seed "${SEED:-1}" | tee "$dir/fuzz.log"
! grep -q '^DIFFERENT\|^ERROR' "$dir/fuzz.log"
