#!/bin/sh
# Damaged and wrong inputs made at test time from one corpus core: each must
# give one line "mapsleuth: FILE: what is wrong" and exit 2 (or, for a core cut
# inside its memory, a warning and exit 1; for notes cut or damaged, salvage
# with --exe and exit 1), never a crash or a hang.
# Corpus: any of corpus/clean (bash corpus/clean/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/info-subr.sh"

c=$(corpus_cases clean | grep -v -e gcore -e stripped | tail -n 1)
[ -n "$c" ] || skip "no corpus case clean"
testcase "${c%%/*}" "${c#*/}"
core=$case_dir/core
exe=$case_dir/$(truth_str exe)

# expect_fatal FILE ARGS...: info on ARGS exits 2 with one line naming FILE.
expect_fatal()
{
	local file=$1 rc=0
	shift
	"$MAPSLEUTH" info "$@" > out.txt 2> err.txt || rc=$?
	[ "$rc" -eq 2 ] || { cat err.txt; fail "info $* exited $rc, expected 2"; }
	[ "$(wc -l < err.txt)" -eq 1 ] || { cat err.txt; fail "info $* printed more than one line"; }
	grep -q "^mapsleuth: $file: " err.txt || { cat err.txt; fail "info $* does not name $file"; }
	[ ! -s out.txt ] || fail "info $* printed output although it failed"
}

# u64 FILE OFFSET: a little-endian 64-bit field of FILE.
u64() { od -An -tu8 -j "$2" -N 8 "$1" | tr -d ' '; }
u16() { od -An -tu2 -j "$2" -N 2 "$1" | tr -d ' '; }

# patch FILE OFFSET BYTES...: overwrite bytes (octal escapes) in place.
patch()
{
	local f=$1 off=$2
	shift 2
	printf "$*" | dd of="$f" bs=1 seek="$off" conv=notrunc 2> /dev/null
}

phoff=$(u64 "$core" 32)
phnum=$(u16 "$core" 56)
note_off=$(u64 "$core" $((phoff + 8)))
note_size=$(u64 "$core" $((phoff + 32)))
[ "$(od -An -tu4 -j "$phoff" -N 4 "$core" | tr -d ' ')" -eq 4 ] ||
	skip "first program header of the core is not PT_NOTE"

# The healthy core works, and finds the executable through --sysroot when it
# sits at its recorded path below it.
expect_exit 0 "$MAPSLEUTH" info --exe "$exe" "$core"
"$MAPSLEUTH" info --json --exe "$exe" "$core" > healthy.json
recorded=$(awk '/^  "modules": \[/ { m = 1 } m && /"path": / { sub(/.*"path": "/, ""); sub(/",$/, ""); print; exit }' healthy.json)
mkdir -p "sysroot$(dirname "$recorded")"
cp "$exe" "sysroot$recorded"
expect_exit 0 "$MAPSLEUTH" info --sysroot "$PWD/sysroot" "$core"
# An empty sysroot: the executable is not found.
mkdir -p empty
expect_fatal "$recorded" --sysroot "$PWD/empty" "$core"

# Not ELF, not a core, a missing file.
echo "not a core" > notelf
expect_fatal notelf notelf
expect_fatal "$exe" --exe "$exe" "$exe"
expect_fatal missing.core missing.core

# Truncated: inside the ELF header, inside the program headers.
for n in 10 $((phoff + 20)) $((phoff + phnum * 56 - 3)); do
	head -c "$n" "$core" > cut.core
	expect_fatal cut.core --exe "$exe" cut.core
done

# expect_salvage FILE: without --exe, refused with a hint; with it, salvaged
# from the program headers: exit 1 and the lost notes said first.
expect_salvage()
{
	local rc=0
	expect_fatal "$1" "$1"
	grep -q "give --exe to salvage" err.txt || { cat err.txt; fail "$1: no hint to salvage"; }
	"$MAPSLEUTH" info --exe "$exe" "$1" > salvage.out 2> salvage.err || rc=$?
	[ "$rc" -eq 1 ] || { cat salvage.err; fail "salvaging $1 exited $rc, expected 1"; }
	sed -n 2p salvage.out | grep -q "^lost: *notes lost" ||
		{ cat salvage.out; fail "$1: the report does not open with the lost notes"; }
}

# Cut inside the notes: salvaged with --exe.
head -c $((note_off + note_size / 2)) "$core" > cut.core
expect_salvage cut.core
# Cut inside the memory: usable, with a warning, reads past the end fail.
size=$(wc -c < "$core")
head -c $((size / 2)) "$core" > half.core
rc=0
"$MAPSLEUTH" info --exe "$exe" half.core > half.out 2> half.err || rc=$?
[ "$rc" -eq 1 ] || { cat half.err; fail "half a core exited $rc, expected 1"; }
grep -q "^mapsleuth: warning: half.core: core file is truncated" half.err ||
	{ cat half.err; fail "half a core gives no truncation warning"; }

# Zeroed notes: no thread left.
cp "$core" zeroed.core
dd if=/dev/zero of=zeroed.core bs=1 seek="$note_off" count="$note_size" conv=notrunc 2> /dev/null
expect_salvage zeroed.core

# Another machine, another class.
cp "$core" arm.core
patch arm.core 18 '\267\000'
expect_fatal arm.core --exe "$exe" arm.core
cp "$core" class32.core
patch class32.core 4 '\001'
expect_fatal class32.core --exe "$exe" class32.core

# The wrong executable: its build id differs from the core's.
expect_fatal "$TOOL" --exe "$TOOL" "$core"
"$MAPSLEUTH" info --exe "$TOOL" "$core" 2> wrong.err || true
grep -q "build id .* does not match the core's" wrong.err || fail "mismatch message lacks both build ids"

# Usage errors.
expect_exit 64 "$MAPSLEUTH" info
expect_exit 64 "$MAPSLEUTH" info --no-such-option "$core"
expect_exit 64 "$MAPSLEUTH" info "$core" "$core"
exit 0
