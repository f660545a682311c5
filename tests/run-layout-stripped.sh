#!/bin/sh
# Binaries without DWARF get the built-in map layout for their Go version,
# and it must be the layout their DWARF would have given: the corpus's
# -stripped toolchains (linked with -ldflags='-s -w') against their
# unstripped twins, and every other corpus executable with its DWARF removed
# here (eu-strip), which covers each toolchain and GOEXPERIMENT=noswissmap.
. "$abs_srcdir/test-subr.sh"

command -v jq > /dev/null || skip "jq not installed"
STRIP=$(command -v eu-strip || command -v strip || true)

# The header structs, without type names (the built-in tables name some
# pointer types differently).
shape()
{
	jq -c '{impl, groups, structs: [.structs[] | {name, size,
		fields: [.fields[] | {name, offset, size}]}]}' "$1"
}

layout_of()
{
	# $1 binary, $2 output JSON; the binary must lay out without error
	rc=0
	"$MAPSLEUTH" layout --json "$1" > "$2" 2> err.out || rc=$?
	[ $rc -eq 0 ] || fail "layout $1 exited $rc: $(cat err.out)"
}

compared=0
for ct in $(corpus_cases clean) $(corpus_cases plugins); do
	c=${ct%%/*}
	tc=${ct#*/}
	testcase "$c" "$tc"
	exe="$case_dir/$c"
	[ -f "$exe" ] || fail "$ct: no executable $c"
	case $tc in
	*-stripped)
		twin=${tc%-stripped}
		[ -d "$CORPUS/$c/$twin" ] || { rm -rf "$case_dir"; continue; }
		layout_of "$exe" stripped.json
		jq -e '.source == "built-in" and .dwarf == false and .map_types == null' \
			stripped.json > /dev/null ||
			fail "$ct: a binary without DWARF should say built-in: $(head -c 300 stripped.json)"
		jq -e '.go_version != null' stripped.json > /dev/null || fail "$ct: no Go version"
		testcase "$c" "$twin"
		layout_of "$case_dir/$c" twin.json
		[ "$(shape stripped.json)" = "$(shape twin.json)" ] ||
			fail "$ct: built-in layout differs from $twin's DWARF: $(shape stripped.json) vs $(shape twin.json)"
		compared=$((compared + 1))
		;;
	*)
		[ -n "$STRIP" ] || { rm -rf "$case_dir"; continue; }
		"$STRIP" -g -o nodwarf "$exe" 2> /dev/null || "$STRIP" --strip-debug -o nodwarf "$exe" ||
			fail "$ct: cannot strip"
		layout_of "$exe" dwarf.json
		layout_of nodwarf nodwarf.json
		jq -e '.source == "built-in"' nodwarf.json > /dev/null ||
			fail "$ct: stripped copy not built-in"
		[ "$(shape nodwarf.json)" = "$(shape dwarf.json)" ] ||
			fail "$ct: built-in layout differs from DWARF: $(shape nodwarf.json) vs $(shape dwarf.json)"
		# The text says where the layout came from.
		"$MAPSLEUTH" layout nodwarf > nodwarf.txt
		grep -q "^built-in layout for go1\.[0-9.]*.* (no DWARF)$" nodwarf.txt ||
			fail "$ct: text does not say where the layout came from"
		compared=$((compared + 1))
		;;
	esac
	rm -rf "$test_dir/$c-"*
done
[ $compared -gt 0 ] || skip "no corpus executables"
echo "compared $compared layouts"
exit 0
