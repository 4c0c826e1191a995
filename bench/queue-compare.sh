#!/usr/bin/env bash
# The report-job queue's hot path (claim, one file part, complete) of a base commit beside the working tree, in one
# run: bench/OmniReport.QueueBench built against each tree's store (it uses only IReportJobQueue, the same in both),
# alternating base and new RUNS times, into SQLite and into PostgreSQL (a throw-away server, scripts/with-postgres.sh).
# Usage: bench/queue-compare.sh      (BASE=commit (main), JOBS=N (2000), RUNS=N (3))
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${BASE:-main}"
jobs="${JOBS:-2000}"
runs="${RUNS:-3}"
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-queue-bench}"
rm -rf "$dir" && mkdir -p "$dir/base-src"
git -C "$root" archive "$base" | tar -x -C "$dir/base-src"
rm -rf "$dir/base-src/bench/OmniReport.QueueBench" && cp -r "$root/bench/OmniReport.QueueBench" "$dir/base-src/bench/"
rm -rf "$dir/base-src/bench/OmniReport.QueueBench/bin" "$dir/base-src/bench/OmniReport.QueueBench/obj"
echo "building $base ($(git -C "$root" rev-parse --short "$base")) and the working tree ($(git -C "$root" rev-parse --short HEAD)+)..." >&2
dotnet build "$dir/base-src/bench/OmniReport.QueueBench/OmniReport.QueueBench.csproj" -c Release -o "$dir/base" -nologo -v quiet >&2
dotnet build "$root/bench/OmniReport.QueueBench/OmniReport.QueueBench.csproj" -c Release -o "$dir/new" -nologo -v quiet >&2
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for ((run = 1; run <= runs; run++)); do
  for bin in base new; do
    rm -f "$dir"/queue.db*
    echo "sqlite     $bin run $run: $(dotnet "$dir/$bin/OmniReport.QueueBench.dll" "$dir/queue.db" "$jobs") (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
rm -f "$dir"/queue.db*
RUNS="$runs" JOBS="$jobs" DIR="$dir" "$root/scripts/with-postgres.sh" bash -c '
  set -euo pipefail
  [ -n "${OMNIREPORT_TEST_POSTGRES:-}" ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
  psql() { command psql "host=127.0.0.1 port=$(sed "s/.*Port=\([0-9]*\).*/\1/" <<<"$OMNIREPORT_TEST_POSTGRES") user=postgres dbname=postgres" -qAt "$@"; }
  for ((run = 1; run <= RUNS; run++)); do
    for bin in base new; do
      psql -c "CREATE DATABASE q${bin}$run"
      db="$(sed "s/Database=[^;]*/Database=q${bin}$run/" <<<"$OMNIREPORT_TEST_POSTGRES")"
      echo "postgresql $bin run $run: $(dotnet "$DIR/$bin/OmniReport.QueueBench.dll" "$db" "$JOBS") (load $(cut -d" " -f1 /proc/loadavg))"
      psql -c "DROP DATABASE q${bin}$run"
    done
  done'
