#!/bin/bash
# make bench: how mapsleuth scan compares with reading the core (cat), with
# dlv core and with viewcore (and goref when it installs), on gcore dumps of
# a Go program that fills its heap with maps (fillmaps/), at several heap
# sizes. The timed runs interleave cat and the scan (A B A B A B) and keep
# the best of three, with nothing sampling them; memory is measured in a
# run of its own. Writes its tables, with the machine's load average while
# they ran and a projection to a 100 GB core, to
# TOP_BUILDDIR/tests/bench-results.md (doc/performance.md links there).
#
# usage: run-bench.sh TOP_SRCDIR TOP_BUILDDIR
# Environment:
#   BENCH_SIZES        live heap sizes in MiB (default "256 512 1024 2048")
#   BENCH_SMALL_MAPS   small maps in the program (default 10000)
#   BENCH_TOOLS        0: leave out dlv, viewcore and goref (default 1)
#   BENCH_COLD         0: leave out the cold-cache runs (default 1)
#   BENCH_DLV_SECONDS  time allowed to dlv printing every map in full (default 120)
#   BENCH_TOOL_SECONDS time allowed to each other tool (default 300)
#   BENCH_COMMAND      the mapsleuth command measured (default "scan --json";
#                      "info" only to try the script out)
#   BENCH_PROFILE      1: count the scan's instructions with callgrind at every
#                      size, and keep the profile of the smallest
#   BENCH_KEEP         1: keep the cores in the work directory
#   BENCH_REPORT_ONLY  1: only write the report again from the last run's results
#   BENCH_DIR          work directory (default TOP_BUILDDIR/tests/bench.dir)
#   BENCH_RESULTS      the report (default TOP_BUILDDIR/tests/bench-results.md)
#   GO, DLV, VIEWCORE, GOREF   tools to use instead of installing them
# Needs: Go, gdb (gcore), /usr/bin/time (apt-get install -y gdb time).
# Installs dlv (and tries viewcore and goref) with go install into the work
# directory; a tool the module proxy refuses is reported, not fatal.
set -euo pipefail

