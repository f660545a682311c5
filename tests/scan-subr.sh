# Helpers for tests/run-scan-*.sh: compare `mapsleuth scan --json --all`
# with the truth a corpus program recorded about itself (truth.json,
# written indented by encoding/json: one member per line).

# truth_maps: one line per map the program recorded:
#   HEADER VERDICT COUNT HELD_BY MODULE NAME
truth_maps()
{
	awk '
	function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?[ \t]*$/, "", s); return s }
	function flush() {
		if (have) print header, verdict, count, held, module, name
		have = 0
	}
	/^  "maps": \[/ { inmaps = 1; next }
	inmaps && /^  \]/ { flush(); inmaps = 0; next }
	!inmaps { next }
	/^    \{/ { flush(); have = 1; next }
	/^      "name": / { name = val($0); next }
	/^      "module": / { module = val($0); next }
	/^      "held_by": / { held = val($0); next }
	/^      "header": / { header = val($0); next }
	/^      "count": / { count = val($0); next }
	/^      "verdict": / { verdict = val($0); next }
	' "$case_dir/truth.json"
}

# truth_aliases HEADER: the alias names recorded for a map, one a line.
truth_aliases()
{
	awk -v want="$1" '
	function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?[ \t]*$/, "", s); return s }
	/^      "header": / { cur = val($0) }
	/^      "aliases": \[/ { inal = 1; next }
	inal && /^      \]/ { inal = 0; next }
	inal && cur == want { v = $0; gsub(/[ \t",]/, "", v); print v }
	' "$case_dir/truth.json"
}

# truth_samples HEADER: the recorded sample entries of a map as compact
# JSON objects {"key":K,"value":V}.
truth_samples()
{
	awk -v want="$1" '
	function val(s) { sub(/^[^:]*: /, "", s); sub(/,?[ \t]*$/, "", s); return s }
	/^      "header": / { cur = $0; sub(/^[^:]*: "/, "", cur); sub(/".*/, "", cur) }
	/^          "key": / { k = val($0) }
	/^          "value": / { if (cur == want) printf "{\"key\":%s,\"value\":%s}\n", k, val($0) }
	' "$case_dir/truth.json"
}

# run_scan [ARGS]: scan the case into scan.json (every map, one a line).
run_scan()
{
	local exe rc=0
	exe=$(sed -n 's/^  "exe": "\(.*\)",$/\1/p' "$case_dir/truth.json")
	"$MAPSLEUTH" scan --json --all --exe "$case_dir/$exe" \
		--solib-search "$case_dir" "$@" "$case_dir/core" > scan.json 2> scan.err || rc=$?
	[ $rc -le 1 ] || fail "$case_dir: scan exited $rc: $(cat scan.err)"
	scan_rc=$rc
}

# scan_map HEADER: the line of scan.json describing that header.
scan_map()
{
	grep "\"header\":\"$1\"" scan.json || true
}

# json_str LINE KEY: a string member of a one-line JSON object (first one).
json_str()
{
	printf '%s\n' "$1" | sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p" | head -n 1
}

json_num()
{
	printf '%s\n' "$1" | sed -n "s/.*\"$2\":\\([0-9-]*\\).*/\\1/p" | head -n 1
}

# check_scan_truth: every recorded map is found with the recorded verdict
# and count, and the suspects are exactly the recorded ones.
check_scan_truth()
{
	local header verdict count held module name line got n_truth=0
	truth_maps > truth.maps
	[ -s truth.maps ] || fail "$case_dir: truth.json lists no map"
	while read -r header verdict count held module name; do
		[ "$header" = "0x0" ] && continue
		n_truth=$((n_truth + 1))
		line=$(scan_map "$header")
		[ -n "$line" ] || fail "$case_dir: $name ($held, $header) not found by the scan"
		got=$(json_str "$line" verdict)
		[ "$got" = "$verdict" ] ||
			fail "$case_dir: $name ($header) judged $got, truth says $verdict: $line"
		if [ "$verdict" = ok ]; then
			got=$(json_num "$line" count)
			[ "$got" = "$count" ] ||
				fail "$case_dir: $name count $got, truth says $count"
		fi
	done < truth.maps
	# No suspect the program did not make.
	grep '"header":' scan.json | grep -v '"verdict":"ok"' |
		sed -n 's/.*"header":"\(0x[0-9a-f]*\)".*"verdict":"\([a-z-]*\)".*/\1 \2/p' > scan.suspects
	awk '$2 != "ok" && $1 != "0x0" { print $1, $2 }' truth.maps | sort > truth.suspects
	sort scan.suspects > scan.suspects.sorted
	diff -u truth.suspects scan.suspects.sorted ||
		fail "$case_dir: the suspects differ from the truth"
	echo "$case_dir: $n_truth recorded maps found and judged as recorded"
}

# check_samples: decoded entries of every ok map with samples include them.
check_samples()
{
	local header verdict count held module name s
	while read -r header verdict count held module name; do
		[ "$verdict" = ok ] && [ "$header" != "0x0" ] || continue
		truth_samples "$header" > samples
		[ -s samples ] || continue
		# A map found only by the heap or stack scan has no known type:
		# its count is checked, its entries cannot be decoded.
		if scan_map "$header" | grep -q '"type":"map\[?\]?"'; then
			echo "$case_dir: $name: untyped (found by a scan), entries not decoded"
			continue
		fi
		"$MAPSLEUTH" show --json --limit 100000 --exe "$case_dir/$exe_name" \
			--solib-search "$case_dir" "$case_dir/core" "$header" > show.json 2>&1 || true
		while read -r s; do
			grep -qF "$s" show.json ||
				fail "$case_dir: $name: entry $s not among the decoded entries"
		done < samples
	done < truth.maps
}

# for_cases CASE FN: run FN for every stored toolchain of CASE.
for_cases()
{
	local pair n=0
	for pair in $(corpus_cases "$1"); do
		testcase "${pair%/*}" "${pair#*/}"
		exe_name=$(sed -n 's/^  "exe": "\(.*\)",$/\1/p' "$case_dir/truth.json")
		"$2"
		n=$((n + 1))
		rm -f "$case_dir/core"
	done
	[ $n -gt 0 ] || skip "no $1 case in the corpus"
}
