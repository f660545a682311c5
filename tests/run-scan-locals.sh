#!/bin/sh
# Maps no global reaches (corpus/locals: goroutine locals in frames and on
# the heap, heap structs, interfaces, nested maps; decoys that only look
# like headers). Measures and prints, per toolchain, the share of the
# truth's maps that come back typed with the right type, those whose path
# names the right field or key, those whose decoded entries include the
# truth's samples, those whose first root is the truth's declaring
# function and local (goroutine roots from DWARF; a map no variable holds,
# whose storage is a large object, is typed from its span's largeType from
# Go 1.22), those held in a frame
# whose function the stack find names (stripped binaries), and how many
# decoys were reported (spurious finds).
# Asserts: no decoy reported, no map typed wrongly, entries equal to the
# truth for every typed map, every map typed and named after its declaring
# function (with DWARF also its local), and for every map the truth holds
# in a frame, the frame's function; for every map with a declaration in
# the JSON, provenance.package is its declaring function's package and
# provenance.variable its local or null (a path from what a scan found).
# Corpus: bash corpus/locals/gen/regen.sh.
. "$abs_srcdir/test-subr.sh"
. "$abs_srcdir/scan-subr.sh"
command -v python3 > /dev/null || skip "python3 not installed"

# Every toolchain, stripped or not, types all 13 maps of the truth. With
# DWARF, every map a local or argument holds (12) is named after its
# function and variable (one only in a register of a spinning goroutine).
# Without DWARF, each of them is named after its declaring function: a
# stack find in its frame, a live pointer of the frame (by its stack maps,
# or the registers and words of a preempted frame) to the header or to a
# heap object holding it, or a walk from such a map or object; and the
# maps several types fit are typed by that function's code.
min_named()
{
	echo 12
}

min_typed()
{
	echo 13
}

