/* Go types built on demand from DWARF, global variables, and rendering of values for people and JSON. */
#include "config.h"

#include <dwarf.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binbuf.h"
#include "escape.h"
#include "go_type.h"

// An open-addressing table from a non-zero 64-bit key to a pointer.
struct u64_table {
	uint64_t *keys;
	void **values;
	size_t n, cap;		// cap is 0 or a power of two
};

static uint64_t mix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static void *u64_table_get(const struct u64_table *t, uint64_t key)
{
	if (!t->cap)
		return NULL;
	for (size_t i = mix64(key) & (t->cap - 1); t->keys[i];
	     i = (i + 1) & (t->cap - 1)) {
		if (t->keys[i] == key)
			return t->values[i];
	}
	return NULL;
}

static struct ms_error *u64_table_put(struct u64_table *t, uint64_t key,
				      void *value)
{
	if ((t->n + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		uint64_t *keys = calloc(cap, sizeof(*keys));
		void **values = calloc(cap, sizeof(*values));
		if (!keys || !values) {
			free(keys);
			free(values);
			return &ms_enomem;
		}
		for (size_t j = 0; j < t->cap; j++) {
			if (!t->keys[j])
				continue;
			size_t i = mix64(t->keys[j]) & (cap - 1);
			while (keys[i])
				i = (i + 1) & (cap - 1);
			keys[i] = t->keys[j];
			values[i] = t->values[j];
		}
		free(t->keys);
		free(t->values);
		t->keys = keys;
		t->values = values;
		t->cap = cap;
	}
	size_t i = mix64(key) & (t->cap - 1);
	while (t->keys[i] && t->keys[i] != key)
		i = (i + 1) & (t->cap - 1);
	if (!t->keys[i])
		t->n++;
	t->keys[i] = key;
	t->values[i] = value;
	return NULL;
}

static void u64_table_deinit(struct u64_table *t)
{
	free(t->keys);
	free(t->values);
	memset(t, 0, sizeof(*t));
}

// A type under construction is in the cache already, so that a cycle
// through a pointer finds it; one that failed stays marked bad.
struct type_node {
	struct ms_type type;
	struct type_node *next_alloc;
	bool bad;
};

struct ms_types {
	struct ms_dwarf *dw;		// NULL for types from runtime descriptors
	bool is_runtime;
	struct ms_types_runtime rt;
	struct u64_table by_offset;	// DIE offset → struct ms_type (aliases too)
	struct type_node *allocs;
	bool runtime_indexed;
	struct u64_table by_runtime;	// runtime type address → DIE offset
	bool globals_built;
	struct ms_global *globals;
	size_t n_globals;
};

// Bound on recursion through the type graph of damaged DWARF; real Go
// types nest far less deeply (pointers are followed by reference).
static const int max_type_depth = 2000;

struct ms_error *ms_types_create(struct ms_dwarf *dw, struct ms_types **ret)
{
	struct ms_types *ts = calloc(1, sizeof(*ts));
	if (!ts)
		return &ms_enomem;
	ts->dw = dw;
	*ret = ts;
	return NULL;
}

void ms_types_destroy(struct ms_types *ts)
{
	if (!ts)
		return;
	for (struct type_node *n = ts->allocs, *next; n; n = next) {
		next = n->next_alloc;
		free((void *)n->type.members);
		free(n);
	}
	u64_table_deinit(&ts->by_offset);
	u64_table_deinit(&ts->by_runtime);
	free(ts->globals);
	free(ts);
}

struct ms_dwarf *ms_types_dwarf(struct ms_types *ts)
{
	return ts->dw;
}

static const char *const kind_names[] = {
	[MS_KIND_INVALID] = "invalid",
	[MS_KIND_BOOL] = "bool",
	[MS_KIND_INT] = "int",
	[MS_KIND_INT8] = "int8",
	[MS_KIND_INT16] = "int16",
	[MS_KIND_INT32] = "int32",
	[MS_KIND_INT64] = "int64",
	[MS_KIND_UINT] = "uint",
	[MS_KIND_UINT8] = "uint8",
	[MS_KIND_UINT16] = "uint16",
	[MS_KIND_UINT32] = "uint32",
	[MS_KIND_UINT64] = "uint64",
	[MS_KIND_UINTPTR] = "uintptr",
	[MS_KIND_FLOAT32] = "float32",
	[MS_KIND_FLOAT64] = "float64",
	[MS_KIND_COMPLEX64] = "complex64",
	[MS_KIND_COMPLEX128] = "complex128",
	[MS_KIND_ARRAY] = "array",
	[MS_KIND_CHAN] = "chan",
	[MS_KIND_FUNC] = "func",
	[MS_KIND_INTERFACE] = "interface",
	[MS_KIND_MAP] = "map",
	[MS_KIND_POINTER] = "ptr",
	[MS_KIND_SLICE] = "slice",
	[MS_KIND_STRING] = "string",
	[MS_KIND_STRUCT] = "struct",
	[MS_KIND_UNSAFE_POINTER] = "unsafe.Pointer",
};

const char *ms_kind_str(enum ms_kind kind)
{
	if ((unsigned)kind < sizeof(kind_names) / sizeof(kind_names[0]))
		return kind_names[kind];
	return "invalid";
}

static struct ms_error *bad_die(struct ms_types *ts, Dwarf_Die *die,
				const char *what)
{
	const char *name = dwarf_diename(die);
	return ms_error_create(MS_ERR_BAD_DATA, "%s: type 0x%" PRIx64 " (%s): %s",
			       ms_dwarf_path(ts->dw),
			       (uint64_t)dwarf_dieoffset(die),
			       name ? name : "unnamed", what);
}

static bool die_udata(Dwarf_Die *die, unsigned attr_name, uint64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Word w;
	if (!dwarf_attr(die, attr_name, &attr) || dwarf_formudata(&attr, &w) != 0)
		return false;
	*ret = w;
	return true;
}

static bool die_ref(Dwarf_Die *die, unsigned attr_name, Dwarf_Die *ret)
{
	Dwarf_Attribute attr;
	return dwarf_attr(die, attr_name, &attr) && dwarf_formref_die(&attr, ret);
}

static enum ms_kind base_kind(Dwarf_Die *die, uint64_t size)
{
	uint64_t enc = 0;
	die_udata(die, DW_AT_encoding, &enc);
	switch (enc) {
	case DW_ATE_boolean:
		return MS_KIND_BOOL;
	case DW_ATE_float:
		return size == 4 ? MS_KIND_FLOAT32 : MS_KIND_FLOAT64;
	case DW_ATE_complex_float:
		return size == 8 ? MS_KIND_COMPLEX64 : MS_KIND_COMPLEX128;
	case DW_ATE_signed:
	case DW_ATE_signed_char:
		switch (size) {
		case 1: return MS_KIND_INT8;
		case 2: return MS_KIND_INT16;
		case 4: return MS_KIND_INT32;
		default: return MS_KIND_INT64;
		}
	case DW_ATE_unsigned:
	case DW_ATE_unsigned_char:
		switch (size) {
		case 1: return MS_KIND_UINT8;
		case 2: return MS_KIND_UINT16;
		case 4: return MS_KIND_UINT32;
		default: return MS_KIND_UINT64;
		}
	default:
		return MS_KIND_INVALID;
	}
}

static uint64_t scalar_align(enum ms_kind kind, uint64_t size)
{
	switch (kind) {
	case MS_KIND_COMPLEX64:
		return 4;
	case MS_KIND_COMPLEX128:
		return 8;
	default:
		if (size >= 8)
			return 8;
		return size ? size : 1;
	}
}

static struct ms_error *get_type(struct ms_types *ts, Dwarf_Die *die,
				 int depth, const struct ms_type **ret);

static struct ms_error *get_ref(struct ms_types *ts, Dwarf_Die *die,
				unsigned attr_name, int depth,
				const struct ms_type **ret)
{
	Dwarf_Die ref;
	if (!die_ref(die, attr_name, &ref))
		return bad_die(ts, die, attr_name == DW_AT_type ?
					"missing type reference" :
					"missing Go key or element reference");
	return get_type(ts, &ref, depth + 1, ret);
}

static struct ms_error *fill_members(struct ms_types *ts, Dwarf_Die *die,
				     struct ms_type *t, int depth)
{
	Dwarf_Die child;
	size_t n = 0, cap = 0;
	struct ms_type_member *members = NULL;
	struct ms_error *err = NULL;
	uint64_t align = 1;
	int r = dwarf_child(die, &child);
	if (r < 0)
		return bad_die(ts, die, "cannot read members");
	for (; r == 0; r = dwarf_siblingof(&child, &child)) {
		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			struct ms_type_member *m = realloc(members, cap * sizeof(*m));
			if (!m) {
				err = &ms_enomem;
				goto out;
			}
			members = m;
		}
		struct ms_type_member *m = &members[n];
		memset(m, 0, sizeof(*m));
		m->name = dwarf_diename(&child);
		if (!m->name)
			m->name = "";
		if (!die_udata(&child, DW_AT_data_member_location, &m->offset)) {
			err = bad_die(ts, die, "member without a constant offset");
			goto out;
		}
		Dwarf_Attribute attr;
		bool flag = false;
		if (dwarf_attr(&child, MS_DW_AT_go_embedded_field, &attr) &&
		    dwarf_formflag(&attr, &flag) == 0)
			m->embedded = flag;
		if ((err = get_ref(ts, &child, DW_AT_type, depth, &m->type)))
			goto out;
		if (m->type->align > align)
			align = m->type->align;
		if (m->offset > t->size || m->type->size > t->size - m->offset) {
			err = bad_die(ts, die, "member outside the struct");
			goto out;
		}
		n++;
	}
	if (r < 0) {
		err = bad_die(ts, die, "cannot read members");
		goto out;
	}
	t->members = members;
	t->n_members = n;
	t->align = align;
	return NULL;
out:
	free(members);
	return err;
}

