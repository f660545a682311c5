/* The DWARF of one ELF file, with a lazy name index of its top-level types and variables. */
#include "config.h"

#include <dwarf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "binbuf.h"
#include "dwarf_index.h"

enum entry_kind {
	ENTRY_TYPE,
	ENTRY_VARIABLE,
	ENTRY_FUNCTION,	// a subprogram, unnamed here and not in the hash
};

struct index_entry {
	const char *name;	// points into .debug_str or .debug_info
	uint64_t off;		// global DIE offset
	uint32_t hash;
	uint8_t kind;
};

struct ms_dwarf {
	Dwarf *dwarf;
	Elf *elf;
	bool own_elf;		// opened by ms_dwarf_open(), ended with it
	char *path;
	uint64_t info_size;	// of .debug_info decompressed, 0 unknown
	bool indexed;
	bool indexed_fast;	// by build_index_fast()
	struct index_entry *entries;	// in DWARF order
	size_t n_entries, cap_entries;
	size_t n_functions;		// entries of ENTRY_FUNCTION
	uint32_t *slots;		// open addressing: entry index + 1, 0 empty
	size_t n_slots;			// power of two
};

// Nesting bound for typedef chains and member paths in damaged DWARF.
static const int max_depth = 64;

// The section @p name (".debug_info") or its .z form, its header and its
// name in the file; NULL when the file has neither.
static Elf_Scn *debug_section(Elf *elf, const char *name, GElf_Shdr *shdr,
			      const char **name_ret)
{
	size_t shstrndx;
	if (!elf || elf_getshdrstrndx(elf, &shstrndx) != 0)
		return NULL;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, shdr))
			continue;
		const char *n = elf_strptr(elf, shstrndx, shdr->sh_name);
		if (!n || (strcmp(n, name) != 0 &&
			   !(n[0] == '.' && n[1] == 'z' && strcmp(n + 2, name + 1) == 0)))
			continue;
		*name_ret = n;
		return scn;
	}
	return NULL;
}

// libdw does not say "no DWARF" apart from other failures in its public
// API, so look for the section ourselves (.zdebug_info: pre-1.11 Go, gccgo).
// Also return its size, decompressed, to tell the end of the units from a
// unit header that libdw gave up on.
static bool has_debug_info(Elf *elf, uint64_t *size_ret)
{
	GElf_Shdr shdr;
	const char *name;
	Elf_Scn *scn = debug_section(elf, ".debug_info", &shdr, &name);
	if (!scn)
		return false;
	GElf_Chdr chdr;
	*size_ret = shdr.sh_size;
	if ((shdr.sh_flags & SHF_COMPRESSED) && gelf_getchdr(scn, &chdr))
		*size_ret = chdr.ch_size;
	else if (name[1] == 'z')
		*size_ret = 0;	// size in its own header; not checked
	return true;
}

struct ms_error *ms_dwarf_create(Elf *elf, const char *path,
				 struct ms_dwarf **ret)
{
	struct ms_dwarf *dw = calloc(1, sizeof(*dw));
	if (!dw)
		return &ms_enomem;
	dw->path = strdup(path ? path : "(unnamed)");
	if (!dw->path) {
		free(dw);
		return &ms_enomem;
	}
	struct ms_error *err = NULL;
	if (!has_debug_info(elf, &dw->info_size)) {
		err = ms_error_create(MS_ERR_NOT_FOUND, "%s: no DWARF", dw->path);
		goto out;
	}
	dw->elf = elf;
	dw->dwarf = dwarf_begin_elf(elf, DWARF_C_READ, NULL);
	if (!dw->dwarf) {
		err = ms_error_create(MS_ERR_BAD_DATA, "%s: cannot read DWARF: %s",
				      dw->path, dwarf_errmsg(-1));
		goto out;
	}
	*ret = dw;
	return NULL;

out:
	free(dw->path);
	free(dw);
	return err;
}

/*
 * Sections of DWARF nothing here reads: line tables and call frame
 * information (file:line comes from the pclntab, unwinding from Go's
 * frame tables). dwarf_begin_elf() decompresses every section it knows
 * when it opens a file; these were a quarter of the bytes it inflated in
 * a Go binary's DWARF.
 */
