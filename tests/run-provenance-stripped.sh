#!/bin/sh
# Provenance without symbols or DWARF: in a stripped clean case the scan has
# no typed roots, so `show` finds the module word holding a map's header
# and the code referencing it, named from the pclntab. Both must be what the
# unstripped twin (same code, its own core) says of the same global, and a
# scan of a core with nothing wrong sweeps no code.
# Corpus: corpus/clean (bash corpus/clean/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"
. "$abs_srcdir/provenance-subr.sh"

# Globals of main that hold a map themselves: their slot is the variable.
VARS="main.gStrInt main.gIntStr main.gBoolStr"

n=0
for tc in go1.19-stripped go1.26-stripped; do
	[ -d "$CORPUS/clean/$tc" ] && [ -d "$CORPUS/clean/${tc%-stripped}" ] || continue
	testcase clean "${tc%-stripped}"
	twin=$case_dir
	testcase clean "$tc"
	exe_name=clean
	for v in $VARS; do
		# The twin: the variable's address and the code naming it.
		case_dir=$twin
		header=$(truth_member "$v" header)
		[ -n "$header" ] || fail "$twin: no $v in the truth"
		show_json "$header"
		want_addr=$(json_str "$(prov_head "$(cat show.json)")" variable_address)
		p=$(prov_part "$(cat show.json)")
		xref_functions "$p" > want
		[ -s want ] && [ -n "$want_addr" ] || fail "$twin: $v: no variable or code references: $p"
		# The stripped core: the same word holds the header, the same
		# functions refer to it.
		case_dir=$test_dir/clean-$tc
		header=$(truth_member "$v" header)
		show_json "$header"
		p=$(prov_part "$(cat show.json)")
		printf '%s\n' "$p" | grep -q "\"holders\":\\[[^]]*\"address\":\"$want_addr\"" ||
			fail "$case_dir: $v: the word $want_addr is not among the holders: $p"
		xref_functions "$p" > got
		diff -u want got || fail "$case_dir: $v: other code references than the twin's"
		echo "$case_dir: $v held at $want_addr, referenced by $(cut -d' ' -f2 got | tr '\n' ' ')"
		n=$((n + 1))
	done
	# Nothing is wrong: no map had its code references looked for.
	run_scan
	! grep -q '"xrefs":\[' scan.json || fail "$case_dir: code swept though no map is suspect"
	rm -f "$twin/core" "$case_dir/core"
done
[ $n -gt 0 ] || skip "no stripped clean case with its twin in the corpus"
exit 0