// Fill @t from @die; t is in the cache already.
static struct ms_error *fill_type(struct ms_types *ts, Dwarf_Die *die,
				  struct ms_type *t, int depth)
{
	struct ms_error *err;
	int tag = dwarf_tag(die);
	uint64_t kind = 0;
	bool has_kind = die_udata(die, MS_DW_AT_go_kind, &kind);
	Dwarf_Attribute attr;
	Dwarf_Addr addr;
	if (dwarf_attr(die, MS_DW_AT_go_runtime_type, &attr) &&
	    dwarf_formaddr(&attr, &addr) == 0)
		t->runtime_type = addr;
	if ((err = ms_dwarf_die_size(ts->dw, die, &t->size)))
		return err;
	if (!has_kind || kind > MS_KIND_UNSAFE_POINTER) {
		switch (tag) {
		case DW_TAG_base_type:
			kind = base_kind(die, t->size);
			break;
		case DW_TAG_pointer_type:
			kind = dwarf_hasattr(die, DW_AT_type) ?
				       MS_KIND_POINTER : MS_KIND_UNSAFE_POINTER;
			break;
		case DW_TAG_structure_type:
			kind = MS_KIND_STRUCT;
			break;
		case DW_TAG_array_type:
			kind = MS_KIND_ARRAY;
			break;
		case DW_TAG_subroutine_type:
			kind = MS_KIND_FUNC;
			break;
		default:
			kind = MS_KIND_INVALID;
			break;
		}
	}
	// DWARF says uint8 for a Go int8 base type only through the encoding;
	// Go's own kind is authoritative when present.
	t->kind = (enum ms_kind)kind;
	t->align = scalar_align(t->kind, t->size);
	Dwarf_Die repr;
	switch (t->kind) {
	case MS_KIND_POINTER:
		if (tag == DW_TAG_pointer_type && dwarf_hasattr(die, DW_AT_type))
			return get_ref(ts, die, DW_AT_type, depth, &t->elem);
		return NULL;
	case MS_KIND_ARRAY: {
		if ((err = get_ref(ts, die, DW_AT_type, depth, &t->elem)))
			return err;
		Dwarf_Die sub;
		uint64_t count = 0, upper;
		if (dwarf_child(die, &sub) == 0) {
			do {
				if (dwarf_tag(&sub) != DW_TAG_subrange_type)
					continue;
				if (die_udata(&sub, DW_AT_count, &count))
					break;
				if (die_udata(&sub, DW_AT_upper_bound, &upper)) {
					count = upper + 1;
					break;
				}
			} while (dwarf_siblingof(&sub, &sub) == 0);
		}
		t->len = count;
		t->align = t->elem->align;
		if (t->elem->size && count > t->size / t->elem->size)
			return bad_die(ts, die, "array longer than its size");
		return NULL;
	}
	case MS_KIND_SLICE:
		t->align = 8;
		return get_ref(ts, die, MS_DW_AT_go_elem, depth, &t->elem);
	case MS_KIND_CHAN:
		t->align = 8;
		if (die_ref(die, DW_AT_type, &repr))
			t->repr_die_offset = dwarf_dieoffset(&repr);
		return get_ref(ts, die, MS_DW_AT_go_elem, depth, &t->elem);
	case MS_KIND_MAP:
		t->align = 8;
		if (die_ref(die, DW_AT_type, &repr))
			t->repr_die_offset = dwarf_dieoffset(&repr);
		if ((err = get_ref(ts, die, MS_DW_AT_go_key, depth, &t->key)))
			return err;
		return get_ref(ts, die, MS_DW_AT_go_elem, depth, &t->elem);
	case MS_KIND_INTERFACE:
		t->align = 8;
		if (die_ref(die, DW_AT_type, &repr) &&
		    !ms_dwarf_peel_typedefs(ts->dw, &repr, &repr)) {
			const char *rn = dwarf_diename(&repr);
			t->repr_die_offset = dwarf_dieoffset(&repr);
			t->empty_interface = rn && strcmp(rn, "runtime.eface") == 0;
		} else {
			t->empty_interface = t->name && strcmp(t->name, "interface {}") == 0;
		}
		return NULL;
	case MS_KIND_FUNC:
	case MS_KIND_STRING:
	case MS_KIND_UNSAFE_POINTER:
		t->align = 8;
		if (t->kind == MS_KIND_FUNC && die_ref(die, DW_AT_type, &repr))
			t->repr_die_offset = dwarf_dieoffset(&repr);
		return NULL;
	case MS_KIND_STRUCT: {
		Dwarf_Die s;
		if ((err = ms_dwarf_peel_typedefs(ts->dw, die, &s)))
			return err;
		return fill_members(ts, &s, t, depth);
	}
	default:
		return NULL;
	}
}

