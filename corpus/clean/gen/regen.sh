#!/bin/bash
# Regenerates every stored toolchain variant of case "clean" into
# corpus/clean/<tc>/ with corpus/store-case.sh (build, run, core, check,
# zstd -19). One command: bash corpus/clean/gen/regen.sh [TC...]
# A toolchain that cannot be had here (exit 77) is skipped.
cd "$(dirname "$0")/../.." || exit 1
[ $# -gt 0 ] || set -- go1.19 go1.21 go1.23 go1.24 go1.24-noswiss go1.25 go1.25-noswiss go1.26 go1.27 go1.27-splitgroup go1.19-gcore go1.26-gcore go1.27-gcore go1.19-stripped go1.26-stripped go1.27-stripped
rc=0
for tc in "$@"; do
	./store-case.sh clean "$tc"
	r=$?
	[ $r = 0 ] || [ $r = 77 ] || rc=1
done
exit $rc
