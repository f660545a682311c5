#!/bin/sh
# Wrong inputs rather than damaged ones: files that are not ELF, ELF files
# that are not cores, cores paired with another program's executable or
# plugins, cores with their notes cut out. mapsleuth info and scan must
# survive each (tests/fuzz/damage-subr.sh says what that means).
# Corpus: clean and plugins (bash corpus/<case>/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/info-subr.sh"
. "$abs_srcdir/fuzz/damage-subr.sh"

testcase clean go1.19
old=$case_dir
testcase clean go1.26
new=$case_dir
testcase plugins go1.26
plug=$case_dir

# Not ELF: empty, text, random bytes, an ELF magic followed by noise.
: > empty
echo "not a core" > text
: > noise
fill noise 0 4096
printf '\177ELF\002\001\001' > magic
cat noise >> magic
for f in empty text noise magic; do
	survive_all "$f" "$f" --exe "$new/clean"
	survive_all "$f as exe" "$new/core" --exe "$PWD/$f"
done
survive_all "a directory" "$PWD"
survive_all "/dev/null" /dev/null --exe "$new/clean"

# ELF files that are not cores: the executable, a plugin, this tool.
survive_all "exe as core" "$new/clean" --exe "$new/clean"
survive_all "plugin as core" "$plug/geo.so" --exe "$plug/plugins"
survive_all "object as core" "$abs_top_builddir/tests/fuzz/replay-map" --exe "$new/clean"

# A core with another program: the other Go version, the other case, a
# plugin as the executable, C code as the executable, and the right
# executable but another case's plugins.
survive_all "go1.19 core, go1.26 exe" "$old/core" --exe "$new/clean"
survive_all "go1.26 core, go1.19 exe" "$new/core" --exe "$old/clean"
survive_all "plugins core, clean exe" "$plug/core" --exe "$new/clean" --solib-search "$plug"
survive_all "clean core, plugin exe" "$new/core" --exe "$plug/geo.so"
survive_all "clean core, C exe" "$new/core" --exe "$abs_top_builddir/tests/fuzz/replay-map"
mkdir -p wrongso
cp "$plug/geo.so" wrongso/auth.so
cp "$plug/auth.so" wrongso/geo.so
survive_all "plugins swapped" "$plug/core" --exe "$plug/plugins" --solib-search "$PWD/wrongso"
survive_all "plugins missing" "$plug/core" --exe "$plug/plugins" --solib-search "$PWD/empty-dir"
# No executable given: found (or not) through the core's file notes.
survive_all "no exe" "$new/core"

# The executable damaged: its DWARF and build id scrambled (seeded).
cp "$new/clean" bad.exe
sz=$(wc -c < bad.exe)
scramble bad.exe 4096 $((sz - 8192)) 200
survive_all "scrambled exe" "$new/core" --exe "$PWD/bad.exe"
head -c $((sz / 2)) "$new/clean" > half.exe
survive_all "half an exe" "$new/core" --exe "$PWD/half.exe"

echo "$n_runs runs of mapsleuth survived wrong inputs (scan: $have_scan)"