static bool is_plain_typedef(Dwarf_Die *die)
{
	int tag = dwarf_tag(die);
	return (tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
		tag == DW_TAG_volatile_type) &&
	       !dwarf_hasattr(die, MS_DW_AT_go_kind);
}

static struct ms_error *get_type(struct ms_types *ts, Dwarf_Die *die,
				 int depth, const struct ms_type **ret)
{
	uint64_t off = dwarf_dieoffset(die);
	struct type_node *node = u64_table_get(&ts->by_offset, off);
	if (node) {
		if (node->bad)
			return bad_die(ts, die, "damaged type");
		*ret = &node->type;
		return NULL;
	}
	if (depth > max_type_depth)
		return bad_die(ts, die, "types nest too deeply");
	struct ms_error *err;
	// A typedef without a Go kind only repeats a name ("main.Point" after
	// the struct of the same name): the type is its target's.
	if (is_plain_typedef(die)) {
		Dwarf_Die target = *die;
		const struct ms_type *tt;
		for (int i = 0; is_plain_typedef(&target); i++) {
			if (i > 64 || !die_ref(&target, DW_AT_type, &target))
				return bad_die(ts, die, "broken typedef chain");
		}
		if ((err = get_type(ts, &target, depth + 1, &tt)))
			return err;
		if ((err = u64_table_put(&ts->by_offset, off, (void *)tt)))
			return err;
		*ret = tt;
		return NULL;
	}
	node = calloc(1, sizeof(*node));
	if (!node)
		return &ms_enomem;
	node->next_alloc = ts->allocs;
	ts->allocs = node;
	node->type.die_offset = off;
	node->type.name = dwarf_diename(die);
	if (!node->type.name)
		node->type.name = "";
	if ((err = u64_table_put(&ts->by_offset, off, node)))
		return err;
	if ((err = fill_type(ts, die, &node->type, depth))) {
		node->bad = true;
		return err;
	}
	*ret = &node->type;
	return NULL;
}

struct ms_error *ms_types_from_die(struct ms_types *ts, Dwarf_Die *die,
				   const struct ms_type **ret)
{
	return get_type(ts, die, 0, ret);
}

static struct ms_error *rt_type(struct ms_types *ts, uint64_t off, int depth,
			       const struct ms_type **ret);

struct ms_error *ms_types_from_offset(struct ms_types *ts, uint64_t off,
				      const struct ms_type **ret)
{
	if (ts->is_runtime)
		return rt_type(ts, off, 0, ret);
	struct type_node *node = u64_table_get(&ts->by_offset, off);
	if (node && !node->bad) {
		*ret = &node->type;
		return NULL;
	}
	Dwarf_Die die;
	if (!dwarf_offdie(ms_dwarf_libdw(ts->dw), off, &die))
		return ms_error_create(MS_ERR_BAD_DATA, "%s: no DIE at 0x%" PRIx64,
				       ms_dwarf_path(ts->dw), off);
	return get_type(ts, &die, 0, ret);
}

struct ms_error *ms_types_find(struct ms_types *ts, const char *name,
			       const struct ms_type **ret)
{
	if (ts->is_runtime)
		return ms_error_create(MS_ERR_NOT_FOUND, "type '%s': no DWARF to look it up by name",
				       name);
	Dwarf_Die die;
	struct ms_error *err = ms_dwarf_find_type(ts->dw, name, &die);
	if (err)
		return err;
	return get_type(ts, &die, 0, ret);
}

static struct ms_error *index_runtime_type(void *arg, const char *name,
					   Dwarf_Die *die)
{
	struct ms_types *ts = arg;
	Dwarf_Attribute attr;
	Dwarf_Addr addr;
	if (!dwarf_attr(die, MS_DW_AT_go_runtime_type, &attr) ||
	    dwarf_formaddr(&attr, &addr) != 0 || addr == 0)
		return NULL;
	if (u64_table_get(&ts->by_runtime, addr))
		return NULL;
	// Store offset + 1 so that offset 0 is never a null value.
	return u64_table_put(&ts->by_runtime, addr,
			     (void *)(uintptr_t)(dwarf_dieoffset(die) + 1));
}

struct ms_error *ms_types_by_runtime_type(struct ms_types *ts, uint64_t addr,
					  const struct ms_type **ret)
{
	struct ms_error *err;
	if (ts->is_runtime)
		return rt_type(ts, addr, 0, ret);
	if (!ts->runtime_indexed) {
		if ((err = ms_dwarf_foreach_type(ts->dw, index_runtime_type, ts))) {
			u64_table_deinit(&ts->by_runtime);
			return err;
		}
		ts->runtime_indexed = true;
	}
	void *v = addr ? u64_table_get(&ts->by_runtime, addr) : NULL;
	if (!v)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "%s: no type with runtime type 0x%" PRIx64,
				       ms_dwarf_path(ts->dw), addr);
	return ms_types_from_offset(ts, (uint64_t)(uintptr_t)v - 1, ret);
}

