#!/bin/sh
# Every toolchain of the clean case (kernel, gcore, stripped, noswissmap): version,
# map implementation, pid, modules and the class of every map address.
# Corpus: corpus/clean (regenerate with bash corpus/clean/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/info-subr.sh"

check_cases clean
exit 0
