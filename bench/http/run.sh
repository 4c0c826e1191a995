#!/usr/bin/env bash
# The HTTP benchmark of docs/performance.md ("HTTP"): OmniReport and a bare ASP.NET Core app, side by side, in
# one run, on loopback only. Needs wrk (apt-get install -y wrk).
#   bench/http/run.sh [SECONDS]
# Phases: (1) ingest: POST batches of 1,000 events into a fresh SQLite database, 4 connections; the same bodies
# to the bare app's POST /ingest. (2) list: GET /api/v2/engagements?page_size=100 under 32 connections, and the
# same page, captured, from the bare app's GET /page. Prints wrk's figures and a summary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
secs="${1:-20}"
work="$(mktemp -d)"
omni_port=18181
bare_port=18182
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
echo "building (Release)..." >&2
dotnet build "$root/src/OmniReport.Cli/OmniReport.Cli.csproj" -c Release -o "$work/cli" -nologo -v quiet >&2
dotnet build "$here/BareServer/BareServer.csproj" -c Release -o "$work/bare" -nologo -v quiet >&2

cd "$work"
omni() { dotnet "$work/cli/omnireport.dll" "$@"; }
omni accounts create bench --db "$work/bench.db" >/dev/null
token="$(omni tokens create --account bench --db "$work/bench.db")"
# The rate limiter stays on (its cost is part of every request), with a limit the load cannot reach.
dotnet "$work/cli/omnireport.dll" serve --db "$work/bench.db" --urls "http://127.0.0.1:$omni_port" --rate-limit 100000000 >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$omni_port/healthz" >/dev/null && break; sleep 0.2; done

echo "== ingest: OmniReport, POST /api/v2/events, 1,000 events a request, 4 connections, ${secs}s"
wrk -t2 -c4 -d"${secs}s" --timeout 30s --latency -s "$here/ingest.lua" "http://127.0.0.1:$omni_port/api/v2/events" -- "$token" | tee "$work/ingest-omni.txt"

curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$omni_port/api/v2/engagements?page_size=100" >"$work/page.json"
rows=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['agent_engagement_data']))" "$work/page.json")
echo "captured page: $rows rows, $(wc -c <"$work/page.json") bytes"
dotnet "$work/bare/BareServer.dll" "http://127.0.0.1:$bare_port" "$work/page.json" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$bare_port/page" >/dev/null && break; sleep 0.2; done

echo "== ingest: bare ASP.NET Core, POST /ingest (reads the body, fixed answer), same bodies"
wrk -t2 -c4 -d"${secs}s" --timeout 30s --latency -s "$here/ingest.lua" "http://127.0.0.1:$bare_port/ingest" -- "$token" | tee "$work/ingest-bare.txt"

echo "== list: OmniReport, GET /api/v2/engagements?page_size=100, 32 connections"
wrk -t2 -c32 -d"${secs}s" --latency -s "$here/list.lua" "http://127.0.0.1:$omni_port" -- "$token" | tee "$work/list-omni.txt"

echo "== list: bare ASP.NET Core, GET /page (the same page, fixed bytes), 32 connections"
wrk -t2 -c32 -d"${secs}s" --latency -s "$here/list.lua" "http://127.0.0.1:$bare_port" -- "$token" /page | tee "$work/list-bare.txt"

events=$(sqlite3 "$work/bench.db" "select count(*) from event_ids" 2>/dev/null || echo "?")
python3 - "$work" "$events" <<'PY'
import re, sys
work, events = sys.argv[1], sys.argv[2]
def read(name):
    t = open(f"{work}/{name}.txt").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", t)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    return rps, float(p99.group(1)) * scale[p99.group(2)]
io, ib, lo, lb = (read(n) for n in ("ingest-omni", "ingest-bare", "list-omni", "list-bare"))
print()
print("| measurement | OmniReport | bare ASP.NET Core | ratio |")
print("|---|---|---|---|")
print(f"| ingest, events/s (1,000 a request, 4 connections) | {io[0]*1000:,.0f} | {ib[0]*1000:,.0f} | {io[0]/ib[0]:.1%} |")
print(f"| ingest, p99 latency of a batch | {io[1]:.1f} ms | {ib[1]:.1f} ms | |")
print(f"| list page_size=100, requests/s (32 connections) | {lo[0]:,.0f} | {lb[0]:,.0f} | {lo[0]/lb[0]:.1%} |")
print(f"| list page_size=100, p99 latency | {lo[1]:.1f} ms | {lb[1]:.1f} ms | |")
print(f"\nevents stored: {events}")
PY
