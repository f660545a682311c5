#!/bin/sh
# Binaries without DWARF get the built-in map layout for their Go version,
# and it must be the layout their DWARF would have given: the corpus's
# -stripped toolchains (linked with -ldflags='-s -w') against their
# unstripped twins, and every other corpus executable with its DWARF removed
# here (eu-strip), which covers each toolchain and GOEXPERIMENT=noswissmap.
# The map types of a stripped executable come from the runtime type
# descriptors in the file: every type the program recorded (%T) is listed,
# laid out as its twin's DWARF lays it out (sizes, group or bucket offsets
# and strides, indirection; split groups for GOEXPERIMENT=mapsplitgroup).
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

# A map type's layout, whatever its source.
lay='def lay: {k: .key.size, e: .elem.size, ik: .indirect_key, ie: .indirect_elem,
	g: (.group_size // .bucket_size), kb: .key_base, ks: .key_stride, eb: .elem_base,
	es: .elem_stride, s: .slots, ko: .keys_offset, vo: .values_offset,
	eo: .elems_offset, oo: .overflow_offset};'

compared=0 types=0
for ct in $(corpus_cases clean) $(corpus_cases plugins) $(corpus_cases unmapped | grep splitgroup); do
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
		jq -e '.source == "built-in" and .dwarf == false and
			.map_types_from == "runtime type descriptors"' stripped.json > /dev/null ||
			fail "$ct: a binary without DWARF should say built-in, types from descriptors: $(head -c 300 stripped.json)"
		jq -e '.go_version != null' stripped.json > /dev/null || fail "$ct: no Go version"
		testcase "$c" "$twin"
		layout_of "$case_dir/$c" twin.json
		[ "$(shape stripped.json)" = "$(shape twin.json)" ] ||
			fail "$ct: built-in layout differs from $twin's DWARF: $(shape stripped.json) vs $(shape twin.json)"
		jq -r '[.maps[] | select(.header != "0x0") | .type] | unique | .[]' \
			"$CORPUS/$ct/truth.json" > types
		[ -s types ] || fail "$ct: the truth records no map type"
		while read -r t; do
			got=$(jq -c --arg t "$t" "$lay"' [.map_types[] | select(.name == $t) | lay] | first' stripped.json)
			want=$(jq -c --arg t "$t" "$lay"' [.map_types[] | select(.name == $t) | lay] | first' twin.json)
			[ "$got" != null ] || fail "$ct: recorded type $t not among the descriptors' map types"
			[ "$want" != null ] || fail "$twin: recorded type $t not in the DWARF"
			[ "$got" = "$want" ] || fail "$ct: $t laid out $got, the DWARF says $want"
			types=$((types + 1))
		done < types
		"$MAPSLEUTH" layout "$exe" > stripped.txt
		grep -q "^map types: [1-9][0-9]*, from the runtime type descriptors" stripped.txt ||
			fail "$ct: the text does not list the map types: $(grep '^map types' stripped.txt)"
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
echo "compared $compared layouts; $types recorded map types of stripped executables as their twins' DWARF lays them out"
exit 0
