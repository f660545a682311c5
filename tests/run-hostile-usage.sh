#!/bin/sh
# Garbage in arguments: numeric options refuse negatives, garbage and
# overflow (64); layout given a core is a usage error (64); show on an
# address that is not a map header (unaligned, unreadable, failing the
# header's invariants, all zero) says so and names the nearest known map,
# never a verdict (2).
# Corpus: corpus/hostile (regenerate with bash corpus/hostile/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/hostile-subr.sh"

testcase hostile go1.26
core=$case_dir/core exe=$case_dir/hostile
for v in -5 abc 99999999999999999999999 0x '' ' 5' +5 5x 0; do
	run_cmd bad $MAPSLEUTH scan --max-buckets "$v" --exe "$exe" "$core"
	[ "$rc" -eq 64 ] || fail "--max-buckets '$v' exited $rc"
done
run_cmd ok $MAPSLEUTH scan --max-buckets 0x1000 --exe "$exe" "$core"
[ "$rc" -le 1 ] || fail "--max-buckets 0x1000 exited $rc: $(cat ok.err)"
for v in -1 x 18446744073709551616; do
	run_cmd bad $MAPSLEUTH show --limit "$v" --exe "$exe" "$core" 1
	[ "$rc" -eq 64 ] || fail "--limit '$v' exited $rc"
done
for v in -5 0 0xg 0x10000000000000000 '1 '; do
	run_cmd bad $MAPSLEUTH show --exe "$exe" "$core" "$v"
	[ "$rc" -eq 64 ] || fail "show ID '$v' exited $rc"
done
for v in -100x30 99999999999x30 100x0 100x; do
	run_cmd bad $MAPSLEUTH tui --dump --size "$v" --exe "$exe" "$core"
	[ "$rc" -eq 64 ] || fail "tui --size '$v' exited $rc"
done
run_cmd layout $MAPSLEUTH layout "$core"
[ "$rc" -eq 64 ] || fail "layout CORE exited $rc"
grep -q "is a core file; layout reads a binary" layout.err || fail "$(cat layout.err)"

header=$(python3 -c 'import json,sys
for m in json.load(open(sys.argv[1]))["maps"]:
    if m["name"] == "main.gEscapes": print(m["header"])' "$case_dir/truth.json")
plus() { printf '0x%x' $(($1 + $2)); }
# Unaligned, unreadable, failing invariants: one line, no verdict.
for a in 0xdeadbeef "$(plus "$header" 1)" "$(plus "$header" 8)" 0x10 0x8; do
	run_cmd nh $MAPSLEUTH show --exe "$exe" "$core" "$a"
	[ "$rc" -eq 2 ] || fail "show $a exited $rc"
	[ "$(wc -l < nh.err)" -eq 1 ] || fail "show $a: $(cat nh.err)"
	grep -q "^mapsleuth: $a: not a map header (.*); the nearest known map is #[0-9]" nh.err ||
		fail "show $a: $(cat nh.err)"
	[ -s nh.out ] && fail "show $a printed a verdict: $(cat nh.out)"
done
run_cmd nh $MAPSLEUTH show --exe "$exe" "$core" "$(plus "$header" 1)"
grep -q "not 8-byte aligned); the nearest known map is #[0-9]* main.gEscapes at $header (1 byte below)" nh.err ||
	fail "off by one: $(cat nh.err)"
run_cmd nh $MAPSLEUTH show --exe "$exe" "$core" 0x10
grep -q "not a map header (cannot read" nh.err || fail "unreadable: $(cat nh.err)"
run_cmd nh $MAPSLEUTH show --exe "$exe" "$core" "$(plus "$header" 8)"
grep -q "not a map header (fails the header's invariants: " nh.err || fail "invariants: $(cat nh.err)"
# Words of zeros in the heap are no empty map: every map the runtime makes
# has a random seed, and the scan counts no zero-seed candidate.
zero=$("$MAPSLEUTH" info --json --exe "$exe" "$core" | python3 -c 'import json,sys
for m in json.load(sys.stdin)["mappings"]:
    if m.get("class", "").startswith("heap") and m["perms"] == "rw-":
        print(m["end"]); break')
[ -n "$zero" ] || fail "no heap mapping in $core"
TOOL="$abs_top_builddir/tests/helper/ms-test-tool"
i=0
while :; do
	zero=$(plus "$zero" -4096)
	[ "$("$TOOL" --exe "$exe" read "$core" "$zero" 48 | tr -d 0)" = "" ] && break
	i=$((i + 1))
	[ $i -lt 64 ] || fail "no 48 zero bytes at the page starts below the heap's end"
done
run_cmd nh $MAPSLEUTH show --exe "$exe" "$core" "$zero"
[ "$rc" -eq 2 ] || fail "show of zeros at $zero exited $rc: $(cat nh.out nh.err)"
grep -q "^mapsleuth: $zero: not a map header (all zero, memory never written or cleared: the runtime gives every map a random seed); the nearest known map is #" nh.err ||
	fail "show of zeros at $zero: $(cat nh.err)"
[ -s nh.out ] && fail "show of zeros at $zero printed a verdict: $(cat nh.out)"
# The gdb companion's check says the same of a number, an odd address and zeros.
if [ -n "$GDB" ] && [ -x "$GDB" ]; then
	rc=0
	$TIMEOUT env MAPSLEUTH="$MAPSLEUTH" "$GDB" -nx -batch -q \
		-x "$abs_top_srcdir/gdb-scripts/mapsleuth.py" -ex "mapsleuth check 42" \
		-ex "mapsleuth scan --all" -ex "mapsleuth check $(plus "$header" 1)" \
		-ex "mapsleuth check 0x10" -ex "mapsleuth check $zero" \
		"$exe" "$core" > gdb.out 2>&1 < /dev/null || rc=$?
	[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || fail "gdb hung"
	grep -q "^mapsleuth: 0x2a: not a map header (not 8-byte aligned)" gdb.out ||
		fail "gdb check 42: $(cat gdb.out)"
	grep -q "^mapsleuth: $(plus "$header" 1): not a map header (not 8-byte aligned); the nearest known map is \$ms_[0-9]* at $header (1 byte below)" gdb.out ||
		fail "gdb check off by one: $(cat gdb.out)"
	grep -q "^mapsleuth: 0x10: not a map header (cannot be read)" gdb.out ||
		fail "gdb check 0x10: $(cat gdb.out)"
	grep -q "^mapsleuth: $zero: not a map header (all zero, memory never written or cleared: the runtime gives every map a random seed); the nearest known map is \$ms_[0-9]* at " gdb.out ||
		fail "gdb check of zeros: $(cat gdb.out)"
	grep -q "dangling\|^ok" gdb.out && fail "gdb check gave a verdict: $(cat gdb.out)"
fi
# The real header still gets its verdict.
run_cmd real $MAPSLEUTH show --exe "$exe" "$core" "$header"
[ "$rc" -eq 0 ] && grep -q "^verdict: ok" real.out || fail "show $header: $rc $(cat real.err)"
exit 0
