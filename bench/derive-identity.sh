#!/usr/bin/env bash
# Issue 18's identity check: `omnireport derive` of the working tree against the BASE commit's binary (default ac9b6e5,
# the main commit issue 18 started from) over EVENTS generated events (default 1,000,000; 5 % late, 1 % duplicate
# deliveries) with a bad line of SPEC §1 after every 10,000th event: stdout byte for byte in every report and format
# (engagements and erc_omnichannel_report; json, json_bulk, csv) and stderr (the rejected lines, in file order), and the
# same for the working tree on one parse thread (--parse-threads 1). Exits 1 on the first difference.
# Usage: bench/derive-identity.sh   (EVENTS=N BASE=commit OMNIREPORT_BENCH_DIR=dir)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${BASE:-ac9b6e5}"
events="${EVENTS:-1000000}"
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-derive-identity}"
. "$root/bench/build-both.sh"
build_both "$base" "$dir"
file="$dir/events-$events-faulty.ndjson"
if [ ! -s "$file" ]; then
  dotnet "$dir/new/omnireport.dll" generate --events "$events" --seed 7 --late 0.05 --duplicates 0.01 --out "$dir/generated.ndjson" 2>/dev/null
  # Bad lines: not JSON, unknown type, a bad timestamp, invalid UTF-8, a member twice, an id of 200 characters, blank.
  awk 'BEGIN { bad[0] = "{\"id\":\"x1\", not json}"; bad[1] = "{\"id\":\"x2\",\"type\":\"call.started\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"q\"}"
               bad[2] = "{\"id\":\"x3\",\"type\":\"interaction.ended\",\"occurred_at\":\"2026-02-30T09:00:00Z\",\"interaction_id\":\"q\"}"
               bad[3] = "{\"id\":\"x4\",\"type\":\"offer.created\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"q\",\"agent_id\":\"7\",\"agent_name\":\"\xff\xfe\"}"
               bad[4] = "{\"id\":\"x5\",\"id\":\"x6\",\"type\":\"interaction.ended\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"q\"}"
               s = ""; for (i = 0; i < 200; i++) s = s "x"; bad[5] = "{\"id\":\"" s "\",\"type\":\"interaction.ended\",\"occurred_at\":\"2026-03-02T09:00:00Z\",\"interaction_id\":\"q\"}"
               bad[6] = "   " }
       { print } NR % 10000 == 0 { print bad[(NR / 10000) % 7] }' "$dir/generated.ndjson" >"$file"
  rm -f "$dir/generated.ndjson"
fi
echo "input: $(wc -l <"$file") lines, $(du -h "$file" | cut -f1); load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for report in engagements erc_omnichannel_report; do
  for format in json json_bulk csv; do
    args=(derive "$file" --now 2026-04-01T00:00:00Z --report "$report" --format "$format" --timezone Europe/Lisbon)
    dotnet "$dir/base/omnireport.dll" "${args[@]}" >"$dir/base.out" 2>"$dir/base.err" || true
    dotnet "$dir/new/omnireport.dll" "${args[@]}" >"$dir/new.out" 2>"$dir/new.err" || true
    dotnet "$dir/new/omnireport.dll" "${args[@]}" --parse-threads 1 >"$dir/one.out" 2>"$dir/one.err" || true
    if cmp -s "$dir/base.out" "$dir/new.out" && cmp -s "$dir/base.err" "$dir/new.err" && cmp -s "$dir/base.out" "$dir/one.out" && cmp -s "$dir/base.err" "$dir/one.err"; then
      echo "identical: $report $format ($(du -h "$dir/new.out" | cut -f1) out, $(grep -c 'line ' "$dir/new.err") rejected lines named)"
    else
      echo "DIFFERENT: $report $format"; status=1
    fi
  done
done
rm -f "$dir"/*.out "$dir"/*.err
exit $status
