#!/bin/sh
# mapsleuth tui without a terminal: --help, usage errors, --keys/--dump on
# corpus cores (unmapped/go1.26, crash/go1.26: the crash-cause map in the top
# line and the faulting pc in the Code pane; regenerate with
# corpus/<case>/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

"$MAPSLEUTH" tui --help > help.out
grep -q '^usage: mapsleuth tui' help.out || fail "tui --help shows the usage"
for opt in --keys --dump --size --exe --solib-search; do
	grep -q -- "$opt" help.out || fail "tui --help lists $opt"
done
expect_exit 64 "$MAPSLEUTH" tui
expect_exit 64 "$MAPSLEUTH" tui --json core
expect_exit 64 "$MAPSLEUTH" tui --size 80 core
expect_exit 64 "$MAPSLEUTH" tui --keys '<Nope>' --dump core
"$MAPSLEUTH" tui --keys '<Nope>' --dump core 2> err.out || true
grep -q "unknown key '<Nope>'" err.out || fail "a bad key name is named: $(cat err.out)"
expect_exit 2 "$MAPSLEUTH" tui --dump no-such-core

testcase unmapped go1.26
exe="$case_dir/unmapped"
truth_maps > truth.txt
first=$(awk '$2 == "dangling" { print $6; exit }' truth.txt)
second=$(awk '$2 == "dangling" { n++ } $2 == "dangling" && n == 2 { print $6; exit }' truth.txt)

# No terminal and no --dump: a clear error, not a broken screen.
"$MAPSLEUTH" tui --exe "$exe" "$case_dir/core" < /dev/null > out.txt 2> err.out && fail "tui without a terminal fails"
grep -q 'needs a terminal' err.out || fail "says it needs a terminal: $(cat err.out)"

"$MAPSLEUTH" tui --exe "$exe" --dump "$case_dir/core" > screen.txt
[ "$(wc -l < screen.txt)" -eq 24 ] || fail "--dump prints 24 lines by default"
awk 'length > 80 { exit 1 }' screen.txt || fail "--dump fits 80 columns"
grep -Eq 'maps: 2 suspects of [0-9]+' screen.txt || fail "the list title counts the suspects"
grep -Eq "^\\|>  *1 dangling +$first " screen.txt || fail "the first suspect is selected"
grep -Eq "^\\| +2 dangling +$second " screen.txt || fail "the second suspect is listed"
grep -q 'q quit$' screen.txt || fail "the key line"

"$MAPSLEUTH" tui --exe "$exe" --dump --size 100x30 --keys 'j<Enter><Tab>' "$case_dir/core" > screen.txt
[ "$(wc -l < screen.txt)" -eq 30 ] || fail "--size 100x30 prints 30 lines"
grep -q "\\[Roots\\]" screen.txt || fail "Tab opened the Roots pane"
grep -Eq "\\|>#2 $second " screen.txt || fail "the Roots pane of the second suspect"
"$MAPSLEUTH" tui --exe "$exe" --dump --keys 'j<Enter><Tab><Resize=60x15>' "$case_dir/core" > small.txt
[ "$(wc -l < small.txt)" -eq 15 ] || fail "<Resize=60x15> gives 15 lines"
grep -q "\\[Roots\\]" small.txt || fail "the pane survives the resize"

testcase crash go1.26
fault=$(sed -n 's/^    "fault_address": "\(.*\)",$/\1/p' "$case_dir/truth.json")
pc=$(sed -n 's/^    "pc": "\(.*\)",$/\1/p' "$case_dir/truth.json")
map=$(sed -n 's/^    "map": "\(.*\)"$/\1/p' "$case_dir/truth.json")
[ -n "$fault" ] && [ -n "$pc" ] && [ -n "$map" ] || fail "truth.json: no crash"
"$MAPSLEUTH" tui --exe "$case_dir/crash" --dump --size 100x30 "$case_dir/core" > screen.txt
grep -Eq "SIGSEGV $fault -> #[0-9]+ $map\$" screen.txt || { cat screen.txt; fail "the top line names the crash-cause map"; }
grep -q 'verdict  *dangling  <- the crash' screen.txt || fail "the Header pane marks the crash"
grep -q "crash: #[0-9]* $map: " screen.txt || fail "the status line says why"
"$MAPSLEUTH" tui --exe "$case_dir/crash" --dump --size 100x30 --keys 5 "$case_dir/core" > code.txt
grep -Eq "SIGSEGV at $fault, pc $pc " code.txt || { cat code.txt; fail "the Code pane names the fault"; }
grep -Eq "=> $pc  " code.txt || fail "the faulting instruction is marked"
# The code of a reference to the map: calls and jumps name their targets as
# gdb does ("call 0x4c3020 <main.lookup>"), the variable's operand its
# symbol, section and module, as show names it.
"$MAPSLEUTH" tui --exe "$case_dir/crash" --dump --size 160x30 --keys '2<Enter>G<Enter>' \
	"$case_dir/core" > xref.txt
grep -Eq 'call 0x[0-9a-f]+ <main\.lookup>' xref.txt || { cat xref.txt; fail "a call does not name its target"; }
grep -Eq 'j[a-z]+ 0x[0-9a-f]+ <main\.main\+0x[0-9a-f]+>' xref.txt || { cat xref.txt; fail "a jump does not name its target"; }
grep -Eq '; 0x[0-9a-f]+ main\.gVictim in \.[a-z]*bss of crash' xref.txt ||
	{ cat xref.txt; fail "the operand does not name main.gVictim, its section and module"; }
# Every operand is named, also where no symbol holds it: the marker symbol
# its region starts at (go:string.*), with section and module.
grep -E '; 0x[0-9a-f]+ *[|]?$' xref.txt && { cat xref.txt; fail "an operand without a name"; }
grep -Eq '; 0x[0-9a-f]+ [^ ]+\+0x[0-9a-f]+ in \.[a-z]+ of crash' xref.txt ||
	{ cat xref.txt; fail "no operand named by the region it is in"; }
exit 0
