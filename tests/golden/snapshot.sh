#!/bin/sh
# snapshot.sh: every command's output on the existing cases, as one
# transcript, so a refactor can show that behaviour did not change.
# Usage: snapshot.sh CDGUIDE SOURCE_DIR > transcript
# Each entry is "### ARGS", then stdout, "--- stderr", stderr, "--- exit N".
# The date is fixed (SOURCE_DATE_EPOCH) and paths are relative to
# SOURCE_DIR, so the transcript depends on the program alone.
set -u
bin=$1
cd "$2" || exit 1
export SOURCE_DATE_EPOCH=1769850000 NO_COLOR=1 TERM=dumb LC_ALL=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_STATE_HOME="$tmp/state" HOME="$tmp"

r() {
  printf '### %s\n' "$*"
  "$bin" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
  rc=$?
  cat "$tmp/out"
  printf -- '--- stderr\n'
  cat "$tmp/err"
  printf -- '--- exit %d\n' "$rc"
}

r --version
r --help
for cmd in run resume review check passages export-fhir logic; do
  r "$cmd" --help
done
for f in tests/cases/*.answers.json; do
  for fmt in text markdown json fhir; do
    r run --answers "$f" --format "$fmt"
  done
  r review "$f"
done
for fmt in text markdown json fhir; do
  r run --answers tests/golden/mini-answers.json --pack tests/fixtures/mini --format "$fmt"
done
r check
r check --pack tests/fixtures/mini
r export-fhir
r export-fhir --pack tests/fixtures/mini
r passages
r passages --topic denervation
r passages --topic no-such-topic
r passages cd-what-it-is no-such-passage
for f in tests/bad/answers/*.json tests/bad/run/*.json; do
  r run --answers "$f" --format json
done
for f in tests/bad/sessions/*.json; do
  r review "$f"
done
for f in tests/bad/packs/*.json tests/bad/check/*.json; do
  rm -rf "$tmp/p" && mkdir "$tmp/p" && cp "$f" "$tmp/p/pack.json"
  printf '### check --pack (%s)\n' "$f"
  (cd "$tmp" && "$bin" check --pack p </dev/null >out 2>err; echo $? >rc)
  cat "$tmp/out" "$tmp/err"
  printf -- '--- exit %s\n' "$(cat "$tmp/rc")"
done
r logic '{"+":[1,2]}'
r logic '{"var":"a.b"}' '{"a":{"b":[1,"x",null]}}'
r logic '{"if":[{"<":[{"var":"n"},3]},"small","big"]}' '{"n":2}'
r logic '{"nope":[1]}'
r logic '{"+":[1,'
