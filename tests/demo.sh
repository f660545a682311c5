#!/bin/sh
# make demo: decompress the bundled demo core and run the main job on it.
set -eu
top_srcdir=$1
top_builddir=$2
case_dir=$top_srcdir/corpus/plugins/go1.26
[ -d "$case_dir" ] || case_dir=$top_srcdir/corpus/clean/go1.26
demo=$top_builddir/demo
rm -rf "$demo"
mkdir -p "$demo"
for f in "$case_dir"/*.zst; do
	zstd -q -d -f "$f" -o "$demo/$(basename "$f" .zst)"
done
cp "$case_dir/truth.json" "$demo/"
chmod +x "$demo"/* 2>/dev/null || true
exe=$demo/$(sed -n 's/.*"exe": *"\([^"]*\)".*/\1/p' "$demo/truth.json" | head -1)
cmd=${MAPSLEUTH_DEMO_CMD:-scan}
echo "\$ mapsleuth $cmd --exe $exe --solib-search $demo $demo/core" | sed "s|$top_builddir/||g"
rc=0
"$top_builddir/src/mapsleuth" "$cmd" --exe "$exe" --solib-search "$demo" "$demo/core" || rc=$?
# 1 means suspects were found, which is what the demo core holds.
[ $rc -le 1 ] || exit $rc
