// logic_bench.js: json-logic-js evaluations per second on the same rules
// and data as bench_logic.c (make bench). Usage: node logic_bench.js
// CASES.json [SECONDS]. Needs tools/oracle/node_modules (npm install).
"use strict";
const fs = require("fs");
const path = require("path");
const jsonLogic = require(path.join(__dirname, "..", "tools", "oracle",
  "node_modules", "json-logic-js"));

const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const seconds = Number(process.argv[3] || 2);
const rules = cases.rules;
const data = cases.data;
let sink = 0;

function run(limit) {
  const t0 = process.hrtime.bigint();
  let evals = 0, t;
  do {
    for (let k = 0; k < 1000; k++) {
      for (let i = 0; i < rules.length; i++) {
        if (jsonLogic.truthy(jsonLogic.apply(rules[i], data))) sink++;
        evals++;
      }
    }
    t = Number(process.hrtime.bigint() - t0) / 1e9;
  } while (t < limit);
  return evals / t;
}

run(Math.min(1, seconds / 2)); // warm up the JIT
console.log("js json-logic-js " + run(seconds).toFixed(0) + " evals/s");
if (sink < 0) console.log(sink);
