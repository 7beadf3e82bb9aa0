#!/bin/sh
# test_cli.sh: the cdguide binary's commands, messages and exit statuses.
# Usage: test_cli.sh CDGUIDE SOURCE_DIR
# CDG_WRAP, when set, is a command the binary runs under (e.g. valgrind).
set -u
bin=$1
src=$2
wrap=${CDG_WRAP:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
failures=0
tests=0
unset NO_COLOR XDG_STATE_HOME
export SOURCE_DATE_EPOCH=1769850000 # 2026-01-31T09:00:00Z
export XDG_STATE_HOME="$tmp/state"

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# t STATUS ARGS...: run cdguide ARGS with stdin empty; stdout in $tmp/out,
# stderr in $tmp/err; fail unless the exit status is STATUS.
t() {
  want=$1
  shift
  tests=$((tests + 1))
  $wrap "$bin" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
  got=$?
  if [ "$got" -ne "$want" ]; then
    fail "cdguide $*: exit $got, want $want"
    sed 's/^/  stderr: /' "$tmp/err"
    return 1
  fi
  return 0
}

# Output checks on the last run.
out_has() { grep -qF -- "$1" "$tmp/out" || fail "$2: stdout lacks '$1'"; }
err_has() { grep -qF -- "$1" "$tmp/err" || fail "$2: stderr lacks '$1'"; }
out_empty() { [ ! -s "$tmp/out" ] || fail "$1: stdout not empty"; }
err_empty() { [ ! -s "$tmp/err" ] || fail "$1: stderr not empty"; }
# Exactly one line on stderr, starting "cdguide: ".
err_one_line() {
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$1: stderr is not one line"
  head -c 9 "$tmp/err" | grep -qx 'cdguide: ' || fail "$1: no 'cdguide: '"
}

# ---- help and version ------------------------------------------------------
for cmd in "" run resume review check passages export-fhir logic; do
  for h in --help -h; do
    # shellcheck disable=SC2086 # empty $cmd is no argument
    t 0 $cmd $h || continue
    out_has "Usage: cdguide" "cdguide $cmd $h"
    err_empty "cdguide $cmd $h"
  done
done
t 0 run --help && out_has "--answers F" "run --help"
t 0 --version && {
  [ "$(cat "$tmp/out")" = "cdguide 0.1.0" ] || fail "--version: $(cat "$tmp/out")"
}
t 0 -V && out_has "cdguide 0.1.0" "-V"

# ---- usage errors: 64, one line, a hint to the right --help ---------------
usage() { # usage HINT ARGS...
  hint=$1
  shift
  t 64 "$@" || return
  err_one_line "cdguide $*"
  err_has "Try '$hint'." "cdguide $*"
  out_empty "cdguide $*"
}
usage "cdguide --help" frobnicate
usage "cdguide --help" --bogus
usage "cdguide --help" --help=yes
usage "cdguide check --help" check --version=2
usage "cdguide run --help" run --bogus
usage "cdguide run --help" run --format
usage "cdguide run --help" run --format=pdf --answers x
usage "cdguide run --help" run -f pdf
usage "cdguide run --help" run --no-color=yes
usage "cdguide run --help" run --answers a.json --session s.json
usage "cdguide run --help" run extra
usage "cdguide review --help" review
usage "cdguide resume --help" resume
usage "cdguide resume --help" resume a b
usage "cdguide logic --help" logic
usage "cdguide logic --help" logic 1 2 3
usage "cdguide check --help" check extra
usage "cdguide check --help" check --topic x
usage "cdguide passages --help" passages --pack x
usage "cdguide passages --help" passages --topic denervation spd-varies
t 64 frobnicate && err_has "unknown command 'frobnicate'" "frobnicate"
t 64 run --format=pdf && err_has "pdf" "run --format=pdf"
# A usage error quotes argv: sanitised, so no escape reaches the terminal.
t 64 "$(printf 'x\033[2Jy')" && {
  err_has "unknown command 'x$(printf '\357\277\275')[2Jy'" "ESC in argv"
  grep -q "$(printf '\033')" "$tmp/err" && fail "ESC in argv: ESC on stderr"
}
t 64 run "--format=$(printf '\033]0;t\007')" && {
  err_one_line "ESC in --format"
  grep -q "$(printf '\033')" "$tmp/err" && fail "ESC in --format: ESC on stderr"
}

# ---- check ----------------------------------------------------------------
# The built-in pack is 2.0.0: 34 questions (1.0's 8 and 26 details), 13
# rules (1.0's 8 and 5); the symbolic check proves it, but its treatment
# group has too many paths to enumerate one by one.
t 0 check && {
  out_has "cdguide: pack cervical-dystonia 2.0.0: clean (" "check"
  out_has "(34 questions, 13 rules, every answer path proved)" "check"
}
t 65 check --enumerate && {
  err_has "exhaustive check too large: over 5000000 answer paths" \
    "check --enumerate (2.0)"
}
# The 1.0 pack (a test fixture) is small enough to enumerate.
t 0 check --enumerate --pack "$src/tests/fixtures/pack-1.0" && {
  out_has ", 153664 answer paths checked)" "check --enumerate (1.0)"
}
# 70 independent yes/no questions: 2^70 paths, more than a count holds.
mkdir -p "$tmp/many"
{
  printf '{"id":"many","version":"1","title":"T","source":{"title":"S",'
  printf '"publisher":"P","sha256":"%s"},"questions":[' \
    25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d
  i=0
  while [ $i -lt 70 ]; do
    [ $i -gt 0 ] && printf ','
    printf '{"id":"q%d","type":"single","text":"Q?","options":' $i
    printf '[{"code":"y","label":"Yes"},{"code":"n","label":"No"}]}'
    i=$((i + 1))
  done
  printf '],"rules":[{"id":"r","when":true,"cite":["cd-what-it-is"],'
  printf '"because":"Always."}]}'
} >"$tmp/many/pack.json"
t 0 check --enumerate --pack "$tmp/many" && {
  out_has "(70 questions, 1 rule, more than 10^19 answer paths checked)" \
    "check --enumerate (2^70 paths)"
}
t 0 check --pack "$tmp/many" && {
  out_has "(70 questions, 1 rule, every answer path proved)" \
    "check (2^70 paths)"
}
mkdir -p "$tmp/syntax" "$tmp/lint" "$tmp/empty"
printf '{"id": "broken",\n  "version": \n' >"$tmp/syntax/pack.json"
t 65 check --pack "$tmp/syntax" && {
  err_one_line "check (syntax)"
  err_has "pack.json:" "check (syntax)"
}
# A well-formed pack whose rule cites a passage that does not exist.
cat >"$tmp/lint/pack.json" <<'EOF'
{"id": "lint-test", "version": "0.0.1", "title": "Lint test",
 "source": {"title": "Selective peripheral denervation for cervical dystonia",
            "publisher": "NICE",
            "sha256": "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d"},
 "questions": [{"id": "age_group", "type": "single", "text": "Age?",
                "options": [{"code": "child", "label": "A child"},
                            {"code": "adult", "label": "An adult"}]}],
 "rules": [{"id": "always", "when": true, "cite": ["no-such-passage"],
            "because": "Always."}]}
EOF
t 65 check --pack "$tmp/lint" && {
  err_has "no-such-passage" "check (lint)"
  grep -q '^cdguide: .*pack.json:[0-9]*:[0-9]*: ' "$tmp/err" ||
    fail "check (lint): no 'cdguide: file:line:col: '"
}
t 66 check --pack "$tmp/empty" && err_one_line "check (no pack.json)"
for bad in "$src"/tests/bad/packs/*.json; do
  [ -f "$bad" ] || continue
  mkdir -p "$tmp/bad" && cp "$bad" "$tmp/bad/pack.json"
  t 65 check --pack "$tmp/bad" && err_has "pack.json" "check ${bad##*/}"
