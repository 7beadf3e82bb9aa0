// diff.js: differential test of cdguide's JsonLogic evaluator against
// json-logic-js (the reference). Generates random rules and data from a
// seed, evaluates each with both, and prints every mismatch.
//
//   npm install            (once, in tools/oracle)
//   node diff.js [--n 100000] [--seed 1] [--driver ../../build/bench/bench_logic]
//
// The driver is bench_logic in --eval-lines mode. Dev only: make test does
// not need node. The deliberate differences listed in rules/logic_eval.c are
// outside what this generator makes (no unknown operators, no inherited
// property names, nesting well under the limit).
"use strict";
const path = require("path");
const { spawnSync } = require("child_process");
const jsonLogic = require("json-logic-js");

const args = process.argv.slice(2);
function opt(name, dflt) {
  const i = args.indexOf("--" + name);
  return i >= 0 ? args[i + 1] : dflt;
}
const N = Number(opt("n", 100000));
let seed = Number(opt("seed", 1)) >>> 0;
const driver = opt("driver", path.join(__dirname, "..", "..", "build", "bench",
  "bench_logic"));
const show = Number(opt("show", 40));

function rnd() { // mulberry32
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rnd() * n);
const pick = (a) => a[int(a.length)];

const NUMS = [0, 1, -1, 2, 3, 3.5, -2.5, 10, 0.1, 0.2, 1e21, 1e-7, 123456789,
  -0.5, 100, 7, 1.5e300, 5e-324, 2e-7, 9007199254740993, 0.30000000000000004];
const STRS = ["", "0", "1", " 1 ", "abc", "a", "b", "1e3", "0x10", "-2", "true",
  "null", "Infinity", "-Infinity", "é", "😀x", "1,2", " ", "a.b", "3.5px",
  "\t7\n", "ab", "bc", "abcdef", ".5", "5.", "0b11", "0o7", "1e", "+3", "x",
  "\u00a012", "NaN", "undefined", "[object Object]", "Ω≈ç", "\ue000", "2",
  "1e1000", "-0", "00", "0x1F", " 12 ", "1_000", "\u0661", "\u20281\u2029",
  "\ufeff3", "-.5e-3x", "0.1e+2", "1.", "+Infinity", "infinity", "0X1f",
  "1,", ",1", "\u00a0", "a,b", "a😀b😀", "𝄞", "😀😀"];
const KEYS = ["a", "b", "c", "x", "y", "0", "1", "length", "current",
  "accumulator", ""];
const OPS = ["var", "missing", "missing_some", "if", "?:", "==", "===", "!=",
  "!==", "!", "!!", "or", "and", ">", ">=", "<", "<=", "max", "min", "+", "-",
  "*", "/", "%", "map", "filter", "reduce", "all", "none", "some", "merge",
  "in", "cat", "substr", "log"];
const SCOPED = new Set(["map", "filter", "reduce", "all", "none", "some"]);

function genPrim() {
  switch (int(5)) {
    case 0: return pick(NUMS);
    case 1: return pick(STRS);
    case 2: return rnd() < 0.5;
    case 3: return null;
    default: return int(2) ? int(6) : pick(STRS);
  }
}

function genData(depth) {
  const r = rnd();
  if (depth <= 0 || r < 0.45) return genPrim();
  if (r < 0.75) {
    const a = [];
    for (let i = int(5); i > 0; i--) a.push(genData(depth - 1));
    return a;
  }
  const o = {};
  for (let i = int(5); i > 0; i--) o[pick(KEYS)] = genData(depth - 1);
  return o;
}

function genPath() {
  const n = 1 + int(3);
  const parts = [];
  for (let i = 0; i < n; i++) parts.push(pick(KEYS));
  const p = parts.join(".");
  const r = rnd();
  if (r < 0.1) return int(4);
  if (r < 0.15) return "";
  if (r < 0.18) return null;
  return p;
}

function genExpr(depth) {
  const r = rnd();
  if (depth <= 0 || r < 0.2) {
    if (rnd() < 0.1) return pick([{}, { a: 1, b: [2] }, []]);
    return genPrim();
  }
  if (r < 0.4) { // var, the most common thing in real rules
    const p = genPath();
    if (rnd() < 0.2) return { var: [p, genExpr(depth - 1)] };
    return rnd() < 0.5 ? { var: p } : { var: [p] };
  }
  if (r < 0.45) {
    const a = [];
    for (let i = int(4); i > 0; i--) a.push(genExpr(depth - 1));
    return a;
  }
  const op = pick(OPS);
  const n = SCOPED.has(op) ? 1 + int(3) : int(5);
  const a = [];
  for (let i = 0; i < n; i++) {
    if (op === "missing" || op === "missing_some") {
      a.push(i === 0 && op === "missing_some" ? int(4) :
        rnd() < 0.6 ? pick(KEYS) : [pick(KEYS), pick(KEYS)]);
    } else {
      a.push(genExpr(depth - 1));
    }
  }
  if (n === 1 && rnd() < 0.3 && !Array.isArray(a[0])) return { [op]: a[0] };
  return { [op]: a };
}

