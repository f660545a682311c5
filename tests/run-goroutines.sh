#!/bin/sh
# Goroutine list and backtraces (lib/goroutine.c) on real cores: the crashed
# goroutine and its frames with file:line, read from g.sched (crash: a fault
# turned into a fatal error on the system stack), from a signal frame on the
# thread's signal stack (clean: a panic killed by SIGABRT), and of parked
# goroutines (gcore). Stripped twins find runtime.allgs without symbols.
# Lines are taken from the corpus programs' own source.
# Corpus: corpus/crash, corpus/clean (regenerate with their gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/info-subr.sh"

line_of() { grep -n -F "$2" "$CORPUS/$1" | head -n 1 | cut -d: -f1; }

lookup_line=$(line_of crash/gen/main.go 'return m[k][0]')
call_line=$(line_of crash/gen/main.go 'println(lookup(gVictim, 17))')
panic_line=$(line_of common/osutil.go 'panic("mapsleuth corpus: deliberate crash')
sleep_line=$(line_of common/osutil.go 'time.Sleep(time.Hour)')
finish_line=$(line_of clean/gen/main.go 'Finish()')

# frames CASE-DIR GOID: the frames of one goroutine, "func file:line".
frames()
{
	"$TOOL" --exe "$1/$2" goroutines "$1/core" > gs.out 2> gs.err ||
		fail "ms-test-tool goroutines $1: $(cat gs.err)"
	awk -v id="$3" '/^goroutine /{on = ($2 == id); next} on && /^  /{print $1, $2}' gs.out
}

expect_frames()
{
	# stdin: the frames that must follow each other, in order.
	cat > want
	awk 'NR == FNR {w[n++] = $0; next} $0 == w[i + 0] {i++} END {exit (i + 0 < n)}' want got ||
		{ echo "want:"; cat want; echo "got:"; cat got; fail "$1"; }
}

for tc in go1.19 go1.26; do
	testcase crash $tc
	frames "$case_dir" crash 1 > got
	grep -q '^goroutine 1 running ctx=sched .* crashed$' gs.out ||
		fail "crash/$tc: goroutine 1 is not the crashed one: $(head -n 3 gs.out)"
	expect_frames "crash/$tc" <<EOT
runtime.sigpanic runtime/signal_unix.go:$(awk '$1 == "runtime.sigpanic" {split($2, a, ":"); print a[2]}' got)
main.lookup example.com/corpus/crash/main.go:$lookup_line
main.main example.com/corpus/crash/main.go:$call_line
runtime.main runtime/proc.go:$(awk '$1 == "runtime.main" {split($2, a, ":"); print a[2]}' got)
EOT
	tail -n 1 got | grep -q '^runtime.goexit ' || fail "crash/$tc: not unwound to runtime.goexit"
	[ "$(grep -c '(stopped' gs.out)" = 0 ] || fail "crash/$tc: a goroutine stopped early"
done

for tc in go1.19 go1.26 go1.19-stripped go1.26-stripped; do
	testcase clean $tc
	frames "$case_dir" clean 1 > got
	grep -q '^goroutine 1 running ctx=signal .* crashed$' gs.out ||
		fail "clean/$tc: goroutine 1 not crashed through a signal frame: $(head -n 3 gs.out)"
	expect_frames "clean/$tc" <<EOT
main.Finish example.com/corpus/clean/osutil.go:$panic_line
main.main example.com/corpus/clean/main.go:$finish_line
EOT
	tail -n 1 got | grep -q '^runtime.goexit ' || fail "clean/$tc: not unwound to runtime.goexit"
	case $tc in
	*-stripped) grep -q '^allgs search,' gs.out || fail "clean/$tc: allgs not found by search" ;;
	*) grep -q '^allgs runtime.allgs,' gs.out || fail "clean/$tc: allgs not from its symbol" ;;
	esac
	[ "$(grep -c '(stopped' gs.out)" = 0 ] || fail "clean/$tc: a goroutine stopped early"
done

for tc in go1.19-gcore go1.26-gcore; do
	testcase clean $tc
	frames "$case_dir" clean 1 > got
	grep -q '^goroutine 1 waiting sleep ctx=sched tid=0$' gs.out ||
		fail "clean/$tc: goroutine 1 not asleep: $(head -n 3 gs.out)"
	grep -q ' crashed$' gs.out && fail "clean/$tc: a gcore has no crashed goroutine"
	expect_frames "clean/$tc" <<EOT
main.Finish example.com/corpus/clean/osutil.go:$sleep_line
main.main example.com/corpus/clean/main.go:$finish_line
EOT
done
exit 0
