/*
 * Fuzz DWARF layout discovery: the input is an ELF file (a Go executable
 * reduced to its debug sections, see make-seeds.sh). Index it, ask for the
 * runtime layouts the scan needs, build every global's type and render a
 * zero value of each.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gelf.h>
#include <libelf.h>

#include "dwarf_index.h"
#include "fuzz.h"
#include "go_type.h"

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
