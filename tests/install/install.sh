#!/bin/sh
# install.sh SRCDIR BUILDDIR: `cmake --install` into a scratch DESTDIR,
# run the installed cdguide from another directory, then `make uninstall`
# and check that it removed what was installed. A manifest of a real
# install in BUILDDIR is kept and put back.
set -eu
src=$1
build=$2
prefix=/usr/local
dest=$(mktemp -d)
work=$(mktemp -d)
manifest=$build/install_manifest.txt

cleanup() {
  if [ -f "$work/manifest.saved" ]; then
    cp "$work/manifest.saved" "$manifest"
  else
    rm -f "$manifest"
  fi
  rm -rf "$dest" "$work"
}
trap cleanup EXIT
[ -f "$manifest" ] && cp "$manifest" "$work/manifest.saved"

fail() {
  echo "install test: $*" >&2
  exit 1
}

DESTDIR=$dest cmake --install "$build" --prefix "$prefix" >/dev/null ||
  fail "cmake --install $build failed"
bin=$dest$prefix/bin/cdguide
man=$dest$prefix/share/man/man1/cdguide.1
[ -x "$bin" ] || fail "$bin missing or not executable"
[ -f "$man" ] || fail "$man missing"

# The installed program needs nothing from the source or build tree.
# The version is written once, in project() of CMakeLists.txt.
version=$(sed -n 's/^project(cdguide VERSION \([0-9.]*\) .*/\1/p' \
  "$src/CMakeLists.txt")
[ -n "$version" ] || fail "no project version in $src/CMakeLists.txt"
grep -q "^\.TH CDGUIDE 1 .*\"cdguide $version\"" "$man" ||
  fail "installed $man does not carry version $version"
cd "$work"
out=$("$bin" --version) || fail "cdguide --version exited $?"
case $out in
*"$version"*) ;;
*) fail "cdguide --version printed '$out', not version $version" ;;
esac
out=$("$bin" passages cd-what-it-is | tr '\n' ' ' | tr -s ' ') ||
  fail "cdguide passages cd-what-it-is failed"
case $out in
*"Cervical dystonia is a condition in which the muscles of the neck contract painfully and cause twisting of the head."*) ;;
*) fail "cdguide passages cd-what-it-is printed: $out" ;;
esac

# CMake's manifest lists the paths without DESTDIR. Never let a Makefile
# that ignores DESTDIR remove a real /usr/local/bin/cdguide.
grep -qxF "$prefix/bin/cdguide" "$manifest" ||
  fail "$manifest does not list $prefix/bin/cdguide"
grep -A3 '^uninstall:' "$src/Makefile" | grep -q 'DESTDIR' ||
  fail "the Makefile's uninstall ignores DESTDIR; not running it"
make -s -C "$src" uninstall BUILDDIR="$build" DESTDIR="$dest" >/dev/null ||
  fail "make uninstall failed"
[ ! -e "$bin" ] || fail "make uninstall left $bin"
[ ! -e "$man" ] || fail "make uninstall left $man"
echo "install test: installed, ran from $work, uninstalled"
