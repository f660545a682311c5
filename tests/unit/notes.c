/* Unit tests for core note decoding on synthetic note buffers. */
#include "config.h"

#include <stdlib.h>

#include "elf_core.h"
#include "tap.h"

struct nbuf {
	uint8_t b[8192];
	size_t n;
};

static void put(struct nbuf *nb, const void *p, size_t len)
{
	memcpy(nb->b + nb->n, p, len);
	nb->n += len;
}

static void put_u32(struct nbuf *nb, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		nb->b[nb->n++] = (uint8_t)(v >> (8 * i));
}

static void put_u64(struct nbuf *nb, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		nb->b[nb->n++] = (uint8_t)(v >> (8 * i));
}

static void pad4(struct nbuf *nb)
{
	while (nb->n % 4)
		nb->b[nb->n++] = 0;
}

static void note(struct nbuf *nb, const char *owner, uint32_t type,
		 const void *desc, size_t len)
{
	put_u32(nb, (uint32_t)strlen(owner) + 1);
	put_u32(nb, (uint32_t)len);
	put_u32(nb, type);
	put(nb, owner, strlen(owner) + 1);
	pad4(nb);
	put(nb, desc, len);
	pad4(nb);
}

static void store_u64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void store_u32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void prstatus(struct nbuf *nb, int tid, int cursig, uint64_t rip,
		     uint64_t rsp)
{
	uint8_t d[336] = { 0 };
	store_u32(d + 0, (uint32_t)cursig);
	d[12] = (uint8_t)cursig;
	store_u32(d + 32, (uint32_t)tid);
	store_u64(d + 112 + 8 * MS_REG_RIP, rip);
	store_u64(d + 112 + 8 * MS_REG_RSP, rsp);
	store_u64(d + 112 + 8 * MS_REG_FS_BASE, 0x7f0000001000);
	note(nb, "CORE", 1, d, sizeof(d));
}

static void build_full(struct nbuf *nb)
{
	prstatus(nb, 4711, 6, 0x401234, 0xc000050f00);

	uint8_t ps[136] = { 0 };
	store_u32(ps + 24, 4711);
	store_u32(ps + 28, 1);
	memcpy(ps + 40, "ingestd", 7);
	memcpy(ps + 56, "./ingestd -v core ", 18);
	note(nb, "CORE", 3, ps, sizeof(ps));

	uint8_t si[128] = { 0 };
	store_u32(si + 0, 6);
	store_u32(si + 8, (uint32_t)-6);
	store_u32(si + 16, 4711);
	note(nb, "CORE", 0x53494749, si, sizeof(si));

	uint8_t xs[64] = { 0 };
	note(nb, "LINUX", 0x202, xs, sizeof(xs));

	uint8_t av[16 * 4] = { 0 };
	store_u64(av + 0, 9 /* AT_ENTRY */);
	store_u64(av + 8, 0x401000);
	store_u64(av + 16, 3 /* AT_PHDR */);
	store_u64(av + 24, 0x400040);
	// AT_NULL ends it; the entry after must be ignored.
	store_u64(av + 48, 7);
	store_u64(av + 56, 0x999);
	note(nb, "CORE", 6, av, sizeof(av));

	struct nbuf f = { .n = 0 };
	put_u64(&f, 2);
	put_u64(&f, 4096);
	put_u64(&f, 0x400000); put_u64(&f, 0x4a0000); put_u64(&f, 0);
	put_u64(&f, 0x7f0000000000); put_u64(&f, 0x7f0000002000); put_u64(&f, 3);
	put(&f, "/usr/bin/ingestd", 17);
	put(&f, "/plugins/geo.so (deleted)", 26);
	note(nb, "CORE", 0x46494c45, f.b, f.n);

	prstatus(nb, 4712, 0, 0x402000, 0xc000060000);
}

