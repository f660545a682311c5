/* Function names and entry points from a Go module's pclntab, which survives stripping. */
#include "config.h"

#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "binbuf.h"
#include "elf_section.h"
#include "pclntab.h"

// runtime/symtab.go (abi.PCLnTabMagic): the header changed in 1.18 (text
// offsets instead of pointers) and 1.20 (same layout, new magic); 1.26
// stopped filling in textStart but kept the slot.
static const uint32_t magic_go118 = 0xfffffff0;
static const uint32_t magic_go120 = 0xfffffff1;
static const uint32_t magic_go116 = 0xfffffffa;
static const uint32_t magic_go12 = 0xfffffffb;

// Index of moduledata.text in pointer-sized words: pcHeader, six slices of
// three words, findfunctab, minpc, maxpc (runtime/symtab.go, 1.18 to 1.26).
static const unsigned moduledata_text_word = 22;

// A larger count is a damaged header, not a real module.
static const uint64_t max_funcs = 1 << 24;

struct ms_pclntab {
	char *name;
	const uint8_t *data;
	size_t len;
	uint64_t base;
	unsigned version;
	uint8_t ptrsize, minlc;
	size_t nfunc;
	uint64_t nfiles;
	uint64_t header_text;
	uint64_t funcname_off, cu_off, filetab_off, pctab_off, pcln_off;
	uint64_t text_start;
	enum ms_pclntab_text_source text_source;
};

const char *ms_pclntab_text_source_str(enum ms_pclntab_text_source src)
{
	switch (src) {
	case MS_PCLNTAB_TEXT_UNKNOWN: return "unknown";
	case MS_PCLNTAB_TEXT_GIVEN: return "given";
	case MS_PCLNTAB_TEXT_HEADER: return "header";
	case MS_PCLNTAB_TEXT_SYMTAB: return "symtab";
	case MS_PCLNTAB_TEXT_MODULEDATA: return "moduledata";
	case MS_PCLNTAB_TEXT_SECTION: return "section";
	}
	return "?";
}

static struct ms_error *bad(const struct ms_pclntab *tab, uint64_t off,
			    const char *what)
{
	return ms_error_create(MS_ERR_BAD_DATA, "%s: pclntab at 0x%llx: %s at 0x%llx",
			       tab->name, (unsigned long long)tab->base, what,
			       (unsigned long long)(tab->base + off));
}

static struct ms_error *read_word(struct ms_binbuf *bb, uint8_t ptrsize,
				  uint64_t *ret)
{
	if (ptrsize == 8)
		return ms_binbuf_u64(bb, ret);
	uint32_t v = 0;
	struct ms_error *err = ms_binbuf_u32(bb, &v);
	if (!err)
		*ret = v;
	return err;
}

// ftab entry i: {entryoff, funcoff}, both u32, relative to the text start
// and to the pclntable. parse() checked that all nfunc + 1 entries fit.
static uint32_t ftab_entry(const struct ms_pclntab *tab, size_t i)
{
	return ms_load_u32(tab->data + tab->pcln_off + 8 * i);
}

static uint32_t ftab_funcoff(const struct ms_pclntab *tab, size_t i)
{
	return ms_load_u32(tab->data + tab->pcln_off + 8 * i + 4);
}

static struct ms_error *parse_header(struct ms_pclntab *tab)
{
	struct ms_binbuf bb;
	uint32_t magic = 0;
	uint8_t pad1 = 0, pad2 = 0;
	struct ms_error *err;

