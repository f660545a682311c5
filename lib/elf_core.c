/* The core file itself: ELF checks, PT_LOAD segments and the notes (threads, process, signal, auxv, files). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binbuf.h"
#include "decompress.h"
#include "elf_core.h"
#include "file.h"

// Note types of Linux cores that elf.h of older systems may lack.
enum {
	CORE_NT_PRSTATUS = 1,
	CORE_NT_PRPSINFO = 3,
	CORE_NT_AUXV = 6,
	CORE_NT_SIGINFO = 0x53494749,
	CORE_NT_FILE = 0x46494c45,
};

// x86-64 layouts (struct elf_prstatus, elf_prpsinfo, siginfo_t).
static const size_t prstatus_size = 336;
static const size_t prstatus_reg_offset = 112;
static const size_t prpsinfo_size = 136;
static const size_t siginfo_min_size = 24;

static const char *const reg_names[MS_REG_COUNT] = {
	"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9",
	"r8", "rax", "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs",
	"eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
};

const char *ms_x86_reg_name(unsigned reg)
{
	return reg < MS_REG_COUNT ? reg_names[reg] : "?";
}

void ms_core_notes_init(struct ms_core_notes *notes)
{
	memset(notes, 0, sizeof(*notes));
}

void ms_core_notes_deinit(struct ms_core_notes *notes)
{
	free(notes->threads);
	free(notes->auxv);
	free(notes->files);
	free(notes->file_strings);
	ms_core_notes_init(notes);
}

static struct ms_error *note_short(const char *name, uint64_t off,
				   const char *what, size_t have, size_t want)
{
	return ms_error_create(MS_ERR_BAD_DATA,
			       "%s: %s note at 0x%llx is %zu bytes, expected at least %zu",
			       name, what, (unsigned long long)off, have, want);
}

static struct ms_error *parse_prstatus(struct ms_core_notes *notes,
				       const uint8_t *desc, size_t len,
				       const char *name, uint64_t off)
{
	if (len < prstatus_size)
		return note_short(name, off, "NT_PRSTATUS", len, prstatus_size);
	struct ms_core_thread *threads =
		realloc(notes->threads, (notes->n_threads + 1) * sizeof(*threads));
	if (!threads)
		return &ms_enomem;
	notes->threads = threads;
	struct ms_core_thread *t = &threads[notes->n_threads++];
	memset(t, 0, sizeof(*t));
	t->si_signo = (int32_t)ms_load_u32(desc + 0);
	t->si_code = (int32_t)ms_load_u32(desc + 4);
	t->cursig = (int16_t)ms_load_u16(desc + 12);
	t->tid = (int32_t)ms_load_u32(desc + 32);
	for (size_t i = 0; i < MS_REG_COUNT; i++)
		t->regs[i] = ms_load_u64(desc + prstatus_reg_offset + 8 * i);
	return NULL;
}

static void copy_cstr(char *dst, size_t dstlen, const uint8_t *src, size_t n)
{
	size_t i;
	for (i = 0; i < n && i + 1 < dstlen && src[i]; i++)
		dst[i] = (char)src[i];
	dst[i] = '\0';
	// pr_psargs separates arguments with spaces already; drop trailing ones.
	while (i > 0 && dst[i - 1] == ' ')
		dst[--i] = '\0';
}

static struct ms_error *parse_prpsinfo(struct ms_core_notes *notes,
				       const uint8_t *desc, size_t len,
				       const char *name, uint64_t off)
{
	if (len < prpsinfo_size)
		return note_short(name, off, "NT_PRPSINFO", len, prpsinfo_size);
	notes->have_prpsinfo = true;
	notes->uid = ms_load_u32(desc + 16);
	notes->gid = ms_load_u32(desc + 20);
	notes->pid = (int32_t)ms_load_u32(desc + 24);
	notes->ppid = (int32_t)ms_load_u32(desc + 28);
	copy_cstr(notes->fname, sizeof(notes->fname), desc + 40, 16);
	copy_cstr(notes->psargs, sizeof(notes->psargs), desc + 56, 80);
	return NULL;
}

static struct ms_error *parse_siginfo(struct ms_core_notes *notes,
				      const uint8_t *desc, size_t len,
				      const char *name, uint64_t off)
{
	if (len < siginfo_min_size)
		return note_short(name, off, "NT_SIGINFO", len, siginfo_min_size);
	notes->have_siginfo = true;
	notes->si_signo = (int32_t)ms_load_u32(desc + 0);
	notes->si_errno = (int32_t)ms_load_u32(desc + 4);
	notes->si_code = (int32_t)ms_load_u32(desc + 8);
	notes->fault_addr = ms_load_u64(desc + 16);
	notes->sender_pid = (int32_t)ms_load_u32(desc + 16);
	return NULL;
}

static struct ms_error *parse_auxv(struct ms_core_notes *notes,
				   const uint8_t *desc, size_t len)
{
	size_t n = len / 16;
	uint64_t (*auxv)[2] = calloc(n ? n : 1, sizeof(*auxv));
	if (!auxv)
		return &ms_enomem;
	size_t i;
	for (i = 0; i < n; i++) {
		auxv[i][0] = ms_load_u64(desc + 16 * i);
		auxv[i][1] = ms_load_u64(desc + 16 * i + 8);
		if (auxv[i][0] == 0 /* AT_NULL */)
			break;
	}
	free(notes->auxv);
	notes->auxv = auxv;
	notes->n_auxv = i;
	return NULL;
}

