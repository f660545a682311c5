#!/bin/sh
# The freed case: the suspects are exactly the maps the program damaged, each
# with the recorded verdict; the other maps are found and ok.
# Corpus: corpus/freed (bash corpus/freed/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

freed_case()
{
	run_scan
	[ "$scan_rc" -eq 1 ] || fail "$case_dir: scan exited $scan_rc, expected 1 (suspects)"
	check_scan_truth
}
for_cases freed freed_case
exit 0
