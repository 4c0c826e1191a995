#!/usr/bin/env python3
"""Adversarial but mostly valid NDJSON event streams for derive's read path (issue 18, seventh part).

The shapes derive's scanner (EventParser.TryParseHeld) takes and the ones just beside them: escapes (\\" \\\\ \\u00e9
surrogate pairs \\/) in any string member (ids, interaction ids, agent ids and names, requester fields) and in member
names; non-ASCII UTF-8; ids that differ only in case or are written once plainly and once escaped; members in any
order; white space everywhere; numbers, booleans, arrays and objects where strings are expected; null members;
requester variants; CRLF, blank lines, a BOM, no final newline, very long lines; timestamps with offsets, 0-9
fraction digits, lowercase t/z, leap days; late events, duplicates (same line, same id with other content, same id
escaped); ids at the length limits; and invalid lines of every kind of SPEC §1 (at most ~80, derive names 100).

Usage: bench/derive-adversarial.py SEED EVENTS > file.ndjson   (bench/derive-adversarial.sh runs old against new)
"""
import random
import sys

seed = int(sys.argv[1])
events = int(sys.argv[2])
r = random.Random(seed)

# How adversarial this stream is: some streams mostly plain (the scanner's own shape), some escape-heavy.
P_ESC = r.choice([0.0, 0.01, 0.05, 0.2])       # a character written as an escape
P_WS = r.choice([0.0, 0.02, 0.2])              # white space around a token
P_SHUFFLE = r.choice([0.0, 0.1, 0.5, 1.0])     # members in a random order
P_EXTRA = r.choice([0.0, 0.02, 0.1])           # an unknown member
P_ODD = r.choice([0.0, 0.001, 0.005])            # a member of an odd type (number, null, bool, array, object)
P_BAD = r.choice([0.0, 0.001, 0.003])           # an invalid line
P_LATE = r.choice([0.0, 0.05, 0.2])
P_DUP = r.choice([0.0, 0.01, 0.05])
CRLF = r.random() < 0.3
BOM = r.random() < 0.2
FINAL_NL = r.random() < 0.7
BLANKS = r.random() < 0.3
ARRAY = r.random() < 0.15                      # one JSON array instead of NDJSON (elements may span lines)

NONASCII = ["é", "ç", "ã", "ü", "ß", "Ω", "Ж", "中", "文", "😀", "🚀", "\u2028", "\u00a0", "\u200b", "\u007f", "ﬁ", "İ", "ı", "K"]


def rand_text(n, alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ .:/\"\\'"):
    out = []
    for _ in range(n):
        if r.random() < 0.1:
            out.append(r.choice(NONASCII if r.random() < 0.02 else NONASCII[:11] + NONASCII[15:]))
        else:
            out.append(r.choice(alphabet))
    return "".join(out)


def esc_char(c, force=False):
    """A character as JSON writes it: plainly when it may be, or (randomly, or when forced) as an escape."""
    o = ord(c)
    if c == '"':
        return '\\"'
    if c == "\\":
        return "\\\\"
    if o < 0x20:
        return r.choice({8: ["\\b"], 9: ["\\t"], 10: ["\\n"], 12: ["\\f"], 13: ["\\r"]}.get(o, []) + ["\\u%04x" % o, "\\u%04X" % o])
    if force or r.random() < P_ESC:
        if c == "/":
            return r.choice(["\\/", "\\u002f", "\\u002F"])
        if o > 0xFFFF:
            v = o - 0x10000
            hi, lo = 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)
            f = r.choice(["\\u%04x\\u%04x", "\\u%04X\\u%04X"])
            return f % (hi, lo)
        return r.choice(["\\u%04x", "\\u%04X"]) % o
    return c


def jstr(s, plain=False):
    if plain:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return '"' + "".join(esc_char(c) for c in s) + '"'


def ws():
    if r.random() < P_WS:
        # (a raw line feed would end the line: NDJSON; a carriage return is JSON white space inside one)
        return "".join(r.choice([" ", "\t", "  ", "\r", "\n", "\r\n"][: 3 if r.random() < 0.9 else 6 if ARRAY else 4]) for _ in range(r.randint(1, 3)))
    return ""


def value(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, dict):
        return obj(list(v.items()))
    if isinstance(v, list):
        return "[" + ",".join(ws() + value(x) + ws() for x in v) + "]"
    return jstr(v)


