#!/bin/sh
# Salvage of truncated cores, and a real kernel core made with
# coredump_filter 0. The same core cut at 20, 40, 60 and 80% of its size
# (a kernel core keeps its notes, a gcore core loses them: gcore writes
# them last) gives, for every map it judges, the verdict of the full core,
# or not-dumped where its memory is gone; it says what was lost and exits 1.
# Corpus: corpus/clean (bash corpus/clean/gen/regen.sh); the filter-0 core
# is made by corpus/make-case.sh (skipped without Go or kernel cores).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/info-subr.sh"
. "$abs_srcdir/scan-subr.sh"
. "$abs_srcdir/partial-subr.sh"

command -v truncate > /dev/null || skip "truncate (coreutils) not installed"

# verdicts JSON: "HEADER VERDICT" per map with a header.
verdicts()
{
	sed -n 's/.*"header":"\(0x[0-9a-f]*\)".*"verdict":"\([a-z-]*\)".*/\1 \2/p' "$1" | sort
}

salvage_case()
{
	local tc=$1 full size p rc judged
	testcase clean "$tc"
	exe=$case_dir/$(truth_str exe)
	full=$case_dir/core
	rc=0
	"$MAPSLEUTH" scan --json --all --exe "$exe" "$full" > full.json 2> err.txt || rc=$?
	[ "$rc" -eq 0 ] || { cat err.txt; fail "clean/$tc: the full core scanned with exit $rc"; }
	verdicts full.json > full.v
	size=$(wc -c < "$full")
	for p in 20 40 60 80; do
		cp --sparse=always "$full" cut.core
		truncate -s $((size * p / 100)) cut.core
		rc=0
		"$MAPSLEUTH" scan --exe "$exe" cut.core > out.txt 2> err.txt || rc=$?
		expect_partial "clean/$tc cut at $p%" "$rc"
		# The losses open the report, before any verdict.
		awk -v want="  lost: core file ends at offset $((size * p / 100)) " '
			index($0, want) == 1 { found = 1 }
			/^   #  verdict/ { exit }
			END { exit !found }' out.txt ||
			{ cat out.txt; fail "clean/$tc cut at $p%: the report does not open with where the core ends"; }
		case $tc in
		*-gcore)
			grep -q '^  lost: notes lost' out.txt ||
				{ cat out.txt; fail "clean/$tc cut at $p%: lost notes not said"; }
			# Without the executable there is nothing to salvage with.
			rc=0
			"$MAPSLEUTH" scan cut.core > out.txt 2> err.txt || rc=$?
			[ "$rc" -eq 2 ] && grep -q 'give --exe to salvage' err.txt ||
				{ cat err.txt; fail "clean/$tc cut at $p% without --exe: exit $rc"; } ;;
		esac
		rc=0
		"$MAPSLEUTH" scan --json --all --exe "$exe" cut.core > cut.json 2> err.txt || rc=$?
		[ "$rc" -eq 1 ] || fail "clean/$tc cut at $p%: scan --json exited $rc"
		verdicts cut.json > cut.v
		# Every verdict agrees with the full core's, or is not-dumped.
		join full.v cut.v | awk -v what="clean/$tc cut at $p%" '
			$2 != $3 && $3 != "not-dumped" { print what ": " $1 " is " $3 ", the full core says " $2; bad = 1 }
			END { exit bad }' || fail "clean/$tc cut at $p%: verdicts differ from the full core's"
		# A map the full core does not know is no map.
		join -v 2 full.v cut.v > extra.v
		[ ! -s extra.v ] || { cat extra.v; fail "clean/$tc cut at $p%: maps the full core does not have"; }
		judged=$(awk '$2 != "not-dumped"' cut.v | wc -l)
		echo "clean/$tc cut at $p%: $(wc -l < cut.v) maps, $judged judged as in the full core"
	done
	rm -f cut.core
}

salvage_case go1.26
salvage_case go1.26-gcore

# A real kernel core with coredump_filter 0, made now by the corpus script
# (which skips with 77 without the toolchain or kernel cores).
rc=0
MS_COREDUMP_FILTER=0 bash "$abs_top_srcdir/corpus/make-case.sh" unmapped go1.26 \
	"$test_dir/filter0" > make.log 2>&1 || rc=$?
[ "$rc" -eq 77 ] && skip "cannot make a kernel core here: $(tail -n 1 make.log)"
[ "$rc" -eq 0 ] || { tail -n 20 make.log; fail "make-case.sh failed ($rc)"; }
case_dir=$test_dir/filter0
rc=0
"$MAPSLEUTH" scan --exe "$case_dir/unmapped" "$case_dir/core" > out.txt 2> err.txt || rc=$?
expect_partial "kernel core with coredump_filter 0" "$rc"
"$MAPSLEUTH" scan --json --all --exe "$case_dir/unmapped" "$case_dir/core" > scan.json 2> /dev/null || true
truth_globals > globals
while read -r name; do
	line=$(grep "\"symbol\":\"$name\"" scan.json || true)
	[ "$(json_str "$line" verdict)" = not-dumped ] ||
		fail "filter 0: map variable $name not listed not-dumped: $line"
done < globals
echo "coredump_filter 0: $(wc -l < globals) map variables listed not-dumped, exit 1"
exit 0
