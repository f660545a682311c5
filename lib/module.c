/* Modules of the process: the executable, Go plugins and shared objects, their files, build ids and symbols. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binbuf.h"
#include "dwarf_index.h"
#include "elf_section.h"
#include "file.h"
#include "module.h"
#include "pclntab.h"

static const char *const section_names[MS_SECTION_COUNT] = {
	[MS_SECTION_TEXT] = "text",
	[MS_SECTION_RODATA] = "rodata",
	[MS_SECTION_TYPES] = "types",
	[MS_SECTION_NOPTRDATA] = "noptrdata",
	[MS_SECTION_DATA] = "data",
	[MS_SECTION_BSS] = "bss",
	[MS_SECTION_NOPTRBSS] = "noptrbss",
};

const char *ms_section_name(enum ms_section sec)
{
	return (unsigned)sec < MS_SECTION_COUNT ? section_names[sec] : "?";
}

const char *ms_module_kind_str(enum ms_module_kind kind)
{
	switch (kind) {
	case MS_MODULE_EXE: return "exe";
	case MS_MODULE_PLUGIN: return "plugin";
	case MS_MODULE_SHLIB: return "shared";
	case MS_MODULE_VDSO: return "vdso";
	}
	return "?";
}

const char *ms_module_status_str(enum ms_module_status status)
{
	switch (status) {
	case MS_MODULE_FOUND: return "found";
	case MS_MODULE_MISSING: return "missing";
	case MS_MODULE_MISMATCHED: return "mismatched";
	}
	return "?";
}

struct ms_error *ms_module_create(enum ms_module_kind kind,
				  const char *core_path,
				  struct ms_module **ret)
{
	struct ms_module *mod = calloc(1, sizeof(*mod));
	if (!mod)
		return &ms_enomem;
	mod->kind = kind;
	mod->status = MS_MODULE_MISSING;
	mod->fd = -1;
	mod->core_path = strdup(core_path);
	if (!mod->core_path) {
		free(mod);
		return &ms_enomem;
	}
	*ret = mod;
	return NULL;
}

static void drop_symbols(struct ms_module *mod)
{
	free(mod->syms);
	free(mod->syms_by_name);
	mod->syms = NULL;
	mod->syms_by_name = NULL;
	mod->n_syms = 0;
	mod->syms_loaded = false;
}

void ms_module_close_file(struct ms_module *mod)
{
	drop_symbols(mod);
	ms_pclntab_destroy(mod->pclntab);
	mod->pclntab = NULL;
	mod->pclntab_tried = false;
	free(mod->sections);
	mod->sections = NULL;
	mod->n_sections = 0;
	mod->sections_loaded = false;
	free(mod->got_slots);
	mod->got_slots = NULL;
	mod->n_got_slots = 0;
	mod->got_loaded = false;
	ms_dwarf_destroy(mod->dwarf);
	mod->dwarf = NULL;
	ms_error_destroy(mod->dwarf_err);
	mod->dwarf_err = NULL;
	mod->dwarf_tried = false;
	if (mod->elf)
		elf_end(mod->elf);
	mod->elf = NULL;
	if (mod->fd >= 0)
		close(mod->fd);
	mod->fd = -1;
	mod->image = NULL;
	mod->image_size = 0;
	free(mod->file_path);
	mod->file_path = NULL;
}

void ms_module_destroy(struct ms_module *mod)
{
	if (!mod)
		return;
	ms_module_close_file(mod);
	free(mod->core_path);
	free(mod->build_id);
	free(mod->file_build_id);
	ms_build_ids_deinit(&mod->core_ids);
	ms_build_ids_deinit(&mod->file_ids);
	free(mod->pluginpath);
	free(mod);
}

static char *hex_string(const uint8_t *p, size_t n)
{
	char *s = malloc(2 * n + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++)
		snprintf(s + 2 * i, 3, "%02x", p[i]);
	s[2 * n] = '\0';
	return s;
}

void ms_build_ids_deinit(struct ms_build_ids *ids)
{
	free(ids->gnu);
	free(ids->go);
	ids->gnu = ids->go = NULL;
}

struct ms_error *ms_build_ids_add_notes(struct ms_build_ids *ids,
					const void *buf, size_t len)
{
	struct ms_binbuf bb;
	ms_binbuf_init(&bb, buf, len, "notes", 0);
	while (ms_binbuf_left(&bb) >= 12) {
		uint32_t namesz = 0, descsz = 0, type = 0;
		ms_binbuf_u32(&bb, &namesz);
		ms_binbuf_u32(&bb, &descsz);
		ms_binbuf_u32(&bb, &type);
		const uint8_t *name = NULL, *desc = NULL;
		uint64_t namepad = ((uint64_t)namesz + 3) & ~(uint64_t)3;
		uint64_t descpad = ((uint64_t)descsz + 3) & ~(uint64_t)3;
		struct ms_error *err;
		if ((err = ms_binbuf_ref(&bb, &name, namepad)) ||
		    (err = ms_binbuf_ref(&bb, &desc, descsz))) {
			ms_error_destroy(err);
			break;
		}
		size_t pad = descpad - descsz;
		bb.pos += pad < ms_binbuf_left(&bb) ? pad : ms_binbuf_left(&bb);
		if (!ids->gnu && type == NT_GNU_BUILD_ID && namesz == 4 &&
		    memcmp(name, "GNU", 4) == 0 && descsz > 0 && descsz <= 64) {
			ids->gnu = hex_string(desc, descsz);
			if (!ids->gnu)
				return &ms_enomem;
		}
		// cmd/link writes the note "Go\0\0" (namesz 4), type 4, text.
		if (!ids->go && type == 4 && (namesz == 3 || namesz == 4) &&
		    memcmp(name, "Go", 3) == 0 && descsz > 0 && descsz <= 256) {
			char *t = malloc(descsz + 1);
			if (!t)
				return &ms_enomem;
			for (size_t i = 0; i < descsz; i++)
				t[i] = desc[i] >= 0x20 && desc[i] < 0x7f ? (char)desc[i] : '?';
			t[descsz] = '\0';
			ids->go = t;
		}
	}
	return NULL;
}

const char *ms_build_ids_best(const struct ms_build_ids *ids)
{
	return ids->gnu ? ids->gnu : ids->go;
}

int ms_build_ids_match(const struct ms_build_ids *a,
		       const struct ms_build_ids *b)
{
	if ((!a->gnu && !a->go) || (!b->gnu && !b->go))
		return -1;
	bool compared = false;
	if (a->gnu && b->gnu) {
		if (strcmp(a->gnu, b->gnu) != 0)
			return 0;
		compared = true;
	}
	if (a->go && b->go) {
		if (strcmp(a->go, b->go) != 0)
			return 0;
		compared = true;
	}
	return compared ? 1 : 0;
}

// The build ids of an ELF file: its PT_NOTE segments, else SHT_NOTE sections.
static struct ms_error *file_build_ids(struct ms_module *mod)
{
	struct ms_build_ids *ids = &mod->file_ids;
	size_t phnum = 0;
	if (elf_getphdrnum(mod->elf, &phnum) == 0) {
		for (size_t i = 0; i < phnum; i++) {
			GElf_Phdr phdr;
			if (!gelf_getphdr(mod->elf, (int)i, &phdr) || phdr.p_type != PT_NOTE)
				continue;
			if (phdr.p_offset > mod->image_size ||
			    phdr.p_filesz > mod->image_size - phdr.p_offset)
				continue;
			struct ms_error *err = ms_build_ids_add_notes(
				ids, mod->image + phdr.p_offset, phdr.p_filesz);
			if (err)
				return err;
		}
	}
	Elf_Scn *scn = NULL;
	while (!ids->gnu && !ids->go && (scn = elf_nextscn(mod->elf, scn))) {
		GElf_Shdr shdr;
		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_NOTE)
			continue;
		if (shdr.sh_offset > mod->image_size ||
		    shdr.sh_size > mod->image_size - shdr.sh_offset)
			continue;
		struct ms_error *err = ms_build_ids_add_notes(
			ids, mod->image + shdr.sh_offset, shdr.sh_size);
		if (err)
			return err;
	}
	const char *best = ms_build_ids_best(ids);
	if (best && !(mod->file_build_id = strdup(best)))
		return &ms_enomem;
	return NULL;
}

struct ms_error *ms_module_open_file(struct ms_module *mod, const char *path)
{
	int fd;
	ms_module_close_file(mod);
	struct ms_error *err = ms_file_open(path, &fd);
	if (err)
		return err;
	return ms_module_open_fd(mod, fd, path);
}

struct ms_error *ms_module_open_fd(struct ms_module *mod, int fd, const char *path)
{
	ms_module_close_file(mod);
	free(mod->file_build_id);
	mod->file_build_id = NULL;
	ms_build_ids_deinit(&mod->file_ids);
	struct ms_error *err;
	mod->fd = fd;
	mod->file_path = strdup(path);
	if (!mod->file_path)
		return &ms_enomem;
	elf_version(EV_CURRENT);
	mod->elf = elf_begin(mod->fd, ELF_C_READ_MMAP, NULL);
	if (!mod->elf) {
		err = ms_error_libelf(path);
		goto fail;
	}
	GElf_Ehdr ehdr;
	if (elf_kind(mod->elf) != ELF_K_ELF || !gelf_getehdr(mod->elf, &ehdr)) {
		err = ms_error_create(MS_ERR_BAD_DATA, "%s: not an ELF file", path);
		goto fail;
	}
	if (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN) {
		err = ms_error_create(MS_ERR_BAD_DATA,
				      "%s: not an executable or shared object (ELF type %u)",
				      path, ehdr.e_type);
		goto fail;
	}
	if (ehdr.e_machine != EM_X86_64) {
		err = ms_error_create(MS_ERR_BAD_DATA,
				      "%s: not an x86-64 file (e_machine %u)",
				      path, ehdr.e_machine);
		goto fail;
	}
	mod->image = (const uint8_t *)elf_rawfile(mod->elf, &mod->image_size);
	if (!mod->image)
		mod->image_size = 0;
	if ((err = file_build_ids(mod)))
		goto fail;
	return NULL;

fail:
	ms_module_close_file(mod);
	return err;
}

bool ms_module_elf_header(struct ms_module *mod, unsigned *type_ret,
			  uint64_t *entry_ret)
{
	GElf_Ehdr ehdr;
	if (!mod->elf || !gelf_getehdr(mod->elf, &ehdr))
		return false;
	*type_ret = ehdr.e_type;
	*entry_ret = ehdr.e_entry;
	return true;
}

static int sym_addr_cmp(const void *a, const void *b)
{
	const struct ms_symbol *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	// Functions first at the same address, then names without the
	// linker's "local." prefix (dynamically linked Go), then larger first.
	if (x->is_func != y->is_func)
		return x->is_func ? -1 : 1;
	bool xl = strncmp(x->name, "local.", 6) == 0;
	bool yl = strncmp(y->name, "local.", 6) == 0;
	if (xl != yl)
		return xl ? 1 : -1;
	return x->size > y->size ? -1 : x->size < y->size;
}

static int sym_name_cmp(const void *a, const void *b)
{
	const struct ms_symbol *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

static struct ms_error *load_symbols(struct ms_module *mod)
{
	if (mod->syms_loaded)
		return NULL;
	if (!mod->elf)
		return ms_error_create(MS_ERR_NOT_FOUND, "%s: file not available",
				       mod->core_path);
	Elf_Scn *scn = NULL, *symtab = NULL, *dynsym = NULL;
	while ((scn = elf_nextscn(mod->elf, scn))) {
		GElf_Shdr shdr;
		if (!gelf_getshdr(scn, &shdr))
			continue;
		if (shdr.sh_type == SHT_SYMTAB)
			symtab = scn;
		else if (shdr.sh_type == SHT_DYNSYM)
			dynsym = scn;
	}
	scn = symtab ? symtab : dynsym;
	mod->syms_loaded = true;
	if (!scn)
		return NULL;
	GElf_Shdr shdr;
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!gelf_getshdr(scn, &shdr) || !data || shdr.sh_entsize == 0)
		return NULL;
	size_t n = shdr.sh_size / shdr.sh_entsize;
	if (n > data->d_size / sizeof(Elf64_Sym))
		n = data->d_size / sizeof(Elf64_Sym);
	struct ms_symbol *syms = calloc(n ? n : 1, sizeof(*syms));
	if (!syms)
		return &ms_enomem;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, (int)i, &sym))
			continue;
		int type = GELF_ST_TYPE(sym.st_info);
		if (sym.st_shndx == SHN_UNDEF || sym.st_value == 0)
			continue;
		if (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE)
			continue;
		const char *name = elf_strptr(mod->elf, shdr.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		syms[k].name = name;
		syms[k].addr = sym.st_value + mod->bias;
		syms[k].size = sym.st_size;
		syms[k].is_func = type == STT_FUNC;
		k++;
	}
	qsort(syms, k, sizeof(*syms), sym_addr_cmp);
	struct ms_symbol **by_name = calloc(k ? k : 1, sizeof(*by_name));
	if (!by_name) {
		free(syms);
		return &ms_enomem;
	}
	for (size_t i = 0; i < k; i++)
		by_name[i] = &syms[i];
	qsort(by_name, k, sizeof(*by_name), sym_name_cmp);
	mod->syms = syms;
	mod->syms_by_name = by_name;
	mod->n_syms = k;
	return NULL;
}

struct ms_error *ms_module_symbol(struct ms_module *mod, const char *name,
				  uint64_t *addr_ret, uint64_t *size_ret)
{
	struct ms_error *err = load_symbols(mod);
	if (err)
		return err;
	size_t lo = 0, hi = mod->n_syms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(mod->syms_by_name[mid]->name, name);
		if (c == 0) {
			*addr_ret = mod->syms_by_name[mid]->addr;
			if (size_ret)
				*size_ret = mod->syms_by_name[mid]->size;
			return NULL;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return ms_error_create(MS_ERR_NOT_FOUND, "%s: no symbol '%s'",
			       mod->file_path ? mod->file_path : mod->core_path,
			       name);
}

// How many of @p mod's symbols (sorted by address) start at or below @p addr.
static size_t syms_upto(const struct ms_module *mod, uint64_t addr)
{
	size_t lo = 0, hi = mod->n_syms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (mod->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct ms_error *ms_module_symbolize(struct ms_module *mod, uint64_t addr,
				     const char **name_ret,
				     uint64_t *offset_ret)
{
	struct ms_error *err = load_symbols(mod);
	if (err)
		return err;
	// Last symbol at or below addr.
	size_t lo = syms_upto(mod, addr);
	// Walk back over symbols at the same address to the preferred one
	// (sorted functions first), then check it covers addr.
	if (lo > 0) {
		size_t i = lo - 1;
		uint64_t a = mod->syms[i].addr;
		while (i > 0 && mod->syms[i - 1].addr == a)
			i--;
		const struct ms_symbol *s = &mod->syms[i];
		// Go's symbols all have sizes; a zero-size symbol only matches
		// its own address.
		if (addr - s->addr < s->size || addr == s->addr) {
			*name_ret = s->name;
			*offset_ret = addr - s->addr;
			return NULL;
		}
	}
	if (mod->n_syms == 0 && mod->elf) {
		// Stripped: Go's own function table survives -s -w.
		struct ms_pclntab *tab = NULL;
		struct ms_error *e = ms_module_pclntab(mod, &tab);
		if (e == &ms_enomem)
			return e;
		ms_error_destroy(e);
		uint64_t start;
		const char *name;
		if (tab) {
			e = ms_pclntab_lookup(tab, addr - mod->bias, &name, &start);
			if (!e) {
				*name_ret = name;
				*offset_ret = addr - mod->bias - start;
				return NULL;
			}
			if (e == &ms_enomem)
				return e;
			ms_error_destroy(e);
		}
	}
	return ms_error_create(MS_ERR_NOT_FOUND, "no symbol at 0x%llx",
			       (unsigned long long)addr);
}

struct ms_error *ms_module_marker(struct ms_module *mod, uint64_t addr,
				  const char **name_ret, uint64_t *offset_ret)
{
	struct ms_error *err = load_symbols(mod);
	if (err)
		return err;
	size_t lo = syms_upto(mod, addr);
	// Among the symbols at that address, a sized one would hold it.
	uint64_t at = lo ? mod->syms[lo - 1].addr : 0;
	for (size_t i = lo; i > 0 && mod->syms[i - 1].addr == at; i--) {
		if (mod->syms[i - 1].size) {
			lo = 0;
			break;
		}
	}
	if (lo == 0 || !mod->syms[lo - 1].name[0])
		return ms_error_create(MS_ERR_NOT_FOUND, "no marker symbol below 0x%llx",
				       (unsigned long long)addr);
	*name_ret = mod->syms[lo - 1].name;
	*offset_ret = addr - mod->syms[lo - 1].addr;
	return NULL;
}

struct ms_error *ms_module_pclntab(struct ms_module *mod,
				   struct ms_pclntab **ret)
{
	if (!mod->pclntab_tried && mod->elf) {
		mod->pclntab_tried = true;
		struct ms_error *e = ms_pclntab_open(mod->elf, mod->file_path,
						     &mod->pclntab);
		if (e == &ms_enomem) {
			mod->pclntab_tried = false;
			return e;
		}
		ms_error_destroy(e);
		// The moduledata's text (read from the core) is right where the
		// file's guesses are not (Go 1.26 no longer writes textStart).
		const struct ms_range *text = &mod->ranges[MS_SECTION_TEXT];
		if (mod->pclntab && text->start)
			ms_pclntab_set_text_start(mod->pclntab,
						  text->start - mod->bias);
	}
	if (!mod->pclntab)
		return ms_error_create(MS_ERR_NOT_FOUND, "%s: no Go pclntab",
				       mod->core_path);
	*ret = mod->pclntab;
	return NULL;
}

struct ms_error *ms_module_dwarf(struct ms_module *mod, struct ms_dwarf **ret)
{
	if (!mod->dwarf_tried) {
		mod->dwarf_tried = true;
		if (!mod->elf)
			mod->dwarf_err = ms_error_create(MS_ERR_NOT_FOUND,
							 "%s: file not available",
							 mod->core_path);
		else if (mod->fd >= 0)
			mod->dwarf_err = ms_dwarf_open(mod->fd, mod->file_path, &mod->dwarf);
		else
			mod->dwarf_err = ms_dwarf_create(mod->elf, mod->file_path,
							 &mod->dwarf);
	}
	if (mod->dwarf) {
		*ret = mod->dwarf;
		return NULL;
	}
	if (!mod->dwarf_err)
		return ms_error_create(MS_ERR_NOT_FOUND, "no DWARF");
	return ms_error_create(mod->dwarf_err->code, "%s", mod->dwarf_err->message);
}

struct ms_error *ms_module_section(struct ms_module *mod, const char *name,
				   uint64_t *addr_ret, uint64_t *size_ret,
				   const uint8_t **data_ret)
{
	size_t shstrndx;
	if (!mod->elf || elf_getshdrstrndx(mod->elf, &shstrndx) != 0)
		return ms_error_create(MS_ERR_NOT_FOUND, "no section headers");
	GElf_Shdr shdr;
	if (!ms_elf_section(mod->elf, name, &shdr))
		return ms_error_create(MS_ERR_NOT_FOUND, "%s: no section %s",
				       mod->file_path ? mod->file_path : mod->core_path, name);
	*addr_ret = shdr.sh_flags & SHF_ALLOC ? shdr.sh_addr + mod->bias : 0;
	*size_ret = shdr.sh_size;
	*data_ret = NULL;
	if (shdr.sh_type != SHT_NOBITS && !(shdr.sh_flags & SHF_COMPRESSED) &&
	    shdr.sh_offset <= mod->image_size &&
	    shdr.sh_size <= mod->image_size - shdr.sh_offset)
		*data_ret = mod->image + shdr.sh_offset;
	return NULL;
}

static int section_cmp(const void *a, const void *b)
{
	const struct ms_module_section *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

// The allocated sections, sorted once: classification asks for them often.
static void load_sections(struct ms_module *mod)
{
	if (mod->sections_loaded)
		return;
	mod->sections_loaded = true;
	size_t shstrndx, shnum;
	if (!mod->elf || elf_getshdrstrndx(mod->elf, &shstrndx) != 0 ||
	    elf_getshdrnum(mod->elf, &shnum) != 0 || shnum == 0)
		return;
	struct ms_module_section *secs = calloc(shnum, sizeof(*secs));
	if (!secs)
		return;
	size_t n = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(mod->elf, scn)) && n < shnum) {
		GElf_Shdr shdr;
		if (!gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_ALLOC) ||
		    shdr.sh_size == 0)
			continue;
		const char *name = elf_strptr(mod->elf, shstrndx, shdr.sh_name);
		if (!name)
			continue;
		secs[n].start = shdr.sh_addr + mod->bias;
		secs[n].end = secs[n].start + shdr.sh_size;
		secs[n].name = *name == '.' ? name + 1 : name;
		n++;
	}
	qsort(secs, n, sizeof(*secs), section_cmp);
	mod->sections = secs;
	mod->n_sections = n;
}

const char *ms_module_section_at(struct ms_module *mod, uint64_t addr)
{
	load_sections(mod);
	// Last section starting at or below addr (TLS sections may overlap
	// others; the later one in address order wins, which is fine here).
	size_t lo = 0, hi = mod->n_sections;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (mod->sections[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i-- > 0;) {
		const struct ms_module_section *sec = &mod->sections[i];
		if (addr < sec->end)
			return sec->name;
		// Sections do not nest; one step back is enough except for
		// .tbss, which overlaps what follows it.
		if (i + 2 < lo)
			break;
	}
	return NULL;
}

static int got_slot_cmp(const void *a, const void *b)
{
	const struct ms_got_slot *x = a, *y = b;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

// Add the slots of one SHT_RELA section to *slots.
static struct ms_error *rela_slots(struct ms_module *mod, Elf_Scn *scn,
				   const GElf_Shdr *sh, struct ms_got_slot **slots,
				   size_t *n, size_t *cap)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	Elf_Scn *symscn = elf_getscn(mod->elf, sh->sh_link);
	Elf_Data *symdata = symscn ? elf_getdata(symscn, NULL) : NULL;
	size_t count = data && sh->sh_entsize ? data->d_size / sh->sh_entsize : 0;
	for (size_t i = 0; i < count; i++) {
		GElf_Rela r;
		GElf_Sym sym;
		if (!gelf_getrela(data, (int)i, &r))
			continue;
		struct ms_got_slot g = { .slot = r.r_offset + mod->bias };
		switch (GELF_R_TYPE(r.r_info)) {
		case R_X86_64_RELATIVE:
			g.value = (uint64_t)r.r_addend + mod->bias;
			g.resolved = true;
			break;
		case R_X86_64_GLOB_DAT:
		case R_X86_64_64:
			if (!symdata || !gelf_getsym(symdata, (int)GELF_R_SYM(r.r_info), &sym))
				continue;
			// A symbol of another module is resolved by the dynamic
			// linker: only the process's memory knows its value.
			if (sym.st_shndx != SHN_UNDEF) {
				g.value = sym.st_value + (uint64_t)r.r_addend + mod->bias;
				g.resolved = true;
			}
			break;
		default:
			continue;
		}
		if (*n == *cap) {
			size_t ncap = *cap ? 2 * *cap : 256;
			struct ms_got_slot *ns = realloc(*slots, ncap * sizeof(*ns));
			if (!ns)
				return &ms_enomem;
			*slots = ns;
			*cap = ncap;
		}
		(*slots)[(*n)++] = g;
	}
	return NULL;
}

struct ms_error *ms_module_got_slots(struct ms_module *mod,
				     const struct ms_got_slot **ret,
				     size_t *n_ret)
{
	if (!mod->got_loaded && mod->elf) {
		struct ms_got_slot *slots = NULL;
		size_t n = 0, cap = 0;
		Elf_Scn *scn = NULL;
		while ((scn = elf_nextscn(mod->elf, scn))) {
			GElf_Shdr sh;
			if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA)
				continue;
			struct ms_error *err = rela_slots(mod, scn, &sh, &slots, &n, &cap);
			if (err) {
				free(slots);
				return err;
			}
		}
		if (n)
			qsort(slots, n, sizeof(*slots), got_slot_cmp);
		mod->got_slots = slots;
		mod->n_got_slots = n;
		mod->got_loaded = true;
	}
	*ret = mod->got_slots;
	*n_ret = mod->n_got_slots;
	return NULL;
}

struct ms_error *ms_module_file_read(void *arg, uint64_t offset, void *buf,
				     size_t len)
{
	struct ms_module *mod = arg;
	if (!mod->image)
		return ms_error_fault(offset, MS_FAULT_NOT_DUMPED, "no file");
	uint8_t *out = buf;
	size_t have = 0;
	if (offset < mod->image_size)
		have = mod->image_size - offset < len ? mod->image_size - offset : len;
	if (have)
		memcpy(out, mod->image + offset, have);
	if (have < len) {
		// A mapping reads zeros to the end of the page holding the
		// file's end; beyond that the process would get SIGBUS.
		uint64_t page_end = (mod->image_size + 4095) & ~(uint64_t)4095;
		if (offset + len > page_end)
			return ms_error_fault(offset + have, MS_FAULT_NOT_DUMPED,
					      "past the end of %s", mod->file_path);
		memset(out + have, 0, len - have);
	}
	return NULL;
}