static struct ms_error *parse_file(struct ms_core_notes *notes,
				   const uint8_t *desc, size_t len,
				   const char *name, uint64_t off)
{
	struct ms_binbuf bb;
	ms_binbuf_init(&bb, desc, len, name, off);
	uint64_t count = 0, page_size = 0;
	struct ms_error *err;
	if ((err = ms_binbuf_u64(&bb, &count)) ||
	    (err = ms_binbuf_u64(&bb, &page_size))) {
		ms_error_destroy(err);
		return note_short(name, off, "NT_FILE", len, 16);
	}
	// Bound the count by what the descriptor can hold before allocating.
	if (count > ms_binbuf_left(&bb) / 24)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: NT_FILE note at 0x%llx claims %llu mappings in %zu bytes",
				       name, (unsigned long long)off,
				       (unsigned long long)count, len);
	if (page_size == 0 || (page_size & (page_size - 1)) || page_size > (1u << 30))
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: NT_FILE note at 0x%llx has page size %llu",
				       name, (unsigned long long)off,
				       (unsigned long long)page_size);
	struct ms_core_file_map *files = calloc(count ? count : 1, sizeof(*files));
	if (!files)
		return &ms_enomem;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t pgoff = 0;
		ms_binbuf_u64(&bb, &files[i].start);
		ms_binbuf_u64(&bb, &files[i].end);
		ms_binbuf_u64(&bb, &pgoff);
		if (files[i].end < files[i].start ||
		    pgoff > UINT64_MAX / page_size) {
			free(files);
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s: NT_FILE entry %llu is malformed",
					       name, (unsigned long long)i);
		}
		files[i].offset = pgoff * page_size;
	}
	size_t slen = ms_binbuf_left(&bb);
	char *strings = malloc(slen + 1);
	if (!strings) {
		free(files);
		return &ms_enomem;
	}
	memcpy(strings, bb.pos, slen);
	strings[slen] = '\0';
	char *p = strings, *end = strings + slen;
	for (uint64_t i = 0; i < count; i++) {
		if (p >= end) {
			free(files);
			free(strings);
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s: NT_FILE note at 0x%llx has %llu paths for %llu mappings",
					       name, (unsigned long long)off,
					       (unsigned long long)i,
					       (unsigned long long)count);
		}
		files[i].path = p;
		p += strlen(p) + 1;
	}
	free(notes->files);
	free(notes->file_strings);
	notes->files = files;
	notes->n_files = count;
	notes->file_page_size = page_size;
	notes->file_strings = strings;
	return NULL;
}

