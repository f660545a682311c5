#!/bin/sh
# A Go release newer than the built-in tables: the go1.27 unmapped case with
# its version rewritten to go1.99.0 (same length, in the executable and in
# the core) stands for one. With DWARF the layouts come from it and every
# recorded map is found and judged as before; without DWARF (the -stripped
# twin) scan says which release it has no tables for and which facts are
# missing, still finds the runtime's moduledata by its structure, and exits
# 1 (partial), never 0 with no maps.
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

command -v perl > /dev/null || skip "perl not installed"

future()
{
	# $1: tc; rewrites the case's executable and core in place
	testcase unmapped "$1"
	perl -pi -e 's/go1\.27\.3/go1.99.0/g' "$case_dir/unmapped" "$case_dir/core"
	grep -q 'go1\.99\.0' "$case_dir/unmapped" || fail "$1: no version to rewrite"
}

future go1.27
run_scan
[ "$scan_rc" -eq 1 ] || fail "with DWARF: scan exited $scan_rc, expected 1 (suspects)"
grep -q 'go1.99.0 is newer' scan.err && fail "with DWARF: warned of missing tables: $(cat scan.err)"
check_scan_truth

future go1.27-stripped
rc=0
"$MAPSLEUTH" scan --exe "$case_dir/unmapped" "$case_dir/core" > out 2> err || rc=$?
[ $rc -eq 1 ] || fail "without DWARF: scan exited $rc, expected 1 (partial): $(cat err)"
grep -q 'go1.99.0 is newer than the releases mapsleuth has built-in tables for (go1.19 to go1.27)' err ||
	fail "without DWARF: the release with no tables is not named: $(cat err)"
grep -q 'has no DWARF; missing: .*mheap/mspan.*the map header' err ||
	fail "without DWARF: the missing facts are not named: $(cat err)"
grep -q 'firstmoduledata not found' err && fail "moduledata not found by its structure: $(cat err)"
rc=0
"$MAPSLEUTH" info --json --exe "$case_dir/unmapped" "$case_dir/core" > info.json 2> /dev/null || rc=$?
[ $rc -le 1 ] || fail "info exited $rc"
if command -v jq > /dev/null; then
	jq -e '.go.firstmoduledata != null' info.json > /dev/null ||
		fail "info: no firstmoduledata: $(jq -c .go info.json)"
fi
exit 0
