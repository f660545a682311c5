#!/bin/bash
# check-truth.sh CORE TRUTH.json
#
# Cross-checks a truth.json against its core file with readelf (and
# eu-readelf, when installed, for NT_FILE):
#   - every non-nil map header lies, whole, inside a PT_LOAD with file bytes;
#   - for "ok" maps, buckets/oldbuckets/extra (classic) and dirPtr/tables
#     (swiss) lie inside a PT_LOAD with file bytes;
#   - each "bad" pointer fits its verdict: dangling -> in no PT_LOAD at all,
#     freed -> inside a PT_LOAD with file bytes, foreign -> inside a
#     file-backed mapping of NT_FILE (checked only with eu-readelf);
#   - a crash fault_address lies in no PT_LOAD;
#   - every module file of truth.json is named by an NT_FILE mapping (eu-readelf).
# Prints one line per problem and exits 1 if there was any.
set -u
[ $# = 2 ] || { echo "usage: $0 CORE TRUTH.json" >&2; exit 2; }
core=$1 truth=$2
[ -f "$core" ] && [ -f "$truth" ] || { echo "check-truth: missing $core or $truth" >&2; exit 2; }
command -v readelf >/dev/null || { echo "check-truth: readelf not installed" >&2; exit 77; }

loads=$(readelf -lW "$core" | awk '$1 == "LOAD" { print $3, $5, $6 }')
[ -n "$loads" ] || { echo "check-truth: no PT_LOAD in $core" >&2; exit 1; }
files=
if command -v eu-readelf >/dev/null; then
	# "start-end offset size path" lines of NT_FILE.
	files=$(eu-readelf -n "$core" | awk '/^ +[0-9a-f]+-[0-9a-f]+ [0-9a-f]+ [0-9]+ +\// { split($1, r, "-"); print "0x" r[1], "0x" r[2], $4 }')
	[ -n "$files" ] || files=NONE
fi

{
	printf '%s\n' "$loads" | sed 's/^/L /'
	[ -n "$files" ] && printf '%s\n' "$files" | sed 's/^/F /'
	echo "T"
	cat "$truth"
} | awk -v havefiles="$([ -n "$files" ] && echo 1 || echo 0)" '
function hex(s,    i, c, v) {
	v = 0
	s = tolower(s)
	sub(/^0x/, "", s)
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1)) - 1
		if (c < 0) return -1
		v = v * 16 + c
	}
	return v
}
function inload(a, n, needfile,    i) {
	for (i = 0; i < nl; i++)
		if (a >= lv[i] && a + n <= lv[i] + (needfile ? lf[i] : lm[i]))
			return 1
	return 0
}
function infile(a,    i) {
	for (i = 0; i < nf; i++)
		if (a >= fs[i] && a < fe[i]) return 1
	return 0
}
function fail(msg) { print "check-truth: " name ": " msg; bad++ }
function val(line) { sub(/^[^:]*: *"?/, "", line); sub(/"?,?$/, "", line); return line }
function endmap(    i, a) {
	if (name == "") return
	nmaps++
	if (header != "" && hex(header) != 0) {
		if (!inload(hex(header), 48, 1)) fail("header " header " not in a PT_LOAD with file bytes")
	}
	if (verdict == "ok") {
		for (i = 0; i < np; i++) {
			a = hex(ptr[i])
			if (a != 0 && !inload(a, 1, 1)) fail(pf[i] " " ptr[i] " not in a PT_LOAD with file bytes")
		}
	}
	for (i = 0; i < nb; i++) {
		a = hex(bp[i])
		if (verdict == "dangling" && inload(a, 1, 0)) fail("dangling " bf[i] " " bp[i] " is inside a PT_LOAD")
		if (verdict == "freed" && !inload(a, 1, 1)) fail("freed " bf[i] " " bp[i] " not in a PT_LOAD with file bytes")
		if (verdict == "foreign" && havefiles && !infile(a)) fail("foreign " bf[i] " " bp[i] " not in an NT_FILE mapping")
	}
	if (verdict != "ok" && nb == 0) fail("verdict " verdict " without bad pointers")
	name = ""; header = ""; verdict = ""; np = 0; nb = 0; intables = 0
}
# (Numeric from the start: the first PT_LOAD is index 0, not "".)
BEGIN { nl = 0; nf = 0; np = 0; nb = 0; nmod = 0 }
$1 == "L" && !intruth { lv[nl] = hex($2); lf[nl] = hex($3); lm[nl] = hex($4); nl++; next }
$1 == "F" && !intruth { if ($2 != "NONE") { fs[nf] = hex($2); fe[nf] = hex($3); fp[nf] = $4; nf++ } ; next }
$1 == "T" && !intruth { intruth = 1; next }
/^  "modules": \[/ { inmods = 1 }
inmods && /"file": / {
	f = val($0)
	modfile[nmod++] = f
}
inmods && /^  \],?$/ { inmods = 0 }
/^    {$/ && !inmods { endmap() }
/^      "name": / { name = val($0) }
/^      "header": / { header = val($0) }
/^      "verdict": / { verdict = val($0) }
/^        "(buckets|oldbuckets|extra|dirPtr)": / { l = $0; f = l; sub(/^ *"/, "", f); sub(/".*/, "", f); pf[np] = f; ptr[np++] = val(l) }
/^        "tables": \[$/ { intables = 1; next }
intables && /^          "0x[0-9a-f]+",?$/ { l = $0; gsub(/[ ",]/, "", l); pf[np] = "table"; ptr[np++] = l; next }
intables && /^        \]/ { intables = 0 }
/^          "field": / { bf[nb] = val($0) }
/^          "pointer": / { bp[nb++] = val($0) }
/^  "crash": / { endmap(); incrash = 1 }
incrash && /"fault_address": / {
	a = val($0); name = "crash"
	if (a !~ /^0x[0-9a-f]+$/) fail("fault_address " a " not filled in")
	else if (inload(hex(a), 1, 0)) fail("fault_address " a " is inside a PT_LOAD")
	name = ""
}
END {
	endmap()
	if (havefiles) {
		for (i = 0; i < nmod; i++) {
			ok = 0
			for (j = 0; j < nf; j++) { p = fp[j]; sub(/.*\//, "", p); if (p == modfile[i]) ok = 1 }
			name = "modules"
			if (!ok) fail("module file " modfile[i] " not in NT_FILE")
		}
	}
	if (nmaps == 0) { print "check-truth: no maps in truth"; bad++ }
	printf "check-truth: %d maps, %d PT_LOAD, %d NT_FILE mappings%s: %s\n", nmaps, nl, nf, havefiles ? "" : " (no eu-readelf: NT_FILE not checked)", bad ? bad " problems" : "ok"
	exit bad ? 1 : 0
}'
