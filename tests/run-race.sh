#!/bin/sh
# Maps caught mid-write and the crash story, on real races: two goroutines
# on one map without a lock ("concurrent map writes", "concurrent map read
# and map write", kernel cores under GOTRACEBACK=crash) and a gcore taken
# while a goroutine is inside a map write. From the program's own truth
# (truth.json "race": the map's variable and header, the message, each
# racing goroutine's id, function, file and line) the scan must name the
# map (header, writing flag, declaring variable unless stripped), open
# with the fatal error, and list both racing goroutines inside the map
# runtime with the user function, file:line and the map each was on.
# Corpus: corpus/racewrite, corpus/raceread (regenerate with gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

# race_val KEY: a member of truth.json's "race" object.
race_val()
{
	sed -n "/^  \"race\": {/,/^  }/s/^    \"$1\": \"\\{0,1\\}\\([^\"]*\\)\"\\{0,1\\},\\{0,1\\}\$/\\1/p" \
		"$case_dir/truth.json" | head -n 1
}

# race_sides: one line per racing goroutine: GOID OP LINE FILE FUNCTION
race_sides()
{
	awk '
	function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?[ \t]*$/, "", s); return s }
	/^  "race": \{/ { inrace = 1; next }
	!inrace { next }
	/^        "goroutine": / { g = val($0) }
	/^        "op": / { op = val($0) }
	/^        "function": / { fn = val($0) }
	/^        "file": / { file = val($0) }
	/^        "line": / { print g, op, val($0), file, fn }
	' "$case_dir/truth.json"
}

# touchers JSON: one line per goroutine inside the map runtime of the
# crash story: GOID OP LINE FILE MAP FUNCTION
touchers()
{
	grep -F "\"crash_story\":" "$1" | tail -n 1 | sed -n 's/.*"crash_story":{//p' | sed 's/},{/}\n{/g' | awk '
	function str(k,   m) {
		if (!match($0, "\"" k "\":\"[^\"]*\"")) return "-"
		m = substr($0, RSTART, RLENGTH); sub(/^[^:]*:"/, "", m); sub(/"$/, "", m); return m
	}
	function num(k,   m) {
		if (!match($0, "\"" k "\":[0-9]+")) return "-"
		m = substr($0, RSTART, RLENGTH); sub(/^[^:]*:/, "", m); return m
	}
	/"runtime_function"/ { print num("goroutine"), str("op"), num("line"), str("file"), str("map"), str("function") }'
}

