#!/bin/sh
# The pack 2.0 draft's check, with the property it states (issue 14).
# Usage: bench/bench_pack2.sh BUILDDIR
set -eu
build=${1:-build}
"$build/bench/bench_pack2" docs/pack-2.0-draft
