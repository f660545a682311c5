#!/bin/sh
# The cshared case: a C program with no Go of its own dlopens libgomaps.so,
# a Go -buildmode=c-shared library, and dies of a fault in it. The Go
# runtime is in the library: the scan finds every map the library recorded
# with its verdict, type, declaring variable and module (libgomaps.so), the
# two maps whose storage was unmapped dangling, and the crash on
# main.gVictimA; it exits 1 (suspects). The report and `info` say the
# runtime is in libgomaps.so. Without the library (--sysroot and
# --solib-search pointing at empty directories) the scan says that the
# missing libgomaps.so holds the Go runtime, that no map was found or
# judged for that reason, and exits 1, the JSON summary's no_map saying
# the same; cut inside its notes, the core no longer names the library and
# the scan (text and no_map) says the host has no Go runtime (exit 1). `layout` on the host says it has no Go runtime and how to find
# its Go library; given the core, it names libgomaps.so, or says to pass
# its directory when it is not found. The gdb companion
# (gdb-scripts/mapsleuth.py) says the same, with and without the library.
# Corpus: corpus/cshared (bash corpus/cshared/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

# truth_field HEADER KEY: a string member of one recorded map.
truth_field()
{
	awk -v want="$1" -v key="$2" '
	function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?[ \t]*$/, "", s); return s }
	/^    \{/ { name = ""; hdr = ""; v = "" }
	$0 ~ "^      \"" key "\": " { v = val($0) }
	/^      "header": / { hdr = val($0) }
	/^      "verdict": / { if (hdr == want) print v }
	' "$case_dir/truth.json"
}

# truth_bad HEADER: the recorded bad pointers of a map, one a line.
truth_bad()
{
	awk -v want="$1" '
	function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?[ \t]*$/, "", s); return s }
	/^      "header": / { hdr = val($0) }
	/^          "pointer": / { if (hdr == want) print val($0) }
	' "$case_dir/truth.json"
}

# truth_crash KEY: a string member of truth.crash.
truth_crash()
{
	sed -n '/^  "crash": {/,/^  }/p' "$case_dir/truth.json" |
		sed -n "s/^    \"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p"
}

# truth_cshared: the file of the truth's c-shared module.
truth_cshared()
{
	awk '/^      "file": / { f = $2; gsub(/[",]/, "", f) }
	/^      "kind": "c-shared"/ { print f }' "$case_dir/truth.json"
}

# cut_notes CORE OUT: CORE cut in the middle of its first PT_NOTE.
cut_notes()
{
	local phoff off size
	phoff=$(od -An -tu8 -j 32 -N 8 "$1" | tr -d ' ')
	[ "$(od -An -tu4 -j "$phoff" -N 4 "$1" | tr -d ' ')" -eq 4 ] ||
		fail "$1: the first program header is not PT_NOTE"
	off=$(od -An -tu8 -j $((phoff + 8)) -N 8 "$1" | tr -d ' ')
	size=$(od -An -tu8 -j $((phoff + 32)) -N 8 "$1" | tr -d ' ')
	head -c $((off + size / 2)) "$1" > "$2"
}

# no_map_summary FILE WHY: the report in FILE found no map and says that
# nothing was judged because of WHY (the sentence may wrap), with no empty
# count "0 suspects in 0 maps ()." and no "0 judged" line.
no_map_summary()
{
	tr '\n' ' ' < "$1" | grep -qF "no map found, so none judged: $2." &&
		! grep -qF -e '().' -e ' in 0 maps' "$1" && ! grep -q '^0 judged' "$1" &&
		grep -q '^results are partial: [0-9]* things\{0,1\} not examined$' "$1" ||
		{ cat "$1"; fail "$case_dir: $1 does not say no map was judged because $2"; }
}

# no_map_json FILE WHY: the JSON scan in FILE found no map and its summary
# says why in "no_map", the same sentence as the text report.
no_map_json()
{
	grep -qF "\"summary\":{\"maps\":0,\"suspects\":0,\"judged\":0,\"not_judged\":0,\"partial\":true,\"no_map\":\"no map found, so none judged: $2\"," "$1" ||
		{ grep '"summary"' "$1"; fail "$case_dir: $1 does not say in no_map that no map was judged because $2"; }
}

