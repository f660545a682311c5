/* Unit test of a whole session on a synthetic core of this very program (a non-Go, PIE process). */
#include "config.h"

#include <elf.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "session.h"
#include "tap.h"

static const uint64_t base = UINT64_C(0x555555554000);
static const uint64_t anon = UINT64_C(0x10000000);
static const uint64_t resv = UINT64_C(0x20000000);

struct buf {
	uint8_t *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *p, size_t len)
{
	if (b->n + len > b->cap) {
		b->cap = (b->n + len) * 2;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, p, len);
	b->n += len;
}

static void put32(struct buf *b, uint32_t v) { put(b, &v, 4); }
static void put64(struct buf *b, uint64_t v) { put(b, &v, 8); }

static void pad(struct buf *b, size_t align)
{
	static const uint8_t z[4096];
	if (b->n % align)
		put(b, z, align - b->n % align);
}

static void note(struct buf *b, uint32_t type, const void *desc, size_t len)
{
	put32(b, 5);
	put32(b, (uint32_t)len);
	put32(b, type);
	put(b, "CORE\0\0\0", 8);
	put(b, desc, len);
	pad(b, 4);
}

static char warned[512];

static void warn(void *arg, const char *msg)
{
	snprintf(warned, sizeof(warned), "%s", msg);
}

