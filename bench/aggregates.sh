#!/usr/bin/env bash
# Aggregates benchmark (SPEC §7, issue #11): one database, two accounts — SMALL events and LARGE events (default
# 200,000 and 2,000,000) — and the same query on both (a year, P1D, grouped by agent_id, three metrics), median of
# RUNS, both in the same run; on SQLite, and on PostgreSQL when scripts/with-postgres.sh can start one.
# Usage: bench/aggregates.sh            (SMALL=20000 LARGE=200000 RUNS=5 bench/aggregates.sh for a quick check)
# BASE=commit also builds that commit's benchmark and runs it right after, on its own database seeded the same way,
# with the same runtime settings (those of `omnireport serve`; set by environment for a base that lacks them).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
small="${SMALL:-200000}"; large="${LARGE:-2000000}"; runs="${RUNS:-15}"
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-aggregate-bench}"
rm -rf "$dir"; mkdir -p "$dir"
dotnet build "$root/bench/OmniReport.AggregateBench" -c Release -o "$dir/bench" -nologo -v quiet >/dev/null
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet "$dir/bench/OmniReport.AggregateBench.dll" "$dir/bench.db" "$small" "$large" "$runs"
if [ -n "${BASE:-}" ]; then
  mkdir -p "$dir/base-src"
  git -C "$root" archive "$BASE" | tar -x -C "$dir/base-src"
  dotnet build "$dir/base-src/bench/OmniReport.AggregateBench" -c Release -o "$dir/base" -nologo -v quiet >/dev/null
  echo "base $BASE ($(git -C "$root" rev-parse --short "$BASE")), load average $(cut -d' ' -f1-3 /proc/loadavg):"
  rm -f "$dir"/bench.db*
  DOTNET_gcConcurrent=0 DOTNET_GCgen0MaxBudget=2000000 DOTNET_TieredPGO=1 DOTNET_TC_QuickJit=0 \
    dotnet "$dir/base/OmniReport.AggregateBench.dll" "$dir/base.db" "$small" "$large" "$runs"
  rm -f "$dir"/base.db*
fi
if [ "${STORES:-sqlite postgresql}" != sqlite ]; then  # (BASE: SQLite only)
  OMNIREPORT_PG_OPTIONS="" "$root/scripts/with-postgres.sh" bash -c \
    'if [ -n "${OMNIREPORT_TEST_POSTGRES:-}" ]; then dotnet "$0" "$OMNIREPORT_TEST_POSTGRES" "$1" "$2" "$3"; else echo "PostgreSQL: not installed, skipped"; fi' \
    "$dir/bench/OmniReport.AggregateBench.dll" "$small" "$large" "$runs"
fi