locals_case()
{
	local tc=${case_dir##*/locals-} rc=0
	"$MAPSLEUTH" scan --json --all --exe "$case_dir/$exe_name" "$case_dir/core" \
		> scan.json 2> scan.err || rc=$?
	[ $rc -le 1 ] || fail "$case_dir: scan exited $rc: $(cat scan.err)"
	python3 - "$case_dir" "$tc" "$(min_typed "$tc")" "$MAPSLEUTH" "$exe_name" "$(min_named "$tc")" <<'PY' || exit 1
import json, re, subprocess, sys
case_dir, tc, min_typed, mapsleuth, exe = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
min_named = int(sys.argv[6])
truth = json.load(open(case_dir + "/truth.json"))
scan = json.loads(open("scan.json").read())
found = {m["header"]: m for m in scan["maps"]}
problems = []
typed = paths = paths_want = entries_ok = entries_want = declared = declared_want = 0
frames = frames_want = named_func = 0
prov_ok = prov_want = from_find = 0
for tm in truth["maps"]:
    m = found.get(tm["header"])
    if m is None:
        problems.append("%s (%s) not found" % (tm["name"], tm["header"]))
        continue
    # "main.count local seen": the declaring function and local; "(heap)
    # main.hidden big": no variable holds it (an unsafe.Pointer does).
    decl = re.match(r"^(\S+) (?:local|arg) ([A-Za-z_][A-Za-z0-9_]*)", tm["name"])
    r0 = m["roots"][0] if m["roots"] else None
    if decl:
        func, local = decl.groups()
        declared_want += 1
        if (r0 and r0.get("function") == func and r0.get("local") == local
                and r0["symbol"].endswith(tm["name"][len(func) + 1:])
                and "goroutine" in m["found_by"]):
            declared += 1
    elif r0 and not (r0.get("unnamed") and re.match(r"^unnamed \.(bss|data) 0x[0-9a-f]+ -> \[\d+\]$", r0["symbol"])):
        # Stripped, the GC bits of main.keepHidden (a []unsafe.Pointer)
        # mark its elements as pointers: an element may say where it is.
        problems.append("%s: no variable holds it, yet its root is %s" % (tm["name"], r0["symbol"]))
    elif (m["type"] == tm["type"] and not tc.endswith("-stripped")
          and int(re.match(r"go1\.(\d+)", tc).group(1)) >= 22 and m["confidence"] != 95):
        # Its storage is a large object: Go 1.22+ names the group or
        # bucket type in the span (mspan.largeType).
        problems.append("%s: typed with confidence %d, not 95 (span.largeType)"
                        % (tm["name"], m["confidence"]))
    # provenance.package is the declaring function's package, never a
    # piece of a root such as "(heap, held by goroutine 21 in
    # main.nested 0x...)[k]"; provenance.variable is the local or null.
    prov = m.get("provenance") or {}
    if decl and prov.get("symbol"):
        prov_want += 1
        fn = decl.group(1)
        pkg = fn[:fn.rfind("/") + 1] + fn[fn.rfind("/") + 1:].split(".")[0]
        var = prov.get("variable")
        held = m["found_in"].endswith(" in " + fn)
        if (prov.get("package") == pkg or (prov.get("package") is None and not held
                                            and not prov["symbol"].startswith("("))) \
                and var in (None, decl.group(2)):
            prov_ok += 1
            from_find += prov["symbol"].startswith("(")
        else:
            problems.append("%s: provenance package %r, variable %r (root %s); want %r and %r or null"
                            % (tm["name"], prov.get("package"), var, prov["symbol"], pkg,
                               decl.group(2)))
    if decl and (r0 and r0.get("function") == decl.group(1)
                 or m["found_in"].endswith(" in " + decl.group(1))):
        named_func += 1
    if tm["held_by"] == "stack":
        frames_want += 1
        if r0 and r0.get("function") == func or m["found_in"].endswith(" in " + func):
            frames += 1
        else:
            problems.append("%s: held in a frame of %s, found in %s" % (tm["name"], func, m["found_in"]))
    if m["type"] == "map[?]?":
        continue
    if m["type"] != tm["type"]:
        problems.append("%s typed %s, truth %s" % (tm["name"], m["type"], tm["type"]))
        continue
    typed += 1
    # "main.serve local srv.Sessions[100].Attrs": the path after the
    # local's name is what a root path must end with.
    rest = re.sub(r"^\S+ (?:local|arg) [A-Za-z_][A-Za-z0-9_]*", "", tm["name"]) if decl else ""
    if rest:
        paths_want += 1
        if any(r["symbol"].endswith(rest) for r in m["roots"]):
            paths += 1
    if tm["samples"]:
        entries_want += 1
        out = subprocess.run([mapsleuth, "show", "--json", "--limit", "100000", "--exe",
                              case_dir + "/" + exe, case_dir + "/core", tm["header"]],
                             capture_output=True, text=True).stdout
        got = json.loads(out)["map"].get("entries") or []
        keys = [e["key"] for e in got]
        # Values that are pointers are addresses in the core, objects in
        # the truth: their keys are compared.
        if all(s in got if not isinstance(s["value"], (dict, list)) else s["key"] in keys
               for s in tm["samples"]):
            entries_ok += 1
        else:
            problems.append("%s: entries %s lack samples %s" % (tm["name"], got[:8], tm["samples"]))
decoys = [d for d in truth.get("decoys", []) if d["address"] in found]
n = len(truth["maps"])
others = sum(1 for m in scan["maps"] if m["header"] not in {t["header"] for t in truth["maps"]}
             and not m["roots"])
print("locals/%s: typed %d/%d (%d%%), declared by their function and local %d/%d, "
      "function named %d/%d, "
      "paths %d/%d, entries %d/%d, frame function of stack maps %d/%d, decoys reported %d/%d, "
      "other heap/stack finds %d (the runtime's and libraries' own maps), "
      "provenance package and variable %d/%d (%d from a scan's find)"
      % (tc, typed, n, 100 * typed // n, declared, declared_want, named_func, declared_want,
         paths, paths_want,
         entries_ok, entries_want, frames, frames_want,
         len(decoys), len(truth.get("decoys", [])), others, prov_ok, prov_want, from_find))
for d in decoys:
    problems.append("decoy reported as a map: %s at %s" % (d["what"], d["address"]))
if typed < min_typed:
    problems.append("typed %d maps, fewer than %d" % (typed, min_typed))
if named_func < min_named:
    problems.append("the declaring function of %d maps named, fewer than %d"
                    % (named_func, min_named))
if not tc.endswith("-stripped") and declared < declared_want:
    problems.append("%d of %d maps named after their declaring local" % (declared, declared_want))
for p in problems:
    print("FAIL: locals/%s: %s" % (tc, p))
sys.exit(1 if problems else 0)
PY
}
for_cases locals locals_case
exit 0