	ms_binbuf_init(&bb, tab->data, tab->len, tab->name, tab->base);
	if ((err = ms_binbuf_u32(&bb, &magic)))
		return err;
	if (magic == magic_go118) {
		tab->version = 118;
	} else if (magic == magic_go120) {
		tab->version = 120;
	} else if (magic == magic_go116 || magic == magic_go12) {
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "%s: pclntab at 0x%llx is from Go before 1.18",
				       tab->name, (unsigned long long)tab->base);
	} else if (magic == __builtin_bswap32(magic_go118) ||
		   magic == __builtin_bswap32(magic_go120)) {
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "%s: big-endian pclntab at 0x%llx",
				       tab->name, (unsigned long long)tab->base);
	} else {
		return bad(tab, 0, "no pclntab magic");
	}
	if ((err = ms_binbuf_u8(&bb, &pad1)) ||
	    (err = ms_binbuf_u8(&bb, &pad2)) ||
	    (err = ms_binbuf_u8(&bb, &tab->minlc)) ||
	    (err = ms_binbuf_u8(&bb, &tab->ptrsize)))
		return err;
	if (pad1 || pad2)
		return bad(tab, 4, "non-zero header padding");
	if (tab->minlc != 1 && tab->minlc != 2 && tab->minlc != 4)
		return bad(tab, 6, "bad instruction size quantum");
	if (tab->ptrsize != 4 && tab->ptrsize != 8)
		return bad(tab, 7, "bad pointer size");

	uint64_t nfunc = 0;
	if ((err = read_word(&bb, tab->ptrsize, &nfunc)) ||
	    (err = read_word(&bb, tab->ptrsize, &tab->nfiles)) ||
	    (err = read_word(&bb, tab->ptrsize, &tab->header_text)) ||
	    (err = read_word(&bb, tab->ptrsize, &tab->funcname_off)) ||
	    (err = read_word(&bb, tab->ptrsize, &tab->cu_off)) ||
	    (err = read_word(&bb, tab->ptrsize, &tab->filetab_off)) ||
	    (err = read_word(&bb, tab->ptrsize, &tab->pctab_off)) ||
	    (err = read_word(&bb, tab->ptrsize, &tab->pcln_off)))
		return err;
	if (nfunc == 0 || nfunc > max_funcs)
		return bad(tab, 8, "implausible function count");
	tab->nfunc = (size_t)nfunc;

	// The tables follow the header in this order (cmd/link/internal/ld/pcln.go).
	uint64_t header_len = ms_binbuf_offset(&bb) - tab->base;
	if (tab->funcname_off < header_len || tab->cu_off < tab->funcname_off ||
	    tab->filetab_off < tab->cu_off || tab->pctab_off < tab->filetab_off ||
	    tab->pcln_off < tab->pctab_off || tab->pcln_off > tab->len)
		return bad(tab, 8 + 3 * (uint64_t)tab->ptrsize,
			   "table offsets out of order or out of bounds");
	if ((tab->len - tab->pcln_off) / 8 < nfunc + 1)
		return bad(tab, tab->pcln_off, "function table runs past the end");

	// Binary search needs ascending entries; the last one is etext.
	for (size_t i = 1; i <= tab->nfunc; i++) {
		if (ftab_entry(tab, i) < ftab_entry(tab, i - 1))
			return bad(tab, tab->pcln_off + 8 * i,
				   "function table not sorted");
	}
	return NULL;
}

struct ms_error *ms_pclntab_parse(const void *buf, size_t len,
				  const char *name, uint64_t base,
				  uint64_t text_start,
				  struct ms_pclntab **ret)
{
	struct ms_pclntab *tab = calloc(1, sizeof(*tab));
	if (!tab)
		return &ms_enomem;
	tab->name = strdup(name ? name : "pclntab");
	if (!tab->name) {
		free(tab);
		return &ms_enomem;
	}
	tab->data = buf;
	tab->len = len;
	tab->base = base;
	struct ms_error *err = parse_header(tab);
	if (err) {
		ms_pclntab_destroy(tab);
		return err;
	}
	if (text_start) {
		tab->text_start = text_start;
		tab->text_source = MS_PCLNTAB_TEXT_GIVEN;
	} else if (tab->header_text) {
		tab->text_start = tab->header_text;
		tab->text_source = MS_PCLNTAB_TEXT_HEADER;
	}
	*ret = tab;
	return NULL;
}

void ms_pclntab_destroy(struct ms_pclntab *tab)
{
	if (!tab)
		return;
	free(tab->name);
	free(tab);
}

void ms_pclntab_set_text_start(struct ms_pclntab *tab, uint64_t text_start)
{
	tab->text_start = text_start;
	tab->text_source = text_start ? MS_PCLNTAB_TEXT_GIVEN
				      : MS_PCLNTAB_TEXT_UNKNOWN;
}

uint64_t ms_pclntab_text_start(const struct ms_pclntab *tab,
			       enum ms_pclntab_text_source *source_ret)
{
	if (source_ret)
		*source_ret = tab->text_source;
	return tab->text_start;
}

