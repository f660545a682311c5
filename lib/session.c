/* A core file opened with its executable and plugins: memory, modules, Go runtime facts, address classification, crash. */
#include "config.h"

#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binbuf.h"
#include "buildinfo.h"
#include "dwarf_index.h"
#include "file.h"
#include "goroutine.h"
#include "map_layout.h"
#include "session.h"
#include "strlist.h"

struct ms_session {
	struct ms_session_options opts;
	struct ms_core *core;
	struct ms_addrspace as;

	struct ms_module **modules;
	size_t n_modules;
	// Modules by start address, with the largest end up to each one, for
	// ms_session_module_at() in O(log n) (built once the list is final).
	struct module_span *spans;
	size_t *with_file;	/**< indices of modules with a file, in order */
	size_t n_with_file;
	size_t *go_mods;	/**< indices of Go modules, in order */
	size_t n_go_mods;
	struct ms_module *exe;
	struct ms_module *runtime;

	char *go_version_full;
	struct ms_go_version go;
	bool have_go;
	char go_base[32];
	char go_experiments[128];
	/** Why facts are missing for a release without tables, or NULL. */
	char *go_unknown;
	struct ms_go_layout layout;
	uint64_t firstmoduledata;
	const char *firstmoduledata_how;
	struct ms_go_moduledata *mds;
	size_t n_mds;

	struct ms_heap heap;
	bool have_heap;

	bool anon_saved;	/**< the core holds anonymous memory (coredump_filter bit 0) */
	char **losses;		/**< what could not be examined (results partial) */
	size_t n_losses;
	char **guesses;		/**< facts had another way, and other remarks */
	size_t n_guesses;

	struct ms_core_thread *threads;	/**< crashing thread first */
	struct ms_process process;
	struct ms_crash crash;
};

// Missing files warned about by name; the rest are counted in one line.
enum { MAX_MISSING_SAID = 5 };

struct module_span {
	uint64_t start, end, max_end;
	size_t index;		/**< in s->modules */
};

// Module bookkeeping during open, parallel to s->modules.
struct module_seed {
	uint64_t base;		/**< start of the mapping at file offset 0 */
	bool elf_in_memory;	/**< the ELF header was readable from the core */
	bool mismatch_fatal_checked;
	char *mismatch_path;	/**< first candidate with another build id */
	char *mismatch_id;
};

static void warnf(struct ms_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warnf(struct ms_session *s, const char *fmt, ...)
{
	if (!s->opts.warn)
		return;
	char *msg = NULL;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r >= 0)
		s->opts.warn(s->opts.warn_arg, msg);
	free(msg);
}

enum { MAX_LINES = 64 };	// lost and guessed lines kept; a damaged core repeats itself

static void lossf(struct ms_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

// Record something the tool could not examine: the results are partial.
static void lossf(struct ms_session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ms_strlist_addv(&s->losses, &s->n_losses, MAX_LINES, fmt, ap);
	va_end(ap);
}

static void guessf(struct ms_session *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

// Record a fact that was had another way than the usual one.
static void guessf(struct ms_session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ms_strlist_addv(&s->guesses, &s->n_guesses, MAX_LINES, fmt, ap);
	va_end(ap);
}

// Pass an error on as a warning, with context, and free it.
static void warn_error(struct ms_session *s, struct ms_error *err,
		       const char *what)
{
	if (!err)
		return;
	warnf(s, "%s: %s", what, err->message);
	ms_error_destroy(err);
}

static bool read_ok(struct ms_session *s, uint64_t addr, void *buf, size_t len)
{
	struct ms_error *err = ms_addrspace_read(&s->as, addr, buf, len);
	ms_error_destroy(err);
	return !err;
}

/* ---- modules ---- */

static struct ms_error *add_module(struct ms_session *s, struct ms_module *mod)
{
	// Doubling: a core may name 100,000 files.
	size_t n = s->n_modules;
	if ((n & (n - 1)) == 0) {
		struct ms_module **m = realloc(s->modules, (n ? 2 * n : 8) * sizeof(*m));
		if (!m)
			return &ms_enomem;
		s->modules = m;
	}
	s->modules[s->n_modules++] = mod;
	return NULL;
}

// FNV-1a, for the path table of discover_modules().
static size_t path_hash(const char *p)
{
	uint64_t h = 0xcbf29ce484222325;
	for (; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3;
	return (size_t)(h ^ (h >> 32));
}

// The path to look for: NT_FILE marks files deleted since they were mapped.
static char *lookup_path(const char *core_path)
{
	static const char deleted[] = " (deleted)";
	size_t n = strlen(core_path), d = sizeof(deleted) - 1;
	if (n > d && strcmp(core_path + n - d, deleted) == 0)
		n -= d;
	return strndup(core_path, n);
}

/*
 * Read an ELF image's header and program headers from the core's memory
 * (the kernel dumps the first page of file mappings that start with an ELF
 * header, coredump_filter bit 4): its load bias and build id.
 */
static void module_from_memory(struct ms_session *s, struct ms_module *mod,
			       struct module_seed *seed)
{
	uint8_t eh[64];
	if (!read_ok(s, seed->base, eh, sizeof(eh)) ||
	    memcmp(eh, ELFMAG, SELFMAG) != 0 || eh[EI_CLASS] != ELFCLASS64)
		return;
	seed->elf_in_memory = true;
	uint64_t phoff = ms_load_u64(eh + 32);
	uint16_t phentsize = ms_load_u16(eh + 54), phnum = ms_load_u16(eh + 56);
	if (phentsize != sizeof(Elf64_Phdr) || phnum == 0 || phnum > 256)
		return;
	uint8_t ph[256 * sizeof(Elf64_Phdr)];
	if (!read_ok(s, seed->base + phoff, ph, (size_t)phnum * phentsize))
		return;
	bool have_bias = false;
	for (size_t i = 0; i < phnum; i++) {
		const uint8_t *p = ph + i * phentsize;
		if (ms_load_u32(p) == PT_LOAD && ms_load_u64(p + 8) == 0) {
			mod->bias = seed->base - (ms_load_u64(p + 16) & ~(uint64_t)0xfff);
			have_bias = true;
			break;
		}
	}
	if (!have_bias)
		return;
	for (size_t i = 0; i < phnum; i++) {
		const uint8_t *p = ph + i * phentsize;
		if (ms_load_u32(p) != PT_NOTE)
			continue;
		uint64_t vaddr = ms_load_u64(p + 16) + mod->bias;
		uint64_t memsz = ms_load_u64(p + 40);
		if (memsz == 0 || memsz > 0x10000)
			continue;
		uint8_t *buf = malloc(memsz);
		if (!buf)
			return;
		if (read_ok(s, vaddr, buf, memsz)) {
			struct ms_error *err = ms_build_ids_add_notes(&mod->core_ids, buf, memsz);
			ms_error_destroy(err);
		}
		free(buf);
	}
	mod->go_build_id = mod->core_ids.go != NULL;
	const char *best = ms_build_ids_best(&mod->core_ids);
	if (best) {
		free(mod->build_id);
		mod->build_id = strdup(best);
	}
}

/*
 * The load bias of a position-independent @p mod whose mapping the core
 * does not name (no NT_FILE, no AT_ENTRY): a core segment that starts with
 * the file's own ELF header (the kernel saves the first page of ELF
 * mappings), else the one place where every PT_LOAD of the file lands on a
 * core segment of the same permissions.
 */
static bool bias_from_layout(struct ms_session *s, struct ms_module *mod,
			     uint64_t *ret, const char **how)
{
	size_t phnum = 0;
	if (elf_getphdrnum(mod->elf, &phnum) != 0 || phnum == 0 || phnum > 256)
		return false;
	GElf_Phdr loads[256];
	size_t n = 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(mod->elf, (int)i, &ph) && ph.p_type == PT_LOAD && ph.p_memsz)
			loads[n++] = ph;
	}
	if (!n || !mod->image || mod->image_size < sizeof(Elf64_Ehdr))
		return false;
	uint64_t first = loads[0].p_vaddr & ~(uint64_t)0xfff;
	for (size_t i = 0; i < s->as.n_segments; i++) {
		const struct ms_segment *seg = &s->as.segments[i];
		uint8_t eh[sizeof(Elf64_Ehdr)];
		if (seg->dumped >= sizeof(eh) && read_ok(s, seg->start, eh, sizeof(eh)) &&
		    memcmp(eh, mod->image, sizeof(eh)) == 0) {
			*ret = seg->start - first;
			*how = "a saved page holding its ELF header";
			return true;
		}
	}
	uint64_t found = 0;
	size_t matches = 0;
	for (size_t i = 0; i < s->as.n_segments && matches < 2; i++) {
		uint64_t bias = s->as.segments[i].start - first;
		bool all = true;
		for (size_t j = 0; j < n && all; j++) {
			const struct ms_segment *seg =
				ms_addrspace_find(&s->as, (loads[j].p_vaddr & ~(uint64_t)0xfff) + bias);
			all = seg && seg->start == (loads[j].p_vaddr & ~(uint64_t)0xfff) + bias &&
			      (seg->perms & (PF_W | PF_X)) == (loads[j].p_flags & (PF_W | PF_X));
		}
		if (all && (!matches || bias != found)) {
			found = bias;
			matches++;
		}
	}
	if (matches != 1)
		return false;
	*ret = found;
	*how = "the one place its PT_LOADs fit the core's segments";
	return true;
}

// Load bias from the file's program headers when the core lacks the header page.
static void bias_from_file(struct ms_session *s, struct ms_module *mod,
			   const struct module_seed *seed)
{
	unsigned type;
	uint64_t entry, at_entry;
	if (!ms_module_elf_header(mod, &type, &entry))
		return;
	if (mod == s->exe && ms_core_notes_auxv(&s->core->notes, AT_ENTRY, &at_entry)) {
		mod->bias = type == ET_DYN ? at_entry - entry : 0;
		return;
	}
	if (type == ET_EXEC) {
		// Fixed addresses: nothing to guess.
		mod->bias = 0;
		return;
	}
	size_t phnum = 0;
	if (seed->base && elf_getphdrnum(mod->elf, &phnum) == 0) {
		for (size_t i = 0; i < phnum; i++) {
			GElf_Phdr phdr;
			if (gelf_getphdr(mod->elf, (int)i, &phdr) && phdr.p_type == PT_LOAD &&
			    phdr.p_offset == 0) {
				mod->bias = seed->base - (phdr.p_vaddr & ~(uint64_t)0xfff);
				return;
			}
		}
	}
	// No AT_ENTRY and no file mapping to go by (notes lost or short).
	const char *how;
	uint64_t bias;
	if (bias_from_layout(s, mod, &bias, &how)) {
		mod->bias = bias;
		guessf(s, "load bias of %s guessed as 0x%llx from %s (no AT_ENTRY in the core)",
		       mod->file_path ? mod->file_path : mod->core_path,
		       (unsigned long long)bias, how);
	} else {
		lossf(s, "load bias of %s unknown (no AT_ENTRY, and its PT_LOADs fit the core nowhere or in several places): its addresses may be wrong",
		      mod->file_path ? mod->file_path : mod->core_path);
	}
}

/*
 * What is wrong with a module's file, in a few words, or NULL when its
 * ELF header, program headers and section headers all lie inside it and
 * agree with it. A file cut short (a copy that stopped, a full disk) or
 * whose section header table was overwritten would otherwise read as an
 * image without Go: no build info, no DWARF, no map layout.
 */
static const char *file_damage(struct ms_module *mod, char *buf, size_t size)
{
	uint64_t fsize = mod->image_size;
	GElf_Ehdr eh;
	if (!mod->elf || elf_kind(mod->elf) != ELF_K_ELF || !gelf_getehdr(mod->elf, &eh)) {
		snprintf(buf, size, "not an ELF file, or its ELF header is cut short (%llu bytes)",
			 (unsigned long long)fsize);
		return buf;
	}
	if (eh.e_phnum && (eh.e_phoff > fsize ||
			   (uint64_t)eh.e_phnum * eh.e_phentsize > fsize - eh.e_phoff)) {
		snprintf(buf, size, "program headers at 0x%llx lie past the end of the file (%llu bytes): truncated",
			 (unsigned long long)eh.e_phoff, (unsigned long long)fsize);
		return buf;
	}
	for (size_t i = 0; i < eh.e_phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(mod->elf, (int)i, &ph)) {
			snprintf(buf, size, "program header %zu unreadable", i);
			return buf;
		}
		if (ph.p_type == PT_LOAD && (ph.p_offset > fsize || ph.p_filesz > fsize - ph.p_offset)) {
			snprintf(buf, size, "PT_LOAD %zu (0x%llx bytes at 0x%llx) ends past the end of the file (%llu bytes): truncated",
				 i, (unsigned long long)ph.p_filesz,
				 (unsigned long long)ph.p_offset, (unsigned long long)fsize);
			return buf;
		}
	}
	if (eh.e_shoff == 0)
		return NULL;	// no section headers at all (sstrip): the rest is checked by use
	size_t shnum = 0, shstrndx = 0;
	if (eh.e_shoff > fsize || eh.e_shentsize != sizeof(Elf64_Shdr) ||
	    elf_getshdrnum(mod->elf, &shnum) != 0 ||
	    shnum * sizeof(Elf64_Shdr) > fsize - eh.e_shoff) {
		snprintf(buf, size, "section header table at 0x%llx (%u entries of %u bytes) does not fit the file (%llu bytes): truncated or damaged",
			 (unsigned long long)eh.e_shoff, eh.e_shnum, eh.e_shentsize,
			 (unsigned long long)fsize);
		return buf;
	}
	if (elf_getshdrstrndx(mod->elf, &shstrndx) != 0 || (shnum && shstrndx >= shnum)) {
		snprintf(buf, size, "damaged section header table: the section names are in section %zu of %zu",
			 shstrndx, shnum);
		return buf;
	}
	for (size_t i = 1; i < shnum; i++) {
		GElf_Shdr sh;
		Elf_Scn *scn = elf_getscn(mod->elf, i);
		if (!scn || !gelf_getshdr(scn, &sh)) {
			snprintf(buf, size, "damaged section header table: section %zu unreadable", i);
			return buf;
		}
		if (sh.sh_type != SHT_NOBITS && sh.sh_type != SHT_NULL &&
		    (sh.sh_offset > fsize || sh.sh_size > fsize - sh.sh_offset)) {
			const char *name = elf_strptr(mod->elf, shstrndx, sh.sh_name);
			snprintf(buf, size, "section %zu (%s, 0x%llx bytes at 0x%llx) ends past the end of the file (%llu bytes): truncated or damaged",
				 i, name ? name : "?", (unsigned long long)sh.sh_size,
				 (unsigned long long)sh.sh_offset, (unsigned long long)fsize);
			return buf;
		}
	}
	return NULL;
}

