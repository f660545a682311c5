#!/bin/bash
# Regenerates every stored toolchain variant of case "unmapped" into
# corpus/unmapped/<tc>/ with corpus/store-case.sh (build, run, core, check,
# zstd -19). One command: bash corpus/unmapped/gen/regen.sh [TC...]
# A toolchain that cannot be had here (exit 77) is skipped.
cd "$(dirname "$0")/../.." || exit 1
[ $# -gt 0 ] || set -- go1.19 go1.26 go1.27 go1.27-splitgroup go1.19-stripped go1.26-stripped go1.27-stripped go1.27-splitgroup-stripped
rc=0
for tc in "$@"; do
	./store-case.sh unmapped "$tc"
	r=$?
	[ $r = 0 ] || [ $r = 77 ] || rc=1
done
exit $rc