static bool unread_section(const char *name)
{
	static const char *const names[] = { "debug_line", "debug_frame" };
	if (strncmp(name, ".zdebug_", 8) == 0)	// compressed the GNU way
		name += 2;
	else if (name[0] == '.')
		name++;
	else
		return false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

struct ms_error *ms_dwarf_open(int fd, const char *path, struct ms_dwarf **ret)
{
	// A handle of its own on the file, mapped copy-on-write, whose
	// section headers are changed in memory only (nothing is written
	// back: elf_update() is never called), so that libdw leaves the
	// unread sections alone (it skips SHT_NOBITS sections).
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP_PRIVATE, NULL);
	if (!elf)
		return ms_error_create(MS_ERR_BAD_DATA, "%s: cannot read ELF: %s",
				       path ? path : "(unnamed)", elf_errmsg(-1));
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx) == 0) {
		Elf_Scn *scn = NULL;
		while ((scn = elf_nextscn(elf, scn))) {
			GElf_Shdr shdr;
			if (!gelf_getshdr(scn, &shdr))
				continue;
			const char *n = elf_strptr(elf, shstrndx, shdr.sh_name);
			if (!n || !unread_section(n))
				continue;
			shdr.sh_type = SHT_NOBITS;
			(void)gelf_update_shdr(scn, &shdr);
		}
	}
	struct ms_error *err = ms_dwarf_create(elf, path, ret);
	if (err) {
		elf_end(elf);
		return err;
	}
	(*ret)->own_elf = true;
	return NULL;
}

void ms_dwarf_destroy(struct ms_dwarf *dw)
{
	if (!dw)
		return;
	dwarf_end(dw->dwarf);
	if (dw->own_elf)
		elf_end(dw->elf);
	free(dw->entries);
	free(dw->slots);
	free(dw->path);
	free(dw);
}

Dwarf *ms_dwarf_libdw(struct ms_dwarf *dw)
{
	return dw->dwarf;
}

const char *ms_dwarf_path(struct ms_dwarf *dw)
{
	return dw->path;
}

size_t ms_dwarf_index_size(struct ms_dwarf *dw)
{
	return dw->n_entries - dw->n_functions;
}

// FNV-1a.
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static bool is_type_tag(int tag)
{
	switch (tag) {
	case DW_TAG_base_type:
	case DW_TAG_pointer_type:
	case DW_TAG_structure_type:
	case DW_TAG_typedef:
	case DW_TAG_array_type:
	case DW_TAG_subroutine_type:
	case DW_TAG_unspecified_type:
	case DW_TAG_union_type:
	case DW_TAG_enumeration_type:
	case DW_TAG_class_type:
		return true;
	default:
		return false;
	}
}

static struct ms_error *add_entry(struct ms_dwarf *dw, const char *name,
				  uint64_t off, enum entry_kind kind)
{
	if (dw->n_entries == dw->cap_entries) {
		size_t cap = dw->cap_entries ? dw->cap_entries * 2 : 1024;
		struct index_entry *n = realloc(dw->entries, cap * sizeof(*n));
		if (!n)
			return &ms_enomem;
		dw->entries = n;
		dw->cap_entries = cap;
	}
	dw->entries[dw->n_entries++] = (struct index_entry){
		.name = name, .off = off, .hash = name_hash(name), .kind = kind,
	};
	if (kind == ENTRY_FUNCTION)
		dw->n_functions++;
	return NULL;
}

static struct ms_error *build_hash(struct ms_dwarf *dw)
{
	size_t n = 64;
	while (n < dw->n_entries * 2)
		n *= 2;
	dw->slots = calloc(n, sizeof(*dw->slots));
	if (!dw->slots)
		return &ms_enomem;
	dw->n_slots = n;
	for (size_t i = 0; i < dw->n_entries; i++) {
		const struct index_entry *e = &dw->entries[i];
		if (e->kind == ENTRY_FUNCTION)
			continue;
		size_t s = e->hash & (n - 1);
		bool dup = false;
		while (dw->slots[s]) {
			const struct index_entry *o = &dw->entries[dw->slots[s] - 1];
			// The first DIE of a name and kind wins: the Go linker
			// emits each type once, so a repeat is a declaration.
			if (o->hash == e->hash && o->kind == e->kind &&
			    strcmp(o->name, e->name) == 0) {
				dup = true;
				break;
			}
			s = (s + 1) & (n - 1);
		}
		if (!dup)
			dw->slots[s] = (uint32_t)i + 1;
	}
	return NULL;
}

static struct ms_error *dwarf_bad(struct ms_dwarf *dw, const char *what)
{
	return ms_error_create(MS_ERR_BAD_DATA, "%s: %s: %s", dw->path, what,
			       dwarf_errmsg(-1));
}

/*
 * The fast way to the same index: read the DIEs of .debug_info straight
 * from the bytes libdw decompressed, skipping each attribute by its form,
 * without libdw's per-DIE attribute lookups (Go writes no DW_AT_sibling, so
 * dwarf_siblingof() parses every attribute of every DIE inside a function
 * to get past it). Anything it does not know (a form, a unit, an
 * abbreviation out of bounds) makes it give up, and the walk through libdw
 * below builds the index, with its errors for damaged DWARF.
 */

