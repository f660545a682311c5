#!/bin/sh
# Files fetched by build id: a real debuginfod server, started here on
# 127.0.0.1 and a free port, serves the executable and plugins of a corpus
# case; mapsleuth, given none of them, fetches each by the GNU build id the
# core holds (Go >= 1.24 binaries have one) and scans as with the files at
# hand, checked against the truth the program recorded. Also: a file with
# the wrong build id is replaced by the right one, the cache serves once
# the server is gone, and --no-debuginfod forbids it.
# Corpus: corpus/plugins (bash corpus/plugins/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"

[ -n "$DEBUGINFOD" ] && [ -x "$DEBUGINFOD" ] ||
	skip "debuginfod not installed (Debian package debuginfod)"
command -v debuginfod-find >/dev/null || skip "debuginfod-find not installed (Debian package debuginfod)"
"$MAPSLEUTH" --version | grep -q '^features:.* debuginfod' ||
	skip "mapsleuth built without libdebuginfod (install libdebuginfod-dev and configure again)"

testcase plugins go1.26
exe=$(sed -n 's/^  "exe": "\(.*\)",$/\1/p' "$case_dir/truth.json")
mkdir served empty
cp "$case_dir/$exe" "$case_dir"/*.so served/
exe_id=$("$MAPSLEUTH" info --verbose --exe "$case_dir/$exe" --solib-search "$case_dir" "$case_dir/core" |
	awk '$1 == "exe" && $2 == "found" { print $4 }')
[ -n "$exe_id" ] || fail "no build id of the executable in the core"

server=
trap 'rc=$?; [ -z "$server" ] || kill $server 2>/dev/null || true; cd /; [ $rc -ne 0 ] || rm -rf "$test_dir"; exit $rc' EXIT

# Start the server on a free port and wait until it has indexed served/.
started=
for try in 1 2 3 4 5; do
	port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
	"$DEBUGINFOD" -F -p "$port" -d "$test_dir/db-$try.sqlite" -t 0 -g 0 -c 1 \
		"$test_dir/served" > "server-$try.log" 2>&1 &
	server=$!
	export DEBUGINFOD_URLS="http://127.0.0.1:$port"
	i=0
	while [ $i -lt 150 ]; do
		kill -0 $server 2>/dev/null || break
		# A fresh cache each time: libdebuginfod remembers misses.
		rm -rf "$test_dir/probe-cache"
		if DEBUGINFOD_CACHE_PATH="$test_dir/probe-cache" DEBUGINFOD_TIMEOUT=5 \
			debuginfod-find executable "$exe_id" > /dev/null 2>&1; then
			started=yes
			break
		fi
		sleep 0.2
		i=$((i + 1))
	done
	[ -n "$started" ] && break
	kill $server 2>/dev/null
	wait $server 2>/dev/null || true
	server=
done
[ -n "$started" ] || skip "could not start debuginfod on 127.0.0.1: $(tail -n 3 server-5.log)"
echo "debuginfod serving on port $port"
export DEBUGINFOD_CACHE_PATH="$test_dir/cache"

# Nothing at hand: the empty sysroot hides the recorded paths.
rc=0
"$MAPSLEUTH" scan --json --all --sysroot "$test_dir/empty" "$case_dir/core" > scan.json 2> scan.err || rc=$?
[ $rc -le 1 ] || fail "scan with debuginfod exited $rc: $(cat scan.err)"
check_scan_truth
n=$(grep -o '"file":"[^"]*"' scan.json | grep -c "\"file\":\"$test_dir/cache/")
[ "$n" -eq 3 ] || fail "expected the executable and 2 plugins from the cache, got $n: $(grep -o '"file":"[^"]*"' scan.json)"

# The wrong file at the recorded path: replaced by the right one.
rec=$(sed -n 's/.*"path":"\([^"]*\)","file":"[^"]*","kind":"exe".*/\1/p' scan.json)
[ -n "$rec" ] || fail "no recorded executable path in the scan"
mkdir -p "$test_dir/sysroot$(dirname "$rec")"
cp "$case_dir/geo.so" "$test_dir/sysroot$rec"
rc=0
"$MAPSLEUTH" info --verbose --sysroot "$test_dir/sysroot" "$case_dir/core" > info.txt 2> info.err || rc=$?
[ $rc -le 1 ] || fail "info with a wrong executable exited $rc: $(cat info.err)"
grep -q "^  exe  *found .* $exe_id .*$test_dir/cache/" info.txt ||
	fail "the executable was not fetched in place of the wrong one: $(grep exe info.txt)"

# --no-debuginfod: the executable stays missing.
expect_exit 2 "$MAPSLEUTH" scan --no-debuginfod --sysroot "$test_dir/empty" "$case_dir/core" 2> err.txt
grep -q 'executable not found' err.txt || fail "--no-debuginfod: $(cat err.txt)"

# The server gone: the cache still answers; a fresh cache cannot.
kill $server
wait $server 2>/dev/null || true
server=
rc=0
"$MAPSLEUTH" scan --json --all --sysroot "$test_dir/empty" "$case_dir/core" > scan.json 2> scan.err || rc=$?
[ $rc -le 1 ] || fail "scan from the cache exited $rc: $(cat scan.err)"
check_scan_truth
(export DEBUGINFOD_CACHE_PATH="$test_dir/cache2"
 expect_exit 2 "$MAPSLEUTH" scan --sysroot "$test_dir/empty" "$case_dir/core" 2> err.txt)
grep -q "not fetched: build id $exe_id" err.txt || fail "no server: $(cat err.txt)"
grep -q 'executable not found' err.txt || fail "no server: $(cat err.txt)"
exit 0
