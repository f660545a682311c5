#!/bin/bash
# store-case.sh CASE TC
#
# Runs make-case.sh CASE TC into /tmp/mapsleuth-gen/CASE/TC (so cores record
# that path for the executable and plugins), checks the result with
# check-truth.sh, and stores it zstd -19 compressed in corpus/CASE/TC/:
# <exe>.zst, <plugin>.so.zst, core.zst and truth.json (uncompressed).
# Exits 77 (storing nothing) when the toolchain is not available.
set -u
[ $# = 2 ] || { echo "usage: $0 CASE TC" >&2; exit 2; }
CASE=$1 TC=$2
. "$(dirname "$0")/lib.sh"

GEN=${MAPSLEUTH_GEN_DIR:-/tmp/mapsleuth-gen}/$CASE/$TC
rm -rf "$GEN"
mkdir -p "$GEN"
"$MS_CORPUS/make-case.sh" "$CASE" "$TC" "$GEN"
rc=$?
[ "$rc" = 0 ] || exit "$rc"
"$MS_CORPUS/check-truth.sh" "$GEN/core" "$GEN/truth.json" || ms_die "check-truth failed for $CASE/$TC"

DST=$MS_CORPUS/$CASE/$TC
rm -rf "$DST"
mkdir -p "$DST"
ms_compress "$GEN/$CASE" "$DST/$CASE.zst"
for so in "$GEN"/*.so; do
	[ -f "$so" ] && ms_compress "$so" "$DST/$(basename "$so").zst"
done
ms_compress "$GEN/core" "$DST/core.zst"
cp "$GEN/truth.json" "$DST/truth.json"
# Round trip.
for z in "$DST"/*.zst; do
	f=$(basename "$z" .zst)
	zstd -q -d -c "$z" | cmp -s - "$GEN/$f" || ms_die "round trip failed for $z"
done
ms_log "stored $CASE/$TC: $(du -sh "$DST" | cut -f1) (core $(du -h --apparent-size "$GEN/core" | cut -f1) uncompressed)"