// A bounded cursor over section bytes.
struct cur {
	const uint8_t *p, *end;
};

static bool cur_uleb(struct cur *c, uint64_t *ret)
{
	uint64_t v = 0;
	for (unsigned shift = 0; c->p < c->end; shift += 7) {
		uint8_t b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*ret = v;
			return true;
		}
	}
	return false;
}

static bool cur_skip(struct cur *c, uint64_t n)
{
	if (n > (uint64_t)(c->end - c->p))
		return false;
	c->p += n;
	return true;
}

// What one unit's header says about the size of its forms.
struct unit_sizes {
	unsigned version, address_size, offset_size;
};

// Skip one attribute value of @p form; false when it does not fit or the
// form is not one this walker knows.
static bool skip_form(struct cur *c, uint64_t form, const struct unit_sizes *u)
{
	uint64_t n;
	switch (form) {
	case DW_FORM_flag_present:
	case DW_FORM_implicit_const:
		return true;
	case DW_FORM_data1: case DW_FORM_ref1: case DW_FORM_flag:
	case DW_FORM_strx1: case DW_FORM_addrx1:
		return cur_skip(c, 1);
	case DW_FORM_data2: case DW_FORM_ref2: case DW_FORM_strx2:
	case DW_FORM_addrx2:
		return cur_skip(c, 2);
	case DW_FORM_strx3: case DW_FORM_addrx3:
		return cur_skip(c, 3);
	case DW_FORM_data4: case DW_FORM_ref4: case DW_FORM_strx4:
	case DW_FORM_addrx4: case DW_FORM_ref_sup4:
		return cur_skip(c, 4);
	case DW_FORM_data8: case DW_FORM_ref8: case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup8:
		return cur_skip(c, 8);
	case DW_FORM_data16:
		return cur_skip(c, 16);
	case DW_FORM_addr:
		return cur_skip(c, u->address_size);
	case DW_FORM_ref_addr:
		return cur_skip(c, u->version <= 2 ? u->address_size : u->offset_size);
	case DW_FORM_strp: case DW_FORM_sec_offset: case DW_FORM_line_strp:
	case DW_FORM_strp_sup: case DW_FORM_GNU_ref_alt:
	case DW_FORM_GNU_strp_alt:
		return cur_skip(c, u->offset_size);
	case DW_FORM_sdata: case DW_FORM_udata: case DW_FORM_ref_udata:
	case DW_FORM_strx: case DW_FORM_addrx: case DW_FORM_loclistx:
	case DW_FORM_rnglistx: case DW_FORM_GNU_addr_index:
	case DW_FORM_GNU_str_index:
		return cur_uleb(c, &n);
	case DW_FORM_string: {
		const uint8_t *z = memchr(c->p, 0, (size_t)(c->end - c->p));
		if (!z)
			return false;
		c->p = z + 1;
		return true;
	}
	case DW_FORM_block1:
		return c->p < c->end && cur_skip(c, 1 + (uint64_t)c->p[0]);
	case DW_FORM_block2:
		return c->end - c->p >= 2 && cur_skip(c, 2 + ms_le(c->p, 2));
	case DW_FORM_block4:
		return c->end - c->p >= 4 && cur_skip(c, 4 + ms_le(c->p, 4));
	case DW_FORM_block: case DW_FORM_exprloc:
		return cur_uleb(c, &n) && cur_skip(c, n);
	default:
		// DW_FORM_indirect included: not written by Go, left to libdw.
		return false;
	}
}

// One abbreviation: its tag, whether it has children, and its
// attributes as (name, form) pairs in attrs[first .. first + n).
struct abbrev {
	uint32_t tag, first, n;
	bool children, known;
};

// The abbreviations at one offset of .debug_abbrev, by code.
struct abbrev_table {
	uint64_t offset;
	bool valid;
	struct abbrev *by_code;	// index: the code; 0 unused
	size_t n_codes;
	uint64_t *attrs;	// name, form, name, form...
	size_t n_attrs, cap_attrs;
};

// Codes above this are left to libdw (Go's are below 64).
enum { MAX_ABBREV_CODE = 1 << 16 };

static void abbrev_table_clear(struct abbrev_table *t)
{
	free(t->by_code);
	free(t->attrs);
	memset(t, 0, sizeof(*t));
}

