#!/usr/bin/env python3
"""Valid event streams (SPEC §1) that stress derive's reused fold: every event type, a few agents offered, accepted,
transferred and reassigned back and forth, equal timestamps, steps around the inactivity window and the retention limit,
interactions interleaved, late and duplicate deliveries, ids with line feeds (which make derive sort all engagements at once), events before their interaction.created, a second
interaction.created, interactions without one, long interactions beside short ones, zero agent legs.

Usage: bench/fold-stress.py SEED OUT.ndjson [--interactions N] [--settings OUT_SETTINGS.json]
Prints the --now to use (RFC 3339) on stdout. The same seed always gives the same bytes.
"""
import argparse
import datetime as dt
import json
import random

CHANNELS = ["messaging", "chat", "email", "voice", "sms", "whatsapp", "social"]
STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed", "deleted"]
OUTCOMES = ["completed", "missed", "abandoned", "voicemail"]
VIAS = ["routing", "sole_agent", "manual"]
NAMES = ["Ana", "Bruno", "Çelik, \"B\"", "Dörte", "李", "", "Eve\tTab", "Zoë 😀"]
TEXTS = ["", "x", "a,b", "quote \"q\"", "line\nbreak", "ünï", "https://r.example/1", "+351 912 345 678"]
# Steps between an interaction's events (ms): ties, around a 1- or 10-minute window, around a day, past 14 days.
STEPS = [0, 0, 0, 1, 999, 1000, 30_000, 59_999, 60_000, 60_001, 120_000, 599_999, 600_000, 600_001, 3_600_000,
         86_400_000, 15 * 86_400_000]