struct globals_ctx {
	struct ms_types *ts;
	size_t cap;
};

static struct ms_error *add_global(void *arg, const char *name, Dwarf_Die *die)
{
	struct globals_ctx *ctx = arg;
	struct ms_types *ts = ctx->ts;
	uint64_t addr;
	struct ms_error *err = ms_dwarf_die_address(ts->dw, die, &addr);
	// Variables the linker dropped keep a DIE with an empty location.
	if (ms_error_catch(&err, MS_ERR_BAD_DATA))
		return NULL;
	if (err)
		return err;
	const struct ms_type *t;
	if ((err = get_ref(ts, die, DW_AT_type, 0, &t)))
		return ms_error_prefix(err, "global '%s'", name);
	if (ts->n_globals == ctx->cap) {
		size_t cap = ctx->cap ? ctx->cap * 2 : 256;
		struct ms_global *g = realloc(ts->globals, cap * sizeof(*g));
		if (!g)
			return &ms_enomem;
		ts->globals = g;
		ctx->cap = cap;
	}
	ts->globals[ts->n_globals++] = (struct ms_global){
		.name = name, .address = addr, .type = t,
	};
	return NULL;
}

struct ms_error *ms_types_globals(struct ms_types *ts,
				  const struct ms_global **ret, size_t *n_ret)
{
	if (!ts->globals_built && !ts->is_runtime) {
		struct globals_ctx ctx = { .ts = ts };
		struct ms_error *err = ms_dwarf_foreach_variable(ts->dw, add_global, &ctx);
		if (err) {
			free(ts->globals);
			ts->globals = NULL;
			ts->n_globals = 0;
			return err;
		}
		ts->globals_built = true;
	}
	*ret = ts->globals;
	*n_ret = ts->n_globals;
	return NULL;
}

// ---- types from runtime type descriptors ----

/*
 * abi.Type (runtime._type before 1.21), linux/amd64, unchanged from Go 1.19
 * to 1.27 (src/internal/abi/type.go): Size_@0, PtrBytes@8, Hash@16,
 * TFlag@20, Align_@21, FieldAlign_@22, Kind_@23 (low 5 bits: the kind),
 * Equal@24, GCData@32, Str@40 (a nameOff from the types start),
 * PtrToThis@44. The kind's own fields follow at 48.
 */
enum {
	RT_TYPE_SIZE = 48,
	RT_TFLAG_EXTRA_STAR = 2,
	RT_KIND_MASK = 0x1f,
	RT_ELEM = 48,			// Array, Chan, Pointer, Slice: Elem; Map: Key
	RT_MAP_ELEM = 56,
	RT_ARRAY_LEN = 64,
	RT_FIELDS = 56,			// Struct: Fields []StructField; Interface: Methods
	RT_FIELD_SIZE = 24,		// StructField: Name@0 (*byte), Typ@8, Offset@16
	RT_MAX_FIELDS = 4096,
	RT_MAX_NAME = 4096,
	RT_NAME_EMBEDDED = 1 << 3,	// abi.Name flag byte
};

struct ms_error *ms_types_create_runtime(const struct ms_types_runtime *rt,
					 struct ms_types **ret)
{
	if (!rt || !rt->read || rt->types_end <= rt->types_start)
		return ms_error_create(MS_ERR_USAGE, "no types range to read type descriptors from");
	struct ms_types *ts = calloc(1, sizeof(*ts));
	if (!ts)
		return &ms_enomem;
	ts->is_runtime = true;
	ts->rt = *rt;
	*ret = ts;
	return NULL;
}

const struct ms_types_runtime *ms_types_runtime(const struct ms_types *ts)
{
	return ts && ts->is_runtime ? &ts->rt : NULL;
}

static struct ms_error *rt_bad(struct ms_types *ts, uint64_t addr, const char *what)
{
	(void)ts;
	return ms_error_create(MS_ERR_BAD_DATA, "type descriptor at 0x%" PRIx64 ": %s",
			       addr, what);
}

/*
 * An abi.Name at @p addr: a flag byte, the length as a varint, the bytes.
 * @param[out] flags_ret the flag byte; may be NULL.
 * @return malloc'ed, NUL-terminated.
 */
static struct ms_error *rt_name(struct ms_types *ts, uint64_t addr, uint8_t *flags_ret,
				char **ret)
{
	uint8_t head[4];
	struct ms_error *err = ts->rt.read(ts->rt.read_arg, addr, head, sizeof(head));
	if (err)
		return err;
	uint64_t len = 0;
	size_t i;
	for (i = 0; i < 3; i++) {
		len |= (uint64_t)(head[1 + i] & 0x7f) << (7 * i);
		if (!(head[1 + i] & 0x80))
			break;
	}
	if (i == 3 || len > RT_MAX_NAME)
		return rt_bad(ts, addr, "name too long");
	char *s = malloc(len + 1);
	if (!s)
		return &ms_enomem;
	if (len && (err = ts->rt.read(ts->rt.read_arg, addr + 2 + i, s, len))) {
		free(s);
		return err;
	}
	s[len] = '\0';
	if (flags_ret)
		*flags_ret = head[0];
	*ret = s;
	return NULL;
}

// A type pointer of a descriptor: an offset from the types start.
static struct ms_error *rt_ref(struct ms_types *ts, uint64_t ptr, int depth,
			       const struct ms_type **ret)
{
	if (ptr < ts->rt.types_start || ptr >= ts->rt.types_end || (ptr & 7))
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "type descriptor 0x%" PRIx64 " outside the module's types", ptr);
	return rt_type(ts, ptr - ts->rt.types_start, depth + 1, ret);
}

