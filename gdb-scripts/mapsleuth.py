# mapsleuth gdb companion: the `mapsleuth` commands inside gdb.
#
#   gdb -x gdb-scripts/mapsleuth.py EXE CORE
#
# `mapsleuth scan`, `show` and `info` run the mapsleuth program on the
# executable and core gdb has open (its JSON for scan, its text for the
# others) and print the result; `scan` also sets $ms_1, $ms_2, ... to the
# suspect map headers.  `mapsleuth check EXPR` judges one map in gdb's
# current context by reading memory through gdb, so it also works on a live
# process.  See doc/gdb.md.
#
# Works with gdb 13 and Python 3.11 (Debian 12).  The map layouts are those
# of the Go runtime (src/runtime/map.go, src/internal/runtime/maps); every
# offset comes from the DWARF gdb reads, by field name.
"""gdb commands for mapsleuth: scan, show, info and check Go maps."""

import json
import os
import re
import shutil
import subprocess
import tempfile

import gdb


# ---------------------------------------------------------------------------
# Finding and running the mapsleuth program


def _program_candidates(script_dir):
    """Return the paths to try for the mapsleuth program, best first.

    The order is: gdb's `mapsleuth-program` setting, $MAPSLEUTH, `mapsleuth`
    on PATH, then the build trees next to this script (build/src/mapsleuth
    for an out-of-tree build, src/mapsleuth for an in-tree one).
    """
    out = []
    try:
        setting = gdb.parameter("mapsleuth-program")
    except (gdb.error, RuntimeError):
        setting = None
    if setting:
        out.append(os.path.expanduser(setting))
    env = os.environ.get("MAPSLEUTH")
    if env:
        out.append(os.path.expanduser(env))
    on_path = shutil.which("mapsleuth")
    if on_path:
        out.append(on_path)
    top = os.path.dirname(script_dir)
    out.append(os.path.join(top, "build", "src", "mapsleuth"))
    out.append(os.path.join(top, "src", "mapsleuth"))
    return out


def find_program(script_dir):
    """Return the path of the mapsleuth program, or raise gdb.GdbError."""
    tried = _program_candidates(script_dir)
    for path in tried:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    raise gdb.GdbError(
        "mapsleuth: cannot find the mapsleuth program (tried %s); "
        "put it on PATH, set $MAPSLEUTH or 'set mapsleuth-program PATH'"
        % ", ".join(tried))


def core_file():
    """Return the path of the core file gdb has open, or None.

    gdb 13 has no Python attribute for it; `info target` prints
    "Local core dump file:\\n\\t`/path/core', file type elf64-x86-64.".
    """
    try:
        text = gdb.execute("info target", to_string=True)
    except gdb.error:
        return None
    m = re.search(r"Local core dump file:\s*`(.*)', file type", text)
    return m.group(1) if m else None


def executable_file():
    """Return the executable gdb has loaded, or None."""
    return gdb.current_progspace().filename


def solib_options():
    """Return the CLI options that carry gdb's shared-object settings.

    `sysroot` becomes --sysroot (a bare "target:" or "" means the local
    file system and is left out; "target:/dir" is read as /dir, which is
    what it means for a core).  Each directory of `solib-search-path`
    becomes one --solib-search, in order, followed by the directories of the
    shared objects gdb has actually loaded, so that the program finds the
    same files gdb found.
    """
    opts = []
    sysroot = gdb.parameter("sysroot") or ""
    if sysroot.startswith("target:"):
        sysroot = sysroot[len("target:"):]
    if sysroot and sysroot != "/":
        opts += ["--sysroot", sysroot]
    dirs = []
    search = gdb.parameter("solib-search-path") or ""
    for d in search.split(os.pathsep):
        if d and d not in dirs:
            dirs.append(d)
    exe = executable_file()
    for objfile in gdb.objfiles():
        name = objfile.filename
        if objfile.owner is not None:       # separate debug information
            continue
        if not name or name == exe or not os.path.isabs(name):
            continue
        if not os.path.isfile(name):
            continue
        d = os.path.dirname(name)
        if d not in dirs:
            dirs.append(d)
    for d in dirs:
        opts += ["--solib-search", d]
    return opts


def target_options(command):
    """Return the common CLI options for COMMAND on gdb's files.

    Raises gdb.GdbError when gdb has no core open (a live process must be
    dumped with `gcore` first; `mapsleuth check` works on it directly).
    """
    core = core_file()
    if core is None:
        if gdb.selected_inferior().pid > 0:
            raise gdb.GdbError(
                "mapsleuth: %s reads a core file and this is a live process; "
                "use 'mapsleuth check EXPR' here, or dump it with 'gcore FILE' "
                "and open that" % command)
        raise gdb.GdbError("mapsleuth: %s needs a core file: "
                           "gdb -x mapsleuth.py EXE CORE" % command)
    opts = []
    exe = executable_file()
    if exe:
        opts += ["--exe", exe]
    return opts + solib_options(), core


def run_program(script_dir, argv):
    """Run mapsleuth with argument vector ARGV; return (status, stdout, stderr).

    Status 0 and 1 are results (1: suspects or warnings).  For 2 (unusable
    input), 64 (usage) or death by a signal this raises gdb.GdbError with
    the program's own one-line message.
    """
    path = find_program(script_dir)
    try:
        proc = subprocess.run([path] + argv, capture_output=True, text=True,
                              errors="replace", check=False)
    except OSError as e:
        raise gdb.GdbError("mapsleuth: cannot run %s: %s" % (path, e.strerror))
    if proc.returncode in (0, 1):
        return proc.returncode, proc.stdout, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    if proc.returncode < 0:
        msg = "mapsleuth: %s died of signal %d" % (path, -proc.returncode)
        if lines:
            msg += " (%s)" % lines[-1]
        raise gdb.GdbError(terminal_safe(msg))
    if not lines:
        raise gdb.GdbError("mapsleuth: %s exited %d" % (path, proc.returncode))
    errs = [ln for ln in lines if ln.startswith("mapsleuth:")]
    msg = errs[-1] if errs else lines[0]
    if not msg.startswith("mapsleuth:"):
        msg = "mapsleuth: " + msg
    raise gdb.GdbError(terminal_safe(msg))


def _is_control(cp):
    """Whether code point CP can drive a terminal (the rule of lib/escape.c)."""
    return (cp < 0x20 or 0x7f <= cp <= 0x9f or cp == 0x061c or cp in (0x200e, 0x200f)
            or 0x2028 <= cp <= 0x202e or 0x2066 <= cp <= 0x2069)


def terminal_safe(text):
    """Return TEXT with every control made visible, as mapsleuth does.

    Newlines and tabs stay (they are ours); C0, DEL, C1 and bidi controls
    become \\x1b, \\u009b, \\u202e; bytes that were not UTF-8 (decoded as
    surrogate escapes or U+FFFD by the caller) become \\xHH or stay U+FFFD.
    """
    out = []
    for ch in text:
        cp = ord(ch)
        if ch in "\n\t" or not (_is_control(cp) or 0xdc80 <= cp <= 0xdcff):
            out.append(ch)
        elif 0xdc80 <= cp <= 0xdcff:
            out.append("\\x%02x" % (cp - 0xdc00))
        elif cp < 0x80:
            out.append({"\r": "\\r"}.get(ch, "\\x%02x" % cp))
        else:
            out.append("\\u%04x" % cp)
    return "".join(out)


def bytes_back(value):
    """Return VALUE (from a JSON document whose "invalid_utf8_bytes" says
    some strings carry bytes that were not UTF-8, written as U+0080-U+00FF)
    with those characters as the bytes they stand for (surrogate escapes,
    which terminal_safe shows as \\xHH, as the program does)."""
    if isinstance(value, str):
        return "".join(chr(0xdc00 + ord(c)) if 0x80 <= ord(c) <= 0xff else c
                       for c in value)
    if isinstance(value, list):
        return [bytes_back(v) for v in value]
    if isinstance(value, dict):
        return {k: bytes_back(v) for k, v in value.items()}
    return value


def write(text):
    """gdb.write with every control from the core made visible."""
    gdb.write(terminal_safe(text))


def print_warnings(stderr):
    """Print the program's warning lines (exit status 1), wrapped at the
    report's width under their "mapsleuth: warning: " label."""
    width = report_width()
    for line in stderr.splitlines():
        if not line.strip():
            continue
        m = re.match(r"(mapsleuth: (?:warning|note): )(.*)", line)
        write(wrapped(m.group(1), m.group(2), width) if m else wrapped("", line, width))


def error_text(e):
    """Return gdb's message E in mapsleuth style: lower-case start, no full stop."""
    msg = str(e).strip().rstrip(".")
    if msg[:1].isupper() and not msg[1:2].isupper():
        msg = msg[0].lower() + msg[1:]
    return msg


# ---------------------------------------------------------------------------
# mapsleuth scan: render the mapsleuth-scan/1 document


