#!/bin/sh
# Install the Debian packages cdguide needs that are missing, and only those.
# Usage: tools/deps.sh PACKAGE...
set -eu
missing=""
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "cdguide: installing missing Debian packages:$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo=sudo; else
  echo "cdguide: need root (or sudo) to run: apt-get install$missing" >&2
  exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
