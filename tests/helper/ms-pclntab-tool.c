/* Test tool for the pclntab reader and the disassembler: one fact per line from a Go ELF file. */
#include "config.h"

#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "disasm.h"
#include "error.h"
#include "pclntab.h"

struct file {
	const char *path;
	int fd;
	Elf *elf;
	struct ms_pclntab *tab;
};

static const char usage[] =
	"usage: ms-pclntab-tool COMMAND FILE [ARGS]\n"
	"  info FILE                 function count, version, text start\n"
	"  funcs FILE                START END NAME for every function\n"
	"  lookup FILE ADDR...       NAME START for link-time addresses\n"
	"  verify FILE               compare .symtab functions with the pclntab\n"
	"  xrefs FILE SYMBOL|ADDR [SIZE]\n"
	"                            instructions in .text referring to a global\n"
	"                            (through the GOT too); timing on stderr\n"
	"  window FILE PC [BEFORE AFTER]\n"
	"                            instructions around PC in its function\n";

static int report(struct ms_error *err)
{
	fprintf(stderr, "ms-pclntab-tool: %s\n", err->message);
	ms_error_destroy(err);
	return 1;
}

static int open_file(const char *path, struct file *f)
{
	f->path = path;
	f->fd = open(path, O_RDONLY);
	if (f->fd < 0) {
		perror(path);
		return 1;
	}
	elf_version(EV_CURRENT);
	f->elf = elf_begin(f->fd, ELF_C_READ_MMAP, NULL);
	if (!f->elf) {
		fprintf(stderr, "ms-pclntab-tool: %s: %s\n", path, elf_errmsg(-1));
		return 1;
	}
	struct ms_error *err = ms_pclntab_open(f->elf, path, &f->tab);
	return err ? report(err) : 0;
}

static void close_file(struct file *f)
{
	ms_pclntab_destroy(f->tab);
	if (f->elf)
		elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
}

static int cmd_info(struct file *f)
{
	enum ms_pclntab_text_source src;
	uint64_t text = ms_pclntab_text_start(f->tab, &src);
	printf("offset 0x%" PRIx64 "\n", ms_pclntab_base(f->tab));
	printf("functions %zu\n", ms_pclntab_count(f->tab));
	printf("version %s\n", ms_pclntab_version(f->tab) >= 120 ? "1.20+" : "1.18");
	printf("text_start 0x%" PRIx64 "\n", text);
	printf("text_source %s\n", ms_pclntab_text_source_str(src));
	return 0;
}

static int cmd_funcs(struct file *f)
{
	for (size_t i = 0; i < ms_pclntab_count(f->tab); i++) {
		struct ms_pclntab_func fn;
		struct ms_error *err = ms_pclntab_func(f->tab, i, &fn);
		if (err)
			return report(err);
		printf("0x%" PRIx64 " 0x%" PRIx64 " %s\n", fn.start, fn.end, fn.name);
	}
	return 0;
}

static int cmd_lookup(struct file *f, int argc, char **argv)
{
	int rc = 0;
	for (int i = 0; i < argc; i++) {
		uint64_t pc = strtoull(argv[i], NULL, 0), start = 0;
		const char *name = NULL;
		struct ms_error *err = ms_pclntab_lookup(f->tab, pc, &name, &start);
		if (err) {
			printf("0x%" PRIx64 " ? %s\n", pc, err->message);
			ms_error_destroy(err);
			rc = 1;
			continue;
		}
		printf("0x%" PRIx64 " %s 0x%" PRIx64 "\n", pc, name, start);
	}
	return rc;
}

struct sym {
	uint64_t addr, size;
	const char *name;
	bool func;
};

