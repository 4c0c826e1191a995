#!/usr/bin/env bash
# Issue 18's benchmark, one command, everything side by side in ONE run (docs/performance.md §9):
#   - `omnireport derive` (working tree) over EVENTS generated events (default 1,000,000) against the parse-only
#     baseline (bench/OmniReport.ParseBaseline: Utf8JsonReader over every event, every string materialized, every
#     occurred_at parsed, nothing else) and against the BASE commit's derive, alternating, RUNS times (default 5):
#     wall time, CPU time (user + system) and peak RSS from /usr/bin/time -v, medians, and derive ÷ baseline (target
#     <= 2.0, < 400 MB; CPU moves less than wall time on a loaded machine);
#   - `omnireport import` of the same file into a fresh SQLite store, BASE binary and working tree alternating,
#     IMPORT_RUNS times (default 3): events/s as import prints them, median ratio (target >= 1.30).
# BASE defaults to ac9b6e5, the main commit issue 18 started from (the "before" binary).
# Usage: bench/derive-vs-baseline.sh   (EVENTS=N RUNS=N IMPORT_RUNS=N BASE=commit R2R=1|0 OMNIREPORT_BENCH_DIR=dir)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${BASE:-ac9b6e5}"
events="${EVENTS:-1000000}"
runs="${RUNS:-5}"
import_runs="${IMPORT_RUNS:-3}"
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-derive-vs-baseline}"
now="2026-04-01T00:00:00Z"
rm -rf "$dir/base-src" "$dir/base" "$dir/new" "$dir/baseline"
mkdir -p "$dir/base-src"
git -C "$root" archive "$base" | tar -x -C "$dir/base-src"
echo "building $base ($(git -C "$root" rev-parse --short "$base")), the working tree ($(git -C "$root" rev-parse --short HEAD)+) and the baseline..." >&2
# All three alike: published ReadyToRun for this machine, as ./omnireport builds the command (R2R=0: plain builds,
# every method compiled by the JIT at its first call, as before).
build() {
  if [ "${R2R:-1}" = 1 ]; then
    dotnet publish "$1" -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o "$2" -nologo -v quiet >&2
  else
    dotnet build "$1" -c Release -o "$2" -nologo -v quiet >&2
  fi
}
build "$dir/base-src/src/OmniReport.Cli/OmniReport.Cli.csproj" "$dir/base"
build "$root/src/OmniReport.Cli/OmniReport.Cli.csproj" "$dir/new"
build "$root/bench/OmniReport.ParseBaseline/OmniReport.ParseBaseline.csproj" "$dir/baseline"
file="$dir/events-$events.ndjson"
[ -s "$file" ] || dotnet "$dir/new/omnireport.dll" generate --events "$events" --seed 1 --out "$file" 2>/dev/null
echo "input: $(wc -l <"$file") events, $(du -h "$file" | cut -f1); machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# One timed run: prints "wall_seconds peak_MB cpu_seconds".
timed() {
  /usr/bin/time -v "$@" >"$dir/stdout" 2>"$dir/time.txt"
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (j = 1; j <= n; j++) s = s * 60 + p[j]; w = s }
              /User time \(seconds\)|System time \(seconds\)/ { c += $2 }
              /Maximum resident set size/ { m = $2 / 1024 } END { printf "%.2f %.0f %.2f\n", w, m, c }' "$dir/time.txt"
}

declare -A wall rss cpu
for ((run = 1; run <= runs; run++)); do
  for prog in baseline new base; do
    case $prog in
      baseline) r=$(timed dotnet "$dir/baseline/OmniReport.ParseBaseline.dll" "$file") ;;
      *) r=$(timed dotnet "$dir/$prog/omnireport.dll" derive "$file" --now "$now") ;;
    esac
    read -r w m c <<<"$r"
    wall[$prog]+="$w "; rss[$prog]+="$m "; cpu[$prog]+="$c "
    printf 'derive run %d  %-8s %6s s wall  %6s s CPU  %5s MB peak RSS  (load %s)\n' "$run" "$prog" "$w" "$c" "$m" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done

median() { printf '%s\n' $1 | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A imp
for ((run = 1; run <= import_runs; run++)); do
  for prog in base new; do
    rm -f "$dir"/store.db*; sync
    dotnet "$dir/$prog/omnireport.dll" accounts create bench --db "$dir/store.db" >/dev/null 2>&1
    r=$(dotnet "$dir/$prog/omnireport.dll" import "$file" --account bench --db "$dir/store.db" 2>/dev/null | sed -n 's/.*(\([0-9]*\) events\/s).*/\1/p')
    imp[$prog]+="$r "
    printf 'import run %d  %-8s %7s events/s into SQLite  (load %s)\n' "$run" "$prog" "$r" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
rm -f "$dir"/store.db* "$dir/stdout"

echo
b=$(median "${wall[baseline]}"); n=$(median "${wall[new]}"); o=$(median "${wall[base]}")
echo "median wall: baseline $b s, derive $n s (before: $o s) -> derive / baseline = $(python3 -c "print(round($n / $b, 2))") (target <= 2.0; before $(python3 -c "print(round($o / $b, 2))"))"
echo "median CPU (user + system): baseline $(median "${cpu[baseline]}") s, derive $(median "${cpu[new]}") s, before $(median "${cpu[base]}") s"
echo "median peak RSS: baseline $(median "${rss[baseline]}") MB, derive $(median "${rss[new]}") MB (target < 400), before $(median "${rss[base]}") MB"
if [ "$import_runs" -gt 0 ]; then
  ib=$(median "${imp[base]}"); in=$(median "${imp[new]}")
  echo "median import into SQLite: before $ib events/s, now $in events/s -> $(python3 -c "print(f'{($in / $ib - 1) * 100:+.0f} %')") (target >= +30 %)"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
