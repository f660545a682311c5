#!/bin/sh
# A running Go process judged without a core: the corpus programs run here,
# record their own maps (truth.json) and wait, as they do for gcore; then
# "mapsleuth scan --pid" must find and judge every map as recorded, give
# the same scan as a gcore of the same process when gdb is installed, and
# leave the process running. Corpus: corpus/clean, corpus/unmapped
# (bash corpus/CASE/gen/regen.sh); no Go toolchain is needed.
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

pids=
trap 'rc=$?; for p in $pids; do kill -9 $p 2>/dev/null || true; done; cd /; [ $rc -ne 0 ] || rm -rf "$test_dir"; exit $rc' EXIT

# start_case CASE TC: run the case's program until it is ready; sets $pid
# and $exe, and points case_dir at a fresh truth.json.
start_case()
{
	testcase "$1" "$2"
	exe="$case_dir/$(sed -n 's/^  "exe": "\(.*\)",$/\1/p' "$case_dir/truth.json")"
	rm -f "$case_dir/truth.json" "$case_dir/ready"
	(
		cd "$case_dir" || exit 1
		exec env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C GODEBUG=gcshrinkstackoff=1 \
			MAPSLEUTH_DUMP=gcore MAPSLEUTH_TRUTH="$case_dir/truth.json" \
			MAPSLEUTH_READY="$case_dir/ready" "$exe" </dev/null >"$case_dir/run.log" 2>&1
	) &
	pid=$!
	pids="$pids $pid"
	i=0
	while [ ! -f "$case_dir/ready" ] && [ $i -lt 300 ]; do
		kill -0 "$pid" 2>/dev/null || fail "$exe exited early: $(tail -3 "$case_dir/run.log")"
		sleep 0.1
		i=$((i + 1))
	done
	[ -f "$case_dir/ready" ] || fail "$exe never became ready"
}

# ptrace is needed to stop the process; some machines forbid it.
sleep 30 &
probe=$!
pids="$pids $probe"
if ! "$MAPSLEUTH" info --pid $probe > probe.out 2> probe.err; then
	grep -q 'not permitted' probe.err && skip "ptrace is not permitted here: $(cat probe.err)"
fi
kill $probe

live_case()
{
	start_case "$1" "$2"
	rc=0
	"$MAPSLEUTH" scan --json --all --pid "$pid" > scan.json 2> scan.err || rc=$?
	[ $rc -le 1 ] || fail "$1/$2: scan --pid exited $rc: $(cat scan.err)"
	scan_rc=$rc
	check_scan_truth
	kill -0 "$pid" 2>/dev/null || fail "$1/$2: the process did not survive the scan"
	grep -q "^State:.*[RS] (" "/proc/$pid/status" || fail "$1/$2: left stopped: $(grep State /proc/$pid/status)"
	# The text form and the other commands.
	"$MAPSLEUTH" info --verbose --pid "$pid" > info.txt || [ $? -eq 1 ] || fail "info --pid failed"
	grep -q "^core: */proc/$pid\$" info.txt || fail "info --pid: $(head -2 info.txt)"
	grep -q "^executable: *$exe\$" info.txt || fail "info --pid found no executable: $(head -3 info.txt)"
	"$MAPSLEUTH" scan "/proc/$pid" > /dev/null || [ $? -eq 1 ] || fail "scan /proc/PID failed"
	# Not stopped at all: racy, but this process is idle.
	rc=0
	"$MAPSLEUTH" scan --json --all --no-stop --pid "$pid" > scan.json 2> nostop.err || rc=$?
	[ $rc -eq "$scan_rc" ] || fail "$1/$2: scan --no-stop exited $rc, not $scan_rc: $(cat nostop.err)"
	grep -q 'no-stop' nostop.err || fail "$1/$2: --no-stop does not warn that the read is racy"
	check_scan_truth
	if [ -n "$GDB" ] && [ -x "$GDB" ]; then
		"$GDB" -nx -batch -p "$pid" -ex "gcore $case_dir/gcore" > gcore.log 2>&1 ||
			fail "gcore failed: $(tail -3 gcore.log)"
		"$MAPSLEUTH" scan --all --pid "$pid" > live.txt || true
		"$MAPSLEUTH" scan --all "$case_dir/gcore" > gcore.txt || true
		# Only the first line and the suggested next commands (the last
		# lines, wrapped when long) name the input.
		tail -n +2 live.txt | sed '/^next: /,$d' > live.body
		tail -n +2 gcore.txt | sed '/^next: /,$d' > gcore.body
		diff -u gcore.body live.body || fail "$1/$2: scan --pid differs from the scan of a gcore"
		echo "$1/$2: scan --pid is the scan of its gcore"
	else
		echo "gdb not installed: no gcore to compare with"
	fi
	kill -9 "$pid"
}

live_case clean go1.26-gcore
live_case unmapped go1.26

# Bad process ids: one line, exit 2 or 64.
expect_exit 64 "$MAPSLEUTH" scan --pid 0
expect_exit 64 "$MAPSLEUTH" scan --pid abc
expect_exit 2 "$MAPSLEUTH" scan --pid 2147483647 2> err.txt
grep -q '^mapsleuth: .*/proc/2147483647' err.txt || fail "missing process: $(cat err.txt)"
expect_exit 64 "$MAPSLEUTH" scan --pid 1 core
exit 0
