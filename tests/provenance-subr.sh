# Shell functions for tests/run-provenance-*.sh, on top of scan-subr.sh:
# pieces of mapsleuth's one-line JSON, and facts of truth.json.

# prov_part LINE: the map's "provenance" object and what follows it.
prov_part()
{
	printf '%s\n' "$1" | sed -n 's/.*"provenance":{/{/p'
}

# prov_head LINE: the provenance's members before its aliases (json_str
# takes the last match on a line: this leaves the declaring root's only).
prov_head()
{
	prov_part "$1" | sed 's/,"aliases":.*//'
}

# crash_part FILE: the document's "crash" object, up to the maps.
crash_part()
{
	head -n 1 "$1" | sed -n 's/.*"crash":{/{/p' | sed 's/,"maps":.*//'
}

# xref_functions TEXT: "module function" of each code reference in a
# provenance object, one a line.
xref_functions()
{
	printf '%s\n' "$1" | sed 's/.*"xrefs":\[//' |
		grep -o '"function":"[^"]*","module":"[^"]*"' |
		sed 's/"function":"\([^"]*\)","module":"\([^"]*\)"/\2 \1/'
}

# truth_member NAME KEY: a string member of the truth's map NAME.
truth_member()
{
	awk -v want="$1" -v key="$2" '
	function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?[ \t]*$/, "", s); return s }
	/^    \{/ { name = "" }
	/^      "name": / { name = val($0) }
	name == want && $0 ~ "^      \"" key "\": " { print val($0); exit }
	' "$case_dir/truth.json"
}

# truth_pluginpath FILE: the pluginpath the truth records for a module file.
truth_pluginpath()
{
	awk -v want="$1" '
	function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?[ \t]*$/, "", s); return s }
	/^      "file": / { file = val($0) }
	/^      "pluginpath": / && file == want { print val($0); exit }
	' "$case_dir/truth.json"
}

# truth_crash KEY: a member of the truth's crash object.
truth_crash()
{
	sed -n '/^  "crash": {/,/^  }/p' "$case_dir/truth.json" |
		sed -n "s/^    \"$1\": \"\\{0,1\\}\\([^\",]*\\)\"\\{0,1\\},\\{0,1\\}\$/\\1/p"
}

# show_json ADDRESS|ID: mapsleuth show --json of the case into show.json.
show_json()
{
	"$MAPSLEUTH" show --json --limit 0 --exe "$case_dir/$exe_name" \
		--solib-search "$case_dir" "$case_dir/core" "$1" > show.json 2> show.err || true
	grep -q '"schema":"mapsleuth-show/1"' show.json ||
		fail "$case_dir: show $1 printed no document: $(cat show.err)"
}
