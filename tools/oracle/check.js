// check.js: run the cases of tests/logic/*.test through json-logic-js, to
// confirm that hand-written expectations match the reference. Usage:
// node check.js [FILE.test ...]. %%FAIL cases must throw in json-logic-js,
// except unknown operators that it never reaches (we reject them when
// compiling: a deliberate difference), which are listed, not counted; so
// are cases under a comment that starts "# Deliberate difference".
"use strict";
const fs = require("fs");
const path = require("path");
const jsonLogic = require("json-logic-js");

const dir = path.join(__dirname, "..", "..", "tests", "logic");
const files = process.argv.length > 2 ? process.argv.slice(2) :
  fs.readdirSync(dir).filter((f) => f.endsWith(".test")).sort()
    .map((f) => path.join(dir, f));
let bad = 0, total = 0;
const quiet = console.log;
for (const file of files) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  let deliberate = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    if (lines[i].startsWith("#")) {
      deliberate = lines[i].startsWith("# Deliberate difference");
      continue;
    }
    const start = i + 1;
    const fail = lines[i] === "%%FAIL";
    if (fail) i++;
    const rule = JSON.parse(lines[i]);
    const data = lines[i + 1] === "" ? null : JSON.parse(lines[i + 1]);
    const want = lines[i + 2];
    i += 2;
    const isDeliberate = deliberate;
    deliberate = false;
    total++;
    let got;
    console.log = () => {};
    try {
      got = JSON.stringify(jsonLogic.apply(rule, data));
      if (got === undefined) got = "null";
    } catch (e) {
      got = "throws";
    }
    console.log = quiet;
    const ok = fail ? got === "throws" || want.includes("unknown operator") :
      got === JSON.stringify(JSON.parse(want));
    if (fail && got !== "throws" && ok)
      console.log(`${path.basename(file)}:${start}: deliberate: json-logic-js gives ${got}`);
    if (!ok && isDeliberate) {
      console.log(`${path.basename(file)}:${start}: deliberate: json-logic-js gives ${got}`);
    } else if (!ok) {
      bad++;
      console.log(`${path.basename(file)}:${start}: ${lines[i - 2]}: expected ${want}, json-logic-js ${got}`);
    }
  }
}
console.log(`check.js: ${total} cases, ${bad} disagree with json-logic-js`);
process.exit(bad ? 1 : 0);
