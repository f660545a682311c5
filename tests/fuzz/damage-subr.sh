# Shared code of tests/run-damaged-*.sh: make damaged copies of corpus cores
# and check that mapsleuth survives them. Sourced after test-subr.sh and
# info-subr.sh.
#
# Each run of mapsleuth must: end by itself within 60 s (timeout), stay
# under 2 GiB of address space (ulimit -v; not under ASan, which reserves
# terabytes), not die of a signal nor print a sanitizer report, and exit 0,
# 1 or 2; exit 2 with exactly one line that is not a warning, "mapsleuth: ...".
# Random damage comes from a fixed seed (DAMAGE_SEED, default 1) through an
# LCG in shell arithmetic, so a failure reproduces on any machine.

DAMAGE_SEED=${DAMAGE_SEED:-1}
rand_state=$DAMAGE_SEED
n_runs=0

# rand N: a number in [0, N) in $r.
rand()
{
	rand_state=$(( (rand_state * 1103515245 + 12345) & 0x7fffffff ))
	r=$(( (rand_state >> 8) % $1 ))
}

if ldd "$MAPSLEUTH" 2> /dev/null | grep -q libasan; then
	asan=yes
else
	asan=no
fi
# ASan's exit code 1 would pass for "partial results": make reports stand out.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=99"
export ASAN_OPTIONS

have_scan=no
"$MAPSLEUTH" scan --help > /dev/null 2>&1 && have_scan=yes

command -v timeout > /dev/null || skip "timeout (coreutils) not installed"

# survive LABEL ARGS...: run mapsleuth ARGS on a damaged input and check
# the rules above; LABEL names the damage in failures.
survive()
{
	local label=$1 rc=0
	shift
	n_runs=$((n_runs + 1))
	(
		[ "$asan" = yes ] || ulimit -v 2097152
		exec timeout -k 5 60 "$MAPSLEUTH" "$@"
	) > run.out 2> run.err || rc=$?
	if grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error: ' run.err; then
		head -n 30 run.err
		fail "$label: mapsleuth $*: sanitizer report"
	fi
	case $rc in
	0|1)
		[ -s run.out ] || { cat run.err; fail "$label: mapsleuth $*: exit $rc with no output"; } ;;
	2)
		local lines
		lines=$(grep -v '^mapsleuth: warning: ' run.err | wc -l)
		if [ "$lines" -ne 1 ] || ! grep -v '^mapsleuth: warning: ' run.err | grep -q '^mapsleuth: '; then
			cat run.err
			fail "$label: mapsleuth $*: exit 2 without exactly one error line"
		fi ;;
	124|137)
		fail "$label: mapsleuth $*: still running after 60 s" ;;
	*)
		tail -n 20 run.err
		fail "$label: mapsleuth $*: exit $rc (signal or unexpected status)" ;;
	esac
}

# survive_all LABEL CORE [ARGS...]: info, and scan when it exists, on CORE.
survive_all()
{
	local label=$1 core=$2
	shift 2
	survive "$label" info "$@" "$core"
	survive "$label" info --json "$@" "$core"
	if [ "$have_scan" = yes ]; then
		survive "$label" scan "$@" "$core"
		survive "$label" scan --json --all "$@" "$core"
	fi
}

u64() { od -An -tu8 -j "$2" -N 8 "$1" | tr -d ' '; }

# phdrs CORE: "TYPE OFFSET VADDR FILESZ MEMSZ" per program header, decimal.
# Addresses past 2^63 (the vsyscall page) do not fit shell arithmetic and are
# left out.
phdrs()
{
	local phoff phnum
	phoff=$(u64 "$1" 32)
	phnum=$(od -An -tu2 -j 56 -N 2 "$1" | tr -d ' ')
	od -An -v -tu8 -w56 -j "$phoff" -N $((phnum * 56)) "$1" |
		awk '{ t = $1 % 4294967296; if (length($3) < 19) print t, $2, $3, $5, $6 }'
}

# setup_core CORE: read its layout into $phoff $phnum $note_off $note_size
# $heap_off (the file offset of the first dumped Go heap byte, or empty)
# and the PT_LOAD table into ./loads.
setup_core()
{
	phoff=$(u64 "$1" 32)
	phnum=$(od -An -tu2 -j 56 -N 2 "$1" | tr -d ' ')
	phdrs "$1" > phdrs.txt
	awk '$1 == 1 && $4 > 0' phdrs.txt > loads
	read -r _ note_off _ note_size _ <<-EOF2
	$(awk '$1 == 4 { print; exit }' phdrs.txt)
	EOF2
	[ -n "$note_off" ] || fail "$1 has no PT_NOTE"
	heap_off=
	local a
	a=$(truth_addrs | awk '$3 == "header" { print $4; exit }')
	[ -z "$a" ] || heap_off=$(addr_off "$a")
}

