#!/bin/sh
# render.sh: `run --format html` pages rendered by headless Chromium to a
# PDF and a PNG. The PDF's text (pdftotext) must hold every cited passage
# whole (the .expect files, checked by hand, name them), the notice, the
# treatment names and "not recorded"; a typical history prints on one or
# two A4 pages; the page holds no script and loads nothing.
# Usage: render.sh CDGUIDE SOURCE_DIR [OUTDIR]
# Without chromium or poppler-utils it fails under CI=true and otherwise
# exits 77, which ctest shows as skipped (never as passed).
set -u
bin=$1
src=$2
out=${3:-$(mktemp -d)}
mkdir -p "$out" || exit 1
export SOURCE_DATE_EPOCH=1769850000 NO_COLOR=1 LC_ALL=C.UTF-8

missing=""
for t in chromium pdftotext pdfinfo pdftoppm; do
  command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
if [ -n "$missing" ]; then
  if [ "${CI:-}" = true ]; then
    echo "render: FAIL: missing$missing (make test installs chromium and poppler-utils)"
    exit 1
  fi
  echo "render: SKIPPED, not passed: missing$missing"
  exit 77
fi

fails=0
fail() {
  echo "render: FAIL: $*"
  fails=$((fails + 1))
}

# Collapse white space, so that line breaks of the PDF do not count.
flat() { tr -s ' \n\t\r\f' '     ' | sed 's/^ //; s/ $//'; }

# Chromium's profile and crash files go to a directory of its own.
chrome() {
  prof=$(mktemp -d)
  HOME=$prof timeout 120 chromium --headless --no-sandbox --disable-gpu \
    --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$prof" \
    "$@" >"$out/chromium.log" 2>&1
  rc=$?
  rm -rf "$prof"
  return $rc
}

for name in case-01-adult-botox-not-helped case-04-adult-physio-side-effects \
  case-10-adult-mixed case-11-adult-brain-surgery-stopped \
  case-13-child-botox-not-helped html/partial \
  pack2/p01-adult-botox-stopped-helping pack2/p13-adult-everything-full-detail \
  v1in2/case-10-adult-mixed v1in2/case-11-adult-brain-surgery-stopped; do
  pack=""
  case $name in
    html/*) answers=$src/tests/$name.answers.json expect=$src/tests/$name.expect ;;
    v1in2/*)
      # 1.0 answers under the built-in 2.0: each treatment tried has its
      # detail questions, unanswered, named on one line.
      answers=$src/tests/cases/${name#v1in2/}.answers.json
      expect=$src/tests/cases/${name#v1in2/}.expect ;;
    pack2/*)
      # The shipped pack 2.0, with each treatment's details in the page.
      pack=$src/rules/packs/cervical-dystonia
      answers=$pack/patients/${name#pack2/}.answers.json
      expect=$pack/patients/${name#pack2/}.expect ;;
    *)
      # 1.0 answers files under the 1.0 pack (a fixture), as they were
      # made; v1in2/ prints two of them under the built-in 2.0.
      pack=$src/tests/fixtures/pack-1.0
      answers=$src/tests/cases/$name.answers.json expect=$src/tests/cases/$name.expect ;;
  esac
  base=$out/$(printf %s "$name" | tr / -)
  if ! "$bin" run ${pack:+--pack "$pack"} --answers "$answers" --format html \
    --output "$base.html"; then
    fail "$name: cdguide exited $?"
    continue
  fi
  # Nothing that runs or loads; one style sheet, importing nothing.
  if grep -Eiq '<script|<link|<img|<iframe|<object|<embed|<base|src=|href=|url\(|@import|@font-face' "$base.html"; then
    fail "$name: the page runs or loads something"
  fi
  grep -q "^<html lang=\"en\">$" "$base.html" || fail "$name: no lang=\"en\""
  grep -q "<title>cdguide report" "$base.html" || fail "$name: no title"

  chrome --no-pdf-header-footer --print-to-pdf="$base.pdf" "file://$base.html" ||
    { fail "$name: chromium could not print (see $out/chromium.log)"; continue; }
  chrome --window-size=1000,1600 --screenshot="$base.png" "file://$base.html" ||
    fail "$name: chromium could not take a screenshot"
  [ "$(head -c 8 "$base.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
    fail "$name: the screenshot is not a PNG"

  pages=$(pdfinfo "$base.pdf" | awk '/^Pages:/ {print $2}')
  size=$(pdfinfo "$base.pdf" | awk '/^Page size:/ {print $3 "x" $5}')
  case $pages in 1 | 2) ;; *) fail "$name: $pages pages, not 1 or 2" ;; esac
  case $size in 59[45]*x84[12]*) ;; *) fail "$name: page size $size pt, not A4" ;; esac
  pdftoppm -r 50 -png -f 1 -l 1 "$base.pdf" "$base-page" || fail "$name: pdftoppm"

  pdftotext -enc UTF-8 "$base.pdf" - | flat >"$base.txt"
  while read -r id; do
    [ -n "$id" ] || continue
    # The passage as `cdguide passages` prints it: id line, then the text.
    text=$("$bin" passages "$id" | sed 1d | flat)
    [ -n "$text" ] || { fail "$name: no text for $id"; continue; }
    grep -qF -- "$text" "$base.txt" || fail "$name: passage $id not whole in the PDF"
    grep -qF -- "$id" "$base.txt" || fail "$name: passage id $id not in the PDF"
  done <"$expect"
  n=$(grep -c . "$expect")
  q=$(grep -o '<blockquote>' "$base.html" | wc -l)
  [ "$q" -eq "$n" ] || fail "$name: $q passages quoted, $n expected"
  for s in "This report points to passages of published guidance. It does not make a clinical decision." \
    "Physiotherapy" "Medicines to reduce muscle spasm" \
    "Botulinum toxin injections (such as Botox)" "Brain surgery" \
    "25a7936f8257a0ff7bbdcd9daa319262c0ea914c94d5bbe64bf2968c2801b20d" \
    "2026-01-31 09:00:00 UTC"; do
    grep -qF -- "$s" "$base.txt" || fail "$name: \"$s\" not in the PDF"
  done
  case $name in
    */partial)
      [ "$(grep -o 'not recorded' "$base.txt" | wc -l)" -ge 8 ] ||
        fail "$name: 'not recorded' not in each Tried and Outcome cell"
      grep -qF "(not tried)" "$base.txt" && fail "$name: 'not tried' for an unanswered list"
      grep -qF "Incomplete: 2 required questions are not answered" "$base.txt" ||
        fail "$name: the missing questions are not named"
      ;;
  esac
  echo "render: $name: $pages page(s), $n passages, $base.pdf"
done
[ "$fails" -eq 0 ] || exit 1
echo "render: every page printed whole"