static struct ms_error *rt_members(struct ms_types *ts, uint64_t addr, const uint8_t *d,
				   int depth, struct ms_type *t)
{
	uint64_t fields = ms_load_u64(d + RT_FIELDS), n = ms_load_u64(d + RT_FIELDS + 8);
	if (n > RT_MAX_FIELDS)
		return rt_bad(ts, addr, "too many struct fields");
	if (!n)
		return NULL;
	uint8_t *raw = malloc(n * RT_FIELD_SIZE);
	if (!raw)
		return &ms_enomem;
	struct ms_error *err = ts->rt.read(ts->rt.read_arg, fields, raw, n * RT_FIELD_SIZE);
	if (err) {
		free(raw);
		return err;
	}
	// The members and their names in one allocation, freed with the type.
	char **nm = calloc(n, sizeof(*nm));
	uint8_t *flags = calloc(n, 1);
	size_t total = 0;
	if (!nm || !flags)
		err = &ms_enomem;
	for (uint64_t i = 0; i < n && !err; i++) {
		if (!(err = rt_name(ts, ms_load_u64(raw + i * RT_FIELD_SIZE), &flags[i], &nm[i])))
			total += strlen(nm[i]) + 1;
	}
	struct ms_type_member *m = NULL;
	if (!err && !(m = malloc(n * sizeof(*m) + total)))
		err = &ms_enomem;
	char *str = m ? (char *)(m + n) : NULL;
	for (uint64_t i = 0; i < n && !err; i++) {
		const uint8_t *f = raw + i * RT_FIELD_SIZE;
		size_t l = strlen(nm[i]) + 1;
		memcpy(str, nm[i], l);
		m[i] = (struct ms_type_member){ .name = str, .offset = ms_load_u64(f + 16),
						.embedded = (flags[i] & RT_NAME_EMBEDDED) != 0 };
		str += l;
		if (m[i].offset > t->size)
			err = rt_bad(ts, addr, "field beyond the struct");
		else if (!(err = rt_ref(ts, ms_load_u64(f + 8), depth, &m[i].type)) &&
			 m[i].offset + m[i].type->size > t->size)
			err = rt_bad(ts, addr, "field beyond the struct");
	}
	for (uint64_t i = 0; nm && i < n; i++)
		free(nm[i]);
	free(nm);
	free(flags);
	free(raw);
	if (err) {
		free(m);
		return err;
	}
	t->members = m;
	t->n_members = n;
	return NULL;
}

static struct ms_error *rt_fill(struct ms_types *ts, uint64_t addr, const uint8_t *d,
				int depth, struct ms_type *t)
{
	struct ms_error *err = NULL;
	switch (t->kind) {
	case MS_KIND_ARRAY:
		t->len = ms_load_u64(d + RT_ARRAY_LEN);
		err = rt_ref(ts, ms_load_u64(d + RT_ELEM), depth, &t->elem);
		if (!err && t->elem->size && t->len != t->size / t->elem->size)
			err = rt_bad(ts, addr, "array length and size disagree");
		break;
	case MS_KIND_CHAN:
	case MS_KIND_POINTER:
	case MS_KIND_SLICE:
		err = rt_ref(ts, ms_load_u64(d + RT_ELEM), depth, &t->elem);
		break;
	case MS_KIND_MAP:
		if (!(err = rt_ref(ts, ms_load_u64(d + RT_ELEM), depth, &t->key)))
			err = rt_ref(ts, ms_load_u64(d + RT_MAP_ELEM), depth, &t->elem);
		break;
	case MS_KIND_INTERFACE:
		t->empty_interface = ms_load_u64(d + RT_FIELDS + 8) == 0;
		break;
	case MS_KIND_STRUCT:
		err = rt_members(ts, addr, d, depth, t);
		break;
	default:
		break;
	}
	return err;
}

// How many bytes of a descriptor of kind @p kind are read.
static size_t rt_read_size(enum ms_kind kind)
{
	switch (kind) {
	case MS_KIND_ARRAY:
	case MS_KIND_STRUCT:
	case MS_KIND_INTERFACE:
		return 72;
	case MS_KIND_MAP:
		return 64;
	case MS_KIND_CHAN:
	case MS_KIND_POINTER:
	case MS_KIND_SLICE:
		return 56;
	default:
		return RT_TYPE_SIZE;
	}
}

static struct ms_error *rt_type(struct ms_types *ts, uint64_t off, int depth,
			       const struct ms_type **ret)
{
	uint64_t addr = ts->rt.types_start + off;
	struct type_node *node = off ? u64_table_get(&ts->by_offset, off) : NULL;
	if (node) {
		if (node->bad)
			return rt_bad(ts, addr, "damaged type");
		*ret = &node->type;
		return NULL;
	}
	if (!off || addr >= ts->rt.types_end || (addr & 7))
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "no type descriptor at offset 0x%" PRIx64 " of the types", off);
	if (depth > max_type_depth)
		return rt_bad(ts, addr, "types nest too deeply");
	uint8_t d[72];
	struct ms_error *err = ts->rt.read(ts->rt.read_arg, addr, d, RT_TYPE_SIZE);
	if (err)
		return err;
	enum ms_kind kind = (enum ms_kind)(d[23] & RT_KIND_MASK);
	uint64_t size = ms_load_u64(d), align = d[21];
	if (kind == MS_KIND_INVALID || kind > MS_KIND_UNSAFE_POINTER || !align ||
	    (align & (align - 1)) || align > 64 || size % align)
		return rt_bad(ts, addr, "not a type");
	size_t more = rt_read_size(kind);
	if (more > RT_TYPE_SIZE &&
	    (err = ts->rt.read(ts->rt.read_arg, addr + RT_TYPE_SIZE, d + RT_TYPE_SIZE,
			       more - RT_TYPE_SIZE)))
		return err;
	char *name;
	if ((err = rt_name(ts, ts->rt.types_start + (uint32_t)ms_load_u32(d + 40), NULL, &name)))
		return err;
	const char *shown = name + ((d[20] & RT_TFLAG_EXTRA_STAR) && name[0] == '*');
	size_t nlen = strlen(shown);
	node = calloc(1, sizeof(*node) + nlen + 1);
	if (!node) {
		free(name);
		return &ms_enomem;
	}
	char *nm = (char *)(node + 1);
	memcpy(nm, shown, nlen + 1);
	free(name);
	node->next_alloc = ts->allocs;
	ts->allocs = node;
	struct ms_type *t = &node->type;
	t->die_offset = off;
	t->runtime_type = off;
	t->kind = kind;
	t->name = nm;
	t->size = size;
	t->align = align;
	if ((err = u64_table_put(&ts->by_offset, off, node)))
		return err;
	if ((err = rt_fill(ts, addr, d, depth, t))) {
		node->bad = true;
		return err;
	}
	*ret = t;
	return NULL;
}

// The types a walk of the type graph has visited: the first few in a
// small array (most types are shallow, and the question is asked for
// every value the reachability walk meets), the rest in a table.
struct seen_types {
	const struct ms_type *few[16];
	size_t n_few;
	struct u64_table more;
};