class Raw:
    def __init__(self, text):
        self.text = text


def obj(members):
    members = list(members)
    if r.random() < P_SHUFFLE:
        r.shuffle(members)
    parts = []
    for k, v in members:
        name = jstr(k) if r.random() < P_ESC * 2 else '"' + k + '"'
        parts.append(ws() + name + ws() + ":" + ws() + value(v) + ws())
    return "{" + ",".join(parts) + ("" if parts else ws()) + "}"


def timestamp(ms):
    """ms since 2026-01-01T00:00Z-ish base as RFC 3339, in a random shape (offset, fraction digits, case)."""
    import datetime
    base = datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone.utc)
    t = base + datetime.timedelta(milliseconds=ms)
    off_min = r.choice([0, 0, 0, 60, -300, 330, 345, -150, 840, -720])
    local = t + datetime.timedelta(minutes=off_min)
    digits = r.choice([None, None, 3, 3, 1, 2, 4, 5, 6, 7, 8, 9])
    frac = ""
    if digits is not None:
        micro = local.microsecond
        s = "%06d" % micro + "".join(r.choice("0123456789") for _ in range(3))
        frac = "." + s[:digits]
    elif local.microsecond:
        # without a fraction the instant changes; fine, it is just another time
        pass
    sep = r.choice(["T"] * 9 + ["t"])
    if off_min == 0 and r.random() < 0.8:
        zone = r.choice(["Z"] * 9 + ["z"])
    else:
        sign = "+" if off_min >= 0 else "-"
        zone = "%s%02d:%02d" % (sign, abs(off_min) // 60, abs(off_min) % 60)
    return local.strftime("%Y-%m-%d") + sep + local.strftime("%H:%M:%S") + frac + zone


SPECIAL_TIMES = ["2028-02-29T12:00:00Z", "2024-02-29t23:59:59.999999999z", "2026-03-01T00:00:00+14:00",
                 "2026-02-28T23:59:59.5-12:00", "2026-03-05T10:00:00.1+00:00", "2026-03-05T10:00:00.123456789-00:00",
                 "2026-03-02T09:00:60Z", "2026-03-02T24:00:00Z", "2026-03-02 09:00:00Z", "2026-03-02T09:00:00",
                 "2026-03-02T09:00:00.Z", "2026-03-02T09:00:00.1234567890Z", "0001-01-01T00:00:00Z",
                 "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59-00:01",
                 "2027-02-29T09:00:00Z", "2026-03-02T09:00:00+24:00", "2026-03-02T9:00:00Z", "２026-03-02T09:00:00Z"]


def make_id(prefix, n, bad=0.005):
    kind = r.random()
    if kind < 0.75:
        return "%s%d" % (prefix, n)
    if kind < 0.85:
        return "%s%d-%s" % (prefix, n, rand_text(r.randint(1, 8)))
    if kind < 0.9:
        return "%s%d" % (prefix.upper(), n)  # differs from others only in case
    if kind < 0.94:
        base = "%s%d-" % (prefix, n)
        return base + "x" * (128 - len(base))  # at the limit
    if kind < 0.96:
        base = "%s%d-" % (prefix, n)
        return base + "é" * (128 - len(base))  # at the limit in characters, more in bytes
    if kind < 0.97:
        base = "%s%d-" % (prefix, n)
        return base + "😀" * (128 - len(base))  # surrogate pairs: 128 runes, 256 UTF-16 units
    if kind < 0.98 and r.random() < bad / 0.01:
        base = "%s%d-" % (prefix, n)
        return base + "y" * (129 - len(base))  # one past the limit
    if kind < 0.98:
        return "%s%d" % (prefix, n) + "\u00e9"[:0] + r.choice(NONASCII[:11])
    return " %s %d " % (prefix, n)  # blanks inside


CHANNELS = ["messaging", "chat", "email", "voice", "sms", "whatsapp", "social"]
agents = [(make_id("ag", i, bad=0.0002), rand_text(r.randint(0, 20))) for i in range(r.randint(1, 40))]
groups = [(make_id("g", i, bad=0.0002), rand_text(r.randint(0, 12))) for i in range(r.randint(1, 6))]
# Twins that differ only in case: other agents and groups.
agents += [(a.swapcase(), n) for a, n in r.sample(agents, min(len(agents), r.randint(0, 3)))]
groups += [(g.swapcase(), n.swapcase()) for g, n in r.sample(groups, min(len(groups), r.randint(0, 2)))]


def odd(v):
    """Sometimes a value of another JSON type than the one expected."""
    if r.random() < P_ODD:
        return r.choice([None, 7, -0.5, 1e3, True, False, [], ["x"], {}, {"a": "b"}, Raw("12345678901234567890"), ""])
    return v


def requester():
    k = r.random()
    if k < 0.1:
        return None
    if k < 0.15:
        return {}
    req = {}
    for f in ["id", "name", "contact"]:
        if r.random() < 0.8:
            req[f] = r.choice([None] * 1 + [rand_text(r.randint(0, 30))] * 8 + ["+351 912 345 678", "a@b.example", "https://x.example/a/b?c=d"])
    if r.random() < P_EXTRA:
        req[r.choice(["extra", "Id", "NAME"])] = r.choice(["x", 1, None, {"id": "y"}])
    if r.random() < P_ODD:
        req[r.choice(["id", "name", "contact"])] = r.choice([1, True, [], {}])
    return req


def interaction_events(iid, t0):
    """One interaction's events (dicts without id), in time order."""
    out = []
    t = t0
    ch = r.choice(CHANNELS)

    def ev(typ, **kw):
        nonlocal t
        t += r.randint(0, 200000)
        d = {"type": typ, "occurred_at": t, "interaction_id": iid}
        d.update(kw)
        out.append(d)

    created = {"channel": odd(ch)}
    if r.random() < 0.5:
        created["direction"] = r.choice(["inbound", "outbound"])
    if r.random() < 0.8:
        created["requester"] = requester()
    if r.random() < 0.6:
        g = r.choice(groups)
        created["group_id"] = odd(g[0])
        if r.random() < 0.8:
            created["group_name"] = g[1]
    if r.random() < 0.3:
        created["external_id"] = rand_text(r.randint(0, 20))
    if r.random() < 0.2:
        created["status"] = r.choice(["new", "open", "pending"])
    ev("interaction.created", **created)
    assignee = None
    for _ in range(r.randint(0, 12)):
        k = r.random()
        a = r.choice(agents)
        if k < 0.3:
            m = {"author_type": r.choice(["end_user", "agent", "bot"])}
            if m["author_type"] != "end_user" or r.random() < 0.1:
                m["author_id"] = odd(a[0])
            if r.random() < 0.3:
                m["author_name"] = a[1]
            if r.random() < 0.2:
                m["public"] = odd(r.choice([True, False]))
            ev("message.created", **m)
        elif k < 0.45:
            kw = {"agent_id": odd(a[0])}
            if r.random() < 0.5:
                kw["agent_name"] = odd(a[1])
            ev("offer.created", **kw)
            f = r.random()
            if f < 0.6:
                ev("offer.accepted", agent_id=a[0], **({"agent_name": a[1]} if r.random() < 0.3 else {}))
                assignee = a
            elif f < 0.8:
                ev(r.choice(["offer.declined", "offer.expired"]), agent_id=a[0])
        elif k < 0.55:
            kw = {"agent_id": None if r.random() < 0.15 else odd(a[0])}
            if r.random() < 0.4:
                kw["agent_name"] = a[1]
            if r.random() < 0.6:
                kw["via"] = r.choice(["routing", "sole_agent", "manual"])
            if r.random() < 0.3:
                g = r.choice(groups)
                kw["group_id"] = g[0]
                kw["group_name"] = g[1]
            ev("assignment.changed", **kw)
            assignee = a if kw["agent_id"] is not None else None
        elif k < 0.62:
            kw = {}
            if r.random() < 0.5 and assignee:
                kw["from_agent_id"] = assignee[0]
            if r.random() < 0.7:
                kw["to_agent_id"] = a[0]
                if r.random() < 0.5:
                    kw["agent_name"] = a[1]
            if r.random() < 0.5 or not kw.get("to_agent_id"):
                g = r.choice(groups)
                kw["to_group_id"] = g[0]
                if r.random() < 0.5:
                    kw["to_group_name"] = g[1]
            ev("transfer.created", **kw)
        elif k < 0.72:
            ev("status.changed", status=odd(r.choice(["new", "open", "pending", "on_hold", "solved", "closed", "deleted"])))
        elif k < 0.8:
            kw = {}
            for f in ["external_id", "disposition", "notes", "recording_url", "transcript_url", "group_id", "group_name"]:
                if r.random() < 0.3:
                    kw[f] = odd(rand_text(r.randint(0, 40)) if r.random() < 0.97 else rand_text(r.randint(2000, 9000)))
            if r.random() < 0.3:
                kw["requester"] = requester()
            ev("interaction.updated", **kw)
        elif k < 0.85:
            ev("conversation.ended", **({"agent_id": a[0]} if r.random() < 0.7 else {}))
        elif k < 0.9:
            ev("interaction.created", channel=r.choice(CHANNELS))  # a second created counts for nothing
    if r.random() < 0.7:
        kw = {}
        if r.random() < 0.6:
            kw["outcome"] = r.choice(["completed", "missed", "abandoned", "voicemail"])
        ev("interaction.ended", **kw)
    return out


def bad_line(i):
    s = "x" * 200
    cases = [
        '{"id":"b%d", not json}' % i,
        '{"id":"b%d","type":"call.started","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % i,
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-02-30T09:00:00Z","interaction_id":"q"}' % i,
        '{"id":"b%d","type":"offer.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","agent_id":"7","agent_name":"\udcff"}' % i,
        '{"id":"b%d","id":"b%d-2","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % (i, i),
        '{"id":"%s","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % s,
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q\\u0000"}' % i,
        '{"id":"b\\u0000%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % i,
        '{"id":"b%d\\ud800","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % i,
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"\\udc00q"}' % i,
        '{"id":"b%d\x01","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % i,
        '{"id":"b%d\\u0001","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % i,
        '{"id":"b%d\\u0085","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % i,
        '{"id":"b%d\x7f","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % i,
        '{"id":"","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}',
        '{"id":7,"type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}',
        '{"id":null,"type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}',
        '{"type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}',
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":""}' % i,
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":7}' % i,
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z"}' % i,
        '{"id":"b%d","type":"interaction.ended","occurred_at":1772442000000,"interaction_id":"q"}' % i,
        '{"id":"b%d","type":"interaction.ended","occurred_at":"%s","interaction_id":"q"}' % (i, r.choice(SPECIAL_TIMES)),
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"} x' % i,
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}{}' % i,
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q",}' % i,
        '[{"id":"b%d"}]' % i,
        '"b%d"' % i,
        '{}',
        'null',
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","outcome":"exploded"}' % i,
        '{"id":"b%d","type":"interaction.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % i,
        '{"id":"b%d","type":"interaction.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","channel":"fax"}' % i,
        '{"id":"b%d","type":"offer.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % i,
        '{"id":"b%d","type":"message.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","author_type":"agent"}' % i,
        '{"id":"b%d","type":"transfer.created","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % i,
        '{"id":"b%d","type":"interaction.updated","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","requester":{"id":"a","id":"b"}}' % i,
        '{"id":"b%d","type":"interaction.updated","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","requester":{"x":1,"x":2}}' % i,
        '{"id":"b%d","type":"interaction.updated","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","extra":{"a":1,"a":2}}' % i,
        '{"id":"b%d","type":"interaction.updated","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","extra":"\\u0000"}' % i,
        '{"id":"b%d","type":"interaction.updated","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","x":1,"x":1}' % i,
        '{"id":"b%d","type":"interaction.updated","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","requester":{"id":7}}' % i,
        '{"id":"b%d","type":"interaction.updated","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","requester":"r"}' % i,
        '{"id":"b%d","type":"interaction.updated","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","notes":"' % i + "n" * 300 + '\\ud800"}',
        '{"id":"b%d","type":"interaction.updated","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","notes":truex}' % i,
        '{"id":"b%d","type":"interaction.updated","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","public":nul}' % i,
        '{"id":"b%d","type":"Interaction.Ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % i,
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","type":"interaction.ended"}' % i,
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q","\\u0074ype":"interaction.ended"}' % i,
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"' % i + "i" * 129 + '"}',
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"' % i,
        '{"id":"b%d","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q" /* c */}' % i,
        '\t',
        '{"id":"b%d\t","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' % i,
    ]
    return r.choice(cases)


