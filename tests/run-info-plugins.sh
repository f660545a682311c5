#!/bin/sh
# Two Go plugins: the module list in load order with each pluginpath, and the
# classes of map addresses in plugin globals, foreign pointers included.
# Corpus: corpus/plugins (regenerate with bash corpus/plugins/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/info-subr.sh"

check_cases plugins
exit 0
