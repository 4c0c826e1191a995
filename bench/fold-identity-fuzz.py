#!/usr/bin/env python3
"""`omnireport derive` of two builds side by side over many small streams, every report and format, stdout and stderr
byte for byte (each stream in both reports and one format at random, or every format with --all-formats): the shared scenarios' events (NDJSON and JSON array), `omnireport generate` with random seeds and option
mixes, and bench/fold-stress.py's streams, as they are and with lines rewritten by bench/mutate-lines.py. The new build runs on the default threads, on one (--parse-threads 1) and on
a random 2–8 (more fold parts than cores, so more merges); each is compared with the base build's default run.
A stream that differs is kept under WORK/diffs with the command lines.

Usage: bench/fold-identity-fuzz.py BASE_DIR NEW_DIR WORK_DIR SECONDS [--jobs N] [--seed N]
  (BASE_DIR and NEW_DIR hold omnireport.dll, e.g. built as bench/build-both.sh does)
"""
import argparse
import concurrent.futures
import glob
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = sorted(glob.glob(os.path.join(HERE, "..", "..", "shared", "scenarios", "*.json")))  # beside the repository
REPORTS = ["engagements", "erc_omnichannel_report"]
FORMATS = ["json", "json_bulk", "csv"]
ZONES = ["UTC", "Europe/Lisbon", "America/New_York", "Asia/Kolkata"]
lock = threading.Lock()
totals = {"streams": 0, "events": 0, "comparisons": 0, "differences": 0}