uint64_t ms_pclntab_base(const struct ms_pclntab *tab)
{
	return tab->base;
}

size_t ms_pclntab_count(const struct ms_pclntab *tab)
{
	return tab->nfunc;
}

unsigned ms_pclntab_version(const struct ms_pclntab *tab)
{
	return tab->version;
}

// The name of function i, checked against the function table: its _func
// must lie in the pclntable, agree on the entry, and name a NUL-terminated
// string inside funcnametab.
static struct ms_error *func_name(const struct ms_pclntab *tab, size_t i,
				  const char **ret)
{
	struct ms_binbuf bb;
	uint32_t entry = 0, name_off = 0;
	struct ms_error *err;
	uint64_t off = tab->pcln_off + (uint64_t)ftab_funcoff(tab, i);

	if (off >= tab->len)
		return bad(tab, tab->pcln_off + 8 * i + 4,
			   "function offset out of bounds");
	ms_binbuf_init(&bb, tab->data + off, tab->len - off, tab->name,
		       tab->base + off);
	if ((err = ms_binbuf_u32(&bb, &entry)) ||
	    (err = ms_binbuf_u32(&bb, &name_off)))
		return err;
	if (entry != ftab_entry(tab, i))
		return bad(tab, off, "function entry disagrees with the function table");
	// Name the _func's nameOff field when it is the offset that is bad.
	if ((int32_t)name_off < 0 || name_off >= tab->cu_off - tab->funcname_off)
		return bad(tab, off + 4, "function name offset out of bounds");
	return ms_pclntab_name(tab, (int32_t)name_off, ret);
}

struct ms_error *ms_pclntab_name(const struct ms_pclntab *tab,
				 int32_t name_off, const char **ret)
{
	uint64_t names_len = tab->cu_off - tab->funcname_off;
	if (name_off < 0 || (uint64_t)name_off >= names_len)
		return bad(tab, tab->funcname_off,
			   "function name offset out of bounds");
	const char *name = (const char *)tab->data + tab->funcname_off + name_off;
	if (!memchr(name, '\0', (size_t)(names_len - (uint64_t)name_off)))
		return bad(tab, tab->funcname_off + (uint64_t)name_off,
			   "unterminated function name");
	*ret = name;
	return NULL;
}

static struct ms_error *need_text(const struct ms_pclntab *tab)
{
	if (tab->text_source == MS_PCLNTAB_TEXT_UNKNOWN)
		return ms_error_create(MS_ERR_USAGE,
				       "%s: pclntab at 0x%llx: text start unknown",
				       tab->name, (unsigned long long)tab->base);
	return NULL;
}

// Index of the function holding link-time pc.
static struct ms_error *find_index(const struct ms_pclntab *tab,
				   uint64_t link_time_pc, size_t *ret)
{
	struct ms_error *err = need_text(tab);
	if (err)
		return err;
	uint64_t etext = ftab_entry(tab, tab->nfunc);
	if (link_time_pc < tab->text_start ||
	    link_time_pc - tab->text_start >= etext ||
	    link_time_pc - tab->text_start < ftab_entry(tab, 0))
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "%s: no Go function at 0x%llx",
				       tab->name, (unsigned long long)link_time_pc);
	uint32_t off = (uint32_t)(link_time_pc - tab->text_start);
	// The last entry at or below off: lo ends as the first above it.
	size_t lo = 0, hi = tab->nfunc;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ftab_entry(tab, mid) <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	*ret = lo - 1;
	return NULL;
}

struct ms_error *ms_pclntab_lookup(const struct ms_pclntab *tab,
				   uint64_t link_time_pc,
				   const char **name_ret,
				   uint64_t *func_start_ret)
{
	size_t i;
	struct ms_error *err = find_index(tab, link_time_pc, &i);
	if (err)
		return err;
	const char *name = NULL;
	if ((err = func_name(tab, i, &name)))
		return err;
	if (name_ret)
		*name_ret = name;
	if (func_start_ret)
		*func_start_ret = tab->text_start + ftab_entry(tab, i);
	return NULL;
}

