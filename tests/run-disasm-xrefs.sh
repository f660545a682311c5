#!/bin/sh
# Code references to Go globals over a whole .text with capstone, named
# from the pclntab, and the disassembly around one of them. The sweep's
# time is printed into the test log. Corpus cases: clean
# (bash corpus/clean/gen/regen.sh) and plugins (bash corpus/plugins/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"

TOOL="$abs_top_builddir/tests/helper/ms-pclntab-tool"
require_zstd

# exe CASE TC FILE: decompress one file of a case (not its core) to
# ./CASE-TC-FILE and print that name; skips when the case is absent.
exe()
{
	local src="$CORPUS/$1/$2/$3.zst" out="$test_dir/$1-$2-$3"
	[ -f "$src" ] || skip "corpus case $1/$2 not present"
	[ -f "$out" ] || "$ZSTD" -q -d -f "$src" -o "$out"
	echo "$out"
}

# xrefs FILE SYMBOL: the references, one per line, with the timing on
# stderr going to the log.
xrefs()
{
	"$TOOL" xrefs "$1" "$2" > xrefs.out 2> xrefs.err || { cat xrefs.err; fail "xrefs $2 in $1"; }
	echo "$(basename "$1") $2:"
	sed 's/^/  /' xrefs.out xrefs.err
}

# 1. main.gStrInt is set and read by main.main with RIP-relative operands,
# in a stripped twin too (found through the unstripped twin's address).
for tc in go1.19 go1.26; do
	f=$(exe clean "$tc" clean)
	xrefs "$f" main.gStrInt
	grep -q '^0x[0-9a-f]* main\.[^ ]*+0x[0-9a-f]* rip .*\[rip + 0x[0-9a-f]*\]' xrefs.out ||
		fail "clean/$tc: no RIP-relative reference to main.gStrInt from a main. function"
done
f=$(exe clean go1.19 clean)
s=$(exe clean go1.19-stripped clean)
xrefs "$f" main.gStrInt > /dev/null
addr=$(awk '{ print $4; exit }' xrefs.out)
[ -n "$addr" ] || fail "no address for main.gStrInt"
"$TOOL" xrefs "$s" "$addr" 8 > stripped.out 2> xrefs.err || fail "xrefs in the stripped twin"
cut -d' ' -f2- xrefs.out > want
cut -d' ' -f2- stripped.out > got
cmp -s want got || { diff want got; fail "clean/go1.19-stripped: other references to main.gStrInt"; }
echo "clean/go1.19-stripped: $(wc -l < got) references named from the pclntab alone"

# 2. Plugins reach their globals through the GOT: the plugin function that
# returns its map loads the GOT slot of geo.Cities.
for tc in go1.19 go1.26; do
	f=$(exe plugins "$tc" geo.so)
	xrefs "$f" example.com/corpus/plugins/geo.Cities
	grep -q ' example\.com/corpus/plugins/geo\.GetCities+0x0 got-rip ' xrefs.out ||
		fail "plugins/$tc: GetCities does not load the GOT slot of geo.Cities"
	f=$(exe plugins "$tc" plugins)
	xrefs "$f" main.gCities
	grep -q ' main\.main+0x[0-9a-f]* rip ' xrefs.out ||
		fail "plugins/$tc: main.main does not store main.gCities"
done

# 3. The instructions around one reference: the line at pc is the same
# instruction, with a rip-relative memory operand.
f=$(exe clean go1.26 clean)
xrefs "$f" main.gStrInt
pc=$(awk '{ print $1; exit }' xrefs.out)
text=$(awk '{ $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); print; exit }' xrefs.out)
"$TOOL" window "$f" "$pc" 4 2 > window.out || fail "window at $pc"
cat window.out
[ "$(grep -c '^   0x' window.out)" -eq 6 ] || fail "window: want 4 lines before and 2 after"
line=$(grep "^=> $pc main\.main+0x[0-9a-f]* [0-9a-f]* " window.out) || fail "window: no line at pc"
case "$line" in
*" $text") ;;
*) fail "window: '$line' is not '$text'" ;;
esac
grep -q '^   mem .* base=rip .* rip-relative$' window.out || fail "window: memory operand"
exit 0
