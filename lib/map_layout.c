/* Layouts of Go maps (classic hmap/buckets and swiss Map/tables/groups) from DWARF, built-in tables, or runtime type descriptors. */
#include "config.h"

#include <dwarf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binbuf.h"
#include "buildinfo.h"
#include "map_layout.h"

// Slots per bucket or group (abi.OldMapBucketCount, abi.MapGroupSlots).
static const uint64_t map_slots = 8;
// Larger keys and elements are stored behind pointers (abi.MapMaxKeyBytes).
static const uint64_t max_inline = 128;
static const uint64_t ptr_size = 8;

static const uint64_t no_offset = UINT64_MAX;

// ms_layout_source_str() is in layout_source.h, shared with go_runtime.

static void struct_deinit(struct ms_layout_struct *s)
{
	for (size_t i = 0; i < s->n_fields; i++) {
		free(s->fields[i].name);
		free(s->fields[i].type_name);
	}
	free(s->fields);
	free(s->name);
	memset(s, 0, sizeof(*s));
}

void ms_map_layout_destroy(struct ms_map_layout *layout)
{
	if (!layout)
		return;
	for (size_t i = 0; i < layout->n_structs; i++)
		struct_deinit(&layout->structs[i]);
	free(layout->go_version);
	free(layout);
}

static struct ms_error *struct_add(struct ms_layout_struct *s, const char *name,
				   const char *type_name, uint64_t offset,
				   uint64_t size)
{
	struct ms_layout_field *f = realloc(s->fields, (s->n_fields + 1) * sizeof(*f));
	if (!f)
		return &ms_enomem;
	s->fields = f;
	f = &s->fields[s->n_fields];
	f->name = strdup(name);
	f->type_name = strdup(type_name);
	if (!f->name || !f->type_name) {
		free(f->name);
		free(f->type_name);
		return &ms_enomem;
	}
	f->offset = offset;
	f->size = size;
	s->n_fields++;
	return NULL;
}

static const struct ms_layout_field *struct_field(const struct ms_layout_struct *s,
						 const char *name)
{
	for (size_t i = 0; i < s->n_fields; i++) {
		if (strcmp(s->fields[i].name, name) == 0)
			return &s->fields[i];
	}
	return NULL;
}

static uint64_t field_offset(const struct ms_layout_struct *s, const char *name)
{
	const struct ms_layout_field *f = struct_field(s, name);
	return f ? f->offset : no_offset;
}

// ms_map_shape keeps header offsets as uint32_t.
static uint32_t off32(uint64_t off)
{
	return off > UINT32_MAX ? UINT32_MAX : (uint32_t)off;
}

// Fill layout->untyped and the optional-field offsets from the structs.
static struct ms_error *derive_shape(struct ms_map_layout *layout)
{
	struct ms_map_shape *sh = &layout->untyped;
	const struct ms_layout_struct *hdr = &layout->structs[0];
	const struct ms_layout_struct *aux = &layout->structs[1];
	memset(sh, 0, sizeof(*sh));
	sh->impl = layout->impl;
	sh->header_size = hdr->size;
	sh->typed = false;
	layout->hmap_clear_seq = no_offset;
	layout->map_tombstone_possible = no_offset;
	layout->map_clear_seq = no_offset;
	layout->aux_size = aux->size;
	static const char *const classic_need[] = {
		"count", "flags", "B", "noverflow", "hash0", "buckets",
		"oldbuckets", "nevacuate", "extra",
	};
	static const char *const swiss_need[] = {
		"used", "seed", "dirPtr", "dirLen", "globalDepth", "globalShift",
		"writing",
	};
	const char *const *need = layout->impl == MS_MAP_CLASSIC ? classic_need : swiss_need;
	size_t n_need = layout->impl == MS_MAP_CLASSIC ?
		sizeof(classic_need) / sizeof(*classic_need) :
		sizeof(swiss_need) / sizeof(*swiss_need);
	for (size_t i = 0; i < n_need; i++) {
		uint64_t off = field_offset(hdr, need[i]);
		if (off == no_offset || off >= hdr->size)
			return ms_error_create(MS_ERR_BAD_DATA, "%s has no field '%s'",
					       hdr->name, need[i]);
	}
	if (layout->impl == MS_MAP_CLASSIC) {
		sh->hmap.count = off32(field_offset(hdr, "count"));
		sh->hmap.flags = off32(field_offset(hdr, "flags"));
		sh->hmap.B = off32(field_offset(hdr, "B"));
		sh->hmap.noverflow = off32(field_offset(hdr, "noverflow"));
		sh->hmap.hash0 = off32(field_offset(hdr, "hash0"));
		sh->hmap.buckets = off32(field_offset(hdr, "buckets"));
		sh->hmap.oldbuckets = off32(field_offset(hdr, "oldbuckets"));
		sh->hmap.nevacuate = off32(field_offset(hdr, "nevacuate"));
		sh->hmap.extra = off32(field_offset(hdr, "extra"));
		layout->hmap_clear_seq = field_offset(hdr, "clearSeq");
		uint64_t o;
		sh->hmap.x_overflow = off32((o = field_offset(aux, "overflow")) == no_offset ? 0 : o);
		sh->hmap.x_oldoverflow = off32((o = field_offset(aux, "oldoverflow")) == no_offset ? 8 : o);
		sh->hmap.x_nextoverflow = off32((o = field_offset(aux, "nextOverflow")) == no_offset ? 16 : o);
	} else {
		const struct ms_layout_struct *table = &layout->structs[1];
		const struct ms_layout_struct *groups = &layout->structs[2];
		sh->swiss.used = off32(field_offset(hdr, "used"));
		sh->swiss.seed = off32(field_offset(hdr, "seed"));
		sh->swiss.dir_ptr = off32(field_offset(hdr, "dirPtr"));
		sh->swiss.dir_len = off32(field_offset(hdr, "dirLen"));
		sh->swiss.global_depth = off32(field_offset(hdr, "globalDepth"));
		sh->swiss.global_shift = off32(field_offset(hdr, "globalShift"));
		sh->swiss.writing = off32(field_offset(hdr, "writing"));
		layout->map_tombstone_possible = field_offset(hdr, "tombstonePossible");
		layout->map_clear_seq = field_offset(hdr, "clearSeq");
		static const char *const table_need[] = {
			"used", "capacity", "growthLeft", "localDepth", "index", "groups",
		};
		for (size_t i = 0; i < sizeof(table_need) / sizeof(*table_need); i++) {
			if (field_offset(table, table_need[i]) == no_offset)
				return ms_error_create(MS_ERR_BAD_DATA,
						       "%s has no field '%s'",
						       table->name, table_need[i]);
		}
		uint64_t g = field_offset(table, "groups");
		uint64_t data = field_offset(groups, "data");
		uint64_t mask = field_offset(groups, "lengthMask");
		if (data == no_offset || mask == no_offset)
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s has no field 'data' or 'lengthMask'",
					       groups->name);
		sh->swiss.table_size = off32(table->size);
		sh->swiss.t_used = off32(field_offset(table, "used"));
		sh->swiss.t_capacity = off32(field_offset(table, "capacity"));
		sh->swiss.t_growth_left = off32(field_offset(table, "growthLeft"));
		sh->swiss.t_local_depth = off32(field_offset(table, "localDepth"));
		sh->swiss.t_index = off32(field_offset(table, "index"));
		sh->swiss.t_groups_data = off32(g + data);
		sh->swiss.t_groups_mask = off32(g + mask);
		layout->aux_size = groups->size;
	}
	return NULL;
}

