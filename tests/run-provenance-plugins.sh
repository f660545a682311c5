#!/bin/sh
# Provenance on the plugins case: every recorded map's declaring module,
# pluginpath, package and variable are the truth's; main.gCities, the
# executable's copy of geo.Cities, is an alias across modules; the code
# references include the geo function that returns its map (through the
# plugin's GOT, its slot named in show) and main.main for main's globals;
# code is swept only for suspects during a scan.
# Corpus: corpus/plugins (bash corpus/plugins/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"
. "$abs_srcdir/provenance-subr.sh"

# The geo plugin's function that returns its map, from the case's source.
getter=$(sed -n 's/^func \(Get[A-Za-z]*\)() map\[.*/\1/p' \
	"$abs_top_srcdir/corpus/plugins/gen/geo/"*.go | head -n 1)
[ -n "$getter" ] || fail "no getter in corpus/plugins/gen/geo"

plugins_case()
{
	local header verdict count held module name line p got want addr slot n=0
	run_scan
	truth_maps > truth.maps
	while read -r header verdict count held module name; do
		[ "$header" = "0x0" ] && continue
		line=$(scan_map "$header")
		[ -n "$line" ] || fail "$case_dir: $name not found"
		p=$(prov_head "$line")
		[ -n "$p" ] || fail "$case_dir: $name has no provenance: $line"
		got=$(json_str "$p" symbol)
		[ "$got" = "$name" ] || fail "$case_dir: $name declared as '$got'"
		got=$(json_str "$p" module)
		[ "$got" = "$module" ] || fail "$case_dir: $name declared in '$got', truth says $module"
		got=$(json_str "$p" pluginpath)
		want=$(truth_pluginpath "$module")
		[ "$got" = "$want" ] ||
			fail "$case_dir: $name pluginpath '$got', truth says '$want'"
		got=$(json_str "$p" package)
		want=$(truth_member "$name" package)
		[ "$got" = "$want" ] || fail "$case_dir: $name package '$got', truth says '$want'"
		got=$(json_str "$p" variable)
		[ "$got" = "${name##*.}" ] || fail "$case_dir: $name variable '$got'"
		# Only suspects have their code references looked for by scan.
		p=$(prov_part "$line")
		if [ "$verdict" = ok ]; then
			printf '%s\n' "$p" | grep -q '"xrefs":null' ||
				fail "$case_dir: $name is ok, yet the scan swept code for it"
		else
			xref_functions "$p" | grep -q "^$module " ||
				fail "$case_dir: suspect $name: no code reference from $module: $p"
		fi
		n=$((n + 1))
	done < truth.maps

	# The executable's copy of a plugin map: the same map, declared by the
	# plugin, with the copy an alias across modules.
	header=$(awk '$6 ~ /\.Cities$/ { print $1 }' truth.maps)
	truth_aliases "$header" > aliases
	[ -s aliases ] || fail "$case_dir: the truth records no alias of geo.Cities"
	p=$(prov_part "$(scan_map "$header")")
	while read -r alias; do
		printf '%s\n' "$p" |
			grep -q "\"aliases\":\\[.*\"symbol\":\"$alias\",\"module\":\"$exe_name\",[^}]*\"cross_module\":true" ||
			fail "$case_dir: alias $alias not found across modules: $p"
	done < aliases
	"$MAPSLEUTH" scan --all --verbose --exe "$case_dir/$exe_name" --solib-search "$case_dir" \
		"$case_dir/core" > scan.txt 2>&1 || true
	grep -q "declared by .*geo.Cities in geo.so.* held across modules by main.gCities ($exe_name)" scan.txt ||
		fail "$case_dir: the scan does not say who declares geo.Cities"
	# The headline names the declaration and its module, then the alias.
	grep -q "^ *[0-9]* ok  *$header  .*geo.Cities (geo.so)  map" scan.txt ||
		fail "$case_dir: the verbose headline does not lead with geo.Cities"
	"$MAPSLEUTH" scan --all --exe "$case_dir/$exe_name" --solib-search "$case_dir" \
		"$case_dir/core" > brief.txt 2>&1 || true
	grep -q "^ *[0-9]* ok  *$header  .*geo.Cities (geo.so), also main.gCities" brief.txt ||
		fail "$case_dir: the headline does not lead with geo.Cities: $(grep -F "$header" brief.txt)"

	# Code references: the getter loads Cities from its GOT slot; main.main
	# stores the copy.
	show_json "$header"
	p=$(prov_part "$(cat show.json)")
	xref_functions "$p" > xrefs
	cat xrefs
	grep -q "^geo.so example.com/corpus/plugins/geo.$getter+0x" xrefs ||
		fail "$case_dir: no reference from geo's $getter"
	printf '%s\n' "$p" | grep -q "\"function\":\"example.com/corpus/plugins/geo.$getter+0x[0-9a-f]*\",[^}]*\"via\":\"got\"" ||
		fail "$case_dir: $getter does not go through the GOT"
	grep -q "^$exe_name main.main+0x" xrefs || fail "$case_dir: no reference from main.main"
	# show names the operand of the getter's GOT load: its slot, in
	# geo.so's .got (as the crash's code names an operand).
	sed 's/},{/}\n{/g' show.json |
		grep "\"function\":\"example.com/corpus/plugins/geo.$getter+0x[0-9a-f]*\",[^}]*\"via\":\"got\"" |
		sed -n 's/.*"address":"\(0x[0-9a-f]*\)",.*"target":"\(0x[0-9a-f]*\)".*/\1 \2/p' |
		head -n 1 > got.txt
	read -r addr slot < got.txt || fail "$case_dir: no GOT load in $getter"
	"$MAPSLEUTH" show --verbose --exe "$case_dir/$exe_name" --solib-search "$case_dir" \
		"$case_dir/core" "$header" > show.txt 2>&1 || true
	grep -q " $addr: [^;]*  ; $slot [^;]*\.got of geo\.so  \[" show.txt ||
		{ grep -F "$addr" show.txt; fail "$case_dir: the GOT load at $addr does not name its slot $slot in .got of geo.so"; }
	header=$(awk '$6 == "main.gLocal" { print $1 }' truth.maps)
	show_json "$header"
	xref_functions "$(prov_part "$(cat show.json)")" | grep -q "^$exe_name main.main+0x" ||
		fail "$case_dir: main.gLocal: no reference from main.main"
	echo "$case_dir: $n maps with the recorded module, pluginpath, package and variable"
}
for_cases plugins plugins_case
exit 0
