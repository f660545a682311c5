#!/bin/sh
# Judging on several threads changes nothing: scan --jobs 1 (the caller's
# thread only), the default (one thread per CPU) and --jobs 3 print the same
# bytes, as JSON with every map and as the verbose report, on clean, freed,
# crash and locals cores of every stored toolchain (the freed and crash
# cores have suspects, whose reasons describe pointers under a lock); so
# does a scan of the core dropped from the page cache, whose heap is read
# ahead on another thread.
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

most=0
same_output()
{
	local exe="$case_dir/$exe_name" j rc0 rc
	rc0=0
	"$MAPSLEUTH" scan --json --all --jobs 1 --exe "$exe" --solib-search "$case_dir" \
		"$case_dir/core" > jobs-1.json 2> jobs-1.err || rc0=$?
	[ "$rc0" -le 1 ] || fail "$case_dir: scan --jobs 1 exited $rc0: $(cat jobs-1.err)"
	n=$(grep -o '"summary":{"maps":[0-9]*' jobs-1.json | grep -o '[0-9]*$')
	[ -n "$n" ] || fail "$case_dir: no map count in the scan's JSON"
	[ "$n" -le "$most" ] || most=$n
	for j in default 2 3 cold; do
		set -- --jobs "$j"
		[ "$j" != default ] || set --
		if [ "$j" = cold ]; then
			# The core dropped from the page cache: its heap is read
			# ahead from a thread of its own.
			set --
			dd if="$case_dir/core" iflag=nocache count=0 status=none 2> /dev/null || true
		fi
		rc=0
		"$MAPSLEUTH" scan --json --all "$@" --exe "$exe" --solib-search "$case_dir" \
			"$case_dir/core" > jobs-n.json 2> jobs-n.err || rc=$?
		[ "$rc" -eq "$rc0" ] || fail "$case_dir: scan ${*:-(default jobs)} exited $rc, --jobs 1 $rc0"
		cmp -s jobs-1.json jobs-n.json ||
			fail "$case_dir: scan --json ${*:-(default jobs)} differs from --jobs 1: $(diff jobs-1.json jobs-n.json | head -n 4)"
		cmp -s jobs-1.err jobs-n.err || fail "$case_dir: warnings differ with ${*:-default jobs}"
	done
	"$MAPSLEUTH" scan --verbose --all --color=never --jobs 1 --exe "$exe" \
		--solib-search "$case_dir" "$case_dir/core" > jobs-1.txt 2>&1 || true
	"$MAPSLEUTH" scan --verbose --all --color=never --exe "$exe" \
		--solib-search "$case_dir" "$case_dir/core" > jobs-n.txt 2>&1 || true
	cmp -s jobs-1.txt jobs-n.txt ||
		fail "$case_dir: the verbose report differs from --jobs 1: $(diff jobs-1.txt jobs-n.txt | head -n 4)"
	echo "$case_dir: $n maps, the same with 1, 2, 3 and the default number of threads"
}
for c in clean freed crash locals; do
	for_cases "$c" same_output
done
# Threads take maps four at a time: a core with 8 maps or more has
# work for two of them.
[ "$most" -ge 8 ] || skip "no corpus core with 8 maps or more ($most at most)"

# The option is checked.
expect_exit 64 "$MAPSLEUTH" scan --jobs 0 "$case_dir/core"
expect_exit 64 "$MAPSLEUTH" scan --jobs 65 "$case_dir/core"
expect_exit 64 "$MAPSLEUTH" scan --jobs x "$case_dir/core"
exit 0