// ---- built-in tables (Go sources: src/runtime/map.go, hmap; src/runtime/map.go, mapextra; src/internal/runtime/maps/map.go; src/internal/runtime/maps/table.go; linux/amd64) ----

struct builtin_field {
	const char *name, *type_name;
	uint64_t offset, size;
	int only;	// 0 always, 1 only with clearSeq (classic) / tombstonePossible (swiss)
};

static const struct builtin_field hmap_fields[] = {
	{ "count", "int", 0, 8, 0 },
	{ "flags", "uint8", 8, 1, 0 },
	{ "B", "uint8", 9, 1, 0 },
	{ "noverflow", "uint16", 10, 2, 0 },
	{ "hash0", "uint32", 12, 4, 0 },
	{ "buckets", "unsafe.Pointer", 16, 8, 0 },
	{ "oldbuckets", "unsafe.Pointer", 24, 8, 0 },
	{ "nevacuate", "uintptr", 32, 8, 0 },
	{ "clearSeq", "uint64", 40, 8, 1 },
};

static const struct builtin_field mapextra_fields[] = {
	{ "overflow", "*[]*runtime.bmap", 0, 8, 0 },
	{ "oldoverflow", "*[]*runtime.bmap", 8, 8, 0 },
	{ "nextOverflow", "*runtime.bmap", 16, 8, 0 },
};

static const struct builtin_field bmap_fields[] = {
	{ "tophash", "[8]uint8", 0, 8, 0 },
};

static const struct builtin_field swiss_map_fields[] = {
	{ "used", "uint64", 0, 8, 0 },
	{ "seed", "uintptr", 8, 8, 0 },
	{ "dirPtr", "unsafe.Pointer", 16, 8, 0 },
	{ "dirLen", "int", 24, 8, 0 },
	{ "globalDepth", "uint8", 32, 1, 0 },
	{ "globalShift", "uint8", 33, 1, 0 },
	{ "writing", "uint8", 34, 1, 0 },
	{ "tombstonePossible", "bool", 35, 1, 1 },
	{ "clearSeq", "uint64", 40, 8, 0 },
};

static const struct builtin_field table_fields[] = {
	{ "used", "uint16", 0, 2, 0 },
	{ "capacity", "uint16", 2, 2, 0 },
	{ "growthLeft", "uint16", 4, 2, 0 },
	{ "localDepth", "uint8", 6, 1, 0 },
	{ "index", "int", 8, 8, 0 },
	{ "groups", "internal/runtime/maps.groupsReference", 16, 16, 0 },
};

static const struct builtin_field groups_fields[] = {
	{ "data", "unsafe.Pointer", 0, 8, 0 },
	{ "lengthMask", "uint64", 8, 8, 0 },
};

static struct ms_error *builtin_struct(struct ms_layout_struct *s, const char *name,
				       uint64_t size,
				       const struct builtin_field *fields,
				       size_t n, bool with_optional)
{
	struct ms_error *err;
	if (!(s->name = strdup(name)))
		return &ms_enomem;
	s->size = size;
	for (size_t i = 0; i < n; i++) {
		if (fields[i].only && !with_optional)
			continue;
		if ((err = struct_add(s, fields[i].name, fields[i].type_name,
				      fields[i].offset, fields[i].size)))
			return err;
	}
	return NULL;
}

struct ms_error *ms_map_layout_builtin(const char *version,
				       struct ms_map_layout **ret)
{
	struct ms_go_version v;
	struct ms_error *err;
	if (!version)
		return ms_error_create(MS_ERR_USAGE, "no Go version to choose a map layout");
	if (!ms_go_version_parse(version, &v))
		return ms_error_create(MS_ERR_UNSUPPORTED, "'%s' is not a Go version",
				       version);
	if (v.major != 1 || v.minor < 19 || v.minor > MS_GO_LAST_KNOWN_MINOR)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "no built-in map layout for %s (known: go1.19 to go1.%d)",
				       version, MS_GO_LAST_KNOWN_MINOR);
	struct ms_map_layout *layout = calloc(1, sizeof(*layout));
	if (!layout)
		return &ms_enomem;
	layout->source = MS_LAYOUT_BUILTIN;
	// Keep the version up to its experiments: "go1.24.0 X:noswissmap" is
	// worth showing whole.
	if (!(layout->go_version = strdup(version))) {
		err = &ms_enomem;
		goto fail;
	}
	// GOEXPERIMENT=noswissmap exists in 1.24 and 1.25 only; 1.26 removed
	// it (commit 2ae059ccaf), so there the suffix cannot occur.
	bool classic = v.minor < 24 || (v.minor <= 25 && v.noswissmap);
	layout->n_structs = 3;
	if (classic) {
		bool clear_seq = v.minor >= 24;
		layout->impl = MS_MAP_CLASSIC;
		struct ms_layout_struct *h = &layout->structs[0];
		if ((err = builtin_struct(h, "runtime.hmap", clear_seq ? 56 : 48,
					  hmap_fields,
					  sizeof(hmap_fields) / sizeof(*hmap_fields),
					  clear_seq)) ||
		    (err = struct_add(h, "extra", "*runtime.mapextra",
				      clear_seq ? 48 : 40, 8)) ||
		    (err = builtin_struct(&layout->structs[1], "runtime.mapextra", 24,
					  mapextra_fields,
					  sizeof(mapextra_fields) / sizeof(*mapextra_fields),
					  false)) ||
		    (err = builtin_struct(&layout->structs[2], "runtime.bmap", 8,
					  bmap_fields, 1, false)))
			goto fail;
	} else {
		layout->impl = MS_MAP_SWISS;
		layout->split_group = v.mapsplitgroup;
		if ((err = builtin_struct(&layout->structs[0], "internal/runtime/maps.Map", 48,
					  swiss_map_fields,
					  sizeof(swiss_map_fields) / sizeof(*swiss_map_fields),
					  v.minor >= 25)) ||
		    (err = builtin_struct(&layout->structs[1], "internal/runtime/maps.table", 32,
					  table_fields,
					  sizeof(table_fields) / sizeof(*table_fields),
					  false)) ||
		    (err = builtin_struct(&layout->structs[2],
					  "internal/runtime/maps.groupsReference", 16,
					  groups_fields,
					  sizeof(groups_fields) / sizeof(*groups_fields),
					  false)))
			goto fail;
	}
	if ((err = derive_shape(layout)))
		goto fail;
	*ret = layout;
	return NULL;
