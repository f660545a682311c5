#!/bin/sh
# make fuzz: build each harness with clang's libFuzzer, ASan and UBSan, and
# run it for FUZZ_SECONDS from its seeds (seeds/<harness>/, made from the
# corpus by make-seeds.sh) and its regression inputs (regress/<harness>/).
# Crashes are left in $builddir/tests/fuzz/libfuzzer/crashes/<harness>/; fix the bug,
# then copy the input to regress/<harness>/ so that make check replays it.
# Skips (exit 0, with a line saying why) when clang or its fuzzer runtime is
# missing: apt-get install -y clang libclang-rt-14-dev.
#
# usage: run-fuzz.sh TOP_SRCDIR TOP_BUILDDIR SECONDS [HARNESS...]
# Environment: DEPS_CFLAGS, DEPS_LIBS (libdw, libelf, capstone), CLANG,
# FUZZ_JOBS (parallel harnesses, default 2), FUZZ_SUMMARY (a file the
# summary lines are appended to).
set -eu

top_srcdir=$1 top_builddir=$2 seconds=$3
shift 3
harnesses=${*:-core notes dwarf map descriptor}
CLANG=${CLANG:-$(command -v clang || command -v clang-14 || true)}
DEPS_CFLAGS=${DEPS_CFLAGS:-$(pkg-config --cflags libdw libelf capstone 2>/dev/null || true)}
DEPS_LIBS=${DEPS_LIBS:-$(pkg-config --libs libdw libelf capstone 2>/dev/null || echo "-ldw -lelf -lcapstone")}
FUZZ_JOBS=${FUZZ_JOBS:-2}
src=$top_srcdir/tests/fuzz
out=$top_builddir/tests/fuzz/libfuzzer
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"

if [ -z "$CLANG" ]; then
	echo "fuzz: SKIP: clang not installed (apt-get install -y clang libclang-rt-14-dev)"
	exit 0
fi
mkdir -p "$out/obj"
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' > "$out/obj/probe.c"
if ! "$CLANG" -fsanitize=fuzzer $san -o "$out/obj/probe" "$out/obj/probe.c" 2> /dev/null; then
	echo "fuzz: SKIP: $CLANG cannot link -fsanitize=fuzzer (apt-get install -y libclang-rt-14-dev)"
	exit 0
fi

# The library as lib/Makefile.am lists it, instrumented for coverage, in an
# archive so that each harness pulls only what it uses.
cflags="-g -O1 -fno-omit-frame-pointer $san -fsanitize=fuzzer-no-link -I$top_builddir -I$top_srcdir/lib -I$src $DEPS_CFLAGS"
lib_sources=$(sed -n '/^libmapsleuth_a_SOURCES/,/^$/p' "$top_srcdir/lib/Makefile.am" |
	tr ' \t\\' '\n\n\n' | grep '\.c$')
objs=
for f in $lib_sources; do
	o=$out/obj/${f%.c}.o
	if [ ! -f "$o" ] || [ "$top_srcdir/lib/$f" -nt "$o" ] ||
	   [ -n "$(find "$top_srcdir/lib" -name '*.h' -newer "$o" | head -n 1)" ]; then
		echo "  CC(fuzz) lib/$f"
		# shellcheck disable=SC2086
		"$CLANG" $cflags -c -o "$o" "$top_srcdir/lib/$f"
	fi
	objs="$objs $o"
done
rm -f "$out/obj/libfuzz.a"
# shellcheck disable=SC2086
ar rcs "$out/obj/libfuzz.a" $objs

for h in $harnesses; do
	echo "  CCLD(fuzz) fuzz-$h"
	# shellcheck disable=SC2086
	"$CLANG" $cflags -fsanitize=fuzzer -o "$out/fuzz-$h" "$src/fuzz-$h.c" \
		"$out/obj/libfuzz.a" $DEPS_LIBS
done

# The working corpus starts from the seeds and regression inputs and keeps
# what libFuzzer adds between runs (it lives in the build tree only).
run_one()
{
	h=$1
	work=$out/corpus/$h
	mkdir -p "$work" "$out/crashes/$h"
	for f in "$src/seeds/$h"/* "$src/regress/$h"/*; do
		[ -f "$f" ] || continue
		case $f in
		*.zst) zstd -q -d -f "$f" -o "$work/$(basename "$f" .zst)" ;;
		*) cp "$f" "$work/" ;;
		esac
	done
	max_len=$(ls -l "$work" | awk 'NR > 1 && $5 > m { m = $5 } END { print m + 4096 }')
	rc=0
	# -rss_limit_mb: the harnesses must work in bounded memory; -timeout: a
	# single input taking 10 s is a hang.
	"$out/fuzz-$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$max_len" -print_final_stats=1 -artifact_prefix="$out/crashes/$h/" \
		-close_fd_mask=3 "$work" > "$out/fuzz-$h.log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz-$h.log")
	secs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/fuzz-$h.log")
	cov=$(grep -o 'cov: [0-9]*' "$out/fuzz-$h.log" | tail -n 1)
	crashes=$(ls "$out/crashes/$h" | wc -l)
	line="fuzz-$h: ${execs:-?} executions in ${seconds} s (${secs:-?}/s), $cov, corpus $(ls "$work" | wc -l) inputs, exit $rc, $crashes crash files"
	echo "$line"
	[ -z "${FUZZ_SUMMARY:-}" ] || echo "$line" >> "$FUZZ_SUMMARY"
	[ "$rc" -eq 0 ] || { tail -n 60 "$out/fuzz-$h.log"; return 1; }
}

fail=0
set -- $harnesses
while [ $# -gt 0 ]; do
	pids=
	i=0
	while [ $# -gt 0 ] && [ $i -lt "$FUZZ_JOBS" ]; do
		run_one "$1" > "$out/fuzz-$1.summary" 2>&1 &
		pids="$pids $!:$1"
		i=$((i + 1))
		shift
	done
	for p in $pids; do
		wait "${p%%:*}" || fail=1
		cat "$out/fuzz-${p#*:}.summary"
	done
done
[ $fail -eq 0 ] || { echo "fuzz: a harness crashed; inputs in $out/crashes/"; exit 1; }
echo "fuzz: no crash"