static bool abbrev_table_read(struct abbrev_table *t, const uint8_t *data,
			      size_t size, uint64_t offset)
{
	abbrev_table_clear(t);
	if (offset >= size)
		return false;
	struct cur c = { data + offset, data + size };
	for (;;) {
		uint64_t code, tag, name, form, cst;
		if (!cur_uleb(&c, &code))
			return false;
		if (code == 0)
			break;
		if (code >= MAX_ABBREV_CODE || !cur_uleb(&c, &tag) ||
		    tag > UINT32_MAX || c.p >= c.end)
			return false;
		bool children = *c.p++ != 0;
		if (code >= t->n_codes) {
			size_t n = t->n_codes ? t->n_codes : 64;
			while (n <= code)
				n *= 2;
			struct abbrev *a = realloc(t->by_code, n * sizeof(*a));
			if (!a)
				return false;
			memset(a + t->n_codes, 0, (n - t->n_codes) * sizeof(*a));
			t->by_code = a;
			t->n_codes = n;
		}
		struct abbrev *a = &t->by_code[code];
		if (a->known)
			return false;	// a code defined twice
		*a = (struct abbrev){ .tag = (uint32_t)tag, .children = children,
				      .first = (uint32_t)t->n_attrs, .known = true };
		for (;;) {
			if (!cur_uleb(&c, &name) || !cur_uleb(&c, &form))
				return false;
			if (name == 0 && form == 0)
				break;
			if (form == DW_FORM_implicit_const && !cur_uleb(&c, &cst))
				return false;
			if (t->n_attrs + 2 > t->cap_attrs) {
				size_t cap = t->cap_attrs ? 2 * t->cap_attrs : 256;
				if (cap > UINT32_MAX)
					return false;
				uint64_t *n = realloc(t->attrs, cap * sizeof(*n));
				if (!n)
					return false;
				t->attrs = n;
				t->cap_attrs = cap;
			}
			t->attrs[t->n_attrs++] = name;
			t->attrs[t->n_attrs++] = form;
			a->n++;
		}
	}
	t->offset = offset;
	t->valid = true;
	return true;
}

// The bytes of the section @p name (or its .z form), as libdw left them:
// decompressed by dwarf_begin_elf().
static bool section_bytes(Elf *elf, const char *name, const uint8_t **data,
			  size_t *size)
{
	GElf_Shdr shdr;
	const char *n;
	Elf_Scn *scn = debug_section(elf, name, &shdr, &n);
	// Still compressed: libdw did not read it this way.
	if (!scn || (shdr.sh_flags & SHF_COMPRESSED))
		return false;
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d || !d->d_buf || d->d_size == 0)
		return false;
	*data = d->d_buf;
	*size = d->d_size;
	return true;
}

// Index the unit whose DIEs are @p c; false to leave it all to libdw.
static bool fast_unit(struct ms_dwarf *dw, struct cur c, const uint8_t *info,
		      const struct abbrev_table *t, const struct unit_sizes *u,
		      struct ms_error **err)
{
	unsigned depth = 0;
	while (c.p < c.end) {
		const uint8_t *die = c.p;
		uint64_t code;
		if (!cur_uleb(&c, &code))
			return false;
		if (code == 0) {
			if (depth == 0)
				return true;	// padding after the unit DIE's children
			if (--depth == 0)
				return true;
			continue;
		}
		if (code >= t->n_codes || !t->by_code[code].known)
			return false;
		const struct abbrev *a = &t->by_code[code];
		enum entry_kind kind = ENTRY_TYPE;
		bool want = false;
		if (depth == 1) {
			if (a->tag == DW_TAG_variable) {
				kind = ENTRY_VARIABLE;
				want = true;
			} else if (a->tag == DW_TAG_subprogram) {
				kind = ENTRY_FUNCTION;
				want = true;
			} else if (is_type_tag((int)a->tag)) {
				want = true;
			}
		}
		const char *name = NULL;
		const uint64_t *at = t->attrs + a->first;
		for (uint32_t i = 0; i < a->n; i++, at += 2) {
			if (want && kind != ENTRY_FUNCTION && at[0] == DW_AT_name &&
			    at[1] == DW_FORM_string)
				name = (const char *)c.p;
			if (!skip_form(&c, at[1], u))
				return false;
		}
		if (want) {
			uint64_t off = (uint64_t)(die - info);
			if (kind == ENTRY_FUNCTION)
				name = "";
			if (!name) {
				// Another form, or a name taken from elsewhere:
				// as libdw reads it.
				Dwarf_Die d;
				if (!dwarf_offdie(dw->dwarf, off, &d))
					return false;
				name = dwarf_diename(&d);
			}
			if (name && (*name || kind == ENTRY_FUNCTION) &&
			    (*err = add_entry(dw, name, off, kind)))
				return false;
		}
		if (a->children) {
			if (++depth > 1u << 20)
				return false;
		} else if (depth == 0) {
			return true;	// a unit DIE without children
		}
	}
	// The unit ends inside its DIE tree: damage, for libdw to name.
	return false;
}

