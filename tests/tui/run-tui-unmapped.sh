#!/bin/sh
# mapsleuth tui end to end under tmux on corpus/unmapped/go1.26 (swiss maps
# whose groups were munmap'ed; regenerate with corpus/unmapped/gen/regen.sh):
# open, move to a suspect, every pane, follow a pointer and come back,
# search, the key list, resize to 80x24 and back, NO_COLOR and a terminal
# without colour, quit.
. "$abs_srcdir/tui/tui-subr.sh"

testcase unmapped go1.26
exe="$case_dir/unmapped"
core="$case_dir/core"
# The suspects and a map judged ok, from the program's own record.
truth_maps > truth.txt
first=$(awk '$2 == "dangling" { print $6; exit }' truth.txt)
second=$(awk '$2 == "dangling" { n++ } $2 == "dangling" && n == 2 { print $6; exit }' truth.txt)
okmap=$(awk '$2 == "ok" && $6 ~ /^main\./ { print $6; exit }' truth.txt)
[ -n "$first" ] && [ -n "$second" ] && [ -n "$okmap" ] || fail "truth.json: no two dangling maps and an ok one"

tui_start 100 30 -- --exe "$exe" "$core"
expect_screen open 'maps: 2 suspects of [0-9]+' 'go1\.26' 'swiss' '\[Header\]' \
	"dangling +$first" "dangling +$second" 'q quit'
side_by_side || fail "100x30: list and detail side by side"
screen_has_colour || fail "colour is used when the terminal has it"

tui_keys j
expect_screen 'move to a suspect' ">  *[0-9]+ dangling +$second" "#[0-9]+ $second "
tui_keys k
expect_screen 'back to the first' ">  *[0-9]+ dangling +$first" 'verdict +dangling' \
	'dirPtr +0x[0-9a-f]+' 'why +[^ ]*groups 0x[0-9a-f]+: unmapped'

tui_keys Enter Tab
expect_screen 'Roots pane' '\[Roots\]' " $first +.$" 'slot 0x[0-9a-f]+ in unmapped' 'found by +global'
tui_keys Tab
expect_screen 'Entries pane' '\[Entries\]' 'live entries|no bucket or group could be read'
tui_keys Tab
expect_screen 'Memory pane' '\[Memory\]' 'header of #1 at 0x[0-9a-f]+ \(48 bytes\)' '\+010 +[0-9a-f]{16} .*dirPtr: heap'
tui_keys Tab
expect_screen 'Code pane' '\[Code\]' '=> 0x[0-9a-f]+ ' 'registers of thread [0-9]+' 'rip +0x'
tui_keys 1
expect_screen 'Header pane again' '\[Header\]' 'verdict +dangling'

# Follow the unmapped group pointer of the reason (the "why" line, shown
# once: a single reason has no list of its own below the fields).
tui_keys g
expect_screen 'the first line again' '>#[0-9]+ '
grep -q '^| *more reasons\|^| *reasons' screen.txt && fail "the only reason is listed twice"
cursor_to 'move to the reason' '^.*>why ' 4
tui_keys Enter
expect_screen 'follow a dangling pointer' '\[Memory\]' 'groups -> 0x[0-9a-f]+ \(unmapped\)' \
	'not in core: unmapped; the nearest mapping' 'Backspace goes back'
tui_keys BSpace
expect_screen 'back from the pointer' '\[Header\]' 'verdict +dangling'
# Follow dirPtr: memory of the heap object holding the directory.
tui_keys g
expect_screen 'the first line' '>#[0-9]+ '
cursor_to 'move to dirPtr' '^.*>dirPtr ' 12
tui_keys Enter
expect_screen 'follow dirPtr' '\[Memory\]' 'dirPtr -> 0x[0-9a-f]+ \(heap\)' '\+000 +[0-9a-f]{16}'
tui_keys BSpace BSpace
expect_screen 'back to the list' ">  *[0-9]+ dangling +$first"

# Search: a suspect, then a map judged ok, which shows them all.
tui_keys / "$second" Enter
expect_screen 'search a suspect' "match 1 of 1" ">  *[0-9]+ dangling +$second"
tui_keys / "$okmap" Enter
expect_screen 'search an ok map' "matches maps judged ok" ">  *[0-9]+ ok +$okmap" 'maps: all [0-9]+'
tui_keys / nosuchmapanywhere Enter
expect_screen 'search without match' "no map matches 'nosuchmapanywhere'"
tui_keys a
expect_screen 'suspects only again' 'maps: 2 suspects of' 'showing the 2 suspects'
tui_keys s
expect_screen 'sort' 'sorted by module' 'by module'

tui_keys '?'
expect_screen 'help' 'keys' 'move down' 'follow the pointer' 'j/k scroll'
tui_keys x
refute_screen 'help closed' 'follow the pointer on the line'

tm resize-window -t ms -x 80 -y 24
# Narrow: the detail box starts a line of its own, under the list.
expect_screen 'resize to 80x24' 'maps: 2 suspects of' '^[^ ]{1,8} #[0-9]+ \[Header\]' 'q quit'
side_by_side && fail "80x24: list above the detail"
tui_keys j
expect_screen '80x24 usable' ">  *[0-9]+ dangling +" 'verdict +dangling'
tm resize-window -t ms -x 100 -y 30
expect_screen 'resize to 100x30' 'maps: 2 suspects of.*#[0-9]+ \[Header\]'

tui_keys q
expect_exit_status 0

# Without colour: NO_COLOR, then a terminal that has none.
tui_start 100 30 NO_COLOR=1 -- --exe "$exe" "$core"
expect_screen 'NO_COLOR open' "dangling +$first"
screen_has_colour && fail "NO_COLOR: no colour"
tui_keys q
expect_exit_status 0
if [ -f /lib/terminfo/v/vt100 ] || [ -f /usr/share/terminfo/v/vt100 ]; then
	tui_start 100 30 TERM=vt100 -- --exe "$exe" "$core"
	expect_screen 'monochrome open' "dangling +$first" '\[Header\]'
	screen_has_colour && fail "vt100: no colour"
	tui_keys q
	expect_exit_status 0
fi
exit 0
