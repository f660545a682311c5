# Common code for tests/run-*.sh (after elfutils' test-subr.sh).
#
# Each test runs in its own scratch directory, decompresses the corpus files
# it needs with `testcase`, and exits 0 (pass), 1 (fail) or 77 (skip: a tool
# or a file it needs is missing; never a pass).
set -e
: "${abs_srcdir:?}" "${abs_top_builddir:?}" "${abs_top_srcdir:?}"
. "$abs_top_builddir/tests/test-env.sh"

MAPSLEUTH="$abs_top_builddir/src/mapsleuth"
CORPUS="$abs_top_srcdir/corpus"
test_name=$(basename "$0" .sh)
test_dir="$abs_top_builddir/tests/$test_name.dir"
rm -rf "$test_dir"
mkdir -p "$test_dir"
cd "$test_dir"
trap 'rc=$?; cd /; [ $rc -ne 0 ] || rm -rf "$test_dir"; exit $rc' EXIT

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

require_zstd() { [ -n "$ZSTD" ] && [ -x "$ZSTD" ] || skip "zstd not installed"; }

# testcase CASE TC: decompress corpus/CASE/TC into ./CASE-TC/ and set
# $case_dir. Skips when the case is not in the corpus.
testcase()
{
	require_zstd
	local src="$CORPUS/$1/$2"
	[ -d "$src" ] || skip "corpus case $1/$2 not present"
	case_dir="$test_dir/$1-$2"
	mkdir -p "$case_dir"
	local f
	for f in "$src"/*; do
		case "$f" in
		*.zst) "$ZSTD" -q -d -f "$f" -o "$case_dir/$(basename "$f" .zst)" ;;
		*) cp "$f" "$case_dir/" ;;
		esac
	done
	chmod +x "$case_dir"/* 2>/dev/null || true
}

# corpus_cases [CASE]: list "case/tc" pairs present in the corpus.
corpus_cases()
{
	local d
	for d in "$CORPUS"/${1:-*}/*/; do
		[ -f "$d/truth.json" ] || continue
		d=${d%/}
		echo "${d#$CORPUS/}"
	done
}

# testrun_compare CMD...: run CMD, compare its stdout with stdin.
testrun_compare()
{
	"$@" > out.actual || true
	cat > out.expected
	diff -u out.expected out.actual
}

# expect_exit CODE CMD...: run CMD and check its exit status.
expect_exit()
{
	local want=$1 rc=0
	shift
	"$@" || rc=$?
	[ "$rc" -eq "$want" ] || fail "'$*' exited $rc, expected $want"
}
