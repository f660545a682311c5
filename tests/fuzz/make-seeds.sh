#!/bin/bash
# Remake the fuzz seeds in tests/fuzz/seeds/ from corpus cores and executables:
#   core/   the head of each core: ELF header, program headers, notes
#   notes/  the bytes of each core's PT_NOTE segment
#   dwarf/  each executable reduced to its debug sections (decompressed, and
#           one left compressed as the Go linker writes them), zstd -19
#   map/    real map headers with the objects they point to (seed-map.c)
#   descriptor/  map type descriptors with a header and a bucket or group
# usage: tests/fuzz/make-seeds.sh [BUILDDIR]   (default build/, configured and built)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
seeds=$top/tests/fuzz/seeds
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cc -g -O1 -I"$build" -I"$top/lib" -I"$top/tests/fuzz" $(pkg-config --cflags libdw libelf capstone) \
	-o "$tmp/seed-map" "$top/tests/fuzz/seed-map.c" "$build/lib/libmapsleuth.a" \
	$(pkg-config --libs libdw libelf capstone)

rm -rf "$seeds"
mkdir -p "$seeds/core" "$seeds/notes" "$seeds/dwarf" "$seeds/map"

u64() { od -An -tu8 -j "$2" -N 8 "$1" | tr -d ' '; }

# Key and element sizes of the Go types in the corpus programs; "-" when the
# seed should be untyped, and "*" for the types stored indirectly (> 128 bytes).
type_size()
{
	case $1 in
	int|int64|uint64|uintptr|\**|map\[*) echo 8 ;;
	string) echo 16 ;;
	bool) echo 1 ;;
	main.Point) echo 8 ;;
	main.BigKey|main.Big) echo '*' ;;
	\[4\]int64) echo 32 ;;
	*) echo - ;;
	esac
}