struct ms_error *ms_core_notes_parse(struct ms_core_notes *notes,
				     const void *buf, size_t len,
				     const char *name, uint64_t base)
{
	struct ms_binbuf bb;
	ms_binbuf_init(&bb, buf, len, name, base);
	while (ms_binbuf_left(&bb) > 0) {
		uint64_t off = ms_binbuf_offset(&bb);
		uint32_t namesz = 0, descsz = 0, type = 0;
		struct ms_error *err;
		if ((err = ms_binbuf_u32(&bb, &namesz)) ||
		    (err = ms_binbuf_u32(&bb, &descsz)) ||
		    (err = ms_binbuf_u32(&bb, &type))) {
			ms_error_destroy(err);
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s: truncated note header at 0x%llx",
					       name, (unsigned long long)off);
		}
		// Every real note has an owner name; an all-zero header means
		// the notes were overwritten.
		if (namesz == 0 && descsz == 0 && type == 0)
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s: zeroed note header at 0x%llx: the notes are damaged",
					       name, (unsigned long long)off);
		const uint8_t *nm = NULL, *desc = NULL;
		uint64_t namepad = ((uint64_t)namesz + 3) & ~(uint64_t)3;
		uint64_t descpad = ((uint64_t)descsz + 3) & ~(uint64_t)3;
		if ((err = ms_binbuf_ref(&bb, &nm, namepad)) ||
		    (err = ms_binbuf_ref(&bb, &desc, descsz))) {
			ms_error_destroy(err);
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s: note at 0x%llx (type 0x%x, %u + %u bytes) runs past the end of the notes",
					       name, (unsigned long long)off, type,
					       namesz, descsz);
		}
		// The last note may lack its tail padding.
		size_t pad = descpad - descsz;
		bb.pos += pad < ms_binbuf_left(&bb) ? pad : ms_binbuf_left(&bb);
		if (namesz != 5 || memcmp(nm, "CORE", 5) != 0)
			continue;
		switch (type) {
		case CORE_NT_PRSTATUS:
			err = parse_prstatus(notes, desc, descsz, name, off);
			break;
		case CORE_NT_PRPSINFO:
			err = parse_prpsinfo(notes, desc, descsz, name, off);
			break;
		case CORE_NT_SIGINFO:
			err = parse_siginfo(notes, desc, descsz, name, off);
			break;
		case CORE_NT_AUXV:
			err = parse_auxv(notes, desc, descsz);
			break;
		case CORE_NT_FILE:
			err = parse_file(notes, desc, descsz, name, off);
			break;
		default:
			break;
		}
		if (err)
			return err;
	}
	return NULL;
}

bool ms_core_notes_auxv(const struct ms_core_notes *notes, uint64_t type,
			uint64_t *ret)
{
	for (size_t i = 0; i < notes->n_auxv; i++) {
		if (notes->auxv[i][0] == type) {
			*ret = notes->auxv[i][1];
			return true;
		}
	}
	return false;
}

struct ms_error *ms_core_bytes(const struct ms_core *core, uint64_t offset,
			       size_t len, const uint8_t **ret)
{
	if (offset > core->size || len > core->size - offset)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: truncated: need %zu bytes at offset 0x%llx, file has 0x%zx",
				       core->path, len,
				       (unsigned long long)offset, core->size);
	*ret = core->image + offset;
	return NULL;
}

static int segment_cmp(const void *a, const void *b)
{
	const struct ms_core_segment *x = a, *y = b;
	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_386: return "i386";
	case EM_ARM: return "ARM";
	case EM_AARCH64: return "AArch64";
	case EM_PPC64: return "PowerPC64";
	case EM_S390: return "s390";
	case EM_RISCV: return "RISC-V";
	case EM_MIPS: return "MIPS";
	default: return "unknown";
	}
}

static const char *etype_name(unsigned t)
{
	switch (t) {
	case ET_NONE: return "none";
	case ET_REL: return "relocatable object";
	case ET_EXEC: return "executable";
	case ET_DYN: return "shared object or PIE";
	default: return "unknown";
	}
}

// Check the ELF header by hand first so that short files get a precise message.
static struct ms_error *check_header(struct ms_core *core)
{
	const uint8_t *id = core->image;
	if (core->size < 4 || memcmp(id, ELFMAG, SELFMAG) != 0)
		return ms_error_create(MS_ERR_BAD_DATA, "%s: not an ELF file",
				       core->path);
	if (core->size < EI_NIDENT || core->size < sizeof(Elf64_Ehdr))
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: truncated ELF header (%zu bytes)",
				       core->path, core->size);
	if (id[EI_CLASS] != ELFCLASS64)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "%s: %s ELF file; only 64-bit x86-64 cores are supported",
				       core->path,
				       id[EI_CLASS] == ELFCLASS32 ? "32-bit" : "unknown class of");
	if (id[EI_DATA] != ELFDATA2LSB)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "%s: big-endian ELF file; only x86-64 cores are supported",
				       core->path);
	GElf_Ehdr ehdr;
	if (!gelf_getehdr(core->elf, &ehdr))
		return ms_error_libelf(core->path);
	if (ehdr.e_type != ET_CORE)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: not a core file (ELF type: %s)",
				       core->path, etype_name(ehdr.e_type));
	if (ehdr.e_machine != EM_X86_64)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "%s: core of another machine (%s, e_machine %u); only x86-64 is supported",
				       core->path, machine_name(ehdr.e_machine),
				       ehdr.e_machine);
	if (ehdr.e_phnum != PN_XNUM && ehdr.e_phnum > 0 &&
	    ehdr.e_phentsize != sizeof(Elf64_Phdr))
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: program header entries of %u bytes, expected %zu",
				       core->path, ehdr.e_phentsize,
				       sizeof(Elf64_Phdr));
	return NULL;
}

