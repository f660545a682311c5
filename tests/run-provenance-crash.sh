#!/bin/sh
# The crash link on the crash case: the fault address and pc are the
# truth's, the crash goes through the recorded map (by header), inside the
# allocation its bad pointer should lead to, and the faulting instruction is
# shown (scan text, scan JSON, show) as the disassembler decodes it. show's
# code references to the map name their operand as the crash's code does,
# and show --json carries the same comment on each.
# Corpus: corpus/crash (bash corpus/crash/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"
. "$abs_srcdir/provenance-subr.sh"

# The pclntab test tool decodes the instruction at the pc on its own.
TOOL=$(find "$abs_top_builddir/tests" -name ms-pclntab-tool -type f | head -n 1)
[ -x "$TOOL" ] || skip "ms-pclntab-tool not built"

crash_case()
{
	local c fault pc map header line id got insn want ptr extent module sym addr target comment
	run_scan
	c=$(crash_part scan.json)
	[ -n "$c" ] || fail "$case_dir: no crash in the scan"
	fault=$(truth_crash fault_address)
	pc=$(truth_crash pc)
	map=$(truth_crash map)
	[ -n "$fault" ] && [ -n "$pc" ] && [ -n "$map" ] || fail "$case_dir: no crash in the truth"
	got=$(json_str "$c" fault_address)
	[ "$got" = "$fault" ] || fail "$case_dir: fault address $got, truth says $fault"
	got=$(json_str "$c" pc)
	[ "$got" = "$pc" ] || fail "$case_dir: pc $got, truth says $pc"

	# Linked to the recorded map, by its header.
	header=$(truth_maps | awk -v n="$map" '$6 == n { print $1 }')
	line=$(scan_map "$header")
	id=$(json_num "$line" id)
	got=$(json_num "$c" map_id)
	[ -n "$got" ] && [ "$got" = "$id" ] ||
		fail "$case_dir: crash linked to map #$got, truth says $map (#$id, $header)"
	echo "$case_dir: $(json_str "$c" why)"

	# The fault lies in the bad allocation, whose size the scan knows.
	ptr=$(prov_part "$line" | sed -n 's/.*"bad_pointers":\[{[^}]*"pointer":"\(0x[0-9a-f]*\)","extent":\([0-9]*\),.*/\1/p')
	extent=$(prov_part "$line" | sed -n 's/.*"bad_pointers":\[{[^}]*"pointer":"0x[0-9a-f]*","extent":\([0-9]*\),.*/\1/p')
	[ -n "$ptr" ] && [ -n "$extent" ] || fail "$case_dir: no bad pointer with a size: $line"
	[ $((fault)) -ge $((ptr)) ] && [ $((fault - ptr)) -lt "$extent" ] ||
		fail "$case_dir: fault $fault outside $ptr + $extent"

	# The instruction at the pc, as the disassembler decodes it from the file.
	want=$("$TOOL" window "$case_dir/$exe_name" "$pc" 0 0 |
		sed -n 's/^=> 0x[0-9a-f]* [^ ]* [0-9a-f]* //p')
	[ -n "$want" ] || fail "$case_dir: ms-pclntab-tool cannot decode $pc"
	insn=$(json_str "$c" instruction)
	[ "$insn" = "$want" ] || fail "$case_dir: instruction '$insn', expected '$want'"
	json_str "$c" function | grep -q '^runtime\.' ||
		fail "$case_dir: the faulting function is not named: $c"
	"$MAPSLEUTH" scan --exe "$case_dir/$exe_name" "$case_dir/core" > scan.txt 2>&1 || true
	grep -qF "$pc: $want" scan.txt || fail "$case_dir: scan does not show '$pc: $want'"
	grep "$header" scan.txt | grep -q '<- CRASH' || fail "$case_dir: $map not marked as the crash"
	grep -q "crash: the fault at $fault is [a-z]" scan.txt ||
		fail "$case_dir: the crash line does not say which pointer it went through"
	"$MAPSLEUTH" scan --verbose --exe "$case_dir/$exe_name" "$case_dir/core" > verbose.txt 2>&1 || true
	grep -q "crash cause: fault address $fault is .*inside its " verbose.txt ||
		fail "$case_dir: the crash cause does not say why"
	"$MAPSLEUTH" show --exe "$case_dir/$exe_name" "$case_dir/core" "$id" > show.txt 2>&1 || true
	grep -qF "=> $pc:" show.txt || fail "$case_dir: show marks no line at $pc"
	grep -F "=> $pc:" show.txt | grep -qF "$want" || fail "$case_dir: show's line at $pc is not '$want'"
	grep -q "through this map: fault address $fault" show.txt ||
		fail "$case_dir: show does not link the crash to the map"
	# Each code reference's instruction has its operand named as the
	# crash's code names it: "; TARGET SYMBOL in .SECTION of MODULE",
	# the symbol the truth's variable (stripped: no symbol), in 80
	# columns (the comment under the instruction when both do not fit);
	# show --json has the same comment on each reference.
	show_json "$id"
	sed 's/},{/}\n{/g' show.json | grep -o '"address":"0x[0-9a-f]*","instruction":"[^"]*","target":"0x[0-9a-f]*"' |
		sed 's/"address":"\(0x[0-9a-f]*\)","instruction":"[^"]*","target":"\(0x[0-9a-f]*\)"/\1 \2/' > xrefs.txt
	[ -s xrefs.txt ] || fail "$case_dir: no code references to $map in show --json"
	module=$(truth_member "$map" module)
	if [ "$(sed -n 's/^  "stripped": \(.*\),$/\1/p' "$case_dir/truth.json")" = true ]; then
		sym='[^;]*'
	else
		sym="$(printf '%s' "$map" | sed 's/[.]/\\./g') in "
	fi
	awk '/^code references:$/ { on = 1; next } on && /^$/ { exit }
		on && /^      0x/ { if (l) print l; l = $0; next }
		on && /^          ; / { sub(/^ +/, " "); l = l " " $0; next }
		on && /^  [^ ]/ { if (l) print l; l = "" }
		END { if (l) print l }' show.txt > insns.txt
	while read -r addr target; do
		grep -q "^      $addr: .*  ; $target $sym\.[a-z]* of $module\$" insns.txt ||
			{ cat show.txt; fail "$case_dir: show's code reference at $addr lacks '; $target $map in .SECTION of $module'"; }
	done < xrefs.txt
	# The JSON carries the same comment on each reference: the text after
	# "; " in show, naming the truth's variable and module.
	sed 's/},{/}\n{/g' show.json |
		sed -n 's/.*"address":"\(0x[0-9a-f]*\)","instruction":"[^"]*","target":"\(0x[0-9a-f]*\)","comment":"\([^"]*\)".*/\1 \2 \3/p' > comments.txt
	[ "$(wc -l < comments.txt)" -eq "$(wc -l < xrefs.txt)" ] ||
		{ cat show.json; fail "$case_dir: not every code reference in show --json has a comment"; }
	while read -r addr target comment; do
		printf '%s\n' "$comment" | grep -q "^$target $sym\.[a-z]* of $module\$" ||
			fail "$case_dir: the JSON comment at $addr is '$comment', not '$target $map in .SECTION of $module'"
		grep -qF "      $addr: " insns.txt && grep -F "      $addr: " insns.txt | grep -qF "  ; $comment" ||
			{ cat insns.txt; fail "$case_dir: the JSON comment at $addr, '$comment', is not what show prints"; }
	done < comments.txt
	awk 'length > 80' show.txt | grep -q '^      0x' &&
		fail "$case_dir: a code reference line over 80 columns"
	"$MAPSLEUTH" show --verbose --exe "$case_dir/$exe_name" "$case_dir/core" "$id" > verbose.txt 2>&1 || true
	read -r addr target < xrefs.txt
	grep -q " $addr: [^;]*  ; $target $sym\.[a-z]* of $module  \[" verbose.txt ||
		fail "$case_dir: show --verbose has no whole line for the code reference at $addr"
	echo "$case_dir: $pc: $insn"
}
for_cases crash crash_case
exit 0
