#!/bin/bash
# sizes.sh [CASE...]: prints a table of the stored artifacts (compressed
# sizes, and the uncompressed core size from the zstd frame header), for the
# READMEs.
cd "$(dirname "$0")" || exit 1
[ $# -gt 0 ] || set -- $(ls -d */gen | cut -d/ -f1)
printf '%-10s %-16s %-20s %10s %10s %12s %10s %s\n' case tc toolchain exe.zst core.zst core-raw truth plugins.zst
for c in "$@"; do
	for d in "$c"/go1.*; do
		[ -f "$d/truth.json" ] || continue
		tc=${d#"$c"/}
		ver=$(sed -n 's/^  "toolchain": "\(.*\)",$/\1/p' "$d/truth.json" | tr ' ' '_')
		exe=$(stat -c %s "$d/$c.zst")
		core=$(stat -c %s "$d/core.zst")
		raw=$(zstd -lv "$d/core.zst" 2>/dev/null | sed -n 's/.*Decompressed Size:.*(\([0-9]*\) B).*/\1/p')
		truth=$(stat -c %s "$d/truth.json")
		so=$(cat "$d"/*.so.zst 2>/dev/null | wc -c)
		printf '%-10s %-16s %-20s %10s %10s %12s %10s %s\n' "$c" "$tc" "$ver" "$exe" "$core" "${raw:-?}" "$truth" "$so"
	done
done
