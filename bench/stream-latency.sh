#!/usr/bin/env bash
# Live stream (issue 13): the time from the HTTP response of an ingest to its message on an open GET /api/v2/stream,
# under a steady RATE events a second (default 2,000: a batch of 100 new interactions every 50 ms, one change each),
# p50/p90/p99; then IDLE (default 1,000) idle stream connections held, with the server's RSS. SQLite, then
# PostgreSQL (a throw-away server from scripts/with-postgres.sh, default settings) when PostgreSQL is installed.
# Targets (SPEC §9, issue 13): p50 ≤ 50 ms, p99 ≤ 1 s on both stores; 1,000 idle streams under 300 MB.
# There is no baseline: main has no stream.
# Usage: bench/stream-latency.sh   (RATE=N, SECS=N, IDLE=N to change)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rate="${RATE:-2000}"
secs="${SECS:-30}"
idle="${IDLE:-1000}"
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-stream-bench}"

if [ "${STREAM_BENCH_STORE:-}" = "" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  "$root/omnireport" --help >/dev/null 2>&1 || true # build outside the timings
  dotnet build "$root/bench/OmniReport.StreamBench" -c Release -o "$dir/bench" -nologo -v quiet >/dev/null
  echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $rate events/s for $secs s, $idle idle streams; tree $(git -C "$root" rev-parse --short HEAD)"
  STREAM_BENCH_STORE=sqlite "$0"
  if command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    OMNIREPORT_PG_OPTIONS="" STREAM_BENCH_STORE=postgresql "$root/scripts/with-postgres.sh" "$0"
  else
    echo "postgresql: not installed, skipped"
  fi
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  rm -rf "$dir"
  exit 0
fi

cli="$root/.build/cli/omnireport.dll"
label="$STREAM_BENCH_STORE"
if [ "$label" = "sqlite" ]; then db="$dir/stream.db"; else db="$OMNIREPORT_TEST_POSTGRES"; fi
dotnet "$cli" accounts create bench --db "$db" >/dev/null
token=$(dotnet "$cli" tokens create --account bench --db "$db")

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  return 1
}

port=$(free_port)
dotnet "$cli" serve --db "$db" --urls "http://127.0.0.1:$port" --rate-limit 0 --log-level warning >"$dir/serve-$label.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
bench() { dotnet "$dir/bench/OmniReport.StreamBench.dll" "$@"; }
bench latency "http://127.0.0.1:$port" "$token" "$rate" "$secs" | sed "s/^/$label: /"
bench idle "http://127.0.0.1:$port" "$token" "$idle" "$pid" | sed "s/^/$label: /"
kill "$pid"
wait "$pid" 2>/dev/null || true