# addr_off ADDR: the core file offset of address ADDR (0x...), or nothing
# when no PT_LOAD holds its bytes.
addr_off()
{
	local a=$(($1)) t off va fsz msz
	while read -r t off va fsz msz; do
		if [ "$a" -ge "$va" ] && [ "$a" -lt $((va + fsz)) ]; then
			echo $((off + a - va))
			return
		fi
	done < loads
}

# poke FILE OFFSET BYTE...: write bytes (decimal values) at OFFSET.
poke()
{
	local f=$1 off=$2 s= b
	shift 2
	for b; do s=$s$(printf '\\%03o' "$b"); done
	printf "$s" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}

# scramble FILE OFFSET LEN N: N random bytes at random places in [OFFSET, OFFSET+LEN).
scramble()
{
	local f=$1 off=$2 len=$3 n=$4 i
	for i in $(seq "$n"); do
		rand "$len"; local at=$((off + r))
		rand 256
		poke "$f" "$at" "$r"
	done
}

# fill FILE OFFSET LEN: LEN random bytes at OFFSET.
fill()
{
	local f=$1 off=$2 len=$3 s= i
	for i in $(seq "$len"); do rand 256; s="$s $r"; done
	# shellcheck disable=SC2086
	poke "$f" "$off" $s
}

# damage_core LABEL CORE ARGS...: every kind of damage to CORE, each
# checked with survive_all; ARGS (--exe, --solib-search) go to mapsleuth.
damage_core()
{
	local label=$1 core=$2 size n what a off
	shift 2
	setup_core "$core"
	size=$(wc -c < "$core")

	# The healthy core first: the rules hold there too.
	survive_all "$label healthy" "$core" "$@"

	# Truncated: in the ELF header, in the program headers, at their end,
	# in the notes, in the first and the middle of the memory, one byte short.
	for n in 10 63 $((phoff + 20)) $((phoff + phnum * 56 - 3)) $((note_off + 10)) \
		 $((note_off + note_size / 2)) $((note_off + note_size - 1)) \
		 ${heap_off:+$((heap_off + 100))} $((size / 2)) $((size - 1)); do
		[ "$n" -lt "$size" ] || continue
		head -c "$n" "$core" > cut.core
		survive_all "$label cut at $n" cut.core "$@"
	done

	# Notes zeroed, and notes of random bytes.
	cp --sparse=always "$core" v.core
	dd if=/dev/zero of=v.core bs=1 seek="$note_off" count="$note_size" conv=notrunc status=none
	survive_all "$label notes zeroed" v.core "$@"
	cp --sparse=always "$core" v.core
	scramble v.core "$note_off" "$note_size" 64
	survive_all "$label notes scrambled" v.core "$@"
	cp --sparse=always "$core" v.core
	scramble v.core "$phoff" $((phnum * 56)) 16
	survive_all "$label program headers scrambled" v.core "$@"

	# Map headers and their storage (truth.json addresses), damaged in
	# several ways; each round starts from the healthy core.
	truth_addrs | awk '{ print $3, $4 }' > addrs
	local round
	for round in headers-bytes headers-pointers headers-ff headers-huge storage-bytes storage-words; do
		cp --sparse=always "$core" v.core
		while read -r what a; do
			off=$(addr_off "$a")
			[ -n "$off" ] || continue
			case $round:$what in
			headers-bytes:header) scramble v.core "$off" 48 6 ;;
			headers-pointers:header) fill v.core $((off + 16)) 24 ;;
			headers-ff:header)
				# shellcheck disable=SC2046
				poke v.core "$off" $(yes 255 | head -n 48) ;;
			headers-huge:header)
				# count, B (classic) / dirLen (swiss) and the depth as big as they go.
				poke v.core "$off" 255 255 255 255 255 255 255 127 0 63
				poke v.core $((off + 24)) 255 255 255 255 255 255 255 127 64 64 ;;
			storage-bytes:buckets|storage-bytes:oldbuckets|storage-bytes:dirPtr|storage-bytes:table)
				scramble v.core "$off" 512 24 ;;
			storage-words:buckets|storage-words:dirPtr|storage-words:table)
				rand 64; fill v.core $((off + r * 8)) 8
				rand 64; fill v.core $((off + r * 8)) 8 ;;
			esac
		done < addrs
		survive_all "$label $round (seed $DAMAGE_SEED)" v.core "$@"
	done
	rm -f v.core cut.core
}
