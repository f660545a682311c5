#!/bin/sh
# mapsleuth tui end to end under tmux on corpus/cshared/go1.26 (a C host
# that dlopened libgomaps.so, a Go c-shared library holding the runtime,
# and died of a fault on main.gVictimA's unmapped groups; regenerate with
# corpus/cshared/gen/regen.sh): the crash map on top with its dangling
# twin, the Roots pane naming libgomaps.so as its module and the library's
# code using it, the faulting pc in the Code pane, quit.
. "$abs_srcdir/tui/tui-subr.sh"

testcase cshared go1.26
truth_maps > truth.txt
map=$(sed -n 's/^    "map": "\(.*\)"$/\1/p' "$case_dir/truth.json")
pc=$(sed -n 's/^    "pc": "\(.*\)",$/\1/p' "$case_dir/truth.json")
[ -n "$map" ] && [ -n "$pc" ] || fail "truth.json: no crash"
other=$(awk -v m="$map" '$2 == "dangling" && $6 != m { print $6; exit }' truth.txt)
[ -n "$other" ] || fail "truth.json: no second dangling map"
re() { printf '%s\n' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'; }

tui_start 100 30 -- --exe "$case_dir/cshared" --solib-search "$case_dir" "$case_dir/core"
expect_screen open 'maps: 2 suspects of [0-9]+' 'cshared go1\.26' "-> #[0-9]+ $(re "$map")\$" \
	"!dangling +$(re "$map")" " dangling +$(re "$other")" 'verdict +dangling  <- the crash'
tui_keys 2
expect_screen 'the Roots pane' '\[Roots\]' 'module +libgomaps\.so' \
	'type module +libgomaps\.so' "package main, variable ${map#main.}" \
	"slot 0x[0-9a-f]+ in libgomaps\\.so" 'code references \([0-9]+\)' \
	' libgomaps\.so!main\.MapsBuild\+0x[0-9a-f]+ ' \
	' libgomaps\.so!_cgoexp_[0-9a-f]+_MapsLookup\+0x[0-9a-f]+ '
tui_keys 5
expect_screen 'the faulting pc' '\[Code\]' "SIGSEGV at 0x[0-9a-f]+, pc $pc" "=> $pc  "
tui_keys q
expect_exit_status 0
exit 0
