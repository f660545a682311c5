#!/bin/sh
# make bench: cost of a core that names many files (NT_FILE) or has many
# threads, against the unmodified corpus core in the same run. Linear cost
# shows as a constant time per path (or thread) from 10,000 to 100,000.
# usage: run-hostile-bench.sh ABS_TOP_SRCDIR ABS_TOP_BUILDDIR
set -eu
src=$1 build=$2
ms=$build/src/mapsleuth
command -v zstd >/dev/null && command -v python3 >/dev/null ||
	{ echo "hostile bench: needs zstd and python3"; exit 0; }
dir=$build/tests/bench-hostile.dir
rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"
zstd -q -d "$src/corpus/clean/go1.26/core.zst" -o core
zstd -q -d "$src/corpus/clean/go1.26/clean.zst" -o clean
chmod +x clean
secs() {	# secs CORE: best of 3 wall-clock seconds of `mapsleuth info`
	best=
	for _ in 1 2 3; do
		t0=$(date +%s.%N)
		"$ms" info --exe clean "$1" > /dev/null 2>&1 || true
		t=$(echo "$(date +%s.%N) - $t0" | bc)
		if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
	done
	echo "$best"
}
base=$(secs core)
printf 'hostile bench: mapsleuth info on corpus/clean/go1.26 (baseline, unmodified core): %.3f s\n' "$base"
printf '%-8s %8s %10s %14s\n' what n seconds "us per item"
for n in 10000 20000 50000 100000; do
	python3 "$src/tests/hostile-core.py" core "files$n.core" --many-files "$n"
	t=$(secs "files$n.core")
	printf '%-8s %8d %10.3f %14.1f\n' paths "$n" "$t" "$(echo "($t - $base) * 1000000 / $n" | bc -l)"
done
for n in 5000 10000 20000; do
	python3 "$src/tests/hostile-core.py" core "threads$n.core" --threads "$n"
	t=$(secs "threads$n.core")
	printf '%-8s %8d %10.3f %14.1f\n' threads "$n" "$t" "$(echo "($t - $base) * 1000000 / $n" | bc -l)"
done
cd /; rm -rf "$dir"