fail:
	ms_map_layout_destroy(layout);
	return err;
}

// ---- from DWARF ----

static struct ms_error *die_type_name(struct ms_dwarf *dw, Dwarf_Die *type,
				      char *buf, size_t size)
{
	const char *name = dwarf_diename(type);
	if (name) {
		snprintf(buf, size, "%s", name);
		return NULL;
	}
	// Unnamed pointer types: name them by their target.
	if (dwarf_tag(type) == DW_TAG_pointer_type) {
		Dwarf_Die target;
		if (ms_dwarf_die_type(dw, type, &target) == NULL &&
		    (name = dwarf_diename(&target))) {
			snprintf(buf, size, "*%s", name);
			return NULL;
		}
		snprintf(buf, size, "unsafe.Pointer");
		return NULL;
	}
	snprintf(buf, size, "?");
	return NULL;
}

// Copy every member of the struct DIE @die into @s.
static struct ms_error *struct_from_die(struct ms_dwarf *dw, Dwarf_Die *die,
					const char *name,
					struct ms_layout_struct *s)
{
	struct ms_error *err;
	Dwarf_Die st, child;
	if ((err = ms_dwarf_peel_typedefs(dw, die, &st)))
		return err;
	if (dwarf_tag(&st) != DW_TAG_structure_type)
		return ms_error_create(MS_ERR_BAD_DATA, "%s: '%s' is not a struct",
				       ms_dwarf_path(dw), name);
	if (!(s->name = strdup(name)))
		return &ms_enomem;
	if ((err = ms_dwarf_die_size(dw, &st, &s->size)))
		return err;
	int r = dwarf_child(&st, &child);
	if (r < 0)
		return ms_error_libdw("cannot read struct members");
	for (; r == 0; r = dwarf_siblingof(&child, &child)) {
		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		const char *fname = dwarf_diename(&child);
		Dwarf_Attribute attr;
		Dwarf_Word off;
		Dwarf_Die ftype;
		uint64_t fsize = 0;
		char tname[160];
		if (!fname)
			continue;
		if (!dwarf_attr(&child, DW_AT_data_member_location, &attr) ||
		    dwarf_formudata(&attr, &off) != 0)
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s: '%s.%s' has no offset",
					       ms_dwarf_path(dw), name, fname);
		if ((err = ms_dwarf_die_type(dw, &child, &ftype)) ||
		    (err = ms_dwarf_die_size(dw, &ftype, &fsize)) ||
		    (err = die_type_name(dw, &ftype, tname, sizeof(tname))))
			return err;
		if (off > s->size || fsize > s->size - off)
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s: '%s.%s' lies outside the struct",
					       ms_dwarf_path(dw), name, fname);
		if ((err = struct_add(s, fname, tname, off, fsize)))
			return err;
	}
	if (r < 0)
		return ms_error_libdw("cannot read struct members");
	return NULL;
}

// Whether @type_name has @member; damaged DWARF is an error, not a no.
static struct ms_error *has_member(struct ms_dwarf *dw, const char *type_name,
				   const char *member, bool *ret)
{
	uint64_t off;
	struct ms_error *err = ms_dwarf_member_offset(dw, type_name, member, &off);
	*ret = !err;
	if (ms_error_catch(&err, MS_ERR_NOT_FOUND))
		return NULL;
	return err;
}

// Returned by a callback to end a walk early; never destroyed.
static struct ms_error stop_walk = { .code = MS_ERR_USAGE, .message = (char *)"stop" };

struct impl_probe {
	struct ms_dwarf *dw;
	enum ms_map_impl impl;
};

// The first map typedef says which header the linker gave maps.
static struct ms_error *probe_map_typedef(void *arg, const char *name,
					  Dwarf_Die *die)
{
	struct impl_probe *p = arg;
	Dwarf_Attribute attr;
	Dwarf_Word kind;
	if (dwarf_tag(die) != DW_TAG_typedef ||
	    !dwarf_attr(die, MS_DW_AT_go_kind, &attr) ||
	    dwarf_formudata(&attr, &kind) != 0 || kind != MS_KIND_MAP)
		return NULL;
	Dwarf_Die ptr, hdr;
	uint64_t off;
	struct ms_error *err;
	if (ms_dwarf_die_type(p->dw, die, &ptr) ||
	    ms_dwarf_die_type(p->dw, &ptr, &hdr))
		return NULL;
	if (!(err = ms_dwarf_die_member(p->dw, &hdr, "buckets", &off, NULL)))
		p->impl = MS_MAP_CLASSIC;
	else if (ms_error_destroy(err), !(err = ms_dwarf_die_member(p->dw, &hdr, "dirPtr", &off, NULL)))
		p->impl = MS_MAP_SWISS;
	else
		ms_error_destroy(err);
	return p->impl ? &stop_walk : NULL;
}

static const char *const classic_names[3] = {
	"runtime.hmap", "runtime.mapextra", "runtime.bmap",
};
static const char *const swiss_names[3] = {
	"internal/runtime/maps.Map", "internal/runtime/maps.table",
	"internal/runtime/maps.groupsReference",
};