top_srcdir=$(cd "$1" && pwd)
top_builddir=$(cd "$2" && pwd)
MAPSLEUTH=$top_builddir/src/mapsleuth
SIZES=${BENCH_SIZES:-256 512 1024 2048}
TOOLS=${BENCH_TOOLS:-1}
COLD=${BENCH_COLD:-1}
SMALL=${BENCH_SMALL_MAPS:-10000}
DLV_SECONDS=${BENCH_DLV_SECONDS:-120}
TOOL_SECONDS=${BENCH_TOOL_SECONDS:-300}
read -r -a COMMAND <<< "${BENCH_COMMAND:-scan --json}"
work=${BENCH_DIR:-$top_builddir/tests/bench.dir}
report_out=${BENCH_RESULTS:-$top_builddir/tests/bench-results.md}
GO=${GO:-}
[ -n "$GO" ] || { [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go; } || GO=$(command -v go || true)

die() { echo "bench: $*" >&2; exit 2; }
[ -n "$GO" ] || die "needs Go (/usr/local/go/bin/go or go on PATH)"
command -v gcore > /dev/null || die "needs gcore (apt-get install -y gdb)"
[ -x /usr/bin/time ] || die "needs /usr/bin/time (apt-get install -y time)"
[ -x "$MAPSLEUTH" ] || die "$MAPSLEUTH not built"
log() { echo "bench: $*" >&2; }
results=$work/results
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
largest=0
for s in $SIZES; do [ "$s" -le "$largest" ] || largest=$s; done
smallest=$largest
for s in $SIZES; do [ "$s" -ge "$smallest" ] || smallest=$s; done
GO_CLASSIC=${GO_CLASSIC-/usr/lib/go-1.19/bin/go}

if [ "${BENCH_REPORT_ONLY:-0}" != 1 ]; then
rm -rf "$work"
mkdir -p "$work/bin"
echo "date $(date -u '+%Y-%m-%d %H:%M UTC')" > "$results"

# ---- tools ----
go_tool()	# NAME PACKAGE@VERSION: the path of the installed binary; when it
		# does not install, nothing, and the reason in install-NAME.why
{
	if GOBIN=$work/bin GOFLAGS=-mod=mod "$GO" install "$2" > "$work/install-$1.log" 2>&1; then
		echo "$work/bin/$1"
	else
		# The reason without the registry's address.
		{ echo -n "go install $2: "; grep -v '^go: downloading' "$work/install-$1.log" |
			head -n 2 | tr '\n\t' '  ' | sed 's|https*://[^ ]*|(module proxy)|g; s|  *| |g'; } > "$work/install-$1.why"
	fi
}
why() { cat "$work/install-$1.why" 2> /dev/null || true; }
# Each tool: as given in the environment, else from the module proxy, else
# on PATH. The proxy's answer is recorded either way.
tool()	# NAME PACKAGE@VERSION GIVEN: prints the path; records where it came from
{
	local from_proxy
	from_proxy=$(go_tool "$1" "$2")
	if [ -n "$3" ]; then
		echo "source $1 given as $3${from_proxy:+ (also installs from the module proxy)}$(why "$1" | sed 's/^/; the module proxy: /')" >> "$results"
		echo "$3"
	elif [ -n "$from_proxy" ]; then
		echo "source $1 $2 from the module proxy" >> "$results"
		echo "$from_proxy"
	elif command -v "$1" > /dev/null; then
		echo "source $1 $(command -v "$1") on PATH; the module proxy: $(why "$1")" >> "$results"
		command -v "$1"
	fi
}
if [ "$TOOLS" = 1 ]; then
	DLV=$(tool dlv github.com/go-delve/delve/cmd/dlv@v1.27.2 "${DLV:-}")
	dlv_why=$(why dlv)
	VIEWCORE=$(tool viewcore golang.org/x/debug/cmd/viewcore@latest "${VIEWCORE:-}")
	viewcore_why=$(why viewcore)
	GOREF=$(tool grf github.com/cloudwego/goref/cmd/grf@latest "${GOREF:-}")
	goref_why=$(why grf)
	log "dlv: ${DLV:-none ($dlv_why)}"
	log "viewcore: ${VIEWCORE:-none ($viewcore_why)}"
	log "goref: ${GOREF:-none ($goref_why)}"
fi

log "building fillmaps with $("$GO" version)"
(cd "$top_srcdir/tests/bench/fillmaps" && GOFLAGS=-mod=mod "$GO" build -o "$work/fillmaps" .)
# Classic maps too, at the smallest size, when a Go before 1.24 is at hand
# (Debian's golang-1.19-go): hmap buckets with overflow chains.
if [ -n "$GO_CLASSIC" ] && [ -x "$GO_CLASSIC" ]; then
	log "building fillmaps with $("$GO_CLASSIC" version)"
	(cd "$top_srcdir/tests/bench/fillmaps" && GOFLAGS=-mod=mod GOTOOLCHAIN=local \
		"$GO_CLASSIC" build -o "$work/fillmaps-classic" .)
fi

# ---- measuring ----
# measure NAME OUT CMD...: run CMD with stdout to OUT; sets m_wall (s),
# m_cpu (s), m_rss (KiB, peak resident set from /usr/bin/time -v), m_anon
# (KiB, peak RssAnon sampled every 20 ms) and m_rc.
measure()
{
	local name=$1 out=$2 tpid cpid= peak=0 state k v i
	shift 2
	/usr/bin/time -v -o "$work/$name.time" "$@" > "$out" 2> "$work/$name.err" &
	tpid=$!
	for i in $(seq 100); do
		cpid=$(cat "/proc/$tpid/task/$tpid/children" 2> /dev/null | tr -d ' ') || true
		[ -z "$cpid" ] || break
		sleep 0.005
	done
	while [ -n "$cpid" ]; do
		state=
		while read -r k v _; do
			case $k in
			State:) state=$v ;;
			RssAnon:) [ "$v" -le "$peak" ] || peak=$v ;;
			esac
		done 2> /dev/null < "/proc/$cpid/status" || break
		[ -n "$state" ] && [ "$state" != Z ] || break
		sleep 0.02
	done
	m_rc=0
	wait "$tpid" || m_rc=$?
	m_anon=$peak
	m_rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/$name.time")
	m_wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/$name.time" |
		awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }')
	m_cpu=$(awk '/User time|System time/ { s += $NF } END { printf "%.2f", s }' "$work/$name.time")
}

