#!/usr/bin/env python3
"""Where `omnireport derive` keeps a core busy and where it leaves one idle (docs/performance.md, issue 18, sixth part).

Runs a command (by default `dotnet DLL derive FILE --now ...`) and samples every thread of it from /proc every
INTERVAL seconds: its state (R = running or waiting for a core) and the CPU time it used since the last sample. Prints
the timeline in slices of SLICE seconds (which threads used the CPU, and how many were runnable), then how long the
process had 0, 1, 2 or more threads runnable. The runnable count is the program's own parallelism and does not depend
on what else runs on the machine (a thread waiting for a core is still R); CPU figures do.

Usage: bench/derive-timeline.py DLL FILE [extra derive arguments]     (INTERVAL=0.005 SLICE=0.1 by default)
"""
import collections
import os
import subprocess
import sys
import time

interval = float(os.environ.get("INTERVAL", "0.005"))
slice_s = float(os.environ.get("SLICE", "0.1"))
tick = os.sysconf("SC_CLK_TCK")
if len(sys.argv) < 3:
    sys.exit(__doc__)
dll, file, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
cmd = ["dotnet", dll, "derive", file, "--now", "2026-04-01T00:00:00Z", *extra]
out = open(os.devnull, "wb")
start = time.monotonic()
proc = subprocess.Popen(cmd, stdout=out)
last = {}  # tid -> cpu ticks
names = {}
samples = []  # (t, runnable, {name: ticks})
while proc.poll() is None:
    t = time.monotonic() - start
    runnable = 0
    used = collections.Counter()
    try:
        tids = os.listdir(f"/proc/{proc.pid}/task")
    except FileNotFoundError:
        break
    for tid in tids:
        try:
            with open(f"/proc/{proc.pid}/task/{tid}/stat") as f:
                s = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        fields = s[s.rindex(")") + 2:].split()
        state, cpu = fields[0], int(fields[11]) + int(fields[12])
        names[tid] = name
        if state == "R":
            runnable += 1
        used[name] += cpu - last.get(tid, 0)
        last[tid] = cpu
    samples.append((t, runnable, used))
    time.sleep(interval)
wall = time.monotonic() - start

print(f"{' '.join(cmd)}\nwall {wall:.2f} s, exit {proc.returncode}, {len(samples)} samples")
print(f"{'from':>6} {'runnable':>8}  CPU by thread (s)")
buckets = collections.defaultdict(lambda: [0, 0, collections.Counter()])
for t, r, used in samples:
    b = buckets[int(t / slice_s)]
    b[0] += r
    b[1] += 1
    b[2].update(used)
for k in sorted(buckets):
    r, n, used = buckets[k]
    top = ", ".join(f"{name} {v / tick:.2f}" for name, v in used.most_common(4) if v > 0)
    print(f"{k * slice_s:6.1f} {r / n:8.1f}  {top}")
hist = collections.Counter(min(r, 3) for _, r, _ in samples)
per = wall / max(1, len(samples))
print("time with N threads runnable: " + ", ".join(f"{n}{'+' if n == 3 else ''}: {hist[n] * per:.2f} s" for n in range(4)))
total = collections.Counter()
for _, _, used in samples:
    total.update(used)
print("CPU by thread over the run: " + ", ".join(f"{name} {v / tick:.2f} s" for name, v in total.most_common(8) if v > 0))