struct ms_error *ms_map_layout_from_dwarf(struct ms_dwarf *dw,
					  struct ms_map_layout **ret)
{
	struct ms_error *err;
	bool classic, swiss;
	if ((err = has_member(dw, "runtime.hmap", "buckets", &classic)) ||
	    (err = has_member(dw, "internal/runtime/maps.Map", "dirPtr", &swiss)))
		return err;
	enum ms_map_impl impl;
	if (classic && swiss) {
		// Both prototypes linked in: the map types decide.
		struct impl_probe p = { .dw = dw };
		err = ms_dwarf_foreach_type(dw, probe_map_typedef, &p);
		if (err && err != &stop_walk)
			return err;
		impl = p.impl ? p.impl : MS_MAP_SWISS;
	} else if (classic) {
		impl = MS_MAP_CLASSIC;
	} else if (swiss) {
		impl = MS_MAP_SWISS;
	} else {
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "%s: no Go map runtime types in DWARF (runtime.hmap, internal/runtime/maps.Map)",
				       ms_dwarf_path(dw));
	}
	struct ms_map_layout *layout = calloc(1, sizeof(*layout));
	if (!layout)
		return &ms_enomem;
	layout->impl = impl;
	layout->source = MS_LAYOUT_DWARF;
	const char *const *names = impl == MS_MAP_CLASSIC ? classic_names : swiss_names;
	for (size_t i = 0; i < 3; i++) {
		Dwarf_Die die;
		err = ms_dwarf_find_type(dw, names[i], &die);
		// runtime.mapextra and runtime.bmap are only for display.
		if (err && impl == MS_MAP_CLASSIC && i > 0 &&
		    ms_error_catch(&err, MS_ERR_NOT_FOUND)) {
			const struct builtin_field *bf = i == 1 ? mapextra_fields : bmap_fields;
			err = builtin_struct(&layout->structs[i], names[i], i == 1 ? 24 : 8,
					     bf, i == 1 ? 3 : 1, false);
		} else if (!err) {
			err = struct_from_die(dw, &die, names[i], &layout->structs[i]);
		}
		layout->n_structs = i + 1;
		if (err)
			goto fail;
	}
	if ((err = derive_shape(layout)))
		goto fail;
	*ret = layout;
	return NULL;
fail:
	ms_map_layout_destroy(layout);
	return ms_error_prefix(err, "%s: map layout", ms_dwarf_path(dw));
}

void ms_map_layout_untyped_shape(const struct ms_map_layout *layout,
				 struct ms_map_shape *ret)
{
	*ret = layout->untyped;
}

// ---- per map type ----

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a > 1 ? (v + a - 1) / a * a : v;
}

static void set_strides(struct ms_map_type *mt)
{
	if (mt->impl == MS_MAP_CLASSIC || mt->split_group) {
		mt->key_base = mt->keys_offset;
		mt->key_stride = mt->key_slot_size;
		mt->elem_base = mt->values_offset;
		mt->elem_stride = mt->elem_slot_size;
	} else {
		mt->key_base = mt->slots_offset + mt->slot_key_offset;
		mt->key_stride = mt->slot_size;
		mt->elem_base = mt->slots_offset + mt->elem_off;
		mt->elem_stride = mt->slot_size;
	}
}

// Sizes and indirection of K' and V', common to every layout.
static void compute_slots(enum ms_map_impl impl, uint64_t key_size,
			  uint64_t key_align, uint64_t elem_size,
			  uint64_t elem_align, struct ms_map_type *mt,
			  uint64_t *ka, uint64_t *ea)
{
	*mt = (struct ms_map_type){ .impl = impl, .source = MS_LAYOUT_COMPUTED };
	mt->key_size = key_size;
	mt->elem_size = elem_size;
	mt->indirect_key = key_size > max_inline;
	mt->indirect_elem = elem_size > max_inline;
	mt->key_slot_size = mt->indirect_key ? ptr_size : key_size;
	mt->elem_slot_size = mt->indirect_elem ? ptr_size : elem_size;
	*ka = mt->indirect_key ? ptr_size : key_align ? key_align : 1;
	*ea = mt->indirect_elem ? ptr_size : elem_align ? elem_align : 1;
}

void ms_map_type_compute(enum ms_map_impl impl, uint64_t key_size,
			 uint64_t key_align, uint64_t elem_size,
			 uint64_t elem_align, struct ms_map_type *ret)
{
	struct ms_map_type mt;
	uint64_t ka, ea;
	compute_slots(impl, key_size, key_align, elem_size, elem_align, &mt, &ka, &ea);
	if (impl == MS_MAP_CLASSIC) {
		// tophash [8]uint8, keys [8]K', elems [8]V', overflow pointer;
		// 8-slot arrays keep everything 8-aligned on amd64.
		mt.keys_offset = map_slots;
		mt.values_offset = mt.keys_offset + map_slots * mt.key_slot_size;
		mt.overflow_offset = mt.values_offset + map_slots * mt.elem_slot_size;
		mt.bucket_size = mt.overflow_offset + ptr_size;
	} else {
		// ctrl uint64, slots [8]struct{key K'; elem V'}. Go gives a
		// non-empty struct ending in a zero-size field one byte of
		// padding (cmd/compile types.CalcSize), so pointers to it stay
		// inside the object.
		uint64_t slot_align = ka > ea ? ka : ea;
		mt.ctrl_offset = 0;
		mt.slots_offset = 8;
		mt.slot_key_offset = 0;
		mt.elem_off = align_up(mt.key_slot_size, ea);
		uint64_t raw = mt.elem_off + mt.elem_slot_size;
		if (raw > 0 && mt.elem_slot_size == 0)
			raw++;
		mt.slot_size = align_up(raw, slot_align);
		uint64_t group = mt.slots_offset + map_slots * mt.slot_size;
		if (mt.slot_size == 0)
			group++;
		mt.bucket_size = align_up(group, 8);
		mt.keys_offset = mt.slots_offset;
		mt.values_offset = mt.slots_offset + mt.elem_off;
	}
	set_strides(&mt);
	*ret = mt;
}

void ms_map_type_compute_split(uint64_t key_size, uint64_t key_align,
			       uint64_t elem_size, uint64_t elem_align,
			       struct ms_map_type *ret)
{
	struct ms_map_type mt;
	uint64_t ka, ea;
	compute_slots(MS_MAP_SWISS, key_size, key_align, elem_size, elem_align,
		      &mt, &ka, &ea);
	// ctrl uint64, keys [8]K', elems [8]V' (cmd/compile MapGroupType
	// with GOEXPERIMENT=mapsplitgroup); a trailing zero-size array gets
	// a byte of padding, like any struct's last zero-size field.
	mt.split_group = true;
	mt.ctrl_offset = 0;
	mt.keys_offset = align_up(8, ka);
	mt.values_offset = align_up(mt.keys_offset + map_slots * mt.key_slot_size, ea);
	uint64_t end = mt.values_offset + map_slots * mt.elem_slot_size;
	if (mt.elem_slot_size == 0)
		end++;
	uint64_t a = ka > ea ? ka : ea;
	mt.bucket_size = align_up(end, a > 8 ? a : 8);
	mt.slots_offset = mt.keys_offset;
	set_strides(&mt);
	*ret = mt;
}

// Peel typedefs and @n pointers from @die.
static struct ms_error *deref(struct ms_dwarf *dw, Dwarf_Die *die, int n,
			      Dwarf_Die *ret)
{
	struct ms_error *err;
	Dwarf_Die cur = *die;
	for (int i = 0; i < n; i++) {
		if ((err = ms_dwarf_peel_typedefs(dw, &cur, &cur)))
			return err;
		if (dwarf_tag(&cur) != DW_TAG_pointer_type)
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s: DIE 0x%" PRIx64 " is not a pointer",
					       ms_dwarf_path(dw),
					       (uint64_t)dwarf_dieoffset(&cur));
		if ((err = ms_dwarf_die_type(dw, &cur, &cur)))
			return err;
	}
	return ms_dwarf_peel_typedefs(dw, &cur, ret);
}