/*
 * Build the index without libdw's DIE walk. False when it cannot (the
 * entries then to be dropped); *err set only for running out of memory.
 */
static bool build_index_fast(struct ms_dwarf *dw, struct ms_error **err)
{
	const uint8_t *info, *abbr;
	size_t info_size, abbr_size;
	*err = NULL;
	if (!section_bytes(dw->elf, ".debug_info", &info, &info_size) ||
	    !section_bytes(dw->elf, ".debug_abbrev", &abbr, &abbr_size) ||
	    (dw->info_size && dw->info_size != info_size))
		return false;
	struct abbrev_table t = { 0 };
	bool ok = true;
	Dwarf_Off off = 0, next;
	size_t hsize;
	Dwarf_Half version;
	Dwarf_Off abbrev_off;
	uint8_t asize, osize;
	int r;
	while (ok && (r = dwarf_next_unit(dw->dwarf, off, &next, &hsize, &version,
					  &abbrev_off, &asize, &osize, NULL,
					  NULL)) == 0) {
		if (next > info_size || next <= off || hsize > next - off ||
		    (asize != 4 && asize != 8) || (osize != 4 && osize != 8)) {
			ok = false;
			break;
		}
		// libdw's bytes are the ones read here: its unit DIE must be
		// where these bytes put it.
		if (off == 0) {
			Dwarf_Die cu;
			if (!dwarf_offdie(dw->dwarf, hsize, &cu) ||
			    (const uint8_t *)cu.addr != info + hsize) {
				ok = false;
				break;
			}
		}
		if (!t.valid || t.offset != abbrev_off) {
			if (!abbrev_table_read(&t, abbr, abbr_size, abbrev_off)) {
				ok = false;
				break;
			}
		}
		struct unit_sizes u = { version, asize, osize };
		struct cur c = { info + off + hsize, info + next };
		ok = fast_unit(dw, c, info, &t, &u, err);
		off = next;
	}
	if (ok && (r < 0 || off != info_size))
		ok = false;
	abbrev_table_clear(&t);
	return ok;
}

// Walk the direct children of each unit DIE; libdw skips over the bodies
// of functions (by DW_AT_sibling or by parsing abbreviations only).
static struct ms_error *build_index_libdw(struct ms_dwarf *dw)
{
	struct ms_error *err;
	Dwarf_Off off = 0, next;
	size_t hsize;
	int r;
	while ((r = dwarf_nextcu(dw->dwarf, off, &next, &hsize, NULL, NULL,
				 NULL)) == 0) {
		Dwarf_Die cu, child;
		if (!dwarf_offdie(dw->dwarf, off + hsize, &cu))
			return dwarf_bad(dw, "cannot read unit DIE");
		off = next;
		r = dwarf_child(&cu, &child);
		if (r < 0)
			return dwarf_bad(dw, "cannot read unit children");
		if (r > 0)
			continue;
		do {
			int tag = dwarf_tag(&child);
			enum entry_kind kind;
			if (tag == DW_TAG_variable)
				kind = ENTRY_VARIABLE;
			else if (tag == DW_TAG_subprogram)
				kind = ENTRY_FUNCTION;
			else if (is_type_tag(tag))
				kind = ENTRY_TYPE;
			else
				continue;
			const char *name = kind == ENTRY_FUNCTION ? "" : dwarf_diename(&child);
			if (!name || (!*name && kind != ENTRY_FUNCTION))
				continue;
			if ((err = add_entry(dw, name, dwarf_dieoffset(&child),
					     kind)))
				return err;
		} while ((r = dwarf_siblingof(&child, &child)) == 0);
		if (r < 0)
			return dwarf_bad(dw, "cannot read DIE siblings");
	}
	if (r < 0)
		return dwarf_bad(dw, "cannot read DWARF units");
	// libdw ends the walk quietly at a unit whose length runs past the
	// section; that is damage, not the end.
	if (dw->info_size && off != dw->info_size)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: damaged .debug_info: units end at 0x%" PRIx64
				       ", the section at 0x%" PRIx64,
				       dw->path, (uint64_t)off, dw->info_size);
	return build_hash(dw);
}

static struct ms_error *build_index(struct ms_dwarf *dw)
{
	struct ms_error *err;
	if (build_index_fast(dw, &err)) {
		dw->indexed_fast = true;
		return build_hash(dw);
	}
	if (err)
		return err;
	dw->n_entries = dw->n_functions = 0;
	return build_index_libdw(dw);
}

