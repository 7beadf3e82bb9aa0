#!/bin/sh
# bench_logic.sh: JsonLogic evaluations per second on the same rules and
# data, side by side: cdguide (C) against json-logic-js (the reference) and
# json-logic-engine (interpreted, and compiled with engine.build), on each
# case set: bench/logic_cases.json (operators across the board) and
# bench/logic_cases_pack.json (the shipped pack's conditions over invented
# answers, read as that pack's answers) and bench/logic_cases_shapes.json
# (other shapes: deep nesting, long arrays, many vars, string ops) and
# bench/logic_cases_more.json (nested iteration, reduce over objects,
# missing_some, string comparisons, var with defaults). The C and JavaScript runs
# alternate BENCH_REPEAT times (default 3) and the best figure of each is
# kept, so that load from other processes on the machine hurts both alike.
# Target: C (logic_test_frame) at least json-logic-engine compiled (aim 2x).
# Usage: bench/bench_logic.sh BUILDDIR
set -eu
build=${1:-build}
seconds=${BENCH_SECONDS:-2}
repeat=${BENCH_REPEAT:-3}

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

for cases in bench/logic_cases.json bench/logic_cases_pack.json \
             bench/logic_cases_shapes.json bench/logic_cases_more.json; do
  echo "-- $cases (best of $repeat runs of ${seconds}s each)"
  all=""
  i=0
  while [ "$i" -lt "$repeat" ]; do
    all="$all
$("$build/bench/bench_logic" "$cases" "$seconds")"
    if [ "$have_node" = 1 ]; then
      all="$all
$(node bench/logic_bench.js "$cases" "$seconds")"
    fi
    i=$((i + 1))
  done
  printf '%s\n' "$all" | awk '
    NF >= 3 && ($1 == "c" || $1 == "js") {
      k = $1 " " $2
      if (!(k in best)) order[++n] = k
      if ($3 + 0 > best[k] + 0) best[k] = $3
    }
    END {
      for (i = 1; i <= n; i++) printf "%s %.0f evals/s\n", order[i], best[order[i]]
      ref = best["js json-logic-engine-build"]
      if (ref == "") exit
      for (i = 1; i <= n; i++)
        if (order[i] ~ /^c /)
          printf "ratio %s / json-logic-engine-build %.2fx\n", substr(order[i], 3), best[order[i]] / ref
    }'
done
