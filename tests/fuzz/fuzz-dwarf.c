/*
 * Fuzz DWARF layout discovery: the input is an ELF file (a Go executable
 * reduced to its debug sections, see make-seeds.sh). Index it, ask for the
 * runtime layouts the scan needs, build every global's type and render a
 * zero value of each, then derive the map header layout and every map
 * type's bucket or group layout and judge a small fixed map with each
 * shape: whatever the DWARF says, the checker must stay inside its buffers.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gelf.h>
#include <libelf.h>

#include "dwarf_index.h"
#include "fuzz.h"
#include "go_type.h"
#include "map_check.h"
#include "map_layout.h"

static const struct {
	const char *type, *member;
} queries[] = {
	{ "runtime.hmap", "buckets" },
	{ "runtime.hmap", "extra" },
	{ "runtime.mapextra", "overflow" },
	{ "internal/runtime/maps.Map", "dirPtr" },
	{ "internal/runtime/maps.table", "groups.data" },
	{ "runtime.g", "goid" },
	{ "runtime.g", "sched.pc" },
	{ "runtime.mspan", "state.s" },
	{ "runtime.mheap", "arenas" },
	{ "runtime.moduledata", "pclntable" },
};

// A map in 4 KiB of memory at MEM_BASE: the header, then its storage.
enum { MEM_BASE = 0x10000, MEM_SIZE = 4096 };
static uint8_t memory[MEM_SIZE];

static struct ms_error *mem_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	if (addr < MEM_BASE || addr - MEM_BASE > MEM_SIZE || len > MEM_SIZE - (addr - MEM_BASE))
		return ms_error_fault(addr, MS_FAULT_UNMAPPED, "unmapped");
	memcpy(buf, memory + (addr - MEM_BASE), len);
	return NULL;
}

static void mem_classify(void *arg, uint64_t addr, struct ms_ptr_info *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (!addr)
		return;
	ret->cls = addr >= MEM_BASE && addr - MEM_BASE < MEM_SIZE ? MS_PTR_HEAP : MS_PTR_UNMAPPED;
}

static void put64(uint64_t off, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		memory[off + i] = (uint8_t)(v >> (8 * i));
}

static void judge_with(const struct ms_map_shape *shape)
{
	// Header at MEM_BASE: two entries, storage at MEM_BASE + 256 (classic
	// B = 1 buckets; swiss small map: one group), every byte of it
	// patterned so that slots look full.
	for (size_t i = 0; i < sizeof(memory); i++)
		memory[i] = (uint8_t)(i * 37 + 11);
	memset(memory, 0, 256);
	if (shape->impl == MS_MAP_CLASSIC) {
		if (shape->hmap.count + 8 <= 256)
			put64(shape->hmap.count, 2);
		if (shape->hmap.B < 256)
			memory[shape->hmap.B] = 1;
		if (shape->hmap.buckets + 8 <= 256)
			put64(shape->hmap.buckets, MEM_BASE + 256);
	} else {
		if (shape->swiss.used + 8 <= 256)
			put64(shape->swiss.used, 2);
		if (shape->swiss.seed + 8 <= 256)
			put64(shape->swiss.seed, 0x1234);
		if (shape->swiss.dir_ptr + 8 <= 256)
			put64(shape->swiss.dir_ptr, MEM_BASE + 256);
	}
	static const struct ms_map_memory mem = { mem_read, mem_classify, NULL };
	struct ms_map_limits limits = { .max_buckets = 256, .max_tables = 16 };
	struct ms_map_check c;
	struct ms_error *err = ms_map_check(&mem, shape, &limits, MEM_BASE, NULL, NULL, &c);
	if (!err)
		ms_map_check_deinit(&c);
	ms_error_destroy(err);
	if (shape->header_size <= 256)
		(void)ms_map_header_confidence(&mem, shape, memory);
}

static void exercise_map_layouts(struct ms_dwarf *dw, struct ms_types *ts)
{
	struct ms_map_layout *layout;
	struct ms_error *err = ms_map_layout_from_dwarf(dw, &layout);
	if (err) {
		ms_error_destroy(err);
		return;
	}
	struct ms_map_shape shape;
	ms_map_layout_untyped_shape(layout, &shape);
	judge_with(&shape);
	struct ms_map_type *types;
	size_t n;
	err = ms_map_types_collect(ts, layout->impl, &types, &n);
	if (!err) {
		for (size_t i = 0; i < n && i < 64; i++) {
			ms_map_layout_shape_for(layout, &types[i], &shape);
			judge_with(&shape);
		}
		free(types);
	}
	ms_error_destroy(err);
	ms_map_layout_destroy(layout);
}

static void exercise(struct ms_dwarf *dw)
{
	uint64_t v;
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		ms_error_destroy(ms_dwarf_type_size(dw, queries[i].type, &v));
		ms_error_destroy(ms_dwarf_member_offset(dw, queries[i].type,
							queries[i].member, &v));
	}
	ms_error_destroy(ms_dwarf_variable_address(dw, "runtime.mheap_", &v));
	ms_error_destroy(ms_dwarf_variable_address(dw, "runtime.firstmoduledata", &v));

	struct ms_types *ts;
	if (ms_types_create(dw, &ts))
		return;
	const struct ms_type *t;
	ms_error_destroy(ms_types_find(ts, "map[string]int", &t));
	ms_error_destroy(ms_types_by_runtime_type(ts, 0x4a0000, &t));
	const struct ms_global *g;
	size_t n;
	struct ms_error *err = ms_types_globals(ts, &g, &n);
	if (!err) {
		// Rendering walks the type graph (with its cycles) to a bound.
		static uint8_t zero[4096];
		char out[512];
		struct ms_value_opts opts = { .types = ts };
		for (size_t i = 0; i < n && i < 256; i++) {
			(void)ms_type_may_contain_map(g[i].type);
			(void)ms_type_has_pointers(g[i].type);
			if (g[i].type && g[i].type->size <= sizeof(zero))
				ms_error_destroy(ms_value_format(g[i].type, zero,
								 sizeof(zero), &opts,
								 out, sizeof(out)));
		}
	}
	ms_error_destroy(err);
	exercise_map_layouts(dw, ts);
	ms_types_destroy(ts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	if (!ready) {
		elf_version(EV_CURRENT);
		ready = 1;
	}
	// libelf wants a writable buffer it may keep using; give it a copy.
	char *copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	Elf *elf = elf_memory(copy, size);
	if (elf) {
		struct ms_dwarf *dw;
		struct ms_error *err = ms_dwarf_create(elf, "fuzz.elf", &dw);
		if (!err) {
			exercise(dw);
			ms_dwarf_destroy(dw);
		}
		ms_error_destroy(err);
		elf_end(elf);
	}
	free(copy);
	return 0;
}
