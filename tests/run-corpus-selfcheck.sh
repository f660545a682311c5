#!/bin/sh
# The corpus itself: every stored case decompresses, its truth.json has
# the shape the tests read, and the addresses it records agree with its
# core (corpus/check-truth.sh: headers inside saved segments, dangling
# pointers in none, fault addresses unmapped, modules named by NT_FILE).
. "$abs_srcdir/test-subr.sh"

command -v readelf >/dev/null || skip "readelf (binutils) not installed"
n=0
for pair in $(corpus_cases); do
	testcase "${pair%/*}" "${pair#*/}"
	t="$case_dir/truth.json"
	grep -q '^  "schema": "mapsleuth-truth/1",$' "$t" || fail "$pair: truth.json has no mapsleuth-truth/1 schema"
	exe=$(sed -n 's/^  "exe": "\(.*\)",$/\1/p' "$t")
	[ -n "$exe" ] && [ -f "$case_dir/$exe" ] || fail "$pair: executable '$exe' of truth.json not in the case"
	[ -f "$case_dir/core" ] || fail "$pair: no core"
	grep -q '^  "maps": \[' "$t" || fail "$pair: truth.json has no maps"
	rc=0
	bash "$CORPUS/check-truth.sh" "$case_dir/core" "$t" > check.out 2>&1 || rc=$?
	[ $rc -eq 0 ] || { cat check.out; fail "$pair: check-truth.sh exited $rc"; }
	rm -rf "$case_dir"
	n=$((n + 1))
done
[ $n -gt 0 ] || skip "no corpus case"
echo "$n corpus cases decompress and agree with their truth"
exit 0