n=0
for pair in $(corpus_cases racewrite) $(corpus_cases raceread); do
	c=${pair%/*} tc=${pair#*/}
	testcase "$c" "$tc"
	exe="$case_dir/$c"
	core="$case_dir/core"
	header=$(race_val header)
	var=$(race_val map)
	msg=$(race_val message)
	[ -n "$header" ] && [ -n "$var" ] || fail "$pair: truth.json has no race"

	"$MAPSLEUTH" scan --json --exe "$exe" "$core" > scan.json 2> scan.err ||
		[ $? -eq 1 ] || fail "$pair: scan failed: $(cat scan.err)"
	# The map being written: its header, its variable (DWARF only).
	line=$(grep -F "\"header\":\"$header\"" scan.json | head -n 1)
	[ -n "$line" ] || fail "$pair: map $header not listed by scan"
	case $line in *'"writing":true'*) ;; *) fail "$pair: $header not marked writing: $line" ;; esac
	[ "$(grep -c '"writing":true' scan.json)" = 1 ] || fail "$pair: more than one map being written"
	case $tc in
	*-stripped) ;;
	*) case $line in *"\"symbol\":\"$var\""*) ;; *) fail "$pair: $header is not named $var: $line" ;; esac ;;
	esac

	# The story: the message (kernel cores), every racing goroutine.
	story=$(grep -F "\"crash_story\":" scan.json | tail -n 1 | sed -n 's/.*"crash_story":/"crash_story":/p')
	if [ -n "$msg" ]; then
		case $story in *"\"kind\":\"fatal error\",\"message\":\"$msg\""*) ;;
		*) fail "$pair: story is not 'fatal error: $msg': $story" ;; esac
		case $story in *"\"map\":\"$header\""*) ;; *) fail "$pair: story names no map $header: $story" ;; esac
	else
		case $story in *'"kind":null'*) ;; *) fail "$pair: a gcore has no crash: $story" ;; esac
	fi
	touchers scan.json > got
	race_sides > sides
	[ -s sides ] || fail "$pair: no racing goroutine in truth.json"
	while read -r g op l file fn; do
		grep -q -F -x "$g $op $l $file $header $fn" got ||
			{ echo "got:"; cat got; fail "$pair: goroutine $g ($op in $fn at $file:$l on $header) not reported"; }
	done < sides

	# Text: the report opens with the fatal error; each racing function
	# with file:line under the map.
	"$MAPSLEUTH" scan --exe "$exe" "$core" > scan.txt 2>&1 || [ $? -eq 1 ] ||
		fail "$pair: scan (text) failed"
	if [ -n "$msg" ]; then
		[ "$(head -n 1 scan.txt)" = "fatal error: $msg" ] ||
			fail "$pair: report does not open with the fatal error: $(head -n 3 scan.txt)"
	fi
	while read -r g op l file fn; do
		grep -q -F "goroutine $g" scan.txt && grep -q -F "from $fn (${file##*/}:$l)" scan.txt ||
			{ cat scan.txt; fail "$pair: text lacks goroutine $g from $fn (${file##*/}:$l)"; }
	done < sides

	# info: the crashed goroutine's backtrace by default, all with
	# --goroutines.
	"$MAPSLEUTH" info --exe "$exe" "$core" > info.txt 2>&1 || [ $? -eq 1 ] ||
		fail "$pair: info failed"
	"$MAPSLEUTH" info --goroutines --json --exe "$exe" "$core" > info.pretty 2>&1 || [ $? -eq 1 ] ||
		fail "$pair: info --goroutines --json failed"
	# One line, without the indentation between members.
	tr -d '\n' < info.pretty | sed -e 's/"[[:space:]]*:[[:space:]]*/":/g' \
		-e 's/,[[:space:]]*"/,"/g' -e 's/{[[:space:]]*"/{"/g' > info.json
	while read -r g op l file fn; do
		grep -q -F "\"goid\":$g," info.json ||
			fail "$pair: info --goroutines --json lacks goroutine $g"
		grep -q -F "\"function\":\"$fn\",\"file\":\"$file\",\"line\":$l," info.json ||
			fail "$pair: info --goroutines --json lacks frame $fn $file:$l"
	done < sides
	if [ -n "$msg" ]; then
		crashed=$(grep -o '"crash_story":{[^}]*' info.json | sed -n 's/.*"goroutine":\([0-9]*\).*/\1/p')
		grep -q "^  goroutine $crashed \[running.*(crashed):\$" info.txt ||
			fail "$pair: info shows no backtrace of crashed goroutine $crashed"
	fi
	# The TUI's Code pane ends with the crashed goroutine's backtrace.
	if [ -n "$msg" ]; then
		"$MAPSLEUTH" tui --exe "$exe" --dump --size 120x40 --keys '5<Enter><End>' "$core" > tui.txt 2>&1 ||
			fail "$pair: tui --dump failed"
		grep -q -F "$(printf '%s' "$msg" | cut -c1-40)" tui.txt ||
			{ cat tui.txt; fail "$pair: the Code pane lacks the fatal error"; }
		seen=0
		while read -r g op l file fn; do
			[ "$g" = "$crashed" ] || continue
			seen=1
			grep -q -F "$fn  ${file##*/}:$l" tui.txt ||
				{ cat tui.txt; fail "$pair: the Code pane lacks frame $fn ${file##*/}:$l"; }
		done < sides
		[ $seen = 1 ] || fail "$pair: crashed goroutine $crashed is none of the racing ones"
	fi
	rm -rf "$case_dir"
	n=$((n + 1))
done
[ $n -gt 0 ] || skip "no race case in the corpus"
echo "$n race cases: map, variable, message and racing goroutines found"
exit 0
