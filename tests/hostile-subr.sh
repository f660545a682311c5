# Common code for tests/run-hostile-*.sh: crafted cores made at test time
# from corpus cores (hostile-core.py rewrites their notes), and checks that
# hold for any output of any command on them.

command -v python3 >/dev/null 2>&1 || skip "python3 not installed"
HOSTILE_CORE="python3 $abs_srcdir/hostile-core.py"
TIMEOUT="timeout -k 5 60"

# run_cmd NAME CMD...: run CMD under a timeout with stdout and stderr in
# NAME.out and NAME.err; a timeout (124, 137) fails the test. Sets $rc.
run_cmd()
{
	local name=$1
	shift
	rc=0
	$TIMEOUT "$@" > "$name.out" 2> "$name.err" < /dev/null || rc=$?
	case $rc in
	124|137) fail "'$*' hung (killed after the timeout)" ;;
	esac
	[ "$rc" -lt 128 ] || fail "'$*' died of signal $((rc - 128)): $(head -3 "$name.err")"
	check_terminal_safe "$name.out"
	check_terminal_safe "$name.err"
}

# check_terminal_safe FILE [sgr]: no byte or character that drives a
# terminal: C0 other than tab and newline, DEL, any 8-bit C1 byte,
# U+0080-U+009F, the bidi controls, and no invalid UTF-8. With "sgr", the
# tool's own colours (ESC [ digits ; m) are allowed, and nothing else.
check_terminal_safe()
{
	python3 - "$1" "${2:-}" <<'PY' || fail "$1 is not terminal-safe"
import re, sys
b = open(sys.argv[1], 'rb').read()
if sys.argv[2] == 'sgr':
    b = re.sub(rb'\x1b\[[0-9;]*m', b'', b)
try:
    s = b.decode('utf-8')
except UnicodeDecodeError as e:
    sys.exit('%s: invalid UTF-8 at byte %d: %r' % (sys.argv[1], e.start, b[max(0, e.start - 20):e.start + 20]))
m = re.search('[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]', s)
if m:
    sys.exit('%s: control U+%04X at %d: %r' % (sys.argv[1], ord(m.group()), m.start(), s[max(0, m.start() - 30):m.start() + 30]))
PY
}

# check_json FILE: one JSON document, strict UTF-8 bytes.
check_json()
{
	python3 - "$1" <<'PY' || fail "$1 is not strict UTF-8 JSON"
import json, sys
b = open(sys.argv[1], 'rb').read()
json.loads(b.decode('utf-8', errors='strict'))
PY
}
