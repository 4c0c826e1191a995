#!/usr/bin/env bash
# Storage import benchmark: 1,000,000 generated events (`omnireport generate --events N --seed 1`) imported
# with `omnireport import` into SQLite and into PostgreSQL, each beside the same raw events through the
# database's own bulk path (OmniReport.ImportBench: batched INSERTs for SQLite, COPY for PostgreSQL), in
# the same run. PostgreSQL is a throw-away server from scripts/with-postgres.sh with its default
# durability settings (fsync on). Targets: import >= 50,000 events/s, and >= half the raw rate.
# Usage: bench/import-1m.sh     (EVENTS=N to change the size; OMNIREPORT_BENCH_DIR for the scratch folder)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
events="${EVENTS:-1000000}"
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-import-bench}"
mkdir -p "$dir"
file="$dir/events-$events.ndjson"
"$root/omnireport" --help >/dev/null 2>&1 || true # build outside the timings
dotnet build "$root/bench/OmniReport.ImportBench" -c Release -o "$dir/raw" -nologo -v quiet >/dev/null
if [ ! -s "$file" ]; then
  "$root/omnireport" generate --events "$events" --seed 1 --out "$file"
fi
echo "input: $(wc -l <"$file") events, $(du -h "$file" | cut -f1); machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

rate() { sed -n 's/.*(\([0-9]*\) events\/s).*/\1/p'; }
compare() { awk -v s="$1" -v i="$2" -v r="$3" 'BEGIN { printf "%-10s import %6d events/s   raw bulk %6d events/s   ratio %.2f   (targets: >= 50000, ratio >= 0.50)\n", s, i, r, i / r }'; }

rm -f "$dir"/raw.db* "$dir"/store.db*
raw_sqlite=$(dotnet "$dir/raw/OmniReport.ImportBench.dll" raw-sqlite "$file" "$dir/raw.db" | tee /dev/stderr | rate)
"$root/omnireport" accounts create bench --db "$dir/store.db" 2>/dev/null
imp_sqlite=$("$root/omnireport" import "$file" --account bench --db "$dir/store.db" 2>/dev/null | tee /dev/stderr | rate)
rm -f "$dir"/raw.db* "$dir"/store.db*

export OMNIREPORT_PG_OPTIONS="${OMNIREPORT_PG_OPTIONS:-}"
pg=$("$root/scripts/with-postgres.sh" bash -c '
  set -euo pipefail
  [ -n "${OMNIREPORT_TEST_POSTGRES:-}" ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
  psql() { command psql "host=127.0.0.1 port=$(sed "s/.*Port=\([0-9]*\).*/\1/" <<<"$OMNIREPORT_TEST_POSTGRES") user=postgres dbname=postgres" -qAt "$@"; }
  psql -c "CREATE DATABASE raw" -c "CREATE DATABASE store"
  raw=$(dotnet "'"$dir"'/raw/OmniReport.ImportBench.dll" raw-postgres "'"$file"'" "${OMNIREPORT_TEST_POSTGRES/Database=postgres/Database=raw}")
  echo "$raw" >&2
  db="${OMNIREPORT_TEST_POSTGRES/Database=postgres/Database=store}"
  "'"$root"'/omnireport" accounts create bench --db "$db" 2>/dev/null
  imp=$("'"$root"'/omnireport" import "'"$file"'" --account bench --db "$db" 2>/dev/null)
  echo "$imp" >&2
  echo "$(sed -n "s/.*(\([0-9]*\) events\/s).*/\1/p" <<<"$imp") $(sed -n "s/.*(\([0-9]*\) events\/s).*/\1/p" <<<"$raw")"
')
read -r imp_pg raw_pg <<<"$pg"
echo
compare sqlite "$imp_sqlite" "$raw_sqlite"
compare postgresql "$imp_pg" "$raw_pg"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
