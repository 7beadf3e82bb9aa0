// logic_bench.js: evaluations per second of the JavaScript JsonLogic
// engines on the same rules and data as bench_logic.c (make bench):
// json-logic-js (the reference), json-logic-engine interpreted
// (engine.run) and compiled (engine.build(rule), built once per rule,
// outside the loop, as a user of it would). Usage: node logic_bench.js
// CASES.json [SECONDS]. Needs tools/oracle/node_modules (npm install).
"use strict";
const fs = require("fs");
const path = require("path");
const mods = path.join(__dirname, "..", "tools", "oracle", "node_modules");
const jsonLogic = require(path.join(mods, "json-logic-js"));

const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const seconds = Number(process.argv[3] || 2);
const rules = cases.rules;
const data = cases.data;
let sink = 0;

// The same loop as bench_logic.c: every rule in turn, 1000 rounds at a
// time, until the time is up; the result's truthiness is taken so that
// nothing is optimised away.
function run(limit, evalOne) {
  const t0 = process.hrtime.bigint();
  let evals = 0, t;
  do {
    for (let k = 0; k < 1000; k++) {
      for (let i = 0; i < rules.length; i++) {
        if (jsonLogic.truthy(evalOne(i))) sink++;
        evals++;
      }
    }
    t = Number(process.hrtime.bigint() - t0) / 1e9;
  } while (t < limit);
  return evals / t;
}

function time(name, evalOne) {
  run(Math.min(1, seconds / 2), evalOne); // warm up the JIT
  console.log("js " + name + " " + run(seconds, evalOne).toFixed(0) +
              " evals/s");
}

// --per-case: ns per evaluation of each compiled rule alone.
if (process.argv[4] === "--per-case") {
  const engine = new (require(path.join(mods, "json-logic-engine")).LogicEngine)();
  rules.forEach((r, i) => {
    const f = engine.build(r);
    const one = (limit) => {
      const t0 = process.hrtime.bigint();
      let evals = 0, t;
      do {
        for (let k = 0; k < 10000; k++) if (jsonLogic.truthy(f(data))) sink++;
        evals += 10000;
        t = Number(process.hrtime.bigint() - t0) / 1e9;
      } while (t < limit);
      return (t * 1e9) / evals;
    };
    one(Math.min(0.5, seconds / 2));
    console.log("case " + i + " " + one(seconds).toFixed(1) + " ns " +
                JSON.stringify(r).slice(0, 60));
  });
  process.exit(0);
}
time("json-logic-js", (i) => jsonLogic.apply(rules[i], data));
let engine = null;
try {
  engine = new (require(path.join(mods, "json-logic-engine")).LogicEngine)();
} catch (e) {
  console.log("js json-logic-engine not installed; skipped");
}
if (engine) {
  time("json-logic-engine-run", (i) => engine.run(rules[i], data));
  const built = rules.map((r) => engine.build(r));
  time("json-logic-engine-build", (i) => built[i](data));
}
if (sink < 0) console.log(sink);