struct ms_error *ms_pclntab_func(const struct ms_pclntab *tab, size_t index,
				 struct ms_pclntab_func *ret)
{
	struct ms_error *err = need_text(tab);
	if (err)
		return err;
	if (index >= tab->nfunc)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "%s: no function %zu in a pclntab of %zu",
				       tab->name, index, tab->nfunc);
	const char *name = NULL;
	if ((err = func_name(tab, index, &name)))
		return err;
	ret->name = name;
	ret->start = tab->text_start + ftab_entry(tab, index);
	ret->end = tab->text_start + ftab_entry(tab, index + 1);
	return NULL;
}

// Offset of the pcdata array after the fixed part of runtime._func:
// Go 1.20 added startLine (4 bytes) before funcID.
static uint64_t func_fixed_size(const struct ms_pclntab *tab)
{
	return tab->version >= 120 ? 44 : 40;
}

struct ms_error *ms_pclntab_func_at(const struct ms_pclntab *tab,
				    uint64_t link_time_pc,
				    struct ms_pclntab_funcinfo *ret)
{
	size_t i;
	struct ms_error *err = find_index(tab, link_time_pc, &i);
	if (err)
		return err;
	struct ms_pclntab_funcinfo f = { 0 };
	if ((err = func_name(tab, i, &f.name)))
		return err;
	uint64_t off = tab->pcln_off + (uint64_t)ftab_funcoff(tab, i);
	// func_name() checked that the first 8 bytes are there.
	struct ms_binbuf bb;
	uint32_t u = 0;
	ms_binbuf_init(&bb, tab->data + off, tab->len - off, tab->name,
		       tab->base + off);
	if ((err = ms_binbuf_skip(&bb, 8)) ||
	    (err = ms_binbuf_u32(&bb, &u)))
		return err;
	f.args = (int32_t)u;
	if ((err = ms_binbuf_u32(&bb, &f.deferreturn)) ||
	    (err = ms_binbuf_u32(&bb, &f.pcsp)) ||
	    (err = ms_binbuf_u32(&bb, &f.pcfile)) ||
	    (err = ms_binbuf_u32(&bb, &f.pcln)) ||
	    (err = ms_binbuf_u32(&bb, &f.npcdata)) ||
	    (err = ms_binbuf_u32(&bb, &f.cu_offset)))
		return err;
	if (tab->version >= 120) {
		if ((err = ms_binbuf_u32(&bb, &u)))
			return err;
		f.start_line = (int32_t)u;
	}
	uint8_t pad = 0;
	if ((err = ms_binbuf_u8(&bb, &f.func_id)) ||
	    (err = ms_binbuf_u8(&bb, &f.flag)) ||
	    (err = ms_binbuf_u8(&bb, &pad)) ||
	    (err = ms_binbuf_u8(&bb, &f.nfuncdata)))
		return err;
	// The pcdata and funcdata arrays must be inside the table too.
	if (f.npcdata > 64 ||
	    (uint64_t)(f.npcdata + f.nfuncdata) * 4 > ms_binbuf_left(&bb))
		return bad(tab, off, "function's pcdata and funcdata out of bounds");
	f.entry = tab->text_start + ftab_entry(tab, i);
	f.end = tab->text_start + ftab_entry(tab, i + 1);
	f.func_off = off;
	*ret = f;
	return NULL;
}

// One varint of a pc-value table (runtime.readvarint).
static bool read_varint(const struct ms_pclntab *tab, uint64_t *off,
			uint32_t *ret)
{
	uint32_t v = 0;
	for (unsigned shift = 0; shift < 35; shift += 7) {
		if (*off >= tab->len)
			return false;
		uint8_t b = tab->data[(*off)++];
		v |= (uint32_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*ret = v;
			return true;
		}
	}
	return false;
}

