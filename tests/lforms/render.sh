#!/bin/sh
# render.sh: the FHIR R4 Questionnaire of `cdguide export-fhir` rendered
# by LHC-Forms (the npm package lforms, version pinned in package.json and
# package-lock.json) in headless Chromium; render.js holds the checks.
# Usage: render.sh CDGUIDE SOURCE_DIR OUTDIR
# LHC-Forms and playwright-core are installed with `npm ci` into
# OUTDIR/npm (once: again only when the lock file changes). Without
# chromium, node or npm, or when npm cannot fetch the packages, it fails
# under CI=true and otherwise exits 77, which ctest shows as skipped
# (never as passed).
set -u
bin=$1
src=$2
out=$3
here=$src/tests/lforms
mkdir -p "$out" || exit 1
# Absolute, as npm runs in a directory of its own.
out=$(cd "$out" && pwd) && src=$(cd "$src" && pwd) || exit 1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
export LC_ALL=C.UTF-8 NO_COLOR=1

skip() {
  if [ "${CI:-}" = true ]; then
    echo "lforms: FAIL: $* (make test installs chromium, nodejs and npm)"
    exit 1
  fi
  echo "lforms: SKIPPED, not passed: $*"
  exit 77
}

missing=""
for t in chromium node npm; do
  command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
[ -z "$missing" ] || skip "missing$missing"

# npm ci empties node_modules first, so it runs only when the lock file
# differs from the one last installed.
npmdir=$out/npm
if ! cmp -s "$here/package-lock.json" "$npmdir/installed-lock.json" ||
  [ ! -d "$npmdir/node_modules/lforms/dist" ]; then
  mkdir -p "$npmdir" &&
    cp "$here/package.json" "$here/package-lock.json" "$here/.npmrc" "$npmdir/" ||
    exit 1
  echo "lforms: npm ci into $npmdir"
  if ! (cd "$npmdir" && HOME=${HOME:-$npmdir} timeout 300 npm ci \
    --ignore-scripts --prefer-offline --no-audit --no-fund \
    >"$out/npm.log" 2>&1); then
    tail -5 "$out/npm.log"
    skip "npm ci failed (see $out/npm.log)"
  fi
  cp "$here/package-lock.json" "$npmdir/installed-lock.json" || exit 1
fi

NODE_PATH=$npmdir/node_modules timeout 120 node "$here/render.js" \
  "$bin" "$here" "$npmdir/node_modules" "$out"