int main(void)
{
	struct nbuf nb = { .n = 0 };
	build_full(&nb);

	struct ms_core_notes notes;
	ms_core_notes_init(&notes);
	struct ms_error *err = ms_core_notes_parse(&notes, nb.b, nb.n, "test", 0);
	ok(!err, "full note buffer parses%s%s", err ? ": " : "", err ? err->message : "");
	is_u64(notes.n_threads, 2, "two threads");
	is_u64(notes.threads[0].tid, 4711, "first thread id");
	is_u64(notes.threads[0].cursig, 6, "first thread handles SIGABRT");
	is_u64(notes.threads[0].regs[MS_REG_RIP], 0x401234, "rip");
	is_u64(notes.threads[0].regs[MS_REG_RSP], 0xc000050f00, "rsp");
	is_u64(notes.threads[0].regs[MS_REG_FS_BASE], 0x7f0000001000, "fs_base");
	is_u64(notes.threads[1].tid, 4712, "second thread id");
	ok(notes.have_prpsinfo, "prpsinfo present");
	is_u64(notes.pid, 4711, "pid");
	is_str(notes.fname, "ingestd", "fname");
	is_str(notes.psargs, "./ingestd -v core", "psargs without trailing space");
	ok(notes.have_siginfo, "siginfo present");
	is_u64(notes.si_signo, 6, "si_signo");
	is_u64((uint32_t)notes.si_code, (uint32_t)-6, "si_code SI_TKILL");
	is_u64(notes.sender_pid, 4711, "si_pid");
	is_u64(notes.n_auxv, 2, "auxv stops at AT_NULL");
	uint64_t v = 0;
	ok(ms_core_notes_auxv(&notes, 9, &v) && v == 0x401000, "AT_ENTRY");
	ok(!ms_core_notes_auxv(&notes, 7, &v), "entries after AT_NULL are ignored");
	is_u64(notes.n_files, 2, "two file mappings");
	is_u64(notes.file_page_size, 4096, "page size");
	is_str(notes.files[0].path, "/usr/bin/ingestd", "first path");
	is_u64(notes.files[1].offset, 3 * 4096, "offset in bytes");
	is_str(notes.files[1].path, "/plugins/geo.so (deleted)", "second path");
	ms_core_notes_deinit(&notes);

	// Every truncation of the buffer is either a clean parse of a prefix
	// or an error; never a crash (run under the sanitizers).
	size_t errors = 0;
	for (size_t cut = 0; cut < nb.n; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, nb.b, cut);
		ms_core_notes_init(&notes);
		err = ms_core_notes_parse(&notes, copy, cut, "cut", 0);
		if (err)
			errors++;
		ms_error_destroy(err);
		ms_core_notes_deinit(&notes);
		free(copy);
	}
	ok(errors > 0, "truncated buffers give errors (%zu of %zu)", errors, nb.n);

	// A zeroed note segment decodes as empty notes.
	uint8_t zeros[256] = { 0 };
	ms_core_notes_init(&notes);
	err = ms_core_notes_parse(&notes, zeros, sizeof(zeros), "zero", 0);
	ok(err && strstr(err->message, "zeroed") && notes.n_threads == 0,
	   "zeroed notes are an error: %s", err ? err->message : "");
	ms_error_destroy(err);
	ms_core_notes_deinit(&notes);

	// A short PRSTATUS is an error that names the note and offset.
	struct nbuf s = { .n = 0 };
	uint8_t small[100] = { 0 };
	note(&s, "CORE", 1, small, sizeof(small));
	ms_core_notes_init(&notes);
	err = ms_core_notes_parse(&notes, s.b, s.n, "short", 0x700);
	ok(err && err->code == MS_ERR_BAD_DATA && strstr(err->message, "NT_PRSTATUS") &&
		   strstr(err->message, "0x700"),
	   "short NT_PRSTATUS is rejected: %s", err ? err->message : "");
	ms_error_destroy(err);
	ms_core_notes_deinit(&notes);

	// NT_FILE claiming more entries than it holds allocates nothing big.
	struct nbuf f = { .n = 0 };
	put_u64(&f, UINT64_C(1) << 60);
	put_u64(&f, 4096);
	put_u64(&f, 0);
	struct nbuf bad = { .n = 0 };
	note(&bad, "CORE", 0x46494c45, f.b, f.n);
	ms_core_notes_init(&notes);
	err = ms_core_notes_parse(&notes, bad.b, bad.n, "huge", 0);
	ok(err && strstr(err->message, "NT_FILE"), "huge NT_FILE count is rejected: %s",
	   err ? err->message : "");
	ms_error_destroy(err);
	ms_core_notes_deinit(&notes);

	// NT_FILE with fewer paths than mappings.
	f.n = 0;
	put_u64(&f, 2);
	put_u64(&f, 4096);
	put_u64(&f, 0x1000); put_u64(&f, 0x2000); put_u64(&f, 0);
	put_u64(&f, 0x3000); put_u64(&f, 0x4000); put_u64(&f, 0);
	put(&f, "/one", 5);
	bad.n = 0;
	note(&bad, "CORE", 0x46494c45, f.b, f.n);
	ms_core_notes_init(&notes);
	err = ms_core_notes_parse(&notes, bad.b, bad.n, "paths", 0);
	ok(err && strstr(err->message, "paths"), "missing NT_FILE paths are rejected: %s",
	   err ? err->message : "");
	ms_error_destroy(err);
	ms_core_notes_deinit(&notes);

	// A note whose size field runs past the buffer.
	bad.n = 0;
	put_u32(&bad, 5);
	put_u32(&bad, 0xffffffff);
	put_u32(&bad, 1);
	put(&bad, "CORE\0\0\0", 8);
	ms_core_notes_init(&notes);
	err = ms_core_notes_parse(&notes, bad.b, bad.n, "long", 0);
	ok(err && err->code == MS_ERR_BAD_DATA, "oversized descsz is rejected");
	ms_error_destroy(err);
	ms_core_notes_deinit(&notes);

	is_str(ms_x86_reg_name(MS_REG_RIP), "rip", "register names");
	is_str(ms_signal_name(11), "SIGSEGV", "signal names");
	ok(ms_signal_name(99) == NULL, "unknown signal");
	return done_testing();
}
