#!/bin/sh
# mapsleuth tui under tmux at 80x24, 120x40 and 200x60 on corpus/plugins/go1.26
# (geo.Zones foreign into geo's Marker, auth.Tokens dangling; regenerate
# with corpus/plugins/gen/regen.sh): the type and module columns at every
# size, the verdict's reason at the top of the Header pane, every header
# word of the Memory pane labelled, l and Right following as Enter does,
# y copying an address (printed again on exit), what a foreign pointer
# leads to in the Entries pane; the status line cut between words
# (crash/go1.26) and a gcore dump said to be one (clean/go1.26-gcore).
. "$abs_srcdir/tui/tui-subr.sh"

testcase plugins go1.26
truth_maps > truth.txt
foreign=$(awk '$2 == "foreign" { print $6; exit }' truth.txt)
dangling=$(awk '$2 == "dangling" { print $6; exit }' truth.txt)
[ -n "$foreign" ] && [ -n "$dangling" ] || fail "truth.json: no foreign and dangling maps"
ftype=$(sed -n "/\"name\": \"$(echo "$foreign" | sed 's|/|\\/|g')\"/,/\"type\"/s/^      \"type\": \"\\(.*\\)\",\$/\\1/p" \
	"$case_dir/truth.json" | sed 's/[][*.]/\\&/g')
[ -n "$ftype" ] || fail "truth.json: no type for $foreign"
short() { echo "$1" | sed 's|.*/||; s|\.|\\.|g'; }
opts="--exe $case_dir/plugins --solib-search $case_dir $case_dir/core"

for size in 80x24 120x40 200x60; do
	cols=${size%x*} rows=${size#*x}
	tui_start "$cols" "$rows" -- $opts
	# The list: name, type and module of each suspect.
	expect_screen "list at $size" "foreign +[^ ]*$(short "$foreign") +$ftype +geo\\.so " \
		"dangling +[^ ]*$(short "$dangling") +map\\[[^ ]* +auth\\.so "
	# The reason right under the verdict, before the header fields.
	expect_screen "reason at $size" 'verdict +dangling' \
		'why +dirPtr 0x[0-9a-f]+: unmapped, just past'
	awk '/verdict +dangling/ { v = NR } /why +dirPtr/ { w = NR } /used +[0-9]/ { u = NR }
		END { exit !(v && w == v + 1 && u > w) }' screen.txt ||
		{ cat screen.txt; fail "at $size the reason is not right under the verdict"; }
	tui_keys q
	expect_exit_status 0
done

# At 80x24: the Memory pane names every word of the header.
tui_start 80 24 -- $opts
expect_screen start 'maps: 2 suspects'
tui_keys l 4
expect_screen 'Memory pane' '\[Memory\]' '\+000 +[0-9a-f]{16} .* used' '\+008 .* seed' \
	'\+010 .* dirPtr' '\+018 .* dirLen' '\+020 .* globalDepth [0-9]+  globalShift [0-9]+  writing [0-9]+' \
	'\+028 .* clearSeq'
# Right on dirPtr follows it, as Enter does (h/Left come back).
tui_keys 1
cursor_to 'move to dirPtr' '^.*>dirPtr ' 14
tui_keys Right
expect_screen 'Right follows dirPtr' '\[Memory\]' 'dirPtr -> 0x[0-9a-f]+ \(unmapped\)'
tui_keys Left
expect_screen 'Left comes back' '\[Header\]'
# y copies the pointer under the cursor: to tmux's buffers through OSC 52
# (set-clipboard on), and printed again on exit (seen with --dump).
tm set-option -s set-clipboard on >/dev/null
tui_keys y
expect_screen 'y copies' 'copied 0x[0-9a-f]+ \(dirPtr\)'
addr=$(sed -n 's/.*copied \(0x[0-9a-f]*\) (dirPtr).*/\1/p' screen.txt | head -n 1)
i=0
while [ "$(tm show-buffer 2>/dev/null)" != "$addr" ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(tm show-buffer 2>/dev/null)" = "$addr" ] ||
	fail "OSC 52 did not reach tmux: buffer '$(tm show-buffer 2>/dev/null)', want $addr"
tui_keys q
expect_exit_status 0
"$MAPSLEUTH" tui --keys 'l1jjjjjjjjy' --dump $opts > dump.txt
grep -q '^copied 0x[0-9a-f]*$' dump.txt || { cat dump.txt; fail "the copied address is not printed on exit"; }

# Entries of the foreign map: what its pointer leads to, not map memory.
tui_start 80 24 -- $opts
expect_screen start 'maps: 2 suspects'
tui_keys j Enter 3
expect_screen 'foreign entries' '\[Entries\]' 'leads to' 'map memory; what is there' '\+000 +[0-9a-f]{16}'
tui_keys q
expect_exit_status 0

# The crash's status line is longer than 80 columns: cut between words.
testcase crash go1.26
tui_start 80 24 -- --exe "$case_dir/crash" "$case_dir/core"
expect_screen start 'SIGSEGV'
tui_keys c
expect_screen 'crash status' '^ crash: '
line=$(grep '^ crash: ' screen.txt)
case "$line" in
*[!\ ]~|*[!\ ]…) ;;
*) fail "the status line is not cut between words: '$line'" ;;
esac
tui_keys q
expect_exit_status 0

testcase clean go1.26-gcore
tui_start 100 30 -- --exe "$case_dir/clean" "$case_dir/core"
expect_screen 'gcore title' 'gcore dump \(no signal\)'
tui_keys q
expect_exit_status 0
exit 0