// Questionnaire-shaped cases: answers keyed by question, single and multi
// answers of option codes (with some values of other types), and the
// shapes the compiler types (rules/logic_typed.c), so that the typed path
// is compared with json-logic-js too.
const QS = ["q1", "q2", "q3"];
const CODES = ["a", "b", "c", "none", "1", ""];
function genAnswer() {
  const r = rnd();
  if (r < 0.4) return pick(CODES);
  if (r < 0.8) {
    const a = [];
    for (let i = int(4); i > 0; i--) a.push(rnd() < 0.9 ? pick(CODES) : genPrim());
    return a;
  }
  return genData(1);
}
function genCodes() {
  const a = [];
  for (let i = int(3); i >= 0; i--) a.push(pick(CODES));
  return a;
}
function swap(a, b) { return rnd() < 0.5 ? [a, b] : [b, a]; }
function genItemTest() {
  const item = { var: pick(["", [""]]) };
  switch (int(3)) {
    case 0: return { [pick(["==", "===", "!=", "!=="])]: swap(item, pick(CODES)) };
    case 1: return { in: [item, genCodes()] };
    default: return genExpr(1);
  }
}
function genQExpr(depth) {
  const q = { var: pick(QS) };
  switch (depth <= 0 ? int(6) : int(9)) {
    case 0: return { [pick(["==", "===", "!=", "!=="])]: swap(q, pick(CODES)) };
    case 1: return { in: [pick(CODES), q] };
    case 2: return { in: [q, genCodes()] };
    case 3: return { [pick(["some", "all", "none"])]: [q, genItemTest()] };
    case 4: return rnd() < 0.5 ? { missing: QS.filter(() => rnd() < 0.6) }
      : { missing_some: [pick([0, 1, 2, 3, -1, 1.5]), QS.filter(() => rnd() < 0.7)] };
    case 5: return rnd() < 0.5 ? q : { var: [pick(QS) + pick(["", ".0", ".length"]), pick(CODES)] };
    case 6: return { [pick(["!", "!!"])]: genQExpr(depth - 1) };
    default: {
      const a = [];
      for (let i = 1 + int(3); i > 0; i--) a.push(genQExpr(depth - 1));
      return { [pick(["and", "or"])]: a };
    }
  }
}
function genQData() {
  const d = {};
  for (const q of QS) if (rnd() < 0.75) d[q] = genAnswer();
  return d;
}

function jsEval(rule, data) {
  const saved = console.log;
  console.log = () => {}; // the "log" operator prints; the library must not
  try {
    const s = JSON.stringify(jsonLogic.apply(rule, data));
    return s === undefined ? "null" : s;
  } catch (e) {
    return "ERROR";
  } finally {
    console.log = saved;
  }
}

const lines = [], cases = [];
for (let i = 0; i < N; i++) {
  if (rnd() < 0.3) {
    const rule = JSON.stringify(genQExpr(int(4)));
    const data = JSON.stringify(genQData());
    cases.push([rule, data]);
    lines.push(rule + "\t" + data);
    continue;
  }
  const rule = JSON.stringify(genExpr(1 + int(6)));
  let d = genData(3);
  if (rnd() < 0.7) { // usually an answers-like object, so var finds things
    d = {};
    for (let k = 1 + int(5); k > 0; k--) d[pick(KEYS)] = genData(2);
  }
  const data = JSON.stringify(d);
  cases.push([rule, data]);
  lines.push(rule + "\t" + data);
}
const res = spawnSync(driver, ["--eval-lines"], {
  input: lines.join("\n") + "\n", maxBuffer: 1 << 30, encoding: "utf8" });
if (res.status !== 0 || res.error) {
  console.error("diff.js: driver failed: " + (res.error || res.stderr));
  process.exit(2);
}
const got = res.stdout.split("\n");
let bad = 0;
for (let i = 0; i < N; i++) {
  const [rule, data] = cases[i];
  const want = jsEval(JSON.parse(rule), JSON.parse(data));
  const c = got[i].startsWith("ERROR") ? "ERROR" : got[i];
  if (c === want) continue;
  bad++;
  if (bad <= show)
    console.log(rule + "\n" + data + "\n  js: " + want + "\n  c:  " + got[i] + "\n");
}
console.log(`diff.js: ${N} cases, ${bad} mismatches, seed ${opt("seed", 1)}`);
process.exit(bad ? 1 : 0);
