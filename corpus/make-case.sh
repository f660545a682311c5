#!/bin/bash
# make-case.sh CASE TC OUTDIR
#
# Builds corpus/CASE/gen with toolchain TC (see lib.sh: go1.19, go1.26,
# go1.24-noswiss, go1.19-gcore, go1.26-stripped, ...), runs it, captures its
# core and writes, uncompressed, into OUTDIR:
#   OUTDIR/CASE        the executable (with DWARF unless TC has -stripped)
#   OUTDIR/*.so        plugins, for cases that have gen/plugins.list, or the
#                      Go library of a C host (gen/cshared.list)
#   OUTDIR/core        kernel core (GOTRACEBACK=crash) or gdb gcore
#   OUTDIR/truth.json  ground truth written by the program itself
#   OUTDIR/run.log     the program's stdout/stderr (not stored)
# Exits 77 when TC (or gdb for -gcore, or a usable core_pattern) is missing.
# Never writes into corpus/.
set -u
[ $# = 3 ] || { echo "usage: $0 CASE TC OUTDIR" >&2; exit 2; }
CASE=$1 TC=$2 OUTDIR=$3
. "$(dirname "$0")/lib.sh"

ms_parse_tc "$TC"
ms_select_go
[ "$MS_GCORE" = 1 ] || ms_check_core_pattern
[ -d "$MS_CORPUS/$CASE/gen" ] || ms_die "no case '$CASE'"

OUTDIR=$(realpath -m "$OUTDIR")
case "$OUTDIR/" in "$(realpath "$MS_CORPUS")"/*) ms_die "OUTDIR must be outside corpus/" ;; esac
mkdir -p "$OUTDIR" || ms_die "cannot create $OUTDIR"
rm -f "$OUTDIR/$CASE" "$OUTDIR"/*.so "$OUTDIR/core" "$OUTDIR/truth.json" "$OUTDIR/run.log"

BUILD=$(mktemp -d "${TMPDIR:-/tmp}/mapsleuth-build.XXXXXX")
trap 'rm -rf "$BUILD"' EXIT
ms_prepare_src "$CASE" "$BUILD"

export CGO_ENABLED=0
if [ -f "$BUILD/plugins.list" ]; then
	# Lines "DIR FILE.so": plugin package ./DIR of the case's module.
	command -v gcc >/dev/null || ms_skip "plugins need cgo and gcc"
	export CGO_ENABLED=1
	while read -r dir so; do
		case "$dir" in '' | '#'*) continue ;; esac
		ms_log "building plugin $so from ./$dir"
		ms_build "$BUILD" "$OUTDIR/$so" "./$dir" -buildmode=plugin
	done <"$BUILD/plugins.list"
fi
if [ -f "$BUILD/cshared.list" ]; then
	# One line "LIB.so HOST.c": the case's package is a -buildmode=c-shared
	# library and the executable is the C program HOST.c.
	command -v gcc >/dev/null || ms_skip "c-shared needs cgo and gcc"
	export CGO_ENABLED=1
	read -r lib host < <(grep -v '^#' "$BUILD/cshared.list" | grep .)
	[ -n "$lib" ] && [ -f "$BUILD/$host" ] || ms_die "bad $CASE/gen/cshared.list"
	ms_log "building $lib (c-shared) and $CASE from $host"
	ms_build "$BUILD" "$OUTDIR/$lib" . -buildmode=c-shared
	rm -f "$OUTDIR/${lib%.so}.h"
	(cd "$BUILD" && gcc -g -O0 -Wall -o "$OUTDIR/$CASE" "$host" -ldl) || ms_die "gcc $host failed"
else
	ms_log "building $CASE"
	ms_build "$BUILD" "$OUTDIR/$CASE" .
fi

if [ "$MS_GCORE" = 1 ]; then
	MS_GCORE_GDB=
	[ -f "$BUILD/gcore.gdb" ] && MS_GCORE_GDB="$BUILD/gcore.gdb"
	ms_run_gcore "$OUTDIR" "$CASE"
else
	ms_run_kernel "$OUTDIR" "$CASE"
fi
[ -s "$OUTDIR/truth.json" ] || ms_die "$CASE wrote no truth.json"
ms_merge_crash "$OUTDIR"
grep -q '"schema": "mapsleuth-truth/1"' "$OUTDIR/truth.json" || ms_die "bad truth.json"
ms_log "made $CASE/$TC in $OUTDIR ($(du -h "$OUTDIR/core" | cut -f1) core)"
exit 0