static struct ms_error *member(struct ms_dwarf *dw, Dwarf_Die *st,
			       const char *name, uint64_t *off_ret,
			       uint64_t *size_ret, Dwarf_Die *type_ret)
{
	Dwarf_Die t;
	struct ms_error *err = ms_dwarf_die_member(dw, st, name, off_ret, &t);
	if (err)
		return err;
	if (size_ret && (err = ms_dwarf_die_size(dw, &t, size_ret)))
		return err;
	if (type_ret)
		*type_ret = t;
	return NULL;
}

// Classic: map[K]V → *hash<K,V> → buckets *bucket<K,V> (Go sources: cmd/link/internal/ld/dwarf.go, synthesizemaptypes).
static struct ms_error *classic_from_dwarf(struct ms_dwarf *dw, Dwarf_Die *hdr,
					   struct ms_map_type *mt)
{
	struct ms_error *err;
	Dwarf_Die bptr, bucket;
	uint64_t off, keys_size, values_size;
	if ((err = member(dw, hdr, "buckets", &off, NULL, &bptr)) ||
	    (err = deref(dw, &bptr, 1, &bucket)) ||
	    (err = ms_dwarf_die_size(dw, &bucket, &mt->bucket_size)) ||
	    (err = member(dw, &bucket, "keys", &mt->keys_offset, &keys_size, NULL)))
		return err;
	// The linker calls them values; the compiler's own bucket type elems.
	err = member(dw, &bucket, "values", &mt->values_offset, &values_size, NULL);
	if (err && ms_error_catch(&err, MS_ERR_NOT_FOUND))
		err = member(dw, &bucket, "elems", &mt->values_offset, &values_size, NULL);
	if (err || (err = member(dw, &bucket, "overflow", &mt->overflow_offset, NULL, NULL)))
		return err;
	mt->key_slot_size = keys_size / map_slots;
	mt->elem_slot_size = values_size / map_slots;
	const char *bn = dwarf_diename(&bucket);
	snprintf(mt->bucket_type_name, sizeof(mt->bucket_type_name), "%s", bn ? bn : "");
	return NULL;
}

// Swiss: map[K]V → *map<K,V> → dirPtr **table<K,V> → groups
// groupReference<K,V> → data *group (Go sources: cmd/link/internal/ld/dwarf.go).
static struct ms_error *swiss_from_dwarf(struct ms_dwarf *dw, Dwarf_Die *hdr,
					 struct ms_map_type *mt)
{
	struct ms_error *err;
	Dwarf_Die dir, table, groups, data, group, slots, slot;
	uint64_t off, goff, doff;
	if ((err = member(dw, hdr, "dirPtr", &off, NULL, &dir)) ||
	    (err = deref(dw, &dir, 2, &table)) ||
	    (err = member(dw, &table, "groups", &goff, NULL, &groups)) ||
	    (err = ms_dwarf_peel_typedefs(dw, &groups, &groups)) ||
	    (err = member(dw, &groups, "data", &doff, NULL, &data)) ||
	    (err = deref(dw, &data, 1, &group)) ||
	    (err = ms_dwarf_die_size(dw, &group, &mt->bucket_size)) ||
	    (err = member(dw, &group, "ctrl", &mt->ctrl_offset, NULL, NULL)))
		return err;
	const char *gn = dwarf_diename(&group);
	snprintf(mt->bucket_type_name, sizeof(mt->bucket_type_name), "%s", gn ? gn : "");
	uint64_t arr_size;
	err = member(dw, &group, "slots", &mt->slots_offset, &arr_size, &slots);
	if (!err) {
		// slots [8]struct { key K'; elem V' }
		Dwarf_Die st;
		uint64_t ks, es;
		mt->split_group = false;
		if ((err = ms_dwarf_peel_typedefs(dw, &slots, &slots)) ||
		    (err = ms_dwarf_die_type(dw, &slots, &slot)) ||
		    (err = ms_dwarf_peel_typedefs(dw, &slot, &st)) ||
		    (err = ms_dwarf_die_size(dw, &st, &mt->slot_size)) ||
		    (err = member(dw, &st, "key", &mt->slot_key_offset, &ks, NULL)) ||
		    (err = member(dw, &st, "elem", &mt->elem_off, &es, NULL)))
			return err;
		mt->key_slot_size = ks;
		mt->elem_slot_size = es;
		mt->keys_offset = mt->slots_offset + mt->slot_key_offset;
		mt->values_offset = mt->slots_offset + mt->elem_off;
		if (mt->slot_size * map_slots != arr_size)
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s: %s: slots are %" PRIu64 " bytes, not 8 × %" PRIu64,
					       ms_dwarf_path(dw), mt->bucket_type_name,
					       arr_size, mt->slot_size);
		return NULL;
	}
	if (!ms_error_catch(&err, MS_ERR_NOT_FOUND))
		return err;
	// GOEXPERIMENT=mapsplitgroup (after 1.26): ctrl, keys [8]K', elems [8]V'.
	uint64_t ksz, esz;
	if ((err = member(dw, &group, "keys", &mt->keys_offset, &ksz, NULL)) ||
	    (err = member(dw, &group, "elems", &mt->values_offset, &esz, NULL)))
		return err;
	mt->split_group = true;
	mt->key_slot_size = ksz / map_slots;
	mt->elem_slot_size = esz / map_slots;
	mt->slots_offset = mt->keys_offset;
	mt->slot_size = 0;
	mt->elem_off = 0;
	return NULL;
}

static bool die_has_member(struct ms_dwarf *dw, Dwarf_Die *st, const char *name)
{
	uint64_t off;
	struct ms_error *err = ms_dwarf_die_member(dw, st, name, &off, NULL);
	if (!err)
		return true;
	ms_error_destroy(err);
	return false;
}

/*
 * A map type of types read from runtime descriptors: the runtime's own map
 * type descriptor says where keys and elements are (abi.MapType).
 */
