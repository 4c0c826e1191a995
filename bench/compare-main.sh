#!/usr/bin/env bash
# Side by side, in one run: the omnireport binary of a base commit (default: main) and of the working tree.
# docs/performance.md ("Projection: before and after"). Phases, each alternating base and new RUNS times (base first
# in odd runs, new first in even ones):
#   (1) import of EVENTS generated events into a fresh SQLite store, then `omnireport rebuild` of that account
#       by the same binary (left out for a base from before issue 10, which has no rebuild);
#   (2) the same into PostgreSQL (a throw-away server from scripts/with-postgres.sh, fsync on);
#   (3) HTTP ingest: POST /api/v2/events, 1,000 events a request, 4 connections, SECS seconds, into SQLite
#       (bench/http/ingest.lua; needs wrk);
#   (4) the report-job queue: claim, one file part, complete, into both databases (bench/queue-compare.sh);
#   (5) http-concurrent (not in the default phases): (3) with both binaries served and loaded at once.
# Usage: bench/compare-main.sh      (BASE=commit, EVENTS=N (1000000), RUNS=N (1), SECS=N (15), PHASES="sqlite postgresql http queue", or "http-concurrent",
#                                   PORT=N (18191): the http phase listens on N, http-concurrent on N+2 and N+3; set another when
#                                   someone else benchmarks on the same machine)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${BASE:-main}"
events="${EVENTS:-1000000}"
runs="${RUNS:-1}"
secs="${SECS:-15}"
port0="${PORT:-18191}"
phases=" ${PHASES:-sqlite postgresql http queue} "
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-compare-bench}"
. "$root/bench/build-both.sh"
build_both "$base" "$dir"
file="$dir/events-$events.ndjson"
[ -s "$file" ] || dotnet "$dir/new/omnireport.dll" generate --events "$events" --seed 1 --out "$file"
echo "input: $(wc -l <"$file") events; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
rate() { sed -n 's/.*(\([0-9]*\) events\/s).*/\1/p'; }
# The order of the two binaries alternates between runs (base first in odd runs, new first in even ones): with base
# always first, an effect of the order (caches, the previous rebuild's writes) could not be told from the binaries'
# (session 7's two import runs each showed a larger gap in their first pair than in their second); an even RUNS
# now puts each binary first as often.
order() { if (($1 % 2)); then echo "base new"; else echo "new base"; fi; }
# A base from before issue 10 has no `rebuild`; its rebuild is then left out.
has_rebuild() { dotnet "$dir/$1/omnireport.dll" rebuild --help >/dev/null 2>&1; }

if [[ "$phases" == *" sqlite "* ]]; then
  for ((run = 1; run <= runs; run++)); do
    for bin in $(order "$run"); do
      rm -f "$dir"/store.db*; sync
      dotnet "$dir/$bin/omnireport.dll" accounts create bench --db "$dir/store.db" 2>/dev/null
      # CPU seconds (user + system) beside the rate: under load the wall time follows the other work on the machine.
      r=$(/usr/bin/time -o "$dir/time.txt" -f "%U %S" dotnet "$dir/$bin/omnireport.dll" import "$file" --account bench --db "$dir/store.db" 2>/dev/null | rate)
      echo "sqlite import     $bin run $run: $r events/s, $(awk '{ printf "%.1f", $1 + $2 }' "$dir/time.txt") CPU-s (load $(cut -d' ' -f1 /proc/loadavg))"
      if has_rebuild "$bin"; then
        sync
        start=$(date +%s.%N)
        dotnet "$dir/$bin/omnireport.dll" rebuild --account bench --db "$dir/store.db" 2>/dev/null
        echo "sqlite rebuild    $bin run $run: $(python3 -c "print(round($events / ($(date +%s.%N) - $start)))") events/s, process start included (load $(cut -d' ' -f1 /proc/loadavg))"
      fi
    done
  done
  rm -f "$dir"/store.db*
fi

