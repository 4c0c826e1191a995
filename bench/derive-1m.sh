#!/usr/bin/env bash
# Load test of `omnireport derive`: generates 1,000,000 events with `omnireport generate` (once; kept in
# $OMNIREPORT_BENCH_DIR, default /tmp/omnireport-bench) and times `omnireport derive` over them with
# /usr/bin/time -v, RUNS times (default 5). Prints each run's wall time and peak RSS, then the best and the
# median. Targets: under 3 s wall time and under 500 MB peak memory.
# Usage: bench/derive-1m.sh [extra derive options, e.g. --report erc_omnichannel_report --format csv]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-bench}"
runs="${RUNS:-5}"
events="${EVENTS:-1000000}"
mkdir -p "$dir"
file="$dir/events-$events.ndjson"

"$root/omnireport" --help >/dev/null 2>&1 || true # build the command first, outside the timings
if [ ! -s "$file" ]; then
  echo "generating $events events into $file"
  /usr/bin/time -f "generate: %e s wall, %M KB peak RSS" "$root/omnireport" generate --events "$events" --seed 1 --out "$file"
fi
echo "input: $(wc -l <"$file") events, $(du -h "$file" | cut -f1)"

walls=(); rsss=(); cpus=()
for i in $(seq 1 "$runs"); do
  log="$dir/time-$i.txt"
  /usr/bin/time -v "$root/omnireport" derive "$file" --now 2026-04-01T00:00:00Z "$@" >"$dir/out.json" 2>"$log"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + p[j]; print s }' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log")
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$log")
  walls+=("$wall"); rsss+=("$rss"); cpus+=("$cpu")
  echo "run $i: ${wall} s wall, ${cpu} s CPU (user + system), ${rss} MB peak RSS, output $(du -h "$dir/out.json" | cut -f1)"
done

summary() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "best %s, median %s", v[1], m }'; }
echo "wall time (s): $(summary "${walls[@]}")  — target < 3"
echo "CPU time (s): $(summary "${cpus[@]}")  — less sensitive than wall time to other processes on the machine"
echo "peak RSS (MB): $(summary "${rsss[@]}")  — target < 500"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