def report_width():
    """Return the columns a report fits: gdb's width (the terminal's in an
    interactive gdb), 80 when gdb has none (batch mode, a pipe), never
    fewer than 40 -- as the program fits its own reports."""
    try:
        w = gdb.parameter("width")
    except (gdb.error, RuntimeError):
        w = None
    if not isinstance(w, int) or w <= 0 or w >= 100000:
        return 80
    return max(40, w)


def base_name(path):
    """Return the last component of PATH."""
    return path.rsplit("/", 1)[-1] if path else path


def short_go_name(name):
    """Return a Go name without its package's import path:
    "example.com/x/geo.Cache" is "geo.Cache"; what follows the variable
    (index, fields) is kept."""
    head = len(re.split(r'[\[({"]', name, 1)[0])
    slash = name.rfind("/", 0, head)
    return name[slash + 1:] if slash >= 0 else name


def shorten_go_names(text):
    """Return TEXT with its Go names shortened as short_go_name does
    ("module image, example.com/x/geo.Marker in ..." reads "module image,
    geo.Marker in ..."); file paths (from '/') stay."""
    out = []
    i = 0
    while i < len(text):
        if text[i] in " (":
            out.append(text[i])
            i += 1
            continue
        head = len(re.split(r'[ \[({"]', text[i:], 1)[0])
        slash = text.rfind("/", i, i + head)
        if text[i] != "/" and slash >= 0 and "." in text[slash:i + head]:
            i = slash + 1
        end = text.find(" ", i)
        end = len(text) if end < 0 else end
        out.append(text[i:end])
        i = end
    return "".join(out)


def fit_text(text, cols):
    """Return TEXT cut to COLS columns: first its trailing parenthesised
    asides ("(ends at 0x...)"), then at the last word that fits, the cut
    marked "..."."""
    text = terminal_safe(text)
    while len(text) > cols and text.endswith(")"):
        open_ = text.rfind("(")
        if open_ <= 0 or text[open_ - 1] != " ":
            break
        text = text[:open_ - 1]
    if len(text) <= cols:
        return text
    keep = cols - 3
    cut = keep
    space = text.rfind(" ", 0, keep)
    # A cut at a space keeps words whole, unless that throws away most of the line.
    if space > keep // 2:
        cut = space
    while cut > 0 and text[cut - 1] in " ,:":
        cut -= 1
    return text[:cut] + "..."


def wrapped(label, text, width, indent=None):
    """Return LABEL and TEXT as lines of at most WIDTH columns, wrapped at
    spaces and indented under the text (by INDENT columns when given)."""
    text = terminal_safe(text)
    indent = len(label) if indent is None else indent
    avail = max(width - len(label), 20)
    out = [label]
    while len(text) > avail:
        space = text.rfind(" ", 1, avail)
        cut = space if space > 0 else avail
        out.append(text[:cut] + "\n" + " " * indent)
        text = text[cut:].lstrip(" ")
        avail = max(width - indent, 20)
    out.append(text + "\n")
    return "".join(out)


