#!/bin/sh
# Damaged copies of clean cores, classic and swiss maps (corpus/clean:
# bash corpus/clean/gen/regen.sh):
# truncated, notes and program headers zeroed or scrambled, map headers and
# buckets/groups overwritten. mapsleuth info and scan must survive each
# (tests/fuzz/damage-subr.sh says what that means).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/info-subr.sh"
. "$abs_srcdir/fuzz/damage-subr.sh"

for tc in go1.19 go1.26; do
	testcase clean "$tc"
	cd "$case_dir"
	exe=$case_dir/$(truth_str exe)
	damage_core "clean/$tc" core --exe "$exe" --solib-search "$case_dir"
	cd "$test_dir"
	rm -rf "$case_dir"
done
echo "$n_runs runs of mapsleuth survived damaged clean cores (scan: $have_scan)"