static char *join_path(const char *dir, const char *name)
{
	char *p = NULL;
	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return NULL;
	return p;
}

/*
 * The module's file from a debuginfod server, by the GNU build id the core
 * holds (Go binaries have one from Go 1.24 on). What goes wrong is a
 * warning: the file stays missing or mismatched as it was.
 */
static struct ms_error *fetch_by_build_id(struct ms_session *s, struct ms_module *mod)
{
	const char *id = mod->core_ids.gnu;
	const char *urls = getenv("DEBUGINFOD_URLS");
	if (!id || !urls || !*urls)
		return NULL;
	char *path = NULL;
	struct ms_error *e = ms_debuginfod_find_executable(id, s->opts.debuginfod_progress,
							  s->opts.debuginfod_progress_arg, &path);
	if (e) {
		if (e->code == MS_ERR_NOMEM)
			return e;
		warnf(s, "%s: not fetched: %s", mod->core_path, e->message);
		ms_error_destroy(e);
		return NULL;
	}
	if ((e = ms_module_open_file(mod, path))) {
		warnf(s, "%s: the file debuginfod gave (%s) is unusable: %s", mod->core_path,
		      path, e->message);
		ms_error_destroy(e);
		free(path);
		return NULL;
	}
	int match = ms_build_ids_match(&mod->core_ids, &mod->file_ids);
	if (match == 0) {
		warnf(s, "%s: debuginfod gave %s with build id %s, not %s; not used",
		      mod->core_path, path, mod->file_build_id, id);
		ms_module_close_file(mod);
	} else {
		mod->status = MS_MODULE_FOUND;
		mod->build_id_checked = match == 1;
	}
	free(path);
	return NULL;
}

/*
 * Find the module's file like gdb: under --sysroot, at the recorded path,
 * then by file name in each --solib-search directory. The first file whose
 * build id matches (or cannot be compared) wins; a file with another build
 * id is remembered for the error message.
 */
static struct ms_error *find_file(struct ms_session *s, struct ms_module *mod,
				  struct module_seed *seed, const char *given)
{
	char *want = lookup_path(mod->core_path);
	if (!want)
		return &ms_enomem;
	const char *base = strrchr(want, '/') ? strrchr(want, '/') + 1 : want;
	size_t max = 2 + s->opts.n_solib_search;
	char **cands = calloc(max, sizeof(*cands));
	if (!cands) {
		free(want);
		return &ms_enomem;
	}
	size_t n = 0;
	if (given) {
		cands[n++] = strdup(given);
	} else {
		// As in gdb, a sysroot replaces the root: the recorded path
		// itself is then not tried.
		// Under a sysroot the recorded path is looked up inside it
		// and cannot leave it (ms_file_open_under); cands[0] is then
		// only the name shown.
		if (s->opts.sysroot)
			cands[n++] = join_path(s->opts.sysroot, want[0] == '/' ? want + 1 : want);
		else
			cands[n++] = strdup(want);
		for (size_t i = 0; i < s->opts.n_solib_search; i++)
			cands[n++] = join_path(s->opts.solib_search[i], base);
	}
	struct ms_error *err = NULL;
	for (size_t i = 0; i < n && mod->status != MS_MODULE_FOUND; i++) {
		if (!cands[i]) {
			err = &ms_enomem;
			break;
		}
		struct ms_error *e;
		if (i == 0 && !given && s->opts.sysroot) {
			int fd;
			ms_module_close_file(mod);
			e = ms_file_open_under(s->opts.sysroot, want, &fd);
			if (!e)
				e = ms_module_open_fd(mod, fd, cands[i]);
		} else {
			e = ms_module_open_file(mod, cands[i]);
		}
		if (e) {
			// A FIFO or device named by the core is skipped, and said.
			if (!given && ms_file_error_not_regular(e))
				warnf(s, "%s: skipped", e->message);
			// A file given on the command line must be usable.
			if (given) {
				err = e;
				break;
			}
			ms_error_destroy(e);
			continue;
		}
		int match = ms_build_ids_match(&mod->core_ids, &mod->file_ids);
		if (match == 0) {
			if (!seed->mismatch_path) {
				seed->mismatch_path = strdup(cands[i]);
				seed->mismatch_id = strdup(mod->file_build_id);
			}
			ms_module_close_file(mod);
			continue;
		}
		mod->status = MS_MODULE_FOUND;
		mod->build_id_checked = match == 1;
	}
	if (!err && mod->status != MS_MODULE_FOUND && s->opts.debuginfod)
		err = fetch_by_build_id(s, mod);
	if (!err && mod->status != MS_MODULE_FOUND && seed->mismatch_path) {
		mod->status = MS_MODULE_MISMATCHED;
		free(mod->file_build_id);
		mod->file_build_id = seed->mismatch_id;
		seed->mismatch_id = NULL;
	}
	for (size_t i = 0; i < n; i++)
		free(cands[i]);
	free(cands);
	free(want);
	return err;
}