static struct ms_error *ensure_index(struct ms_dwarf *dw)
{
	if (dw->indexed)
		return NULL;
	struct ms_error *err = build_index(dw);
	if (err) {
		free(dw->entries);
		dw->entries = NULL;
		dw->n_entries = dw->cap_entries = dw->n_functions = 0;
		free(dw->slots);
		dw->slots = NULL;
		dw->n_slots = 0;
		return err;
	}
	dw->indexed = true;
	return NULL;
}

static struct ms_error *find(struct ms_dwarf *dw, const char *name,
			     enum entry_kind kind, Dwarf_Die *ret)
{
	struct ms_error *err = ensure_index(dw);
	if (err)
		return err;
	uint32_t h = name_hash(name);
	for (size_t s = h & (dw->n_slots - 1); dw->slots[s];
	     s = (s + 1) & (dw->n_slots - 1)) {
		const struct index_entry *e = &dw->entries[dw->slots[s] - 1];
		if (e->hash != h || e->kind != kind || strcmp(e->name, name) != 0)
			continue;
		if (!dwarf_offdie(dw->dwarf, e->off, ret))
			return dwarf_bad(dw, "cannot read DIE");
		return NULL;
	}
	return ms_error_create(MS_ERR_NOT_FOUND, "%s: no %s '%s' in DWARF",
			       dw->path, kind == ENTRY_TYPE ? "type" : "variable",
			       name);
}

struct ms_error *ms_dwarf_find_type(struct ms_dwarf *dw, const char *name,
				    Dwarf_Die *ret)
{
	return find(dw, name, ENTRY_TYPE, ret);
}

struct ms_error *ms_dwarf_find_variable(struct ms_dwarf *dw, const char *name,
					Dwarf_Die *ret)
{
	return find(dw, name, ENTRY_VARIABLE, ret);
}

struct ms_error *ms_dwarf_die_address(struct ms_dwarf *dw, Dwarf_Die *die,
				      uint64_t *ret)
{
	Dwarf_Attribute attr, addr_attr;
	Dwarf_Op *ops;
	size_t nops;
	Dwarf_Addr addr;
	const char *name = dwarf_diename(die);
	if (!dwarf_attr(die, DW_AT_location, &attr))
		goto bad;
	// Go writes DW_FORM_block1 even in DWARF 5 units (Go 1.25+), which
	// dwarf_getlocation() rejects there; decode the one operation by hand.
	Dwarf_Block block;
	if (dwarf_whatform(&attr) == DW_FORM_block1 &&
	    dwarf_formblock(&attr, &block) == 0) {
		if (block.length == 9 && block.data[0] == DW_OP_addr) {
			*ret = ms_le(block.data + 1, 8);
			return NULL;
		}
		if (block.length == 5 && block.data[0] == DW_OP_addr) {
			*ret = ms_le(block.data + 1, 4);
			return NULL;
		}
		goto bad;
	}
	if (dwarf_getlocation(&attr, &ops, &nops) != 0 || nops != 1)
		goto bad;
	switch (ops[0].atom) {
	case DW_OP_addr:
		*ret = ops[0].number;
		return NULL;
	case DW_OP_addrx:
	case DW_OP_GNU_addr_index:
		// DWARF 5 (Go 1.25+): an index into .debug_addr.
		if (dwarf_getlocation_attr(&attr, &ops[0], &addr_attr) != 0 ||
		    dwarf_formaddr(&addr_attr, &addr) != 0)
			goto bad;
		*ret = addr;
		return NULL;
	default:
		break;
	}
bad:
	return ms_error_create(MS_ERR_BAD_DATA,
			       "%s: variable '%s' has no static address",
			       dw->path, name ? name : "?");
}

struct ms_error *ms_dwarf_variable_address(struct ms_dwarf *dw,
					   const char *name, uint64_t *ret)
{
	Dwarf_Die die;
	struct ms_error *err = ms_dwarf_find_variable(dw, name, &die);
	if (err)
		return err;
	return ms_dwarf_die_address(dw, &die, ret);
}

struct ms_error *ms_dwarf_die_type(struct ms_dwarf *dw, Dwarf_Die *die,
				   Dwarf_Die *ret)
{
	Dwarf_Attribute attr;
	if (!dwarf_attr_integrate(die, DW_AT_type, &attr)) {
		const char *name = dwarf_diename(die);
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "%s: DIE 0x%" PRIx64 " (%s) has no type",
				       dw->path, (uint64_t)dwarf_dieoffset(die),
				       name ? name : "unnamed");
	}
	if (!dwarf_formref_die(&attr, ret))
		return dwarf_bad(dw, "bad type reference");
	return NULL;
}

