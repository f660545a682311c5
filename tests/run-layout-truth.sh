#!/bin/sh
# mapsleuth layout against what the corpus programs observed at run time:
# for every map recorded in truth.json (read from the map's runtime type
# descriptor by the program itself), the bucket size (classic) or group
# size, slot size and element offset (swiss; from 1.27 the group's shape
# and the keys' and elements' base and stride) that 'layout' reports for its
# type in the module that declares it. Runs on every case and toolchain in
# corpus/ (regenerate with corpus/make-case.sh).
. "$abs_srcdir/test-subr.sh"

command -v jq > /dev/null || skip "jq not installed"

# Every map type of the DWARF must also agree with the layout computed from
# its key and element sizes, the fallback for modules whose DWARF lacks the
# linker's bucket and group types.
#
# Go's %T names a type by package name, DWARF by package path: compare
# without the path ("example.com/geo.Key" -> "geo.Key").
check_module()
{
	# $1 truth.json, $2 module file name, $3 layout JSON
	jq -r --arg mod "$2" --slurpfile lay "$3" '
	def norm: gsub("[A-Za-z0-9_.~%-]+/"; "");
	($lay[0].map_types // []) as $types
	| .impl as $impl
	| (if $lay[0].impl != $impl then "impl: truth \($impl), layout \($lay[0].impl)" else empty end),
	  ($types[] | select(.computed_agrees | not) |
		"\(.name): the computed layout (used without the linker types) differs from DWARF"),
	  (.maps[]
	   | select(.module == $mod)
	   | select(.classic.bucket_size != null or .swiss.group_size != null)
	   | . as $m
	   | [$types[] | select((.name | norm) == $m.type)] as $found
	   | if ($found | length) == 0 then
		"\($m.name): no map type \($m.type) in layout"
	     elif $m.classic != null then
		($found[0]) as $t
		| if $t.bucket_size != $m.classic.bucket_size then
			"\($m.name) \($m.type): bucket_size truth \($m.classic.bucket_size), layout \($t.bucket_size)"
		  else empty end
	     elif $m.swiss.slots != null then
		# Go 1.27+: abi.MapType KeysOff/KeyStride/ElemsOff/ElemStride
		# and the group shape (interleaved, or split by mapsplitgroup).
		($found[0]) as $t
		| ($m.swiss | [.group_size, .slots, (.keys_off // 0), (.key_stride // 0),
				(.elems_off // 0), (.elem_stride // 0)]) as $want
		| [$t.group_size, $t.slots, $t.key_base, $t.key_stride, $t.elem_base,
		   $t.elem_stride] as $got
		| if $want != $got then
			"\($m.name) \($m.type): group/slots/keys/elems truth \($want), layout \($got)"
		  else empty end
	     else
		($found[0]) as $t
		| if $t.group_size != $m.swiss.group_size or $t.slot_size != $m.swiss.slot_size or
		     $t.elem_off != $m.swiss.elem_off then
			"\($m.name) \($m.type): group/slot/elem_off truth \($m.swiss.group_size)/\($m.swiss.slot_size)/\($m.swiss.elem_off), layout \($t.group_size)/\($t.slot_size)/\($t.elem_off)"
		  else empty end
	     end)
	' "$1"
}

checked=0
problems=0
for ct in $(corpus_cases); do
	c=${ct%%/*}
	tc=${ct#*/}
	case $tc in *-stripped) continue ;; esac	# run-layout-stripped.sh
	testcase "$c" "$tc"
	for mod in $(jq -r '[.maps[].module] | unique | .[]' "$case_dir/truth.json"); do
		f="$case_dir/$mod"
		[ -f "$f" ] || fail "$ct: module file $mod missing"
		rc=0
		"$MAPSLEUTH" layout --json "$f" > "$case_dir/$mod.layout.json" 2> "$case_dir/err" || rc=$?
		[ $rc -eq 0 ] || fail "$ct: layout $mod exited $rc: $(cat "$case_dir/err")"
		check_module "$case_dir/truth.json" "$mod" "$case_dir/$mod.layout.json" > "$case_dir/problems"
		if [ -s "$case_dir/problems" ]; then
			sed "s|^|$ct $mod: |" "$case_dir/problems"
			problems=$((problems + 1))
		fi
		n=$(jq --arg mod "$mod" '[.maps[] | select(.module == $mod) |
			select(.classic.bucket_size != null or .swiss.group_size != null)] | length' \
			"$case_dir/truth.json")
		checked=$((checked + n))
	done
	rm -rf "$case_dir"
done
[ $checked -gt 0 ] || skip "no corpus case with recorded maps"
[ $problems -eq 0 ] || fail "layouts disagree with the corpus truth"
echo "checked $checked maps"
exit 0