done

# ---- logic ------------------------------------------------------------------
t 0 logic '{"+": [1, 2]}' &&
  { [ "$(cat "$tmp/out")" = "3" ] || fail "logic +: $(cat "$tmp/out")"; }
t 0 logic '{"in": ["torticollis", {"var": "posture"}]}' \
  '{"posture": ["torticollis"]}' &&
  { [ "$(cat "$tmp/out")" = "true" ] || fail "logic in: $(cat "$tmp/out")"; }
t 0 logic '{"var": "a"}' &&
  { [ "$(cat "$tmp/out")" = "null" ] || fail "logic var: $(cat "$tmp/out")"; }
# JSON output escapes DEL, C1 controls and bidi overrides, as cJSON does C0.
t 0 logic '"a\u007f\u009b31m\u202eb"' && {
  [ "$(cat "$tmp/out")" = '"a\u007f\u009b31m\u202eb"' ] ||
    fail "logic C1: $(od -c "$tmp/out" | head -2)"
}
t 65 logic '{"frobnicate": [1]}' && {
  err_one_line "logic (unknown operator)"
  err_has "frobnicate" "logic (unknown operator)"
}
t 65 logic '{"+": [1, ' && err_one_line "logic (bad JSON)"
t 65 logic '{"var": "a"}' '[1,' && err_one_line "logic (bad data)"