// Add @p t; false when it was there already. Sets *nomem on failure.
static bool seen_add(struct seen_types *seen, const struct ms_type *t, bool *nomem)
{
	for (size_t i = 0; i < seen->n_few; i++)
		if (seen->few[i] == t)
			return false;
	uint64_t key = (uint64_t)(uintptr_t)t;
	if (u64_table_get(&seen->more, key))
		return false;
	if (seen->n_few < sizeof(seen->few) / sizeof(seen->few[0])) {
		seen->few[seen->n_few++] = t;
		return true;
	}
	if (u64_table_put(&seen->more, key, (void *)t)) {
		*nomem = true;
		return false;
	}
	return true;
}

// A walk of the type graph with a visited set, so that shared and
// recursive types are looked at once per question.
static bool contains(const struct ms_type *t, bool want_map,
		     struct seen_types *seen, bool *nomem)
{
	if (!t || *nomem)
		return false;
	switch (t->kind) {
	case MS_KIND_MAP:
	case MS_KIND_INTERFACE:
		return true;
	case MS_KIND_CHAN:
	case MS_KIND_FUNC:
	case MS_KIND_STRING:
	case MS_KIND_UNSAFE_POINTER:
		return !want_map;
	case MS_KIND_POINTER:
	case MS_KIND_SLICE:
		if (!want_map)
			return true;
		break;
	case MS_KIND_ARRAY:
		if (!t->len)
			return false;
		break;
	case MS_KIND_STRUCT:
		break;
	default:
		return false;
	}
	if (!seen_add(seen, t, nomem))
		return false;
	if (t->kind != MS_KIND_STRUCT)
		return contains(t->elem, want_map, seen, nomem);
	for (size_t i = 0; i < t->n_members; i++) {
		if (contains(t->members[i].type, want_map, seen, nomem))
			return true;
	}
	return false;
}

static bool type_contains(const struct ms_type *t, bool want_map)
{
	struct seen_types seen;
	seen.n_few = 0;
	memset(&seen.more, 0, sizeof(seen.more));
	bool nomem = false;
	bool r = contains(t, want_map, &seen, &nomem);
	u64_table_deinit(&seen.more);
	// Out of memory: say yes, the safe answer for a reachability walk.
	return r || nomem;
}

bool ms_type_may_contain_map(const struct ms_type *t)
{
	return type_contains(t, true);
}

bool ms_type_has_pointers(const struct ms_type *t)
{
	return type_contains(t, false);
}

// ---- rendering ----

struct out {
	char *buf;
	size_t size, len;
	bool full;
};

static const char ellipsis[] = "\xe2\x80\xa6";	// U+2026
// JSON for a value nested deeper than max_depth, or too long for the buffer.
static const char depth_cut[] = "{\"truncated\": \"depth\"}";
static const char size_cut[] = "{\"truncated\": \"size\"}";

static void out_add(struct out *o, const char *s, size_t n)
{
	if (o->full)
		return;
	size_t room = o->size - 1 - o->len;	// keep the NUL
	if (n <= room) {
		memcpy(o->buf + o->len, s, n);
		o->len += n;
		o->buf[o->len] = '\0';
		return;
	}
	// Cut, leaving room for the ellipsis.
	size_t keep = room >= sizeof(ellipsis) - 1 ? room - (sizeof(ellipsis) - 1) : 0;
	if (keep > n)
		keep = n;
	memcpy(o->buf + o->len, s, keep);
	o->len += keep;
	if (o->size - 1 - o->len >= sizeof(ellipsis) - 1) {
		memcpy(o->buf + o->len, ellipsis, sizeof(ellipsis) - 1);
		o->len += sizeof(ellipsis) - 1;
	}
	o->buf[o->len] = '\0';
	o->full = true;
}

