#!/bin/sh
# The default scan report reads in one screen: every line fits 80 columns,
# each suspect takes its map line, one reason line, the crash line for the
# crash's map, and one "used by" line; the map is named after the variable
# that declares it, with its module. Colour only when asked or on a terminal
# without NO_COLOR. Addresses in the reasons carry the symbol that holds
# them (geo.Marker in the plugins case) or the module a neighbouring mapping
# belongs to.
# Corpus: every case with a truth.json.
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

esc=$(printf '\033')

report_case()
{
	# Run as a user would, in the directory of the files.
	cd "$case_dir"
	local opts="--exe ./$exe_name --solib-search ."
	rc=0
	"$MAPSLEUTH" scan $opts core > scan.txt 2> scan.err || rc=$?
	[ "$rc" -le 1 ] || { cat scan.err; fail "$case_dir: scan exited $rc"; }
	awk -v c="$case_dir" 'length($0) > 80 { print c ": over 80 columns: " $0; bad = 1 }
		END { exit bad }' scan.txt || fail "$case_dir: lines over 80 columns"
	! grep -q "$esc" scan.txt || fail "$case_dir: colour on a pipe"
	# Lines per suspect: the map line, then indented lines up to the next.
	awk '/^ *[0-9]+ [a-z-]+ +0x[0-9a-f]+  / { if (n > 4) exit 1; n = 1; crash = /<- CRASH/; next }
		/^      [^ ]/ && n { n++; if (n > 3 + crash) exit 1; next }
		{ n = 0 }' scan.txt ||
		{ cat scan.txt; fail "$case_dir: a suspect takes more than its lines"; }
	# Every suspect of the JSON is a map line naming its first root and module.
	"$MAPSLEUTH" scan --json $opts core > scan.json 2>/dev/null || true
	json_suspects < scan.json | while read -r id header sym module; do
		line=$(grep "^ *$id [a-z-]* *$header  " scan.txt) ||
			fail "$case_dir: map $id ($header) has no line"
		[ "$sym" = - ] && continue
		short=$(echo "$sym" | sed 's|^[^[({]*/||')
		case "$line" in
		*"$short ($module)"*|*"${short%%.*}"*"($module)"*) ;;
		*) fail "$case_dir: map $id is not named '$short ($module)': $line" ;;
		esac
	done
	"$MAPSLEUTH" scan --color=always $opts core > color.txt 2>/dev/null || true
	if [ -s scan.json ] && grep -q '"verdict":"[a-z-]*"' scan.json &&
	   grep -q '^ *1 ' scan.txt; then
		grep -q "$esc\\[[0-9;]*m" color.txt || fail "$case_dir: --color=always gives no colour"
	fi
	NO_COLOR=1 "$MAPSLEUTH" scan --color=auto $opts core > nocolor.txt 2>/dev/null || true
	! grep -q "$esc" nocolor.txt || fail "$case_dir: colour despite NO_COLOR"
	"$MAPSLEUTH" scan --verbose $opts core > verbose.txt 2>/dev/null || true
	[ "$(wc -l < verbose.txt)" -ge "$(wc -l < scan.txt)" ] ||
		fail "$case_dir: --verbose says less than the default"
	cd "$test_dir"
}

# "ID HEADER SYMBOL MODULE" of every listed map (SYMBOL - without roots).
json_suspects()
{
	awk '/"id":[0-9]+,"header":/ {
		match($0, /"id":[0-9]+/); id = substr($0, RSTART + 5, RLENGTH - 5)
		match($0, /"header":"0x[0-9a-f]+"/); h = substr($0, RSTART + 10, RLENGTH - 11)
		sym = "-"; mod = "-"
		if (match($0, /"roots":\[\{"module":"[^"]*","pluginpath":[^,]*,"symbol":"[^"]*"/)) {
			r = substr($0, RSTART, RLENGTH)
			match(r, /"module":"[^"]*"/); mod = substr(r, RSTART + 10, RLENGTH - 11)
			match(r, /"symbol":"[^"]*"/); sym = substr(r, RSTART + 10, RLENGTH - 11)
		}
		if (sym ~ / /) sym = "-"
		print id, h, sym, mod
	}'
}

for_cases '*' report_case

# The plugins case: the foreign pointer leads to geo's Marker variable (the
# program points it at &Marker[0]), named as gdb names it; the dangling one
# lies just past a mapping that the executable's image owns.
testcase plugins go1.26
"$MAPSLEUTH" scan --exe "$case_dir/plugins" --solib-search "$case_dir" "$case_dir/core" \
	> plugins.txt 2>&1 || true
grep -q 'module image, geo\.Marker in \.noptrdata of geo\.so' plugins.txt ||
	{ cat plugins.txt; fail "the foreign pointer is not named geo.Marker in .noptrdata of geo.so"; }
grep -q 'just past the end of plugins \.[a-z]*bss' plugins.txt ||
	{ cat plugins.txt; fail "the mapping before the dangling pointer is not named as the executable's bss"; }
# With the long paths of the build tree too, every line fits 80 columns
# but one holding a single path longer than that (alone, or after its
# option when it would not fit a line of its own either): the commands to
# run next wrap with the shell's line continuation, and joined again they
# are the command.
awk 'length($0) > 80 { l = $0; sub(/ +\\$/, "", l); n = split(l, w, " ")
	if (n == 1 || (n == 2 && w[1] ~ /^--/ && length(w[2]) + 12 > 80)) next
	print "over 80 columns: " $0; bad = 1 }
	END { exit bad }' plugins.txt ||
	{ cat plugins.txt; fail "the report with long paths has lines over 80 columns"; }
want="next: mapsleuth show --exe $case_dir/plugins --solib-search $case_dir $case_dir/core 1"
got=$(sed -n '/^next: /,$p' plugins.txt | awk '/\\$/ { sub(/ *\\$/, ""); printf "%s ", $0; next }
	{ print; exit }' | sed 's/  */ /g')
[ "$got" = "$want" ] || { cat plugins.txt; fail "the next command, joined: '$got', want '$want'"; }
"$MAPSLEUTH" scan --json --exe "$case_dir/plugins" --solib-search "$case_dir" "$case_dir/core" \
	> plugins.json 2>&1 || true
grep -q '"below":{"end":"0x[0-9a-f]*","distance":0,"file":null,"module":"plugins","section":"[a-z]*bss"}' \
	plugins.json || fail "JSON below.module of the dangling pointer is not the executable"

expect_exit 64 "$MAPSLEUTH" scan --color=sometimes "$case_dir/core"
exit 0
