#!/bin/sh
# Strings a core chooses never drive the terminal and JSON stays strict
# UTF-8: map keys and values with escape sequences, C1, bidi controls and
# invalid UTF-8 (corpus/hostile), and a core whose notes carry escapes in
# the process name and arguments (NT_PRPSINFO) and in file paths (NT_FILE).
# Every command runs under a timeout; every output is checked.
# Corpus: corpus/hostile (regenerate with bash corpus/hostile/gen/regen.sh).
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/hostile-subr.sh"

testcase hostile go1.26
core=$case_dir/core exe=$case_dir/hostile
header() {
	python3 -c 'import json,sys
for m in json.load(open(sys.argv[1]))["maps"]:
    if m["name"] == sys.argv[2]: print(m["header"])' "$case_dir/truth.json" "$1"
}
escapes=$(header main.gEscapes) arrays=$(header main.gArrays)
[ -n "$escapes" ] && [ -n "$arrays" ] || fail "truth.json names no main.gEscapes/main.gArrays"

# The notes too: escapes, C1 and bidi controls in psargs, fname and paths.
$HOSTILE_CORE "$core" notes.core \
	--psargs '\x1b]0;pwned\x07\x1b[2J\x1b[41mred \xc2\x9b31m \xe2\x80\xae \x9b' \
	--fname '\x1b[31m\xe2\x81\xa6x' \
	--add-file '/lib/\x1b]0;t\x07\xe2\x80\xae\x9bos.so' --add-file '/lib/\xff\xfe.so'

# Every command, text and JSON: no hang, no control byte out. ("@" is
# where the core goes.)
for c in "$core" notes.core; do
	n=$(basename "$c" .core)
	for cmd in "scan --all @" "scan --all --verbose @" "info @" "info --address $escapes @" \
		   "show @ 1" "show @ $escapes" "show @ $arrays" \
		   "tui --dump --size 100x30 --keys a/gEscapes<Enter><Enter><Tab><Tab> @"; do
		args=$(echo "$cmd" | sed "s|@|--exe $exe $c|")
		run_cmd "$n" $MAPSLEUTH $args
		[ "$rc" -le 1 ] || fail "'$args' exited $rc: $(cat "$n.err")"
		case $cmd in tui*) ;; *)
			args=$(echo "$cmd" | sed "s|@|--json --exe $exe $c|")
			run_cmd "$n-json" $MAPSLEUTH $args
			[ "$rc" -le 1 ] || fail "'$args' exited $rc"
			check_json "$n-json.out" ;;
		esac
	done
done
# Colour on: the tool's own colours pass, the core's escapes still do not.
for c in "$core" notes.core; do
	for cmd in "scan --all --verbose" "show"; do
		rc=0
		$TIMEOUT $MAPSLEUTH $cmd --color=always --exe "$exe" "$c" \
			$([ "$cmd" = show ] && echo "$escapes") > color.out 2> color.err < /dev/null || rc=$?
		[ "$rc" -le 1 ] || fail "'$cmd --color=always' on $c exited $rc: $(cat color.err)"
		grep -q "$(printf '\033')\\[[0-9;]*m" color.out || fail "'$cmd --color=always' on $c: no colour"
		check_terminal_safe color.out sgr
		check_terminal_safe color.err
	done
done
grep -qF '"bidi-\u202etxt.exe"' color.out || fail "show --color=always: $(cat color.out)"

run_cmd layout $MAPSLEUTH layout "$exe"
run_cmd layout $MAPSLEUTH layout --json "$exe"
check_json layout.out

# What the user sees instead of the controls (the rule of lib/escape.c).
run_cmd show $MAPSLEUTH show --exe "$exe" "$core" "$escapes"
for want in '"\x1b]0;pwned\x07\x1b[2J\x1b[41m": "retitle' '"csi8-\x9b31m"' \
	    '"csi-\u009b31m"' '"bidi-\u202etxt.exe"' '"isolate-\u2066x\u2069"' \
	    '"invalid \xff\xfe\xc3 UTF-8"'; do
	grep -qF "$want" show.out || fail "show does not print $want: $(cat show.out)"
done
# --verbose: the command line whole on its line, to compare.
run_cmd info $MAPSLEUTH info --verbose --exe "$exe" notes.core
grep -qF 'process:     pid' info.out || fail "no process line"
grep -F 'process:' info.out | grep -qF '\x1b[31m\u2066x: \x1b]0;pwned\x07\x1b[2J\x1b[41mred \u009b31m \u202e \x9b' ||
	fail "process line: $(grep process: info.out)"
grep -qF '/lib/\x1b]0;t\x07\u202e\x9bos.so: shared object not found' info.err ||
	fail "the warning does not show the path escaped: $(cat info.err)"
run_cmd tui $MAPSLEUTH tui --dump --size 100x30 --keys 'a/gEscapes<Enter><Enter><Tab><Tab>' --exe "$exe" "$core"
grep -qF '"bidi-\u202etxt.exe"' tui.out || fail "tui entries: $(cat tui.out)"

