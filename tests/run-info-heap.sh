#!/bin/sh
# Freed and unmapped storage: bucket and group pointers of the broken maps are
# classified heap-free or unmapped, the healthy ones heap-in-use.
# Corpus: corpus/freed, corpus/unmapped (bash corpus/*/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/info-subr.sh"

check_cases freed
check_cases unmapped
exit 0
