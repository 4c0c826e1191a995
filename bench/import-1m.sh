#!/usr/bin/env bash
# Storage import benchmark: 1,000,000 generated events (`omnireport generate --events N --seed 1`) imported
# with `omnireport import` into SQLite and into PostgreSQL, each beside the same raw events through the
# database's own bulk path (OmniReport.ImportBench: batched INSERTs for SQLite, COPY for PostgreSQL), in
# the same run, alternating raw and import RUNS times. PostgreSQL is a throw-away server from
# scripts/with-postgres.sh with its default durability settings (fsync on). Targets: import >= 50,000
# events/s, and >= half the raw rate.
# Usage: bench/import-1m.sh     (EVENTS=N to change the size; RUNS=N pairs per database, default 3;
#                                DBS="sqlite postgresql" to choose the databases; OMNIREPORT_BENCH_DIR for the
#                                scratch folder)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
events="${EVENTS:-1000000}"
runs="${RUNS:-3}"
dbs=" ${DBS:-sqlite postgresql} "
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-import-bench}"
mkdir -p "$dir"
file="$dir/events-$events.ndjson"
"$root/omnireport" --help >/dev/null 2>&1 || true # build outside the timings
dotnet build "$root/bench/OmniReport.ImportBench" -c Release -o "$dir/raw" -nologo -v quiet >/dev/null
if [ ! -s "$file" ]; then
  "$root/omnireport" generate --events "$events" --seed 1 --out "$file"
fi
echo "input: $(wc -l <"$file") events, $(du -h "$file" | cut -f1); machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $runs runs per database"

load() { cut -d' ' -f1 /proc/loadavg; }
# Per database: lines "import raw load" -> each run, then best and median of import, raw and ratio.
summary() {
  awk -v s="$1" '
    { imp[NR] = $1; raw[NR] = $2; ratio[NR] = $1 / $2; load[NR] = $3
      printf "%-10s run %d: import %6d events/s   raw bulk %6d events/s   ratio %.2f   load %s\n", s, NR, $1, $2, $1 / $2, $3 }
    function med(a, n,   i, j, t, b) { for (i = 1; i <= n; i++) b[i] = a[i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (b[j] < b[i]) { t = b[i]; b[i] = b[j]; b[j] = t }
      return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2 }
    function max(a, n,   i, m) { m = a[1]; for (i = 2; i <= n; i++) if (a[i] > m) m = a[i]; return m }
    END { printf "%-10s best/median: import %d / %d events/s   raw bulk %d / %d events/s   ratio %.2f / %.2f   (targets: >= 50000, ratio >= 0.50)\n",
            s, max(imp, NR), med(imp, NR), max(raw, NR), med(raw, NR), max(ratio, NR), med(ratio, NR) }'
}

sqlite_runs=""
[[ "$dbs" == *" sqlite "* ]] && for ((run = 1; run <= runs; run++)); do
  rm -f "$dir"/raw.db* "$dir"/store.db*
  sync # each timed run starts with no other run's writes still going to the disk
  raw=$(dotnet "$dir/raw/OmniReport.ImportBench.dll" raw-sqlite "$file" "$dir/raw.db" | tee /dev/stderr | sed -n 's/.*(\([0-9]*\) events\/s).*/\1/p')
  "$root/omnireport" accounts create bench --db "$dir/store.db" 2>/dev/null
  sync
  imp=$("$root/omnireport" import "$file" --account bench --db "$dir/store.db" 2>/dev/null | tee /dev/stderr | sed -n 's/.*(\([0-9]*\) events\/s).*/\1/p')
  sqlite_runs+="$imp $raw $(load)"$'\n'
done
rm -f "$dir"/raw.db* "$dir"/store.db*

export OMNIREPORT_PG_OPTIONS="${OMNIREPORT_PG_OPTIONS:-}"
pg_runs=""
[[ "$dbs" == *" postgresql "* ]] && pg_runs=$(RUNS="$runs" BENCH_DIR="$dir" BENCH_FILE="$file" ROOT="$root" "$root/scripts/with-postgres.sh" bash -c '
  set -euo pipefail
  [ -n "${OMNIREPORT_TEST_POSTGRES:-}" ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
  psql() { command psql "host=127.0.0.1 port=$(sed "s/.*Port=\([0-9]*\).*/\1/" <<<"$OMNIREPORT_TEST_POSTGRES") user=postgres dbname=postgres" -qAt "$@"; }
  for ((run = 1; run <= RUNS; run++)); do
    psql -c "CREATE DATABASE raw$run" -c "CREATE DATABASE store$run"
    psql -c "CHECKPOINT"; sync
    raw=$(dotnet "$BENCH_DIR/raw/OmniReport.ImportBench.dll" raw-postgres "$BENCH_FILE" "${OMNIREPORT_TEST_POSTGRES/Database=postgres/Database=raw$run}")
    echo "$raw" >&2
    db="${OMNIREPORT_TEST_POSTGRES/Database=postgres/Database=store$run}"
    "$ROOT/omnireport" accounts create bench --db "$db" 2>/dev/null
    psql -c "CHECKPOINT"; sync
    imp=$("$ROOT/omnireport" import "$BENCH_FILE" --account bench --db "$db" 2>/dev/null)
    echo "$imp" >&2
    psql -c "DROP DATABASE raw$run" -c "DROP DATABASE store$run"
    echo "$(sed -n "s/.*(\([0-9]*\) events\/s).*/\1/p" <<<"$imp") $(sed -n "s/.*(\([0-9]*\) events\/s).*/\1/p" <<<"$raw") $(cut -d" " -f1 /proc/loadavg)"
  done
')
echo
[ -n "$sqlite_runs" ] && printf '%s' "$sqlite_runs" | summary sqlite
[ -n "$pg_runs" ] && printf '%s\n' "$pg_runs" | summary postgresql
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