static struct ms_error *mismatch_error(struct ms_module *mod,
				       const struct module_seed *seed,
				       const char *what)
{
	return ms_error_create(MS_ERR_MISMATCH,
			       "%s: build id %s does not match the core's %s for %s %s (was the %s rebuilt?)",
			       seed->mismatch_path,
			       mod->file_build_id ? mod->file_build_id : "(none)",
			       mod->build_id, what, mod->core_path, what);
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/*
 * Tell the executable among the file mappings when the core has no
 * AT_ENTRY (NT_AUXV missing or short): the file given with --exe by name,
 * else the one mapping whose saved ELF header says ET_EXEC, else the name
 * the kernel recorded (NT_PRPSINFO pr_fname, 15 characters at most).
 */
static void exe_without_entry(struct ms_session *s, const struct module_seed *seeds)
{
	const char *how = NULL;
	struct ms_module *pick = NULL;
	if (s->opts.exe_path) {
		const char *want = base_name(s->opts.exe_path);
		size_t len = strlen(want);
		for (size_t i = 0; i < s->n_modules && !pick; i++) {
			// NT_FILE marks deleted files with " (deleted)".
			const char *b = base_name(s->modules[i]->core_path);
			if (strncmp(b, want, len) == 0 && (b[len] == '\0' || b[len] == ' '))
				pick = s->modules[i];
		}
		how = "its name is --exe's";
	}
	if (!pick) {
		size_t n = 0;
		for (size_t i = 0; i < s->n_modules; i++) {
			uint8_t eh[18];
			if (seeds[i].base && read_ok(s, seeds[i].base, eh, sizeof(eh)) &&
			    memcmp(eh, ELFMAG, SELFMAG) == 0 && ms_load_u16(eh + 16) == ET_EXEC) {
				pick = s->modules[i];
				n++;
			}
		}
		if (n != 1)
			pick = NULL;
		how = "the only mapping whose ELF header says ET_EXEC";
	}
	const struct ms_core_notes *notes = &s->core->notes;
	if (!pick && notes->have_prpsinfo && notes->fname[0]) {
		size_t len = strlen(notes->fname);
		for (size_t i = 0; i < s->n_modules && !pick; i++)
			if (strncmp(base_name(s->modules[i]->core_path), notes->fname, len) == 0)
				pick = s->modules[i];
		how = "the command name the kernel recorded";
	}
	if (!pick)
		return;
	s->exe = pick;
	guessf(s, "the executable is %s: the core has no AT_ENTRY, %s", pick->core_path, how);
}

/*
 * One module per ELF file in NT_FILE, in note order (by address). The
 * executable is the file whose mapping holds AT_ENTRY.
 */
static struct ms_error *discover_modules(struct ms_session *s,
					 struct module_seed **seeds_ret)
{
	const struct ms_core_notes *notes = &s->core->notes;
	struct module_seed *seeds = calloc(notes->n_files + 2, sizeof(*seeds));
	if (!seeds)
		return &ms_enomem;
	*seeds_ret = seeds;
	uint64_t at_entry = 0;
	bool have_entry = ms_core_notes_auxv(notes, AT_ENTRY, &at_entry);
	struct ms_error *err;
	// Path -> module index + 1, open addressing: one lookup per note, not
	// one comparison with every module so far (100,000 paths took minutes).
	size_t cap = 16;
	while (cap < 2 * notes->n_files)
		cap *= 2;
	size_t *slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return &ms_enomem;
	for (size_t i = 0; i < notes->n_files; i++) {
		const struct ms_core_file_map *f = &notes->files[i];
		bool seen = false;
		size_t h = path_hash(f->path) & (cap - 1);
		while (slots[h] && strcmp(s->modules[slots[h] - 1]->core_path, f->path) != 0)
			h = (h + 1) & (cap - 1);
		if (slots[h]) {
			size_t j = slots[h] - 1;
			struct ms_module *m = s->modules[j];
			seen = true;
			if (f->start < m->start)
				m->start = f->start;
			if (f->end > m->end)
				m->end = f->end;
			if (f->offset == 0 && (!seeds[j].base || f->start < seeds[j].base))
				seeds[j].base = f->start;
			if (have_entry && at_entry >= f->start && at_entry < f->end)
				s->exe = m;
		}
		if (seen)
			continue;
		struct ms_module *mod;
		if ((err = ms_module_create(MS_MODULE_SHLIB, f->path, &mod))) {
			free(slots);
			return err;
		}
		mod->start = f->start;
		mod->end = f->end;
		seeds[s->n_modules].base = f->offset == 0 ? f->start : 0;
		if ((err = add_module(s, mod))) {
			ms_module_destroy(mod);
			free(slots);
			return err;
		}
		slots[h] = s->n_modules;
		if (have_entry && at_entry >= f->start && at_entry < f->end)
			s->exe = mod;
	}
	free(slots);
	if (!s->exe && s->n_modules)
		exe_without_entry(s, seeds);
	// Keep only ELF images: the header in memory says so, or (header page
	// not dumped) the path names an ELF we can open.
	size_t k = 0;
	for (size_t i = 0; i < s->n_modules; i++) {
		struct ms_module *mod = s->modules[i];
		struct module_seed seed = seeds[i];
		bool keep = seed.base != 0 || mod == s->exe;
		if (keep && seed.base) {
			uint8_t magic[4];
			struct ms_error *e = ms_addrspace_read(&s->as, seed.base, magic, 4);
			if (!e)
				keep = memcmp(magic, ELFMAG, SELFMAG) == 0 || mod == s->exe;
			else if (mod != s->exe)
				keep = strstr(mod->core_path, ".so") != NULL;
			ms_error_destroy(e);
		}
		if (!keep) {
			ms_module_destroy(mod);
			continue;
		}
		s->modules[k] = mod;
		seeds[k] = seed;
		k++;
	}
	s->n_modules = k;
	return NULL;
}

bool ms_session_never_written(const struct ms_session *s, uint64_t addr)
{
	const struct ms_segment *seg = ms_addrspace_find(&s->as, addr);
	return s->anon_saved && seg && seg->in_core && !seg->file_path &&
	       (seg->perms & PF_W) && addr - seg->start >= seg->dumped;
}

/*
 * The kernel leaves a private file mapping out of the core only when it
 * was never written, if coredump_filter has bit 0 (anonymous private
 * memory, set by default): the file then holds its bytes. Without bit 0
 * (a filter of 0, or a core that lost its memory), a writable mapping left
 * out may have been written: its file bytes are the program's initial
 * data, not its state (a map variable in .bss would read as nil). Whether
 * bit 0 was set shows in the anonymous writable memory: saved or not.
 */
static void distrust_written_files(struct ms_session *s)
{
	bool anon_saved = false, anon_seen = false;
	for (size_t i = 0; i < s->as.n_segments; i++) {
		const struct ms_segment *seg = &s->as.segments[i];
		if (!seg->in_core || seg->file_path || !(seg->perms & PF_W))
			continue;
		anon_seen = true;
		if (seg->dumped)
			anon_saved = true;
	}
	s->anon_saved = anon_saved;
	if (anon_saved || !anon_seen)
		return;
	size_t n = 0;
	for (size_t i = 0; i < s->as.n_segments; i++) {
		struct ms_segment *seg = &s->as.segments[i];
		if ((seg->perms & PF_W) && seg->file_read && seg->dumped < seg->end - seg->start) {
			seg->file_read = NULL;
			seg->file_arg = NULL;
			n++;
		}
	}
	if (n)
		guessf(s, "no anonymous memory is saved (coredump_filter without bit 0?): %zu writable file mapping%s left out %s not read from the files, whose bytes may be stale",
		       n, n == 1 ? "" : "s", n == 1 ? "is" : "are");
}

// The executable named by --exe when the core does not say which file it is.
static struct ms_error *exe_from_option(struct ms_session *s)
{
	struct ms_module *mod;
	struct ms_error *err = ms_module_create(MS_MODULE_EXE, s->opts.exe_path, &mod);
	if (err)
		return err;
	if ((err = add_module(s, mod))) {
		ms_module_destroy(mod);
		return err;
	}
	s->exe = mod;
	return NULL;
}

static struct ms_error *open_files(struct ms_session *s, struct module_seed *seeds)
{
	struct ms_error *err;
	for (size_t i = 0; i < s->n_modules; i++) {
		struct ms_module *mod = s->modules[i];
		if (seeds[i].base)
			module_from_memory(s, mod, &seeds[i]);
		const char *given = mod == s->exe ? s->opts.exe_path : NULL;
		if ((err = find_file(s, mod, &seeds[i], given)))
			return err;
		if (mod->status == MS_MODULE_FOUND && !seeds[i].elf_in_memory)
			bias_from_file(s, mod, &seeds[i]);
	}
	struct ms_module *exe = s->exe;
	size_t ei = 0;
	while (s->modules[ei] != exe)
		ei++;
	if (exe->status == MS_MODULE_MISMATCHED)
		return mismatch_error(exe, &seeds[ei], "executable");
	if (exe->status == MS_MODULE_MISSING)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "%s: executable not found (the core's file notes name it; give --exe)",
				       exe->core_path);
	// A damaged file is refused (the executable) or left out with a
	// loss (a shared object or plugin), never read as "no Go".
	char why[256];
	for (size_t i = 0; i < s->n_modules; i++) {
		struct ms_module *mod = s->modules[i];
		const char *bad;
		if (mod->status != MS_MODULE_FOUND || !(bad = file_damage(mod, why, sizeof(why))))
			continue;
		if (mod == exe)
			return ms_error_create(MS_ERR_BAD_DATA, "%s: %s", exe->file_path, bad);
		lossf(s, "%s is damaged (%s): not used; its global maps were not judged",
		      mod->file_path, bad);
		ms_module_close_file(mod);
		mod->status = MS_MODULE_MISSING;
	}
	// Without a build id in the core, at least the entry point must agree.
	unsigned type;
	uint64_t entry, at_entry;
	if (!exe->build_id_checked && ms_module_elf_header(exe, &type, &entry) &&
	    ms_core_notes_auxv(&s->core->notes, AT_ENTRY, &at_entry) &&
	    entry + exe->bias != at_entry)
		return ms_error_create(MS_ERR_MISMATCH,
				       "%s: entry point 0x%llx does not match the core's 0x%llx (wrong executable?)",
				       exe->file_path,
				       (unsigned long long)(entry + exe->bias),
				       (unsigned long long)at_entry);
	if (exe->start == exe->end && exe->elf) {
		// --exe for a core without file notes: span its PT_LOADs.
		size_t phnum = 0;
		elf_getphdrnum(exe->elf, &phnum);
		for (size_t i = 0; i < phnum; i++) {
			GElf_Phdr ph;
			if (!gelf_getphdr(exe->elf, (int)i, &ph) || ph.p_type != PT_LOAD)
				continue;
			uint64_t a = ph.p_vaddr + exe->bias, b = a + ph.p_memsz;
			if (exe->start == exe->end || a < exe->start)
				exe->start = a;
			if (b > exe->end)
				exe->end = b;
		}
	}
	for (size_t i = 0; i < s->n_modules; i++) {
		struct ms_module *mod = s->modules[i];
		if (mod->status == MS_MODULE_FOUND)
			ms_addrspace_set_file_reader(&s->as, mod->core_path,
						     ms_module_file_read, mod);
	}
	distrust_written_files(s);
	return NULL;
}

