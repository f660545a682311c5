# Helpers for tests/run-partial-*.sh and run-salvage.sh: damage corpus cores
# and executables at test time, and check that what could not be examined
# is said and exits 1, never a silent "no suspect" and exit 0.
# Sourced after test-subr.sh, info-subr.sh and scan-subr.sh.

# u64, poke, addr_off and setup_core come from the damage helpers.
. "$abs_srcdir/fuzz/damage-subr.sh"

u32() { od -An -tu4 -j "$2" -N 4 "$1" | tr -d ' '; }

# poke64 FILE OFFSET VALUE: a little-endian 64-bit word.
poke64()
{
	local v=$3 i b=
	for i in 0 1 2 3 4 5 6 7; do
		b="$b $(( (v >> (8 * i)) & 255 ))"
	done
	# shellcheck disable=SC2086
	poke "$1" "$2" $b
}

# zero_loads CORE: p_filesz 0 in every PT_LOAD, as a core written with
# coredump_filter 0 has them (nothing of the process's memory saved).
zero_loads()
{
	local phoff phnum i
	phoff=$(u64 "$1" 32)
	phnum=$(od -An -tu2 -j 56 -N 2 "$1" | tr -d ' ')
	for i in $(seq 0 $((phnum - 1))); do
		[ "$(u32 "$1" $((phoff + i * 56)))" -eq 1 ] || continue
		poke64 "$1" $((phoff + i * 56 + 32)) 0
	done
}

# note_find CORE TYPE: "TYPE_OFFSET DESC_OFFSET DESCSZ" of the first note of
# TYPE in the core's first PT_NOTE, or nothing.
note_find()
{
	local phoff phnum i off end namesz descsz type
	phoff=$(u64 "$1" 32)
	phnum=$(od -An -tu2 -j 56 -N 2 "$1" | tr -d ' ')
	for i in $(seq 0 $((phnum - 1))); do
		[ "$(u32 "$1" $((phoff + i * 56)))" -eq 4 ] || continue
		off=$(u64 "$1" $((phoff + i * 56 + 8)))
		end=$((off + $(u64 "$1" $((phoff + i * 56 + 32)))))
		while [ $((off + 12)) -le "$end" ]; do
			namesz=$(u32 "$1" "$off")
			descsz=$(u32 "$1" $((off + 4)))
			type=$(u32 "$1" $((off + 8)))
			local desc=$((off + 12 + (namesz + 3) / 4 * 4))
			if [ "$type" -eq "$2" ]; then
				echo $((off + 8)) "$desc" "$descsz"
				return
			fi
			off=$((desc + (descsz + 3) / 4 * 4))
		done
		return
	done
}

# expect_partial LABEL RC: RC must be 1 and ./out.txt must not say the core
# is clean.
expect_partial()
{
	[ "$2" -eq 1 ] || { cat err.txt; fail "$1: exited $2, expected 1 (partial)"; }
	if grep -q '^no suspect map\.$' out.txt; then
		cat out.txt
		fail "$1: says 'no suspect map' although results are partial"
	fi
}

# truth_globals: NAME of every map the program held in a global variable
# of map type, one a line.
truth_globals()
{
	truth_maps | awk '$4 == "global" && $1 != "0x0" { print $6 }'
}
