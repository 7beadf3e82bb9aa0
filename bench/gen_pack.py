#!/usr/bin/env python3
"""Packs of shapes bench_check.c does not make, for `cdguide check` by hand
(not run by `make bench`): every question optional, enable_when an and/or
of one to three of the 30 before it, long text literals, rules of 4-8
reads; SHAPE is plain, pretty (indented JSON) or lists (single and multi
questions of up to 60 options, read through long constant lists and some).

    python3 bench/gen_pack.py SHAPE QUESTIONS SEED > DIR/pack.json
    cdguide check --pack DIR

Issue 12's notes: with plain and seed 5 the check took 0.17 s at 10,000
questions, 21 s at 30,000 (PicoSAT, two properties undecided) and over
7 minutes at 100,000, while the solver preferred deciding a question
enabled; preferring it disabled (lint_cnf.c), 5 s and 38 s, all decided.
"""
import json, random, sys

shape, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(seed)
# the shipped passages' source, so that only the shape's findings show
src = json.load(open("content/passages.json"))["source"]
src = {k: src[k] for k in ("title", "publisher", "sha256")}
qs = []; rules = []
for i in range(n):
    t = random.choice(["single", "multi", "text", "number"])
    q = {"id": "question_%d" % i, "type": t, "text": "Question %d?" % i, "required": False}
    if t in ("single", "multi"): q["options"] = [{"code": "opt%d" % j, "label": "Option %d" % j} for j in range(random.randint(3, 60 if shape == "lists" else 6))]
    if t == "number": q["min"] = 0; q["max"] = 100
    def atom(j):
        p = qs[j]; tt = p["type"]
        if tt == "single":
            k = len(p["options"])
            return {"in": [{"var": p["id"]}, ["opt%d" % x for x in random.sample(range(k), max(1, k // 2))]]}
        if tt == "multi":
            return {"some": [{"var": p["id"]}, {"in": [{"var": ""}, ["opt%d" % x for x in range(len(p["options"]) // 2)]]}]} if shape == "lists" else {"in": ["opt0", {"var": p["id"]}]}
        if tt == "number":
            return {"<=": [random.randint(0, 50), {"var": p["id"]}]}
        return {"==": [{"var": p["id"]}, "a fairly long free text answer that someone might type number %d" % random.randrange(5)]}
    if i > 0 and random.random() < 0.8:
        reads = random.sample(range(max(0, i - 30), i), min(i, random.randint(1, 3)))
        q["enable_when"] = {random.choice(["and", "or"]): [atom(j) for j in reads]}
    qs.append(q)
for r in range(n // 10):
    reads = random.sample(range(n), min(n, random.randint(4, 8)))
    rules.append({"id": "rule_%d" % r, "when": {"or": [{"and": [atom(j) for j in reads[:3]]}] + [atom(j) for j in reads[3:]]}, "cite": ["cd-onset"], "because": "Because %d." % r})
pack = {"id": "gen2", "version": "1", "title": "Gen2", "source": src, "questions": qs, "rules": rules}
print(json.dumps(pack, indent=2 if shape == "pretty" else None))
