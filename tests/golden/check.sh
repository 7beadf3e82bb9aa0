#!/bin/sh
# check.sh: the program's transcript (snapshot.sh) must be byte for byte
# tests/golden/transcript.txt. The transcript was taken before the
# architecture refactor (issue 11) from the program whose outputs the other
# tests check line by line; a change that means to alter output updates it
# with `sh tests/golden/snapshot.sh build/cdguide . > tests/golden/transcript.txt`
# and says why in its commit.
# Usage: check.sh CDGUIDE SOURCE_DIR
set -u
out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM
sh "$2/tests/golden/snapshot.sh" "$1" "$2" >"$out" || exit 1
if ! diff -u "$2/tests/golden/transcript.txt" "$out" | head -200; then :; fi
cmp -s "$2/tests/golden/transcript.txt" "$out" || { echo "golden: transcript differs"; exit 1; }
echo "golden: $(grep -c '^### ' "$out") commands, output unchanged"
