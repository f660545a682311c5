#!/usr/bin/env python3
"""Rewrite the notes of a linux/amd64 core to make a hostile one.

The memory (PT_LOAD) is kept; the PT_NOTE segment is rebuilt at the end of
the file from the original notes with some changed:

  --psargs S / --fname S     NT_PRPSINFO process arguments and name
                             (Python escapes: '\\x1b]0;x\\x07' and so on)
  --exe-path P               the NT_FILE path of the executable's mappings
                             (the file that maps AT_ENTRY)
  --add-file P               one more NT_FILE entry, 4 KiB at an unmapped
                             address, file offset 0 (repeatable)
  --many-files N             N more distinct entries /nonexistent/libN.so
  --threads N                N more threads (copies of the first NT_PRSTATUS
                             with pids counting up)

usage: hostile-core.py IN OUT [options]
"""
import argparse
import struct
import sys

NT_PRSTATUS, NT_PRPSINFO, NT_AUXV, NT_FILE = 1, 3, 6, 0x46494C45
AT_ENTRY = 9
FREE_BASE = 0x100000000000  # 16 TiB: below the Go arenas' hints, above the exe


def unescape(s):
    return s.encode('latin-1', 'surrogateescape').decode('unicode_escape').encode('latin-1')


def parse_notes(data):
    notes, off = [], 0
    while off + 12 <= len(data):
        namesz, descsz, typ = struct.unpack_from('<III', data, off)
        off += 12
        name = data[off:off + namesz]
        off += (namesz + 3) & ~3
        desc = data[off:off + descsz]
        off += (descsz + 3) & ~3
        notes.append([name, typ, bytearray(desc)])
    return notes


def build_notes(notes):
    out = bytearray()
    for name, typ, desc in notes:
        out += struct.pack('<III', len(name), len(desc), typ)
        out += name + b'\0' * (-len(name) % 4)
        out += desc + b'\0' * (-len(desc) % 4)
    return out


def parse_files(desc):
    count, page = struct.unpack_from('<QQ', desc, 0)
    ents = [struct.unpack_from('<QQQ', desc, 16 + 24 * i) for i in range(count)]
    names = bytes(desc[16 + 24 * count:]).split(b'\0')[:count]
    return page, [list(e) + [n] for e, n in zip(ents, names)]


def build_files(page, ents):
    out = bytearray(struct.pack('<QQ', len(ents), page))
    for s, e, o, _ in ents:
        out += struct.pack('<QQQ', s, e, o)
    for *_, n in ents:
        out += n + b'\0'
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('inp')
    ap.add_argument('out')
    ap.add_argument('--psargs')
    ap.add_argument('--fname')
    ap.add_argument('--exe-path')
    ap.add_argument('--add-file', action='append', default=[])
    ap.add_argument('--many-files', type=int, default=0)
    ap.add_argument('--threads', type=int, default=0)
    a = ap.parse_args()

    core = bytearray(open(a.inp, 'rb').read())
    if core[:4] != b'\x7fELF' or core[4] != 2:
        sys.exit('%s: not a 64-bit ELF core' % a.inp)
    phoff, = struct.unpack_from('<Q', core, 0x20)
    phentsize, phnum = struct.unpack_from('<HH', core, 0x36)
    note_ph = None
    for i in range(phnum):
        p = phoff + i * phentsize
        if struct.unpack_from('<I', core, p)[0] == 4:  # PT_NOTE
            note_ph = p
            break
    if note_ph is None:
        sys.exit('%s: no PT_NOTE' % a.inp)
    off, = struct.unpack_from('<Q', core, note_ph + 8)
    size, = struct.unpack_from('<Q', core, note_ph + 32)
    notes = parse_notes(bytes(core[off:off + size]))

    entry = None
    for name, typ, desc in notes:
        if typ == NT_AUXV:
            for i in range(0, len(desc) - 15, 16):
                k, v = struct.unpack_from('<QQ', desc, i)
                if k == AT_ENTRY:
                    entry = v
    for n in notes:
        name, typ, desc = n
        if typ == NT_PRPSINFO and (a.psargs is not None or a.fname is not None):
            if a.fname is not None:
                f = unescape(a.fname)[:15]
                desc[40:56] = f + b'\0' * (16 - len(f))
            if a.psargs is not None:
                s = unescape(a.psargs)[:79]
                desc[56:136] = s + b'\0' * (80 - len(s))
        if typ == NT_FILE:
            page, ents = parse_files(desc)
            if a.exe_path is not None and entry is not None:
                exe = [e[3] for e in ents if e[0] <= entry < e[1]]
                for e in ents:
                    if exe and e[3] == exe[0]:
                        e[3] = unescape(a.exe_path)
            extra = [unescape(p) for p in a.add_file]
            extra += [b'/nonexistent/lib%06d.so' % i for i in range(a.many_files)]
            for i, p in enumerate(extra):
                base = FREE_BASE + i * 0x2000
                ents.append([base, base + 0x1000, 0, p])
            n[2] = build_files(page, ents)
    if a.threads:
        # A thread is its NT_PRSTATUS and the register notes after it
        # (NT_FPREGSET, NT_X86_XSTATE...); the last thread's group is copied.
        starts = [i for i, n in enumerate(notes) if n[1] == NT_PRSTATUS]
        last = starts[-1]
        group = [last]
        for i in range(last + 1, len(notes)):
            if notes[i][1] in (2, 0x202, 0x200):
                group.append(i)
            else:
                break
        pid, = struct.unpack_from('<I', notes[last][2], 32)
        at = group[-1] + 1
        new = []
        for k in range(a.threads):
            for gi in group:
                name, typ, desc = notes[gi]
                d = bytearray(desc)
                if typ == NT_PRSTATUS:
                    struct.pack_into('<I', d, 32, pid + 100000 + k)
                new.append([name, typ, d])
        notes[at:at] = new

    blob = build_notes(notes)
    core += b'\0' * (-len(core) % 8)
    new_off = len(core)
    core += blob
    struct.pack_into('<Q', core, note_ph + 8, new_off)
    struct.pack_into('<Q', core, note_ph + 32, len(blob))
    struct.pack_into('<Q', core, note_ph + 40, 0)  # p_memsz
    open(a.out, 'wb').write(core)


if __name__ == '__main__':
    main()
