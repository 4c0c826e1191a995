#!/usr/bin/env bash
# Report job benchmark: an erc_omnichannel_report over 1,000,000 interaction records, as CSV, from a real
# `omnireport serve` process, into SQLite and into PostgreSQL. For each store: the records are seeded through
# the store's own ingest (3 events an interaction), the server is started, a job is created over HTTP and polled
# until it answers 303; we report the time from creation to a downloadable file, the download, and the growth
# of the server's peak RSS during the job. For PostgreSQL, in the same run, PostgreSQL's own
# `COPY (SELECT the same rows, same order) TO STDOUT WITH CSV` is timed as the baseline.
# Targets: < 5 s from creation to downloadable CSV; peak memory growth < 100 MB; ≤ 2 × the COPY time.
# Usage: bench/report-1m.sh        (INTERACTIONS=N to change the size; STORES="sqlite postgresql")
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${INTERACTIONS:-1000000}"
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-report-bench}"
stores="${STORES:-sqlite postgresql}"
mkdir -p "$dir"

if [ "${1:-}" != "--inner" ]; then
  "$root/omnireport" --help >/dev/null 2>&1 || true # build outside the timings
  dotnet build "$root/bench/OmniReport.ReportBench" -c Release -o "$dir/bench" -nologo -v quiet >/dev/null
  echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $n interaction records"
fi

bench() { dotnet "$dir/bench/OmniReport.ReportBench.dll" "$@"; }

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  return 1
}

# measure LABEL DB: seed, serve, run the job, stop the server.
measure() {
  local label="$1" db="$2" port pid token
  token=$(bench seed "$db" "$n")
  port=$(free_port)
  "$root/omnireport" serve --db "$db" --urls "http://127.0.0.1:$port" --rate-limit 0 >"$dir/serve-$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  echo "$label: $(bench job "http://127.0.0.1:$port" "$token" "$pid")"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

if [ "${1:-}" = "--inner" ]; then
  # Inside scripts/with-postgres.sh: a throw-away server with default durability settings.
  [ -n "${OMNIREPORT_TEST_POSTGRES:-}" ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
  port=$(sed 's/.*Port=\([0-9]*\).*/\1/' <<<"$OMNIREPORT_TEST_POSTGRES")
  psql "host=127.0.0.1 port=$port user=postgres dbname=postgres" -qAt -c "CREATE DATABASE report"
  db="${OMNIREPORT_TEST_POSTGRES/Database=postgres/Database=report}"
  measure postgresql "$db"
  echo "postgresql: $(bench copy "$db")"
  exit 0
fi

for store in $stores; do
  case "$store" in
    sqlite)
      rm -f "$dir"/report.db*
      measure sqlite "$dir/report.db"
      rm -f "$dir"/report.db*
      ;;
    postgresql)
      OMNIREPORT_PG_OPTIONS="${OMNIREPORT_PG_OPTIONS:-}" "$root/scripts/with-postgres.sh" "$0" --inner
      ;;
  esac
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
