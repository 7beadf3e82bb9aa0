#!/bin/sh
# bench_logic.sh: JsonLogic evaluations per second on the same rules and
# data, side by side: cdguide (C) against json-logic-js (the reference) and
# json-logic-engine (interpreted, and compiled with engine.build), on each
# case set: bench/logic_cases.json (operators across the board) and
# bench/logic_cases_pack.json (the shipped pack's conditions over invented
# answers). Target: C at least json-logic-engine compiled (aim 2x).
# Usage: bench/bench_logic.sh BUILDDIR
set -eu
build=${1:-build}
seconds=${BENCH_SECONDS:-2}

have_node=1
if ! command -v node >/dev/null 2>&1; then
  echo "bench_logic: node not found; timing C only"
  have_node=0
elif [ ! -d tools/oracle/node_modules/json-logic-js ] ||
     [ ! -d tools/oracle/node_modules/json-logic-engine ]; then
  # pinned in tools/oracle/package.json: json-logic-js 2.0.5,
  # json-logic-engine 5.0.7
  (cd tools/oracle && npm install --no-audit --no-fund --silent) ||
    have_node=0
fi

for cases in bench/logic_cases.json bench/logic_cases_pack.json; do
  echo "-- $cases"
  c_out=$("$build/bench/bench_logic" "$cases" "$seconds")
  echo "$c_out"
  [ "$have_node" = 1 ] || continue
  js_out=$(node bench/logic_bench.js "$cases" "$seconds")
  echo "$js_out"
  printf '%s\n%s\n' "$c_out" "$js_out" | awk '
    $1 == "c" { c[$2] = $3; order[++n] = $2 }
    $1 == "js" { js[$2] = $3 }
    END {
      ref = js["json-logic-engine-build"]
      if (ref == "") ref = js["json-logic-js"]
      name = js["json-logic-engine-build"] != "" ? "json-logic-engine-build" : "json-logic-js"
      for (i = 1; i <= n; i++)
        printf "ratio %s / %s %.2fx\n", order[i], name, c[order[i]] / ref
    }'
done