struct ms_error *ms_dwarf_peel_typedefs(struct ms_dwarf *dw, Dwarf_Die *die,
					Dwarf_Die *ret)
{
	Dwarf_Die cur = *die;
	for (int i = 0; i < max_depth; i++) {
		int tag = dwarf_tag(&cur);
		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
		    tag != DW_TAG_volatile_type) {
			*ret = cur;
			return NULL;
		}
		struct ms_error *err = ms_dwarf_die_type(dw, &cur, &cur);
		if (err)
			return err;
	}
	return ms_error_create(MS_ERR_BAD_DATA, "%s: typedef chain too long at 0x%" PRIx64,
			       dw->path, (uint64_t)dwarf_dieoffset(die));
}

static struct ms_error *die_size(struct ms_dwarf *dw, Dwarf_Die *die,
				 uint64_t *ret, int depth)
{
	Dwarf_Attribute attr;
	Dwarf_Word w;
	if (depth > max_depth)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: type nesting too deep at 0x%" PRIx64,
				       dw->path, (uint64_t)dwarf_dieoffset(die));
	if (dwarf_attr_integrate(die, DW_AT_byte_size, &attr)) {
		if (dwarf_formudata(&attr, &w) != 0)
			return dwarf_bad(dw, "bad DW_AT_byte_size");
		*ret = w;
		return NULL;
	}
	Dwarf_Die sub;
	struct ms_error *err;
	switch (dwarf_tag(die)) {
	case DW_TAG_typedef:
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
		if ((err = ms_dwarf_die_type(dw, die, &sub)))
			return err;
		return die_size(dw, &sub, ret, depth + 1);
	case DW_TAG_pointer_type:
	case DW_TAG_subroutine_type: {
		Dwarf_Die cu;
		uint8_t asize = 8;
		if (dwarf_diecu(die, &cu, &asize, NULL))
			*ret = asize;
		else
			*ret = 8;
		return NULL;
	}
	case DW_TAG_array_type: {
		Dwarf_Word size;
		if (dwarf_aggregate_size(die, &size) == 0) {
			*ret = size;
			return NULL;
		}
		break;
	}
	default:
		break;
	}
	const char *name = dwarf_diename(die);
	return ms_error_create(MS_ERR_BAD_DATA,
			       "%s: type 0x%" PRIx64 " (%s) has no size", dw->path,
			       (uint64_t)dwarf_dieoffset(die), name ? name : "unnamed");
}

struct ms_error *ms_dwarf_die_size(struct ms_dwarf *dw, Dwarf_Die *die,
				   uint64_t *ret)
{
	return die_size(dw, die, ret, 0);
}

struct ms_error *ms_dwarf_type_size(struct ms_dwarf *dw, const char *type_name,
				    uint64_t *ret)
{
	Dwarf_Die die;
	struct ms_error *err = ms_dwarf_find_type(dw, type_name, &die);
	if (err)
		return err;
	return ms_dwarf_die_size(dw, &die, ret);
}

// DW_AT_data_member_location: a constant (Go, DWARF 4/5) or an expression
// DW_OP_plus_uconst (older producers).
static struct ms_error *member_location(struct ms_dwarf *dw, Dwarf_Die *member,
					uint64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Word w;
	if (!dwarf_attr(member, DW_AT_data_member_location, &attr)) {
		*ret = 0;	// DWARF: a union member, or the only member
		return NULL;
	}
	if (dwarf_formudata(&attr, &w) == 0) {
		*ret = w;
		return NULL;
	}
	Dwarf_Op *ops;
	size_t nops;
	if (dwarf_getlocation(&attr, &ops, &nops) == 0 && nops == 1 &&
	    ops[0].atom == DW_OP_plus_uconst) {
		*ret = ops[0].number;
		return NULL;
	}
	return dwarf_bad(dw, "unsupported DW_AT_data_member_location");
}

