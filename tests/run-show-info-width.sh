#!/bin/sh
# show and info read in 80 columns: every line of 'info', 'info
# --goroutines' and 'show N' for the maps of every corpus case fits 80
# columns by default (long lines folded at spaces, the hex dump by
# offset), and --verbose keeps lines whole. Run from the case directory
# with relative paths, so that the build tree's depth does not count; a
# line that is one word (a path from the core's notes) is exempt, as a
# path is never cut. The maps shown are every suspect, the first map of
# each way of finding one, and the last: each kind of report a case holds,
# without a whole scan per map of every case (thousands, slow under the
# sanitizers).
. "$abs_srcdir/test-subr.sh"
command -v jq > /dev/null || skip "jq not installed"

# wide FILE WHAT: print and count the lines of FILE over 80 columns
# (characters, not bytes: continuation bytes of UTF-8 do not count).
wide()
{
	LC_ALL=C awk -v what="$2" '{ l = $0; gsub(/[\200-\277]/, "", l) }
		length(l) > 80 { t = l; sub(/^ +/, "", t)
			if (t !~ / /) next
			print what ": " length(l) " columns: " $0; bad++ }
		END { exit bad > 0 }' "$1"
}

n=0 shows=0 bad=0
for pair in $(corpus_cases); do
	testcase "${pair%/*}" "${pair#*/}"
	cd "$case_dir"
	exe=$(sed -n 's/^  "exe": "\(.*\)",$/\1/p' truth.json)
	rc=0
	"$MAPSLEUTH" scan --json --all --exe "./$exe" --solib-search . core > scan.json 2> /dev/null || rc=$?
	[ $rc -le 1 ] || fail "$pair: scan exited $rc"
	maps=$(grep -o '"id":[0-9]*' scan.json | wc -l)
	[ "$maps" -gt 0 ] || fail "$pair: the scan found no map"
	for args in "" "--goroutines"; do
		rc=0
		"$MAPSLEUTH" info $args --exe "./$exe" --solib-search . core > info.txt 2> /dev/null || rc=$?
		[ $rc -le 1 ] || fail "$pair: info $args exited $rc"
		wide info.txt "$pair info $args" || bad=1
	done
	ids=$(jq -r '[.maps[] | select(.verdict != "ok") | .id] +
		([.maps[] | {id, how: (.found_by | join(","))}] | group_by(.how) | map(.[0].id)) +
		[.maps[-1].id] | unique | .[]' scan.json)
	[ -n "$ids" ] || fail "$pair: no map id in the scan's JSON"
	for i in $ids; do
		rc=0
		"$MAPSLEUTH" show --exe "./$exe" --solib-search . core $i > show.txt 2> /dev/null || rc=$?
		[ $rc -le 1 ] || fail "$pair: show $i exited $rc"
		wide show.txt "$pair show $i" || bad=1
		shows=$((shows + 1))
	done
	# --verbose: the same report, lines whole (the hex dump by address).
	"$MAPSLEUTH" show --verbose --exe "./$exe" --solib-search . core 1 > verbose.txt 2> /dev/null || true
	grep -q '^  [0-9a-f]\{12\}  [0-9a-f][0-9a-f] ' verbose.txt ||
		fail "$pair: show --verbose dumps the header without its addresses: $(tail -4 verbose.txt)"
	grep -q '^  +0x00  [0-9a-f][0-9a-f] ' show.txt ||
		fail "$pair: show dumps the header without offsets: $(tail -4 show.txt)"
	cd "$test_dir"
	rm -rf "$case_dir"
	n=$((n + 1))
done
[ $n -gt 0 ] || skip "no corpus case"
[ $bad -eq 0 ] || fail "lines over 80 columns in show or info"
echo "$n corpus cases: info, info --goroutines and $shows shows fit 80 columns"
exit 0