static int sym_cmp(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

// All named symbols of .symtab, sorted by address.
static struct sym *read_symtab(Elf *elf, size_t *n_ret)
{
	struct sym *syms = NULL;
	size_t n = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    !sh.sh_entsize)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t count = data ? data->d_size / sh.sh_entsize : 0;
		syms = realloc(syms, (n + count + 1) * sizeof(*syms));
		if (!syms)
			abort();
		for (size_t i = 0; i < count; i++) {
			GElf_Sym s;
			if (!gelf_getsym(data, (int)i, &s) || !s.st_value)
				continue;
			const char *name = elf_strptr(elf, sh.sh_link, s.st_name);
			if (!name || !*name)
				continue;
			syms[n++] = (struct sym){ s.st_value, s.st_size, name,
						  GELF_ST_TYPE(s.st_info) == STT_FUNC };
		}
	}
	if (syms)
		qsort(syms, n, sizeof(*syms), sym_cmp);
	*n_ret = n;
	return syms;
}

// Whether a .symtab name and a pclntab name are the same function. The
// symbol table decorates names the pclntab keeps plain: a "local." prefix
// (dynamically linked modules), a ".abi0" suffix (assembly functions
// behind ABI wrappers). Compiler-generated type functions (type..eq.*,
// type:.eq.*) differ in spelling: hashed in external links, "[5]T" against
// "[...]T" in Go 1.19, "·7" against ".7" in Go 1.26; for those the
// address alone is compared.
static bool same_name(const char *sym, const char *pcln)
{
	size_t n;
	if (strncmp(sym, "local.", 6) == 0)
		sym += 6;
	if (strncmp(sym, "type.", 5) == 0 || strncmp(sym, "type:", 5) == 0)
		return strncmp(pcln, "type.", 5) == 0 || strncmp(pcln, "type:", 5) == 0;
	n = strlen(sym);
	if (n > 5 && strcmp(sym + n - 5, ".abi0") == 0)
		n -= 5;
	return strncmp(sym, pcln, n) == 0 && pcln[n] == '\0';
}

// Every function symbol inside the Go text must name the function the
// pclntab finds there, at the same entry; another symbol at the same
// address (an alias) with the pclntab's name also counts.
static int cmd_verify(struct file *f)
{
	size_t n = 0, checked = 0, matched = 0, outside = 0;
	struct sym *syms = read_symtab(f->elf, &n);
	if (!n) {
		printf("no symtab\n");
		free(syms);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!syms[i].func)
			continue;
		const char *name = NULL;
		uint64_t start = 0;
		struct ms_error *err = ms_pclntab_lookup(f->tab, syms[i].addr,
							 &name, &start);
		if (ms_error_catch(&err, MS_ERR_NOT_FOUND)) {
			outside++;
			continue;
		}
		if (err)
			return report(err);
		checked++;
		bool same = false;
		for (size_t j = i; j > 0 && syms[j - 1].addr == syms[i].addr; j--)
			same = same || same_name(syms[j - 1].name, name);
		for (size_t j = i; j < n && syms[j].addr == syms[i].addr; j++)
			same = same || same_name(syms[j].name, name);
		if (same && start == syms[i].addr)
			matched++;
		else
			printf("mismatch 0x%" PRIx64 " symtab %s pclntab %s at 0x%" PRIx64 "\n",
			       syms[i].addr, syms[i].name, name, start);
	}
	printf("checked %zu\nmatched %zu\noutside %zu\n", checked, matched, outside);
	free(syms);
	return checked && checked == matched ? 0 : 1;
}

static bool text_section(Elf *elf, const uint8_t **code, size_t *len,
			 uint64_t *addr)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return false;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;
		if (!gelf_getshdr(scn, &sh) ||
		    !(name = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(name, ".text") != 0)
			continue;
		Elf_Data *data = elf_rawdata(scn, NULL);
		if (!data || !data->d_buf)
			return false;
		*code = data->d_buf;
		*len = data->d_size;
		*addr = sh.sh_addr;
		return true;
	}
	return false;
}

