#!/usr/bin/env python3
"""Packs of a shape the symbolic check is still slow on (issue 12, session
14), for `cdguide check` by hand (not run by `make bench`): single, multi
and number questions, half of them required, each enable_when one to
three atoms (==, !=; some, none, all of a multi; <, >, <=) over the SPAN
questions before it, joined by and or or, a third of them negated with
NOT set; rules and of three atoms anywhere.

    python3 bench/gen_pack_tight.py QUESTIONS SEED SPAN [not] > DIR/pack.json
    cdguide check --pack DIR

Measured (session 14): QUESTIONS 3000 SEED 1 SPAN 5: 1-2 s; 10000: 14-21
s; 30000: over 300 s. What the paths, probes, windows and tries leave is
possible but hard to hit at random, and each SAT model settles one
question: 116 batch calls at 3000 questions, then one call per question.
Session 15, after the propagation learnt the all/none tables of wide
multis and the leaves over several answers: 10000 0.15 s, 30000 0.41 s,
100000 1.14 s. bench_check's "tight" shape models it in make bench.
"""
import json, random, sys

n, seed, span = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
negate = len(sys.argv) > 4 and sys.argv[4] == "not"
random.seed(seed)
src = json.load(open("content/passages.json"))["source"]
src = {k: src[k] for k in ("title", "publisher", "sha256")}
qs = []; rules = []


def atom(j):
    p = qs[j]; t = p["type"]
    if t == "single":
        return {random.choice(["==", "!="]): [{"var": p["id"]}, random.choice(p["options"])["code"]]}
    if t == "multi":
        op = random.choice(["some", "none", "all"])
        return {op: [{"var": p["id"]}, {"==": [{"var": ""}, random.choice(p["options"])["code"]]}]}
    return {random.choice(["<", ">", "<="]): [{"var": p["id"]}, random.randint(0, 10)]}


for i in range(n):
    t = random.choice(["single", "multi", "number"])
    q = {"id": "q%d" % i, "type": t, "text": "Q %d?" % i, "required": random.random() < 0.5}
    if t != "number":
        q["options"] = [{"code": "o%d" % j, "label": "O %d" % j} for j in range(random.randint(2, 8))]
    else:
        q["min"] = 0; q["max"] = 10
    if i > 0 and random.random() < 0.9:
        reads = random.sample(range(max(0, i - span), i), min(i, random.randint(1, 3)))
        at = [atom(j) for j in reads]
        if negate:
            at = [{"!": a} if random.random() < 0.3 else a for a in at]
        q["enable_when"] = at[0] if len(at) == 1 else {random.choice(["and", "or"]): at}
    qs.append(q)
for r in range(n // 10):
    rules.append({"id": "r%d" % r, "when": {"and": [atom(j) for j in random.sample(range(n), 3)]}, "cite": ["cd-onset"], "because": "b"})
print(json.dumps({"id": "gen2", "version": "1", "title": "G", "source": src, "questions": qs, "rules": rules}))