int main(int argc, char **argv)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		printf("1..0 # SKIP no /proc/self/exe\n");
		return 0;
	}
	exe[n] = '\0';
	FILE *f = fopen(exe, "rb");
	uint8_t *file = NULL;
	size_t fsize = 0;
	if (f) {
		fseek(f, 0, SEEK_END);
		fsize = (size_t)ftell(f);
		fseek(f, 0, SEEK_SET);
		file = malloc(fsize);
		if (fread(file, 1, fsize, f) != fsize)
			fsize = 0;
		fclose(f);
	}
	Elf64_Ehdr eh;
	if (fsize < 4096 || (memcpy(&eh, file, sizeof(eh)), eh.e_type != ET_DYN)) {
		printf("1..0 # SKIP this test program is not a PIE\n");
		free(file);
		return 0;
	}
	uint64_t map_len = (fsize + 4095) & ~(uint64_t)4095;

	// Notes: a thread that took SIGSEGV, the process, auxv, one file.
	struct buf notes = { 0 };
	uint8_t prs[336] = { 0 };
	uint32_t sig = SIGSEGV, tid = 4242;
	uint16_t cursig = SIGSEGV;
	uint64_t rip = base + eh.e_entry + 4, rsp = anon + 0x800;
	memcpy(prs, &sig, 4);
	memcpy(prs + 12, &cursig, 2);
	memcpy(prs + 32, &tid, 4);
	memcpy(prs + 112 + 8 * MS_REG_RIP, &rip, 8);
	memcpy(prs + 112 + 8 * MS_REG_RSP, &rsp, 8);
	note(&notes, 1, prs, sizeof(prs));
	uint8_t ps[136] = { 0 };
	memcpy(ps + 24, &tid, 4);
	memcpy(ps + 40, "unit-session", 12);
	memcpy(ps + 56, "unit/session --fake", 19);
	note(&notes, 3, ps, sizeof(ps));
	uint8_t si[128] = { 0 };
	uint32_t code = 1;
	uint64_t addr = 0xdead;
	memcpy(si, &sig, 4);
	memcpy(si + 8, &code, 4);
	memcpy(si + 16, &addr, 8);
	note(&notes, 0x53494749, si, sizeof(si));
	uint64_t av[] = { AT_ENTRY, base + eh.e_entry, AT_PAGESZ, 4096, AT_NULL, 0 };
	note(&notes, 6, av, sizeof(av));
	struct buf fn = { 0 };
	put64(&fn, 1);
	put64(&fn, 4096);
	put64(&fn, base);
	put64(&fn, base + map_len);
	put64(&fn, 0);
	put(&fn, exe, strlen(exe) + 1);
	note(&notes, 0x46494c45, fn.p, fn.n);
	free(fn.p);

	// Program headers: notes, the executable's first page (dumped), the
	// rest of it (left out, as the kernel does for read-only file pages),
	// an anonymous page, a PROT_NONE reservation.
	enum { nph = 5 };
	uint64_t off_notes = sizeof(Elf64_Ehdr) + nph * sizeof(Elf64_Phdr);
	uint64_t off_data = (off_notes + notes.n + 4095) & ~(uint64_t)4095;
	Elf64_Phdr ph[nph] = {
		{ .p_type = PT_NOTE, .p_offset = off_notes, .p_filesz = notes.n },
		{ .p_type = PT_LOAD, .p_flags = PF_R, .p_offset = off_data,
		  .p_vaddr = base, .p_filesz = 4096, .p_memsz = 4096 },
		{ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = off_data + 4096,
		  .p_vaddr = base + 4096, .p_filesz = 0, .p_memsz = map_len - 4096 },
		{ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = off_data + 4096,
		  .p_vaddr = anon, .p_filesz = 4096, .p_memsz = 4096 },
		{ .p_type = PT_LOAD, .p_flags = 0, .p_offset = off_data + 8192,
		  .p_vaddr = resv, .p_filesz = 0, .p_memsz = 0x100000 },
	};
	Elf64_Ehdr ch = { 0 };
	memcpy(ch.e_ident, ELFMAG, SELFMAG);
	ch.e_ident[EI_CLASS] = ELFCLASS64;
	ch.e_ident[EI_DATA] = ELFDATA2LSB;
	ch.e_ident[EI_VERSION] = EV_CURRENT;
	ch.e_type = ET_CORE;
	ch.e_machine = EM_X86_64;
	ch.e_version = EV_CURRENT;
	ch.e_phoff = sizeof(ch);
	ch.e_ehsize = sizeof(ch);
	ch.e_phentsize = sizeof(Elf64_Phdr);
	ch.e_phnum = nph;
	struct buf core = { 0 };
	put(&core, &ch, sizeof(ch));
	put(&core, ph, sizeof(ph));
	put(&core, notes.p, notes.n);
	pad(&core, 4096);
	put(&core, file, 4096);
	uint8_t page[4096];
	for (size_t i = 0; i < sizeof(page); i++)
		page[i] = (uint8_t)i;
	put(&core, page, sizeof(page));
	free(notes.p);

	char path[] = "/tmp/ms-unit-session-XXXXXX";
	int fd = mkstemp(path);
	ok(fd >= 0 && write(fd, core.p, core.n) == (ssize_t)core.n, "synthetic core written");
	close(fd);
	free(core.p);

	struct ms_session_options o = { .core_path = path, .warn = warn };
	struct ms_session *s = NULL;
	struct ms_error *err = ms_session_open(&o, &s);
	ok(!err, "session opens%s%s", err ? ": " : "", err ? err->message : "");
	if (err) {
		ms_error_destroy(err);
		unlink(path);
		free(file);
		return done_testing();
	}
	struct ms_module *m = ms_session_exe(s);
	ok(m && m->status == MS_MODULE_FOUND && m->build_id_checked,
	   "executable found at its recorded path, build id checked");
	is_u64(m->bias, base, "PIE load bias from the header page in the core");
	is_u64(ms_session_module_count(s), 1, "one module");
	ok(ms_session_go_version(s) == NULL && ms_session_map_impl(s) == 0 &&
		   ms_session_runtime_module(s) == NULL,
	   "no Go runtime in a C program");

	uint8_t b[16];
	err = ms_session_read(s, base + 4096 + 100, b, 16);
	ok(!err && memcmp(b, file + 4096 + 100, 16) == 0, "undumped text comes from the file");
	ms_error_destroy(err);
	err = ms_session_read(s, base + 4090, b, 16);
	ok(!err && memcmp(b, file + 4090, 16) == 0, "a read across core and file");
	ms_error_destroy(err);
	err = ms_session_read(s, anon + 16, b, 4);
	ok(!err && b[0] == 16, "anonymous memory from the core");
	err = ms_session_read(s, resv + 16, b, 4);
	ok(err && err->fault == MS_FAULT_UNMAPPED, "PROT_NONE reservation");
	ms_error_destroy(err);

	struct ms_addr_info ai;
	ok(!ms_session_classify(s, base + eh.e_entry, &ai) && ai.cls == MS_ADDR_MODULE &&
		   ai.module == m && ai.section && strcmp(ai.section, "text") == 0,
	   "entry point is in the module's text");
	ok(!ms_session_classify(s, anon + 8, &ai) && ai.cls == MS_ADDR_MAPPING && ai.dumped,
	   "anonymous page is some other mapping");
	ok(!ms_session_classify(s, resv - 0x1000, &ai) && ai.cls == MS_ADDR_UNMAPPED &&
		   ai.have_below && ai.below_end == anon + 4096 && ai.have_above &&
		   ai.above_start == resv && ai.above_distance == 0x1000,
	   "unmapped address with its neighbours");

	uint64_t main_addr = 0, size = 0;
	err = ms_module_symbol(m, "main", &main_addr, &size);
	ok(!err && main_addr > base && main_addr < base + map_len, "symbol 'main' relocated");
	ms_error_destroy(err);
	const char *name = NULL;
	uint64_t off = 0;
	err = ms_session_symbolize(s, main_addr + 1, NULL, &name, &off);
	ok(!err && name && strcmp(name, "main") == 0 && off == 1, "main+1 symbolized");
	ms_error_destroy(err);

	const struct ms_crash *c = ms_session_crash(s);
	ok(c->present && c->signo == SIGSEGV && c->code == 1 && c->have_fault_addr &&
		   c->fault_addr == 0xdead && c->pc == rip && strcmp(c->source, "siginfo") == 0,
	   "crash from NT_SIGINFO");
	const struct ms_process *p = ms_session_process(s);
	ok(p->pid == 4242 && strcmp(p->psargs, "unit/session --fake") == 0, "process facts");
	ok(ms_session_thread_count(s) == 1 && ms_session_thread(s, 0)->tid == 4242,
	   "one thread");
	ms_session_destroy(s);

	// Another file as the executable: refused, naming both build ids.
	o.exe_path = "/bin/sh";
	if (access(o.exe_path, R_OK) == 0) {
		err = ms_session_open(&o, &s);
		ok(err && err->code == MS_ERR_MISMATCH && strstr(err->message, "/bin/sh") &&
			   strstr(err->message, "does not match"),
		   "wrong executable refused: %s", err ? err->message : "");
		if (!err)
			ms_session_destroy(s);
		ms_error_destroy(err);
	}
	// An empty sysroot: the executable is not found.
	o.exe_path = NULL;
	o.sysroot = "/nonexistent-sysroot";
	err = ms_session_open(&o, &s);
	ok(err && err->code == MS_ERR_NOT_FOUND && strstr(err->message, "executable not found"),
	   "missing executable: %s", err ? err->message : "");
	ms_error_destroy(err);

	unlink(path);
	free(file);
	return done_testing();
}
