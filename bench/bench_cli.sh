#!/bin/sh
# bench_cli.sh: the cost of one report. Runs `cdguide run --answers F
# --format json` and `cat F` N times each, prints both wall times and their
# ratio (target: at most 5 times cat), and the maximum resident memory of
# one report (target: at most 4096 KB), from /usr/bin/time (Debian: time).
# Usage: bench/bench_cli.sh BUILDDIR    (N from BENCH_N, default 200)
set -eu
build=${1:-build}
bin=$build/cdguide
n=${BENCH_N:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

[ -x "$bin" ] || { echo "cdguide: bench: no $bin; build first" >&2; exit 1; }
cat >"$tmp/answers.json" <<'EOF'
{"posture": ["torticollis", "retrocollis"], "age_group": "adult",
 "duration": "over_5_years",
 "treatments_tried": ["physiotherapy", "spasm_drugs", "botulinum_toxin"],
 "outcome_physiotherapy": "partly_helped", "outcome_spasm_drugs": "not_helped",
 "outcome_botulinum_toxin": "stopped_side_effects"}
EOF
"$bin" run --answers "$tmp/answers.json" --format json >/dev/null

now_ns() { date +%s%N; }

# loop N CMD...: run CMD N times, print the wall time in nanoseconds.
loop() {
  count=$1
  shift
  start=$(now_ns)
  i=0
  while [ "$i" -lt "$count" ]; do
    "$@" >/dev/null
    i=$((i + 1))
  done
  echo $(($(now_ns) - start))
}

report_ns=$(loop "$n" "$bin" run --answers "$tmp/answers.json" --format json)
cat_ns=$(loop "$n" cat "$tmp/answers.json")

rss=0
i=0
while [ "$i" -lt 5 ]; do
  /usr/bin/time -f %M -o "$tmp/time" \
    "$bin" run --answers "$tmp/answers.json" --format json >/dev/null
  kb=$(tail -n 1 "$tmp/time")
  [ "$kb" -gt "$rss" ] && rss=$kb
  i=$((i + 1))
done

# For scale: the same measure for cat and for a run that loads nothing.
/usr/bin/time -f %M -o "$tmp/time" cat "$tmp/answers.json" >/dev/null
cat_rss=$(tail -n 1 "$tmp/time")
/usr/bin/time -f %M -o "$tmp/time" "$bin" --version >/dev/null
version_rss=$(tail -n 1 "$tmp/time")

awk -v cat_rss="$cat_rss" -v version_rss="$version_rss" -v n="$n" -v r="$report_ns" -v c="$cat_ns" -v rss="$rss" 'BEGIN {
  ratio = r / c
  printf "cdguide run --answers F --format json: %d runs in %.3f s (%.2f ms each)\n",
         n, r / 1e9, r / 1e6 / n
  printf "cat F:                                 %d runs in %.3f s (%.2f ms each)\n",
         n, c / 1e9, c / 1e6 / n
  printf "ratio: %.2fx (target <= 5x: %s)\n", ratio, ratio <= 5 ? "met" : "NOT met"
  printf "max resident memory: %d KB (target <= 4096 KB: %s)\n", rss,
         rss <= 4096 ? "met" : "NOT met"
  printf "  for scale: cat %d KB, cdguide --version %d KB\n", cat_rss, version_rss
}'