# ---- passages ---------------------------------------------------------------
t 0 passages && {
  out_has "cd-onset [About cervical dystonia]" "passages"
  out_has "commissioners-environment" "passages"
}
t 0 passages cd-onset && {
  out_has "cd-onset [About cervical dystonia]" "passages cd-onset"
  out_has "It may be congenital, but may also occur at any age." "passages cd-onset"
  [ "$(grep -c '^[a-z]' "$tmp/out")" -eq 1 ] || fail "passages cd-onset: not one passage"
}
t 0 passages --topic=denervation && {
  out_has "spd-what-it-is" "passages --topic"
  grep -q '^cd-onset' "$tmp/out" && fail "passages --topic: cd-onset listed"
}
t 66 passages no-such-id && {
  err_one_line "passages no-such-id"
  err_has "no-such-id" "passages no-such-id"
  out_empty "passages no-such-id"
}
t 66 passages cd-onset no-such-id && out_empty "passages cd-onset no-such-id"
t 66 passages -t no-such-topic && {
  err_one_line "passages -t no-such-topic"
  err_has "no-such-topic" "passages -t"
  err_has "(topics: guidance, denervation, condition," "passages -t"
}

# ---- run --answers ----------------------------------------------------------
cat >"$tmp/good.json" <<'EOF'
{"posture": ["torticollis"], "age_group": "adult", "duration": "1_to_5_years",
 "treatments_tried": ["botulinum_toxin"],
 "outcome_botulinum_toxin": "not_helped"}
EOF
notice="This report points to passages of published guidance. It does not make a clinical decision."
t 0 run --answers "$tmp/good.json" && {
  tr -s ' \n' ' ' <"$tmp/out" | grep -qF "$notice" || fail "run: no notice"
  out_has "2026-01-31T09:00:00Z" "run"
  out_has "Peripheral denervation has been advocated" "run"
  err_empty "run"
  grep -q "$(printf '\033')" "$tmp/out" && fail "run: colour when not a terminal"
}
for fmt in text markdown json fhir; do
  t 0 run -a "$tmp/good.json" --format "$fmt" && err_empty "run --format $fmt"
done
t 0 run --answers="$tmp/good.json" --format=json && {
  out_has '"notice":' "run --format=json"
  out_has "$notice" "run --format=json"
}
cp "$tmp/out" "$tmp/report.json"
t 0 run --answers "$tmp/good.json" -f json -o "$tmp/written.json" && {
  out_empty "run --output"
  cmp -s "$tmp/written.json" "$tmp/report.json" ||
    fail "run --output: file differs from standard output"
}
printf '{"posture": ["sideways"], "age_group": "adult"}' >"$tmp/badcode.json"
t 65 run --answers "$tmp/badcode.json" && {
  err_one_line "run (unknown code)"
  err_has "posture" "run (unknown code)"
  out_empty "run (unknown code)"
}
printf '{"posture": ["torticollis"],' >"$tmp/syntax.json"
t 65 run --answers "$tmp/syntax.json" && err_has "syntax.json:" "run (syntax)"
t 66 run --answers "$tmp/missing.json" && {
  err_one_line "run (missing)"
  err_has "missing.json" "run (missing)"
}
# --output that cannot be created: 73, nothing written.
printf 'x' >"$tmp/notadir"
t 73 run --answers "$tmp/good.json" --output "$tmp/notadir/report.txt" &&
  err_one_line "run --output (parent not a directory)"
t 73 run --answers "$tmp/good.json" --output "$tmp/nodir/report.txt"
# A symlink at the output path is refused and its target left alone.
printf 'original\n' >"$tmp/target"
ln -s "$tmp/target" "$tmp/link"
t 73 run --answers "$tmp/good.json" --output "$tmp/link" &&
  err_one_line "run --output (symlink)"
[ "$(cat "$tmp/target")" = "original" ] || fail "--output followed a symlink"
[ -L "$tmp/link" ] || fail "--output replaced the symlink"

