#!/bin/sh
# Compressed cores as systemd-coredump stores them (zstd; xz and lz4 are
# its other codecs), read directly by every command: the scan of each is
# the scan of the plain core, which is checked against the truth the
# program recorded. Also the forms coredumpctl uses: "coredumpctl dump |
# mapsleuth scan -" and "coredumpctl debug --debugger=mapsleuth
# --debugger-arguments=scan", which runs "mapsleuth scan EXE -c CORE".
# Corpus: corpus/crash (bash corpus/crash/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

testcase crash go1.26
run_scan
check_scan_truth
exe="$case_dir/$(sed -n 's/^  "exe": "\(.*\)",$/\1/p' "$case_dir/truth.json")"
# The core's name is the only difference allowed.
sed 's/^{"schema":"[^"]*","core":"[^"]*",//' scan.json > want.json

# same_scan NAME ARGS...: "scan --json --all ARGS" matches the plain core's.
same_scan()
{
	local name=$1 rc=0
	shift
	"$MAPSLEUTH" scan --json --all --solib-search "$case_dir" "$@" > got.raw 2> got.err || rc=$?
	[ $rc -eq "$scan_rc" ] || fail "$name: scan exited $rc, not $scan_rc: $(cat got.err)"
	sed 's/^{"schema":"[^"]*","core":"[^"]*",//' got.raw > got.json
	cmp -s want.json got.json || {
		diff want.json got.json | head -5
		fail "$name: the scan differs from the plain core's"
	}
	echo "$name: same scan as the plain core"
}

# systemd-coredump's own name for it: core.COMM.UID.BOOTID.PID.USEC.zst
sd=core.crash.0.8f1c2d3e4b5a69788796a5b4c3d2e1f0.4242.1764800000000000.zst
cp "$CORPUS/crash/go1.26/core.zst" "$sd"
same_scan zstd --exe "$exe" "$sd"
# Told by magic, not by name.
cp "$sd" renamed.core
same_scan "zstd named .core" --exe "$exe" renamed.core
"$ZSTD" -q -d -c "$sd" | same_scan "zstd on standard input" --exe "$exe" -
same_scan "coredumpctl debug form" "$exe" -c "$sd"
same_scan "plain core on standard input" --exe "$exe" - < "$case_dir/core"

if [ -n "$XZ" ] && [ -x "$XZ" ]; then
	"$XZ" -T1 -c "$case_dir/core" > core.xz
	same_scan xz --exe "$exe" core.xz
else
	echo "xz not installed: xz cores not tried"
fi
if [ -n "$LZ4" ] && [ -x "$LZ4" ]; then
	"$LZ4" -q -c "$case_dir/core" > core.lz4
	same_scan lz4 --exe "$exe" core.lz4
else
	echo "lz4 not installed: lz4 cores not tried"
fi

# The other commands read it too.
"$MAPSLEUTH" info --verbose --exe "$exe" "$sd" > info.txt || [ $? -eq 1 ] || fail "info of $sd failed"
grep -q "^executable: *$exe\$" info.txt || fail "info of $sd: $(head -3 info.txt)"
id=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' scan.json | head -n 1)
[ -n "$id" ] || fail "no map id in the scan"
"$MAPSLEUTH" show --exe "$exe" "$sd" "$id" > show.txt || [ $? -eq 1 ] || fail "show of $sd failed"
"$MAPSLEUTH" show "$id" "$exe" -c "$sd" > show-c.txt || [ $? -eq 1 ] || fail "show -c failed"
cmp -s show.txt show-c.txt || fail "show in coredumpctl's form differs"
"$MAPSLEUTH" tui --dump --exe "$exe" "$sd" > tui.txt || fail "tui --dump of $sd failed"

# Damaged streams: one line naming the file, exit 2, nothing else.
head -c 20000 "$sd" > truncated.zst
expect_exit 2 "$MAPSLEUTH" scan --exe "$exe" truncated.zst 2> err.txt
grep -q '^mapsleuth: truncated.zst: zstd stream is truncated after [0-9]* bytes of output$' err.txt ||
	fail "truncated zstd: $(cat err.txt)"
printf '\050\265\057\375garbage' > garbage.zst
expect_exit 2 "$MAPSLEUTH" scan --exe "$exe" garbage.zst 2> err.txt
grep -q '^mapsleuth: garbage.zst: corrupt zstd data' err.txt || fail "corrupt zstd: $(cat err.txt)"
[ "$(wc -l < err.txt)" -eq 1 ] || fail "corrupt zstd: more than one line: $(cat err.txt)"
expect_exit 64 "$MAPSLEUTH" scan "$exe" "$sd" -c "$sd"
exit 0
