#!/bin/sh
# The command line itself: --version, --help, unknown commands and options.
. "$abs_srcdir/test-subr.sh"

"$MAPSLEUTH" --version > version.out
grep -q '^mapsleuth [0-9]' version.out || fail "--version prints 'mapsleuth VERSION'"

"$MAPSLEUTH" --help > help.out
grep -q '^usage: mapsleuth' help.out || fail "--help prints a usage line"

expect_exit 64 "$MAPSLEUTH"
expect_exit 64 "$MAPSLEUTH" no-such-command
"$MAPSLEUTH" no-such-command 2> err.out || true
[ "$(wc -l < err.out)" -eq 1 ] || fail "an unknown command gives one line of error"
grep -q "^mapsleuth: 'no-such-command' is not a command" err.out || fail "error names the command"

# From a build tree the manual is read with man -l; every help says how
# NO_COLOR and the exit status work.
grep -q 'man -l doc/mapsleuth.1' help.out || fail "--help does not say 'man -l doc/mapsleuth.1'"
for cmd in info layout scan show tui; do
	"$MAPSLEUTH" "$cmd" --help > env-help.out
	grep -q '^environment:' env-help.out && grep -q 'NO_COLOR' env-help.out &&
		grep -q '^exit status:' env-help.out ||
		fail "'$cmd --help' lacks ENVIRONMENT (NO_COLOR) or EXIT STATUS"
done

# Every command listed in --help has its own --help and a section in the man page.
for cmd in $(sed -n '/^commands:/,/^$/p' help.out | awk 'NF>1 && $1 != "commands:" {print $1}'); do
	"$MAPSLEUTH" "$cmd" --help > cmd-help.out || fail "'$cmd --help' fails"
	grep -q "mapsleuth $cmd" cmd-help.out || fail "'$cmd --help' shows its usage"
	grep -q "^\\.SS.*$cmd" "$abs_top_srcdir/doc/mapsleuth.1" || fail "man page lacks a section for '$cmd'"
	# every long option in --help is in the man page
	for opt in $(grep -o -- '--[a-z][a-z-]*' cmd-help.out | sort -u); do
		grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$abs_top_srcdir/doc/mapsleuth.1" ||
			grep -q -- "$opt" "$abs_top_srcdir/doc/mapsleuth.1" ||
			fail "man page lacks option $opt of '$cmd'"
	done
	expect_exit 64 "$MAPSLEUTH" "$cmd" --no-such-option
done
exit 0