# timed CMD...: run CMD with stdout to /dev/null and nothing watching it
# but wait4 (/usr/bin/time); sets t_wall (s, from the monotonic clock
# around it), t_cpu (s, user + system) and t_rc.
timed()
{
	local t0 t1
	t0=$(date +%s%N)
	t_rc=0
	/usr/bin/time -f '%U %S' -o "$work/timed.cpu" "$@" > /dev/null 2> "$work/timed.err" || t_rc=$?
	t1=$(date +%s%N)
	t_wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	t_cpu=$(awk '{ printf "%.3f", $1 + $2 }' "$work/timed.cpu")
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# dumped CORE: bytes the program headers say are in the file (sum of p_filesz).
dumped()
{
	local phoff phnum
	phoff=$(od -An -tu8 -j 32 -N 8 "$1" | tr -d ' ')
	phnum=$(od -An -tu2 -j 56 -N 2 "$1" | tr -d ' ')
	od -An -v -tu8 -w56 -j "$phoff" -N $((phnum * 56)) "$1" |
		awk '$1 % 4294967296 == 1 { s += $5 } END { printf "%.0f", s }'
}


runs=
for s in $SIZES; do runs="$runs swiss:$s"; done
[ ! -x "$work/fillmaps-classic" ] || runs="$runs classic:$smallest"
for run in $runs; do
	impl=${run%%:*} size=${run#*:}
	prog=$work/fillmaps
	[ "$impl" = swiss ] || prog=$work/fillmaps-classic
	size_label=$size
	[ "$impl" = swiss ] || size=c$size
	log "filling $size_label MiB ($impl maps)"
	"$prog" -mib "$size_label" -small "$SMALL" > "$work/fill-$size.out" 2>&1 &
	pid=$!
	for i in $(seq 600); do
		grep -q '^ready' "$work/fill-$size.out" && break
		kill -0 "$pid" 2> /dev/null || die "fillmaps died: $(tail -n 3 "$work/fill-$size.out")"
		sleep 0.5
	done
	read -r _ _ heap nmaps < "$work/fill-$size.out"
	gcore -o "$work/core" "$pid" > "$work/gcore-$size.log" 2>&1 || die "gcore failed: $(tail -n 2 "$work/gcore-$size.log")"
	kill "$pid"
	wait "$pid" 2> /dev/null || true
	core=$work/core-$size
	mv "$work/core.$pid" "$core"
	# Written back before anything is timed: writeback competes with the reads.
	sync
	csize=$(stat -c %s "$core")
	cdump=$(dumped "$core")

	# Warm the page cache, then time cat and the scan in turn (A B A B A B):
	# both see the same machine, whatever else runs on it. The best of
	# three of each; the load average before and after says how busy the
	# machine was.
	cat "$core" > /dev/null
	cat_s= cat_cpu= scan_s= scan_cpu=
	load_before=$(load1)
	for i in 1 2 3; do
		timed cat "$core"
		cat_s=$(min "$t_wall" "$cat_s") cat_cpu=$(min "$t_cpu" "$cat_cpu")
		timed "$MAPSLEUTH" "${COMMAND[@]}" --exe "$prog" "$core"
		[ "$t_rc" -le 1 ] || die "mapsleuth ${COMMAND[*]} exited $t_rc: $(tail -n 3 "$work/timed.err")"
		scan_s=$(min "$t_wall" "$scan_s") scan_cpu=$(min "$t_cpu" "$scan_cpu")
	done
	load_after=$(load1)
	# Cold: the core's pages dropped from the page cache before each run
	# (dd iflag=nocache count=0 drops one file's clean pages, nothing else).
	cold_cat= cold_scan=
	if [ "$COLD" = 1 ]; then
		for i in 1 2 3; do
			dd if="$core" iflag=nocache count=0 status=none
			timed cat "$core"
			cold_cat=$(min "$t_wall" "$cold_cat")
			dd if="$core" iflag=nocache count=0 status=none
			timed "$MAPSLEUTH" "${COMMAND[@]}" --exe "$prog" "$core"
			cold_scan=$(min "$t_wall" "$cold_scan")
		done
	fi

	# Memory in a run of its own: RssAnon sampled every 20 ms, peak RSS.
	measure "scan-$size" "$work/scan-$size.json" "$MAPSLEUTH" "${COMMAND[@]}" --exe "$prog" "$core"
	[ "$m_rc" -le 1 ] || die "mapsleuth ${COMMAND[*]} exited $m_rc: $(tail -n 3 "$work/scan-$size.err")"
	found=$(grep -o '"summary":{"maps":[0-9]*' "$work/scan-$size.json" | grep -o '[0-9]*$' || echo "-")
	suspects=$(grep -o '"suspects":[0-9]*' "$work/scan-$size.json" | head -n 1 | grep -o '[0-9]*$' || echo "-")
	budget=$(awk -v c="$csize" 'BEGIN { printf "%.0f", 64 * 1024 + 0.02 * c / 1024 }')
	echo "size $size $heap $nmaps $csize $cdump $cat_s $scan_s $scan_cpu $m_rss $m_anon $budget $found $suspects $impl $load_before $load_after $cat_cpu ${cold_cat:--} ${cold_scan:--}" >> "$results"
	log "$size MiB: core $csize bytes, cat ${cat_s}s, ${COMMAND[*]} ${scan_s}s (cpu ${scan_cpu}s), rss $(mib "$m_rss") MiB, anon $(mib "$m_anon") MiB, maps $found, load $load_before -> $load_after"

	# Instructions do not depend on what else the machine is doing: callgrind
	# counts them for every size, and keeps the profile of the smallest.
	if [ "${BENCH_PROFILE:-0}" = 1 ] && command -v valgrind > /dev/null; then
		log "counting instructions with callgrind"
		valgrind --tool=callgrind --callgrind-out-file="$work/callgrind-$size.out" \
			"$MAPSLEUTH" "${COMMAND[@]}" --exe "$prog" "$core" > /dev/null 2> "$work/callgrind-$size.err" || true
		instr=$(sed -n 's/^summary: *//p; s/^totals: *//p' "$work/callgrind-$size.out" | head -n 1)
		echo "instr $size ${instr:--}" >> "$results"
		if [ "$size" = "$smallest" ]; then
			callgrind_annotate --inclusive=yes "$work/callgrind-$size.out" 2> /dev/null |
				grep -E '^ *[0-9,]+ .*\[' | grep -v -e 'below main' -e 'ld-linux' -e 'libc-start' |
				sed 's| \[[^]]*\]$||; s|[^ ]*/\.\./\.\./||; s|\./[^ ]*/||' |
				head -n 20 > "$work/profile.txt" || true
		fi
	fi

	if [ "$size" = "$largest" ] && [ "$TOOLS" = 1 ]; then
		# The other tools, on the same core. dlv: the globals that hold maps,
		# once as a person would print them (64 entries per map, dlv's default)
		# and once in full, every entry of every map: the question mapsleuth
		# answers (it reads every bucket or group).
		if [ -n "$DLV" ]; then
			vars="gIDs gNames gBlobs gRecords gSmall gNested gEmpty gRegistry gStrMaps gMedium gLarge"
			{ echo "config max-string-len 64"; for v in $vars; do echo "print main.$v"; done; echo exit; } > "$work/dlv-default.init"
			{ echo "config max-array-values 1000000000"; echo "config max-string-len 64"
			  echo "config max-variable-recurse 2"
			  for v in $vars; do echo "print main.$v"; done; echo exit; } > "$work/dlv-full.init"
			measure dlv-default "$work/dlv-default.out" timeout "$TOOL_SECONDS" "$DLV" core "$work/fillmaps" "$core" \
				--init "$work/dlv-default.init" --allow-non-terminal-interactive=true
			echo "tool dlv-default $m_wall $m_rss $m_rc $(wc -l < "$work/dlv-default.out")" >> "$results"
			measure dlv-full "$work/dlv-full.out" timeout "$DLV_SECONDS" "$DLV" core "$work/fillmaps" "$core" \
				--init "$work/dlv-full.init" --allow-non-terminal-interactive=true
			echo "tool dlv-full $m_wall $m_rss $m_rc $(wc -l < "$work/dlv-full.out")" >> "$results"
		else
			echo "missing dlv $dlv_why" >> "$results"
		fi
		if [ -n "$VIEWCORE" ]; then
			# viewcore has no map command; histogram types every live heap
			# object from the roots, every map table and group among them.
			measure viewcore "$work/viewcore.out" timeout "$TOOL_SECONDS" "$VIEWCORE" "$core" --exe "$work/fillmaps" histogram
			echo "tool viewcore $m_wall $m_rss $m_rc $(grep -c 'map\.group\|map\.table' "$work/viewcore.out" || true)" >> "$results"
		else
			echo "missing viewcore $viewcore_why" >> "$results"
		fi
		if [ -n "$GOREF" ]; then
			measure goref "$work/goref.out" timeout "$TOOL_SECONDS" "$GOREF" core "$work/fillmaps" "$core" -o "$work/grf.out"
			echo "tool goref $m_wall $m_rss $m_rc $(wc -l < "$work/goref.out")" >> "$results"
		else
			echo "missing goref $goref_why" >> "$results"
		fi
	fi
	[ "$size" != "$largest" ] || echo "ref $cat_s $scan_s" >> "$results"
	[ "${BENCH_KEEP:-0}" = 1 ] || rm -f "$core"
done

fi # BENCH_REPORT_ONLY

# ---- report ----
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
rev=$(git -C "$top_srcdir" describe --always --dirty 2> /dev/null || echo unknown)
report=$work/report.md
{
	echo "# mapsleuth make bench results"
	echo
	echo "Generated by \`make bench\` on $(sed -n 's/^date //p' "$results"): $(nproc) cores ($cpu), $mem,"
	echo "Linux $(uname -r), $("$GO" version | cut -d' ' -f3) (fillmaps; classic maps: $([ -x "$work/fillmaps-classic" ] && "$GO_CLASSIC" version | cut -d' ' -f3 || echo none)), gdb $(gdb --version | head -n 1 | awk '{ print $NF }') (gcore),"
	echo "mapsleuth $rev, measured command \`mapsleuth ${COMMAND[*]}\`. Method: the page cache is warmed"
	echo "with one cat, then cat and the scan run in turn, A B A B A B, stdout to /dev/null, nothing"
	echo "sampling them; times are the best of three (wall: monotonic clock; CPU: user + system)."
	echo "Memory comes from a fourth, separate run: peak RSS from getrusage (/usr/bin/time -v),"
	echo "anon RSS the highest RssAnon sampled every 20 ms. Load: the 1-minute load average"
	echo "before and after the timed runs of that core ($(nproc) cores; above $(nproc) other work competed)."
	echo "Cold: the core dropped from the page cache (dd iflag=nocache count=0) before each of three"
	echo "interleaved cat and scan runs, best of three."
	echo
	echo "| maps | live heap | maps made | core file (dumped) | cat (warm) | scan | scan CPU | scan / cat | cat (cold) | scan (cold) | cold scan / cat | scan CPU per GiB dumped | scan instructions | per GiB dumped | peak RSS | anon RSS | anon budget | maps found | suspects | load |"
	echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
	awk 'NR == FNR { if ($1 == "instr") instr[$2] = $3; next }
	$1 == "size" {
		g = $6 / 1073741824
		cold = $19 == "-" || $19 == "" ? "| - | - | - " : sprintf("| %.3f s | %.3f s | %.2fx ", $19, $20, ($19 > 0 ? $20 / $19 : 0))
		printf "| %s | %.0f MiB | %d | %.2f GiB (%.2f) | %.3f s | %.3f s | %.3f s | %.2fx %s| %.3f s | %s | %s | %.1f MiB | %.1f MiB | %.1f MiB | %s | %s | %s - %s |\n",
			$15, $3 / 1048576, $4, $5 / 1073741824, g, $7, $8, $9,
			($7 > 0 ? $8 / $7 : 0), cold, (g > 0 ? $9 / g : 0),
			($2 in instr ? sprintf("%.2f G", instr[$2] / 1e9) : "-"),
			($2 in instr && g > 0 ? sprintf("%.2f G", instr[$2] / 1e9 / g) : "-"),
			$10 / 1024, $11 / 1024, $12 / 1024, $13, $14, $16, $17
	}' "$results" "$results"
	echo
	# The slope over the swiss cores (least squares in the dumped bytes),
	# carried to a core of 100 GB dumped.
	awk 'NR == FNR { if ($1 == "instr") instr[$2] = $3; next }
	$1 == "size" && $15 == "swiss" {
		n++; x[n] = $6 / 1e9; w[n] = $8; c[n] = $9; a[n] = $11 / 1024; k[n] = $7
		if ($2 in instr) { ni++; ix[ni] = $6 / 1e9; iy[ni] = instr[$2] / 1e9 }
	}
	function fit(m, xs, ys, at,    i, sx, sy, sxx, sxy, b) {
		sx = sy = sxx = sxy = 0
		for (i = 1; i <= m; i++) { sx += xs[i]; sy += ys[i]; sxx += xs[i] * xs[i]; sxy += xs[i] * ys[i] }
		if (m < 2 || m * sxx - sx * sx <= 0) return "-"
		b = (m * sxy - sx * sy) / (m * sxx - sx * sx)
		slope = b; icpt = (sy - b * sx) / m
		return icpt + b * at
	}
	# A slope under zero is the noise of a busy machine, not a cost.
	function row(name, unit, fmt1, fmt2, p, extra) {
		if (p == "-" || slope < 0)
			printf "| %s | - | - | - (no slope above the noise)%s |\n", name, extra
		else
			printf "| %s | " fmt1 " %s | " fmt2 " %s | " fmt2 " %s%s |\n", name, icpt, unit, slope, unit, p, unit, extra
	}
	END {
		if (n < 2) { print "Projection: needs two swiss sizes or more."; exit }
		print "Projection to a core of 100 GB dumped, from the least-squares line through the " n " swiss cores"
		print "(x = GB dumped; the fit only says what happens if the cost stays linear):"
		print ""
		print "| quantity | intercept | per GB dumped | at 100 GB |"
		print "|---|---|---|---|"
		row("cat (warm)", "s", "%.3f", "%.3f", fit(n, x, k, 100), "")
		row("scan wall", "s", "%.3f", "%.3f", fit(n, x, w, 100), "")
		row("scan CPU", "s", "%.3f", "%.3f", fit(n, x, c, 100), "")
		if (ni >= 2)
			row("scan instructions", "G", "%.2f", "%.3f", fit(ni, ix, iy, 100), "")
		amax = 0
		for (i = 1; i <= n; i++) if (a[i] > amax) amax = a[i]
		row("anon RSS", "MiB", "%.1f", "%.2f", fit(n, x, a, 100),
		    sprintf("; highest measured %.1f MiB; budget 64 MiB + 2%% = %.0f MiB", amax, 64 + 0.02 * 100e9 / 1048576))
	}' "$results" "$results"
	if grep -q '^ref ' "$results" && [ "$TOOLS" = 1 ]; then
	echo
	echo "On the largest core ($largest MiB of live heap):"
	echo
	echo "| tool | question | time | time / scan | time / cat | peak RSS | exit | output |"
	echo "|---|---|---|---|---|---|---|---|"
	read -r _ ref_cat ref_scan < <(grep '^ref ' "$results")
	echo "| cat | read the core | ${ref_cat} s | $(ratio "$ref_cat" "$ref_scan")x | 1.00x | - | 0 | - |"
	echo "| mapsleuth ${COMMAND[*]} | find and judge every map (every bucket or group) | ${ref_scan} s | 1.00x | $(ratio "$ref_scan" "$ref_cat")x | $(awk -v l="$largest" '$1 == "size" && $2 == l { printf "%.1f MiB", $10 / 1024 }' "$results") | 0 | see above |"
	while read -r kind name t rss rc lines; do
		[ "$kind" = tool ] || continue
		case $name in
		dlv-default) q="print the 11 map-holding globals, dlv's default limits (64 entries per map)" ;;
		dlv-full) q="print the same globals with every entry (max-array-values 1e9)" ;;
		viewcore) q="histogram: type every live heap object from the roots" ;;
		goref) q="grf core: reference graph of every live heap object from the roots (pprof)" ;;
		esac
		note="$lines lines"
		[ "$name" != viewcore ] || note="$lines map group/table rows"
		[ "$name" != goref ] || note="a pprof profile of $(stat -c %s "$work/grf.out" 2> /dev/null || echo 0) bytes"
		more=
		if [ "$rc" = 124 ]; then
			limit=$TOOL_SECONDS
			[ "$name" != dlv-full ] || limit=$DLV_SECONDS
			t=$limit more=">"; note="killed after $limit s, $lines lines printed"
		fi
		echo "| $name | $q | $more$t s | $more$(ratio "$t" "$ref_scan")x | $more$(ratio "$t" "$ref_cat")x | $(mib "$rss") MiB | $rc | $note |"
	done < "$results"
	echo
	{ grep '^source ' "$results" || true; } | while read -r _ name what; do
		echo "- $name: $what"
	done
	{ grep '^missing ' "$results" || true; } | while read -r _ name why; do
		echo
		echo "$name: not measured: $why"
	done
	fi
	if [ -s "$work/profile.txt" ]; then
		echo
		echo "Callgrind, scan of the $smallest MiB swiss core, instructions by function, inclusive:"
		echo
		echo '```'
		cat "$work/profile.txt"
		echo '```'
	fi
} > "$report"
cat "$report"
cp "$report" "$report_out"
log "wrote $report_out"
