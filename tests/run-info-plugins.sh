#!/bin/sh
# Two Go plugins: the module list in load order with each pluginpath, and the
# classes of map addresses in plugin globals, foreign pointers included; then
# a plugin that is missing (a warning, exit 1) or from another build (fatal).
# Corpus: corpus/plugins (regenerate with bash corpus/plugins/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/info-subr.sh"

check_cases plugins

c=$(corpus_cases plugins | tail -n 1)
testcase "${c%%/*}" "${c#*/}"
exe=$case_dir/$(truth_str exe)
mkdir -p empty other
# An empty sysroot hides every recorded path: the plugins are missing but
# still known as plugins (from the moduledata chain; their plugin paths
# live in read-only data the kernel did not dump, so they are unknown).
rc=0
"$TOOL" --exe "$exe" --sysroot "$PWD/empty" modules "$case_dir/core" > missing.out 2> missing.err || rc=$?
[ "$rc" -eq 0 ] || { cat missing.err; fail "missing plugins are fatal"; }
grep -q '^plugin missing geo\.so ' missing.out ||
	{ cat missing.out; fail "missing geo.so is not listed as a missing plugin"; }
grep -q 'geo\.so: plugin not found' missing.err || fail "no warning for the missing plugin"
expect_exit 1 "$MAPSLEUTH" info --exe "$exe" --sysroot "$PWD/empty" "$case_dir/core"

# auth.so under the name geo.so: another build id, refused with both ids.
cp "$case_dir/auth.so" other/geo.so
rc=0
"$MAPSLEUTH" info --exe "$exe" --sysroot "$PWD/empty" --solib-search "$PWD/other" \
	"$case_dir/core" > mismatch.out 2> mismatch.err || rc=$?
[ "$rc" -eq 2 ] || { cat mismatch.err; fail "a mismatched plugin exited $rc, expected 2"; }
[ "$(wc -l < mismatch.err)" -eq 1 ] || { cat mismatch.err; fail "more than one line for a mismatched plugin"; }
grep -q "^mapsleuth: $PWD/other/geo.so: build id [^ ]* does not match the core's [^ ]* for plugin" mismatch.err ||
	{ cat mismatch.err; fail "mismatch message does not name the file and both ids"; }
exit 0
