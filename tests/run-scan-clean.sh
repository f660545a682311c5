#!/bin/sh
# Clean cores of every toolchain: every map the program recorded is found
# (globals, fields, slices, arrays, pointers, map values, heap-only and
# stack-only maps), judged ok, with the recorded count and sample entries;
# no suspect at all. Corpus: corpus/clean (bash corpus/clean/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

clean_case()
{
	run_scan
	[ "$scan_rc" -eq 0 ] || fail "$case_dir: scan of a clean core exited $scan_rc"
	check_scan_truth
	check_samples
}
for_cases clean clean_case
exit 0
