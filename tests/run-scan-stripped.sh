#!/bin/sh
# Stripped binaries (-ldflags='-s -w': no symbols, no DWARF) typed from the
# runtime's own type descriptors. For every stripped case of the corpus,
# each map the program recorded is found; every package-level map variable
# that holds entries (held_by "global", count > 0) is declared by an unnamed
# word, typed with the truth's type (%T) from the runtime's descriptors and
# the code using it, and the decoded entries of those judged ok include the
# truth's samples. A stripped plugin keeps the dynamic symbols of its
# exported variables (and an executable that loads plugins those of its
# own): those words come back with the truth's name.
# No map is typed wrongly: a map that several types fit stays map[?]? (it
# is printed). The share of the truth's maps typed right is printed.
# Corpus: every <case>/<tc>-stripped (bash corpus/<case>/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"
command -v jq > /dev/null || skip "jq not installed"

n_cases=0 all=0 right=0 n_dynsym=0
for ct in $(corpus_cases | grep -- '-stripped$'); do
	testcase "${ct%/*}" "${ct#*/}"
	exe_name=$(jq -r .exe "$case_dir/truth.json")
	run_scan
	jq -r '.maps[] | select(.header != "0x0") |
		[.header, .held_by, (.count | tostring), .verdict, .type, .name] | @tsv' \
		"$case_dir/truth.json" > truth.tsv
	c_all=0 c_right=0
	while IFS="$(printf '\t')" read -r header held count verdict type name; do
		c_all=$((c_all + 1))
		got=$(jq -r --arg h "$header" '.maps[] | select(.header == $h) |
			[.type, (.roots[0].unnamed // false | tostring), (.confidence | tostring),
			 .roots[0].symbol // "", .roots[0].section // ""] | @tsv' scan.json)
		[ -n "$got" ] || fail "$case_dir: $name ($header) not found"
		gtype=$(printf '%s\n' "$got" | cut -f1)
		if [ "$gtype" = "$type" ]; then
			c_right=$((c_right + 1))
		elif [ "$gtype" = "map[?]?" ]; then
			echo "$case_dir: $name: $type comes back untyped (confidence $(printf '%s\n' "$got" | cut -f3))"
		else
			fail "$case_dir: $name typed $gtype, truth says $type"
		fi
		[ "$held" = global ] && [ "$count" -gt 0 ] || continue
		[ "$gtype" = "$type" ] || fail "$case_dir: global $name typed $gtype, truth says $type"
		# An unnamed word, or one a dynamic symbol names (a plugin's
		# exported variable, the variables of an executable that loads
		# plugins): then by the truth's name. A section either way.
		if [ "$(printf '%s\n' "$got" | cut -f2)" != true ]; then
			[ "$(printf '%s\n' "$got" | cut -f4)" = "$name" ] ||
				fail "$case_dir: global $name declared by '$(printf '%s\n' "$got" | cut -f4)'"
			n_dynsym=$((n_dynsym + 1))
		fi
		[ -n "$(printf '%s\n' "$got" | cut -f5)" ] ||
			fail "$case_dir: global $name: its word has no section"
		[ "$verdict" = ok ] || continue
		truth_samples "$header" > samples
		[ -s samples ] || continue
		"$MAPSLEUTH" show --json --limit 100000 --exe "$case_dir/$exe_name" \
			--solib-search "$case_dir" "$case_dir/core" "$header" > show.json 2>&1 || true
		while read -r s; do
			grep -qF "$s" show.json ||
				fail "$case_dir: $name: entry $s not among the decoded entries"
		done < samples
	done < truth.tsv
	echo "$case_dir: $c_right of $c_all recorded maps typed as recorded"
	all=$((all + c_all)) right=$((right + c_right)) n_cases=$((n_cases + 1))
	rm -f "$case_dir/core"
done
[ $n_cases -gt 0 ] || skip "no stripped case in the corpus"
echo "stripped: $right of $all recorded maps typed as recorded ($((100 * right / all))%) in $n_cases cases; $n_dynsym globals named by dynamic symbols"
# The stripped plugins case: each plugin's map variables named and typed.
if [ -d "$CORPUS/plugins/go1.27-stripped" ]; then
	[ $n_dynsym -ge 5 ] || fail "plugins/go1.27-stripped: $n_dynsym plugin globals named, want the 5 with entries"
fi
exit 0
