#!/bin/sh
# Never a silent all-clear. Corpus cores and executables damaged at test
# time: a core with nothing of the process saved (coredump_filter 0), a
# plugin missing, NT_AUXV missing or short, an executable cut short or with
# a damaged section header table, DWARF that does not read, an overflow
# chain that loops. Each is said, and exits 1 (partial or suspects) or 2
# (refused, one line): never "no suspect map" and 0.
# Corpus: corpus/unmapped, corpus/plugins, corpus/clean (gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/info-subr.sh"
. "$abs_srcdir/scan-subr.sh"
. "$abs_srcdir/partial-subr.sh"

# check_unsaved CORE EXE: CORE has none of the process's memory; every map
# global of the truth is listed not-dumped, and scan, info and show say
# the results are partial.
check_unsaved()
{
	local core=$1 exe=$2 rc=0 name line
	"$MAPSLEUTH" scan --exe "$exe" "$core" > out.txt 2> err.txt || rc=$?
	expect_partial "scan of $core" "$rc"
	grep -q '^results are partial: ' out.txt || { cat out.txt; fail "$core: scan does not say its results are partial"; }
	grep -q '^  lost: ' out.txt || { cat out.txt; fail "$core: the report does not open with what was lost"; }
	# Losses and notes wrapped like the rest: every line within 80 columns
	# but the commands to run next, which end the report (they hold the
	# paths as given, and a path is never cut).
	awk -v c="$core" '/^next: / { exit bad } length($0) > 80 {
		print c ": over 80 columns: " $0; bad = 1 } END { exit bad }' out.txt ||
		fail "$core: report lines over 80 columns"
	rc=0
	"$MAPSLEUTH" scan --json --all --exe "$exe" "$core" > scan.json 2> err.txt || rc=$?
	[ "$rc" -eq 1 ] || fail "$core: scan --json exited $rc"
	grep -q '"partial":true' scan.json || fail "$core: JSON summary not partial"
	truth_globals > globals
	[ -s globals ] || fail "$case_dir: the truth has no map global"
	while read -r name; do
		line=$(grep "\"symbol\":\"$name\"" scan.json || true)
		[ -n "$line" ] || fail "$core: map variable $name is not listed"
		[ "$(json_str "$line" verdict)" = not-dumped ] || fail "$core: $name: $line"
		printf '%s\n' "$line" | grep -q '"header":null' || fail "$core: $name has a header: $line"
	done < globals
	echo "$core: $(wc -l < globals) map variables listed not-dumped"
	rc=0
	"$MAPSLEUTH" info --exe "$exe" "$core" > out.txt 2> err.txt || rc=$?
	[ "$rc" -eq 1 ] || fail "$core: info exited $rc, expected 1"
	grep -q '^lost: ' out.txt || { cat out.txt; fail "$core: info does not say what was lost"; }
	rc=0
	"$MAPSLEUTH" show --exe "$exe" "$core" 1 > out.txt 2> err.txt || rc=$?
	[ "$rc" -eq 1 ] || fail "$core: show exited $rc, expected 1"
	grep -q '^verdict: not-dumped' out.txt || { cat out.txt; fail "$core: show 1 is not not-dumped"; }
}

# 1. Nothing saved: the PT_LOADs of a kernel core with no bytes (what
# coredump_filter 0 writes).
for tc in go1.19 go1.26; do
	testcase unmapped "$tc"
	exe=$case_dir/$(truth_str exe)
	cp "$case_dir/core" nothing.core
	zero_loads nothing.core
	check_unsaved nothing.core "$exe"
done

# 2. A missing plugin: a line of its own, and exit 1 though every map
# found is judged.
for tc in go1.19 go1.26; do
	testcase plugins "$tc"
	exe=$case_dir/$(truth_str exe)
	rm -f "$case_dir/geo.so"
	mkdir -p empty-root
	rc=0
	"$MAPSLEUTH" scan --exe "$exe" --sysroot "$PWD/empty-root" --solib-search "$case_dir" \
		"$case_dir/core" > out.txt 2> err.txt || rc=$?
	expect_partial "plugins/$tc without geo.so" "$rc"
	grep -q '^  lost: geo.so missing: its global maps were not judged' out.txt ||
		{ cat out.txt; fail "plugins/$tc: no line says geo.so is missing"; }
	"$MAPSLEUTH" scan --json --exe "$exe" --sysroot "$PWD/empty-root" --solib-search "$case_dir" \
		"$case_dir/core" > scan.json 2> err.txt || true
	grep -q '"lost":\[[^]]*"geo.so missing: its global maps were not judged' scan.json ||
		fail "plugins/$tc: the JSON does not list geo.so as lost"
done

