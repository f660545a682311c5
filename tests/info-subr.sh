# Helpers for tests/run-info-*.sh: read facts from a corpus truth.json
# without jq or python (truth.json is written indented by encoding/json,
# one member per line), and run ms-test-tool.

TOOL="$abs_top_builddir/tests/helper/ms-test-tool"

# truth_str KEY: a top-level string member of ./truth.json.
truth_str()
{
	sed -n "s/^  \"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p" "$case_dir/truth.json" | head -n 1
}

# truth_num KEY: a top-level number member.
truth_num()
{
	sed -n "s/^  \"$1\": \\([0-9-]*\\),\\{0,1\\}\$/\\1/p" "$case_dir/truth.json" | head -n 1
}

# truth_addrs: one line per recorded address of a map:
#   VERDICT HELD_BY WHAT ADDRESS
# WHAT is header, buckets, oldbuckets, dirPtr, table, or bad (a pointer the
# program broke on purpose).
truth_addrs()
{
	awk '
	function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?[ \t]*$/, "", s); gsub(/"/, "", s); return s }
	function flush(  i) {
		for (i = 0; i < n; i++)
			print verdict, held, what[i], addr[i]
		n = 0; verdict = "?"; held = "?"
	}
	/^  "maps": \[/ { inmaps = 1; n = 0; next }
	inmaps && /^  \]/ { flush(); inmaps = 0; next }
	!inmaps { next }
	/^    \{/ { flush(); next }
	/^      "held_by": / { held = val($0); next }
	/^      "verdict": / { verdict = val($0); next }
	/^      "header": / { v = val($0); if (v != "0x0") { what[n] = "header"; addr[n++] = v }; next }
	/^        "(buckets|oldbuckets|dirPtr)": / {
		k = $0; sub(/^ *"/, "", k); sub(/".*/, "", k)
		v = val($0)
		if (v != "0x0" && v != "") { what[n] = k; addr[n++] = v }
		next
	}
	/^        "tables": \[$/ { intables = 1; next }
	intables && /^        \]/ { intables = 0; next }
	intables && /"0x/ { v = $0; gsub(/[ \t",]/, "", v); what[n] = "table"; addr[n++] = v; next }
	/"pointer": "0x/ { what[n] = "bad"; addr[n++] = val($0); next }
	' "$case_dir/truth.json"
}

# truth_modules: "KIND FILE PLUGINPATH" (pluginpath "-" when empty).
truth_modules()
{
	awk '
	function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?[ \t]*$/, "", s); return s }
	/^  "modules": \[/ { inmods = 1; next }
	inmods && /^  \]/ { inmods = 0; next }
	inmods && /"file": / { file = val($0) }
	inmods && /"kind": / { kind = val($0) }
	inmods && /"pluginpath": / { pp = val($0); print kind, file, (pp == "" ? "-" : pp) }
	' "$case_dir/truth.json"
}

# run_info ARGS...: mapsleuth info on the case's core with its executable
# and plugin directory; output in info.out, exit status in $info_rc.
run_info()
{
	info_rc=0
	"$MAPSLEUTH" info --exe "$case_dir/$(truth_str exe)" --solib-search "$case_dir" \
		"$@" "$case_dir/core" > info.out 2> info.err || info_rc=$?
	[ "$info_rc" -le 1 ] || { cat info.err; fail "info on $case_dir exited $info_rc"; }
}

# tool CMD ARGS...: ms-test-tool on the case's core.
tool()
{
	local cmd=$1
	shift
	"$TOOL" --exe "$case_dir/$(truth_str exe)" --solib-search "$case_dir" \
		"$cmd" "$case_dir/core" "$@"
}

# check_classes: classify every address of truth_addrs and compare with
# what the verdict implies. Prints one line per mismatch; fails if any.
check_classes()
{
	truth_addrs > addrs.txt
	[ -s addrs.txt ] || fail "no map addresses in $case_dir/truth.json"
	cut -d' ' -f4 addrs.txt | tool classify - > classes.txt 2> classify.err ||
		{ cat classify.err; fail "ms-test-tool classify failed"; }
	paste -d' ' addrs.txt classes.txt | awk '
	{
		verdict = $1; held = $2; what = $3; addr = $4; got = $6
		if ($5 != addr) { print "address mismatch:", $0; bad++; next }
		want = ""
		# "heap" maps are reached only through a uintptr; escape analysis
		# can leave such a map in its maker'"'"'s stack frame (clean case,
		# makeHidden inlined into main), so a stack is fine too.
		if (what == "header")
			want = held == "stack" ? "stack" : held == "heap" ? "heap-in-use stack" : "heap-in-use"
		else if (what == "bad")
			want = verdict == "dangling" ? "unmapped" : verdict == "freed" ? "heap-free heap-other" : verdict == "foreign" ? "module mapping" : ""
		else if (verdict == "ok")
			want = held == "stack" || held == "heap" ? "stack heap-in-use" : "heap-in-use"
		if (want == "")
			next
		n = split(want, w, " ")
		okk = 0
		for (i = 1; i <= n; i++) if (w[i] == got) okk = 1
		checked++
		if (!okk) { print "want " want ": " $0; bad++ }
	}
	END { print checked + 0, "addresses checked" > "/dev/stderr"; exit bad ? 1 : 0 }' ||
		fail "classification differs from $case_dir/truth.json"
}

