#!/bin/sh
# mapsleuth tui end to end under tmux on corpus/crash/go1.26 (a SIGSEGV in
# the runtime's map code through main.gVictim's dangling groups;
# regenerate with corpus/crash/gen/regen.sh): the Roots pane lists the code
# of main.main that uses the map (each instruction's operand commented as
# show and scan --json comment it), Enter on a reference shows its
# instruction marked in the Code pane, Backspace comes back, and the Code
# pane shows the faulting pc again.
. "$abs_srcdir/tui/tui-subr.sh"

testcase crash go1.26
map=$(sed -n 's/^    "map": "\(.*\)"$/\1/p' "$case_dir/truth.json")
pc=$(sed -n 's/^    "pc": "\(.*\)",$/\1/p' "$case_dir/truth.json")
[ -n "$map" ] && [ -n "$pc" ] || fail "truth.json: no crash"
# The first code reference to the crash map, as scan --json reports it.
"$MAPSLEUTH" scan --json --exe "$case_dir/crash" "$case_dir/core" > scan.json 2> scan.err ||
	[ $? -le 1 ] || fail "scan: $(cat scan.err)"
xref=$(grep '"xrefs":\[{' scan.json | head -n 1 | sed 's/.*"xrefs":\[{/{/')
xfn=$(printf '%s\n' "$xref" | sed -n 's/^{"function":"\([^"]*\)".*/\1/p')
xaddr=$(printf '%s\n' "$xref" | sed -n 's/^[^}]*"address":"\([^"]*\)".*/\1/p')
xinsn=$(printf '%s\n' "$xref" | sed -n 's/^[^}]*"instruction":"\([^"]*\)".*/\1/p')
xcomment=$(printf '%s\n' "$xref" | sed -n 's/^[^}]*"comment":"\([^"]*\)".*/\1/p')
[ -n "$xfn" ] && [ -n "$xaddr" ] && [ -n "$xinsn" ] || fail "scan.json: no code reference: $xref"
case "$xcomment" in
"0x"*" $map in ."*) ;;
*) fail "scan.json: the first code reference's comment '$xcomment' does not name $map" ;;
esac
re() { printf '%s\n' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'; }

tui_start 100 30 -- --exe "$case_dir/crash" "$case_dir/core"
expect_screen open "-> #[0-9]+ $(re "$map")\$" "!dangling +$(re "$map")"
tui_keys 2
expect_screen 'the Roots pane' '\[Roots\]' 'module +crash' "package main, variable ${map#main.}" \
	'type module +crash' 'code references \([0-9]+\)' " crash!main\\.main\\+0x[0-9a-f]+ " \
	" crash!$(re "$xfn") " "$(re "$xinsn")  \\[$(re "$map")\\]" "^\\|.*\\|\\|       ; $(re "$xcomment") +\\|\$"

# Move onto the first reference and follow it.
tui_keys Enter
expect_screen 'the pane focused' '>#[0-9]+ '
cursor_to 'move to the first reference' "> +crash!$(re "$xfn") "
tui_keys Enter
expect_screen 'follow the reference' '\[Code\]' "code at $xaddr referring to #[0-9]+ $(re "$map")" \
	">=> $xaddr  $(re "$xinsn")" 'main\.main\+0x[0-9a-f]+:' 'Backspace goes back'
tui_keys BSpace
expect_screen 'back to Roots' '\[Roots\]' "> +crash!$(re "$xfn") "
tui_keys 5
expect_screen 'the faulting pc again' '\[Code\]' "SIGSEGV at 0x[0-9a-f]+, pc $pc" "=> $pc  "
refute_screen 'not the reference' "=> $xaddr "
tui_keys q
expect_exit_status 0
exit 0
