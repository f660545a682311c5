#!/bin/sh
# `mapsleuth check` of the gdb companion on a live process: tests/gdb-live/
# (a healthy map and a map whose bucket or group array it munmap'ed) is built
# with each local Go toolchain (`go` on PATH or /usr/local/go, and Debian's
# /usr/lib/go-1.NN: classic maps before Go 1.24, swiss maps after), run under
# gdb to a breakpoint on main.checkpoint, and must be judged ok and dangling,
# as globals and, one frame up, as a local and an argument. The bad pointer
# is described in the program's words (lib/describe.c, through a gcore of
# the process), as on a core, and every line fits 80 columns.
# Skipped without gdb, without a Go toolchain, or when gdb may not trace.
. "$abs_srcdir/test-subr.sh"

[ -n "$GDB" ] && [ -x "$GDB" ] || skip "gdb not installed"
SCRIPT="$abs_top_srcdir/gdb-scripts/mapsleuth.py"
# The companion runs $MAPSLEUTH (the build under test) to describe addresses.
export MAPSLEUTH

toolchains=
seen=
for go in "$(command -v go 2>/dev/null)" /usr/local/go/bin/go /usr/lib/go-1.*/bin/go; do
	[ -n "$go" ] && [ -x "$go" ] || continue
	v=$(GOTOOLCHAIN=local "$go" env GOVERSION 2>/dev/null) || continue
	case " $seen " in *" $v "*) continue ;; esac
	seen="$seen $v"
	toolchains="$toolchains $go"
done
[ -n "$toolchains" ] || skip "no Go toolchain"

# Never fetch anything: no toolchain switch, no module proxy.
GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod CGO_ENABLED=0
export GOTOOLCHAIN GOPROXY GOFLAGS CGO_ENABLED
# Fewer signals for gdb to pass on (Go preempts goroutines with SIGURG).
GODEBUG=asyncpreemptoff=1
export GODEBUG

ran=0
for go in $toolchains; do
	v=$("$go" env GOVERSION)
	case $("$go" env GOCACHE 2>/dev/null) in
	""|off) GOCACHE="$test_dir/gocache"; export GOCACHE ;;
	esac
	(cd "$abs_srcdir/gdb-live" && "$go" build -trimpath -gcflags='-N -l' -o "$test_dir/live-$v" .) ||
		fail "$v: cannot build tests/gdb-live"
	"$GDB" -batch -nx -iex 'set debuginfod enabled off' \
		-iex 'set auto-load python-scripts off' \
		-iex 'handle SIGURG nostop noprint pass' -x "$SCRIPT" \
		-ex 'break main.checkpoint' -ex 'run' -ex 'echo @@ begin\n' \
		-ex 'mapsleuth check main.gHealthy' -ex 'mapsleuth check main.gVictim' \
		-ex 'echo @@ end\n' -ex 'up' -ex 'echo @@ begin\n' \
		-ex 'mapsleuth check local' -ex 'mapsleuth check m' \
		-ex 'mapsleuth scan' -ex 'echo @@ end\n' -ex 'kill' "$test_dir/live-$v" > "$v.out" 2>&1 || true
	if ! grep -q 'hit Breakpoint 1, main.checkpoint' "$v.out"; then
		if grep -qi 'ptrace\|operation not permitted' "$v.out"; then
			skip "gdb may not trace processes here"
		fi
		cat "$v.out"
		fail "$v: the program did not stop at main.checkpoint"
	fi
	! grep -q Traceback "$v.out" || { cat "$v.out"; fail "$v: Python traceback"; }
	# The companion's lines (between the markers) fit 80 columns but for
	# its one-line error; a line indented by 4 or more continues the one
	# before it.
	sed -n '/^@@ begin$/,/^@@ end$/p' "$v.out" | grep -v '^@@ ' > "$v.lines"
	awk -v v="$v" 'length($0) > 80 && !/^mapsleuth: / { print v ": over 80 columns: " $0; bad = 1 }
		END { exit bad }' "$v.lines" || fail "$v: mapsleuth check lines over 80 columns"
	awk '/^    / && NR > 1 { sub(/^ +/, ""); line = line " " $0; next }
		{ if (NR > 1) print line; line = $0 } END { print line }' "$v.lines" |
	grep -E '^(main\.g[A-Za-z]*|local|m|ok|not-dumped|corrupt|foreign|freed|dangling|mapsleuth): ' |
		sed 's/ at 0x[0-9a-f]* / at ADDR /; s/0x[0-9a-f]* cannot/ADDR cannot/' > "$v.got"
	case $(sed -n 's/^main.gHealthy: .* (\([a-z]*\))$/\1/p' "$v.got") in
	classic)
		cat > "$v.expected" <<'EOF'
main.gHealthy: map[string]int at ADDR (classic)
ok: count=3, B=0, 3 live slots
main.gVictim: map[int64][4]int64 at ADDR (classic)
dangling: buckets ADDR cannot be read (unmapped: the heap lists it in use (6 pages)); count=800, B=7
local: map[int64][4]int64 at ADDR (classic)
dangling: buckets ADDR cannot be read (unmapped: the heap lists it in use (6 pages)); count=800, B=7
m: map[int64][4]int64 at ADDR (classic)
dangling: buckets ADDR cannot be read (unmapped: the heap lists it in use (6 pages)); count=800, B=7
mapsleuth: scan reads a core file and this is a live process; use 'mapsleuth check EXPR' here, or dump it with 'gcore FILE' and open that
EOF
		;;
	*)
		cat > "$v.expected" <<'EOF'
main.gHealthy: map[string]int at ADDR (swiss)
ok: used=3, dirLen=0 (small map), 3 full slots
main.gVictim: map[int64][4]int64 at ADDR (swiss)
dangling: table[0].groups ADDR cannot be read (unmapped: the heap lists it in use (6 pages)); used=800, dirLen=1, 1 table
local: map[int64][4]int64 at ADDR (swiss)
dangling: table[0].groups ADDR cannot be read (unmapped: the heap lists it in use (6 pages)); used=800, dirLen=1, 1 table
m: map[int64][4]int64 at ADDR (swiss)
dangling: table[0].groups ADDR cannot be read (unmapped: the heap lists it in use (6 pages)); used=800, dirLen=1, 1 table
mapsleuth: scan reads a core file and this is a live process; use 'mapsleuth check EXPR' here, or dump it with 'gcore FILE' and open that
EOF
		;;
	esac
	diff -u "$v.expected" "$v.got" || { cat "$v.out"; fail "$v: mapsleuth check on the live process"; }
	echo "$v: ok"
	ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || skip "nothing ran"
exit 0