# check_case CASE TC: everything `info` and the session must agree on with
# the case's truth.json: schema, Go version and map implementation, pid,
# the module list with plugin paths, the crash, and the class of every
# recorded map address. Removes the decompressed case afterwards.
check_case()
{
	testcase "$1" "$2"
	local tc impl pid ver
	tc=$(truth_str toolchain)
	impl=$(truth_str impl)
	pid=$(truth_num pid)
	ver=${tc%% *}
	ver=${ver%%-X:*}

	run_info --json
	grep -q '^  "schema": "mapsleuth-info/1",$' info.out || fail "$1/$2: no schema line"
	grep -q "^    \"version\": \"$ver\",\$" info.out || fail "$1/$2: Go version is not $ver"
	grep -q "^    \"map_impl\": \"$impl\",\$" info.out || fail "$1/$2: map implementation is not $impl"
	grep -q "^    \"pid\": $pid,\$" info.out || fail "$1/$2: pid is not $pid"
	case "$tc" in
	*X:*) grep -q "^    \"experiments\": \"${tc##*X:}\",\$" info.out ||
		fail "$1/$2: experiments are not ${tc##*X:}" ;;
	esac

	# The Go runtime dies by raising SIGABRT on itself: the crashing thread
	# is in runtime.raise, named from .symtab or, stripped, from the pclntab.
	case "$2" in
	*gcore*) grep -q '^  "crash": null,$' info.out || fail "$1/$2: gcore core shows a crash" ;;
	*) grep -q '^      "function": "runtime\.raise[.+]' info.out ||
		fail "$1/$2: the crashing thread is not in runtime.raise" ;;
	esac

	# Modules: every one of truth.json is found, of the same kind and with
	# the same plugin path; the executable comes first.
	tool modules > modules.out 2> modules.err || fail "$1/$2: ms-test-tool modules failed"
	truth_modules > modules.want
	local kind file pp
	while read -r kind file pp; do
		grep -qx "$kind found $file $pp" modules.out ||
			{ cat modules.out; fail "$1/$2: no module '$kind found $file $pp'"; }
	done < modules.want
	head -n 1 modules.out | grep -q "^exe found $(truth_str exe) -\$" ||
		fail "$1/$2: the executable is not the first module"
	[ "$(grep -c '^plugin ' modules.out)" -eq "$(grep -c '^plugin ' modules.want)" ] ||
		fail "$1/$2: plugin count differs"

	# Crash: signal, code, fault address and pc of the runtime's own report.
	local want_fa want_pc want_sig want_code
	want_fa=$(sed -n 's/^    "fault_address": "\(0x[0-9a-f]*\)",*$/\1/p' "$case_dir/truth.json")
	if [ -n "$want_fa" ]; then
		want_pc=$(sed -n 's/^    "pc": "\(0x[0-9a-f]*\)",*$/\1/p' "$case_dir/truth.json")
		want_sig=$(sed -n 's/^    "signal": "\([A-Z]*\)",*$/\1/p' "$case_dir/truth.json")
		want_code=$(sed -n 's/^    "code": \([0-9-]*\),*$/\1/p' "$case_dir/truth.json")
		tool crash > crash.out 2> crash.err || fail "$1/$2: ms-test-tool crash failed"
		printf 'signal %s\ncode %s\nfault_address %s\npc %s\nsource g.sigcode1\n' \
			"$want_sig" "$want_code" "$want_fa" "$want_pc" > crash.want
		diff -u crash.want crash.out || fail "$1/$2: crash facts differ"
		grep -q "^    \"fault_address\": \"$want_fa\",\$" info.out ||
			fail "$1/$2: info --json lacks the fault address"
		grep -q "^    \"pc\": \"$want_pc\",\$" info.out ||
			fail "$1/$2: info --json lacks the faulting pc"
	fi

	check_classes
	cd "$test_dir"
	rm -rf "$case_dir"
}

# check_cases CASE: check_case for every toolchain of CASE in the corpus.
check_cases()
{
	local n=0 c
	for c in $(corpus_cases "$1"); do
		echo "checking $c"
		check_case "${c%%/*}" "${c#*/}"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || skip "no corpus case '$1'"
}