# JSON: the documented rule (doc/json-schema.md), checked against the truth.
run_cmd showj $MAPSLEUTH show --json --exe "$exe" "$core" "$escapes"
run_cmd arrj $MAPSLEUTH show --json --exe "$exe" "$core" "$arrays"
run_cmd infoj $MAPSLEUTH info --json --exe "$exe" notes.core
python3 - "$case_dir/truth.json" showj.out arrj.out infoj.out <<'PY' || fail "JSON does not follow the schema's rule"
import json, sys
truth = json.load(open(sys.argv[1]))
show = json.loads(open(sys.argv[2], 'rb').read().decode('utf-8'))
arr = json.loads(open(sys.argv[3], 'rb').read().decode('utf-8'))
info = json.loads(open(sys.argv[4], 'rb').read().decode('utf-8'))
want = {m['name']: m for m in truth['maps']}
ents = show['map']['entries']
assert len(ents) == want['main.gEscapes']['count'], ents
by_key = {}
for e in ents:
    k = e['key']
    by_key[k if isinstance(k, str) else k['string']] = e
# Valid controls are lossless: U+009B and U+202E come back as such.
sample = [s for s in want['main.gEscapes']['samples'] if s['key'].startswith('csi-')][0]
assert by_key[sample['key']]['value'] == sample['value'], by_key[sample['key']]
assert '\x1b]0;pwned\x07\x1b[2J\x1b[41m' in by_key
assert 'bidi-\u202etxt.exe' in by_key
# Invalid bytes: \u00XX and a flag on the string.
k = [e['key'] for e in ents if isinstance(e['key'], dict)]
assert k == [{'string': 'csi8-\x9b31m', 'invalid_utf8': True}], k
v = by_key['isolate-\u2066x\u2069']['value']
assert v == {'string': 'invalid \xff\xfe\xc3 UTF-8', 'invalid_utf8': True}, v
# A string past the cut: its prefix, its real length, and the mark.
long_truth = [s for s in want['main.gEscapes']['samples'] if s['key'] == 'long'][0]['value']
lv = by_key['long']['value']
assert lv['truncated'] is True and lv['len'] == len(long_truth.encode()), lv
assert long_truth.startswith(lv['string']) and len(lv['string']) == 64, lv
# An array past the cut: 8 elements, its length and how many were left out.
av = arr['map']['entries'][0]['value']
assert av == {'elements': [1, 2, 3, 4, 5, 6, 7, 8], 'len': 12, 'omitted': 4}, av
# Invalid bytes in the notes are counted for the document.
assert info.get('invalid_utf8_bytes', 0) >= 3, info.get('invalid_utf8_bytes')
PY

# The gdb companion applies the same rule to what it prints.
if [ -n "$GDB" ] && [ -x "$GDB" ]; then
	# gdb itself prints the core's psargs and paths raw ("Core was generated
	# by", "Can't open file ... during file-backed mapping note"): those
	# lines are gdb's, not the companion's, and are left out of the check.
	rc=0
	$TIMEOUT env MAPSLEUTH="$MAPSLEUTH" "$GDB" -nx -batch -q \
		-ex "set sysroot $PWD/nowhere" -x "$abs_top_srcdir/gdb-scripts/mapsleuth.py" \
		-ex "mapsleuth show $escapes" -ex "mapsleuth info" "$exe" notes.core \
		> gdb.raw 2> gdb.err < /dev/null || rc=$?
	[ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || fail "gdb hung"
	grep -av '^Core was generated by' gdb.raw > gdb.out || true
	check_terminal_safe gdb.out
	grep -a '^mapsleuth' gdb.err > gdb.ours || true
	check_terminal_safe gdb.ours
	grep -qF '"bidi-\u202etxt.exe"' gdb.out || fail "gdb show: $(cat gdb.out gdb.err)"
	grep -qF '\x1b]0;pwned' gdb.out || fail "gdb info: $(cat gdb.out gdb.err)"
	python3 - "$abs_top_srcdir/gdb-scripts" <<'PY' || fail "gdb-scripts terminal_safe"
import sys, types
sys.modules['gdb'] = types.SimpleNamespace(Command=object, Parameter=object, COMPLETE_NONE=0,
    COMPLETE_SYMBOL=0, COMMAND_DATA=0, PARAM_OPTIONAL_FILENAME=0)
src = open(sys.argv[1] + '/mapsleuth.py').read().split('\ndef register(')[0]
ns = {}
exec(compile(src, 'mapsleuth.py', 'exec'), ns)
t = ns['terminal_safe']
assert t('a\x1b[2J\tb\n') == 'a\\x1b[2J\tb\n'
assert t('\x9b\u202e\u2066\u061c\x7f') == '\\u009b\\u202e\\u2066\\u061c\\x7f'
assert t('caf\xe9 \udc9b') == 'caf\xe9 \\x9b'
PY
else
	echo "gdb not installed: the gdb companion is not run"
fi
exit 0
