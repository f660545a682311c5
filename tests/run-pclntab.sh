#!/bin/sh
# Function names from the pclntab: every .symtab function of the unstripped
# binaries, the stripped twins, files without section headers, and a
# damaged table. Corpus cases: clean (bash corpus/clean/gen/regen.sh) and
# plugins (bash corpus/plugins/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"

TOOL="$abs_top_builddir/tests/helper/ms-pclntab-tool"
require_zstd

# exe CASE TC FILE: decompress one file of a case (not its core) to
# ./CASE-TC-FILE and print that name; skips when the case is absent.
exe()
{
	local src="$CORPUS/$1/$2/$3.zst" out="$test_dir/$1-$2-$3"
	[ -f "$src" ] || skip "corpus case $1/$2 not present"
	[ -f "$out" ] || "$ZSTD" -q -d -f "$src" -o "$out"
	echo "$out"
}

# field FILE KEY: a value of 'ms-pclntab-tool info'.
field()
{
	"$TOOL" info "$1" | awk -v k="$2" '$1 == k { print $2 }'
}

# addr_of FILE NAME: the entry of a function by its pclntab name.
addr_of()
{
	"$TOOL" funcs "$1" | awk -v n="$2" '$3 == n { print $1 }'
}

# size_of FILE NAME: the size of a function by its pclntab name.
size_of()
{
	"$TOOL" funcs "$1" | awk -v n="$2" '$3 == n { print $2 " - " $1 }' |
		while read -r e m s; do echo $((e - s)); done
}

# no_shdrs IN OUT: a copy whose ELF header has no section headers
# (e_shoff, e_shnum and e_shstrndx zeroed).
no_shdrs()
{
	cp "$1" "$2"
	printf '\0\0\0\0\0\0\0\0' | dd of="$2" bs=1 seek=40 conv=notrunc 2>/dev/null
	printf '\0\0\0\0' | dd of="$2" bs=1 seek=60 conv=notrunc 2>/dev/null
}

# 1. Every function symbol inside the Go text agrees with the pclntab, in
# executables of each toolchain, a cgo executable and Go plugins (text
# start from pcHeader before 1.26, from runtime.text after).
for tc in go1.19 go1.21 go1.23 go1.24 go1.25 go1.26; do
	[ -f "$CORPUS/clean/$tc/clean.zst" ] || continue
	f=$(exe clean "$tc" clean)
	"$TOOL" verify "$f" > verify.out || { cat verify.out; fail "clean/$tc: pclntab disagrees with .symtab"; }
	echo "clean/$tc: $(tr '\n' ' ' < verify.out)"
done
for tc in go1.19 go1.26; do
	for file in plugins geo.so auth.so; do
		f=$(exe plugins "$tc" "$file")
		"$TOOL" verify "$f" > verify.out || { cat verify.out; fail "plugins/$tc/$file: pclntab disagrees with .symtab"; }
		echo "plugins/$tc/$file: $(tr '\n' ' ' < verify.out)"
	done
done

# 2. Stripped twins (-ldflags='-s -w') name the same functions. The go1.19
# pair has the same code layout; the go1.26 twin's main.readHeader is
# 0x60 bytes longer, which moves main.main but not its size.
for tc in go1.19 go1.26; do
	full=$(exe clean "$tc" clean)
	stripped=$(exe clean "$tc-stripped" clean)
	"$TOOL" funcs "$full" | awk '{ print $3 }' | sort > names.full
	"$TOOL" funcs "$stripped" | awk '{ print $3 }' | sort > names.stripped
	cmp -s names.full names.stripped || { diff names.full names.stripped | head; fail "$tc-stripped: other function names"; }
	[ "$(field "$stripped" text_start)" = "$(field "$full" text_start)" ] ||
		fail "$tc-stripped: text start $(field "$stripped" text_start) (from $(field "$stripped" text_source))"
	main=$(addr_of "$stripped" main.main)
	[ -n "$main" ] || fail "$tc-stripped: no main.main"
	"$TOOL" lookup "$stripped" "$main" | grep -q " main.main $main\$" || fail "$tc-stripped: lookup of main.main"
	[ "$(addr_of "$stripped" runtime.main)" = "$(addr_of "$full" runtime.main)" ] ||
		fail "$tc-stripped: runtime.main moved"
	[ "$(size_of "$stripped" main.main)" = "$(size_of "$full" main.main)" ] ||
		fail "$tc-stripped: main.main has another size"
	echo "clean/$tc-stripped: $(grep -c . names.stripped) functions, main.main at $main, text from $(field "$stripped" text_source)"