struct ms_error *ms_pclntab_pcvalue(const struct ms_pclntab *tab,
				    const struct ms_pclntab_funcinfo *f,
				    uint32_t table, uint64_t pc,
				    int32_t *ret)
{
	if (table == 0)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "%s: %s has no such pc-value table",
				       tab->name, f->name);
	uint64_t off = tab->pctab_off + table;
	int32_t val = -1;
	uint64_t cur = f->entry;
	// runtime.step: a zigzag value delta, then a pc delta in units of
	// the instruction quantum; a zero value delta after the first pair
	// ends the table. Each value holds for [previous pc, cur).
	for (bool first = true;; first = false) {
		uint32_t uv, pcd;
		if (!read_varint(tab, &off, &uv))
			return bad(tab, tab->pctab_off + table,
				   "pc-value table runs past the end");
		if (uv == 0 && !first)
			break;
		int32_t delta = (uv & 1) ? (int32_t)~(uv >> 1) : (int32_t)(uv >> 1);
		if (!read_varint(tab, &off, &pcd))
			return bad(tab, tab->pctab_off + table,
				   "pc-value table runs past the end");
		val += delta;
		cur += (uint64_t)pcd * tab->minlc;
		if (pc < cur) {
			*ret = val;
			return NULL;
		}
		if (cur >= f->end)
			break;
	}
	return ms_error_create(MS_ERR_NOT_FOUND,
			       "%s: pc 0x%llx is past the pc-value table of %s",
			       tab->name, (unsigned long long)pc, f->name);
}

struct ms_error *ms_pclntab_sp_delta(const struct ms_pclntab *tab,
				     const struct ms_pclntab_funcinfo *f,
				     uint64_t pc, int32_t *ret)
{
	return ms_pclntab_pcvalue(tab, f, f->pcsp, pc, ret);
}

struct ms_error *ms_pclntab_line(const struct ms_pclntab *tab,
				 const struct ms_pclntab_funcinfo *f,
				 uint64_t pc, const char **file_ret,
				 int32_t *line_ret)
{
	int32_t fileno = -1, line = 0;
	struct ms_error *err = ms_pclntab_pcvalue(tab, f, f->pcln, pc, &line);
	if (err)
		return err;
	err = ms_pclntab_pcvalue(tab, f, f->pcfile, pc, &fileno);
	if (err && err->code != MS_ERR_NOT_FOUND)
		return err;
	ms_error_destroy(err);
	*file_ret = "?";
	*line_ret = line;
	// cutab[cuOffset + fileno] is the file's offset in filetab.
	uint64_t idx = (uint64_t)f->cu_offset + (uint64_t)(int64_t)fileno;
	if (fileno < 0 || idx >= (tab->filetab_off - tab->cu_off) / 4)
		return NULL;
	uint32_t foff = ms_load_u32(tab->data + tab->cu_off + 4 * idx);
	uint64_t flen = tab->pctab_off - tab->filetab_off;
	if (foff == UINT32_MAX || foff >= flen)
		return NULL;
	const char *file = (const char *)tab->data + tab->filetab_off + foff;
	if (memchr(file, '\0', (size_t)(flen - foff)))
		*file_ret = file;
	return NULL;
}

struct ms_error *ms_pclntab_pcdata(const struct ms_pclntab *tab,
				   const struct ms_pclntab_funcinfo *f,
				   unsigned index, uint64_t pc, int32_t *ret)
{
	if (index >= f->npcdata)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "%s: %s has no pcdata %u", tab->name,
				       f->name, index);
	// ms_pclntab_func_at() checked the array is inside the table.
	uint32_t table = ms_load_u32(tab->data + f->func_off +
				     func_fixed_size(tab) + 4 * (uint64_t)index);
	return ms_pclntab_pcvalue(tab, f, table, pc, ret);
}

struct ms_error *ms_pclntab_funcdata(const struct ms_pclntab *tab,
				     const struct ms_pclntab_funcinfo *f,
				     unsigned index, uint32_t *ret)
{
	uint32_t off = UINT32_MAX;
	if (index < f->nfuncdata)
		off = ms_load_u32(tab->data + f->func_off + func_fixed_size(tab) +
				  4 * ((uint64_t)f->npcdata + index));
	if (off == UINT32_MAX)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "%s: %s has no funcdata %u", tab->name,
				       f->name, index);
	*ret = off;
	return NULL;
}

// Finding the table in an ELF file.

struct elf_file {
	Elf *elf;
	const char *path;
	const uint8_t *image;
	size_t size;
	size_t phnum;
};

static bool file_load(const struct elf_file *f, size_t i, GElf_Phdr *ph)
{
	return gelf_getphdr(f->elf, (int)i, ph) && ph->p_type == PT_LOAD &&
	       ph->p_offset <= f->size && ph->p_filesz <= f->size - ph->p_offset;
}

