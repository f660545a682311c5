#!/bin/sh
# `mapsleuth scan` of the gdb companion (gdb-scripts/mapsleuth.py) gives the
# same suspects as the program's own `mapsleuth scan --json`: the same ids,
# header addresses and verdicts in the table, and $ms_1, $ms_2, ... holding
# those headers. The plugins are found through gdb's solib-search-path. Also:
# a mismatched executable (the program exits 2) and gdb without a core give
# one line starting "mapsleuth:", never a Python traceback.
# Corpus: every case with a truth.json (regenerate with
# bash corpus/<case>/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"

[ -n "$GDB" ] && [ -x "$GDB" ] || skip "gdb not installed"
SCRIPT="$abs_top_srcdir/gdb-scripts/mapsleuth.py"
# The companion runs $MAPSLEUTH before any mapsleuth on PATH.
MAPSLEUTH_PROG="$MAPSLEUTH"
export MAPSLEUTH="$MAPSLEUTH_PROG"

# gdb_run EXE [CORE] -- ARGS...: gdb in batch mode with the companion, the
# case directory as solib-search-path.
gdb_run()
{
	local exe=$1 core=$2
	shift 2
	"$GDB" -batch -nx -iex 'set debuginfod enabled off' \
		-iex 'set auto-load python-scripts off' \
		-iex "set solib-search-path $case_dir" -x "$SCRIPT" \
		"$@" "$exe" $core
}

case_exe() { echo "$case_dir/$(sed -n 's/^  "exe": "\(.*\)",$/\1/p' "$case_dir/truth.json")"; }

# Print "$ms_N = ADDRESS" for every variable the scan set.
PY_VARS='python
n = int(gdb.convenience_variable("ms_count") or 0)
for i in range(1, n + 1):
    print("ms %d 0x%x" % (i, int(gdb.convenience_variable("ms_%d" % i))))
end'

compared=0
for c in $(corpus_cases); do
	testcase "${c%%/*}" "${c#*/}"
	f=$(echo "$c" | tr / -)
	exe=$(case_exe)
	rc=0
	"$MAPSLEUTH_PROG" scan --json --exe "$exe" --solib-search "$case_dir" \
		"$case_dir/core" > "$f.json" 2> "$f.err" || rc=$?
	[ "$rc" -le 1 ] || { cat "$f.err"; fail "$c: mapsleuth scan exited $rc"; }
	grep -q '"schema":"mapsleuth-scan/1"' "$f.json" ||
		fail "$c: mapsleuth scan --json printed no mapsleuth-scan/1 document"
	# "ID HEADER VERDICT" of every listed map (one map per line).
	awk '
	/"id":[0-9]+,"header":/ {
		match($0, /"id":[0-9]+/); id = substr($0, RSTART + 5, RLENGTH - 5)
		match($0, /"header":"0x[0-9a-f]+"/); h = substr($0, RSTART + 10, RLENGTH - 11)
		match($0, /"verdict":"[a-z-]+"/); v = substr($0, RSTART + 11, RLENGTH - 12)
		print id, h, v
	}' "$f.json" > "$f.want"
	awk '{ print "ms", $1, $2 }' "$f.want" > "$f.want-vars"

	printf '%s\n' "$PY_VARS" > vars.gdb
	gdb_run "$exe" "$case_dir/core" -ex 'mapsleuth scan' -x vars.gdb > "$f.out" 2>&1 || true
	if grep -q Traceback "$f.out"; then
		cat "$f.out"
		fail "$c: Python traceback"
	fi
	# Table rows: ID VERDICT MAP TYPE HEADER WHY; the header is the first
	# 0x... field (names and types hold none).
	awk '/^[0-9]+ +[a-z-]+ .* 0x[0-9a-f]+/ {
		for (i = 3; i <= NF; i++) if ($i ~ /^0x[0-9a-f]+$/) break
		print $1, $i, $2
	}' "$f.out" > "$f.got"
	grep '^ms ' "$f.out" > "$f.got-vars" || true
	if ! diff -u "$f.want" "$f.got" || ! diff -u "$f.want-vars" "$f.got-vars"; then
		cat "$f.out"
		fail "$c: gdb 'mapsleuth scan' differs from mapsleuth scan --json"
	fi
	compared=$((compared + 1))
	rm -rf "$case_dir"
done
[ "$compared" -gt 0 ] || skip "no corpus cases"

# Errors: one line from the program (exit 2), or from the companion.
testcase clean go1.26
clean_exe=$case_dir/clean
testcase unmapped go1.26
gdb_run "$clean_exe" "$case_dir/core" -ex 'mapsleuth scan' > mismatch.out 2>&1 || true
grep -q '^mapsleuth: ' mismatch.out || { cat mismatch.out; fail "no error line for a mismatched executable"; }
gdb_run "$clean_exe" "" -ex 'mapsleuth scan' -ex 'mapsleuth show 1' \
	-ex 'mapsleuth check main.gStrInt' \
	-ex 'mapsleuth scan --bogus' > nocore.out 2>&1 || true
cat > nocore.expected <<'EOF'
mapsleuth: scan needs a core file: gdb -x mapsleuth.py EXE CORE
mapsleuth: show needs a core file: gdb -x mapsleuth.py EXE CORE
mapsleuth: check needs a process or a core file (without one gdb shows the executable's initial values)
mapsleuth: scan: unknown argument '--bogus' (usage: mapsleuth scan [--all] [--no-heap-scan] [--max-buckets N])
EOF
grep '^mapsleuth: ' nocore.out > nocore.got
diff -u nocore.expected nocore.got || { cat nocore.out; fail "errors without a core"; }
# An unknown subcommand: gdb's own words for a prefix command.
gdb_run "$clean_exe" "" -ex 'mapsleuth frob' > frob.out 2>&1 || true
grep -qx 'Undefined mapsleuth command: "frob".  Try "help mapsleuth".' frob.out ||
	{ cat frob.out; fail "an unknown subcommand is not gdb's 'Undefined mapsleuth command'"; }
! grep -q Traceback mismatch.out nocore.out frob.out || fail "Python traceback"
echo "compared $compared cores"
exit 0
