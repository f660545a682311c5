#!/bin/sh
# Special files never block or get read: a FIFO or device given as the core,
# --exe or layout's binary, or named by the core's file notes; --sysroot
# confines the core's paths ("..", absolute and relative symlinks).
# Corpus: corpus/clean (regenerate with bash corpus/clean/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/hostile-subr.sh"

testcase clean go1.26
core=$case_dir/core exe=$case_dir/clean
mkfifo fifo fifo.so || skip "cannot make a FIFO here"

# On the command line: one line naming the path and what it is, exit 2.
for cmd in "info fifo" "info --exe fifo $core" "scan fifo" "show fifo 1" \
	   "layout fifo" "info /dev/zero" "layout /dev/null" "info ." \
	   "info --exe /dev/zero $core"; do
	run_cmd bad $MAPSLEUTH $cmd
	[ "$rc" -eq 2 ] || fail "'$cmd' exited $rc, expected 2"
	[ "$(wc -l < bad.err)" -eq 1 ] || fail "'$cmd': more than one line: $(cat bad.err)"
	grep -q "not a regular file: a \(FIFO\|character device\|directory\)$" bad.err ||
		fail "'$cmd': $(cat bad.err)"
done

# Named by the core: skipped with a warning, the rest of the work done.
$HOSTILE_CORE "$core" special.core --add-file "$PWD/fifo.so" \
	--add-file /dev/zero --add-file /proc/self/mem.so --add-file "$PWD/fifo"
for cmd in info scan; do
	run_cmd special $MAPSLEUTH $cmd --exe "$exe" special.core
	[ "$rc" -le 1 ] || fail "$cmd on special.core exited $rc: $(cat special.err)"
	grep -q "fifo.so: not a regular file: a FIFO: skipped" special.err ||
		fail "$cmd: no warning for the FIFO: $(cat special.err)"
done
# The executable's own path is a FIFO: not found, and --exe still works.
$HOSTILE_CORE "$core" fifo-exe.core --exe-path "$PWD/fifo"
run_cmd fifoexe $MAPSLEUTH info fifo-exe.core
[ "$rc" -eq 2 ] || fail "exe path a FIFO: exit $rc"
grep -q "fifo: not a regular file: a FIFO: skipped" fifoexe.err || fail "$(cat fifoexe.err)"
run_cmd fifoexe $MAPSLEUTH info --exe "$exe" fifo-exe.core
[ "$rc" -le 1 ] || fail "exe path a FIFO with --exe: exit $rc: $(cat fifoexe.err)"

# --sysroot: the recorded path is looked up inside the sysroot only.
want=$(python3 -c '
import struct,sys
d=open(sys.argv[1],"rb").read()
i=d.find(b"/mapsleuth-gen/")
print(d[d.rfind(b"\0",0,i)+1:d.find(b"\0",i)].decode())' "$core")
mkdir -p root/lib "root$(dirname "$want")"
cp "$exe" root/lib/real
link="root$want"
up=$(echo "$want" | sed 's|/[^/]*|../|g; s|^\.\./||')
ln -s "${up}lib/real" "$link"
run_cmd sysroot $MAPSLEUTH info --sysroot root "$core"
[ "$rc" -le 1 ] || fail "relative link inside the sysroot: exit $rc: $(cat sysroot.err)"
rm "$link"; ln -s /lib/real "$link"
run_cmd sysroot $MAPSLEUTH info --sysroot root "$core"
[ "$rc" -le 1 ] || fail "absolute link inside the sysroot: exit $rc: $(cat sysroot.err)"
# Links that lead out of the sysroot, to a file that exists outside it.
for target in "$exe" "${up}../../../../../../../..$exe"; do
	rm "$link"; ln -s "$target" "$link"
	run_cmd escape $MAPSLEUTH info --sysroot root "$core"
	[ "$rc" -eq 2 ] || fail "link to $target left the sysroot: exit $rc"
	grep -q "executable not found" escape.err || fail "$(cat escape.err)"
done
# A recorded path with "..": stays at the sysroot's top.
$HOSTILE_CORE "$core" dotdot.core --exe-path "/../../../../..$exe"
run_cmd dotdot $MAPSLEUTH info --sysroot root dotdot.core
[ "$rc" -eq 2 ] || fail "'..' in the core's path left the sysroot: exit $rc"
mkdir -p "root$(dirname "$exe")"; cp "$exe" "root$exe"
run_cmd dotdot $MAPSLEUTH info --sysroot root dotdot.core
[ "$rc" -le 1 ] || fail "'..' at the sysroot's top is the top: exit $rc: $(cat dotdot.err)"
grep -q "^executable:" dotdot.out || fail "no executable line: $(cat dotdot.out)"
exit 0
