#!/bin/sh
# The name index of a module's DWARF (lib/dwarf_index.c) is built by
# reading the DIEs of .debug_info from the section bytes directly; the walk
# through libdw stays for what that cannot read. On Go executables of every
# release in the corpus (DWARF 4 and 5, classic and swiss), the fast index
# must be used and hold exactly the entries, offsets and kinds libdw's walk
# gives, in the same order; and on a C host's DWARF from gcc. The files
# are only read.
# Corpus: corpus/clean, corpus/cshared (regenerate with their gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/info-subr.sh"

n=0
for tc in go1.19 go1.21 go1.23 go1.24 go1.25 go1.26 go1.27; do
	[ -d "$CORPUS/clean/$tc" ] || continue
	testcase clean $tc
	before=$(cksum < "$case_dir/clean")
	"$TOOL" --exe "$case_dir/clean" dwarf-index "$case_dir/core" > idx.out 2> idx.err ||
		fail "clean/$tc: $(cat idx.out idx.err)"
	# Its DWARF is read from a copy-on-write mapping whose section
	# headers are changed in memory: the file itself is only read.
	[ "$(cksum < "$case_dir/clean")" = "$before" ] ||
		fail "clean/$tc: the executable changed while its DWARF was read"
	grep -q '^clean fast [1-9][0-9]*$' idx.out ||
		fail "clean/$tc: the executable's index was not built from the section bytes: $(cat idx.out)"
	n=$((n + 1))
done
# A C host built by gcc (DWARF 5: names in .debug_str, line_strp forms)
# and the Go c-shared library it loaded.
for tc in go1.19 go1.26; do
	[ -d "$CORPUS/cshared/$tc" ] || continue
	testcase cshared $tc
	(cd "$case_dir" && "$TOOL" --solib-search . dwarf-index core) > idx.out 2> idx.err ||
		fail "cshared/$tc: $(cat idx.out idx.err)"
	for m in cshared libgomaps.so; do
		grep -q "^$m fast [1-9][0-9]*\$" idx.out ||
			fail "cshared/$tc: $m's index was not built from the section bytes: $(cat idx.out)"
	done
	n=$((n + 2))
done
[ "$n" -gt 0 ] || skip "no clean or cshared case in the corpus"
echo "ok: $n modules, fast index equal to libdw's walk"
