#!/bin/sh
# mapsleuth tui outside a UTF-8 locale (LC_ALL=C) draws ASCII only, under
# tmux at 80x24, 120x40 and 200x60 and with --dump: box lines as '-', '|'
# and '+' (never VT100 letters such as "lqqk" nor '?'), the ellipsis of a
# long value as "...", and any other character of a name or value as its
# escape (\u00e9), the line wrapped so that the escape shows whole. In a
# UTF-8 locale the same value keeps its characters (U+2026, U+00E9).
# Corpus: corpus/hostile (main.gEscapes holds "long": 100 digits and an e
# with an acute accent;
# regenerate with bash corpus/hostile/gen/regen.sh).
. "$abs_srcdir/tui/tui-subr.sh"

testcase hostile go1.26
opts="--exe $case_dir/hostile $case_dir/core"
# Nothing but ASCII on the screen.
ascii_only()
{
	LC_ALL=C grep -n '[^ -~]' "$1" && { cat "$1"; fail "$2: bytes other than ASCII on the screen"; }
	grep -n 'lqq\|qqk\|mqq\|qqj' "$1" && { cat "$1"; fail "$2: VT100 line letters on the screen"; }
	return 0
}

for size in 80x24 120x40 200x60; do
	cols=${size%x*} rows=${size#*x}
	tui_start "$cols" "$rows" LC_ALL=C LANG=C -- $opts
	expect_screen "ASCII box at $size" '^\+- maps: all [0-9]+ \(0 suspects\) -+\+' '^\|[> ] +1 ok '
	ascii_only screen.txt "start at $size"
	tui_keys a / g E s c a p e s Enter Enter 3
	expect_screen "entries at $size" '\[Entries\]' '"long": "0123456789[0-9]*\.\.\.[0-9]+' \
		'\\u00e9"' '"bidi-\\u202etxt\.exe"'
	ascii_only screen.txt "entries at $size"
	tui_keys q
	expect_exit_status 0
done

# --dump follows the locale as the screen does.
keys='a/gEscapes<Enter><Enter>3'
LC_ALL=C "$MAPSLEUTH" tui --dump --keys "$keys" $opts > c.txt
ascii_only c.txt "--dump in LC_ALL=C"
grep -q '\\u00e9"' c.txt || { cat c.txt; fail "--dump in LC_ALL=C: no \\u00e9"; }
utf8=$(locale -a 2>/dev/null | grep -i -m 1 '^c\.utf-\?8$' || true)
if [ -n "$utf8" ]; then
	LC_ALL=$utf8 "$MAPSLEUTH" tui --dump --keys "$keys" $opts > utf8.txt
	ell=$(printf '\342\200\246') eacute=$(printf '\303\251')
	grep -q "[0-9]$ell[0-9].*9$eacute\"" utf8.txt ||
		{ cat utf8.txt; fail "--dump in $utf8: the value is not drawn as it is"; }
else
	echo "no C.UTF-8 locale: the UTF-8 drawing is not compared"
fi
exit 0