# 3. NT_AUXV missing (its type renamed) or short (its entries zeroed): the
# executable and its load bias are had another way, and the verdicts are
# those of the truth.
for tc in go1.19 go1.26; do
	testcase unmapped "$tc"
	exe=$case_dir/$(truth_str exe)
	set -- $(note_find "$case_dir/core" 6)
	[ $# -eq 3 ] || fail "unmapped/$tc: no NT_AUXV note"
	cp "$case_dir/core" full.core
	for how in missing short; do
		cp full.core "$case_dir/core"
		if [ "$how" = missing ]; then
			poke "$case_dir/core" "$1" 255 255 0 0
		else
			dd if=/dev/zero of="$case_dir/core" bs=1 seek="$2" count="$3" conv=notrunc status=none
		fi
		run_scan
		[ "$scan_rc" -eq 1 ] || fail "unmapped/$tc, auxv $how: scan exited $scan_rc"
		check_scan_truth
		"$MAPSLEUTH" scan --exe "$exe" "$case_dir/core" > out.txt 2>&1 || true
		grep -q '^  guessed: the executable is ' out.txt ||
			{ cat out.txt; fail "unmapped/$tc, auxv $how: the guess is not said"; }
	done
	cp full.core "$case_dir/core"
done

# 4. A damaged executable: refused with one line naming it and what is
# wrong, never read as a file without Go.
testcase unmapped go1.26
exe=$case_dir/$(truth_str exe)
core=$case_dir/core
size=$(wc -c < "$exe")
expect_refused()
{
	local rc=0
	"$MAPSLEUTH" scan --exe "$1" "$core" > out.txt 2> err.txt || rc=$?
	[ "$rc" -eq 2 ] || { cat out.txt err.txt; fail "$2: scan exited $rc, expected 2"; }
	[ "$(wc -l < err.txt)" -eq 1 ] && grep -q "^mapsleuth: $1: .*$3" err.txt ||
		{ cat err.txt; fail "$2: not one line naming $1 and '$3'"; }
}
for n in 64 $((size / 4)) $((size / 2)) $((size * 3 / 4)); do
	head -c "$n" "$exe" > cut.exe
	expect_refused cut.exe "executable cut to $n bytes" "truncated"
done
shoff=$(u64 "$exe" 40)
cp "$exe" shdr.exe
# shellcheck disable=SC2046
poke shdr.exe $((shoff + 64 * 3)) $(yes 255 | head -n 128)
expect_refused shdr.exe "damaged section header table" "damaged"
# DWARF that does not read: used for what is intact, and said.
info_off=$(LC_ALL=C readelf -SW "$exe" 2> /dev/null | awk '$2 == ".debug_info" { print $5; exit }')
if [ -n "$info_off" ]; then
	cp "$exe" dwarf.exe
	dd if=/dev/zero of=dwarf.exe bs=1 seek=$((0x$info_off + 40)) count=4000 conv=notrunc status=none
	rc=0
	# --verbose: each loss whole on its line, not wrapped at 80 columns.
	"$MAPSLEUTH" scan --verbose --exe dwarf.exe "$core" > out.txt 2> err.txt || rc=$?
	[ "$rc" -eq 1 ] || fail "damaged DWARF: scan exited $rc"
	grep -q -e 'lost: .*debug_info' -e 'DWARF .*unusable' out.txt err.txt ||
		{ cat out.txt err.txt; fail "damaged DWARF is not said"; }
else
	echo "readelf not installed: damaged DWARF not tried"
fi

# 5. An overflow chain that loops (bucket 0 -> bucket 1 -> bucket 0) in a
# classic map of a real core: corrupt, the loop named, at once.
testcase clean go1.19
exe=$case_dir/$(truth_str exe)
setup_core "$case_dir/core"
set -- $(awk '
	function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?[ \t]*$/, "", s); return s }
	/^      "header": / { h = val($0) }
	/^      "verdict": / { v = val($0) }
	/^        "B": / { b = val($0) }
	/^        "buckets": / { k = val($0) }
	/^        "oldbuckets": / { o = val($0) }
	/^        "bucket_size": / { if (b == 1 && o == "0x0" && !done) { print h, k, val($0); done = 1 } }
	' "$case_dir/truth.json")
[ $# -eq 3 ] || fail "clean/go1.19: no classic map with B = 1 in the truth"
header=$1 buckets=$2 bsize=$3
off=$(addr_off "$buckets")
[ -n "$off" ] || fail "clean/go1.19: buckets $buckets not in the core"
poke64 "$case_dir/core" $((off + bsize - 8)) $((buckets + bsize))
poke64 "$case_dir/core" $((off + 2 * bsize - 8)) $((buckets))
run_scan
line=$(scan_map "$header")
[ "$(json_str "$line" verdict)" = corrupt ] || fail "looping chain of $header: $line"
printf '%s\n' "$line" | grep -q 'overflow chain of bucket 0 loops after 2 buckets' ||
	fail "the loop is not named: $line"
echo "clean/go1.19: $header: overflow chain of bucket 0 loops after 2 buckets"
exit 0