static bool vaddr_to_offset(const struct elf_file *f, uint64_t vaddr,
			    uint64_t *off_ret, uint64_t *avail_ret)
{
	for (size_t i = 0; i < f->phnum; i++) {
		GElf_Phdr ph;
		if (!file_load(f, i, &ph) || vaddr < ph.p_vaddr ||
		    vaddr - ph.p_vaddr >= ph.p_filesz)
			continue;
		*off_ret = ph.p_offset + (vaddr - ph.p_vaddr);
		*avail_ret = ph.p_filesz - (vaddr - ph.p_vaddr);
		return true;
	}
	return false;
}

static bool offset_to_vaddr(const struct elf_file *f, uint64_t off,
			    uint64_t *ret)
{
	for (size_t i = 0; i < f->phnum; i++) {
		GElf_Phdr ph;
		if (!file_load(f, i, &ph) || off < ph.p_offset ||
		    off - ph.p_offset >= ph.p_filesz)
			continue;
		*ret = ph.p_vaddr + (off - ph.p_offset);
		return true;
	}
	return false;
}

// The range [start, end) lies inside one executable PT_LOAD.
static bool in_exec_load(const struct elf_file *f, uint64_t start,
			 uint64_t end)
{
	for (size_t i = 0; i < f->phnum; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(f->elf, (int)i, &ph) && ph.p_type == PT_LOAD &&
		    (ph.p_flags & PF_X) && start >= ph.p_vaddr && end >= start &&
		    end <= ph.p_vaddr + ph.p_memsz)
			return true;
	}
	return false;
}

static bool find_section(const struct elf_file *f, const char *want,
			 GElf_Shdr *ret)
{
	return ms_elf_section(f->elf, want, ret) != NULL;
}

// The value of a symbol from .symtab (link-time address).
static bool find_symbol(const struct elf_file *f, const char *want,
			uint64_t *ret)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(f->elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    !sh.sh_entsize)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		size_t n = data->d_size / sh.sh_entsize;
		for (size_t i = 0; i < n; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(data, (int)i, &sym) || !sym.st_value)
				continue;
			const char *name = elf_strptr(f->elf, sh.sh_link, sym.st_name);
			if (name && strcmp(name, want) == 0) {
				*ret = sym.st_value;
				return true;
			}
		}
	}
	return false;
}

// Parse the table at a file offset, bounded by the section or segment.
static struct ms_error *parse_at(const struct elf_file *f, uint64_t off,
				 uint64_t avail, struct ms_pclntab **ret)
{
	if (off > f->size || avail > f->size - off)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: pclntab at 0x%llx lies outside the file",
				       f->path, (unsigned long long)off);
	return ms_pclntab_parse(f->image + off, (size_t)avail, f->path, off, 0,
				ret);
}

// Search the non-executable PT_LOADs for a pcHeader magic at pointer
// alignment that parses.
static struct ms_error *search_magic(const struct elf_file *f,
				     struct ms_pclntab **ret)
{
	for (size_t i = 0; i < f->phnum; i++) {
		GElf_Phdr ph;
		if (!file_load(f, i, &ph) || (ph.p_flags & PF_X))
			continue;
		const uint8_t *p = f->image + ph.p_offset;
		uint64_t skew = (8 - (ph.p_vaddr & 7)) & 7;
		for (uint64_t o = skew; o + 16 <= ph.p_filesz; o += 8) {
			uint32_t m = ms_load_u32(p + o);
			if ((m != magic_go118 && m != magic_go120) || p[o + 4] ||
			    p[o + 5])
				continue;
			struct ms_pclntab *tab = NULL;
			struct ms_error *err = parse_at(f, ph.p_offset + o,
							ph.p_filesz - o, &tab);
			if (!err) {
				*ret = tab;
				return NULL;
			}
			ms_error_destroy(err);
		}
	}
	return ms_error_create(MS_ERR_NOT_FOUND, "%s: no Go pclntab", f->path);
}

static struct ms_error *locate(const struct elf_file *f,
			       struct ms_pclntab **ret, uint64_t *vaddr_ret)
{
	GElf_Shdr sh;
	uint64_t off, avail, vaddr;
	struct ms_error *err;