/* ---- Go runtime ---- */

static bool has_symbol(struct ms_module *mod, const char *name)
{
	uint64_t a;
	struct ms_error *err = ms_module_symbol(mod, name, &a, NULL);
	ms_error_destroy(err);
	return !err;
}

static bool has_section(struct ms_module *mod, const char *name)
{
	uint64_t a, n;
	const uint8_t *d;
	struct ms_error *err = ms_module_section(mod, name, &a, &n, &d);
	ms_error_destroy(err);
	return !err;
}

// The runtime lives in the executable, or in a Go c-shared library; a
// plugin's runtime symbols are unused copies (they carry local.moduledata).
static struct ms_module *find_runtime_module(struct ms_session *s)
{
	struct ms_module *exe = s->exe;
	if (exe->elf && (has_symbol(exe, "runtime.firstmoduledata") ||
			 has_section(exe, ".gopclntab") ||
			 has_section(exe, ".go.buildinfo")))
		return exe;
	for (size_t i = 0; i < s->n_modules; i++) {
		struct ms_module *mod = s->modules[i];
		if (mod != exe && mod->elf && has_symbol(mod, "runtime.firstmoduledata") &&
		    !has_symbol(mod, "local.moduledata"))
			return mod;
	}
	return NULL;
}

static void go_version(struct ms_session *s)
{
	struct ms_module *rt = s->runtime;
	char *v = NULL;
	struct ms_error *err = ms_buildinfo_read(rt->elf, &v);
	if (err) {
		ms_error_destroy(err);
		uint64_t addr;
		err = ms_module_symbol(rt, "runtime.buildVersion", &addr, NULL);
		if (!err)
			err = ms_go_read_string(&s->as, addr, 256, &v);
		if (err) {
			warn_error(s, err, "cannot tell the Go version");
			return;
		}
	}
	s->go_version_full = v;
	if (!ms_go_version_parse(v, &s->go)) {
		warnf(s, "%s: unrecognized Go version '%s'",
		      rt->file_path, v);
		return;
	}
	s->have_go = true;
	size_t n = strcspn(v, " ");
	const char *dx = strstr(v, "-X:");
	if (dx && (size_t)(dx - v) < n)
		n = (size_t)(dx - v);
	if (n >= sizeof(s->go_base))
		n = sizeof(s->go_base) - 1;
	memcpy(s->go_base, v, n);
	s->go_base[n] = '\0';
	const char *x = strstr(v, "X:");
	if (x) {
		snprintf(s->go_experiments, sizeof(s->go_experiments), "%.*s",
			 (int)strcspn(x + 2, " "), x + 2);
	}
}

// runtime.firstmoduledata: symbol, DWARF, 1.26's .go.module, or a scan.
static void find_firstmoduledata(struct ms_session *s)
{
	struct ms_module *rt = s->runtime;
	uint64_t addr = 0, size, pclntab, text;
	const uint8_t *d;
	struct ms_dwarf *dw;
	struct ms_error *err = ms_module_symbol(rt, "runtime.firstmoduledata", &addr, NULL);
	if (!err) {
		s->firstmoduledata = addr;
		s->firstmoduledata_how = "symbol";
		return;
	}
	ms_error_destroy(err);
	err = ms_module_dwarf(rt, &dw);
	if (!err)
		err = ms_dwarf_variable_address(dw, "runtime.firstmoduledata", &addr);
	if (!err) {
		s->firstmoduledata = addr + rt->bias;
		s->firstmoduledata_how = "dwarf";
		return;
	}
	ms_error_destroy(err);
	if (!s->layout.md.source && !s->layout.md.prefix_only)
		return;
	err = ms_module_section(rt, ".gopclntab", &pclntab, &size, &d);
	if (!err)
		err = ms_module_section(rt, ".text", &text, &size, &d);
	if (err) {
		ms_error_destroy(err);
		return;
	}
	// Go 1.26 puts the executable's moduledata at the start of .go.module.
	err = ms_module_section(rt, ".go.module", &addr, &size, &d);
	if (!err) {
		uint64_t v;
		if (read_ok(s, addr + s->layout.md.pcheader, &v, 8) &&
		    ms_load_u64(&v) == pclntab &&
		    ms_go_pcheader_matches(&s->as, pclntab, text)) {
			s->firstmoduledata = addr;
			s->firstmoduledata_how = ".go.module";
			return;
		}
	}
	ms_error_destroy(err);
	static const char *const where[] = { ".noptrdata", ".data" };
	for (size_t i = 0; i < 2; i++) {
		err = ms_module_section(rt, where[i], &addr, &size, &d);
		if (!err)
			err = ms_go_find_moduledata(&s->as, &s->layout.md, addr,
						    addr + size, pclntab, text,
						    &s->firstmoduledata);
		if (!err) {
			s->firstmoduledata_how = "pclntab scan";
			return;
		}
		ms_error_destroy(err);
	}
}

static struct ms_module *module_containing(struct ms_session *s, uint64_t addr)
{
	for (size_t i = 0; i < s->n_modules; i++) {
		struct ms_module *mod = s->modules[i];
		if (addr >= mod->start && addr < mod->end)
			return mod;
	}
	return NULL;
}

static void set_ranges(struct ms_module *mod, const struct ms_go_moduledata *md)
{
	mod->is_go = true;
	mod->moduledata = md->addr;
	mod->ranges[MS_SECTION_TEXT] = (struct ms_range){ md->text, md->etext };
	mod->ranges[MS_SECTION_TYPES] = (struct ms_range){ md->types, md->etypes };
	mod->ranges[MS_SECTION_NOPTRDATA] = (struct ms_range){ md->noptrdata, md->enoptrdata };
	mod->ranges[MS_SECTION_DATA] = (struct ms_range){ md->data, md->edata };
	mod->ranges[MS_SECTION_BSS] = (struct ms_range){ md->bss, md->ebss };
	mod->ranges[MS_SECTION_NOPTRBSS] = (struct ms_range){ md->noptrbss, md->enoptrbss };
	uint64_t a, n;
	const uint8_t *d;
	struct ms_error *err = ms_module_section(mod, ".rodata", &a, &n, &d);
	if (!err)
		mod->ranges[MS_SECTION_RODATA] = (struct ms_range){ a, a + n };
	else if (md->rodata && md->rodata <= md->types)
		mod->ranges[MS_SECTION_RODATA] = (struct ms_range){ md->rodata, md->etypes };
	ms_error_destroy(err);
}

// The runtime's pointer masks of the module's data and bss (bitvector
// {n int32; bytedata *uint8}); left 0 when the layout or the core lacks them.
static void read_masks(struct ms_session *s, struct ms_module *mod,
		       const struct ms_go_moduledata *md)
{
	const struct ms_moduledata_layout *l = &s->layout.md;
	if (l->prefix_only || !l->gcdatamask || !l->gcbssmask)
		return;
	uint64_t offs[2] = { l->gcdatamask, l->gcbssmask };
	uint64_t *ptr[2] = { &mod->datamask, &mod->bssmask };
	uint64_t *bits[2] = { &mod->datamask_bits, &mod->bssmask_bits };
	for (int i = 0; i < 2; i++) {
		uint8_t b[16];
		struct ms_error *err = ms_session_read(s, md->addr + offs[i], b, sizeof(b));
		if (err) {
			ms_error_destroy(err);
			continue;
		}
		*bits[i] = ms_load_u32(b);
		*ptr[i] = ms_load_u64(b + 8);
	}
}

static void walk_modules(struct ms_session *s)
{
	if (!s->firstmoduledata) {
		warnf(s, "%s: runtime.firstmoduledata not found: Go module ranges and plugin paths unknown",
		      s->runtime->file_path);
		lossf(s, "Go module list not found: the maps of plugins were not looked for");
		return;
	}
	struct ms_error *partial = NULL;
	struct ms_error *err = ms_go_moduledata_walk(&s->as, &s->layout.md,
						     s->firstmoduledata, &s->mds,
						     &s->n_mds, &partial);
	if (err) {
		lossf(s, "Go module list unreadable (%s): the maps of plugins were not looked for",
		      err->message);
		warn_error(s, err, "cannot read the Go module list");
		return;
	}
	if (partial)
		lossf(s, "Go module list cut short (%s): the maps of modules past it were not looked for",
		      partial->message);
	warn_error(s, partial, "Go module list cut short");
	for (size_t i = 0; i < s->n_mds; i++) {
		const struct ms_go_moduledata *md = &s->mds[i];
		struct ms_module *mod = i == 0 ? s->runtime : module_containing(s, md->text);
		if (!mod) {
			warnf(s, "Go module at 0x%llx (text 0x%llx, pluginpath '%s') is in no mapped file",
			      (unsigned long long)md->addr,
			      (unsigned long long)md->text,
			      md->pluginpath ? md->pluginpath : "?");
			continue;
		}
		set_ranges(mod, md);
		read_masks(s, mod, md);
		if (mod != s->exe && md->pluginpath_len > 0) {
			mod->kind = MS_MODULE_PLUGIN;
			free(mod->pluginpath);
			mod->pluginpath = md->pluginpath ? strdup(md->pluginpath) : NULL;
		}
	}
}