cshared_case()
{
	local header verdict count held module name line want got p fn loc id lib goversion
	run_scan
	[ "$scan_rc" -eq 1 ] || fail "$case_dir: scan exited $scan_rc, expected 1 (suspects)"
	check_scan_truth
	check_samples
	grep -q '"summary":{"maps":[1-9][0-9]*,[^}]*"no_map":null,' scan.json ||
		fail "$case_dir: maps were found, yet no_map is not null in the JSON summary"
	grep -q '"kind":"shared"[^}]*"go_runtime":true' scan.json ||
		fail "$case_dir: no shared object is marked go_runtime in the JSON"
	grep -q '"file":"[^"]*libgomaps.so","kind":"shared"[^}]*"go_runtime":true' scan.json ||
		fail "$case_dir: libgomaps.so is not the go_runtime module in the JSON"
	# Each map: its type, its declaring module first, its variable.
	while read -r header verdict count held module name; do
		line=$(scan_map "$header")
		want=$(truth_field "$header" type)
		got=$(json_str "$line" type)
		[ "$got" = "$want" ] || fail "$case_dir: $name typed $got, truth says $want"
		[ "$module" = libgomaps.so ] || fail "$case_dir: $name: truth module $module"
		got=$(json_str "$line" module)
		[ "$got" = "$module" ] || fail "$case_dir: $name declared in $got, truth says $module"
		case "$name" in
		*" local "*)
			fn=${name%% local *} loc=${name#* local }
			[ "$(json_str "$line" function)" = "$fn" ] &&
				[ "$(json_str "$line" local)" = "$loc" ] ||
				fail "$case_dir: $name not named by its function and local: $line"
			;;
		*)
			[ "$(json_str "$line" symbol)" = "$name" ] ||
				fail "$case_dir: $name not named by its variable: $line"
			;;
		esac
		for p in $(truth_bad "$header"); do
			printf '%s\n' "$line" | grep -q "\"pointer\":\"$p\"" ||
				fail "$case_dir: $name: bad pointer $p not among the reasons"
		done
	done < truth.maps
	# The crash: its fault address, and the map it went through.
	want=$(truth_crash fault_address)
	grep -q "\"crash\":{[^}]*\"fault_address\":\"$want\"" scan.json ||
		fail "$case_dir: the crash fault address is not $want"
	want=$(truth_crash map)
	id=$(sed -n 's/^{"schema":.*"crash":{.*"map_id":\([0-9]*\).*/\1/p' scan.json | head -n 1)
	[ -n "$id" ] || fail "$case_dir: no map named for the crash"
	grep -E "^,?\{\"id\":$id," scan.json | grep -q "\"symbol\":\"$want\"" ||
		fail "$case_dir: the crash map $id is not $want"

	# The text report, as a new user runs it.
	rc=0
	"$MAPSLEUTH" scan --exe "$case_dir/$exe_name" --solib-search "$case_dir" \
		"$case_dir/core" > text.out 2> text.err || rc=$?
	[ "$rc" -eq 1 ] || fail "$case_dir: text scan exited $rc: $(cat text.err)"
	grep -q '^  modules: cshared (exe), libgomaps.so (shared, Go runtime)$' text.out ||
		{ cat text.out; fail "$case_dir: the report does not say the runtime is in libgomaps.so"; }
	grep -q "dangling .* $want (libgomaps.so)  <- CRASH\$" text.out ||
		{ cat text.out; fail "$case_dir: no dangling $want (libgomaps.so) marked as the crash"; }
	grep -q "^  map: $want (map $id, " text.out ||
		{ cat text.out; fail "$case_dir: the crash story does not name $want"; }
	grep -q '^    (backtrace stops: called from C through runtime.cgocallback)$' text.out ||
		{ cat text.out; fail "$case_dir: the backtrace does not end where C called Go"; }
	grep -q '^    main.MapsLookup (main.go:' text.out ||
		{ cat text.out; fail "$case_dir: the backtrace lacks the exported function"; }
	rc=0
	"$MAPSLEUTH" info --exe "$case_dir/$exe_name" --solib-search "$case_dir" \
		"$case_dir/core" > info.out 2> info.err || rc=$?
	[ "$rc" -eq 0 ] || fail "$case_dir: info exited $rc: $(cat info.err)"
	grep -q '^runtime:     libgomaps.so (a Go shared library; cshared has no Go runtime)$' info.out ||
		{ cat info.out; fail "$case_dir: info does not say the runtime is in libgomaps.so"; }
	"$MAPSLEUTH" show --exe "$case_dir/$exe_name" --solib-search "$case_dir" \
		"$case_dir/core" "$id" > show.out 2>&1 || true
	grep -q "^  declared by $want in libgomaps.so\$" show.out ||
		{ cat show.out; fail "$case_dir: show $id does not say $want is declared in libgomaps.so"; }

	# Without the library: said, exit 1.
	mkdir -p empty-root empty-dir
	rc=0
	"$MAPSLEUTH" scan --exe "$case_dir/$exe_name" --sysroot "$PWD/empty-root" \
		--solib-search "$PWD/empty-dir" "$case_dir/core" > missing.out 2> missing.err || rc=$?
	[ "$rc" -eq 1 ] || fail "$case_dir: scan without libgomaps.so exited $rc, expected 1"
	grep -q '^  lost: libgomaps.so missing: a Go library (its Go build id is in the core)$' missing.out ||
		{ cat missing.out; fail "$case_dir: the scan does not say the missing libgomaps.so holds the runtime"; }
	grep -q 'libgomaps.so: shared object not found' missing.err ||
		{ cat missing.err; fail "$case_dir: no warning names the missing libgomaps.so"; }
	grep -q '^  modules: cshared (exe), libgomaps.so (shared, Go, missing)$' missing.out ||
		{ cat missing.out; fail "$case_dir: the modules line does not list the missing Go library"; }
	# The summary: nothing was judged, and the missing library (the
	# truth's c-shared module) is why; no empty count.
	lib=$(truth_cshared)
	no_map_summary missing.out "the Go runtime is in $lib (missing); try --solib-search"
	rc=0
	"$MAPSLEUTH" scan --json --exe "$case_dir/$exe_name" --sysroot "$PWD/empty-root" \
		--solib-search "$PWD/empty-dir" "$case_dir/core" > missing.json 2> missing.err || rc=$?
	[ "$rc" -eq 1 ] || fail "$case_dir: scan --json without libgomaps.so exited $rc, expected 1"
	no_map_json missing.json "the Go runtime is in $lib (missing); try --solib-search"
	# Cut inside its notes, the core no longer names the library: the
	# host alone has no Go runtime.
	cut_notes "$case_dir/core" cut.core
	rc=0
	"$MAPSLEUTH" scan --exe "$case_dir/$exe_name" --solib-search "$case_dir" \
		cut.core > cut.out 2> cut.err || rc=$?
	[ "$rc" -eq 1 ] || { cat cut.err; fail "$case_dir: scan of a core cut in its notes exited $rc, expected 1"; }
	grep -q '^  lost: notes lost' cut.out ||
		{ cat cut.out; fail "$case_dir: the notes cut are not said lost"; }
	no_map_summary cut.out "$exe_name has no Go runtime and the core names no Go library"
	rc=0
	"$MAPSLEUTH" scan --json --exe "$case_dir/$exe_name" --solib-search "$case_dir" \
		cut.core > cut.json 2> cut.err || rc=$?
	[ "$rc" -eq 1 ] || fail "$case_dir: scan --json of a core cut in its notes exited $rc, expected 1"
	no_map_json cut.json "$exe_name has no Go runtime and the core names no Go library"
	rc=0
	"$MAPSLEUTH" info --exe "$case_dir/$exe_name" --sysroot "$PWD/empty-root" \
		--solib-search "$PWD/empty-dir" "$case_dir/core" > missing.out 2> missing.err || rc=$?
	[ "$rc" -eq 1 ] || fail "$case_dir: info without libgomaps.so exited $rc, expected 1"
	grep -q '^runtime:     libgomaps.so? (a Go shared library, missing: try --solib-search)$' missing.out ||
		{ cat missing.out; fail "$case_dir: info does not point at the missing libgomaps.so"; }

	# layout on the host: no Go in it; the way to its Go library, and,
	# with a core, the library itself. The advice works.
	rc=0
	"$MAPSLEUTH" layout "$case_dir/$exe_name" > layout.out 2> layout.err || rc=$?
	[ "$rc" -eq 2 ] && [ "$(wc -l < layout.err)" -eq 1 ] && [ ! -s layout.out ] &&
		grep -qF "mapsleuth: $case_dir/$exe_name: no Go runtime in this file" layout.err &&
		grep -qF "'mapsleuth layout --core CORE $case_dir/$exe_name'" layout.err ||
		{ cat layout.err; fail "$case_dir: layout of the C host (exit $rc) does not say how to find its Go library"; }
	rc=0
	"$MAPSLEUTH" layout --core "$case_dir/core" --sysroot "$PWD/empty-root" \
		--solib-search "$case_dir" "$case_dir/$exe_name" > layout.out 2> layout.err || rc=$?
	[ "$rc" -eq 2 ] && [ "$(wc -l < layout.err)" -eq 1 ] &&
		grep -qF "shows Go in $case_dir/$lib: run 'mapsleuth layout $case_dir/$lib'" layout.err ||
		{ cat layout.err; fail "$case_dir: layout --core (exit $rc) does not name $lib"; }
	rc=0
	"$MAPSLEUTH" layout --core "$case_dir/core" --sysroot "$PWD/empty-root" \
		--solib-search "$PWD/empty-dir" "$case_dir/$exe_name" > layout.out 2> layout.err || rc=$?
	[ "$rc" -eq 2 ] && [ "$(wc -l < layout.err)" -eq 1 ] &&
		grep -q "shows Go in /[^ ]*/$lib (not found here): give --solib-search DIR" layout.err ||
		{ cat layout.err; fail "$case_dir: layout --core without the library (exit $rc) does not say how to pass it"; }
	goversion=$(sed -n 's/^  "toolchain": "\(go[0-9.]*\).*/\1/p' "$case_dir/truth.json")
	"$MAPSLEUTH" layout "$case_dir/$lib" > layout.out ||
		fail "$case_dir: layout of $lib failed"
	grep -q "^$case_dir/$lib: $goversion, " layout.out ||
		{ head -n 3 layout.out; fail "$case_dir: layout of $lib does not show $goversion"; }

	# The gdb companion, the library through gdb's solib-search-path,
	# then hidden by an empty sysroot.
	[ -n "$GDB" ] && [ -x "$GDB" ] || { echo "gdb not installed: companion not checked"; return 0; }
	"$GDB" -batch -nx -iex 'set debuginfod enabled off' -iex 'set auto-load python-scripts off' \
		-iex "set solib-search-path $case_dir" -x "$abs_top_srcdir/gdb-scripts/mapsleuth.py" \
		-ex 'mapsleuth scan' "$case_dir/$exe_name" "$case_dir/core" > gdb.out 2>&1 || true
	grep -q '^  modules: cshared (exe), libgomaps.so (shared, Go runtime)$' gdb.out &&
		grep -q "dangling .* $want (libgomaps.so)  <- CRASH\$" gdb.out ||
		{ cat gdb.out; fail "$case_dir: gdb 'mapsleuth scan' does not find $want in libgomaps.so"; }
	"$GDB" -batch -nx -iex 'set debuginfod enabled off' -iex 'set auto-load python-scripts off' \
		-iex "set sysroot $PWD/empty-root" -x "$abs_top_srcdir/gdb-scripts/mapsleuth.py" \
		-ex 'mapsleuth scan' "$case_dir/$exe_name" "$case_dir/core" > gdb.out 2>&1 || true
	grep -q '^  lost: libgomaps.so missing: a Go library (its Go build id is in the core)$' gdb.out ||
		{ cat gdb.out; fail "$case_dir: gdb 'mapsleuth scan' does not say libgomaps.so is missing"; }
	no_map_summary gdb.out "the Go runtime is in $lib (missing); try --solib-search"
}
# The gdb companion runs $MAPSLEUTH before any mapsleuth on PATH.
export MAPSLEUTH
for_cases cshared cshared_case
exit 0