# ---- review ------------------------------------------------------------------
t 0 review "$tmp/good.json" && {
  out_has "Brain surgery: not tried" "review"
  out_has "spd-alternative" "review"
  tr -s ' \n' ' ' <"$tmp/out" | grep -qF "$notice" || fail "review: no notice"
}
# review --format: text is the review; the others the whole report,
# the same bytes as run --answers writes; --output writes the file alone.
for fmt in markdown json html fhir; do
  t 0 review --format "$fmt" "$tmp/good.json" && cp "$tmp/out" "$tmp/rev.$fmt"
  t 0 run --answers "$tmp/good.json" --format "$fmt" &&
    { cmp -s "$tmp/out" "$tmp/rev.$fmt" || fail "review --format $fmt differs from run"; }
done
t 0 review --format html --output "$tmp/rev.html" "$tmp/good.json" && {
  out_empty "review --output"
  grep -q "spd-alternative" "$tmp/rev.html" || fail "review --output: no passage"
  grep -qi "<script" "$tmp/rev.html" && fail "review --output: a script"
}
t 0 review --format text "$tmp/good.json" &&
  out_has "Brain surgery: not tried" "review --format text"
t 64 review --format pdf "$tmp/good.json" && err_one_line "review --format pdf"
t 66 review "$tmp/missing.json" && err_one_line "review (missing)"
t 65 review "$tmp/badcode.json" && err_has "posture" "review (unknown code)"

# ---- export-fhir ---------------------------------------------------------------
t 0 export-fhir && out_has '"resourceType"' "export-fhir"
# A pack text holding CSI (U+009B) is escaped in JSON, never written raw.
mkdir "$tmp/c1pack"
cp "$src/tests/bad/check/escape-in-label.json" "$tmp/c1pack/pack.json"
t 0 export-fhir --pack "$tmp/c1pack" && {
  out_has 'Which \u009b31m age group?' "export-fhir C1"
  grep -q "$(printf '\302\233')" "$tmp/out" && fail "export-fhir: raw C1"
}
echo '{"posture": ["torticollis"], "age_group": "adult"}' >"$tmp/c1.json"
for f in json fhir; do
  t 0 run --pack "$tmp/c1pack" --answers "$tmp/c1.json" --format $f && {
    out_has 'Which \u009b31m age group?' "run --format $f C1"
    grep -q "$(printf '\302\233')" "$tmp/out" && fail "--format $f: raw C1"
  }
done

# ---- colour: only on a terminal, never with NO_COLOR or --no-color -------------
# script(1) runs the binary on a pseudo-terminal.
esc=$(printf '\033')
tests=$((tests + 1))
TERM=xterm script -qec "$bin review $tmp/good.json" /dev/null >"$tmp/tty" 2>&1
grep -q "$esc\[1m" "$tmp/tty" || fail "review on a terminal: no colour"
tests=$((tests + 1))
TERM=xterm script -qec "$bin review --no-color $tmp/good.json" /dev/null \
  >"$tmp/tty" 2>&1
grep -q "$esc" "$tmp/tty" && fail "review --no-color on a terminal: colour"
for env in "NO_COLOR=1 TERM=xterm" "NO_COLOR=yes TERM=xterm" "TERM=dumb"; do
  tests=$((tests + 1))
  # shellcheck disable=SC2086 # $env is several assignments
  env $env script -qec "$bin review $tmp/good.json" /dev/null >"$tmp/tty" 2>&1
  grep -q "$esc" "$tmp/tty" && fail "review with $env on a terminal: colour"
done

# ---- a journal whose last line was cut short ----------------------------------
# review, run --answers and review --history each say so and read the rest.
printf '1\n2\n2\n5\n\n' | $wrap "$bin" --session "$tmp/torn.jsonl" >/dev/null 2>&1
lines=$(wc -l <"$tmp/torn.jsonl")
printf '{"seq":99,"time":"2026' >>"$tmp/torn.jsonl"
for args in "review $tmp/torn.jsonl" "run --answers $tmp/torn.jsonl" \
  "review --history $tmp/torn.jsonl"; do
  # shellcheck disable=SC2086 # $args is several words
  t 0 $args &&
    err_has "torn.jsonl:$((lines + 1)): the last line was cut short" "$args"
done

# ---- write errors ---------------------------------------------------------------
tests=$((tests + 1))
$wrap "$bin" --help >/dev/full 2>"$tmp/err"
[ $? -eq 74 ] || fail "--help >/dev/full: want 74"

echo "$tests tests, $failures failed"
[ "$failures" -eq 0 ]
