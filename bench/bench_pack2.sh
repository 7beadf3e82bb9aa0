#!/bin/sh
# The shipped pack 2.0's check, with the property it states (issue 14).
# Usage: bench/bench_pack2.sh BUILDDIR
set -eu
build=${1:-build}
"$build/bench/bench_pack2" rules/packs/cervical-dystonia
