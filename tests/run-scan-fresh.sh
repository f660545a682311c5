#!/bin/sh
# Fresh cores: regenerate the unmapped case from source with the Go
# toolchains on this machine (Debian's go1.19 for classic maps, the Go in
# /usr/local/go for swiss maps, go1.27.3 through GOTOOLCHAIN), dump them with
# the real kernel, and run the same assertions as run-scan-unmapped.sh on
# those cores. Skips (with the reason) a toolchain that is not installed or
# cannot be fetched, or a machine whose core_pattern does not leave a core
# in the working directory.
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

ran=0
for tc in go1.19 go1.26 go1.27; do
	case_dir="$test_dir/unmapped-$tc"
	rc=0
	bash "$abs_top_srcdir/corpus/make-case.sh" unmapped "$tc" "$case_dir" \
		> make-case-$tc.log 2>&1 || rc=$?
	if [ $rc -eq 77 ]; then
		echo "$tc: $(tail -n 1 make-case-$tc.log)"
		continue
	fi
	[ $rc -eq 0 ] || { cat make-case-$tc.log; fail "make-case.sh unmapped $tc exited $rc"; }
	run_scan
	[ "$scan_rc" -eq 1 ] || fail "$case_dir: scan exited $scan_rc, expected 1 (suspects)"
	check_scan_truth
	ran=$((ran + 1))
done
[ $ran -gt 0 ] || skip "no Go toolchain or no usable core_pattern to make fresh cores"
exit 0