// The address of a global of the runtime module: from the symbol table,
// else from its DWARF (relocated by the module's bias).
static struct ms_error *runtime_global(struct ms_session *s, const char *name,
				       uint64_t *ret)
{
	uint64_t addr;
	struct ms_error *err = ms_module_symbol(s->runtime, name, &addr, NULL);
	if (err) {
		struct ms_dwarf *dw;
		ms_error_destroy(err);
		err = ms_module_dwarf(s->runtime, &dw);
		if (!err)
			err = ms_dwarf_variable_address(dw, name, &addr);
		if (!err)
			addr += s->runtime->bias;
	}
	if (!err)
		*ret = addr;
	return err;
}

struct ms_error *ms_session_runtime_global(struct ms_session *s,
					   const char *name, uint64_t *ret)
{
	if (!s->runtime)
		return ms_error_create(MS_ERR_NOT_FOUND, "no Go runtime module");
	return runtime_global(s, name, ret);
}

static void setup_heap(struct ms_session *s)
{
	uint64_t mheap;
	struct ms_error *err = runtime_global(s, "runtime.mheap_", &mheap);
	// Stripped: look for it in the bss the moduledata gave.
	const struct ms_range *bss = &s->runtime->ranges[MS_SECTION_BSS];
	if (err && bss->end > bss->start) {
		struct ms_error *e = ms_heap_find_mheap(&s->as, &s->layout.heap,
							bss->start, bss->end, &mheap);
		if (!e) {
			ms_error_destroy(err);
			err = NULL;
		} else if (e == &ms_enomem) {
			ms_error_destroy(err);
			err = e;
		} else {
			ms_error_destroy(e);
			err = ms_error_prefix(err, "no symbol, and no runtime.mheap_ in bss");
		}
	}
	if (!err)
		err = ms_heap_init(&s->heap, &s->as, &s->layout.heap, mheap);
	if (err) {
		lossf(s, "Go heap unreadable (%s): maps only the heap holds were not looked for",
		      err->message);
		warn_error(s, err, "Go heap unavailable (heap addresses will not be classified)");
		return;
	}
	s->have_heap = true;
}

// Append "; item" (or "item" first) to buf, truncating.
static void append_item(char *buf, size_t size, const char *item)
{
	size_t n = strlen(buf);
	if (n + 1 < size)
		snprintf(buf + n, size - n, "%s%s", n ? "; " : "", item);
}

// A release newer than the tables, without DWARF: say which facts are
// therefore missing, once, and remember it (the result is partial).
static void note_unknown_release(struct ms_session *s)
{
	const struct ms_go_layout *l = &s->layout;
	char missing[512] = "";
	if (!l->md.source)
		append_item(missing, sizeof(missing), l->md.prefix_only ?
			    "runtime.moduledata beyond its leading ranges (plugins, types, pointer masks)" :
			    "runtime.moduledata (module ranges)");
	if (!l->heap.source)
		append_item(missing, sizeof(missing),
			    "mheap/mspan (heap classification, the heap scan)");
	if (!l->g.source)
		append_item(missing, sizeof(missing),
			    "runtime.g (the stack scan, the faulting goroutine)");
	append_item(missing, sizeof(missing), "the map header (no map is found or judged)");
	if (asprintf(&s->go_unknown,
		     "%s is newer than the releases mapsleuth has built-in tables for "
		     "(go1.19 to go1.%d) and %s has no DWARF; missing: %s",
		     s->go_base, MS_GO_LAST_KNOWN_MINOR, s->runtime->file_path,
		     missing) < 0)
		s->go_unknown = NULL;
	if (s->go_unknown)
		warnf(s, "%s", s->go_unknown);
}

static void setup_go(struct ms_session *s)
{
	s->runtime = find_runtime_module(s);
	if (!s->runtime)
		return;
	go_version(s);
	struct ms_dwarf *dw = NULL;
	struct ms_error *err = ms_module_dwarf(s->runtime, &dw);
	if (err) {
		// No DWARF (a stripped binary) is ordinary; DWARF that is there
		// but cannot be read (it does not decompress, say) is said.
		if (err->code != MS_ERR_NOT_FOUND) {
			guessf(s, "DWARF of %s unusable (%s): layouts from the built-in tables of its Go version",
			       s->runtime->file_path, err->message);
			warnf(s, "%s: DWARF unusable, built-in layouts used: %s",
			      s->runtime->file_path, err->message);
		}
		ms_error_destroy(err);
		dw = NULL;
	}
	ms_go_layout_init(&s->layout, s->have_go ? &s->go : NULL, dw);
	if (!dw && s->have_go && s->go.major == 1 &&
	    s->go.minor > MS_GO_LAST_KNOWN_MINOR)
		note_unknown_release(s);
	else if (!s->layout.md.source)
		warnf(s, "no runtime.moduledata layout for %s", s->go_base);
	find_firstmoduledata(s);
	walk_modules(s);
	setup_heap(s);
}

/*
 * A module whose file was not found: a loss when it holds Go code (the Go
 * module list names a text range inside it, or there is no such list to
 * ask), a remark otherwise. Its global maps are known only from the
 * file's DWARF or symbols, so how many there are is unknown.
 */
static void missing_loss(struct ms_session *s, struct ms_module *mod)
{
	const char *name = strrchr(mod->core_path, '/') ? strrchr(mod->core_path, '/') + 1
						       : mod->core_path;
	bool go = mod->kind == MS_MODULE_PLUGIN;
	for (size_t i = 0; i < s->n_mds && !go; i++)
		go = s->mds[i].text >= mod->start && s->mds[i].text < mod->end;
	// A Go c-shared library loaded by a program with no Go of its own:
	// the Go runtime, and so every map, is in the file that is missing.
	if (!s->runtime && mod->kind == MS_MODULE_SHLIB && mod->go_build_id)
		lossf(s, "%s missing: a Go library (its Go build id is in the core) that holds the Go runtime; no map was found or judged",
		      name);
	else if (go || mod->go_build_id)
		lossf(s, "%s missing: its global maps were not judged (how many is unknown without the file)",
		      name);
	else if (!s->n_mds && mod->kind == MS_MODULE_SHLIB && mod->core_ids.gnu)
		// The Go linker always writes its own build id note.
		guessf(s, "%s missing: not Go by the core's copy of its notes (a GNU build id, no Go one)",
		       name);
	else if (!s->n_mds)
		lossf(s, "%s missing: whether it holds Go maps is unknown (no Go module list)", name);
	else
		guessf(s, "%s missing: no Go code in it by the Go module list; its bytes the core left out are unknown",
		       name);
}

/* ---- threads, process, crash ---- */

static struct ms_error *setup_threads(struct ms_session *s)
{
	const struct ms_core_notes *notes = &s->core->notes;
	// Salvaged cores have no thread at all.
	s->threads = calloc(notes->n_threads ? notes->n_threads : 1, sizeof(*s->threads));
	if (!s->threads)
		return &ms_enomem;
	size_t first = 0;
	for (size_t i = 0; i < notes->n_threads; i++) {
		if (notes->threads[i].cursig) {
			first = i;
			break;
		}
	}
	size_t k = 0;
	if (notes->n_threads)
		s->threads[k++] = notes->threads[first];
	for (size_t i = 0; i < notes->n_threads; i++)
		if (i != first)
			s->threads[k++] = notes->threads[i];
	s->process.pid = notes->pid;
	s->process.ppid = notes->ppid;
	s->process.uid = notes->uid;
	s->process.gid = notes->gid;
	s->process.fname = notes->fname;
	s->process.psargs = notes->psargs;
	if (!notes->have_prpsinfo && notes->n_threads)
		s->process.pid = s->threads[0].tid;
	return NULL;
}

static bool fault_signal(int signo)
{
	return signo == SIGSEGV || signo == SIGBUS || signo == SIGILL || signo == SIGFPE;
}


// runtime.allgs, the []*g of every goroutine.
static struct ms_error *find_allgs(struct ms_session *s, uint64_t *ret)
{
	if (!s->runtime)
		return ms_error_create(MS_ERR_NOT_FOUND, "no Go runtime module");
	return runtime_global(s, "runtime.allgs", ret);
}