/*
 * In salvage mode, notes that cannot be used are dropped instead of
 * refusing the core: @p err says why, and becomes core->notes_lost.
 * @return NULL when salvaged, else @p err.
 */
static struct ms_error *lose_notes(struct ms_core *core, bool salvage,
				   struct ms_error *err)
{
	if (!salvage || err == &ms_enomem)
		return err;
	if (!core->notes_lost) {
		core->notes_lost = strdup(err->message);
		if (!core->notes_lost) {
			ms_error_destroy(err);
			return &ms_enomem;
		}
	}
	ms_error_destroy(err);
	// Half-parsed notes are not trusted: all or nothing.
	ms_core_notes_deinit(&core->notes);
	ms_core_notes_init(&core->notes);
	return NULL;
}

static struct ms_error *read_phdrs(struct ms_core *core, bool salvage)
{
	GElf_Ehdr ehdr;
	if (!gelf_getehdr(core->elf, &ehdr))
		return ms_error_libelf(core->path);
	// Check the bounds ourselves: libelf's errors for program headers
	// past the end of a cut file do not say so.
	size_t phnum = ehdr.e_phnum;
	if (phnum == PN_XNUM && elf_getphdrnum(core->elf, &phnum) != 0)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: cannot count program headers: %s",
				       core->path, elf_errmsg(-1));
	if (phnum == 0)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: core has no program headers",
				       core->path);
	if (ehdr.e_phoff > core->size ||
	    phnum > (core->size - ehdr.e_phoff) / sizeof(Elf64_Phdr))
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: truncated program headers: %zu entries at 0x%llx, file is 0x%zx bytes",
				       core->path, phnum,
				       (unsigned long long)ehdr.e_phoff, core->size);
	core->segments = calloc(phnum, sizeof(*core->segments));
	if (!core->segments)
		return &ms_enomem;
	size_t n_notes = 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr phdr;
		if (!gelf_getphdr(core->elf, (int)i, &phdr))
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s: cannot read program header %zu: %s",
					       core->path, i, elf_errmsg(-1));
		if (phdr.p_type == PT_NOTE) {
			const uint8_t *buf = NULL;
			struct ms_error *err =
				ms_core_bytes(core, phdr.p_offset, phdr.p_filesz, &buf);
			if (err) {
				ms_error_destroy(err);
				err = ms_error_create(MS_ERR_BAD_DATA,
						      "%s: truncated notes: PT_NOTE of 0x%llx bytes at 0x%llx, file is 0x%zx bytes",
						      core->path,
						      (unsigned long long)phdr.p_filesz,
						      (unsigned long long)phdr.p_offset,
						      core->size);
			} else if (!core->notes_lost) {
				err = ms_core_notes_parse(&core->notes, buf, phdr.p_filesz,
							  core->path, phdr.p_offset);
			}
			n_notes++;
			if (err && (err = lose_notes(core, salvage, err)))
				return err;
		} else if (phdr.p_type == PT_LOAD) {
			if (phdr.p_memsz == 0)
				continue;
			if (phdr.p_vaddr + phdr.p_memsz < phdr.p_vaddr)
				return ms_error_create(MS_ERR_BAD_DATA,
						       "%s: PT_LOAD %zu wraps around the address space",
						       core->path, i);
			struct ms_core_segment *s = &core->segments[core->n_segments++];
			s->vaddr = phdr.p_vaddr;
			s->memsz = phdr.p_memsz;
			s->offset = phdr.p_offset;
			s->filesz = phdr.p_filesz < phdr.p_memsz ? phdr.p_filesz : phdr.p_memsz;
			s->flags = phdr.p_flags & (PF_R | PF_W | PF_X);
		}
	}
	struct ms_error *err = NULL;
	if (n_notes == 0)
		err = ms_error_create(MS_ERR_BAD_DATA, "%s: core has no PT_NOTE",
				      core->path);
	else if (core->notes.n_threads == 0 && !core->notes_lost)
		err = ms_error_create(MS_ERR_BAD_DATA,
				      "%s: no thread (NT_PRSTATUS) in the notes: they are missing or damaged",
				      core->path);
	if (err && (err = lose_notes(core, salvage, err)))
		return err;
	qsort(core->segments, core->n_segments, sizeof(*core->segments),
	      segment_cmp);
	for (size_t i = 1; i < core->n_segments; i++) {
		struct ms_core_segment *a = &core->segments[i - 1];
		if (a->vaddr + a->memsz > core->segments[i].vaddr)
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s: PT_LOAD segments overlap at 0x%llx",
					       core->path,
					       (unsigned long long)core->segments[i].vaddr);
	}
	return NULL;
}