def ts(ms, rng):
    t = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc) + dt.timedelta(milliseconds=ms)
    kind = rng.random()
    if kind < 0.15:
        t = t.astimezone(dt.timezone(dt.timedelta(hours=1)))
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}+01:00"
    if kind < 0.25 and t.microsecond == 0:
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("seed", type=int)
    ap.add_argument("out")
    ap.add_argument("--interactions", type=int, default=0)
    ap.add_argument("--settings")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    n = a.interactions or rng.choice([5, 30, 200, 600, 1500, 2500, 5000])
    agents = [str(i) for i in range(1, rng.choice([2, 3, 5, 12]) + 1)]
    # Ids with line feeds (an agent "1\n1", interactions "cN\n1" beside "cN"): derive then sorts all engagements at once.
    feeds = rng.random() < 0.25
    if feeds:
        agents.append("1\n1")
    bots = ["bot-1", "bot-2"]
    groups = ["g1", "g2", "g3"]
    spread = rng.choice([0, 1000, 3_600_000, 7 * 86_400_000])  # 0: every interaction starts at the same ms
    events = []  # (time ms, tiebreak, event)
    seq = 0

    def ev(kind, iid, ms, **fields):
        nonlocal seq
        seq += 1
        e = {"id": f"e{a.seed}-{seq}", "type": kind, "occurred_at": None, "interaction_id": iid}
        e.update({k: v for k, v in fields.items()})
        events.append([ms, seq, e])
        return e

    def maybe_name(d, key="agent_name"):
        if rng.random() < 0.4:
            d[key] = rng.choice(NAMES)
        return d

    def requester():
        r = {}
        for k in ["id", "name", "contact"]:
            if rng.random() < 0.6:
                r[k] = rng.choice(TEXTS) if k != "id" else rng.choice(["r1", "r2", "", "r3"])
        return r

    for i in range(n):
        # Ids that tie-break in unusual ordinal orders.
        iid = rng.choice([str(i), f"{i:05d}", f"i-{i}", f"Ü{i}", f"{i}\u00e9"] )
        if feeds and rng.random() < 0.2:
            iid = rng.choice([f"c{i % 8}\n1", f"c{i % 8}"])
        start = rng.randrange(spread + 1) if spread else 0
        shape = rng.random()
        if n > 1500:  # many interactions (the fold split into parts, merged): mostly short, a few long
            length = rng.choice([0, 1, 2, 3, 4, 6]) if shape < 0.98 else rng.choice([40, 200])
        else:
            length = rng.choice([0, 1, 2, 3, 5, 8, 15, 40]) if shape < 0.9 else rng.choice([100, 300])
        created = {"channel": rng.choice(CHANNELS)}
        if rng.random() < 0.3:
            created["direction"] = rng.choice(["inbound", "outbound"])
        if rng.random() < 0.5:
            created["requester"] = requester()
        if rng.random() < 0.4:
            created["group_id"] = rng.choice(groups)
        if rng.random() < 0.3:
            created["group_name"] = rng.choice(["Tier 1", "Tier, 2", ""])
        if rng.random() < 0.3:
            created["external_id"] = rng.choice(TEXTS)
        if rng.random() < 0.15:
            created["status"] = rng.choice(STATUSES)
        has_created = rng.random() < 0.95
        if has_created:
            ev("interaction.created", iid, start, **created)
        t = start
        for _ in range(length):
            t += rng.choice(STEPS)
            at = t if rng.random() > 0.05 else start - rng.choice([1, 1000, 600_000])  # before the created, sometimes
            r = rng.random()
            agent = rng.choice(agents)
            if r < 0.30:
                kind = rng.random()
                if kind < 0.55:
                    d = {"author_type": "end_user"}
                elif kind < 0.9:
                    d = maybe_name({"author_type": "agent", "author_id": agent}, "author_name")
                else:
                    d = maybe_name({"author_type": "bot", "author_id": rng.choice(bots)}, "author_name")
                if rng.random() < 0.15:
                    d["public"] = rng.random() < 0.5
                ev("message.created", iid, at, **d)
            elif r < 0.40:
                ev("offer.created", iid, at, **maybe_name({"agent_id": agent}))
            elif r < 0.50:
                ev("offer.accepted", iid, at, **maybe_name({"agent_id": agent}))
            elif r < 0.55:
                ev(rng.choice(["offer.declined", "offer.expired"]), iid, at, agent_id=agent)
            elif r < 0.64:
                d = maybe_name({"agent_id": agent if rng.random() < 0.8 else None})
                if rng.random() < 0.6:
                    d["via"] = rng.choice(VIAS)
                if rng.random() < 0.3:
                    d["group_id"] = rng.choice(groups)
                if rng.random() < 0.2:
                    d["group_name"] = rng.choice(["Tier 1", "Tier, 2", ""])
                ev("assignment.changed", iid, at, **d)
            elif r < 0.71:
                d = {}
                if rng.random() < 0.3:
                    d["from_agent_id"] = rng.choice(agents)
                k = rng.random()
                if k < 0.6:
                    d["to_agent_id"] = agent
                    maybe_name(d)
                if k >= 0.4:
                    d["to_group_id"] = rng.choice(groups)
                if k >= 0.4 and rng.random() < 0.5:
                    d["to_group_name"] = rng.choice(["Tier 1", "Tier, 2", ""])
                ev("transfer.created", iid, at, **d)
            elif r < 0.81:
                ev("status.changed", iid, at, status=rng.choice(STATUSES[:6] if rng.random() < 0.9 else STATUSES))
            elif r < 0.85:
                ev("conversation.ended", iid, at, **({"agent_id": agent} if rng.random() < 0.5 else {}))
            elif r < 0.90:
                ev("interaction.ended", iid, at, **({"outcome": rng.choice(OUTCOMES)} if rng.random() < 0.6 else {}))
            elif r < 0.98:
                d = {}
                for k in ["external_id", "disposition", "notes", "recording_url", "transcript_url"]:
                    if rng.random() < 0.3:
                        d[k] = rng.choice(TEXTS)
                if rng.random() < 0.3:
                    d["requester"] = requester()
                if rng.random() < 0.2:
                    d["group_id"] = rng.choice(groups)
                if rng.random() < 0.2:
                    d["group_name"] = rng.choice(["Tier 1", "Tier, 2", ""])
                ev("interaction.updated", iid, at, **d)
            else:
                created2 = dict(created)
                created2["channel"] = rng.choice(CHANNELS)
                ev("interaction.created", iid, at, **created2)  # a later interaction.created counts for nothing

    for e in events:
        e[2]["occurred_at"] = ts(e[0], rng)
    # Arrival: by time (interactions interleaved), some late (anywhere later), some duplicated (same id; sometimes
    # other content, which must be ignored as the duplicate it is).
    late = rng.choice([0.0, 0.05, 0.3])
    dup = rng.choice([0.0, 0.02, 0.1])
    order = sorted(events, key=lambda e: (e[0], e[1]))
    arrived = []
    for e in order:
        pos = len(arrived) if rng.random() >= late else rng.randrange(len(arrived) + 1)
        arrived.insert(pos, e[2])
    lines = []
    for e in arrived:
        lines.append(json.dumps(e, ensure_ascii=rng.random() < 0.5))
        if rng.random() < dup:
            d = dict(e)
            if rng.random() < 0.3:
                d["occurred_at"] = ts(0, rng)
            lines.insert(rng.randrange(len(lines) + 1), json.dumps(d))
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    if a.settings:
        s = {}
        if rng.random() < 0.5:
            s["inactivity_timeout_minutes"] = rng.choice([1, 2, 10, 30])
        if rng.random() < 0.15:
            s["messaging_activity_routing"] = True
        if rng.random() < 0.15:
            s["inactive_conversations_count_toward_capacity"] = True
        if rng.random() < 0.4:
            s["open_engagement_max_days"] = rng.choice([1, 2, 14])
        if rng.random() < 0.3:
            s["business_hours"] = {"timezone": rng.choice(["Europe/Lisbon", "America/New_York", "UTC"]),
                                   "weekly": [{"day": d, "start": "09:00", "end": "17:00"} for d in ["mon", "tue", "wed", "thu", "fri"]],
                                   "holidays": ["2026-03-03"]}
        with open(a.settings, "w") as f:
            json.dump(s, f)
    now = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc) + dt.timedelta(
        milliseconds=rng.choice([0, 600_000, 86_400_000, 3 * 86_400_000, 60 * 86_400_000, 400 * 86_400_000]))
    print(now.strftime("%Y-%m-%dT%H:%M:%SZ"))


if __name__ == "__main__":
    main()
