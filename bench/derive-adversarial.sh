#!/usr/bin/env bash
# Old against new `omnireport derive` on adversarial streams (bench/derive-adversarial.py): for each seed, a stream of
# 1,000–20,000 events (two in three under 5,000), derived by the BASE binary and the working tree's in both reports,
# each in a format picked by the seed (every format over three seeds), and by the working tree's on one parse thread
# and on three in one of them; stdout and stderr compared byte for byte.
# Account settings vary by seed. A stream that differs is kept as $dir/diff-SEED.ndjson with both outputs. Stops after SECONDS_BUDGET seconds.
# Usage: bench/derive-adversarial.sh FIRST_SEED LAST_SEED   (BASE=16880c6 OMNIREPORT_BENCH_DIR=dir SECONDS_BUDGET=1200
#        NOBUILD=1 to reuse $dir/base and $dir/new)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${BASE:-16880c6}"
dir="${OMNIREPORT_BENCH_DIR:-/tmp/omnireport-derive-adversarial}"
budget="${SECONDS_BUDGET:-1200}"
first="${1:-1}" last="${2:-100}"
if [ -z "${NOBUILD:-}" ]; then
  . "$root/bench/build-both.sh"
  build_both "$base" "$dir"
fi
start=$SECONDS streams=0 lines=0 runs=0 diffs=0
run() { # NAME BINARY ARGS...
  local name="$1" bin="$2"; shift 2
  dotnet "$dir/$bin/omnireport.dll" "$@" >"$dir/$name.out" 2>"$dir/$name.err"; echo "exit $?" >>"$dir/$name.err"
  runs=$((runs + 1))
}
for seed in $(seq "$first" "$last"); do
  [ $((SECONDS - start)) -ge "$budget" ] && break
  events=$(( (seed * 7919) % 19001 + 1000 ))
  [ $((seed % 3)) != 0 ] && events=$(( (seed * 7919) % 4001 + 1000 ))
  file="$dir/events-$seed.ndjson"
  python3 "$root/bench/derive-adversarial.py" "$seed" "$events" >"$file"
  streams=$((streams + 1)); lines=$((lines + $(wc -l <"$file")))
  zones=(UTC Europe/Lisbon America/St_Johns Asia/Kathmandu Pacific/Kiritimati)
  zone=${zones[$((seed % 5))]}
  now=$( [ $((seed % 3)) = 0 ] && echo 2026-03-04T12:00:00Z || echo 2026-04-01T00:00:00Z )
  # Account settings of every kind, by seed (none for one seed in five).
  settings=()
  case $((seed % 5)) in
    1) echo '{"inactivity_timeout_minutes": 1, "open_engagement_max_days": 2}' >"$dir/settings.json" ;;
    2) echo '{"messaging_activity_routing": true, "inactivity_timeout_minutes": 30}' >"$dir/settings.json" ;;
    3) echo '{"inactive_conversations_count_toward_capacity": true, "open_engagement_max_days": 1}' >"$dir/settings.json" ;;
    4) echo '{"business_hours": {"timezone": "America/New_York", "weekly": [{"day": "mon", "start": "09:00", "end": "17:00"}, {"day": "tue", "start": "00:00", "end": "24:00"}, {"day": "wed", "start": "08:00", "end": "12:00"}, {"day": "wed", "start": "13:00", "end": "18:30"}, {"day": "sat", "start": "10:00", "end": "11:00"}], "holidays": ["2026-03-03"]}}' >"$dir/settings.json" ;;
  esac
  [ $((seed % 5)) != 0 ] && settings=(--settings "$dir/settings.json")
  formats=(json json_bulk csv)
  extra=$((seed % 2)) k=0 bad=""
  for report in engagements erc_omnichannel_report; do
    for format in ${formats[$(( (seed + k) % 3 ))]}; do
      args=(derive "$file" --now "$now" --report "$report" --format "$format" --timezone "$zone" "${settings[@]}")
      run base base "${args[@]}"
      run new new "${args[@]}"
      cmp -s "$dir/base.out" "$dir/new.out" && cmp -s "$dir/base.err" "$dir/new.err" || bad="$bad $report/$format"
      if [ "$k" = "$extra" ]; then
        run one new "${args[@]}" --parse-threads 1
        run three new "${args[@]}" --parse-threads 3
        for t in one three; do
          cmp -s "$dir/base.out" "$dir/$t.out" && cmp -s "$dir/base.err" "$dir/$t.err" || bad="$bad $report/$format/$t"
        done
      fi
      if [ -n "$bad" ]; then
        cp "$file" "$dir/diff-$seed.ndjson"
        for t in base new one three; do [ -f "$dir/$t.out" ] && cp "$dir/$t.out" "$dir/diff-$seed-$t.out" && cp "$dir/$t.err" "$dir/diff-$seed-$t.err"; done
        break 2
      fi
      k=$((k + 1))
    done
  done
  if [ -n "$bad" ]; then
    echo "seed $seed ($events events): DIFFERENT:$bad"; diffs=$((diffs + 1))
  else
    echo "seed $seed ($events events, $(wc -l <"$file") lines, $(grep -c 'line ' "$dir/base.err") named): identical"
    rm -f "$file"
  fi
done
echo "$streams streams, $lines lines, $runs derive runs, $diffs streams different, $((SECONDS - start)) s"
rm -f "$dir"/{base,new,one,three}.{out,err}