struct ms_error *ms_dwarf_die_member(struct ms_dwarf *dw, Dwarf_Die *die,
				     const char *member_path,
				     uint64_t *offset_ret, Dwarf_Die *type_ret)
{
	struct ms_error *err;
	Dwarf_Die cur;
	uint64_t total = 0;
	const char *p = member_path;
	if ((err = ms_dwarf_peel_typedefs(dw, die, &cur)))
		return err;
	for (int depth = 0;; depth++) {
		if (depth > max_depth)
			return ms_error_create(MS_ERR_BAD_DATA, "%s: member path too deep",
					       dw->path);
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		int tag = dwarf_tag(&cur);
		if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type &&
		    tag != DW_TAG_class_type)
			goto not_found;
		Dwarf_Die child;
		int r = dwarf_child(&cur, &child);
		if (r < 0)
			return dwarf_bad(dw, "cannot read struct members");
		if (r > 0)
			goto not_found;
		bool found = false;
		do {
			if (dwarf_tag(&child) != DW_TAG_member)
				continue;
			const char *name = dwarf_diename(&child);
			if (name && strncmp(name, p, len) == 0 && name[len] == '\0') {
				found = true;
				break;
			}
		} while ((r = dwarf_siblingof(&child, &child)) == 0);
		if (r < 0)
			return dwarf_bad(dw, "cannot read struct members");
		if (!found)
			goto not_found;
		uint64_t off = 0;
		if ((err = member_location(dw, &child, &off)))
			return err;
		total += off;
		Dwarf_Die mtype;
		if ((err = ms_dwarf_die_type(dw, &child, &mtype)))
			return err;
		if (!dot) {
			*offset_ret = total;
			if (type_ret)
				*type_ret = mtype;
			return NULL;
		}
		if ((err = ms_dwarf_peel_typedefs(dw, &mtype, &cur)))
			return err;
		p = dot + 1;
	}
not_found:;
	const char *tname = dwarf_diename(die);
	return ms_error_create(MS_ERR_NOT_FOUND, "%s: no member '%s' in '%s'",
			       dw->path, member_path, tname ? tname : "unnamed type");
}

struct ms_error *ms_dwarf_member_offset(struct ms_dwarf *dw,
					const char *type_name,
					const char *member_path, uint64_t *ret)
{
	Dwarf_Die die;
	struct ms_error *err = ms_dwarf_find_type(dw, type_name, &die);
	if (err)
		return err;
	return ms_dwarf_die_member(dw, &die, member_path, ret, NULL);
}

static struct ms_error *foreach(struct ms_dwarf *dw, enum entry_kind kind,
				ms_dwarf_variable_fn fn, void *arg)
{
	struct ms_error *err = ensure_index(dw);
	if (err)
		return err;
	for (size_t i = 0; i < dw->n_entries; i++) {
		const struct index_entry *e = &dw->entries[i];
		if (e->kind != kind)
			continue;
		Dwarf_Die die;
		if (!dwarf_offdie(dw->dwarf, e->off, &die))
			return dwarf_bad(dw, "cannot read DIE");
		if ((err = fn(arg, e->name, &die)))
			return err;
	}
	return NULL;
}

struct ms_error *ms_dwarf_foreach_variable(struct ms_dwarf *dw,
					   ms_dwarf_variable_fn fn, void *arg)
{
	return foreach(dw, ENTRY_VARIABLE, fn, arg);
}

struct ms_error *ms_dwarf_foreach_type(struct ms_dwarf *dw,
				       ms_dwarf_variable_fn fn, void *arg)
{
	return foreach(dw, ENTRY_TYPE, fn, arg);
}

struct ms_error *ms_dwarf_foreach_function(struct ms_dwarf *dw,
					   ms_dwarf_variable_fn fn, void *arg)
{
	return foreach(dw, ENTRY_FUNCTION, fn, arg);
}

struct ms_error *ms_dwarf_check_index(struct ms_dwarf *dw, bool *fast_ret)
{
	struct ms_error *err = ensure_index(dw);
	if (err)
		return err;
	*fast_ret = dw->indexed_fast;
	struct index_entry *saved = dw->entries;
	size_t n = dw->n_entries, cap = dw->cap_entries, nf = dw->n_functions;
	uint32_t *slots = dw->slots;
	size_t n_slots = dw->n_slots;
	dw->entries = NULL;
	dw->slots = NULL;
	dw->n_entries = dw->cap_entries = dw->n_functions = 0;
	err = build_index_libdw(dw);
	struct index_entry *ref = dw->entries;
	size_t n_ref = dw->n_entries;
	free(dw->slots);
	dw->slots = slots;
	dw->n_slots = n_slots;
	dw->entries = saved;
	dw->n_entries = n;
	dw->cap_entries = cap;
	dw->n_functions = nf;
	if (err) {
		free(ref);
		return err;
	}
	for (size_t i = 0; i < n || i < n_ref; i++) {
		if (i < n && i < n_ref && ref[i].off == saved[i].off &&
		    ref[i].kind == saved[i].kind &&
		    strcmp(ref[i].name, saved[i].name) == 0)
			continue;
		err = ms_error_create(MS_ERR_BAD_DATA,
				      "%s: index entry %zu differs from libdw's walk: %s at 0x%" PRIx64 " against %s at 0x%" PRIx64,
				      dw->path, i, i < n ? saved[i].name : "(none)",
				      i < n ? saved[i].off : 0,
				      i < n_ref ? ref[i].name : "(none)",
				      i < n_ref ? ref[i].off : 0);
		break;
	}
	free(ref);
	return err;
}
