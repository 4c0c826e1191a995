#!/usr/bin/env python3
"""Rewrites some lines of an NDJSON event file the ways real senders differ and break (SPEC §1 "Bad input"): escapes
where plain text would do, keys reordered, unknown members, whitespace, timestamps in other valid and invalid forms,
ids at and past 128 characters, control characters, a member twice, wrong JSON types, invalid UTF-8, lone surrogates,
U+0000, truncation, blank lines, CRLF, a byte-order mark. Valid rewrites must derive alike; invalid ones must be
rejected alike (stderr).

Usage: bench/mutate-lines.py SEED IN.ndjson OUT.ndjson [FRACTION]
"""
import json
import random
import sys


def esc_all(s):
    return "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else c for c in s)


def main():
    seed, src, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    frac = float(sys.argv[4]) if len(sys.argv) > 4 else 0.1
    rng = random.Random(seed)
    lines = open(src, "rb").read().split(b"\n")
    res = []
    for raw in lines:
        if not raw.strip():
            continue
        if rng.random() >= frac:
            res.append(raw)
            continue
        e = json.loads(raw)
        m = rng.randrange(26)
        text = None
        if m == 0:  # every string escaped
            text = "{" + ",".join(json.dumps(k) + ":" + ('"' + esc_all(v) + '"' if isinstance(v, str) else json.dumps(v)) for k, v in e.items()) + "}"
        elif m == 1:  # members reordered, spaces
            items = list(e.items())
            rng.shuffle(items)
            text = "{ " + " , ".join(json.dumps(k) + " : " + json.dumps(v) for k, v in items) + " }"
        elif m == 2:  # unknown members
            e["zzz"] = {"a": [1, 2, {"b": None}], "c": "d\\\"e"}
            e["agent"] = 5
            text = json.dumps(e)
        elif m == 3:  # timestamp forms, valid and not
            e["occurred_at"] = rng.choice([
                e["occurred_at"].replace("T", "t"), e["occurred_at"].replace("Z", "z"), e["occurred_at"].replace("Z", "+00:00"),
                e["occurred_at"].replace("Z", "-00:00"), e["occurred_at"][:19] + ".1Z", e["occurred_at"][:19] + ".123456789Z",
                e["occurred_at"][:19] + "Z", e["occurred_at"][:19], e["occurred_at"][:19] + "+14:00", e["occurred_at"][:19] + "-12:30",
                "2026-03-02T23:59:60Z", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
                "2026-02-29T00:00:00Z", "2026-03-02 10:00:00Z", "2026-3-2T10:00:00Z", "2026-03-02T10:00:00.Z", "", 5])
            text = json.dumps(e)
        elif m == 4:  # interaction id at and past the limit, and with control characters / astral characters
            e["interaction_id"] = rng.choice(["x" * 128, "x" * 129, "😀" * 128, "😀" * 129, "a\nb", "tab\there", "\u007f", " ", "é" * 128])
            text = json.dumps(e, ensure_ascii=rng.random() < 0.5)
        elif m == 5:  # event id problems
            e["id"] = rng.choice(["", "y" * 128, "y" * 129, "a\tb", "é", e["id"] + "\u0001", 7])
            text = json.dumps(e)
        elif m == 6:  # a member twice
            k = rng.choice(list(e.keys()))
            text = json.dumps(e)[:-1] + ", " + json.dumps(k) + ": " + json.dumps(e[k]) + "}"
        elif m == 7:  # wrong JSON types
            k = rng.choice(list(e.keys()))
            e[k] = rng.choice([1, None, True, [], {}, 1.5, "str"])
            text = json.dumps(e)
        elif m == 8:  # invalid UTF-8 inside a string
            b = json.dumps(e, ensure_ascii=False).encode()
            i = b.rfind(b'"', 0, len(b) - 2)
            res.append(b[:i] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"]) + b[i:])
            continue
        elif m == 9:  # lone surrogate escape, or U+0000
            k = rng.choice([k for k, v in e.items() if isinstance(v, str)])
            e[k] = e[k] + rng.choice(["\ud800", "\u0000", "\udc00x", "\U0001F600"])
            text = json.dumps(e)
        elif m == 10:  # truncated
            b = raw
            res.append(b[: rng.randrange(1, len(b))])
            continue
        elif m == 11:  # blank and whitespace lines around
            res.append(rng.choice([b"", b"   ", b"\t"]))
            res.append(raw)
            continue
        elif m == 12:  # CRLF
            res.append(raw + b"\r")
            continue
        elif m == 13:  # missing required member
            k = rng.choice([k for k in e.keys() if k != "id"] or ["type"])
            del e[k]
            text = json.dumps(e)
        elif m == 14:  # unknown type, or another case
            e["type"] = rng.choice(["call.started", e["type"].upper(), e["type"] + " ", "message_created"])
            text = json.dumps(e)
        elif m == 15:  # enum values in other cases or unknown
            for k in ["channel", "status", "author_type", "via", "outcome", "direction"]:
                if k in e:
                    e[k] = rng.choice([e[k].upper() if isinstance(e[k], str) else "x", "unknown", ""])
            text = json.dumps(e)
        elif m == 16:  # public as a string, agent id as a number
            if "public" in e or rng.random() < 0.5:
                e["public"] = rng.choice(["true", 1, None, False])
            else:
                e["agent_id"] = 12
            text = json.dumps(e)
        elif m == 17:  # requester not an object, or with extra / wrong-typed fields
            e["requester"] = rng.choice(["r", None, {"id": 1}, {"id": "r9", "extra": [1]}, {"name": None}, {}])
            text = json.dumps(e)
        elif m == 18:  # nested depth / big numbers in unknown members
            e["deep"] = json.loads("[" * 40 + "]" * 40)
            e["n"] = 1e308
            text = json.dumps(e)
        elif m == 19:  # escapes of / and of quotes inside names
            text = json.dumps(e).replace('"interaction_id": "', '"interaction_id": "\\/')
        elif m == 20:  # not an object
            res.append(rng.choice([b"[]", b"null", b"42", b'"text"', b"{}", b"{", b"}"]))
            continue
        elif m == 21:  # long strings in texts
            e["notes"] = "n" * rng.choice([100, 101, 5000])
            e["agent_name"] = "é" * 300
            text = json.dumps(e, ensure_ascii=rng.random() < 0.5)
        elif m == 22:  # same event again (a duplicate id) with another interaction
            res.append(raw)
            e["interaction_id"] = "dup-" + str(e.get("interaction_id"))
            text = json.dumps(e)
        elif m == 23:  # empty ids of agents / groups
            for k in ["agent_id", "author_id", "group_id", "to_agent_id", "to_group_id", "from_agent_id"]:
                if k in e:
                    e[k] = rng.choice(["", " ", "a" * 129, "\u00e9"])
            text = json.dumps(e)
        elif m == 24:  # member names escaped
            text = json.dumps(e).replace('"type"', '"\\u0074ype"').replace('"id"', '"i\\u0064"')
        else:  # numbers as ids
            text = json.dumps(e).replace('"interaction_id": "', '"interaction_id": 0, "x": "')
        res.append(text.encode("utf-8", "surrogatepass"))
    body = b"\n".join(res) + b"\n"
    if rng.random() < 0.2:
        body = b"\xef\xbb\xbf" + body
    open(out, "wb").write(body)


if __name__ == "__main__":
    main()
