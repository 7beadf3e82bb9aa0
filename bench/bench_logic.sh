#!/bin/sh
# bench_logic.sh: JsonLogic evaluations per second, cdguide (C) against
# json-logic-js (node) on the same rules and data (bench/logic_cases.json),
# and their ratio (target: C at least 5x). Usage: bench/bench_logic.sh BUILDDIR
set -eu
build=${1:-build}
seconds=${BENCH_SECONDS:-2}
cases=bench/logic_cases.json

c_out=$("$build/bench/bench_logic" "$cases" "$seconds")
echo "$c_out"
if ! command -v node >/dev/null 2>&1; then
  echo "bench_logic: node not found; skipping json-logic-js"
  exit 0
fi
if [ ! -d tools/oracle/node_modules/json-logic-js ]; then
  (cd tools/oracle && npm install --no-audit --no-fund --silent)
fi
js_out=$(node bench/logic_bench.js "$cases" "$seconds")
echo "$js_out"
c_eval=$(echo "$c_out" | awk '/logic_eval/ {print $3}')
c_test=$(echo "$c_out" | awk '/logic_test/ {print $3}')
js=$(echo "$js_out" | awk '{print $3}')
awk -v e="$c_eval" -v t="$c_test" -v j="$js" 'BEGIN {
  printf "ratio logic_eval/json-logic-js %.1fx, logic_test/json-logic-js %.1fx (target >= 5x)\n", e / j, t / j }'