static struct ms_error *map_type_from_runtime(struct ms_types *types,
					      const struct ms_type *t,
					      enum ms_map_impl impl,
					      struct ms_map_type *ret)
{
	const struct ms_types_runtime *rt = ms_types_runtime(types);
	uint8_t d[MS_MAP_DESCRIPTOR_MAX_SIZE];
	size_t len = impl == MS_MAP_CLASSIC ? MS_MAP_DESCRIPTOR_CLASSIC_SIZE :
		     rt->strided_maps ? MS_MAP_DESCRIPTOR_STRIDED_SIZE :
		     MS_MAP_DESCRIPTOR_SWISS_SIZE;
	if (impl != MS_MAP_CLASSIC && impl != MS_MAP_SWISS)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "cannot tell how maps of type '%s' are laid out", t->name);
	uint64_t addr = rt->types_start + t->runtime_type;
	struct ms_map_descriptor md;
	struct ms_error *err = rt->read(rt->read_arg, addr, d, len);
	if (!err)
		err = impl == MS_MAP_SWISS && rt->strided_maps
		      ? ms_map_descriptor_decode_strided(d, len, rt->split_group, &md)
		      : ms_map_descriptor_decode(impl, d, len, &md);
	struct ms_map_type mt;
	if (!err)
		err = ms_map_type_from_descriptor(impl, &md, rt->read, rt->read_arg, &mt);
	if (err)
		return ms_error_prefix(err, "map type '%s' at 0x%" PRIx64, t->name, addr);
	if (mt.key_size != t->key->size || mt.elem_size != t->elem->size)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "map type '%s' at 0x%" PRIx64 ": its descriptor's key and element sizes are not its types'",
				       t->name, addr);
	mt.type = t;
	mt.key = t->key;
	mt.elem = t->elem;
	mt.runtime_type = t->runtime_type;
	*ret = mt;
	return NULL;
}

struct ms_error *ms_map_type_from_type(struct ms_types *types,
				       const struct ms_type *t,
				       enum ms_map_impl impl,
				       struct ms_map_type *ret)
{
	struct ms_dwarf *dw = ms_types_dwarf(types);
	struct ms_error *err;
	if (!t || t->kind != MS_KIND_MAP || !t->key || !t->elem)
		return ms_error_create(MS_ERR_USAGE, "'%s' is not a map type",
				       t && t->name ? t->name : "?");
	if (ms_types_runtime(types))
		return map_type_from_runtime(types, t, impl, ret);
	struct ms_map_type mt = { .impl = impl };
	Dwarf_Die repr, hdr;
	bool have_hdr = false;
	if (t->repr_die_offset &&
	    dwarf_offdie(ms_dwarf_libdw(dw), t->repr_die_offset, &repr)) {
		if ((err = deref(dw, &repr, 1, &hdr)))
			ms_error_destroy(err);
		else if (die_has_member(dw, &hdr, "buckets"))
			mt.impl = MS_MAP_CLASSIC, have_hdr = true;
		else if (die_has_member(dw, &hdr, "dirPtr"))
			mt.impl = MS_MAP_SWISS, have_hdr = true;
	}
	if (!mt.impl)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "%s: cannot tell how maps of type '%s' are laid out",
				       ms_dwarf_path(dw), t->name);
	if (have_hdr) {
		err = mt.impl == MS_MAP_CLASSIC ? classic_from_dwarf(dw, &hdr, &mt) :
						  swiss_from_dwarf(dw, &hdr, &mt);
		if (err && !ms_error_catch(&err, MS_ERR_NOT_FOUND))
			return ms_error_prefix(err, "map type '%s'", t->name);
		if (!err) {
			mt.source = MS_LAYOUT_DWARF;
			mt.key_size = t->key->size;
			mt.elem_size = t->elem->size;
			// The DWARF names the slot type K even when it is *K:
			// the rule and the slot size say it together.
			mt.indirect_key = t->key->size > max_inline;
			mt.indirect_elem = t->elem->size > max_inline;
			if ((mt.indirect_key && mt.key_slot_size != ptr_size) ||
			    (!mt.indirect_key && mt.key_slot_size != t->key->size) ||
			    (mt.indirect_elem && mt.elem_slot_size != ptr_size) ||
			    (!mt.indirect_elem && mt.elem_slot_size != t->elem->size))
				return ms_error_create(MS_ERR_BAD_DATA,
						       "%s: map type '%s': slots of %" PRIu64 "+%" PRIu64
						       " bytes for a key of %" PRIu64 " and an element of %" PRIu64,
						       ms_dwarf_path(dw), t->name,
						       mt.key_slot_size, mt.elem_slot_size,
						       t->key->size, t->elem->size);
			set_strides(&mt);
		}
	}
	if (!mt.source) {
		char name[sizeof(mt.bucket_type_name)];
		memcpy(name, mt.bucket_type_name, sizeof(name));
		ms_map_type_compute(mt.impl, t->key->size, t->key->align,
				    t->elem->size, t->elem->align, &mt);
		memcpy(mt.bucket_type_name, name, sizeof(name));
	}
	mt.type = t;
	mt.key = t->key;
	mt.elem = t->elem;
	mt.runtime_type = t->runtime_type;
	*ret = mt;
	return NULL;
}

void ms_map_layout_shape_for(const struct ms_map_layout *layout,
			     const struct ms_map_type *mt,
			     struct ms_map_shape *ret)
{
	*ret = layout->untyped;
	ret->typed = true;
	ret->bucket_size = mt->bucket_size;
	ret->overflow_off = mt->impl == MS_MAP_CLASSIC ? mt->overflow_offset : 0;
	ret->key_base = mt->key_base;
	ret->key_stride = mt->key_stride;
	ret->elem_base = mt->elem_base;
	ret->elem_stride = mt->elem_stride;
	ret->indirect_key = mt->indirect_key;
	ret->indirect_elem = mt->indirect_elem;
}

struct ms_error *ms_map_layout_shape(const struct ms_map_layout *layout,
				     struct ms_types *types,
				     const struct ms_type *t,
				     struct ms_map_shape *ret)
{
	struct ms_map_type mt;
	struct ms_error *err = ms_map_type_from_type(types, t, layout->impl, &mt);
	if (err)
		return err;
	if (mt.impl != layout->impl)
		return ms_error_create(MS_ERR_MISMATCH,
				       "map type '%s' is %s but the runtime's maps are %s",
				       t->name, mt.impl == MS_MAP_CLASSIC ? "classic" : "swiss",
				       layout->impl == MS_MAP_CLASSIC ? "classic" : "swiss");
	ms_map_layout_shape_for(layout, &mt, ret);
	return NULL;
}

struct collect_ctx {
	struct ms_types *types;
	enum ms_map_impl impl;
	struct ms_map_type *v;
	size_t n, cap;
};