static void out_str(struct out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

__attribute__((format(printf, 2, 3)))
static void out_printf(struct out *o, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	out_add(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

// The shortest "%.*g" that reads back as the same double, as Go prints.
static void out_float(struct out *o, double v, bool json, bool is32)
{
	char tmp[64];
	if (v != v || v == 1.0 / 0.0 || v == -1.0 / 0.0) {
		if (json)
			out_printf(o, "\"%s\"", v != v ? "NaN" : v > 0 ? "+Inf" : "-Inf");
		else
			out_str(o, v != v ? "NaN" : v > 0 ? "+Inf" : "-Inf");
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		double back = strtod(tmp, NULL);
		if (is32 ? (float)back == (float)v : back == v)
			break;
	}
	out_str(o, tmp);
}

// Escape n bytes into o as ms_escape_json() or ms_escape_term() does.
static void out_escaped(struct out *o, const uint8_t *s, size_t n, bool json,
			size_t *invalid_ret)
{
	char small[512];
	size_t need = json ? ms_escape_json(small, sizeof(small), (const char *)s, n, invalid_ret) :
			     ms_escape_term(small, sizeof(small), (const char *)s, n);
	if (need < sizeof(small)) {
		out_add(o, small, need);
		return;
	}
	char *big = malloc(need + 1);
	if (!big) {
		o->full = true;
		return;
	}
	if (json)
		ms_escape_json(big, need + 1, (const char *)s, n, NULL);
	else
		ms_escape_term(big, need + 1, (const char *)s, n);
	out_add(o, big, need);
	free(big);
}

// The inside of a Go-quoted text string: quotes and backslashes escaped,
// controls made visible.
static void out_quoted_body(struct out *o, const uint8_t *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '"' && s[i] != '\\')
			continue;
		out_escaped(o, s + start, i - start, false, NULL);
		if (i < n)
			out_str(o, s[i] == '"' ? "\\\"" : "\\\\");
		start = i + 1;
	}
}

/*
 * A string from memory. Text: Go-quoted, controls made visible, a cut one
 * ends in an ellipsis inside the quotes. JSON: a plain string when whole and
 * UTF-8, else {"string": ..., "len": N, "truncated": true, "invalid_utf8":
 * true} with the members that apply (doc/json-schema.md).
 */
static void out_quoted(struct out *o, const uint8_t *s, size_t n, bool cut,
		       uint64_t full_len, bool json)
{
	if (json) {
		bool invalid = !ms_utf8_valid((const char *)s, n);
		bool object = cut || invalid;
		if (object)
			out_str(o, "{\"string\": ");
		out_add(o, "\"", 1);
		out_escaped(o, s, n, true, NULL);
		out_add(o, "\"", 1);
		if (cut)
			out_printf(o, ", \"len\": %" PRIu64 ", \"truncated\": true", full_len);
		if (invalid)
			out_str(o, ", \"invalid_utf8\": true");
		if (object)
			out_str(o, "}");
		return;
	}
	out_add(o, "\"", 1);
	out_quoted_body(o, s, n);
	if (cut)
		out_str(o, ellipsis);
	out_add(o, "\"", 1);
}

static void out_addr(struct out *o, uint64_t addr, bool json)
{
	if (json)
		out_printf(o, "\"0x%" PRIx64 "\"", addr);
	else
		out_printf(o, "0x%" PRIx64, addr);
}

static void format_value(const struct ms_type *t, const uint8_t *b,
			 const struct ms_value_opts *opts, struct out *o,
			 unsigned depth);

static void format_unreadable(struct out *o, uint64_t addr, bool json)
{
	if (json)
		out_str(o, "null");
	else
		out_printf(o, "<unreadable 0x%" PRIx64 ">", addr);
}

static void format_string(uint64_t ptr, uint64_t len,
			  const struct ms_value_opts *opts, struct out *o)
{
	if (len == 0) {
		out_str(o, "\"\"");
		return;
	}
	size_t want = len < opts->max_string ? (size_t)len : opts->max_string;
	uint8_t tmp[256];
	if (want > sizeof(tmp))
		want = sizeof(tmp);
	// A long string in text keeps its head and its tail ("/tmp/…/geo.so"):
	// two paths that differ only at the end must not read the same.
	size_t head = want, tail = 0;
	if (want < len && !opts->json && want >= 16) {
		head = want / 2;
		tail = want - head;
	}
	struct ms_error *err = opts->read ?
		opts->read(opts->read_arg, ptr, tmp, head) :
		ms_error_create(MS_ERR_FAULT, "no memory");
	if (!err && tail)
		err = opts->read(opts->read_arg, ptr + len - tail, tmp + head, tail);
	if (err) {
		ms_error_destroy(err);
		format_unreadable(o, ptr, opts->json);
		return;
	}
	// Never cut inside a UTF-8 character: the head ends before a
	// character it holds only part of, the tail starts after one.
	if (head < len)
		head -= ms_utf8_incomplete_tail((const char *)tmp, head);
	size_t skip = 0;
	while (skip < tail && (tmp[want - tail + skip] & 0xc0) == 0x80)
		skip++;
	if (!tail) {
		out_quoted(o, tmp, head, head < len, len, opts->json);
		return;
	}
	out_add(o, "\"", 1);
	out_quoted_body(o, tmp, head);
	out_str(o, ellipsis);
	out_quoted_body(o, tmp + want - tail + skip, tail - skip);
	out_add(o, "\"", 1);
}

// An interface's dynamic type, if it can be found: eface word 0 is the
// type, iface word 0 the itab whose _type is at 8.
static const struct ms_type *dynamic_type(const struct ms_type *t, uint64_t w0,
					  const struct ms_value_opts *opts,
					  uint64_t *rtype_ret)
{
	uint64_t rtype = w0;
	if (!t->empty_interface) {
		uint8_t tmp[8];
		struct ms_error *err = opts->read ?
			opts->read(opts->read_arg, w0 + 8, tmp, 8) : &ms_enomem;
		if (err) {
			if (err != &ms_enomem)
				ms_error_destroy(err);
			*rtype_ret = 0;
			return NULL;
		}
		rtype = ms_load_u64(tmp);
	}
	*rtype_ret = rtype;
	const struct ms_type *dt = NULL;
	if (opts->types) {
		struct ms_error *err = ms_types_by_runtime_type(opts->types,
								rtype - opts->bias, &dt);
		if (err) {
			ms_error_destroy(err);
			dt = NULL;
		}
	}
	return dt;
}

static bool pointer_shaped(const struct ms_type *t)
{
	switch (t->kind) {
	case MS_KIND_POINTER:
	case MS_KIND_UNSAFE_POINTER:
	case MS_KIND_MAP:
	case MS_KIND_CHAN:
	case MS_KIND_FUNC:
		return true;
	case MS_KIND_STRUCT:
		return t->n_members == 1 && t->size == 8 && pointer_shaped(t->members[0].type);
	case MS_KIND_ARRAY:
		return t->len == 1 && pointer_shaped(t->elem);
	default:
		return false;
	}
}

static void format_interface(const struct ms_type *t, const uint8_t *b,
			     const struct ms_value_opts *opts, struct out *o,
			     unsigned depth)
{
	uint64_t w0 = ms_load_u64(b), w1 = ms_load_u64(b + 8);
	if (!w0) {
		out_str(o, opts->json ? "null" : "nil");
		return;
	}
	uint64_t rtype;
	const struct ms_type *dt = dynamic_type(t, w0, opts, &rtype);
	if (dt && depth < opts->max_depth) {
		if (pointer_shaped(dt)) {
			uint8_t tmp[8];
			memcpy(tmp, b + 8, 8);
			format_value(dt, tmp, opts, o, depth + 1);
			return;
		}
		if (dt->size <= 4096 && opts->read) {
			uint8_t *tmp = malloc(dt->size ? dt->size : 1);
			struct ms_error *err = tmp ?
				opts->read(opts->read_arg, w1, tmp, dt->size) : &ms_enomem;
			if (!err) {
				format_value(dt, tmp, opts, o, depth + 1);
				free(tmp);
				return;
			}
			if (err != &ms_enomem)
				ms_error_destroy(err);
			free(tmp);
		}
	}
	if (opts->json) {
		out_str(o, "{\"type\": ");
		if (dt)
			out_quoted(o, (const uint8_t *)dt->name, strlen(dt->name), false, 0, true);
		else
			out_addr(o, rtype, true);
		out_str(o, ", \"data\": ");
		out_addr(o, w1, true);
		out_str(o, "}");
	} else {
		out_str(o, "(");
		if (dt)
			out_str(o, dt->name);
		else
			out_printf(o, "type 0x%" PRIx64, rtype);
		out_printf(o, ", 0x%" PRIx64 ")", w1);
	}
}

static void format_value(const struct ms_type *t, const uint8_t *b,
			 const struct ms_value_opts *opts, struct out *o,
			 unsigned depth)
{
	bool json = opts->json;
	switch (t->kind) {
	case MS_KIND_BOOL:
		out_str(o, b[0] ? "true" : "false");
		return;
	case MS_KIND_INT:
	case MS_KIND_INT8:
	case MS_KIND_INT16:
	case MS_KIND_INT32:
	case MS_KIND_INT64: {
		size_t n = t->size <= 8 ? (size_t)t->size : 8;
		uint64_t v = ms_le(b, n);
		if (n && n < 8 && (v >> (8 * n - 1)) & 1)
			v |= ~0ull << (8 * n);
		out_printf(o, "%" PRId64, (int64_t)v);
		return;
	}
	case MS_KIND_UINT:
	case MS_KIND_UINT8:
	case MS_KIND_UINT16:
	case MS_KIND_UINT32:
	case MS_KIND_UINT64:
	case MS_KIND_UINTPTR:
		out_printf(o, "%" PRIu64, ms_le(b, t->size <= 8 ? (size_t)t->size : 8));
		return;
	case MS_KIND_FLOAT32: {
		uint32_t u = ms_load_u32(b);
		float f;
		memcpy(&f, &u, 4);
		out_float(o, f, json, true);
		return;
	}
	case MS_KIND_FLOAT64: {
		uint64_t u = ms_load_u64(b);
		double d;
		memcpy(&d, &u, 8);
		out_float(o, d, json, false);
		return;
	}
	case MS_KIND_COMPLEX64:
	case MS_KIND_COMPLEX128: {
		bool is32 = t->kind == MS_KIND_COMPLEX64;
		double re, im;
		if (is32) {
			uint32_t u;
			float f;
			u = ms_load_u32(b);
			memcpy(&f, &u, 4);
			re = f;
			u = ms_load_u32(b + 4);
			memcpy(&f, &u, 4);
			im = f;
		} else {
			uint64_t u = ms_load_u64(b);
			memcpy(&re, &u, 8);
			u = ms_load_u64(b + 8);
			memcpy(&im, &u, 8);
		}
		out_str(o, json ? "[" : "(");
		out_float(o, re, json, is32);
		out_str(o, json ? ", " : (im >= 0 || im != im) ? "+" : "");
		out_float(o, im, json, is32);
		out_str(o, json ? "]" : "i)");
		return;
	}
	case MS_KIND_STRING:
		format_string(ms_load_u64(b), ms_load_u64(b + 8), opts, o);
		return;
	case MS_KIND_POINTER:
	case MS_KIND_UNSAFE_POINTER:
	case MS_KIND_CHAN:
	case MS_KIND_FUNC: {
		uint64_t p = ms_load_u64(b);
		if (!p)
			out_str(o, json ? "null" : "nil");
		else
			out_addr(o, p, json);
		return;
	}
	case MS_KIND_MAP: {
		uint64_t p = ms_load_u64(b);
		if (!p)
			out_str(o, json ? "null" : "nil");
		else if (json)
			out_printf(o, "\"map@0x%" PRIx64 "\"", p);
		else
			out_printf(o, "map@0x%" PRIx64, p);
		return;
	}
	case MS_KIND_SLICE: {
		uint64_t p = ms_load_u64(b), len = ms_load_u64(b + 8),
			 cap = ms_load_u64(b + 16);
		if (json)
			out_printf(o, "{\"ptr\": \"0x%" PRIx64 "\", \"len\": %" PRIu64
				      ", \"cap\": %" PRIu64 "}", p, len, cap);
		else
			out_printf(o, "%s{len: %" PRIu64 ", cap: %" PRIu64
				      ", ptr: 0x%" PRIx64 "}",
				   t->name, len, cap, p);
		return;
	}
	case MS_KIND_INTERFACE:
		format_interface(t, b, opts, o, depth);
		return;
	case MS_KIND_ARRAY: {
		if (depth >= opts->max_depth) {
			out_str(o, json ? depth_cut : "[…]");
			return;
		}
		// JSON marks a cut array: {"elements": [...], "len": N, "omitted": K}.
		bool cut = t->len > opts->max_elems;
		if (json && cut)
			out_str(o, "{\"elements\": ");
		out_str(o, "[");
		for (uint64_t i = 0; i < t->len && !o->full; i++) {
			if (i == opts->max_elems) {
				if (!json) {
					out_str(o, ", ");
					out_str(o, ellipsis);
				}
				break;
			}
			if (i)
				out_str(o, ", ");
			format_value(t->elem, b + i * t->elem->size, opts, o, depth + 1);
		}
		out_str(o, "]");
		if (json && cut)
			out_printf(o, ", \"len\": %" PRIu64 ", \"omitted\": %" PRIu64 "}",
				   t->len, t->len - opts->max_elems);
		return;
	}
	case MS_KIND_STRUCT: {
		if (depth >= opts->max_depth) {
			out_str(o, json ? depth_cut : "{…}");
			return;
		}
		out_str(o, "{");
		bool first = true;
		for (size_t i = 0; i < t->n_members && !o->full; i++) {
			const struct ms_type_member *m = &t->members[i];
			// Blank and zero-size fields (_, NotInHeap) say nothing.
			if (m->type->size == 0 || strcmp(m->name, "_") == 0)
				continue;
			if (!first)
				out_str(o, ", ");
			first = false;
			if (json) {
				out_quoted(o, (const uint8_t *)m->name, strlen(m->name), false, 0, true);
				out_str(o, ": ");
			} else {
				out_str(o, m->name);
				out_str(o, ": ");
			}
			format_value(m->type, b + m->offset, opts, o, depth + 1);
		}
		out_str(o, "}");
		return;
	}
	default:
		out_str(o, json ? "null" : "?");
		return;
	}
}

struct ms_error *ms_value_format(const struct ms_type *t, const void *bytes,
				 size_t len, const struct ms_value_opts *opts,
				 char *out, size_t out_size)
{
	if (out_size == 0)
		return ms_error_create(MS_ERR_USAGE, "no room to format a value");
	out[0] = '\0';
	if (len < t->size)
		return ms_error_create(MS_ERR_USAGE,
				       "%zu bytes for a value of type '%s' (%" PRIu64 " bytes)",
				       len, t->name, t->size);
	struct ms_value_opts o = opts ? *opts : (struct ms_value_opts){ 0 };
	if (!o.max_string)
		o.max_string = 64;
	if (!o.max_elems)
		o.max_elems = 8;
	if (!o.max_depth)
		o.max_depth = 4;
	struct out ob = { .buf = out, .size = out_size };
	format_value(t, bytes, &o, &ob, 0);
	// Half a JSON value is no JSON: say it was too long instead.
	if (o.json && ob.full)
		snprintf(out, out_size, "%s", out_size > sizeof(size_cut) ? size_cut : "null");
	return NULL;
}
