#!/usr/bin/env bash
# The rollup build alone, side by side in one run (docs/performance.md, "Rollups: the write path" → "Session 8"): a
# SQLite store of EVENTS generated events is imported once by the working tree's binary; then, RUNS times, for the
# base binary and the working tree's alternating (base first in odd runs), a copy of it has its rollups deleted and
# marked pending (what an interrupted import leaves) and the next command that opens it (`omnireport clients list`)
# builds them. Each line gives that process's wall and CPU (user + system) minus those of the same command with
# nothing pending, and a hash of the rollups table, which must be the same for both binaries (same cells, same
# bytes). BASE must have the deferred build (a48fa67 or later).
# Usage: bench/rollup-build.sh      (BASE=commit (main), EVENTS=N (1000000), RUNS=N (3); OMNIREPORT_BENCH_DIR)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${BASE:-main}"
events="${EVENTS:-1000000}"
runs="${RUNS:-3}"
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-rollup-build-bench}"
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed: apt-get install -y sqlite3" >&2; exit 1; }
rm -f "$dir"/built.db* "$dir"/build.db*
. "$root/bench/build-both.sh"
build_both "$base" "$dir"
file="$dir/events-$events.ndjson"
[ -s "$file" ] || dotnet "$dir/new/omnireport.dll" generate --events "$events" --seed 1 --out "$file"
dotnet "$dir/new/omnireport.dll" accounts create bench --db "$dir/built.db" >/dev/null 2>&1
dotnet "$dir/new/omnireport.dll" import "$file" --account bench --db "$dir/built.db" 2>/dev/null
echo "rollups: $(sqlite3 "$dir/built.db" "SELECT count(*) || ' cells, ' || sum(length(data)) || ' bytes' FROM rollups"); machine: $(nproc) cores"
timed() { /usr/bin/time -o "$dir/time.txt" -f "%e %U %S" dotnet "$dir/$1/omnireport.dll" clients list --account bench --db "$dir/build.db" >/dev/null 2>&1; cat "$dir/time.txt"; }
for ((run = 1; run <= runs; run++)); do
  for bin in $(if ((run % 2)); then echo "base new"; else echo "new base"; fi); do # each first as often
    rm -f "$dir"/build.db*
    cp "$dir/built.db" "$dir/build.db"
    sqlite3 "$dir/build.db" "DELETE FROM rollups; INSERT INTO rebuilds (account_id, after, rollups_only) SELECT id, '', 1 FROM accounts WHERE name = 'bench' ON CONFLICT (account_id) DO UPDATE SET rollups_only = 1;"
    sync
    pending=$(timed "$bin")
    hash=$(sqlite3 "$dir/build.db" "SELECT kind, dims, tier, start_ms, key, hex(data) FROM rollups ORDER BY 1, 2, 3, 4, 5" | md5sum | cut -c1-12)
    nothing=$(timed "$bin")
    python3 -c "
p, q = '$pending'.split(), '$nothing'.split()
print(f'rollup build $bin run $run: {float(p[0]) - float(q[0]):.2f} s wall, {float(p[1]) + float(p[2]) - float(q[1]) - float(q[2]):.2f} s CPU (process {p[0]} s, with nothing pending {q[0]} s); rollups $hash (load $(cut -d' ' -f1 /proc/loadavg))')"
  done
done
rm -f "$dir"/build.db* "$dir"/built.db*