def describe_size(n):
    """Return a size for people as the program words it: "312 KiB",
    "1.5 MiB", "24 bytes"."""
    for unit, name in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if n >= unit:
            if n % unit == 0:
                return "%d %s" % (n // unit, name)
            return "%.1f %s" % (n / unit, name)
    return "%d byte%s" % (n, "" if n == 1 else "s")

def header_value(address, type_name):
    """Return a gdb.Value for a map header: typed as the Go map when gdb knows
    TYPE_NAME (so `p *$ms_1` shows the header), else as `void *`."""
    ptr = gdb.Value(int(address, 16))
    if type_name and "?" not in type_name:
        try:
            return ptr.cast(gdb.lookup_type(type_name))
        except gdb.error:
            pass
    return ptr.cast(gdb.lookup_type("void").pointer())


def set_map_variables(maps):
    """Set $ms_<id> for every map and $ms_count; clear older ones."""
    old = gdb.convenience_variable("ms_count")
    try:
        old = int(old) if old is not None else 0
    except gdb.error:
        old = 0
    top = 0
    for m in maps:
        mid = int(m["id"])
        # A map variable the core did not save has no header: $ms_N void.
        gdb.set_convenience_variable("ms_%d" % mid,
                                     header_value(m["header"], m.get("type"))
                                     if m.get("header") else None)
        top = max(top, mid)
    for mid in range(top + 1, old + 1):
        gdb.set_convenience_variable("ms_%d" % mid, None)
    gdb.set_convenience_variable("ms_count", top)


VERDICTS = ("ok", "not-dumped", "corrupt", "foreign", "freed", "dangling")


def no_map_why(doc):
    """Return why a scan found no map, as `mapsleuth scan` says it: the
    missing Go library that holds the runtime, a host with no Go runtime
    at all, or the scan's own first loss; "" when nothing kept it from
    finding maps."""
    mods = doc.get("modules") or []
    exe = next((m for m in mods if m.get("kind") == "exe"), None)
    if not any(m.get("go_runtime") for m in mods):
        gone = ["%s (%s)" % (base_name(m.get("file") or m.get("path") or "?"), m.get("status"))
                for m in mods if m.get("kind") == "shared" and m.get("go")
                and m.get("status") != "found"]
        if gone:
            return "the Go runtime is in %s%s; try --solib-search" % (
                "one of " if len(gone) > 1 else "", ", ".join(gone))
        if not (exe and exe.get("go")):
            return "%s has no Go runtime and the core names no Go library" % (
                base_name(exe.get("file") or exe.get("path")) if exe else "the executable")
    session_lost = doc.get("lost") or []
    own = [lost for lost in (doc.get("summary") or {}).get("lost") or []
           if lost not in session_lost]
    if own:
        return own[0]
    if not any(m.get("go_runtime") for m in mods):
        return "no Go runtime was recognized"
    return ""


def render_scan(doc, width=80):
    """Return the text of a mapsleuth-scan/1 document for the gdb user:
    the report `mapsleuth scan` prints, each line within WIDTH columns."""
    out = render_story(doc, width) + render_header(doc, width)
    maps = doc.get("maps") or []
    summary = doc.get("summary") or {}
    if maps:
        out.append("\n%3s %-10s %-14s  %s\n" % ("#", "verdict", "header",
                                                "map (module), then why"))
    for m in maps:
        out += render_map_brief(doc, m, width)
    nmaps = summary.get("maps", len(maps))
    # With no map at all, the summary below says so and why.
    if not maps and nmaps:
        out.append("\nno suspect among the maps judged; results are partial.\n"
                   if summary.get("partial") else "\nno suspect map.\n")
    out.append("\n")
    counts = summary.get("by_verdict") or {}
    nsus = summary.get("suspects", len(maps))
    if nmaps:
        line = "%d suspect%s in %d maps" % (nsus, "" if nsus == 1 else "s", nmaps)
    elif summary.get("no_map"):
        line = summary["no_map"]
    else:
        why = no_map_why(doc)
        line = "no map found, so none judged: " + why if why else "no map found"
    counted = ", ".join("%d %s" % (counts[v], v) for v in VERDICTS if counts.get(v))
    if counted:
        line += " (%s)" % counted
    writing = sum(1 for m in maps if m.get("writing"))
    if writing:
        line += "; %d being written" % writing
    if summary.get("heap_scanned"):
        line += "; %d heap objects scanned" % summary.get("heap_objects", 0)
    out.append(wrapped("", line + ".", width))
    if nmaps:
        out.append("%d judged, %d not judged.\n" % (summary.get("judged", 0),
                                                     summary.get("not_judged", 0)))
    for note in summary.get("notes") or []:
        out.append(wrapped("note: ", note, width))
    # The session's losses head the report; the scan's own come here.
    session_lost = doc.get("lost") or []
    for lost in summary.get("lost") or []:
        if lost not in session_lost:
            out.append(wrapped("lost: ", lost, width))
    if summary.get("partial"):
        nj = summary.get("not_judged", 0)
        nl = len(summary.get("lost") or [])
        if nmaps:
            out.append("results are partial: %d map%s not judged, %d thing%s not examined\n"
                       % (nj, "" if nj == 1 else "s", nl, "" if nl == 1 else "s"))
        else:
            out.append("results are partial: %d thing%s not examined\n"
                       % (nl, "" if nl == 1 else "s"))
    if maps:
        top = max(int(m["id"]) for m in maps)
        held = "$ms_1 holds the header" if top == 1 else \
            "$ms_1..$ms_%d hold the headers" % top
        out.append(wrapped("", "%s; next: mapsleuth show %d, mapsleuth check $ms_%d"
                           % (held, maps[0]["id"], maps[0]["id"]), width))
    return "".join(out)


def render_story_goroutine(st, touchers):
    """Return the crashed goroutine's lines of the story, as the program
    words them: its status and thread, the map runtime function it died
    in, then its own frames (function and file:line), runtime frames left
    out."""
    if st.get("goroutine") is None or st.get("frames") is None:
        return []
    frames = st["frames"]
    head = "  goroutine %s [%s" % (st["goroutine"], st.get("goroutine_status") or "?")
    if st.get("goroutine_thread"):
        head += ", thread %d" % st["goroutine_thread"]
    first = (touchers[0] if touchers and touchers[0].get("goroutine") == st["goroutine"]
             else None)
    head += "] crashed"
    if first:
        head += "\n  inside %s, from" % first.get("runtime_function")
    out = [terminal_safe(head + ":") + "\n"]
    shown = 0
    for f in frames:
        fn = f.get("function") or "?"
        if fn.startswith("runtime.") or fn.startswith("internal/"):
            continue
        out.append(terminal_safe("    %s (%s:%s)" % (fn, base_name(f.get("file") or "?"),
                                                     f.get("line"))) + "\n")
        shown += 1
    if not shown and frames:
        out.append(terminal_safe("    (only runtime frames: %s)"
                                 % (frames[0].get("function") or "?")) + "\n")
    if st.get("unwind_error"):
        out.append(terminal_safe("    (backtrace stops: %s)" % st["unwind_error"]) + "\n")
    return out


def render_story(doc, width):
    """Return the lines that open a report: the fatal error or panic and
    the goroutines inside the map runtime (crash_story of the JSON)."""
    st = doc.get("crash_story")
    if not st:
        return []
    out = []
    if st.get("kind") and st["kind"] != "signal":
        out.append(wrapped("%s: " % st["kind"],
                           st.get("message") or "(message not recovered)", width))
    elif st.get("kind"):
        out.append("crash: a signal (see below)\n")
    else:
        out.append("no crash; goroutines inside the map runtime:\n")
    names = {m.get("header"): m for m in doc.get("maps") or []}
    touchers = st.get("in_map_runtime") or []
    out += render_story_goroutine(st, touchers)
    if st.get("map"):
        if st.get("map_name"):
            out.append(terminal_safe("  map: %s (map %s, %s, %s)" % (
                st["map_name"], st.get("map_id"), st["map"], st.get("map_type"))) + "\n")
        else:
            out.append("  map: %s\n" % st["map"])
        if st.get("map_writing"):
            out.append("    being written: its writing flag is set\n")
    if touchers:
        out.append("  inside the map runtime:\n")
    for t in touchers:
        out.append(fit_text("    goroutine %s%s %s in %s" % (
            t.get("goroutine"), " (crashed)" if t.get("crashed") else "",
            t.get("op"), t.get("runtime_function")), width) + "\n")
        line = ""
        if t.get("function"):
            line = "from %s (%s:%s)" % (t["function"], base_name(t.get("file") or "?"),
                                        t.get("line"))
        m = names.get(t.get("map"))
        if m and m.get("roots"):
            line += " on %s" % m["roots"][0].get("symbol")
        elif t.get("map"):
            line += " on %s" % t["map"]
        if line:
            out.append("      " + fit_text(shorten_go_names(line.strip()), width - 6) + "\n")
    if out:
        out.append("\n")
    return out


def render_header(doc, width):
    """Return the head of the report: core, executable, Go and process,
    the crash, the modules, and what could not be examined."""
    exe = doc.get("executable") or "?"
    core = doc.get("core") or "?"
    go = doc.get("go_version") or "unknown Go"
    proc = doc.get("process") or {}
    # Base names when the paths do not fit.
    for c, e in ((core, exe), (core, base_name(exe)), (base_name(core), base_name(exe))):
        top = "%s: %s (%s, %s maps)" % (c, e, go, doc.get("map_impl") or "unknown")
        if proc.get("pid"):
            top += ", pid %d" % proc["pid"]
        if len(top) <= width:
            break
    out = [terminal_safe(top) + "\n"]
    cr = doc.get("crash")
    if cr:
        line = "  crash: %s" % (cr.get("signal") or "signal")
        if cr.get("fault_address"):
            line += " at %s" % cr["fault_address"]
        if cr.get("source") == "g.sigcode1":
            line += " (%s raised by the Go runtime)" % (cr.get("core_signal") or "a signal")
        if cr.get("pc"):
            fn = cr.get("function")
            fl = base_name(cr.get("file_line") or "")
            pc = "pc %s%s" % (cr["pc"], " " + fn if fn else "")
            if fl and len(line) + 2 + len(pc) + len(fl) + 3 <= width:
                pc += " (%s)" % fl
            if len(line) + 2 + len(pc) <= width:
                line += ", " + pc
            else:
                line += "\n    " + pc
        out.append(terminal_safe(line) + "\n")
        if cr.get("fault_address") and cr.get("instruction"):
            insn = "    %s: %s" % (cr.get("pc"), cr["instruction"])
            operand = cr.get("operand") or {}
            regs = operand.get("registers") or []
            if regs:
                insn += "   " + " ".join("%s=%s" % (r.get("name"), r.get("value") or "?")
                                         for r in regs)
            if operand.get("address"):
                insn += "  -> %s" % operand["address"]
            out.append(terminal_safe(insn) + "\n")
    else:
        out.append("  crash: gcore dump (no signal)\n")
    items = []
    for mod in doc.get("modules") or []:
        kind, rt = mod.get("kind"), mod.get("go_runtime")
        # Of the shared objects, only Go ones (a c-shared library holding
        # the runtime of a C or Python host) are named.
        if kind == "vdso" or (kind == "shared" and not mod.get("go") and not rt):
            continue
        go = ", Go runtime" if rt and kind != "exe" else ", Go" if kind == "shared" else ""
        items.append("%s (%s%s%s)" % (base_name(mod.get("file") or mod.get("path") or "?"),
                                      kind, go,
                                      "" if mod.get("status") == "found" else ", missing"))
    line = "  modules:"
    for i, item in enumerate(items):
        item = terminal_safe(item)
        if i and len(line) + 2 + len(item) > width:
            out.append(line + ",\n")
            line = " " * len("  modules:") + " " + item
        else:
            line += ("," if i else "") + " " + item
    out.append(line + "\n")
    # What could not be examined comes first, before any verdict.
    for lost in doc.get("lost") or []:
        out.append(wrapped("  lost: ", lost, width))
    for guess in doc.get("guessed") or []:
        out.append(wrapped("  guessed: ", guess, width))
    return out


def render_map_brief(doc, m, width):
    """Return the lines of one suspect, as `mapsleuth scan` prints them:
    the map (declaring variable and module first), its first reason, the
    crash through it, and the code that uses it."""
    crash = doc.get("crash") or {}
    is_crash = crash.get("map_id") is not None and crash.get("map_id") == m.get("id")
    typ = m.get("type") or "map[?]?"
    mark = "  <- CRASH" if is_crash else ""
    avail = width - (3 + 1 + 10 + 1 + 14 + 2)
    roots = m.get("roots") or []
    if roots:
        # The declaring variable and its module, then the aliases: as much
        # as fits, names shortened before anything is left out.
        mod = roots[0].get("module") or "?"
        sym = [r.get("symbol") or "?" for r in roots]
        # An unnamed word of a stripped module is shown shortened,
        # ".bss 0x5cf210": as telling as the whole, and it leaves room for
        # the type.
        if roots[0].get("unnamed"):
            short0 = full0 = sym[0].split(" ", 1)[-1]
        else:
            short0, full0 = short_go_name(sym[0]), sym[0]
        for shorten, alias, with_type in ((False, True, True), (True, True, True),
                                          (False, True, False), (True, True, False),
                                          (True, False, False)):
            name = "%s (%s)" % (short0 if shorten else full0, mod)
            if len(roots) > 1 and alias:
                name += ", also %s%s" % (short_go_name(sym[1]) if shorten else sym[1],
                                         " ..." if len(roots) > 2 else "")
            elif len(roots) > 1:
                name += " (+%d alias%s)" % (len(roots) - 1, "es" if len(roots) > 2 else "")
            if with_type:
                name += "  " + typ
            if len(terminal_safe(name)) + len(mark) <= avail:
                break
    else:
        name = "(found by the %s scan)  %s" % (
            "stack" if "stack-scan" in (m.get("found_by") or []) else "heap", typ)
    out = ["%3s %-10s %-14s  %s%s\n" % (m.get("id"), m.get("verdict", "?"),
                                        m.get("header") or "(not saved)",
                                        fit_text(name, avail - len(mark)), mark)]
    indent = "      "
    reasons = m.get("reasons") or []
    if reasons:
        r = reasons[0]
        line = r.get("detail") or r.get("field") or "?"
        if r.get("verdict") != m.get("verdict"):
            line = "%s: %s" % (r.get("verdict"), line)
        if len(reasons) > 1:
            more = " (+%d more)" % (len(reasons) - 1)
            # Keep the count even when the reason itself is cut.
            line = fit_text(line, width - len(indent) - len(more)) + more
        out.append(indent + fit_text(shorten_go_names(line), width - len(indent)) + "\n")
    if is_crash and crash.get("fault_address"):
        # The bad pointer nearest below the fault: the one it went through.
        fault = int(crash["fault_address"], 16)
        via = None
        for r in reasons:
            p = int(r["pointer"], 16) if r.get("pointer") else 0
            if p and p <= fault and (via is None or p > via[1]):
                via = (r, p)
        if via:
            line = "crash: the fault at %s is %s + 0x%x" % (
                crash["fault_address"], via[0].get("field"), fault - via[1])
        else:
            line = "crash: %s" % (crash.get("why") or "through this map")
        out.append(indent + fit_text(shorten_go_names(line), width - len(indent)) + "\n")
    prov = m.get("provenance") or {}
    xrefs = prov.get("xrefs")
    if xrefs is None:
        return out
    line = None
    if xrefs:
        x = xrefs[0]
        fn = x.get("function")
        if fn and x.get("file"):
            line = "used by %s (%s:%s) in %s" % (short_go_name(fn.rsplit("+0x", 1)[0]),
                                                 base_name(x["file"]), x.get("line"),
                                                 x.get("module"))
        elif fn:
            line = "used by %s in %s" % (short_go_name(fn), x.get("module"))
        else:
            line = "used by code at %s (%s)" % (x.get("address"), x.get("module"))
        if len(xrefs) > 1 or prov.get("xrefs_truncated"):
            line += " and %d%s other place%s" % (len(xrefs) - 1,
                                                 "+" if prov.get("xrefs_truncated") else "",
                                                 "" if len(xrefs) == 2 else "s")
    elif prov.get("holders"):
        h = prov["holders"][0]
        where = "%s%s" % (h.get("module") or "?",
                          " ." + h["section"] if h.get("section") else "")
        line = "held by %s in %s" % (h.get("address"), where)
    elif roots:
        line = "used by: no code in the text swept refers to it"
    if line:
        out.append(indent + fit_text(shorten_go_names(line), width - len(indent)) + "\n")
    return out

# ---------------------------------------------------------------------------
# mapsleuth check: judge one map through gdb's memory

def severity(verdict):
    """Return the rank of VERDICT: ok < not-dumped < corrupt < foreign <
    freed < dangling."""
    order = ("ok", "not-dumped", "corrupt", "foreign", "freed", "dangling")
    return order.index(verdict)


def new_context():
    """Return the state of one check: the inferior, the reasons found, the
    pointer lines to print, and the core's sections (read on demand)."""
    return {
        "inferior": gdb.selected_inferior(),
        "core": core_file(),
        "core_sections": None,
        "reasons": [],
        "lines": [],
        "truncated": False,
    }


def core_sections(ctx):
    """Return the core's load sections as (start, end, has_contents) tuples.

    Parsed from `maint info sections` (gdb 13 has no Python API for it); a
    section without HAS_CONTENTS is a mapping whose bytes the core left out.
    """
    if ctx["core_sections"] is None:
        ctx["core_sections"] = []
        if ctx["core"]:
            try:
                text = gdb.execute("maint info sections", to_string=True)
            except gdb.error:
                text = ""
            in_core = False
            pat = re.compile(r"\s*\[\d+\]\s+0x([0-9a-f]+)->0x([0-9a-f]+)\s+at\s+"
                             r"0x[0-9a-f]+:\s+(\S+)\s*(.*)")
            for line in text.splitlines():
                if line.startswith("Core file:"):
                    in_core = True
                    continue
                if not line.startswith(" ") and not line.startswith("\t"):
                    if in_core and line.strip():
                        in_core = False
                    continue
                m = pat.match(line)
                if in_core and m and m.group(3).startswith("load"):
                    ctx["core_sections"].append(
                        (int(m.group(1), 16), int(m.group(2), 16),
                         "HAS_CONTENTS" in m.group(4)))
    return ctx["core_sections"]


def read(ctx, address, size):
    """Return SIZE bytes at ADDRESS through gdb, or None when unreadable."""
    try:
        return bytes(ctx["inferior"].read_memory(address, size))
    except gdb.MemoryError:
        return None


def module_location(address):
    """Return `info symbol` text when ADDRESS lies in a module's section
    (its image: code or data, never map memory), else None."""
    try:
        text = gdb.execute("info symbol 0x%x" % address, to_string=True).strip()
    except gdb.error:
        return None
    if not text or text.startswith("No symbol matches"):
        return None
    return text


def probe(ctx, address):
    """Classify a pointer by reading through gdb.

    Returns (state, text): state "nil", "ok" (readable heap or other
    memory), "module" (readable, inside a module image), "not-dumped" (inside
    a mapping whose bytes the core left out) or "unmapped" (nothing there).
    """
    if address == 0:
        return "nil", "nil"
    if read(ctx, address, 1) is not None:
        where = module_location(address)
        if where:
            return "module", "points into a module image (%s)" % where
        return "ok", "readable"
    for start, end, contents in core_sections(ctx):
        if start <= address < end and not contents:
            return ("not-dumped", "cannot be read (not in the core: mapping "
                    "0x%x-0x%x was not dumped)" % (start, end))
    return "unmapped", "cannot be read (unmapped)"


def add_reason(ctx, verdict, field, pointer, text):
    """Record a reason for the verdict: VERDICT because FIELD (at POINTER,
    or None for an invariant) TEXT."""
    ctx["reasons"].append({"verdict": verdict, "field": field,
                           "pointer": pointer, "text": text})


def record_probe(ctx, field, address):
    """Probe the pointer FIELD at ADDRESS and record any reason it gives.

    Returns (state, text) as probe() does.
    """
    state, text = probe(ctx, address)
    if state == "unmapped":
        add_reason(ctx, "dangling", field, address, text)
    elif state == "not-dumped":
        add_reason(ctx, "not-dumped", field, address, text)
    elif state == "module":
        add_reason(ctx, "foreign", field, address, text)
    return state, text


def add_line(ctx, field, address, text, note=""):
    """Add the report line of one pointer: field, address, state, NOTE
    (formatted by format_lines, once the bad addresses are described)."""
    ctx["lines"].append({"field": field, "address": address, "text": text,
                         "note": note})


def add_fields(ctx, pairs):
    """Add the line of the header's plain fields: PAIRS of name and value."""
    ctx["lines"].append({"fields": pairs})


def format_lines(lines, width):
    """Return the report lines of a check: the header's fields packed two
    spaces apart, and one line per pointer (field, address, what is there),
    the columns as wide as their longest entry, the text wrapped under its
    column within WIDTH."""
    ptrs = [ln for ln in lines if "field" in ln]
    fw = max([len(ln["field"]) for ln in ptrs] + [8])
    aw = max(["0x%x" % ln["address"] for ln in ptrs] + ["0x0"], key=len)
    aw = len(aw)
    out = []
    for ln in lines:
        if "fields" in ln:
            line = " "
            for name, value in ln["fields"]:
                item = "%s %s" % (name, value)
                if len(line) > 1 and len(line) + 2 + len(item) > width:
                    out.append(line + "\n")
                    line = " "
                line += " " + item if len(line) == 1 else "  " + item
            out.append(line + "\n")
            continue
        prefix = "  %-*s  %-*s  " % (fw, ln["field"], aw, "0x%x" % ln["address"])
        text = ln["text"] + ("; " + ln["note"] if ln["note"] else "")
        out.append(wrapped(prefix, text, width,
                           len(prefix) if len(prefix) <= width // 2 else 6))
    return out


def check_pointer(ctx, field, address, note=""):
    """Probe the pointer FIELD, add its line and any reason; return its state."""
    state, text = record_probe(ctx, field, address)
    add_line(ctx, field, address, text, note)
    return state


def plural(n, word, words=None):
    """Return "N word", or "N words" (WORDS when given) unless N is 1."""
    return "%d %s" % (n, word if n == 1 else words or word + "s")


def field_int(value, name):
    """Return the integer field NAME of the struct VALUE.

    Raises gdb.GdbError naming the type when the DWARF has no such field.
    """
    try:
        return int(value[name])
    except gdb.error as e:
        if "no member" in str(e).lower() or "there is no" in str(e).lower():
            raise gdb.GdbError("mapsleuth: %s has no field '%s' (not a Go map "
                               "layout this companion knows)" % (value.type, name))
        raise


def field_type(struct_type, name):
    """Return the type of the field NAME of STRUCT_TYPE, or None."""
    for f in struct_type.strip_typedefs().fields():
        if f.name == name:
            return f.type
    return None


def count_full_ctrl(ctrl):
    """Return the number of full slots in a swiss group's 8 control bytes
    (a slot is full when the high bit of its byte is clear)."""
    return sum(1 for b in ctrl if not b & 0x80)


def read_array(ctx, base, count, size, bulk_limit=16 << 20):
    """Yield (index, bytes or None) for COUNT elements of SIZE bytes at BASE.

    Reads the whole array at once when it is at most BULK_LIMIT bytes and
    fully readable, else element by element (so one unreadable element does
    not hide the rest).
    """
    whole = None
    if count * size <= bulk_limit:
        whole = read(ctx, base, count * size)
    for i in range(count):
        if whole is not None:
            yield i, whole[i * size:(i + 1) * size]
        else:
            yield i, read(ctx, base + i * size, size)


def check_classic(ctx, hdr, max_buckets=65536):
    """Judge a classic map header HDR (a gdb.Value of struct hash<K,V>).

    Checks B, flags, nevacuate, each pointer (buckets, oldbuckets, extra and
    its overflow lists, each overflow bucket) and count against the live
    tophash slots, reading at most MAX_BUCKETS buckets.  Returns the facts
    for the verdict line.
    """
    count = field_int(hdr, "count")
    flags = field_int(hdr, "flags")
    b = field_int(hdr, "B")
    noverflow = field_int(hdr, "noverflow")
    nevacuate = field_int(hdr, "nevacuate")
    buckets = field_int(hdr, "buckets")
    oldbuckets = field_int(hdr, "oldbuckets")
    extra = field_int(hdr, "extra")
    add_fields(ctx, [("count", count), ("flags", "0x%x" % flags), ("B", b),
                     ("noverflow", noverflow), ("hash0", "0x%x" % field_int(hdr, "hash0")),
                     ("nevacuate", nevacuate)])
    facts = "count=%d, B=%d" % (count, b)
    if count < 0:
        add_reason(ctx, "corrupt", "count", None, "count %d is negative" % count)
    if flags & ~0xf:
        add_reason(ctx, "corrupt", "flags", None,
                   "flags 0x%x has bits the runtime never sets" % flags)
    if flags & 4:
        facts += ", a goroutine was writing (hashWriting)"
    # 2^44 buckets of at least 16 bytes exceed the 47-bit user address space.
    if b > 43:
        add_reason(ctx, "corrupt", "B", None, "B %d is not a possible bucket shift" % b)
        b = None
    growing = oldbuckets != 0
    old_n = None
    if b is not None and growing:
        old_n = 1 << b if flags & 8 else (1 << b) >> 1
        if old_n and nevacuate > old_n:
            add_reason(ctx, "corrupt", "nevacuate", None,
                       "nevacuate %d is past the %d old buckets" % (nevacuate, old_n))
    # *bucket<K,V> in the DWARF of a map[K]V; unsafe.Pointer in the
    # runtime's own hmap (an untyped header): no bucket size then.
    bucket_type = field_type(hdr.type, "buckets").target()
    bsize = 0 if bucket_type.code == gdb.TYPE_CODE_VOID else \
        bucket_type.strip_typedefs().sizeof
    note = ""
    if b is not None and buckets:
        note = plural(1 << b, "bucket") + (" of %d bytes" % bsize if bsize else "")
    state = check_pointer(ctx, "buckets", buckets, note)
    if buckets == 0 and count > 0:
        add_reason(ctx, "corrupt", "buckets", None,
                   "buckets is nil but count is %d" % count)
    old_state = "nil"
    if growing:
        old_state = check_pointer(ctx, "oldbuckets", oldbuckets,
                                  "growing: %s" % plural(old_n, "old bucket") if old_n else "")
    if extra and check_pointer(ctx, "extra", extra) == "ok":
        ext = gdb.Value(extra).cast(field_type(hdr.type, "extra")).dereference()
        for name in ("overflow", "oldoverflow", "nextOverflow"):
            try:
                p = int(ext[name])
            except gdb.error:
                continue
            # nextOverflow points at a pre-allocated overflow bucket behind
            # the 2^B main ones, inside the bucket array judged above.
            if name == "nextOverflow" and b is not None and bsize and \
                    buckets <= p < buckets + 2 * (1 << b) * bsize:
                add_line(ctx, "extra." + name, p, "inside the bucket array")
            elif p:
                check_pointer(ctx, "extra." + name, p)
    if b is None or bsize < 16:
        return facts
    budget = [max_buckets]
    live = 0
    complete = True
    arrays = []
    if state == "ok":
        arrays.append(("bucket", buckets, 1 << b))
    elif buckets:
        complete = False
    if growing:
        if old_state == "ok" and old_n:
            arrays.append(("oldbucket", oldbuckets, old_n))
        else:
            complete = False
    for label, base, n in arrays:
        n_live, ok = count_classic_live(ctx, label, base, n, bsize, budget)
        live += n_live
        complete = complete and ok
    if complete and buckets:
        facts += ", " + plural(live, "live slot")
        if live != count:
            add_reason(ctx, "corrupt", "count", None,
                       "count %d but %d live slots in the buckets" % (count, live))
    return facts


def count_classic_live(ctx, label, base, n, bsize, budget):
    """Count live slots (tophash >= 5, minTopHash) in N buckets at BASE and
    their overflow chains.  BUDGET is a one-element list of buckets still
    allowed to be read.  Returns (live, complete)."""
    live = 0
    complete = True
    if n > budget[0]:
        ctx["truncated"] = True
        return 0, False
    budget[0] -= n
    for i, data in read_array(ctx, base, n, bsize):
        if data is None:
            # The array starts readable but is cut short: say so once.
            add_reason(ctx, "dangling", "%s[%d]" % (label, i), base + i * bsize,
                       "cannot be read (the array ends early)")
            return live, False
        live += sum(1 for t in data[:8] if t >= 5)
        # The chain's own first bucket counts: bucket 0 -> 1 -> 0 loops.
        seen = {base + i * bsize}
        hop = 0
        ovf = int.from_bytes(data[bsize - 8:bsize], "little")
        while ovf:
            hop += 1
            field = "%s[%d].overflow#%d" % (label, i, hop)
            if ovf in seen:
                add_reason(ctx, "corrupt", "%s[%d].overflow" % (label, i), ovf,
                           "overflow chain of %s %d loops after %d bucket%s"
                           % (label, i, len(seen), "" if len(seen) == 1 else "s"))
                complete = False
                break
            seen.add(ovf)
            if budget[0] <= 0:
                ctx["truncated"] = True
                return live, False
            budget[0] -= 1
            odata = read(ctx, ovf, bsize)
            if odata is None:
                check_pointer(ctx, field, ovf)
                complete = False
                break
            live += sum(1 for t in odata[:8] if t >= 5)
            ovf = int.from_bytes(odata[bsize - 8:bsize], "little")
    return live, complete


def check_swiss(ctx, hdr, max_groups=65536, max_dir=65536):
    """Judge a swiss map header HDR (a gdb.Value of struct map<K,V>).

    Checks dirLen against globalDepth and globalShift, each pointer (dirPtr,
    every table, every table's groups.data), each table's capacity against
    lengthMask and used against its full control bytes, and the sum of the
    tables' used against the map's.  Reads at most MAX_GROUPS groups and
    MAX_DIR directory entries.  Returns the facts for the verdict line.
    """
    used = field_int(hdr, "used")
    dir_ptr = field_int(hdr, "dirPtr")
    dir_len = field_int(hdr, "dirLen")
    depth = field_int(hdr, "globalDepth")
    shift = field_int(hdr, "globalShift")
    add_fields(ctx, [("used", used), ("seed", "0x%x" % field_int(hdr, "seed")),
                     ("dirLen", dir_len), ("globalDepth", depth), ("globalShift", shift),
                     ("writing", field_int(hdr, "writing"))])
    facts = "used=%d, dirLen=%d" % (used, dir_len)
    table_ptr_type = field_type(hdr.type, "dirPtr").target()   # *table<K,V>
    if table_ptr_type.code != gdb.TYPE_CODE_PTR:
        # The untyped runtime prototype (dirPtr is unsafe.Pointer).
        table_ptr_type = gdb.lookup_type("internal/runtime/maps.table").pointer()
    table_type = table_ptr_type.target()
    group_type = field_type(field_type(table_type, "groups"), "data").target()
    gsize = None if group_type.code == gdb.TYPE_CODE_VOID else \
        group_type.strip_typedefs().sizeof
    if dir_len < 0:
        add_reason(ctx, "corrupt", "dirLen", None, "dirLen %d is negative" % dir_len)
        return facts
    if dir_len == 0:
        if dir_ptr == 0:
            facts += " (empty map)"
            if used:
                add_reason(ctx, "corrupt", "used", None,
                           "used %d but the map has no storage" % used)
            return facts
        facts += " (small map)"
        state = check_pointer(ctx, "dirPtr", dir_ptr,
                              "one group of %d bytes" % gsize if gsize else "one group")
        if used > 8:
            add_reason(ctx, "corrupt", "used", None,
                       "used %d is more than a small map's 8 slots" % used)
        ctrl = read(ctx, dir_ptr, 8) if state == "ok" else None
        if ctrl is not None:
            full = count_full_ctrl(ctrl)
            facts += ", " + plural(full, "full slot")
            if full != used:
                add_reason(ctx, "corrupt", "used", None,
                           "used %d but %d full slots in the group" % (used, full))
        return facts
    if depth > 63 or dir_len != 1 << depth:
        add_reason(ctx, "corrupt", "dirLen", None,
                   "dirLen %d is not 1 << globalDepth %d" % (dir_len, depth))
    if shift != 64 - depth:
        add_reason(ctx, "corrupt", "globalShift", None,
                   "globalShift %d != 64 - globalDepth %d" % (shift, depth))
    state = check_pointer(ctx, "dirPtr", dir_ptr,
                          "directory of " + plural(dir_len, "entry", "entries"))
    if state != "ok":
        return facts
    n = dir_len
    if n > max_dir:
        ctx["truncated"] = True
        n = max_dir
    raw = read(ctx, dir_ptr, 8 * n)
    if raw is None:
        add_reason(ctx, "dangling", "dirPtr", dir_ptr,
                   "the directory of %d entries cannot be read whole" % n)
        return facts
    entries = [int.from_bytes(raw[8 * i:8 * i + 8], "little") for i in range(n)]
    budget = [max_groups]
    total = 0
    complete = n == dir_len
    tables = 0
    first_slot = {}
    for i, tp in enumerate(entries):
        if tp == 0:
            add_reason(ctx, "corrupt", "directory[%d]" % i, None, "is nil")
            complete = False
            continue
        if tp in first_slot:
            continue
        first_slot[tp] = i
        t_used, ok = check_table(ctx, tables, i, tp, table_ptr_type, depth,
                                 entries, gsize, budget)
        tables += 1
        total += t_used
        complete = complete and ok
    facts += ", " + plural(tables, "table")
    if complete:
        facts += ", " + plural(total, "full slot")
        if total != used:
            add_reason(ctx, "corrupt", "used", None,
                       "used %d but the tables hold %d" % (used, total))
    return facts


def check_table(ctx, t, slot, address, table_ptr_type, depth, entries, gsize, budget):
    """Judge swiss table number T (first at directory SLOT, at ADDRESS).

    Checks index, localDepth and the directory entries that share it,
    capacity against lengthMask, groups.data, and used against the full
    control bytes of its groups.  Returns (used, complete).
    """
    name = "table[%d]" % t
    state, text = record_probe(ctx, name, address)
    tab = gdb.Value(address).cast(table_ptr_type).dereference()
    if state == "ok":
        try:
            tab.fetch_lazy()
        except gdb.MemoryError:
            add_reason(ctx, "dangling", name, address, "the table cannot be read whole")
            state = "short"
    if state != "ok":
        add_line(ctx, name, address, text)
        return 0, False
    used = field_int(tab, "used")
    capacity = field_int(tab, "capacity")
    local_depth = field_int(tab, "localDepth")
    index = field_int(tab, "index")
    groups = tab["groups"]
    data = field_int(groups, "data")
    mask = field_int(groups, "lengthMask")
    add_line(ctx, name, address, text,
             "used %d, capacity %d, growthLeft %d, localDepth %d, index %d, "
             "lengthMask %d" % (used, capacity, field_int(tab, "growthLeft"),
                                local_depth, index, mask))
    if index != slot:
        add_reason(ctx, "corrupt", name + ".index", None,
                   "index %d but the table is first at directory slot %d" % (index, slot))
    if local_depth > depth:
        add_reason(ctx, "corrupt", name + ".localDepth", None,
                   "localDepth %d > globalDepth %d" % (local_depth, depth))
    else:
        span = 1 << (depth - local_depth)
        shared = entries[slot:slot + span]
        if len(shared) == span and any(e != address for e in shared):
            add_reason(ctx, "corrupt", name + ".localDepth", None,
                       "localDepth %d but directory slots %d-%d do not all hold it"
                       % (local_depth, slot, slot + span - 1))
    if capacity != 8 * (mask + 1):
        add_reason(ctx, "corrupt", name + ".capacity", None,
                   "capacity %d != 8 * (lengthMask %d + 1)" % (capacity, mask))
    ngroups = mask + 1
    gstate = check_pointer(ctx, name + ".groups", data,
                           "%s of %d bytes" % (plural(ngroups, "group"), gsize)
                           if gsize else plural(ngroups, "group"))
    if gstate != "ok" or not gsize:
        return 0, False
    if ngroups > budget[0]:
        ctx["truncated"] = True
        return 0, False
    budget[0] -= ngroups
    full = 0
    for g, gdata in read_array(ctx, data, ngroups, gsize):
        if gdata is None:
            add_reason(ctx, "dangling", "%s.groups[%d]" % (name, g),
                       data + g * gsize, "cannot be read (the array ends early)")
            return 0, False
        full += count_full_ctrl(gdata[:8])
    if full != used:
        add_reason(ctx, "corrupt", name + ".used", None,
                   "used %d but %d full slots in its groups" % (used, full))
    return used, True


def symbol_value(name):
    """Return the value of the variable NAME (a local or argument of the
    selected frame, a global or a static), or None when there is none."""
    try:
        sym, _ = gdb.lookup_symbol(name)
    except gdb.error:            # no frame (an executable without a process)
        sym = None
    if sym is not None and (sym.is_variable or sym.is_argument):
        frame = gdb.selected_frame() if sym.needs_frame else None
        return sym.value(frame) if frame is not None else sym.value()
    for lookup in (gdb.lookup_global_symbol, gdb.lookup_static_symbol):
        try:
            sym = lookup(name)
        except gdb.error:
            sym = None
        if sym is not None and sym.is_variable:
            return sym.value()
    return None


def resolve_path(path):
    """Return the value of a Go name PATH with optional field selectors.

    main.gHolder.M is the field M of the variable main.gHolder; package paths
    may hold dots and slashes (example.com/geo.Cache), so the longest prefix
    that names a variable wins.  Returns None when no prefix does.
    """
    parts = path.split(".")
    for n in range(len(parts), 0, -1):
        value = symbol_value(".".join(parts[:n]))
        if value is None:
            continue
        for field in parts[n:]:
            if value.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
                value = value.dereference()
            value = value[field]
        return value
    return None


def resolve(expr):
    """Evaluate EXPR, a map expression, in gdb's current context.

    A plain Go name (main.gVictim, 'example.com/geo.Cache', main.gHolder.M, a
    local) is looked up as a symbol and never handed to gdb's Go expression
    parser: gdb 13 crashes (SIGSEGV) on `main.nosuch` once the package's
    compilation unit has been read, and cannot parse a path with '/'.  Any
    other expression goes to gdb.parse_and_eval.
    """
    name = expr.strip()
    if len(name) > 1 and name[0] == name[-1] and name[0] in "'\"":
        name = name[1:-1]
    if re.fullmatch(r"[A-Za-z_][\w/~-]*(\.[\w/~-]+)*", name):
        try:
            value = resolve_path(name)
        except gdb.error as e:
            raise gdb.GdbError("mapsleuth: cannot evaluate '%s': %s"
                               % (expr, error_text(e)))
        if value is None:
            raise gdb.GdbError("mapsleuth: cannot evaluate '%s': no variable "
                               "'%s' here" % (expr, name))
        return value
    unknown = unknown_names(expr)
    if unknown:
        raise gdb.GdbError("mapsleuth: cannot evaluate '%s': no symbol '%s' here"
                           % (expr, unknown[0]))
    try:
        return gdb.parse_and_eval(expr)
    except gdb.MemoryError:
        raise
    except gdb.error as e:
        raise gdb.GdbError("mapsleuth: cannot evaluate '%s': %s"
                           % (expr, error_text(e)))


def known_symbol(name):
    """Return True when NAME is a symbol of any kind (variable, function,
    type) in the current context."""
    try:
        if gdb.lookup_symbol(name)[0] is not None:
            return True
    except gdb.error:
        pass
    for lookup in (gdb.lookup_global_symbol, gdb.lookup_static_symbol):
        try:
            if lookup(name) is not None:
                return True
        except gdb.error:
            pass
    return False


def unknown_names(expr):
    """Return the dotted names in EXPR that no symbol explains.

    Guards gdb 13's Go parser, which dies of SIGSEGV on a package-qualified
    name that does not exist (main.nosuch) once the package is known.  A
    name a.b.c passes when a is a symbol (a local: the rest are fields) or
    when some prefix a.b... is one.  Quoted parts, $convenience variables
    and fields after '.' or '->' are left alone.
    """
    bare = re.sub(r"'[^']*'|\"[^\"]*\"", " ", expr)
    out = []
    for m in re.finditer(r"(?<![\w$.>/~-])([A-Za-z_][\w/~-]*(?:\.[\w/~-]+)+)", bare):
        parts = m.group(1).split(".")
        if not any(known_symbol(".".join(parts[:n])) for n in range(len(parts), 0, -1)):
            out.append(m.group(1))
    return out


def runtime_header_type():
    """Return the runtime's own map header type (runtime.hmap for classic
    maps, internal/runtime/maps.Map for swiss ones), or None.

    Used for an untyped header address ($ms_N of a map the heap scan found,
    or a number): its pointers and invariants can be judged, but without the
    key and value types the buckets or groups cannot be counted.
    """
    for name in ("runtime.hmap", "internal/runtime/maps.Map"):
        try:
            return gdb.lookup_type(name)
        except gdb.error:
            continue
    return None


def map_header(value):
    """Return (kind, header pointer value, typed) for a Go map VALUE.

    gdb shows a Go map as a pointer to struct hash<K,V> (classic: it has
    `buckets`) or map<K,V> (swiss: it has `dirPtr`).  A header struct
    itself (as from `*m`) is taken by its address.
    """
    t = value.type.strip_typedefs()
    # An address without a map type: a number or convenience variable, a
    # uintptr, an unsafe.Pointer or void *.  An int variable is not one.
    untyped = (t.code == gdb.TYPE_CODE_INT and
               (value.address is None or str(value.type) == "uintptr")) or (
        t.code == gdb.TYPE_CODE_PTR and t.target().code == gdb.TYPE_CODE_VOID)
    if untyped:
        generic = runtime_header_type()
        if generic is None:
            raise gdb.GdbError("mapsleuth: not a Go map: %s is an untyped address "
                               "and the program has no runtime map type "
                               "(runtime.hmap, internal/runtime/maps.Map)"
                               % value.format_string())
        value = value.cast(generic.pointer())
        t = value.type.strip_typedefs()
    if t.code == gdb.TYPE_CODE_STRUCT and value.address is not None:
        value = value.address
        t = value.type.strip_typedefs()
    if t.code == gdb.TYPE_CODE_PTR:
        target = t.target().strip_typedefs()
        if target.code == gdb.TYPE_CODE_STRUCT:
            names = {f.name for f in target.fields()}
            if "buckets" in names and "B" in names:
                return "classic", value, not untyped
            if "dirPtr" in names and "dirLen" in names:
                return "swiss", value, not untyped
    if t.code == gdb.TYPE_CODE_VOID:
        raise gdb.GdbError("mapsleuth: not a Go map: the value is void "
                           "(an unset convenience variable?)")
    raise gdb.GdbError("mapsleuth: not a Go map: %s has type %s"
                       % (value.format_string() if t.code == gdb.TYPE_CODE_PTR
                          else "the value", value.type))


def program_descriptions(script_dir, addresses):
    """Return {address: description} from `mapsleuth info --address`: the
    words scan and show use for an address (symbol and offset, section and
    module, heap object, the nearest mapping), from lib/describe.c.

    On a core the program reads gdb's files.  A live process (local or
    remote) is first dumped with gdb's own `gcore` into a temporary
    directory -- gdb holds it stopped, so the dump is what gdb reads -- and
    the program reads that.  Empty without a program or when the dump fails:
    gdb's own words stay then."""
    if not addresses or script_dir is None:
        return {}
    try:
        find_program(script_dir)
    except gdb.GdbError:
        return {}
    tmp = None
    try:
        if core_file() is not None:
            opts, core = target_options("check")
        elif gdb.selected_inferior().pid > 0:
            tmp = tempfile.mkdtemp(prefix="mapsleuth-")
            core = os.path.join(tmp, "core")
            gdb.execute("gcore %s" % core, to_string=True)
            opts = ["--exe", executable_file()] if executable_file() else []
            opts += solib_options()
        else:
            return {}
        argv = ["info"] + opts
        for a in sorted(set(addresses)):
            argv += ["--address", "0x%x" % a]
        _status, out, _err = run_program(script_dir, argv + [core])
    except (gdb.GdbError, gdb.error, OSError):
        return {}
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    found = {}
    for line in out.splitlines():
        head, sep, rest = line.partition(": ")
        cls, sep2, desc = rest.partition(": ")
        if sep and sep2 and head.startswith("0x"):
            found[int(head, 16)] = desc
    return found


# How check words a reason whose address the program described.
DESCRIBED = {
    "dangling": "cannot be read (unmapped: %s)",
    "foreign": "points into a module image (%s)",
    "not-dumped": "cannot be read (not in the core: %s)",
}


def nearest_known(address):
    """Return "; the nearest known map is $ms_N at 0x... (D bytes below)"
    from the maps the last `mapsleuth scan` set, or "" without one."""
    try:
        count = int(gdb.convenience_variable("ms_count") or 0)
    except gdb.error:
        count = 0
    best = None
    for mid in range(1, count + 1):
        v = gdb.convenience_variable("ms_%d" % mid)
        if v is None:
            continue
        try:
            h = int(v)
        except gdb.error:
            continue
        if h and (best is None or abs(h - address) < abs(best[1] - address)):
            best = (mid, h)
    if best is None:
        return " (run `mapsleuth scan` to have the nearest known map named)"
    d = abs(best[1] - address)
    return "; the nearest known map is $ms_%d at 0x%x (%s %s)" % (
        best[0], best[1], describe_size(d), "above" if best[1] > address else "below")


def judge(expr, script_dir=None):
    """Return the report for `mapsleuth check EXPR` as (text, verdict)."""
    value = resolve(expr)
    kind, ptr, typed = map_header(value)
    try:
        address = int(ptr)
    except gdb.MemoryError as e:
        raise gdb.GdbError("mapsleuth: cannot read '%s': %s" % (expr, error_text(e)))
    width = report_width()
    head = "%s: %s at 0x%x (%s%s)" % (
        expr, value.type if typed else "map[?]?", address, kind,
        "" if typed else "; key and value types unknown, entries not counted")
    if address == 0:
        return wrapped("", head, width, 4) + "ok: nil map (no header, nothing to check)\n", "ok"
    # A number or an odd address is not judged: `check 42` or a header
    # address off by one would get a bogus verdict.
    if address % 8:
        raise gdb.GdbError("mapsleuth: 0x%x: not a map header (not 8-byte aligned)%s"
                           % (address, nearest_known(address)))
    ctx = new_context()
    hdr = ptr.dereference()
    try:
        hdr.fetch_lazy()
    except gdb.MemoryError:
        if not typed:
            raise gdb.GdbError("mapsleuth: 0x%x: not a map header (cannot be read)%s"
                               % (address, nearest_known(address)))
        state, text = probe(ctx, address)
        verdict = "not-dumped" if state == "not-dumped" else "dangling"
        desc = program_descriptions(script_dir, [address])
        if address in desc:
            text = DESCRIBED[verdict] % desc[address]
        return (wrapped("", head, width, 4) +
                wrapped("%s: " % verdict, "header 0x%x %s" % (address, text), width)), verdict
    # A bare address must look like a header before it gets a verdict, as
    # `mapsleuth show ADDRESS` and the scan's candidates: the runtime gives
    # every map a random seed (hash0), so zeros are not an empty map.
    if not typed:
        seed_field = "hash0" if kind == "classic" else "seed"
        if field_int(hdr, seed_field) == 0:
            size = hdr.type.strip_typedefs().sizeof
            zero = not any(bytes(gdb.selected_inferior().read_memory(address, size)))
            why = ("all zero, memory never written or cleared: the runtime gives "
                   "every map a random %s" % seed_field if zero else
                   "its %s is zero: the runtime gives every map a random %s"
                   % (seed_field, seed_field))
            raise gdb.GdbError("mapsleuth: 0x%x: not a map header (%s)%s"
                               % (address, why, nearest_known(address)))
    if kind == "classic":
        facts = check_classic(ctx, hdr)
    else:
        facts = check_swiss(ctx, hdr)
    if ctx["truncated"]:
        facts += ", walk cut short (bounds reached)"
    reasons = sorted(ctx["reasons"], key=lambda r: -severity(r["verdict"]))
    # The bad addresses in the words of scan and show (lib/describe.c
    # through the program), on a core and on a live process alike; the
    # pointer lines and the verdict say the same.
    desc = program_descriptions(script_dir, [r["pointer"] for r in reasons
                                             if r["pointer"] is not None
                                             and r["verdict"] in DESCRIBED])
    described = {}
    for r in reasons:
        if r["pointer"] in desc and r["verdict"] in DESCRIBED:
            r["text"] = DESCRIBED[r["verdict"]] % desc[r["pointer"]]
            described.setdefault(r["pointer"], r["text"])
    for ln in ctx["lines"]:
        if "field" in ln and ln["address"] in described and ln["text"] != "readable":
            ln["text"] = described[ln["address"]]
    out = [wrapped("", head, width, 4)] + format_lines(ctx["lines"], width)
    for r in reasons[1:]:
        out.append(wrapped("  also %s: " % r["verdict"], reason_phrase(r), width, 6))
    if not reasons:
        out.append(wrapped("ok: ", facts, width))
        return "".join(out), "ok"
    worst = reasons[0]
    more = "" if len(reasons) == 1 else " (+%d more)" % (len(reasons) - 1)
    out.append(wrapped("%s: " % worst["verdict"],
                       "%s%s; %s" % (reason_phrase(worst), more, facts), width))
    return "".join(out), worst["verdict"]


def reason_phrase(r):
    """Return a reason of check as "field 0x... text" or "field: text"."""
    if r["pointer"] is not None:
        return "%s 0x%x %s" % (r["field"], r["pointer"], r["text"])
    return "%s: %s" % (r["field"], r["text"])


# ---------------------------------------------------------------------------
# Commands


class MapsleuthCommand(gdb.Command):
    """Find Go maps whose bucket or group pointers lead outside live memory.

mapsleuth scan [--all]    list the suspect maps of the core, set $ms_1, $ms_2...
mapsleuth show N|ADDR     one map in full (N from scan, or a header address)
mapsleuth info            the process, crash, modules and mappings of the core
mapsleuth check EXPR      judge one map expression here, reading through gdb
                          (works on a live process too)

scan, show and info run the mapsleuth program (set mapsleuth-program,
$MAPSLEUTH, PATH, or the build tree next to this script) on the executable
and core gdb has open, with gdb's sysroot and solib-search-path."""

    def __init__(self):
        super().__init__("mapsleuth", gdb.COMMAND_DATA, gdb.COMPLETE_NONE, True)

    def invoke(self, argument, from_tty):
        """Without a subcommand, list them; an unknown one is gdb's usual error."""
        words = argument.split()
        if words:
            raise gdb.GdbError('Undefined mapsleuth command: "%s".  '
                               'Try "help mapsleuth".' % words[0])
        gdb.execute("help mapsleuth", from_tty)


class _SubCommand(gdb.Command):
    """Base of the mapsleuth subcommands: turns every failure into one line."""

    def __init__(self, name, script_dir, complete=gdb.COMPLETE_NONE):
        super().__init__("mapsleuth " + name, gdb.COMMAND_DATA, complete)
        self.script_dir = script_dir

    def invoke(self, argument, from_tty):
        """Run the subcommand; report errors as `mapsleuth: <message>`."""
        try:
            self.run(argument, from_tty)
        except gdb.GdbError:
            raise
        except gdb.MemoryError as e:
            raise gdb.GdbError("mapsleuth: %s" % error_text(e))
        except gdb.error as e:
            raise gdb.GdbError("mapsleuth: %s" % error_text(e))
        except KeyboardInterrupt:
            raise gdb.GdbError("mapsleuth: interrupted")
        except Exception as e:  # never a Python traceback in front of the user
            raise gdb.GdbError("mapsleuth: internal error: %s: %s"
                               % (type(e).__name__, e))

    def run(self, argument, from_tty):
        """Do the work of the subcommand (overridden)."""
        raise NotImplementedError


class MapsleuthScanCommand(_SubCommand):
    """List the suspect maps of the core gdb has open.

Usage: mapsleuth scan [--all] [--no-heap-scan] [--max-buckets N]

Runs `mapsleuth scan --json` on gdb's executable and core (with gdb's
sysroot and solib-search-path), prints the report `mapsleuth scan` prints
(suspects worst first: id, verdict, header, the declaring variable and
its module, type; the first reason and the code using it; a summary),
within gdb's width (80 columns without one), and sets the
convenience variables $ms_1, $ms_2, ... to the map headers (typed as the
Go map when gdb knows the type, so `p *$ms_1` shows the header) and
$ms_count to their number.  --all lists the maps judged ok as well."""

    def __init__(self, script_dir):
        super().__init__("scan", script_dir)

    def run(self, argument, from_tty):
        """Run the scan and print its table."""
        args = gdb.string_to_argv(argument)
        extra = []
        i = 0
        while i < len(args):
            a = args[i]
            if a in ("--all", "--no-heap-scan"):
                extra.append(a)
            elif a == "--max-buckets" and i + 1 < len(args):
                extra += [a, args[i + 1]]
                i += 1
            else:
                raise gdb.GdbError("mapsleuth: scan: unknown argument '%s' "
                                   "(usage: mapsleuth scan [--all] [--no-heap-scan] "
                                   "[--max-buckets N])" % a)
            i += 1
        opts, core = target_options("scan")
        _status, out, err = run_program(self.script_dir,
                                        ["scan", "--json"] + opts + extra + [core])
        try:
            doc = json.loads(out)
        except ValueError as e:
            raise gdb.GdbError("mapsleuth: scan printed no JSON document (%s)" % e)
        if doc.get("schema", "").split("/")[0] != "mapsleuth-scan":
            raise gdb.GdbError("mapsleuth: scan printed schema '%s', not "
                               "mapsleuth-scan/1" % doc.get("schema"))
        print_warnings(err)
        set_map_variables(doc.get("maps") or [])
        if doc.get("invalid_utf8_bytes"):
            doc = bytes_back(doc)
        write(render_scan(doc, report_width()))


class MapsleuthShowCommand(_SubCommand):
    """Show one map of the core in full.

Usage: mapsleuth show N|ADDR [--limit N] [--json]

N is the number `mapsleuth scan` printed; ADDR is a header address or any
expression that evaluates to one ($ms_2, 0xc000412300).  Prints what
`mapsleuth show` prints: the header fields with their offsets, each pointer
with its class, the roots and aliases, entries (at most --limit) and a hex
dump of the header."""

    def __init__(self, script_dir):
        super().__init__("show", script_dir, gdb.COMPLETE_EXPRESSION)

    def run(self, argument, from_tty):
        """Run `mapsleuth show` and print its text."""
        args = gdb.string_to_argv(argument)
        which = None
        extra = []
        i = 0
        while i < len(args):
            a = args[i]
            if a == "--limit" and i + 1 < len(args):
                extra += [a, args[i + 1]]
                i += 1
            elif a == "--json":
                extra.append(a)
            elif which is None:
                which = a
            else:
                raise gdb.GdbError("mapsleuth: show: unexpected argument '%s'" % a)
            i += 1
        if which is None:
            raise gdb.GdbError("mapsleuth: show needs a map: mapsleuth show N|ADDR")
        if not re.fullmatch(r"[0-9]+|0[xX][0-9a-fA-F]+", which):
            value = gdb.parse_and_eval(which)
            if value.type.strip_typedefs().code == gdb.TYPE_CODE_STRUCT:
                value = value.address
            which = "0x%x" % int(value)
        opts, core = target_options("show")
        _status, out, err = run_program(self.script_dir,
                                        ["show"] + opts + extra + [core, which])
        print_warnings(err)
        write(out)


class MapsleuthInfoCommand(_SubCommand):
    """Show what the core says about the process.

Usage: mapsleuth info [--json]

Prints what `mapsleuth info` prints for gdb's executable and core: the Go
version and map implementation, process, threads, crash, modules with their
build ids, and every mapping with what lives in it."""

    def __init__(self, script_dir):
        super().__init__("info", script_dir)

    def run(self, argument, from_tty):
        """Run `mapsleuth info` and print its text."""
        args = gdb.string_to_argv(argument)
        for a in args:
            if a != "--json":
                raise gdb.GdbError("mapsleuth: info: unknown argument '%s'" % a)
        opts, core = target_options("info")
        _status, out, err = run_program(self.script_dir, ["info"] + opts + args + [core])
        print_warnings(err)
        write(out)


class MapsleuthCheckCommand(_SubCommand):
    """Judge one Go map in the current context, reading memory through gdb.

Usage: mapsleuth check EXPR

EXPR is any expression gdb can evaluate to a Go map: a global such as
main.gCache or 'example.com/geo.Cache' (quotes optional), a local of the
selected frame, a struct field, $ms_1.  Works on cores and on live
processes.  Classic maps (hash<K,V>) and swiss maps (map<K,V>) are told
apart by their DWARF type.  Prints the header, each pointer (buckets,
oldbuckets, extra; dirPtr, every table and its groups) with whether it can
be read, and a verdict line:

  ok / not-dumped / corrupt / foreign / dangling: <reason>; <facts>

dangling: a pointer cannot be read (unmapped); foreign: it points into a
module image; corrupt: an invariant is broken (B, flags, dirLen against
globalDepth, globalShift, capacity against lengthMask, used or count
against the live slots).  Freed heap memory is still readable, so `freed`
needs the heap model of `mapsleuth scan`.

With the mapsleuth program, bad addresses are described in its words
(symbol and offset, section and module, heap span, nearest mapping): on a
core from gdb's files, on a live process from a `gcore` dump of it made
in a temporary directory."""

    def __init__(self, script_dir):
        super().__init__("check", script_dir, gdb.COMPLETE_SYMBOL)

    def run(self, argument, from_tty):
        """Judge the map and print the report."""
        expr = argument.strip()
        if not expr:
            raise gdb.GdbError("mapsleuth: check needs a map expression: "
                               "mapsleuth check EXPR")
        if gdb.selected_inferior().pid <= 0 and core_file() is None:
            raise gdb.GdbError("mapsleuth: check needs a process or a core file "
                               "(without one gdb shows the executable's initial values)")
        text, _verdict = judge(expr, self.script_dir)
        write(text)


class MapsleuthProgramParameter(gdb.Parameter):
    """The mapsleuth program that `mapsleuth scan`, `show` and `info` run.

When empty, $MAPSLEUTH, then `mapsleuth` on PATH, then the build tree next
to gdb-scripts/ are used."""

    set_doc = "Set the mapsleuth program used by the mapsleuth commands."
    show_doc = "Show the mapsleuth program used by the mapsleuth commands."

    def __init__(self):
        super().__init__("mapsleuth-program", gdb.COMMAND_DATA, gdb.PARAM_OPTIONAL_FILENAME)
        self.value = ""

    def get_show_string(self, svalue):
        """Say which program is set, or how one is found."""
        if svalue:
            return "The mapsleuth program is %s." % svalue
        return "The mapsleuth program is found through $MAPSLEUTH, PATH or the build tree."


def register(script_dir):
    """Create the mapsleuth commands; SCRIPT_DIR is this file's directory."""
    MapsleuthProgramParameter()
    MapsleuthCommand()
    MapsleuthScanCommand(script_dir)
    MapsleuthShowCommand(script_dir)
    MapsleuthInfoCommand(script_dir)
    MapsleuthCheckCommand(script_dir)


register(os.path.dirname(os.path.abspath(__file__)))