	// Go 1.18+ linkers emit .gopclntab; external PIE links may name it
	// .data.rel.ro.gopclntab (cmd/internal/objfile/elf.go looks for both).
	if ((find_section(f, ".gopclntab", &sh) ||
	     find_section(f, ".data.rel.ro.gopclntab", &sh)) &&
	    sh.sh_type != SHT_NOBITS && !(sh.sh_flags & SHF_COMPRESSED)) {
		if ((err = parse_at(f, sh.sh_offset, sh.sh_size, ret)))
			return err;
		*vaddr_ret = sh.sh_addr;
		return NULL;
	}
	// Go 1.19 plugins merge it into .data.rel.ro; the symbol remains
	// unless the file is stripped.
	if (find_symbol(f, "runtime.pclntab", &vaddr) &&
	    vaddr_to_offset(f, vaddr, &off, &avail)) {
		if ((err = parse_at(f, off, avail, ret)))
			return err;
		*vaddr_ret = vaddr;
		return NULL;
	}
	if ((err = search_magic(f, ret)))
		return err;
	if (!offset_to_vaddr(f, (*ret)->base, vaddr_ret))
		*vaddr_ret = 0;
	return NULL;
}

// The moduledata holds pcHeader and funcnametab pointers: a word equal to
// the table's address followed by one equal to address + funcnameOffset.
// Internal and external linkers both write the values into the file, also
// for PIE and plugins where a dynamic relocation repeats them.
static bool text_from_moduledata(const struct elf_file *f,
				 const struct ms_pclntab *tab, uint64_t vaddr,
				 uint64_t *ret)
{
	unsigned w = tab->ptrsize;
	uint64_t etext_off = ftab_entry(tab, tab->nfunc);
	if (!vaddr)
		return false;
	for (size_t i = 0; i < f->phnum; i++) {
		GElf_Phdr ph;
		if (!file_load(f, i, &ph) || (ph.p_flags & PF_X))
			continue;
		const uint8_t *p = f->image + ph.p_offset;
		uint64_t need = (uint64_t)(moduledata_text_word + 1) * w;
		for (uint64_t o = 0; o + need <= ph.p_filesz; o += w) {
			if (ms_le(p + o, w) != vaddr ||
			    ms_le(p + o + w, w) != vaddr + tab->funcname_off)
				continue;
			uint64_t text = ms_le(p + o + moduledata_text_word * w, w);
			if (text && in_exec_load(f, text, text + etext_off)) {
				*ret = text;
				return true;
			}
		}
	}
	return false;
}

static void find_text_start(const struct elf_file *f, struct ms_pclntab *tab,
			    uint64_t vaddr)
{
	uint64_t text;
	GElf_Shdr sh;

	if (tab->text_source != MS_PCLNTAB_TEXT_UNKNOWN)
		return;
	if (find_symbol(f, "runtime.text", &text)) {
		tab->text_start = text;
		tab->text_source = MS_PCLNTAB_TEXT_SYMTAB;
		return;
	}
	if (text_from_moduledata(f, tab, vaddr, &text)) {
		tab->text_start = text;
		tab->text_source = MS_PCLNTAB_TEXT_MODULEDATA;
		return;
	}
	// Internally linked binaries start runtime.text at .text; external
	// links put C start-up code first, which this cannot know.
	if (find_section(f, ".text", &sh) && sh.sh_addr) {
		tab->text_start = sh.sh_addr;
		tab->text_source = MS_PCLNTAB_TEXT_SECTION;
		return;
	}
	for (size_t i = 0; i < f->phnum; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(f->elf, (int)i, &ph) && ph.p_type == PT_LOAD &&
		    (ph.p_flags & PF_X)) {
			tab->text_start = ph.p_vaddr;
			tab->text_source = MS_PCLNTAB_TEXT_SECTION;
			return;
		}
	}
}

struct ms_error *ms_pclntab_open(Elf *elf, const char *path,
				 struct ms_pclntab **ret)
{
	struct elf_file f = { .elf = elf, .path = path ? path : "ELF file" };
	char *raw = elf_rawfile(elf, &f.size);
	if (!raw)
		return ms_error_libelf(f.path);
	f.image = (const uint8_t *)raw;
	if (elf_getphdrnum(elf, &f.phnum) != 0)
		f.phnum = 0;

	struct ms_pclntab *tab = NULL;
	uint64_t vaddr = 0;
	struct ms_error *err = locate(&f, &tab, &vaddr);
	if (err)
		return err;
	find_text_start(&f, tab, vaddr);
	*ret = tab;
	return NULL;
}
