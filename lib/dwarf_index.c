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
};

struct index_entry {
	const char *name;	// points into .debug_str or .debug_info
	uint64_t off;		// global DIE offset
	uint32_t hash;
	uint8_t kind;
};

struct ms_dwarf {
	Dwarf *dwarf;
	char *path;
	uint64_t info_size;	// of .debug_info decompressed, 0 unknown
	bool indexed;
	struct index_entry *entries;	// in DWARF order
	size_t n_entries, cap_entries;
	uint32_t *slots;		// open addressing: entry index + 1, 0 empty
	size_t n_slots;			// power of two
};

// Nesting bound for typedef chains and member paths in damaged DWARF.
static const int max_depth = 64;

// libdw does not say "no DWARF" apart from other failures in its public
// API, so look for the section ourselves (.zdebug_info: pre-1.11 Go, gccgo).
// Also return its size, decompressed, to tell the end of the units from a
// unit header that libdw gave up on.
static bool has_debug_info(Elf *elf, uint64_t *size_ret)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return false;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		if (!gelf_getshdr(scn, &shdr))
			continue;
		const char *name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (!name || (strcmp(name, ".debug_info") != 0 &&
			      strcmp(name, ".zdebug_info") != 0))
			continue;
		GElf_Chdr chdr;
		*size_ret = shdr.sh_size;
		if ((shdr.sh_flags & SHF_COMPRESSED) && gelf_getchdr(scn, &chdr))
			*size_ret = chdr.ch_size;
		else if (name[1] == 'z')
			*size_ret = 0;	// size in its own header; not checked
		return true;
	}
	return false;
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

void ms_dwarf_destroy(struct ms_dwarf *dw)
{
	if (!dw)
		return;
	dwarf_end(dw->dwarf);
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
	return dw->n_entries;
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

// Walk the direct children of each unit DIE; libdw skips over the bodies
// of functions (by DW_AT_sibling or by parsing abbreviations only).
static struct ms_error *build_index(struct ms_dwarf *dw)
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
			else if (is_type_tag(tag))
				kind = ENTRY_TYPE;
			else
				continue;
			const char *name = dwarf_diename(&child);
			if (!name || !*name)
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

static struct ms_error *ensure_index(struct ms_dwarf *dw)
{
	if (dw->indexed)
		return NULL;
	struct ms_error *err = build_index(dw);
	if (err) {
		free(dw->entries);
		dw->entries = NULL;
		dw->n_entries = dw->cap_entries = 0;
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
