# Shared shell functions for corpus/make-case.sh and corpus/store-case.sh.
# Source it; it defines ms_* functions and does nothing on its own.
#
# Toolchain names (TC) are goX.Y plus optional suffixes, in any order:
#   -noswiss   GOEXPERIMENT=noswissmap (go1.24, go1.25 only: classic maps)
#   -splitgroup GOEXPERIMENT=mapsplitgroup (go1.27 and later: keys then elems
#              in each swiss group)
#   -gcore     dump with gdb's gcore instead of a kernel core
#   -stripped  link with -ldflags='-s -w'
# e.g. go1.19, go1.26-gcore, go1.24-noswiss, go1.19-stripped, go1.27-splitgroup.

MS_CORPUS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

ms_die() { echo "corpus: $*" >&2; exit 1; }
ms_skip() { echo "corpus: skip: $*" >&2; exit 77; }
ms_log() { echo "corpus: $*" >&2; }

# Pinned point releases fetched through GOTOOLCHAIN when no local toolchain of
# that minor version exists.
ms_pinned() {
	case "$1" in
	go1.21) echo go1.21.13 ;;
	go1.22) echo go1.22.12 ;;
	go1.23) echo go1.23.12 ;;
	go1.24) echo go1.24.13 ;;
	go1.25) echo go1.25.5 ;;
	go1.26) echo go1.26.8 ;;
	go1.27) echo go1.27.3 ;;
	*) echo "" ;;
	esac
}

# ms_parse_tc TC: sets MS_GOMINOR (go1.NN), MS_NOSWISS, MS_SPLITGROUP, MS_GCORE,
# MS_STRIPPED (0/1).
ms_parse_tc() {
	local tc=$1 rest
	MS_NOSWISS=0 MS_SPLITGROUP=0 MS_GCORE=0 MS_STRIPPED=0
	MS_GOMINOR=$(printf '%s\n' "$tc" | sed -n 's/^\(go1\.[0-9][0-9]*\).*/\1/p')
	[ -n "$MS_GOMINOR" ] || ms_die "bad toolchain name '$tc'"
	rest=${tc#"$MS_GOMINOR"}
	while [ -n "$rest" ]; do
		case "$rest" in
		-noswiss*) MS_NOSWISS=1; rest=${rest#-noswiss} ;;
		-splitgroup*) MS_SPLITGROUP=1; rest=${rest#-splitgroup} ;;
		-gcore*) MS_GCORE=1; rest=${rest#-gcore} ;;
		-stripped*) MS_STRIPPED=1; rest=${rest#-stripped} ;;
		*) ms_die "bad toolchain suffix '$rest' in '$tc'" ;;
		esac
	done
	if [ "$MS_NOSWISS" = 1 ]; then
		case "$MS_GOMINOR" in go1.24 | go1.25) ;; *) ms_skip "$MS_GOMINOR has no GOEXPERIMENT=noswissmap" ;; esac
	fi
	if [ "$MS_SPLITGROUP" = 1 ]; then
		case "$MS_GOMINOR" in go1.1[0-9] | go1.2[0-6]) ms_skip "$MS_GOMINOR has no GOEXPERIMENT=mapsplitgroup" ;; esac
	fi
}

# ms_gover GO: prints "go1.NN.P" as reported by `GO env GOVERSION` (with the
# current GOTOOLCHAIN), or nothing.
ms_gover() {
	"$1" env GOVERSION 2>/dev/null | sed -n 's/^\(go1\.[0-9.]*\).*/\1/p'
}