// A compressed core (systemd-coredump stores zstd) is decompressed once
// into a sparse temporary file, which then stands in for it.
static struct ms_error *decompress_if_needed(struct ms_core *core)
{
	uint8_t magic[8];
	ssize_t n = pread(core->fd, magic, sizeof(magic), 0);
	if (n < 0)
		return ms_error_os(errno, core->path, "cannot read");
	enum ms_codec codec = ms_codec_detect(magic, (size_t)n);
	if (codec == MS_CODEC_NONE)
		return NULL;
	int fd;
	struct ms_error *err = ms_decompress_to_tmpfile(core->fd, core->path,
						       codec, &fd);
	if (err)
		return err;
	close(core->fd);
	core->fd = fd;
	return NULL;
}

struct ms_error *ms_core_open(const char *path, struct ms_core **ret)
{
	return ms_core_open_salvage(path, false, ret);
}

struct ms_error *ms_core_open_salvage(const char *path, bool salvage,
				      struct ms_core **ret)
{
	int fd;
	struct ms_error *err = ms_file_open(path, &fd);
	if (err)
		return err;
	return ms_core_open_fd(path, fd, salvage, ret);
}

struct ms_error *ms_core_open_fd(const char *path, int fd, bool salvage,
				 struct ms_core **ret)
{
	struct ms_error *err;
	struct ms_core *core = calloc(1, sizeof(*core));
	if (!core) {
		close(fd);
		return &ms_enomem;
	}
	core->fd = fd;
	ms_core_notes_init(&core->notes);
	core->path = strdup(path);
	if (!core->path) {
		err = &ms_enomem;
		goto out;
	}
	struct stat st;
	if (fstat(core->fd, &st) < 0) {
		err = ms_error_os(errno, path, "cannot stat");
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = ms_error_create(MS_ERR_BAD_DATA, "%s: not a regular file", path);
		goto out;
	}
	if ((err = decompress_if_needed(core)))
		goto out;
	elf_version(EV_CURRENT);
	core->elf = elf_begin(core->fd, ELF_C_READ_MMAP, NULL);
	if (!core->elf) {
		err = ms_error_libelf(path);
		goto out;
	}
	core->image = (const uint8_t *)elf_rawfile(core->elf, &core->size);
	if (!core->image)
		core->size = 0;
	if ((err = check_header(core)) || (err = read_phdrs(core, salvage)))
		goto out;
	*ret = core;
	return NULL;

out:
	ms_core_destroy(core);
	return err;
}

void ms_core_destroy(struct ms_core *core)
{
	if (!core)
		return;
	ms_core_notes_deinit(&core->notes);
	free(core->notes_lost);
	free(core->segments);
	if (core->elf)
		elf_end(core->elf);
	if (core->fd >= 0)
		close(core->fd);
	free(core->path);
	free(core);
}

const char *ms_signal_name(int signo)
{
	static const char *const names[] = {
		[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL",
		[5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
		[9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
		[13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [16] = "SIGSTKFLT",
		[17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP",
		[21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG", [24] = "SIGXCPU",
		[25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
		[29] = "SIGIO", [30] = "SIGPWR", [31] = "SIGSYS",
	};
	if (signo > 0 && (size_t)signo < sizeof(names) / sizeof(names[0]))
		return names[signo];
	return NULL;
}
