#!/bin/sh
# Replay every fuzz seed and every input that once crashed a harness
# (tests/fuzz/regress/<harness>/) through the harness's entry function,
# built with the normal compiler (and ASan/UBSan with --enable-sanitizers).
# Seeds: bash tests/fuzz/make-seeds.sh; regressions: doc/reliability.md.
. "$abs_srcdir/test-subr.sh"

src=$abs_srcdir/fuzz
for h in core notes dwarf map descriptor; do
	replay=$abs_top_builddir/tests/fuzz/replay-$h
	[ -x "$replay" ] || fail "$replay not built"
	mkdir -p "in-$h"
	for f in "$src/seeds/$h"/* "$src/regress/$h"/*; do
		[ -f "$f" ] || continue
		case $f in
		*.zst)
			[ -n "$ZSTD" ] || continue
			"$ZSTD" -q -d -f "$f" -o "in-$h/$(basename "$f" .zst)" ;;
		*) cp "$f" "in-$h/" ;;
		esac
	done
	"$replay" "in-$h" > "replay-$h.out" 2>&1 || {
		tail -n 40 "replay-$h.out"
		fail "fuzz harness $h failed: $(grep "^replay: " "replay-$h.out" | tail -n 1)"
	}
	tail -n 1 "replay-$h.out"
done
exit 0