static struct ms_error *collect_one(void *arg, const char *name, Dwarf_Die *die)
{
	struct collect_ctx *c = arg;
	Dwarf_Attribute attr;
	Dwarf_Word kind;
	if (!dwarf_attr(die, MS_DW_AT_go_kind, &attr) ||
	    dwarf_formudata(&attr, &kind) != 0 || kind != MS_KIND_MAP)
		return NULL;
	const struct ms_type *t;
	struct ms_error *err = ms_types_from_die(c->types, die, &t);
	if (err)
		return err;
	// A named map type and its map[K]V share the representation; list
	// each DIE once.
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct ms_map_type *v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return &ms_enomem;
		c->v = v;
		c->cap = cap;
	}
	if ((err = ms_map_type_from_type(c->types, t, c->impl, &c->v[c->n])))
		return err;
	c->n++;
	return NULL;
}

/*
 * Without DWARF, the map types are the map type descriptors among the
 * module's types: 8-aligned abi.Types of kind map, size and alignment 8,
 * whose key, element and bucket or group pointers lead into the same
 * types range, and which decode as map types (names and sizes agree).
 * Go 1.27 has no typelinks list, so the range is searched whole.
 */
static struct ms_error *collect_runtime(struct collect_ctx *c)
{
	const struct ms_types_runtime *rt = ms_types_runtime(c->types);
	enum { CHUNK = 256 << 10, OVERLAP = 72 };
	uint8_t *buf = malloc(CHUNK + OVERLAP);
	if (!buf)
		return &ms_enomem;
	struct ms_error *err = NULL;
	uint64_t lo = rt->types_start, hi = rt->types_end;
	for (uint64_t a = (lo + 7) & ~(uint64_t)7; a < hi && !err; a += CHUNK) {
		size_t len = hi - a < CHUNK + OVERLAP ? (size_t)(hi - a) : CHUNK + OVERLAP;
		struct ms_error *e = rt->read(rt->read_arg, a, buf, len);
		if (e) {
			// A page the core and the file both lack: the types
			// there are not offered.
			ms_error_destroy(e);
			continue;
		}
		for (size_t off = 0; off + 72 <= len && off < CHUNK && !err; off += 8) {
			const uint8_t *d = buf + off;
			if ((d[23] & 0x1f) != MS_KIND_MAP || ms_load_u64(d) != 8 ||
			    ms_load_u64(d + 8) != 8 || d[21] != 8)
				continue;
			uint64_t k = ms_load_u64(d + 48), e2 = ms_load_u64(d + 56),
				 g = ms_load_u64(d + 64);
			if (k < lo || k >= hi || e2 < lo || e2 >= hi || g < lo || g >= hi ||
			    ((k | e2 | g) & 7))
				continue;
			const struct ms_type *t;
			e = ms_types_by_runtime_type(c->types, a + off - lo, &t);
			if (e || t->kind != MS_KIND_MAP) {
				ms_error_destroy(e);
				continue;
			}
			if (c->n == c->cap) {
				size_t cap = c->cap ? c->cap * 2 : 64;
				struct ms_map_type *v = realloc(c->v, cap * sizeof(*v));
				if (!v) {
					err = &ms_enomem;
					break;
				}
				c->v = v;
				c->cap = cap;
			}
			if ((e = ms_map_type_from_type(c->types, t, c->impl, &c->v[c->n]))) {
				ms_error_destroy(e);
				continue;
			}
			c->n++;
		}
	}
	free(buf);
	return err;
}

struct ms_error *ms_map_types_collect(struct ms_types *types,
				      enum ms_map_impl impl,
				      struct ms_map_type **ret, size_t *n_ret)
{
	struct collect_ctx c = { .types = types, .impl = impl };
	struct ms_error *err = ms_types_runtime(types) ? collect_runtime(&c)
			       : ms_dwarf_foreach_type(ms_types_dwarf(types), collect_one, &c);
	if (err) {
		free(c.v);
		return err;
	}
	*ret = c.v;
	*n_ret = c.n;
	return NULL;
}

// ---- runtime type descriptors ----

// The part every abi.MapType shares: length, kind, Key, Elem, Group.
static struct ms_error *descriptor_head(const uint8_t *b, size_t len, size_t need,
					struct ms_map_descriptor *d)
{
	if (len < need)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "map type descriptor: %zu bytes, need %zu", len, need);
	// abi.Type Kind_ at 23; low 5 bits are the kind.
	if ((b[23] & 0x1f) != MS_KIND_MAP)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "type descriptor of kind %u, not a map", b[23] & 0x1f);
	d->key_type = ms_load_u64(b + 48);
	d->elem_type = ms_load_u64(b + 56);
	d->bucket_type = ms_load_u64(b + 64);
	return NULL;
}

struct ms_error *ms_map_descriptor_decode(enum ms_map_impl impl,
					  const void *buf, size_t len,
					  struct ms_map_descriptor *ret)
{
	struct ms_map_descriptor d = { 0 };
	const uint8_t *b = buf;
	size_t need = impl == MS_MAP_CLASSIC ? MS_MAP_DESCRIPTOR_CLASSIC_SIZE :
					       MS_MAP_DESCRIPTOR_SWISS_SIZE;
	if (impl != MS_MAP_CLASSIC && impl != MS_MAP_SWISS)
		return ms_error_create(MS_ERR_USAGE, "unknown map implementation %d",
				       (int)impl);
	struct ms_error *err = descriptor_head(b, len, need, &d);
	if (err)
		return err;
	if (impl == MS_MAP_CLASSIC) {
		d.key_slot_size = b[80];
		d.elem_slot_size = b[81];
		d.bucket_size = ms_load_u16(b + 82);
		d.flags = ms_load_u32(b + 84);
		d.indirect_key = d.flags & 1;
		d.indirect_elem = d.flags & 2;
		if (d.bucket_size != 8 + map_slots * (d.key_slot_size + d.elem_slot_size) + 8)
			return ms_error_create(MS_ERR_BAD_DATA,
					       "map type descriptor: bucket size %" PRIu64
					       " does not fit keys of %" PRIu64 " and values of %" PRIu64,
					       d.bucket_size, d.key_slot_size, d.elem_slot_size);
	} else {
		d.bucket_size = ms_load_u64(b + 80);
		d.slot_size = ms_load_u64(b + 88);
		d.elem_off = ms_load_u64(b + 96);
		d.flags = ms_load_u32(b + 104);
		d.indirect_key = d.flags & 4;
		d.indirect_elem = d.flags & 8;
		if (d.bucket_size < 8 + map_slots * d.slot_size || d.elem_off > d.slot_size ||
		    d.bucket_size > (1u << 20))
			return ms_error_create(MS_ERR_BAD_DATA,
					       "map type descriptor: group size %" PRIu64
					       " does not fit slots of %" PRIu64,
					       d.bucket_size, d.slot_size);
	}
	*ret = d;
	return NULL;
}

