#!/bin/sh
# mapsleuth tui end to end under tmux on corpus/plugins/go1.19 (classic maps
# in two Go plugins: geo.Zones foreign, auth.Tokens dangling, main.gCities an
# alias of geo.Cities; regenerate with corpus/plugins/gen/regen.sh): the
# modules and pluginpaths, following a foreign pointer into geo.so, the
# alias in the Roots pane, the code references to it (main.main, and the
# geo plugin's getter through its GOT) and following the getter's to its
# instruction, decoded entries, resize, quit.
. "$abs_srcdir/tui/tui-subr.sh"

testcase plugins go1.19
truth_maps > truth.txt
foreign=$(awk '$2 == "foreign" { print $6; exit }' truth.txt)
dangling=$(awk '$2 == "dangling" { print $6; exit }' truth.txt)
[ -n "$foreign" ] && [ -n "$dangling" ] || fail "truth.json: no foreign and dangling maps"
fheader=$(awk -v n="$foreign" '$6 == n { print $1 }' truth.txt)
# The foreign map's bad pointer, as the program recorded it.
fptr=$(awk -v want="$fheader" '
	/^      "header": / { cur = $2; gsub(/[",]/, "", cur) }
	/^          "pointer": / && cur == want { p = $2; gsub(/[",]/, "", p); print p; exit }
	' "$case_dir/truth.json")
[ -n "$fptr" ] || fail "truth.json: no bad pointer for $foreign"
# The geo plugin's function that returns its map, from the case's source.
getter=$(sed -n 's/^func \(Get[A-Za-z]*\)() map\[.*/\1/p' \
	"$abs_top_srcdir/corpus/plugins/gen/geo/"*.go | head -n 1)
[ -n "$getter" ] || fail "no getter in corpus/plugins/gen/geo"
# Names end with Package.Var; the list may cut the start of long paths.
short() { echo "$1" | sed 's|.*/||; s|\.|\\.|g'; }

tui_start 100 30 -- --exe "$case_dir/plugins" --solib-search "$case_dir" "$case_dir/core"
expect_screen open 'maps: 2 suspects of [0-9]+' 'go1\.19' 'classic' \
	"dangling +[^ ]*$(short "$dangling")" "foreign +[^ ]*$(short "$foreign")"

# Move to the foreign map and open it.
tui_keys j
expect_screen 'move to the foreign map' ">  *[0-9]+ foreign " "#[0-9]+ $foreign "
tui_keys Enter
expect_screen 'its header' 'verdict +foreign' "buckets +$fptr +module image +foreign" \
	'\.[a-z]*data of geo\.so'
tui_keys 2
expect_screen 'its roots' '\[Roots\]' 'module +geo\.so +plugin' ' example\.com/corpus/plugins/geo +.$' \
	'slot 0x[0-9a-f]+ in geo\.so, plugin'

# Follow buckets: into geo.so's data.
tui_keys 1 g
expect_screen 'the Header pane' '\[Header\]' 'verdict +foreign'
cursor_to 'move to buckets' '^.*>buckets ' 12
tui_keys Enter
expect_screen 'follow the foreign pointer' '\[Memory\]' "buckets -> $fptr \\(geo\\.so \\." '\+000 +[0-9a-f]{16}'
tui_keys BSpace
expect_screen 'back' '\[Header\]' 'verdict +foreign'

# An ok map held by two variables: the search shows all maps, Roots both.
tui_keys Escape / Cities Enter
expect_screen 'search an aliased map' 'matches maps judged ok' '>  *[0-9]+ ok +.*Cities'
tui_keys 2
expect_screen 'the alias' 'aliases' ' main\.gCities +.$' ' example\.com/corpus/plugins/geo\.Cities +.$'
expect_screen 'its code references' 'code references \([0-9]+\)' ' plugins!main\.main\+0x[0-9a-f]+ '

# Follow the getter's reference to its code, and come back.
tui_keys Enter
cursor_to "move to the $getter reference" "> +geo\\.so!.*\\.$getter\\+0x"
# Its instruction, on the next line: Enter follows from either.
tui_keys j
expect_screen "the $getter reference" 'via the GOT slot' \
	'> +mov [a-z0-9]+, qword ptr \[rip \+ 0x[0-9a-f]+\]  \(via the GOT slot'
insn=$(sed -n 's/.*> *\(mov [^]]*\]\)  (via.*/\1/p' screen.txt | sed 's/[]+*.[]/\\&/g')
[ -n "$insn" ] || { cat screen.txt; fail "no instruction under the $getter reference"; }
tui_keys Enter
expect_screen "follow $getter's reference" '\[Code\]' "$getter\\+0x0:" ">=> 0x[0-9a-f]+  $insn"
tui_keys BSpace
expect_screen 'back to the reference' '\[Roots\]' "> +$insn  \\(via the GOT"

tui_keys 3
expect_screen 'entries' '\[Entries\]' '4 live entries' '"paris": 75' '"brest": 29'

tm resize-window -t ms -x 80 -y 24
expect_screen 'resize to 80x24' '^[^ ]{1,8} #[0-9]+ .*\[Entries\]' '"paris": 75' 'q quit'
tui_keys q
expect_exit_status 0
exit 0
