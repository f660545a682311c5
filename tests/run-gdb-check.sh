#!/bin/sh
# `mapsleuth check` of the gdb companion (gdb-scripts/mapsleuth.py) on corpus
# cores: every map a global holds is judged as truth.json says, through gdb's
# own memory reads and DWARF: "ok" on the clean cores, "dangling" for the maps
# whose storage was unmapped (unmapped, crash, and auth.Tokens of plugins),
# "foreign" for geo.Zones of plugins. The program under test ($MAPSLEUTH)
# names the addresses of bad pointers, as it does for scan and show, in the
# pointer lines and the verdict alike; every line fits 80 columns (gdb
# batch mode has no width) but the one-line errors.
# Not covered: stripped variants (no DWARF for gdb to type the maps) and the
# freed case (freed heap memory is readable; only the CLI's heap model sees
# it).
# Corpus: corpus/{clean,unmapped,crash,plugins} (regenerate with
# bash corpus/<case>/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"

[ -n "$GDB" ] && [ -x "$GDB" ] || skip "gdb not installed"
# The companion runs $MAPSLEUTH before any mapsleuth on PATH or in a build
# tree beside the script, so the build under test answers.
export MAPSLEUTH
SCRIPT="$abs_top_srcdir/gdb-scripts/mapsleuth.py"

# gdb_core ARGS...: gdb in batch mode with the companion on the case's
# executable and core, plugins found in the case directory.
gdb_core()
{
	local exe
	exe=$(sed -n 's/^  "exe": "\(.*\)",$/\1/p' "$case_dir/truth.json")
	"$GDB" -batch -nx -iex 'set debuginfod enabled off' \
		-iex 'set auto-load python-scripts off' \
		-iex "set solib-search-path $case_dir" -x "$SCRIPT" \
		"$@" "$case_dir/$exe" "$case_dir/core"
}

# truth_globals: "NAME VERDICT" for each map held by a global of truth.json.
truth_globals()
{
	awk '
	function val(s) { sub(/^[^:]*: "/, "", s); sub(/",?[ \t]*$/, "", s); return s }
	/^    \{/ { name = ""; held = ""; verdict = "" }
	/^      "name": / { name = val($0) }
	/^      "held_by": / { held = val($0) }
	/^      "verdict": / { verdict = val($0); if (held == "global") print name, verdict }
	' "$case_dir/truth.json"
}

checked=0
for c in $(corpus_cases clean) $(corpus_cases unmapped) $(corpus_cases crash) \
	 $(corpus_cases plugins); do
	case $c in *-stripped) continue ;; esac
	testcase "${c%%/*}" "${c#*/}"
	f=$(echo "$c" | tr / -)
	truth_globals > "$f.want"
	[ -s "$f.want" ] || fail "$c: no global maps in truth.json"
	set --
	while read -r name verdict; do
		set -- "$@" -ex "echo @@ $name\\n" -ex "mapsleuth check $name"
	done < "$f.want"
	gdb_core -ex 'echo @@ begin\n' "$@" > "$f.out" 2>&1 || true
	sed -n '/^@@ begin$/,$p' "$f.out" > "$f.lines"
	awk -v c="$c" 'length($0) > 80 && !/^mapsleuth: / { print c ": over 80 columns: " $0; bad = 1 }
		END { exit bad }' "$f.lines" || fail "$c: mapsleuth check lines over 80 columns"
	# "NAME VERDICT" from the output: the verdict line after each marker.
	awk '
	/^@@ / { name = $2; next }
	name != "" && /^(ok|not-dumped|corrupt|foreign|freed|dangling): / {
		v = $1; sub(/:$/, "", v); print name, v; name = ""; next
	}
	name != "" && /^mapsleuth: / { print name, "error"; name = "" }
	' "$f.out" > "$f.got"
	if ! diff -u "$f.want" "$f.got"; then
		cat "$f.out"
		fail "$c: mapsleuth check verdicts differ from truth.json"
	fi
	checked=$((checked + $(wc -l < "$f.want")))
	rm -rf "$case_dir"
done
[ "$checked" -gt 0 ] || skip "no corpus case with global maps"

# Errors are one line and gdb lives on: gdb 13's Go parser dies of SIGSEGV
# on main.nosuch once package main is known, so the companion must not hand
# it such a name.
testcase unmapped go1.26
gdb_core -ex 'mapsleuth check main.gNames' -ex 'mapsleuth check main.nosuch' \
	-ex 'mapsleuth check *main.nosuch' -ex 'mapsleuth check runtime.mheap_' \
	-ex 'mapsleuth check' -ex 'mapsleuth check 1 +' \
	-ex 'mapsleuth check main.gVictimA' > errors.out 2>&1 || true
# Addresses change whenever the corpus is regenerated: compare the words.
# On a core the reason names its address as scan does (info --address), in
# the pointer line too. A line indented by 4 or more continues the one
# before it.
awk '/^    / && NR > 1 { sub(/^ +/, ""); line = line " " $0; next }
	{ if (NR > 1) print line; line = $0 } END { print line }' errors.out > errors.joined
grep '^mapsleuth: \|^[a-z-]*: .*; used=\|^ok: \|^  table\[0\]\.groups ' errors.joined |
	sed 's/0x[0-9a-f]*/0xADDR/g; s/  */ /g' > errors.got || true
cat > errors.expected <<'EOF'
ok: used=3, dirLen=0 (small map), 3 full slots
mapsleuth: cannot evaluate 'main.nosuch': no variable 'main.nosuch' here
mapsleuth: cannot evaluate '*main.nosuch': no symbol 'main.nosuch' here
mapsleuth: not a Go map: 0xADDR <runtime.mheap_> has type runtime.mheap *
mapsleuth: check needs a map expression: mapsleuth check EXPR
mapsleuth: cannot evaluate '1 +': a syntax error in expression, near `'
 table[0].groups 0xADDR cannot be read (unmapped: the heap lists it in use (6 pages)); 128 groups of 328 bytes
dangling: table[0].groups 0xADDR cannot be read (unmapped: the heap lists it in use (6 pages)); used=800, dirLen=1, 1 table
EOF
diff -u errors.expected errors.got || { cat errors.out; fail "error messages"; }
! grep -q Traceback errors.out || fail "Python traceback"
echo "checked $checked maps"
exit 0