static void setup_crash(struct ms_session *s)
{
	const struct ms_core_notes *notes = &s->core->notes;
	struct ms_crash *c = &s->crash;
	const struct ms_core_thread *t = &s->threads[0];
	c->core_signo = notes->have_siginfo ? notes->si_signo : t->cursig;
	c->core_code = notes->have_siginfo ? notes->si_code : t->si_code;
	c->tid = t->tid;
	// gcore attaches with SIGSTOP: that is no crash.
	if (c->core_signo == 0 || c->core_signo == SIGSTOP)
		return;
	c->present = true;
	c->signo = c->core_signo;
	c->code = c->core_code;
	c->pc = t->regs[MS_REG_RIP];
	c->source = "siginfo";
	if (notes->have_siginfo && fault_signal(c->signo) && c->code > 0) {
		c->fault_addr = notes->fault_addr;
		c->have_fault_addr = true;
		return;
	}
	// The Go runtime turns a fault into a panic and then kills itself with
	// SIGABRT (crash -> dieFromSignal); the fault stays in the panicking g.
	if (c->signo != SIGABRT || !s->runtime || !s->layout.g.source)
		return;
	uint64_t allgs;
	struct ms_error *err = find_allgs(s, &allgs);
	// Stripped: allgs is found by its shape in the runtime's bss.
	if (err && err->code == MS_ERR_NOT_FOUND) {
		ms_error_destroy(err);
		err = ms_goroutines_search_allgs(s, &s->layout.g, &allgs);
	}
	struct ms_go_signal g;
	if (!err)
		err = ms_go_find_signalled_g(&s->as, &s->layout.g, allgs, &g);
	if (ms_error_catch(&err, MS_ERR_NOT_FOUND))
		return;
	if (err) {
		warn_error(s, err, "cannot read the panicking goroutine");
		return;
	}
	c->signo = (int)g.sig;
	c->code = (int)g.sigcode0;
	c->fault_addr = g.sigcode1;
	c->have_fault_addr = fault_signal(c->signo);
	c->pc = g.sigpc;
	c->source = "g.sigcode1";
	c->goid = g.goid;
	c->g = g.g;
}

/* ---- open / destroy ---- */

static int module_order(const struct ms_session *s, const struct ms_module *m)
{
	if (m == s->exe)
		return 0;
	if (m->kind == MS_MODULE_PLUGIN)
		return 1;
	if (m->kind == MS_MODULE_VDSO)
		return 3;
	return 2;
}

// Position of a module's moduledata in the chain (load order).
static size_t chain_index(const struct ms_session *s, const struct ms_module *m)
{
	for (size_t k = 0; k < s->n_mds; k++)
		if (s->mds[k].addr == m->moduledata)
			return k;
	return s->n_mds;
}

struct module_key {
	int order;
	size_t chain, index;
	uint64_t start;
	struct ms_module *mod;
};