# maps TRUTH: one line per map with a header: NAME TYPE HEADER SIZE1 SIZE2 SIZE3
# (classic: B bucket_size -; swiss: group_size slot_size elem_off).
maps()
{
	awk '
	function val(s) { sub(/^[^:]*: "?/, "", s); sub(/"?,?[ \t]*$/, "", s); return s }
	function flush() { if (hdr != "" && hdr != "0x0") print name, type, hdr, a, b, c; hdr = ""; a = b = c = "-" }
	/^    \{/ { flush() }
	/^      "name": / { name = val($0); gsub(/[^A-Za-z0-9_.]/, "_", name) }
	/^      "type": / { type = val($0) }
	/^      "header": / { hdr = val($0) }
	/^        "B": / { a = val($0) }
	/^        "bucket_size": / { b = val($0) }
	/^        "group_size": / { a = val($0) }
	/^        "slot_size": / { b = val($0) }
	/^        "elem_off": / { c = val($0) }
	END { flush() }
	' "$1"
}

for c in clean/go1.19 clean/go1.26 clean/go1.24-noswiss plugins/go1.26 crash/go1.19 unmapped/go1.26 freed/go1.19 clean/go1.26-gcore; do
	src=$top/corpus/$c
	[ -d "$src" ] || continue
	d=$tmp/${c//\//-}
	mkdir -p "$d"
	for f in "$src"/*.zst; do zstd -q -d -f "$f" -o "$d/$(basename "$f" .zst)"; done
	cp "$src/truth.json" "$d/"
	core=$d/core
	exe=$d/${c%%/*}
	name=${c//\//-}

	phoff=$(u64 "$core" 32)
	phnum=$(od -An -tu2 -j 56 -N 2 "$core" | tr -d ' ')
	# The PT_NOTE: first in kernel cores, last in gcore's.
	for ((i = 0; i < phnum; i++)); do
		ph=$((phoff + i * 56))
		[ "$(od -An -tu4 -j "$ph" -N 4 "$core" | tr -d ' ')" -eq 4 ] && break
	done
	note_off=$(u64 "$core" $((ph + 8)))
	note_size=$(u64 "$core" $((ph + 32)))
	# The head up to the notes' end, and the program headers when they come later.
	end=$((note_off + note_size + 64))
	[ $((phoff + phnum * 56)) -le $end ] || end=$((phoff + phnum * 56))
	# gcore writes its notes after the memory: no small head there.
	[ "$end" -gt 1048576 ] || head -c "$end" "$core" > "$seeds/core/$name"
	dd if="$core" of="$seeds/notes/$name" iflag=skip_bytes,count_bytes skip="$note_off" count="$note_size" status=none

	case $c in
	clean/go1.19|clean/go1.26)
		objcopy --decompress-debug-sections -j .debug_abbrev -j .debug_info -j .debug_str \
			-j .debug_addr -j .debug_str_offsets -j .debug_line_str "$exe" "$tmp/$name.elf" 2> /dev/null
		zstd -q -19 -f "$tmp/$name.elf" -o "$seeds/dwarf/$name.elf.zst" ;;
	crash/go1.19)
		objcopy -j .debug_abbrev -j .debug_info "$exe" "$tmp/$name-z.elf" 2> /dev/null
		zstd -q -19 -f "$tmp/$name-z.elf" -o "$seeds/dwarf/$name-compressed.elf.zst" ;;
	esac

	impl=$(sed -n 's/^  "impl": "\(.*\)",*$/\1/p' "$d/truth.json")
	case $c in *go1.19*) variant=0 ;; *noswiss*) variant=1 ;; *) variant=2 ;; esac
	while read -r mname type hdr a b cc; do
		k=${type#map\[}
		depth=1 key=
		while [ -n "$k" ]; do
			ch=${k:0:1}; k=${k:1}
			case $ch in \[) depth=$((depth + 1)) ;; \]) depth=$((depth - 1)) ;; esac
			[ $depth -eq 0 ] && break
			key=$key$ch
		done
		elem=$k
		ks=$(type_size "$key") es=$(type_size "$elem")
		flags=0
		[ "$ks" = '*' ] && { ks=8; flags=$((flags | 2)); }
		[ "$es" = '*' ] && { es=8; flags=$((flags | 4)); }
		if [ "$ks" != - ] && [ "$es" != - ]; then flags=$((flags | 1)); fi
		[ "$ks" != - ] || ks=8
		[ "$es" != - ] || es=8
		if [ "$impl" = swiss ]; then
			# group: ctrl word, then slots of slot_size with the element at elem_off.
			set -- "$a" 0 8 "$b" $((8 + cc)) "$b"
		else
			set -- "$b" $((b - 8)) 8 "$ks" $((8 + 8 * ks)) "$es"
		fi
		"$tmp/seed-map" "$core" "$exe" "$seeds/map/$name-$mname" "$variant" "$flags" "$@" "$hdr" > /dev/null
	done < <(maps "$d/truth.json")
	rm -rf "$d"
done
# descriptor/: a runtime map type descriptor of map[int64]int64 at +8, the
# header at +120, abi.Types of int64 at +200 and +248, storage at +296 (the
# image starts at 0x100000 in fuzz-descriptor.c). Byte 0 picks the version.
mkdir -p "$seeds/descriptor"
le() { local v=$1 n=$2 i; for ((i = 0; i < n; i++)); do printf "\\$(printf %03o $(( (v >> (8 * i)) & 255 )))"; done; }
zeros() { head -c "$1" /dev/zero; }
abi_int64() { le 8 8; le 0 8; le 0 4; le 0 1; le 8 1; le 8 1; le 6 1; zeros 24; }
image()	# VERSION_INDEX IMPL
{
	local base=$((0x100000))
	le "$1" 1; zeros 7
	abi_int64					# the map's own abi.Type (48)
	le $((base + 200)) 8; le $((base + 248)) 8	# Key, Elem
	le 0 8; le 0 8					# Bucket/Group, Hasher
	if [ "$2" = swiss ]; then
		le 136 8; le 16 8; le 8 8; le 0 4; zeros 4	# GroupSize, SlotSize, ElemOff, Flags
	else
		le 8 1; le 8 1; le 144 2; le 0 4; zeros 24	# KeySize, ValueSize, BucketSize, Flags
	fi
	# header (56 bytes): count/used 2, storage at +296
	if [ "$2" = swiss ]; then
		le 2 8; le 4660 8; le $((base + 296)) 8; le 0 8; zeros 24
	else
		le 2 8; le 0 1; le 0 1; le 0 2; le 4660 4; le $((base + 296)) 8; zeros 32
	fi
	zeros 24
	abi_int64; abi_int64
	# storage: swiss group (ctrl, 8 slots of key+elem) or classic bucket
	if [ "$2" = swiss ]; then
		le $((0x8080808080801122)) 8
	else
		le $((0x0000000000002211)) 8
	fi
	for i in 1 2 3 4 5 6 7 8; do le $i 8; le $((i * 10)) 8; done
	le 0 8
}
image 0 classic > "$seeds/descriptor/classic-go1.19"
image 2 classic > "$seeds/descriptor/classic-go1.24-noswiss"
image 4 swiss > "$seeds/descriptor/swiss-go1.26"

du -sh "$seeds"/*