// GOT slots that hold addr: dynamically linked Go code (plugins) loads a
// global's address from its GOT slot instead of using lea.
static size_t got_slots(Elf *elf, uint64_t addr, uint64_t size,
			uint64_t *slots, size_t max)
{
	size_t n = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA || !sh.sh_entsize)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		Elf_Scn *symscn = elf_getscn(elf, sh.sh_link);
		Elf_Data *symdata = symscn ? elf_getdata(symscn, NULL) : NULL;
		size_t count = data ? data->d_size / sh.sh_entsize : 0;
		for (size_t i = 0; i < count && n < max; i++) {
			GElf_Rela r;
			GElf_Sym s;
			if (!gelf_getrela(data, (int)i, &r))
				continue;
			uint64_t value;
			switch (GELF_R_TYPE(r.r_info)) {
			case R_X86_64_RELATIVE:
				value = (uint64_t)r.r_addend;
				break;
			case R_X86_64_GLOB_DAT:
			case R_X86_64_64:
				if (!symdata || !gelf_getsym(symdata, (int)GELF_R_SYM(r.r_info), &s))
					continue;
				value = s.st_value + (uint64_t)r.r_addend;
				break;
			default:
				continue;
			}
			if (value >= addr && value - addr < size)
				slots[n++] = r.r_offset;
		}
	}
	return n;
}

struct xref_ctx {
	struct file *f;
	const struct ms_xref_target *targets;
	uint64_t global;	// the global's address: other targets are GOT slots
	size_t count;
};

static struct ms_error *print_xref(const struct ms_xref *x, void *arg)
{
	struct xref_ctx *ctx = arg;
	const char *name = "?";
	uint64_t start = x->insn_addr;
	struct ms_error *err = ms_pclntab_lookup(ctx->f->tab, x->insn_addr,
						 &name, &start);
	if (err && !ms_error_catch(&err, MS_ERR_NOT_FOUND))
		return err;
	printf("0x%" PRIx64 " %s+0x%" PRIx64 " %s%s 0x%" PRIx64 " %s\n",
	       x->insn_addr, name, x->insn_addr - start,
	       ctx->targets[x->target].addr == ctx->global ? "" : "got-",
	       ms_xref_kind_str(x->kind),
	       x->ref_addr, x->text);
	ctx->count++;
	return NULL;
}

static int target_cmp(const void *a, const void *b)
{
	const struct ms_xref_target *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int cmd_xrefs(struct file *f, int argc, char **argv)
{
	if (argc < 1) {
		fputs(usage, stderr);
		return 64;
	}
	uint64_t addr = 0, size = 1;
	char *end;
	addr = strtoull(argv[0], &end, 0);
	if (*end || argv[0] == end) {
		size_t n = 0;
		struct sym *syms = read_symtab(f->elf, &n);
		addr = 0;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(syms[i].name, argv[0]) == 0) {
				addr = syms[i].addr;
				size = syms[i].size ? syms[i].size : 1;
			}
		}
		free(syms);
		if (!addr) {
			fprintf(stderr, "ms-pclntab-tool: no symbol %s\n", argv[0]);
			return 1;
		}
	}
	if (argc > 1)
		size = strtoull(argv[1], NULL, 0);

	struct ms_xref_target targets[17] = { { addr, size } };
	uint64_t slots[16];
	size_t n_slots = got_slots(f->elf, addr, size, slots, 16);
	for (size_t i = 0; i < n_slots; i++)
		targets[1 + i] = (struct ms_xref_target){ slots[i], 8 };
	qsort(targets, 1 + n_slots, sizeof(targets[0]), target_cmp);

	const uint8_t *code;
	size_t len;
	uint64_t code_addr;
	if (!text_section(f->elf, &code, &len, &code_addr)) {
		fprintf(stderr, "ms-pclntab-tool: %s: no .text\n", f->path);
		return 1;
	}
	struct ms_disasm *d = NULL;
	struct ms_error *err = ms_disasm_create(&d);
	if (err)
		return report(err);
	struct xref_ctx ctx = { .f = f, .targets = targets, .global = addr };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = ms_disasm_xrefs(d, code, len, code_addr, targets, 1 + n_slots,
			      print_xref, &ctx);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct ms_disasm_stats stats;
	ms_disasm_last_stats(d, &stats);
	ms_disasm_destroy(d);
	if (err)
		return report(err);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr,
		"# swept %zu bytes of .text: %" PRIu64 " instructions, %" PRIu64
		" bytes skipped, %zu GOT slots, %zu xrefs in %.1f ms (%.1f MB/s)\n",
		len, stats.insns, stats.skipped, n_slots, ctx.count, ms,
		ms > 0 ? (double)len / ms / 1e3 : 0.0);
	return 0;
}

