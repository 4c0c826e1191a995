#!/usr/bin/env bash
# API responsiveness while report jobs run (issue 17): GET /api/v2/engagements latency on a quiet server, then
# while 20 erc_omnichannel_report CSV jobs run over an account of 1,000,000 events (333,334 interactions of 3
# events, seeded through the store's own ingest), and the jobs' total time. The same database is served in turn
# by the baseline's binary (BASELINE, default main, built from `git archive`) and by this tree's, in one run.
# Targets: p99 ≤ 100 ms during the jobs; the jobs' total time at most 25 % above the baseline's.
# The last line is the verdict against both targets (PASS/FAIL each, then overall; exit status 1 on FAIL).
# Usage: bench/report-load.sh   (EVENTS=N, JOBS=N, BASELINE=REF, ROUNDS=N to change; SQLite, the default store)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
events="${EVENTS:-1000000}"
jobs="${JOBS:-20}"
rounds="${ROUNDS:-1}"
baseline="${BASELINE:-main}"
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-load-bench}"
rm -rf "$dir"
mkdir -p "$dir/base-src"

"$root/omnireport" --help >/dev/null 2>&1 || true # build outside the timings
dotnet build "$root/bench/OmniReport.ReportBench" -c Release -o "$dir/bench" -nologo -v quiet >/dev/null
git -C "$root" archive "$baseline" | tar -x -C "$dir/base-src"
dotnet build "$dir/base-src/src/OmniReport.Cli/OmniReport.Cli.csproj" -c Release -o "$dir/base-bin" -nologo -v quiet >/dev/null
# Each binary serves a database seeded by its own store code: a newer schema (e.g. migration 111's job statuses)
# is not one an older binary can write. The seed is deterministic, so both hold the same account.
dotnet build "$dir/base-src/bench/OmniReport.ReportBench" -c Release -o "$dir/base-bench" -nologo -v quiet >/dev/null
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $events events, $jobs jobs; baseline $baseline ($(git -C "$root" rev-parse --short "$baseline")), this tree $(git -C "$root" rev-parse --short HEAD)"

bench() { dotnet "$dir/bench/OmniReport.ReportBench.dll" "$@"; }

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  return 1
}

declare -A db token
db[baseline]="$dir/load-baseline.db"
db[this]="$dir/load-this.db"
token[baseline]=$(dotnet "$dir/base-bench/OmniReport.ReportBench.dll" seed "${db[baseline]}" $(( (events + 2) / 3 )))
token[this]=$(bench seed "${db[this]}" $(( (events + 2) / 3 )))

# measure LABEL DLL: serve the database with that binary, run the load, stop the server.
measure() {
  local label="$1" dll="$2" port pid
  port=$(free_port)
  dotnet "$dll" serve --db "${db[$label]}" --urls "http://127.0.0.1:$port" --rate-limit 0 --log-level warning >"$dir/serve-$label.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  bench load "http://127.0.0.1:$port" "${token[$label]}" "$jobs" | sed "s/^/$label: /" | tee -a "$dir/results.txt"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

for r in $(seq 1 "$rounds"); do
  measure "baseline" "$dir/base-bin/omnireport.dll"
  measure "this" "$root/.build/cli/omnireport.dll"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The verdict against the targets: the worst p99 of this tree during the jobs, and the jobs' total time of each
# binary summed over the rounds (exit 1 when a target is missed, so the script can gate).
verdict=$(awk -v jobs="$jobs" '
  /^this: during / { for (i = 1; i <= NF; i++) if ($i == "p99") { p = $(i + 1) + 0; if (p > p99) p99 = p } }
  /^this: quiet: / { for (i = 1; i <= NF; i++) if ($i == "p99") { p = $(i + 1) + 0; if (p > quiet) quiet = p } }
  / jobs done in / { for (i = 1; i <= NF; i++) if ($i == "in") t[$1] += $(i + 1) }
  END {
    if (!t["this:"] || !t["baseline:"]) { print "verdict: incomplete: a server gave no figures (see its serve-*.log)"; exit }
    slower = 100 * (t["this:"] / t["baseline:"] - 1)
    ok1 = p99 <= 100; ok2 = slower <= 25
    printf "verdict: p99 during %d jobs %.1f ms (quiet %.1f ms; target <= 100 ms): %s; jobs %.1f s vs baseline %.1f s (%+.1f %%, target <= +25 %%): %s; overall: %s\n",
      jobs, p99, quiet, ok1 ? "PASS" : "FAIL", t["this:"], t["baseline:"], slower, ok2 ? "PASS" : "FAIL", ok1 && ok2 ? "PASS" : "FAIL"
  }' "$dir/results.txt")
echo "$verdict"
rm -rf "$dir"
[[ "$verdict" == *"overall: PASS" ]]
