#!/bin/sh
# Bad input to mapsleuth layout: a file that is not ELF, a truncated
# executable, damaged compressed and uncompressed DWARF. Each must give one
# line "mapsleuth: FILE: ..." and exit 2, never a crash; bytes flipped at
# random places may also go unnoticed (exit 0), but still never crash.
# Uses corpus/clean (corpus/make-case.sh clean).
. "$abs_srcdir/test-subr.sh"

command -v python3 > /dev/null || skip "python3 not installed"

tc=$(corpus_cases clean | sed -n 's|^clean/||p' | grep -v -- '-stripped$' | tail -n 1)
[ -n "$tc" ] || skip "corpus case clean not present"
testcase clean "$tc"
exe="$case_dir/clean"

# expect_fatal FILE: exit 2 with one line naming the file.
expect_fatal()
{
	rc=0
	"$MAPSLEUTH" layout "$1" > out.txt 2> err.txt || rc=$?
	[ $rc -eq 2 ] || fail "layout $1 exited $rc, expected 2: $(cat err.txt)"
	[ "$(wc -l < err.txt)" -eq 1 ] || fail "layout $1: want one line of error, got: $(cat err.txt)"
	grep -q "^mapsleuth: $1: " err.txt || fail "layout $1: error does not name the file: $(cat err.txt)"
}

# expect_no_crash FILE: exit 0 or 2, and one line of error for 2.
expect_no_crash()
{
	rc=0
	"$MAPSLEUTH" layout --json "$1" > out.txt 2> err.txt || rc=$?
	case $rc in
	0) ;;
	2) [ "$(wc -l < err.txt)" -eq 1 ] || fail "layout $1: want one line of error, got: $(cat err.txt)" ;;
	*) fail "layout $1 exited $rc: $(tail -n 5 err.txt)" ;;
	esac
}

# patch FILE SECTION OFFSET BYTES...: overwrite bytes at OFFSET of a section's
# file contents (OFFSET may be "mid" or "end-N").
patch()
{
	python3 - "$@" <<'PY'
import struct, sys
path, section, where = sys.argv[1], sys.argv[2], sys.argv[3]
data = bytearray(open(path, 'rb').read())
shoff, = struct.unpack_from('<Q', data, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x3a)
def sh(i):
    return struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * shentsize)
stroff = sh(shstrndx)[4]
for i in range(shnum):
    name, typ, flags, addr, off, size = sh(i)[:6]
    end = data.index(b'\0', stroff + name)
    if data[stroff + name:end].decode() == section:
        break
else:
    sys.exit('no section ' + section)
if where == 'mid':
    at = size // 2
elif where.startswith('end-'):
    at = size - int(where[4:])
else:
    at = int(where, 0)
for i, b in enumerate(sys.argv[4:]):
    data[off + at + i] = int(b, 16)
open(path, 'wb').write(data)
PY
}

# Not an ELF file, no file at all.
echo "not a binary" > text.exe
expect_fatal text.exe
expect_fatal does-not-exist

# Truncated: the DWARF sections sit at the end of a Go executable.
size=$(wc -c < "$exe")
head -c $((size / 2)) "$exe" > half.exe
expect_fatal half.exe
head -c 100 "$exe" > head.exe
expect_fatal head.exe

# Compressed DWARF (every Go linker): corrupt the zlib stream.
cp "$exe" zdamaged.exe
patch zdamaged.exe .debug_info mid ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff
expect_fatal zdamaged.exe
cp "$exe" zhdr.exe
patch zhdr.exe .debug_info 0 05 00 00 00
expect_fatal zhdr.exe

# Uncompressed DWARF: a unit length past the end of .debug_info, and a
# unit whose abbreviations are gone.
OBJCOPY=$(command -v objcopy || true)
if [ -n "$OBJCOPY" ] && "$OBJCOPY" --decompress-debug-sections "$exe" plain.exe 2> /dev/null; then
	"$MAPSLEUTH" layout plain.exe > /dev/null || fail "decompressed DWARF does not read"
	cp plain.exe badlen.exe
	patch badlen.exe .debug_info 0 f0 ff ff 7f
	expect_fatal badlen.exe
	cp plain.exe badabbrev.exe
	python3 - badabbrev.exe <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, 'rb').read())
shoff, = struct.unpack_from('<Q', data, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x3a)
def sh(i):
    return struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * shentsize)
stroff = sh(shstrndx)[4]
for i in range(shnum):
    name, typ, flags, addr, off, size = sh(i)[:6]
    end = data.index(b'\0', stroff + name)
    if data[stroff + name:end].decode() == '.debug_abbrev':
        data[off:off + size] = b'\xff' * size
open(path, 'wb').write(data)
PY
	expect_fatal badabbrev.exe
	# Flip bytes all over .debug_info: no crash, whatever the verdict.
	for at in 0x10 0x40 0x100 0x1000 0x4000 0x10000 mid end-64 end-8; do
		cp plain.exe flip.exe
		patch flip.exe .debug_info "$at" 5a a5 ff 00 13
		expect_no_crash flip.exe
	done
fi

# Usage errors.
expect_exit 64 "$MAPSLEUTH" layout
expect_exit 64 "$MAPSLEUTH" layout --no-such-option "$exe"
expect_exit 64 "$MAPSLEUTH" layout "$exe" "$exe"
exit 0