def run(dll, args):
    p = subprocess.run(["dotnet", dll] + args, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def make_stream(kind, seed, d, new_dll):
    rng = random.Random(seed)
    path = os.path.join(d, "events.ndjson")
    settings = None
    if kind == "scenario":
        sc = json.load(open(SCENARIOS[seed % len(SCENARIOS)], encoding="utf-8"))
        evs = sc["events"]
        if rng.random() < 0.5:
            rng.shuffle(evs)  # arrival order changes nothing but ties
        with open(path, "w", encoding="utf-8") as f:
            if rng.random() < 0.5:
                json.dump(evs, f)
            else:
                f.write("\n".join(json.dumps(e) for e in evs) + "\n")
        if sc.get("settings"):
            settings = os.path.join(d, "settings.json")
            json.dump(sc["settings"], open(settings, "w"))
        now = sc.get("now", "2026-06-01T00:00:00Z")
        return path, settings, now, f"scenario {os.path.basename(SCENARIOS[seed % len(SCENARIOS)])}"
    if kind == "generate":
        opts = ["generate", "--seed", str(seed), "--events", str(rng.choice([1000, 3000, 8000, 20000])), "--out", path]
        if rng.random() < 0.7:
            opts += ["--late", str(rng.choice([0.01, 0.05, 0.3]))]
        if rng.random() < 0.6:
            opts += ["--duplicates", str(rng.choice([0.01, 0.1]))]
        if rng.random() < 0.5:
            kinds = ["messaging", "chat", "email", "voice", "sms", "whatsapp", "social", "bot-only"]
            opts += ["--channels", ",".join(f"{k}={rng.randint(1, 5)}" for k in rng.sample(kinds, rng.randint(1, 4)))]
        if rng.random() < 0.4:
            opts += ["--agents", str(rng.choice([2, 3, 5]))]
        if rng.random() < 0.3:
            opts += ["--groups", str(rng.choice([1, 2]))]
        if rng.random() < 0.4:
            opts += ["--days", str(rng.choice([1, 2, 30]))]
        if rng.random() < 0.3:
            opts += ["--timezone", rng.choice(ZONES)]
        rc, _, err = run(new_dll, opts)
        if rc != 0:
            raise RuntimeError(f"generate failed: {opts} {err[-300:]}")
        if rng.random() < 0.4:
            settings = os.path.join(d, "settings.json")
            s = {}
            if rng.random() < 0.6:
                s["inactivity_timeout_minutes"] = rng.choice([1, 3, 10, 60])
            if rng.random() < 0.2:
                s["messaging_activity_routing"] = True
            if rng.random() < 0.4:
                s["open_engagement_max_days"] = rng.choice([1, 14])
            if rng.random() < 0.4:
                s["business_hours"] = {"timezone": rng.choice(ZONES), "weekly": [{"day": "mon", "start": "08:00", "end": "12:00"},
                                       {"day": "mon", "start": "13:00", "end": "24:00"}, {"day": "wed", "start": "09:00", "end": "17:30"}]}
            json.dump(s, open(settings, "w"))
        now = rng.choice(["2026-03-02T12:00:00Z", "2026-03-04T00:00:00Z", "2026-03-09T00:00:00Z", "2026-04-01T00:00:00Z", "2027-01-01T00:00:00Z"])
        return path, settings, now, "generate " + " ".join(o for o in opts if o != path and o != "--out")
    settings = os.path.join(d, "settings.json")
    p = subprocess.run([sys.executable, os.path.join(HERE, "fold-stress.py"), str(seed), path, "--settings", settings],
                       capture_output=True, text=True, check=True)
    if kind == "mutate":  # the same stream with some lines rewritten, valid or not (bench/mutate-lines.py)
        fraction = rng.choice(["0.02", "0.1", "0.4"])
        subprocess.run([sys.executable, os.path.join(HERE, "mutate-lines.py"), str(seed), path, path + ".m", fraction], check=True)
        os.replace(path + ".m", path)
        return path, settings, p.stdout.strip(), f"fold-stress {seed} mutated {fraction}"
    return path, settings, p.stdout.strip(), f"fold-stress {seed}"


def one(kind, seed, base_dll, new_dll, work, all_formats):
    d = os.path.join(work, f"{kind}-{seed}")
    os.makedirs(d, exist_ok=True)
    rng = random.Random(seed * 7 + 1)
    path, settings, now, what = make_stream(kind, seed, d, new_dll)
    events = sum(1 for _ in open(path, "rb")) if not open(path, "rb").read(1) == b"[" else 0
    zone = rng.choice(ZONES)
    k = str(rng.randint(2, 8))
    diffs = []
    n = 0
    for report in REPORTS:
        for fmt in FORMATS if all_formats else [rng.choice(FORMATS)]:
            args = ["derive", path, "--now", now, "--report", report, "--format", fmt, "--timezone", zone]
            if settings:
                args += ["--settings", settings]
            base = run(base_dll, args)
            for extra in ([], ["--parse-threads", "1"], ["--parse-threads", k]):
                new = run(new_dll, args + extra)
                n += 1
                if new != base:
                    diffs.append((args + extra, base, new))
    with lock:
        totals["streams"] += 1
        totals["events"] += events
        totals["comparisons"] += n
        totals["differences"] += len(diffs)
    if diffs:
        keep = os.path.join(work, "diffs", f"{kind}-{seed}")
        os.makedirs(keep, exist_ok=True)
        for f in os.listdir(d):
            shutil.copy(os.path.join(d, f), keep)
        with open(os.path.join(keep, "commands.txt"), "w") as f:
            for args, base, new in diffs:
                f.write(" ".join(args) + f"\n  base rc={base[0]} out={len(base[1])} err={len(base[2])}; new rc={new[0]} out={len(new[1])} err={len(new[2])}\n")
        print(f"DIFFERENT: {what} ({len(diffs)} of {n}) -> {keep}", flush=True)
    else:
        print(f"identical: {what}, {events} lines, {n} runs", flush=True)
    shutil.rmtree(d, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("new")
    ap.add_argument("work")
    ap.add_argument("seconds", type=float)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", default="scenario,generate,stress,stress,mutate")
    ap.add_argument("--all-formats", action="store_true", help="every format for each stream (default: one, at random)")
    a = ap.parse_args()
    base_dll = os.path.join(a.base, "omnireport.dll")
    new_dll = os.path.join(a.new, "omnireport.dll")
    os.makedirs(a.work, exist_ok=True)
    kinds = a.kinds.split(",")
    deadline = time.time() + a.seconds
    seed = a.seed
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        running = set()
        while time.time() < deadline or running:
            while time.time() < deadline and len(running) < a.jobs:
                running.add(pool.submit(one, kinds[seed % len(kinds)], seed, base_dll, new_dll, a.work, a.all_formats))
                seed += 1
            done, running = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
            for f in done:
                if f.exception():
                    print(f"ERROR: {f.exception()}", flush=True)
    print(f"streams {totals['streams']}, event lines {totals['events']}, comparisons {totals['comparisons']}, "
          f"differences {totals['differences']}", flush=True)


if __name__ == "__main__":
    main()