done
[ "$(addr_of "$(exe clean go1.19-stripped clean)" main.main)" = \
  "$(addr_of "$(exe clean go1.19 clean)" main.main)" ] || fail "go1.19-stripped: main.main moved"

# 3. Without section headers: the table is found by its magic (a go1.19
# plugin keeps it inside .data.rel.ro) and the text start from pcHeader or
# the file's moduledata (go1.26, externally linked: runtime.text is not
# the start of .text).
for spec in clean:go1.19-stripped:clean clean:go1.26-stripped:clean \
	    plugins:go1.19:geo.so plugins:go1.26:geo.so plugins:go1.26:plugins; do
	IFS=: read -r case tc file <<EOF
$spec
EOF
	f=$(exe "$case" "$tc" "$file")
	no_shdrs "$f" bare
	"$TOOL" info bare > info.bare || fail "$case/$tc/$file without section headers: $(cat info.bare)"
	"$TOOL" info "$f" > info.full
	for k in functions text_start; do
		[ "$(grep "^$k " info.bare)" = "$(grep "^$k " info.full)" ] ||
			fail "$case/$tc/$file without section headers: $(grep "^$k " info.bare), want $(grep "^$k " info.full)"
	done
	"$TOOL" funcs bare > funcs.bare
	"$TOOL" funcs "$f" > funcs.full
	cmp -s funcs.bare funcs.full || fail "$case/$tc/$file without section headers: other functions"
	echo "$case/$tc/$file without section headers: text from $(awk '$1 == "text_source" { print $2 }' info.bare)"
done

# 4. A damaged table is an error naming the file and offset, not a crash.
f=$(exe clean go1.26 clean)
off=$(field "$f" offset)
cp "$f" damaged
printf '\377\377\377\377\377\377\377\377' | dd of=damaged bs=1 seek=$((off + 8)) conv=notrunc 2>/dev/null
rc=0
"$TOOL" info damaged > /dev/null 2> err.out || rc=$?
[ $rc -eq 1 ] || fail "damaged function count: exit $rc"
grep -q "damaged: pclntab at $off: .* at 0x" err.out || fail "damaged function count: $(cat err.out)"
echo "damaged count: $(cat err.out)"

# The function table's second half overwritten: unsorted, rejected.
pcln=$(od -An -tu8 -j $((off + 64)) -N8 "$f" | tr -d ' ')
n=$(field "$f" functions)
cp "$f" damaged
dd if=/dev/zero of=damaged bs=1 seek=$((off + pcln + 8 * (n / 2))) count=64 conv=notrunc 2>/dev/null
rc=0
"$TOOL" info damaged > /dev/null 2> err.out || rc=$?
[ $rc -eq 1 ] && grep -q "damaged: pclntab at $off: function table not sorted at 0x" err.out ||
	fail "zeroed function table: exit $rc: $(cat err.out)"
echo "zeroed function table: $(cat err.out)"

# One function's _func offset pointed past the table: that lookup fails,
# the others still work.
cp "$f" damaged
printf '\377\377\377\177' | dd of=damaged bs=1 seek=$((off + pcln + 8 * 10 + 4)) conv=notrunc 2>/dev/null
e10=$("$TOOL" funcs "$f" | sed -n 11p | awk '{ print $1 }')
e11=$("$TOOL" funcs "$f" | sed -n 12p | awk '{ print $1 }')
"$TOOL" lookup damaged "$e10" > lookup.out && fail "lookup through a bad _func offset succeeded"
grep -q "function offset out of bounds at 0x" lookup.out || fail "bad _func offset: $(cat lookup.out)"
"$TOOL" lookup damaged "$e11" > /dev/null || fail "the next function no longer resolves"
echo "bad _func offset: $(cat lookup.out)"
exit 0