static int module_key_cmp(const void *pa, const void *pb)
{
	const struct module_key *a = pa, *b = pb;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if (a->order == 1 && a->chain != b->chain)
		return a->chain < b->chain ? -1 : 1;
	if (a->order != 1 && a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

// Executable, plugins in moduledata (load) order, others by address, vDSO.
// A sort, not insertion: a core may name 100,000 files.
static struct ms_error *sort_modules(struct ms_session *s)
{
	struct module_key *keys = calloc(s->n_modules ? s->n_modules : 1, sizeof(*keys));
	if (!keys)
		return &ms_enomem;
	for (size_t i = 0; i < s->n_modules; i++) {
		struct ms_module *m = s->modules[i];
		keys[i] = (struct module_key){
			.order = module_order(s, m),
			.chain = m->kind == MS_MODULE_PLUGIN ? chain_index(s, m) : 0,
			.index = i, .start = m->start, .mod = m,
		};
	}
	qsort(keys, s->n_modules, sizeof(*keys), module_key_cmp);
	for (size_t i = 0; i < s->n_modules; i++)
		s->modules[i] = keys[i].mod;
	free(keys);
	return NULL;
}

static int span_cmp(const void *pa, const void *pb)
{
	const struct module_span *a = pa, *b = pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static struct ms_error *index_spans(struct ms_session *s)
{
	s->spans = calloc(s->n_modules ? s->n_modules : 1, sizeof(*s->spans));
	if (!s->spans)
		return &ms_enomem;
	for (size_t i = 0; i < s->n_modules; i++)
		s->spans[i] = (struct module_span){ s->modules[i]->start, s->modules[i]->end, 0, i };
	qsort(s->spans, s->n_modules, sizeof(*s->spans), span_cmp);
	s->with_file = calloc(s->n_modules ? s->n_modules : 1, sizeof(*s->with_file));
	if (!s->with_file)
		return &ms_enomem;
	s->go_mods = calloc(s->n_modules ? s->n_modules : 1, sizeof(*s->go_mods));
	if (!s->go_mods)
		return &ms_enomem;
	for (size_t i = 0; i < s->n_modules; i++) {
		if (s->modules[i]->elf)
			s->with_file[s->n_with_file++] = i;
		if (s->modules[i]->is_go)
			s->go_mods[s->n_go_mods++] = i;
	}
	uint64_t max = 0;
	for (size_t i = 0; i < s->n_modules; i++) {
		if (s->spans[i].end > max)
			max = s->spans[i].end;
		s->spans[i].max_end = max;
	}
	return NULL;
}

static struct ms_error *add_vdso(struct ms_session *s)
{
	uint64_t base;
	if (!ms_core_notes_auxv(&s->core->notes, AT_SYSINFO_EHDR, &base) || !base)
		return NULL;
	const struct ms_segment *seg = ms_addrspace_find(&s->as, base);
	if (!seg)
		return NULL;
	struct ms_module *mod;
	struct ms_error *err = ms_module_create(MS_MODULE_VDSO, "[vdso]", &mod);
	if (err)
		return err;
	mod->status = MS_MODULE_FOUND;
	mod->start = seg->start;
	mod->end = seg->end;
	struct module_seed seed = { .base = base };
	module_from_memory(s, mod, &seed);
	if ((err = add_module(s, mod)))
		ms_module_destroy(mod);
	return err;
}

static int file_map_cmp(const void *pa, const void *pb)
{
	const struct ms_core_file_map *a = *(const struct ms_core_file_map *const *)pa,
				      *b = *(const struct ms_core_file_map *const *)pb;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a < b ? -1 : a > b;
}

// The core from the descriptor given (a live snapshot, standard input)
// or from its path; @p salvage as for ms_core_open_salvage().
static struct ms_error *open_core(const struct ms_session_options *opts,
				  bool salvage, struct ms_core **ret)
{
	if (opts->core_fd <= 0)
		return ms_core_open_salvage(opts->core_path, salvage, ret);
	int fd = fcntl(opts->core_fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return ms_error_os(errno, opts->core_path, "cannot duplicate the descriptor of");
	return ms_core_open_fd(opts->core_path, fd, salvage, ret);
}

struct ms_error *ms_session_open(const struct ms_session_options *opts,
				 struct ms_session **ret)
{
	struct ms_session *s = calloc(1, sizeof(*s));
	if (!s)
		return &ms_enomem;
	s->opts = *opts;
	struct module_seed *seeds = NULL;
	// With the executable given, a core whose notes are lost is salvaged
	// from its program headers; without it, the refusal says so.
	struct ms_error *err = open_core(opts, opts->exe_path != NULL, &s->core);
	if (err && !opts->exe_path && err->code == MS_ERR_BAD_DATA) {
		struct ms_core *c;
		struct ms_error *e = open_core(opts, true, &c);
		if (!e) {
			ms_core_destroy(c);
			struct ms_error *hint = ms_error_create(MS_ERR_BAD_DATA,
								"%s; give --exe to salvage its memory",
								err->message);
			if (hint != &ms_enomem) {
				ms_error_destroy(err);
				err = hint;
			}
		}
		ms_error_destroy(e);
	}
	if (err)
		goto fail;
	if (s->core->notes_lost)
		lossf(s, "notes lost (%s): threads, file mappings, the signal and the auxiliary vector are unknown; memory comes from the program headers alone",
		      s->core->notes_lost);
	ms_addrspace_init(&s->as, s->core->image, s->core->size, s->core->path);
	if (s->core->image)
		ms_addrspace_set_image_fd(&s->as, s->core->fd);
	for (size_t i = 0; i < s->core->n_segments; i++) {
		const struct ms_core_segment *cs = &s->core->segments[i];
		struct ms_segment seg = {
			.start = cs->vaddr,
			.end = cs->vaddr + cs->memsz,
			.perms = cs->flags,
			.in_core = true,
			.dumped = cs->filesz,
			.core_offset = cs->offset,
		};
		if ((err = ms_addrspace_add(&s->as, &seg)))
			goto fail;
	}
	// In address order, so each gap filled is appended: a core may list
	// 100,000 files in any order.
	const struct ms_core_file_map **byaddr =
		calloc(s->core->notes.n_files + 1, sizeof(*byaddr));
	if (!byaddr) {
		err = &ms_enomem;
		goto fail;
	}
	for (size_t i = 0; i < s->core->notes.n_files; i++)
		byaddr[i] = &s->core->notes.files[i];
	qsort(byaddr, s->core->notes.n_files, sizeof(*byaddr), file_map_cmp);
	for (size_t i = 0; i < s->core->notes.n_files; i++) {
		const struct ms_core_file_map *f = byaddr[i];
		if ((err = ms_addrspace_add_file_map(&s->as, f->start, f->end,
						     f->offset, f->path))) {
			free(byaddr);
			goto fail;
		}
	}
	free(byaddr);
	uint64_t need = 0;
	for (size_t i = 0; i < s->core->n_segments; i++) {
		const struct ms_core_segment *cs = &s->core->segments[i];
		if (cs->filesz && cs->offset + cs->filesz > need)
			need = cs->offset + cs->filesz;
	}
	if (need > s->core->size)
		lossf(s, "core file ends at offset %zu of %llu: memory saved past it is not-dumped",
		      s->core->size, (unsigned long long)need);
	if (need > s->core->size)
		warnf(s, "%s: core file is truncated: %zu bytes of 0x%llx; the memory past its end reads as 'truncated core'",
		      s->core->path, s->core->size, (unsigned long long)need);
	if ((err = discover_modules(s, &seeds)))
		goto fail;
	if (!s->exe) {
		if (!opts->exe_path) {
			err = ms_error_create(MS_ERR_NOT_FOUND,
					      "%s: cannot tell the executable from the core (no file note maps AT_ENTRY); give --exe",
					      s->core->path);
			goto fail;
		}
		if ((err = exe_from_option(s)))
			goto fail;
	}
	s->exe->kind = MS_MODULE_EXE;
	if ((err = open_files(s, seeds)))
		goto fail;
	if ((err = setup_threads(s)))
		goto fail;
	setup_go(s);
	// A plugin built apart from the core would give wrong answers about
	// the very maps we judge: refuse it like the executable.
	for (size_t i = 0; i < s->n_modules; i++) {
		struct ms_module *mod = s->modules[i];
		if (mod->kind == MS_MODULE_PLUGIN && mod->status == MS_MODULE_MISMATCHED) {
			err = mismatch_error(mod, &seeds[i], "plugin");
			goto fail;
		}
	}
	// A few missing files by name, then one line for the rest: a core may
	// name 100,000 files.
	size_t missing = 0;
	for (size_t i = 0; i < s->n_modules; i++) {
		struct ms_module *mod = s->modules[i];
		// Every missing module is a loss (that list is bounded); only
		// the warnings are cut short.
		if (mod->status == MS_MODULE_MISSING)
			missing_loss(s, mod);
		if (mod->status == MS_MODULE_MISSING && ++missing > MAX_MISSING_SAID)
			continue;
		if (mod->status == MS_MODULE_MISSING)
			warnf(s, "%s: %s not found%s", mod->core_path,
			      mod->kind == MS_MODULE_PLUGIN ? "plugin" : "shared object",
			      opts->n_solib_search ? "" : " (try --solib-search)");
		else if (mod->status == MS_MODULE_MISMATCHED)
			warnf(s, "%s: build id %s does not match the core's %s; not used",
			      seeds[i].mismatch_path, mod->file_build_id, mod->build_id);
	}
	if (missing > MAX_MISSING_SAID)
		warnf(s, "%zu more files the core names were not found (%zu in all)",
		      missing - MAX_MISSING_SAID, missing);
	if ((err = add_vdso(s)))
		goto fail;
	setup_crash(s);
	if ((err = sort_modules(s)) || (err = index_spans(s)))
		goto fail;
	for (size_t i = 0; i < s->core->notes.n_files + 2 && seeds; i++) {
		free(seeds[i].mismatch_path);
		free(seeds[i].mismatch_id);
	}
	free(seeds);
	*ret = s;
	return NULL;

fail:
	if (seeds) {
		for (size_t i = 0; i < s->core->notes.n_files + 2; i++) {
			free(seeds[i].mismatch_path);
			free(seeds[i].mismatch_id);
		}
		free(seeds);
	}
	ms_session_destroy(s);
	return err;
}

void ms_session_destroy(struct ms_session *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_modules; i++)
		ms_module_destroy(s->modules[i]);
	free(s->modules);
	free(s->spans);
	free(s->with_file);
	free(s->go_mods);
	ms_go_moduledata_free(s->mds, s->n_mds);
	ms_strlist_free(s->losses, s->n_losses);
	ms_strlist_free(s->guesses, s->n_guesses);
	free(s->go_version_full);
	free(s->go_unknown);
	free(s->threads);
	ms_addrspace_deinit(&s->as);
	ms_core_destroy(s->core);
	free(s);
}

/* ---- accessors ---- */

size_t ms_session_losses(const struct ms_session *s, const char *const **ret)
{
	*ret = (const char *const *)s->losses;
	return s->n_losses;
}

size_t ms_session_guesses(const struct ms_session *s, const char *const **ret)
{
	*ret = (const char *const *)s->guesses;
	return s->n_guesses;
}

const char *ms_session_core_path(const struct ms_session *s)
{
	return s->core->path;
}

const struct ms_core *ms_session_core(const struct ms_session *s)
{
	return s->core;
}

struct ms_error *ms_session_read(struct ms_session *s, uint64_t addr,
				 void *buf, size_t len)
{
	return ms_addrspace_read(&s->as, addr, buf, len);
}

const void *ms_session_borrow(struct ms_session *s, uint64_t addr, size_t len)
{
	return ms_addrspace_borrow(&s->as, addr, len);
}

struct ms_error *ms_session_read_bulk(struct ms_session *s, uint64_t addr,
				      void *buf, size_t len)
{
	return ms_addrspace_read_bulk(&s->as, addr, buf, len);
}

struct ms_error *ms_session_read_u64(struct ms_session *s, uint64_t addr,
				     uint64_t *ret)
{
	return ms_addrspace_read_u64(&s->as, addr, ret);
}

bool ms_session_try_read_u64(struct ms_session *s, uint64_t addr, uint64_t *ret)
{
	struct ms_error *err = ms_session_read_u64(s, addr, ret);
	if (err) {
		ms_error_destroy(err);
		return false;
	}
	return true;
}

const struct ms_addrspace *ms_session_addrspace(const struct ms_session *s)
{
	return &s->as;
}

size_t ms_session_module_count(const struct ms_session *s)
{
	return s->n_modules;
}

struct ms_module *ms_session_module(const struct ms_session *s, size_t i)
{
	return i < s->n_modules ? s->modules[i] : NULL;
}

struct ms_module *ms_session_exe(const struct ms_session *s)
{
	return s->exe;
}

struct ms_module *ms_session_runtime_module(const struct ms_session *s)
{
	return s->runtime;
}

static bool in_range(const struct ms_range *r, uint64_t addr)
{
	return addr >= r->start && addr < r->end;
}

struct ms_module *ms_session_module_at(struct ms_session *s, uint64_t addr,
				       const char **section_ret)
{
	// Go ranges first (types lies inside rodata, so it is looked at first).
	static const enum ms_section order[] = {
		MS_SECTION_TYPES, MS_SECTION_TEXT, MS_SECTION_RODATA,
		MS_SECTION_NOPTRDATA, MS_SECTION_DATA, MS_SECTION_BSS,
		MS_SECTION_NOPTRBSS,
	};
	size_t n_go = s->spans ? s->n_go_mods : s->n_modules;
	for (size_t k = 0; k < n_go; k++) {
		struct ms_module *mod = s->modules[s->spans ? s->go_mods[k] : k];
		if (!mod->is_go)
			continue;
		for (size_t j = 0; j < sizeof(order) / sizeof(order[0]); j++) {
			if (in_range(&mod->ranges[order[j]], addr)) {
				if (section_ret)
					*section_ret = ms_section_name(order[j]);
				return mod;
			}
		}
	}
	if (!s->spans) {
		// Still opening: the list is not final.
		for (size_t i = 0; i < s->n_modules; i++) {
			struct ms_module *mod = s->modules[i];
			const char *sec = ms_module_section_at(mod, addr);
			if (sec || (addr >= mod->start && addr < mod->end)) {
				if (section_ret)
					*section_ret = sec;
				return mod;
			}
		}
		return NULL;
	}
	// The first module in list order whose span holds addr: the spans
	// starting at or below addr, back while one of them may reach it.
	size_t lo = 0, hi = s->n_modules;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->spans[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t best = SIZE_MAX;
	for (size_t i = lo; i-- > 0 && s->spans[i].max_end > addr;) {
		if (addr < s->spans[i].end && s->spans[i].index < best)
			best = s->spans[i].index;
	}
	// A section outside the module's span (a file given with --exe for a
	// core without file notes is spanned by its PT_LOADs; this is rare):
	// only modules with a file have sections.
	for (size_t k = 0; k < s->n_with_file && s->with_file[k] < best; k++) {
		struct ms_module *mod = s->modules[s->with_file[k]];
		const char *sec = ms_module_section_at(mod, addr);
		if (sec) {
			if (section_ret)
				*section_ret = sec;
			return mod;
		}
	}
	if (best == SIZE_MAX)
		return NULL;
	if (section_ret)
		*section_ret = ms_module_section_at(s->modules[best], addr);
	return s->modules[best];
}

/*
 * The module whose image a mapping holds, with the section that ends it:
 * the page rounding past .noptrbss belongs to no section, yet the mapping
 * is the module's (an anonymous mapping the loader made for its .bss).
 */
static struct ms_module *segment_module(struct ms_session *s,
					const struct ms_segment *seg,
					const char **section_ret)
{
	struct ms_module *mod = ms_session_module_at(s, seg->end - 1, section_ret);
	if (mod)
		return mod;
	uint64_t best_end = 0;
	for (size_t i = 0; i < s->n_modules; i++) {
		struct ms_module *m = s->modules[i];
		if (!m->is_go)
			continue;
		for (int j = 0; j < MS_SECTION_COUNT; j++) {
			const struct ms_range *r = &m->ranges[j];
			if (r->start >= r->end || r->end <= seg->start || r->start >= seg->end ||
			    r->end <= best_end)
				continue;
			best_end = r->end;
			mod = m;
			if (section_ret)
				*section_ret = ms_section_name((enum ms_section)j);
		}
	}
	return mod;
}

struct ms_error *ms_session_symbolize(struct ms_session *s, uint64_t addr,
				      struct ms_module **mod_ret,
				      const char **name_ret,
				      uint64_t *offset_ret)
{
	struct ms_module *mod = ms_session_module_at(s, addr, NULL);
	if (!mod)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "0x%llx is in no module",
				       (unsigned long long)addr);
	struct ms_error *err = ms_module_symbolize(mod, addr, name_ret, offset_ret);
	if (!err && mod_ret)
		*mod_ret = mod;
	return err;
}

const char *ms_session_go_version(const struct ms_session *s)
{
	return s->have_go ? s->go_base : NULL;
}

const char *ms_session_go_version_full(const struct ms_session *s)
{
	return s->go_version_full;
}

const char *ms_session_go_experiments(const struct ms_session *s)
{
	return s->have_go ? s->go_experiments : NULL;
}

const char *ms_session_go_unknown(const struct ms_session *s)
{
	return s->go_unknown;
}

const struct ms_go_version *ms_session_go_version_parsed(const struct ms_session *s)
{
	return s->have_go ? &s->go : NULL;
}

enum ms_map_impl ms_session_map_impl(const struct ms_session *s)
{
	if (!s->have_go)
		return 0;
	if (s->go.major == 1 && s->go.minor <= 23)
		return MS_MAP_CLASSIC;
	if (s->go.major == 1 && s->go.minor <= 25 && s->go.noswissmap)
		return MS_MAP_CLASSIC;
	return MS_MAP_SWISS;
}

const struct ms_go_layout *ms_session_go_layout(const struct ms_session *s)
{
	return &s->layout;
}

uint64_t ms_session_firstmoduledata(const struct ms_session *s, const char **how_ret)
{
	if (how_ret)
		*how_ret = s->firstmoduledata_how;
	return s->firstmoduledata;
}

const struct ms_heap *ms_session_heap(const struct ms_session *s)
{
	return s->have_heap ? &s->heap : NULL;
}

const char *ms_addr_class_str(enum ms_addr_class cls)
{
	switch (cls) {
	case MS_ADDR_UNMAPPED: return "unmapped";
	case MS_ADDR_NOT_DUMPED: return "not dumped";
	case MS_ADDR_HEAP_INUSE: return "heap in use";
	case MS_ADDR_HEAP_FREE: return "heap free";
	case MS_ADDR_STACK: return "stack";
	case MS_ADDR_HEAP_OTHER: return "heap other";
	case MS_ADDR_MODULE: return "module";
	case MS_ADDR_MAPPING: return "mapping";
	}
	return "?";
}

/*
 * Ask the heap about @p addr and fill the arena and span facts of @p r.
 * The lookup's other errors (unreadable metadata) only mean "no heap
 * facts"; running out of memory is returned.
 */
static struct ms_error *heap_facts(struct ms_session *s, uint64_t addr,
				   struct ms_addr_info *r, struct ms_heap_lookup *h)
{
	if (!s->have_heap)
		return NULL;
	struct ms_error *err = ms_heap_lookup(&s->heap, addr, h);
	if (err == &ms_enomem)
		return err;
	if (err) {
		// Metadata the core did not keep (a truncated or filtered
		// core) leaves the address undecided; damaged metadata that
		// leads nowhere says nothing either way.
		r->heap_unknown = err->code == MS_ERR_FAULT && err->fault != MS_FAULT_UNMAPPED;
		ms_error_destroy(err);
		return NULL;
	}
	if (h->in_arena) {
		r->in_arena = true;
		r->has_span = h->has_span && h->span_valid;
		r->span = h->span;
	}
	return NULL;
}

void ms_session_prepare_threads(struct ms_session *s)
{
	// ms_module_section_at() reads a module's section headers once.
	for (size_t i = 0; i < s->n_modules; i++)
		ms_module_section_at(s->modules[i], 0);
}

struct ms_error *ms_session_classify(struct ms_session *s, uint64_t addr,
				     struct ms_addr_info *ret)
{
	// Filled in place: the checker asks this for every pointer it
	// follows, and the struct is large.
	struct ms_addr_info *r = ret;
	memset(r, 0, sizeof(*r));
	r->addr = addr;
	const struct ms_segment *below, *above;
	const struct ms_segment *seg = ms_addrspace_neighbors(&s->as, addr, &below, &above);
	if (below) {
		r->have_below = true;
		r->below_end = below->end;
		r->below_distance = addr - below->end;
		r->below_path = below->file_path;
	}
	if (above) {
		r->have_above = true;
		r->above_start = above->start;
		r->above_distance = above->start - addr;
		r->above_path = above->file_path;
	}
	if (!seg) {
		// Only unmapped addresses need to say which module they are near.
		if (below)
			r->below_module = segment_module(s, below, &r->below_section);
		if (above)
			r->above_module = ms_session_module_at(s, above->start,
							      &r->above_section);
		r->cls = MS_ADDR_UNMAPPED;
		// The heap's own bookkeeping may still claim the address: say
		// so, it tells memory unmapped under the runtime's feet from a
		// pointer that never led anywhere.
		struct ms_heap_lookup h;
		if (heap_facts(s, addr, r, &h) == &ms_enomem)
			return &ms_enomem;
		return NULL;
	}
	r->mapped = true;
	r->seg_start = seg->start;
	r->seg_end = seg->end;
	r->perms = seg->perms;
	r->file_path = seg->file_path;
	if (seg->file_path)
		r->file_offset = seg->file_offset + (addr - seg->start);
	r->dumped = addr - seg->start < seg->dumped;
	r->readable = ms_segment_readable(seg, addr);

	struct ms_heap_lookup h;
	if (heap_facts(s, addr, r, &h) == &ms_enomem)
		return &ms_enomem;
	if (r->heap_unknown && !(seg->file_path && seg->file_read)) {
		r->cls = MS_ADDR_NOT_DUMPED;
		return NULL;
	}
	if (r->in_arena) {
		r->in_object = h.in_object;
		r->object_base = h.object_base;
		r->object_size = h.object_size;
		r->allocated = h.allocated;
		if (!h.has_span)
			r->cls = MS_ADDR_HEAP_OTHER;
		else if (h.span_valid && h.span.state == MS_SPAN_MANUAL)
			r->cls = MS_ADDR_STACK;
		else if (h.span_valid && h.span.state == MS_SPAN_IN_USE &&
			 h.in_object && h.allocated)
			r->cls = MS_ADDR_HEAP_INUSE;
		else
			r->cls = MS_ADDR_HEAP_FREE;
		return NULL;
	}
	r->module = ms_session_module_at(s, addr, &r->section);
	if (r->module)
		r->cls = MS_ADDR_MODULE;
	else if (!r->readable && seg->perms != 0)
		r->cls = MS_ADDR_NOT_DUMPED;
	else
		r->cls = MS_ADDR_MAPPING;
	return NULL;
}

struct ms_error *ms_session_heap_foreach(struct ms_session *s,
					 int (*cb)(void *arg, uint64_t base,
						   uint64_t size,
						   uint64_t spanclass),
					 void *arg)
{
	if (!s->have_heap)
		return ms_error_create(MS_ERR_NOT_FOUND, "no Go heap in this core");
	size_t skipped = 0;
	struct ms_error *err = ms_heap_foreach_object(&s->heap, cb, arg, &skipped);
	if (!err && skipped)
		warnf(s, "%zu heap spans could not be read or looked corrupt", skipped);
	return err;
}

size_t ms_session_thread_count(const struct ms_session *s)
{
	return s->core->notes.n_threads;
}

const struct ms_core_thread *ms_session_thread(const struct ms_session *s,
					       size_t i)
{
	return i < s->core->notes.n_threads ? &s->threads[i] : NULL;
}

const struct ms_process *ms_session_process(const struct ms_session *s)
{
	return &s->process;
}

const struct ms_crash *ms_session_crash(const struct ms_session *s)
{
	return &s->crash;
}

struct stack_walk {
	struct ms_session *s;
	int (*fn)(void *arg, uint64_t g, uint64_t lo, uint64_t hi, uint64_t sp);
	void *arg;
};

static int visit_g_stack(void *arg, uint64_t g)
{
	struct stack_walk *sw = arg;
	struct ms_session *s = sw->s;
	const struct ms_g_layout *l = &s->layout.g;
	uint64_t w[3];
	const uint64_t offs[3] = { l->stack_lo, l->stack_hi, l->sched_sp };
	for (int i = 0; i < 3; i++) {
		struct ms_error *err = ms_session_read_u64(s, g + offs[i], &w[i]);
		if (err) {
			// An unreadable g is skipped, like the runtime's dead ones.
			ms_error_destroy(err);
			return 0;
		}
	}
	uint64_t lo = w[0], hi = w[1], sp = w[2];
	if (l->status != UINT64_MAX) {
		uint8_t b[4];
		struct ms_error *err = ms_session_read(s, g + l->status, b, 4);
		if (err) {
			ms_error_destroy(err);
			return 0;
		}
		if (ms_load_u32(b) == MS_G_DEAD)
			return 0;
	}
	if (!lo || hi <= lo || hi - lo > (UINT64_C(1) << 30))
		return 0;
	// A goroutine running at the time of the dump has a stale sched.sp:
	// its thread's rsp is the real one.
	if (sp < lo || sp >= hi) {
		sp = 0;
		for (size_t i = 0; i < ms_session_thread_count(s); i++) {
			uint64_t rsp = ms_session_thread(s, i)->regs[MS_REG_RSP];
			if (rsp >= lo && rsp < hi)
				sp = rsp;
		}
		if (!sp)
			return 0;
	}
	return sw->fn(sw->arg, g, lo, hi, sp);
}

static int visit_stack_span(void *arg, const struct ms_span *span)
{
	struct stack_walk *sw = arg;
	enum { page_size = 8192 };
	if (span->state != MS_SPAN_MANUAL || !span->npages ||
	    span->npages > (UINT64_C(1) << 17))
		return 0;
	uint64_t lo = span->start, hi = span->start + span->npages * page_size;
	return sw->fn(sw->arg, 0, lo, hi, lo);
}

struct ms_error *ms_session_foreach_stack(struct ms_session *s,
					  int (*fn)(void *arg, uint64_t g,
						    uint64_t lo, uint64_t hi,
						    uint64_t sp),
					  void *arg)
{
	if (!s->layout.g.source)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "no runtime.g layout for %s",
				       ms_session_go_version(s) ? ms_session_go_version(s)
								 : "this Go version");
	uint64_t allgs;
	struct stack_walk sw = { s, fn, arg };
	struct ms_error *err = find_allgs(s, &allgs);
	if (!err)
		return ms_go_foreach_g(&s->as, allgs, visit_g_stack, &sw);
	// Without runtime.allgs (stripped binaries) offer every stack span
	// whole: the caller sees dead frames too, and must be wary of them.
	ms_error_destroy(err);
	const struct ms_heap *heap = ms_session_heap(s);
	if (!heap || !heap->l2)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "neither runtime.allgs nor the heap's spans can be found");
	return ms_heap_foreach_span(heap, visit_stack_span, &sw, NULL);
}
