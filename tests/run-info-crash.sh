#!/bin/sh
# A Go-handled SIGSEGV: the core says SIGABRT, the fault address and pc must come
# from the panicking goroutine (g.sigcode1, g.sigpc) and match the runtime's report.
# Corpus: corpus/crash (regenerate with bash corpus/crash/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/info-subr.sh"

check_cases crash
exit 0
