#!/bin/sh
# `mapsleuth scan` of the gdb companion (gdb-scripts/mapsleuth.py) gives the
# same suspects as the program's own `mapsleuth scan --json`: the same ids,
# header addresses and verdicts in the table, and $ms_1, $ms_2, ... holding
# those headers. The report reads as the program's own `mapsleuth scan`
# does: every line within 80 columns (gdb batch mode has no width), and
# each suspect's lines (declaring variable and module first, the first
# reason, the crash, the code using it) the same as the program prints.
# The plugins are found through gdb's solib-search-path. Also:
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

# same_report LABEL EXE CORE REPORT: the companion's REPORT says what the
# program's own `mapsleuth scan` says, line for line: the crash story
# above the report (the crashed goroutine's frames, the map, the goroutines
# inside the map runtime), then from the crash line (the first line names
# the core as each was given it) to the summary, the losses and notes; only
# the commands to run next differ.
same_report()
{
	"$MAPSLEUTH_PROG" scan --exe "$2" --solib-search "$case_dir" "$3" > cli.txt 2> /dev/null || true
	body() { sed -n '/^  crash: /,$p' "$1" | sed '/^next: /,$d' | grep -v '^\$ms_'; }
	# The story: the lines before the one naming the core, the executable
	# and the Go release (the companion's warnings aside).
	story() { sed -n '/^[^ ].* maps)/q; p' "$1" | sed '/^mapsleuth: /d; /^                    /d'; }
	body cli.txt > cli.body
	body "$4" > gdb.body
	story cli.txt > cli.story
	story "$4" > gdb.story
	[ -s cli.body ] || { cat cli.txt; fail "$1: the program's report has no crash line"; }
	if ! diff -u cli.body gdb.body || ! diff -u cli.story gdb.story; then
		cat "$4"
		fail "$1: gdb 'mapsleuth scan' words its report unlike mapsleuth scan"
	fi
}

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
	# What the companion prints comes after the marker, gdb's own lines
	# (loading the core) before it.
	gdb_run "$exe" "$case_dir/core" -ex 'echo @@ report\n' -ex 'mapsleuth scan' \
		-x vars.gdb > "$f.out" 2>&1 || true
	if grep -q Traceback "$f.out"; then
		cat "$f.out"
		fail "$c: Python traceback"
	fi
	sed -n '/^@@ report$/,$p' "$f.out" | sed '1d; /^ms [0-9]/d' > "$f.report"
	[ -s "$f.report" ] || { cat "$f.out"; fail "$c: no report after the marker"; }
	awk -v c="$c" 'length($0) > 80 { print c ": over 80 columns: " $0; bad = 1 }
		END { exit bad }' "$f.report" || fail "$c: gdb 'mapsleuth scan' lines over 80 columns"
	# Map lines: ID VERDICT HEADER MAP...
	awk '/^ *[0-9]+ [a-z-]+ +0x[0-9a-f]+  / { print $1, $3, $2 }' "$f.report" > "$f.got"
	grep '^ms ' "$f.out" > "$f.got-vars" || true
	if ! diff -u "$f.want" "$f.got" || ! diff -u "$f.want-vars" "$f.got-vars"; then
		cat "$f.out"
		fail "$c: gdb 'mapsleuth scan' differs from mapsleuth scan --json"
	fi
	same_report "$c" "$exe" "$case_dir/core" "$f.report"
	compared=$((compared + 1))
	rm -rf "$case_dir"
done
[ "$compared" -gt 0 ] || skip "no corpus cases"

# Damaged cores: what could not be examined (lost, guessed, notes), wrapped
# within 80 columns, and names from the core that would drive a terminal,
# shown as the program shows them (\x1b, \u202e, \xff for a byte that is not
# UTF-8): a core with nothing of the process saved, and one whose file
# notes name shared objects with escapes, C1, bidi and invalid UTF-8.
. "$abs_srcdir/partial-subr.sh"
# gdb_report LABEL EXE CORE: the companion's scan report in LABEL.report.
gdb_report()
{
	gdb_run "$2" "$3" -ex 'echo @@ report\n' -ex 'mapsleuth scan' > "$1.out" 2>&1 || true
	! grep -q Traceback "$1.out" || { cat "$1.out"; fail "$1: Python traceback"; }
	sed -n '/^@@ report$/,$p' "$1.out" | sed 1d > "$1.report"
	awk -v c="$1" 'length($0) > 80 { print c ": over 80 columns: " $0; bad = 1 }
		END { exit bad }' "$1.report" || fail "$1: gdb 'mapsleuth scan' lines over 80 columns"
}
testcase unmapped go1.26
exe=$(case_exe)
cp "$case_dir/core" nothing.core
zero_loads nothing.core
gdb_report nothing "$exe" nothing.core
grep -q '^  lost: ' nothing.report && grep -q '^note: ' nothing.report &&
	grep -q '^results are partial: ' nothing.report ||
	{ cat nothing.report; fail "nothing saved: no lost, note or partial line"; }
same_report "nothing saved" "$exe" nothing.core nothing.report
testcase hostile go1.26
exe=$(case_exe)
python3 "$abs_srcdir/hostile-core.py" "$case_dir/core" notes.core \
	--add-file '/lib/\x1b]0;t\x07\xe2\x80\xae\x9bos.so' --add-file '/lib/\xff\xfe.so' ||
	fail "hostile-core.py failed"
gdb_report notes "$exe" notes.core
python3 - notes.report <<'PY' || fail "the companion's report is not terminal-safe"
import re, sys
s = open(sys.argv[1], 'rb').read().decode('utf-8')
m = re.search('[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]', s)
if m:
    sys.exit('control U+%04X: %r' % (ord(m.group()), s[max(0, m.start() - 30):m.start() + 30]))
PY
grep -qF '  guessed: \x1b]0;t\x07\u202e\x9bos.so missing' notes.report &&
	grep -qF '  guessed: \xff\xfe.so missing' notes.report ||
	{ cat notes.report; fail "the guessed lines do not show the paths escaped"; }
same_report "hostile notes" "$exe" notes.core notes.report

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