static int cmd_window(struct file *f, int argc, char **argv)
{
	if (argc < 1) {
		fputs(usage, stderr);
		return 64;
	}
	uint64_t pc = strtoull(argv[0], NULL, 0);
	size_t before = argc > 1 ? strtoul(argv[1], NULL, 0) : 3;
	size_t after = argc > 2 ? strtoul(argv[2], NULL, 0) : 3;
	const uint8_t *code;
	size_t len;
	uint64_t code_addr;
	if (!text_section(f->elf, &code, &len, &code_addr)) {
		fprintf(stderr, "ms-pclntab-tool: %s: no .text\n", f->path);
		return 1;
	}
	// Decode from the function's entry when the pclntab knows it.
	const char *name = NULL;
	uint64_t start = 0;
	struct ms_error *err = ms_pclntab_lookup(f->tab, pc, &name, &start);
	if (err) {
		ms_error_destroy(err);
		start = code_addr;
	}
	if (start < code_addr || start > pc || pc - code_addr >= len) {
		fprintf(stderr, "ms-pclntab-tool: 0x%" PRIx64 " not in .text\n", pc);
		return 1;
	}
	struct ms_disasm *d = NULL;
	if ((err = ms_disasm_create(&d)))
		return report(err);
	struct ms_disasm_line *lines = NULL;
	size_t n = 0, at = 0;
	err = ms_disasm_window(d, code + (start - code_addr),
			       len - (size_t)(start - code_addr), start, pc,
			       before, after, &lines, &n, &at);
	ms_disasm_destroy(d);
	if (err)
		return report(err);
	for (size_t i = 0; i < n; i++) {
		printf("%s 0x%" PRIx64 " %s+0x%" PRIx64 " ", i == at ? "=>" : "  ",
		       lines[i].addr, name ? name : "?", lines[i].addr - start);
		for (unsigned b = 0; b < lines[i].size && b < 16; b++)
			printf("%02x", lines[i].bytes[b]);
		printf(" %s\n", lines[i].text);
		const struct ms_disasm_mem *m = &lines[i].mem;
		if (i == at && m->present)
			printf("   mem segment=%s base=%s index=%s scale=%u disp=%" PRId64
			       " size=%u%s\n",
			       m->segment, m->base, m->index, m->scale, m->disp,
			       m->size, m->rip_relative ? " rip-relative" : "");
	}
	free(lines);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs(usage, stderr);
		return 64;
	}
	struct file f = { .fd = -1 };
	int rc = open_file(argv[2], &f);
	if (rc) {
		close_file(&f);
		return rc;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "info") == 0)
		rc = cmd_info(&f);
	else if (strcmp(cmd, "funcs") == 0)
		rc = cmd_funcs(&f);
	else if (strcmp(cmd, "lookup") == 0)
		rc = cmd_lookup(&f, argc - 3, argv + 3);
	else if (strcmp(cmd, "verify") == 0)
		rc = cmd_verify(&f);
	else if (strcmp(cmd, "xrefs") == 0)
		rc = cmd_xrefs(&f, argc - 3, argv + 3);
	else if (strcmp(cmd, "window") == 0)
		rc = cmd_window(&f, argc - 3, argv + 3);
	else {
		fputs(usage, stderr);
		rc = 64;
	}
	close_file(&f);
	return rc;
}