struct ms_error *ms_map_descriptor_decode_strided(const void *buf, size_t len,
						  bool split_hint,
						  struct ms_map_descriptor *ret)
{
	struct ms_map_descriptor d = { .strided = true };
	const uint8_t *b = buf;
	struct ms_error *err = descriptor_head(b, len, MS_MAP_DESCRIPTOR_STRIDED_SIZE, &d);
	if (err)
		return err;
	d.bucket_size = ms_load_u64(b + 80);
	d.keys_off = ms_load_u64(b + 88);
	d.key_stride = ms_load_u64(b + 96);
	d.elems_off = ms_load_u64(b + 104);
	d.elem_stride = ms_load_u64(b + 112);
	d.elem_off = ms_load_u64(b + 120);
	d.flags = ms_load_u32(b + 128);
	d.indirect_key = d.flags & 4;
	d.indirect_elem = d.flags & 8;
	// Every number is bounded by the group before any arithmetic; the
	// last slot's key and element start inside it (a zero-size element
	// may start at its end).
	uint64_t g = d.bucket_size;
	if (g < 8 || g > (1u << 20) || d.keys_off > g || d.elems_off > g ||
	    d.key_stride > g || d.elem_stride > g ||
	    d.keys_off + (map_slots - 1) * d.key_stride >= g ||
	    d.elems_off + (map_slots - 1) * d.elem_stride > g || d.elems_off < d.keys_off)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "map type descriptor: keys at %" PRIu64 "+8x%" PRIu64
				       " and elements at %" PRIu64 "+8x%" PRIu64
				       " do not fit a group of %" PRIu64,
				       d.keys_off, d.key_stride, d.elems_off, d.elem_stride, g);
	uint64_t gap = d.elems_off - d.keys_off;
	if (d.key_stride && gap < d.key_stride && d.key_stride == d.elem_stride)
		d.split_group = false;
	else if (d.key_stride && gap >= map_slots * d.key_stride)
		d.split_group = true;
	else if (!d.key_stride)
		d.split_group = split_hint;
	else
		return ms_error_create(MS_ERR_BAD_DATA,
				       "map type descriptor: elements %" PRIu64
				       " bytes after keys of stride %" PRIu64
				       " fit neither group shape",
				       gap, d.key_stride);
	if (!d.split_group) {
		d.slot_size = d.key_stride;
		if (d.elem_off != gap)
			return ms_error_create(MS_ERR_BAD_DATA,
					       "map type descriptor: ElemOff %" PRIu64
					       " but elements %" PRIu64 " bytes into a slot",
					       d.elem_off, gap);
	}
	*ret = d;
	return NULL;
}

struct ms_error *ms_abi_type_decode(const void *buf, size_t len,
				    struct ms_abi_type *ret)
{
	const uint8_t *b = buf;
	if (len < MS_ABI_TYPE_SIZE)
		return ms_error_create(MS_ERR_BAD_DATA, "abi.Type: %zu bytes, need %d",
				       len, MS_ABI_TYPE_SIZE);
	ret->size = ms_load_u64(b);
	ret->align = b[21];
	ret->kind = (enum ms_kind)(b[23] & 0x1f);
	return NULL;
}

static struct ms_error *read_abi_type(ms_read_fn *read, void *arg, uint64_t addr,
				      struct ms_abi_type *ret)
{
	uint8_t buf[MS_ABI_TYPE_SIZE];
	struct ms_error *err = read(arg, addr, buf, sizeof(buf));
	if (err)
		return err;
	return ms_abi_type_decode(buf, sizeof(buf), ret);
}

struct ms_error *ms_map_type_from_descriptor(enum ms_map_impl impl,
					     const struct ms_map_descriptor *d,
					     ms_read_fn *read, void *read_arg,
					     struct ms_map_type *ret)
{
	struct ms_map_type mt = { .impl = impl, .source = MS_LAYOUT_DESCRIPTOR };
	struct ms_abi_type kt = { 0 }, et = { 0 };
	bool sizes = false;
	if (read) {
		struct ms_error *err;
		if ((err = read_abi_type(read, read_arg, d->key_type, &kt)))
			ms_error_destroy(err);
		else if ((err = read_abi_type(read, read_arg, d->elem_type, &et)))
			ms_error_destroy(err);
		else
			sizes = true;
	}
	mt.indirect_key = d->indirect_key;
	mt.indirect_elem = d->indirect_elem;
	mt.bucket_size = d->bucket_size;
	if (impl == MS_MAP_SWISS && d->strided) {
		// Go 1.27 states the answer: slot i's key and element.
		mt.split_group = d->split_group;
		mt.ctrl_offset = 0;
		mt.key_base = d->keys_off;
		mt.key_stride = d->key_stride;
		mt.elem_base = d->elems_off;
		mt.elem_stride = d->elem_stride;
		mt.keys_offset = mt.slots_offset = d->keys_off;
		mt.values_offset = d->elems_off;
		if (d->split_group) {
			mt.key_slot_size = d->key_stride;
			mt.elem_slot_size = d->elem_stride;
		} else {
			mt.slot_size = d->key_stride;
			mt.elem_off = d->elem_off;
			mt.key_slot_size = mt.indirect_key ? ptr_size :
					   sizes ? kt.size : d->elem_off;
			mt.elem_slot_size = mt.indirect_elem ? ptr_size :
					    sizes ? et.size : d->key_stride - d->elem_off;
		}
		mt.key_size = sizes ? kt.size : mt.indirect_key ? 0 : mt.key_slot_size;
		mt.elem_size = sizes ? et.size : mt.indirect_elem ? 0 : mt.elem_slot_size;
		*ret = mt;
		return NULL;
	}
	if (impl == MS_MAP_CLASSIC) {
		mt.key_slot_size = d->key_slot_size;
		mt.elem_slot_size = d->elem_slot_size;
		mt.keys_offset = map_slots;
		mt.values_offset = map_slots + map_slots * mt.key_slot_size;
		mt.overflow_offset = d->bucket_size - ptr_size;
	} else {
		mt.ctrl_offset = 0;
		mt.slots_offset = 8;
		mt.slot_size = d->slot_size;
		mt.slot_key_offset = 0;
		mt.elem_off = d->elem_off;
		mt.key_slot_size = mt.indirect_key ? ptr_size :
				   sizes ? kt.size : d->elem_off;
		mt.elem_slot_size = mt.indirect_elem ? ptr_size :
				    sizes ? et.size : d->slot_size - d->elem_off;
		mt.keys_offset = mt.slots_offset;
		mt.values_offset = mt.slots_offset + mt.elem_off;
	}
	mt.key_size = sizes ? kt.size : mt.indirect_key ? 0 : mt.key_slot_size;
	mt.elem_size = sizes ? et.size : mt.indirect_elem ? 0 : mt.elem_slot_size;
	set_strides(&mt);
	*ret = mt;
	return NULL;
}
