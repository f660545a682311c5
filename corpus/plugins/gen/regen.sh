#!/bin/bash
# Regenerates every stored toolchain variant of case "plugins" into
# corpus/plugins/<tc>/ with corpus/store-case.sh (build, run, core, check,
# zstd -19). One command: bash corpus/plugins/gen/regen.sh [TC...]
# A toolchain that cannot be had here (exit 77) is skipped.
cd "$(dirname "$0")/../.." || exit 1
[ $# -gt 0 ] || set -- go1.19 go1.26 go1.27 go1.27-stripped
rc=0
for tc in "$@"; do
	./store-case.sh plugins "$tc"
	r=$?
	[ $r = 0 ] || [ $r = 77 ] || rc=1
done
exit $rc
