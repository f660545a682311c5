#!/bin/sh
# mapsleuth tui end to end under tmux on corpus/cshared/go1.26 (a C host
# that dlopened libgomaps.so, a Go c-shared library holding the runtime,
# and died of a fault on main.gVictimA's unmapped groups; regenerate with
# corpus/cshared/gen/regen.sh): the crash map on top with its dangling
# twin, the title and the Roots pane naming libgomaps.so (the title also
# when the library is missing), the library's code using it, the faulting
# pc in the Code pane, quit.
. "$abs_srcdir/tui/tui-subr.sh"

testcase cshared go1.26
truth_maps > truth.txt
map=$(sed -n 's/^    "map": "\(.*\)"$/\1/p' "$case_dir/truth.json")
pc=$(sed -n 's/^    "pc": "\(.*\)",$/\1/p' "$case_dir/truth.json")
[ -n "$map" ] && [ -n "$pc" ] || fail "truth.json: no crash"
other=$(awk -v m="$map" '$2 == "dangling" && $6 != m { print $6; exit }' truth.txt)
[ -n "$other" ] || fail "truth.json: no second dangling map"
# The library holding the runtime: the truth's c-shared module.
lib=$(awk '/^      "file": / { f = $2; gsub(/[",]/, "", f) }
	/^      "kind": "c-shared"/ { print f }' "$case_dir/truth.json")
[ -n "$lib" ] || fail "truth.json: no c-shared module"
re() { printf '%s\n' "$1" | sed 's/[][\.*^$+?(){}|]/\\&/g'; }

tui_start 100 30 -- --exe "$case_dir/cshared" --solib-search "$case_dir" "$case_dir/core"
expect_screen open 'maps: 2 suspects of [0-9]+' "cshared\\+$(re "$lib") go1\\.26" "-> #[0-9]+ $(re "$map")\$" \
	"!dangling +$(re "$map")" " dangling +$(re "$other")" 'verdict +dangling  <- the crash'
tui_keys 2
expect_screen 'the Roots pane' '\[Roots\]' 'module +libgomaps\.so' \
	'type module +libgomaps\.so' "package main, variable ${map#main.}" \
	"slot 0x[0-9a-f]+ in libgomaps\\.so" 'code references \([0-9]+\)' \
	' libgomaps\.so!main\.MapsBuild\+0x[0-9a-f]+ ' \
	"       ; 0x[0-9a-f]+ $(re "$map") in \\.bss of +\\|"
# The last reference, at the pane's end.
tui_keys Enter G
expect_screen 'the last code reference' ' libgomaps\.so!_cgoexp_[0-9a-f]+_MapsLookup\+0x[0-9a-f]+ '
tui_keys Escape 5
expect_screen 'the faulting pc' '\[Code\]' "SIGSEGV at 0x[0-9a-f]+, pc $pc" "=> $pc  "
tui_keys q
expect_exit_status 0

# The title names the library in full when it fits, and says when the
# library is missing (nothing Go could be read) rather than "not Go?".
"$MAPSLEUTH" tui --dump --size 120x40 --exe "$case_dir/cshared" --solib-search "$case_dir" \
	"$case_dir/core" > wide.txt
head -n 1 wide.txt | grep -q "  cshared (runtime in $(re "$lib")) go1\\.26\\.[0-9]* swiss  SIGSEGV " ||
	{ cat wide.txt; fail "the title does not name $lib in full at 120 columns"; }
mkdir -p empty-root empty-dir
"$MAPSLEUTH" tui --dump --size 120x40 --exe "$case_dir/cshared" --sysroot "$PWD/empty-root" \
	--solib-search "$PWD/empty-dir" "$case_dir/core" > missing.txt 2> /dev/null || true
head -n 1 missing.txt | grep -q "  cshared (runtime in $(re "$lib"), missing)  SIGABRT" ||
	{ cat missing.txt; fail "the title does not say $lib is missing"; }
exit 0