# Interactions spread over a week, their events interleaved by time.
n_inter = max(1, events // r.randint(4, 10))
all_events = []
for k in range(n_inter):
    iid = make_id(r.choice(["i", "int-", "I", ""]), 100000 + k, bad=0.001)
    if k and r.random() < 0.05:
        iid = all_events[-1]["interaction_id"].swapcase()  # another interaction, its id differing only in case
    t0 = r.randint(0, 7 * 86400 * 1000)
    all_events.extend(interaction_events(iid, t0))
    if len(all_events) >= events:
        break
all_events.sort(key=lambda d: d["occurred_at"])

# Event ids: mostly unique; some shared only by case; some of the plain forms appear again escaped (a duplicate).
lines = []
ids = []
for n, d in enumerate(all_events):
    eid = make_id(r.choice(["e", "evt-", "E"]), n)
    ids.append(eid)
    d = dict(d)
    ms = d["occurred_at"]
    d["occurred_at"] = timestamp(ms) if r.random() > 0.003 else r.choice(SPECIAL_TIMES)
    members = [("id", eid)] + list(d.items())
    if r.random() < P_EXTRA:
        members.append((r.choice(["extra", "ID", "Type", "meta", "occurredAt"]), r.choice(["v", 1, None, True, [1, {"a": "é"}], {"x": {"y": []}}])))
    lines.append((eid, members))

out = []
late_pool = []
for eid, members in lines:
    text = obj(members)
    if r.random() < P_LATE:
        late_pool.append(text)
    else:
        out.append(text)
    if late_pool and r.random() < 0.05:
        out.append(late_pool.pop(r.randrange(len(late_pool))))
    if r.random() < P_DUP:
        k = r.random()
        if k < 0.4:
            out.append(text)  # the same delivery again
        elif k < 0.7:
            # the same id, other content: the first arrival counts
            m2 = [(a, b) for a, b in members]
            m2 = [(a, (timestamp(r.randint(0, 7 * 86400 * 1000)) if a == "occurred_at" else b)) for a, b in m2]
            if r.random() < 0.3:
                m2 = [(a, (r.choice(all_events)["interaction_id"] if a == "interaction_id" else b)) for a, b in m2]
            out.append(obj(m2))
        else:
            # the same id written with every character escaped (or case-changed: another id)
            m2 = []
            for a, b in members:
                if a == "id" and r.random() < 0.8:
                    b = Raw('"' + "".join(esc_char(c, force=r.random() < 0.5) for c in b) + '"')
                elif a == "id":
                    b = b.swapcase()
                m2.append((a, b))
            out.append(obj(m2))
    if r.random() < P_BAD and len(out) > 0:
        out.append(bad_line(len(out)))
out.extend(late_pool)

# A few invalid lines in any stream (kept under derive's 100 named).
for _ in range(r.randint(0, 12)):
    out.insert(r.randrange(len(out) + 1), bad_line(r.randrange(100000)))
if BLANKS:
    for _ in range(r.randint(1, 20)):
        out.insert(r.randrange(len(out) + 1), r.choice(["", " ", "\t", "  \t "]))

nl = "\r\n" if CRLF else "\n"
if ARRAY:
    import json
    def is_json(t):
        try:
            json.loads(t)
            return True
        except ValueError:
            return False
    # Only elements that are JSON values: a break in the array ends the read (tried once in a while at the end).
    elements = [t for t in out if t.strip() and is_json(t)]
    body = r.choice(["", " ", nl]) + "[" + "".join(
        (r.choice([",", "," + nl, nl + ",", " , "]) if k else r.choice(["", nl])) + t for k, t in enumerate(elements))
    body += (r.choice(["", nl]) + "]" if r.random() < 0.97 else "," + nl + '{"id":"broken" x}') + (nl if FINAL_NL else "")
else:
    body = nl.join(out) + (nl if FINAL_NL else "")
data = body.encode("utf-8", "surrogatepass")
# A lone surrogate in the text above (bad_line 3) comes out as the bytes ED B3 BF: not UTF-8.
if BOM:
    data = b"\xef\xbb\xbf" + data
if r.random() < 0.05 and not ARRAY:
    # an invalid UTF-8 byte somewhere in a string of one line
    data += (nl.encode() if not FINAL_NL else b"") + b'{"id":"raw\xff","type":"interaction.ended","occurred_at":"2026-03-02T09:00:00Z","interaction_id":"q"}' + nl.encode()
sys.stdout.buffer.write(data)