if [[ "$phases" == *" postgresql "* ]]; then
  RUNS="$runs" DIR="$dir" FILE="$file" EVENTS="$events" "$root/scripts/with-postgres.sh" bash -c '
    set -euo pipefail
    [ -n "${OMNIREPORT_TEST_POSTGRES:-}" ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
    psql() { command psql "host=127.0.0.1 port=$(sed "s/.*Port=\([0-9]*\).*/\1/" <<<"$OMNIREPORT_TEST_POSTGRES") user=postgres dbname=postgres" -qAt "$@"; }
    for ((run = 1; run <= RUNS; run++)); do
      if ((run % 2)); then order="base new"; else order="new base"; fi
      for bin in $order; do
        psql -c "CREATE DATABASE ${bin}$run"; psql -c "CHECKPOINT"; sync
        db="$(sed "s/Database=[^;]*/Database=${bin}$run/" <<<"$OMNIREPORT_TEST_POSTGRES")"
        dotnet "$DIR/$bin/omnireport.dll" accounts create bench --db "$db" 2>/dev/null
        r=$(dotnet "$DIR/$bin/omnireport.dll" import "$FILE" --account bench --db "$db" 2>/dev/null | sed -n "s/.*(\([0-9]*\) events\/s).*/\1/p")
        echo "postgresql import $bin run $run: $r events/s (load $(cut -d" " -f1 /proc/loadavg))"
      done
      for bin in $order; do
        dotnet "$DIR/$bin/omnireport.dll" rebuild --help >/dev/null 2>&1 || continue
        psql -c "CHECKPOINT"; sync
        db="$(sed "s/Database=[^;]*/Database=${bin}$run/" <<<"$OMNIREPORT_TEST_POSTGRES")"
        start=$(date +%s.%N)
        dotnet "$DIR/$bin/omnireport.dll" rebuild --account bench --db "$db" 2>/dev/null
        echo "postgresql rebuild $bin run $run: $(python3 -c "print(round($EVENTS / ($(date +%s.%N) - $start)))") events/s, process start included (load $(cut -d" " -f1 /proc/loadavg))"
      done
      psql -c "DROP DATABASE base$run" -c "DROP DATABASE new$run"
    done'
fi

if [[ "$phases" == *" http "* ]]; then
  command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
  port=$port0
  for ((run = 1; run <= runs; run++)); do
    for bin in $(order "$run"); do
      rm -f "$dir"/http.db*
      omni() { dotnet "$dir/$bin/omnireport.dll" "$@"; }
      omni accounts create bench --db "$dir/http.db" >/dev/null 2>&1
      token="$(omni tokens create --account bench --db "$dir/http.db")"
      # dotnet itself in the background (not the shell function), so that $! is the server and kill stops it.
      dotnet "$dir/$bin/omnireport.dll" serve --db "$dir/http.db" --urls "http://127.0.0.1:$port" --rate-limit 100000000 >"$dir/serve-$bin.log" 2>&1 &
      pid=$!
      for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
      rps=$(wrk -t2 -c4 -d"${secs}s" --timeout 30s -s "$root/bench/http/ingest.lua" "http://127.0.0.1:$port/api/v2/events" -- "$token" | sed -n 's/Requests\/sec:[[:space:]]*\([0-9.]*\)/\1/p')
      peak=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
      kill "$pid"; wait "$pid" 2>/dev/null || true
      echo "http ingest       $bin run $run: $(python3 -c "print(round($rps * 1000))") events/s (1,000 a request, 4 connections, ${secs}s; server's peak RSS $peak MB; load $(cut -d' ' -f1 /proc/loadavg))"
    done
  done
  rm -f "$dir"/http.db*
fi

# (5) "http-concurrent": both binaries serve at once (each its own SQLite database and port) and wrk loads both at
# once, after a 3 s warm-up of each: the same machine load for both, where runs one after the other can move by ±30 %
# on a shared machine. Each server then has about one core, so read the ratio, not the events/s.
if [[ "$phases" == *" http-concurrent "* ]]; then
  command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
  for ((run = 1; run <= runs; run++)); do
    declare -A pids=() ports=([base]=$((port0 + 2)) [new]=$((port0 + 3)))
    for bin in base new; do
      rm -f "$dir/http-$bin.db"*
      dotnet "$dir/$bin/omnireport.dll" accounts create bench --db "$dir/http-$bin.db" >/dev/null 2>&1
      dotnet "$dir/$bin/omnireport.dll" tokens create --account bench --db "$dir/http-$bin.db" >"$dir/token-$bin"
      dotnet "$dir/$bin/omnireport.dll" serve --db "$dir/http-$bin.db" --urls "http://127.0.0.1:${ports[$bin]}" --rate-limit 100000000 >"$dir/serve-$bin.log" 2>&1 &
      pids[$bin]=$!
    done
    for bin in base new; do
      for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:${ports[$bin]}/healthz" >/dev/null && break; sleep 0.2; done
    done
    load() { wrk -t1 -c4 -d"$1s" --timeout 30s -s "$root/bench/http/ingest.lua" "http://127.0.0.1:${ports[$2]}/api/v2/events" -- "$(cat "$dir/token-$2")"; }
    load 3 base >/dev/null & a=$!; load 3 new >/dev/null & b=$!; wait "$a" "$b"
    load "$secs" base >"$dir/wrk-base.txt" & a=$!; load "$secs" new >"$dir/wrk-new.txt" & b=$!; wait "$a" "$b"
    kill "${pids[base]}" "${pids[new]}"; wait "${pids[base]}" "${pids[new]}" 2>/dev/null || true
    rps() { sed -n 's/Requests\/sec:[[:space:]]*\([0-9.]*\)/\1/p' "$dir/wrk-$1.txt"; }
    echo "http concurrent   run $run: base $(python3 -c "print(round($(rps base) * 1000))") · new $(python3 -c "print(round($(rps new) * 1000))") events/s at once (new ÷ base $(python3 -c "print(round($(rps new) / $(rps base), 3))"); 1,000 a request, 4 connections each, ${secs}s; load $(cut -d' ' -f1 /proc/loadavg))"
  done
  rm -f "$dir"/http-*.db*
fi

if [[ "$phases" == *" queue "* ]]; then
  BASE="$base" RUNS="$runs" "$root/bench/queue-compare.sh"
fi