# ms_select_go: after ms_parse_tc, sets MS_GO (a go command) and exports
# GOTOOLCHAIN / GOEXPERIMENT so that "$MS_GO" builds with the toolchain asked
# for. Exits 77 when it cannot be had.
ms_select_go() {
	local want=$MS_GOMINOR cand v pinned launcher
	unset GOEXPERIMENT
	export GOTOOLCHAIN=local GOFLAGS="-mod=mod -buildvcs=false"
	MS_GO=
	# A local toolchain of the wanted minor version (Debian's golang-1.NN, the
	# go on PATH, /usr/local/go).
	for cand in "/usr/lib/${want/go/go-}/bin/go" "$(command -v go 2>/dev/null)" /usr/local/go/bin/go; do
		[ -x "$cand" ] || continue
		v=$(ms_gover "$cand")
		case "$v" in "$want" | "$want".*) MS_GO=$cand; break ;; esac
	done
	if [ -z "$MS_GO" ]; then
		pinned=$(ms_pinned "$want")
		[ -n "$pinned" ] || ms_skip "no local $want toolchain and none to switch to"
		for launcher in "$(command -v go 2>/dev/null)" /usr/local/go/bin/go; do
			[ -x "$launcher" ] || continue
			v=$(GOTOOLCHAIN=$pinned ms_gover "$launcher")
			if [ "$v" = "$pinned" ]; then
				MS_GO=$launcher
				export GOTOOLCHAIN=$pinned
				break
			fi
		done
		[ -n "$MS_GO" ] || ms_skip "toolchain $pinned not available"
	fi
	if [ "$MS_NOSWISS" = 1 ]; then
		export GOEXPERIMENT=noswissmap
	fi
	if [ "$MS_SPLITGROUP" = 1 ]; then
		export GOEXPERIMENT=mapsplitgroup
	fi
	MS_GOVERSION=$(ms_gover "$MS_GO")
	ms_log "using $MS_GO (GOTOOLCHAIN=$GOTOOLCHAIN${GOEXPERIMENT:+ GOEXPERIMENT=$GOEXPERIMENT}) = $MS_GOVERSION"
}

