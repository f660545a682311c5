#!/bin/sh
# Provenance without symbols or DWARF: in a stripped case the words of the
# module's data and bss that the linker's pointer masks mark as pointers
# and that hold a map header become unnamed roots. For each global of the
# truth that holds a map itself, the stripped core's map must be declared
# by the same word as the unstripped twin's variable (same link, same
# address), be said to have no recoverable name, have the truth's package
# (from the code using it), and be referenced by the same functions as the
# twin's variable. The dangling maps of the stripped unmapped cases are
# named that way in the scan's report too. A scan of a core with nothing
# wrong sweeps no code. Maps one step from such a word (clean's
# main.gSlice[i], *main.gMapPtr) are rooted at the twin's variable's word,
# as ".bss ADDR -> [i]" and "*(.bss ADDR)". The GOEXPERIMENT=mapsplitgroup
# twin (unmapped/go1.27-splitgroup-stripped) is checked the same way, and
# its version is detected with its experiment.
# Corpus: corpus/clean, corpus/unmapped (bash corpus/CASE/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"
. "$abs_srcdir/provenance-subr.sh"
command -v jq > /dev/null || skip "jq not installed"

n=0
for ct in clean/go1.19-stripped clean/go1.26-stripped clean/go1.27-stripped \
	unmapped/go1.19-stripped unmapped/go1.26-stripped unmapped/go1.27-stripped \
	unmapped/go1.27-splitgroup-stripped; do
	c=${ct%%/*} tc=${ct#*/}
	[ -d "$CORPUS/$ct" ] && [ -d "$CORPUS/$c/${tc%-stripped}" ] || continue
	case $c in
	clean) VARS="main.gStrInt main.gIntStr main.gBoolStr" ;;
	unmapped) VARS="main.gNames main.gVictimA main.gVictimB" ;;
	esac
	testcase "$c" "${tc%-stripped}"
	twin=$case_dir
	testcase "$c" "$tc"
	exe_name=$c
	for v in $VARS; do
		# The twin: the variable's address and the code naming it.
		case_dir=$twin
		header=$(truth_member "$v" header)
		[ -n "$header" ] || fail "$twin: no $v in the truth"
		show_json "$header"
		want_addr=$(jq -r '.map.provenance.variable_address' show.json)
		jq -r '.map.provenance.xrefs[] | .module + " " + (.function | sub("\\+0x[0-9a-f]+$"; ""))' \
			show.json > want
		[ -s want ] && [ "$want_addr" != null ] || fail "$twin: $v: no variable or code references"
		# The stripped core: an unnamed root at the same word, the
		# truth's package, the same functions referring to it.
		case_dir=$test_dir/$c-$tc
		header=$(truth_member "$v" header)
		pkg=$(truth_member "$v" package)
		show_json "$header"
		got=$(jq -r '.map.provenance | [.unnamed, .variable_address, .package, .variable] | @tsv' show.json)
		[ "$got" = "$(printf 'true\t%s\t%s\t' "$want_addr" "$pkg")" ] ||
			fail "$case_dir: $v: declared by '$got', want an unnamed word at $want_addr of package $pkg"
		jq -r '.map.provenance.xrefs[] | .module + " " + (.function | sub("\\+0x[0-9a-f]+$"; ""))' \
			show.json > got
		diff -u want got || fail "$case_dir: $v: other code references than the twin's"
		"$MAPSLEUTH" show --exe "$case_dir/$exe_name" "$case_dir/core" "$header" > show.txt 2>&1 || true
		grep -q "its name is not recoverable" show.txt ||
			fail "$case_dir: $v: show does not say the name is lost: $(cat show.txt)"
		echo "$case_dir: $v: unnamed word $want_addr of package $pkg, used by $(cut -d' ' -f2 got | sort -u | tr '\n' ' ')"
		n=$((n + 1))
	done
	# The version as recorded, experiments included.
	want=$(jq -r .toolchain "$case_dir/truth.json")
	"$MAPSLEUTH" info --json --exe "$case_dir/$exe_name" "$case_dir/core" > info.json 2>&1 || true
	got=$(jq -r '.go.version_full' info.json)
	[ "$got" = "$want" ] || fail "$case_dir: version $got, the program says $want"
	case $want in
	*X:mapsplitgroup*)
		jq -e '.go.experiments == "mapsplitgroup"' info.json > /dev/null ||
			fail "$case_dir: mapsplitgroup not among the experiments"
		"$MAPSLEUTH" layout "$case_dir/$exe_name" > layout.txt
		grep -q "^groups: ctrl, keys\[8\], elems\[8\] (GOEXPERIMENT=mapsplitgroup)" layout.txt ||
			fail "$case_dir: layout does not give split groups"
		;;
	esac
	if [ "$c" = clean ]; then
		# One step from a word: a slice's elements and a pointee.
		for v in 'main.gSlice[0]' 'main.gSlice[1]' 'main.gSlice[2]' 'main.gSlice[3]' '*main.gMapPtr'; do
			case_dir=$twin
			show_json "$(truth_member "$v" header)"
			addr=$(jq -r '.map.provenance.variable_address' show.json)
			case_dir=$test_dir/$c-$tc
			header=$(truth_member "$v" header)
			[ -n "$header" ] || fail "$case_dir: no $v in the truth"
			case $v in
			'*'*) want="unnamed *(.bss $addr)" ;;
			*) want="unnamed .bss $addr -> [${v#*[}" want=${want%]}] ;;
			esac
			show_json "$header"
			got=$(jq -r '.map.provenance | [.symbol, .variable_address, (.unnamed | tostring)] | @tsv' show.json)
			[ "$got" = "$(printf '%s\t%s\ttrue' "$want" "$addr")" ] ||
				fail "$case_dir: $v rooted as '$got', want '$want' at $addr"
			"$MAPSLEUTH" show --exe "$case_dir/$exe_name" "$case_dir/core" "$header" > show.txt 2>&1 || true
			grep -q "from the word at $addr in $c \.bss" show.txt ||
				fail "$case_dir: $v: show does not give the word: $(grep -A2 '^provenance' show.txt)"
			echo "$case_dir: $v: ${want#unnamed }"
			n=$((n + 1))
		done
	fi
	run_scan
	if [ "$c" = clean ]; then
		# Nothing is wrong: no map had its code references looked for.
		! grep -q '"xrefs":\[' scan.json || fail "$case_dir: code swept though no map is suspect"
	else
		# The text report names each dangling map by its word and the
		# code using it, within 80 columns.
		(cd "$case_dir" && "$MAPSLEUTH" scan --exe "$exe_name" core) > scan.txt 2>&1 || true
		for v in main.gVictimA main.gVictimB; do
			slot=$(jq -r --arg h "$(truth_member "$v" header)" \
				'.maps[] | select(.header == $h) | .roots[0].address' scan.json)
			grep -q "dangling .*\.bss $slot ($c)" scan.txt ||
				fail "$case_dir: $v not named by its word $slot: $(cat scan.txt)"
			grep -A3 "\.bss $slot ($c)" scan.txt | grep -q "used by main\.main (main\.go:" ||
				fail "$case_dir: $v: no 'used by main.main (main.go:N)' line"
		done
		awk 'length($0) > 80 { exit 1 }' scan.txt || fail "$case_dir: report wider than 80 columns"
	fi
	rm -f "$twin/core" "$case_dir/core"
done
[ $n -gt 0 ] || skip "no stripped clean or unmapped case with its twin in the corpus"
exit 0