# ms_prepare_src CASE BUILD: lays out the case's Go sources in BUILD/ (a copy
# of corpus/CASE/gen plus corpus/common/*.go beside its main.go).
ms_prepare_src() {
	local c=$1 b=$2
	[ -f "$MS_CORPUS/$c/gen/main.go" ] || ms_die "no case '$c' (corpus/$c/gen/main.go)"
	mkdir -p "$b"
	cp -R "$MS_CORPUS/$c/gen/." "$b/"
	cp "$MS_CORPUS"/common/*.go "$b/"
}

# ms_build BUILD OUT PKG [extra go build args...]: builds package PKG (relative
# to BUILD) into OUT.
ms_build() {
	local b=$1 out=$2 pkg=$3
	shift 3
	local ld=()
	[ "$MS_STRIPPED" = 1 ] && ld=(-ldflags=-s\ -w)
	(cd "$b" && "$MS_GO" build -trimpath "${ld[@]}" "$@" -o "$out" "$pkg") || ms_die "go build $pkg failed"
}

# ms_core_ok: kernel cores must land in the crashing process's cwd.
ms_check_core_pattern() {
	local p
	p=$(cat /proc/sys/kernel/core_pattern 2>/dev/null)
	case "$p" in
	core | core.%p | core*) ;;
	*) ms_skip "kernel core_pattern is '$p', not a file named core in the cwd" ;;
	esac
}

# ms_run_kernel DIR EXE [args...]: runs DIR/EXE in DIR with unlimited core
# size, coredump_filter 0x33 (MS_COREDUMP_FILTER, for tests that want
# another) and GOTRACEBACK=crash; stderr goes to DIR/run.log.
# Expects death by SIGABRT and leaves the core in DIR/core.
ms_run_kernel() {
	local d=$1 exe=$2 rc
	shift 2
	rm -f "$d"/core "$d"/core.*
	# (The braces keep bash's "Aborted (core dumped)" notice off the terminal.)
	{ (
		cd "$d" || exit 1
		ulimit -c unlimited || exit 1
		echo "${MS_COREDUMP_FILTER:-0x33}" >/proc/self/coredump_filter 2>/dev/null
		exec env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C GODEBUG=gcshrinkstackoff=1 GOTRACEBACK=crash MAPSLEUTH_DUMP=kernel MAPSLEUTH_TRUTH="$d/truth.json" \
			MAPSLEUTH_STRIPPED="$MS_STRIPPED" timeout -s KILL 300 "./$exe" "$@" </dev/null >"$d/run.log" 2>&1
	); } 2>/dev/null
	rc=$?
	[ "$rc" = 134 ] || { tail -20 "$d/run.log" >&2; ms_die "$exe exited with status $rc, wanted 134 (SIGABRT)"; }
	if [ ! -f "$d/core" ]; then
		local f
		for f in "$d"/core.*; do [ -f "$f" ] && mv "$f" "$d/core" && break; done
	fi
	[ -f "$d/core" ] || ms_die "no core file in $d"
}

# ms_run_gcore DIR EXE [args...]: starts DIR/EXE, waits until it says it is
# ready, dumps it with gdb's gcore into DIR/core and kills it.
ms_run_gcore() {
	local d=$1 exe=$2 pid i
	shift 2
	command -v gdb >/dev/null || ms_skip "gdb not installed"
	rm -f "$d"/core "$d"/core.* "$d/ready"
	(
		cd "$d" || exit 1
		exec env -i PATH=/usr/bin:/bin HOME=/nonexistent LANG=C GODEBUG=gcshrinkstackoff=1 GOTRACEBACK=crash MAPSLEUTH_DUMP=gcore MAPSLEUTH_TRUTH="$d/truth.json" \
			MAPSLEUTH_READY="$d/ready" MAPSLEUTH_STRIPPED="$MS_STRIPPED" "./$exe" "$@" </dev/null >"$d/run.log" 2>&1
	) &
	pid=$!
	for i in $(seq 600); do
		[ -f "$d/ready" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ ! -f "$d/ready" ]; then
		kill -9 "$pid" 2>/dev/null
		tail -20 "$d/run.log" >&2
		ms_die "$exe never became ready"
	fi
	# A case's gen/gcore.gdb (MS_GCORE_GDB) may first stop the process at a
	# chosen place, e.g. inside a map write.
	gdb -nx -batch -p "$pid" ${MS_GCORE_GDB:+-x "$MS_GCORE_GDB"} -ex "gcore $d/core" >"$d/gcore.log" 2>&1
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$d/ready"
	[ -s "$d/core" ] || { cat "$d/gcore.log" >&2; ms_die "gcore wrote no core"; }
}

# ms_merge_crash DIR: fills the crash placeholders of DIR/truth.json from the
# runtime's "[signal SIG...: ... code=0x.. addr=0x.. pc=0x..]" line in run.log.
ms_merge_crash() {
	local d=$1 line sig code addr pc
	grep -q '@FAULT_ADDRESS@' "$d/truth.json" || return 0
	line=$(grep -m1 '^\[signal SIG' "$d/run.log") || ms_die "no [signal ...] line in $d/run.log"
	sig=$(printf '%s\n' "$line" | sed -n 's/^\[signal \(SIG[A-Z]*\):.*/\1/p')
	code=$(printf '%s\n' "$line" | sed -n 's/.* code=\(0x[0-9a-f]*\) .*/\1/p')
	addr=$(printf '%s\n' "$line" | sed -n 's/.* addr=\(0x[0-9a-f]*\) .*/\1/p')
	pc=$(printf '%s\n' "$line" | sed -n 's/.* pc=\(0x[0-9a-f]*\)\].*/\1/p')
	[ -n "$sig" ] && [ -n "$code" ] && [ -n "$addr" ] && [ -n "$pc" ] || ms_die "cannot parse: $line"
	sed -i -e "s/\"@SIGNAL@\"/\"$sig\"/" -e "s/\"@CODE@\"/$((code))/" \
		-e "s/\"@FAULT_ADDRESS@\"/\"$addr\"/" -e "s/\"@PC@\"/\"$pc\"/" "$d/truth.json"
}

# ms_compress SRC DST: zstd -19.
ms_compress() {
	zstd -q -19 -f "$1" -o "$2" && chmod 644 "$2" || ms_die "zstd $1 failed"
}
