/* Unit tests for Go types read from runtime type descriptors (abi.Type), on a synthetic types image. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "go_type.h"
#include "tap.h"

enum { BASE = 0x10000, SIZE = 0x1000 };
static uint8_t img[SIZE];

static struct ms_error *read_img(void *arg, uint64_t addr, void *buf, size_t len)
{
	(void)arg;
	if (addr < BASE || addr + len > BASE + SIZE)
		return ms_error_fault(addr, MS_FAULT_UNMAPPED, "cannot read 0x%llx",
				      (unsigned long long)addr);
	memcpy(buf, img + (addr - BASE), len);
	return NULL;
}

static void put(uint64_t off, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		img[off + i] = (uint8_t)(v >> (8 * i));
}

// An abi.Name at @p off: flags, a one-byte varint length, the bytes.
static uint64_t name_at(uint64_t off, const char *s, uint8_t flags)
{
	img[off] = flags;
	img[off + 1] = (uint8_t)strlen(s);
	memcpy(img + off + 2, s, strlen(s));
	return off;
}

// An abi.Type at @p off (Str from the types start).
static void type_at(uint64_t off, uint64_t size, uint8_t align, uint8_t kind,
		    uint64_t name_off, uint8_t tflag)
{
	put(off, size, 8);
	img[off + 20] = tflag;
	img[off + 21] = align;
	img[off + 22] = align;
	img[off + 23] = kind;
	put(off + 40, name_off, 4);
}

int main(void)
{
	// int, string, struct main.Point {X, Y int}, map[string]main.Point,
	// struct main.Node {next *main.Node} and *main.Node.
	type_at(0x100, 8, 8, MS_KIND_INT, name_at(0x800, "int", 0), 0);
	type_at(0x140, 16, 8, MS_KIND_STRING, name_at(0x810, "string", 0), 0);
	type_at(0x180, 16, 8, MS_KIND_STRUCT, name_at(0x820, "*main.Point", 0), 2);
	put(0x180 + 56, BASE + 0x600, 8);
	put(0x180 + 64, 2, 8);
	put(0x600, BASE + name_at(0x840, "X", 1), 8);
	put(0x608, BASE + 0x100, 8);
	put(0x610, 0, 8);
	put(0x618, BASE + name_at(0x848, "Y", 1), 8);
	put(0x620, BASE + 0x100, 8);
	put(0x628, 8, 8);
	type_at(0x200, 8, 8, MS_KIND_MAP, name_at(0x850, "map[string]main.Point", 0), 0);
	put(0x200 + 48, BASE + 0x140, 8);
	put(0x200 + 56, BASE + 0x180, 8);
	type_at(0x400, 8, 8, MS_KIND_STRUCT, name_at(0x870, "main.Node", 0), 0);
	put(0x400 + 56, BASE + 0x640, 8);
	put(0x400 + 64, 1, 8);
	put(0x640, BASE + name_at(0x880, "next", 0), 8);
	put(0x648, BASE + 0x480, 8);
	type_at(0x480, 8, 8, MS_KIND_POINTER, name_at(0x890, "*main.Node", 0), 0);
	put(0x480 + 48, BASE + 0x400, 8);
	// Damaged: a field past its struct, a kind 0, an element outside the types.
	type_at(0x4c0, 8, 8, MS_KIND_STRUCT, name_at(0x8a0, "main.Bad", 0), 0);
	put(0x4c0 + 56, BASE + 0x660, 8);
	put(0x4c0 + 64, 1, 8);
	put(0x660, BASE + 0x840, 8);
	put(0x668, BASE + 0x100, 8);
	put(0x670, 64, 8);
	type_at(0x540, 8, 8, 0, 0x800, 0);
	type_at(0x580, 8, 8, MS_KIND_POINTER, name_at(0x8b0, "*main.Gone", 0), 0);
	put(0x580 + 48, 0x900000, 8);

	struct ms_types_runtime rt = { read_img, NULL, BASE, BASE + 0x800 };
	struct ms_types *ts;
	ok(!ms_types_create_runtime(&rt, &ts), "runtime types created");
	ok(ms_types_runtime(ts) && ms_types_runtime(ts)->types_start == BASE, "they say where they come from");
	ok(!ms_types_dwarf(ts), "and that no DWARF is behind them");

	const struct ms_type *m = NULL;
	ok(!ms_types_by_runtime_type(ts, 0x200, &m) && m, "map type decoded");
	is_str(m ? m->name : "", "map[string]main.Point", "its name is the runtime's");
	ok(m && m->kind == MS_KIND_MAP && m->size == 8 && m->runtime_type == 0x200,
	   "kind, size and descriptor offset");
	ok(m && m->key && m->key->kind == MS_KIND_STRING && m->key->size == 16, "key string");
	const struct ms_type *p = m ? m->elem : NULL;
	is_str(p ? p->name : "", "main.Point", "the extra star of a name is dropped");
	ok(p && p->n_members == 2 && strcmp(p->members[1].name, "Y") == 0 &&
	   p->members[1].offset == 8 && p->members[1].type->kind == MS_KIND_INT,
	   "struct fields with names, offsets and types");

	uint8_t v[16] = { 0 };
	v[0] = 1;
	v[8] = 2;
	char out[64];
	struct ms_value_opts o = { .read = read_img };
	ok(p && !ms_value_format(p, v, sizeof(v), &o, out, sizeof(out)), "a Point renders");
	is_str(out, "{X: 1, Y: 2}", "as its fields");

	const struct ms_type *n = NULL;
	ok(!ms_types_from_offset(ts, 0x400, &n) && n && n->n_members == 1 &&
	   n->members[0].type->elem == n, "a type that points to itself");

	const struct ms_type *bad;
	struct ms_error *err = ms_types_by_runtime_type(ts, 0x4c0, &bad);
	ok(err && err->code == MS_ERR_BAD_DATA, "a field past its struct: %s", err ? err->message : "");
	ms_error_destroy(err);
	err = ms_types_by_runtime_type(ts, 0x4c0, &bad);
	ok(err != NULL, "and it stays bad");
	ms_error_destroy(err);
	err = ms_types_by_runtime_type(ts, 0x540, &bad);
	ok(err && err->code == MS_ERR_BAD_DATA, "kind 0 is not a type");
	ms_error_destroy(err);
	err = ms_types_by_runtime_type(ts, 0x580, &bad);
	ok(err != NULL, "an element outside the types");
	ms_error_destroy(err);
	err = ms_types_by_runtime_type(ts, 0x7f0000, &bad);
	ok(err && err->code == MS_ERR_NOT_FOUND, "an offset past the types");
	ms_error_destroy(err);
	err = ms_types_find(ts, "main.Point", &bad);
	ok(err && err->code == MS_ERR_NOT_FOUND, "no lookup by name without DWARF");
	ms_error_destroy(err);
	const struct ms_global *g;
	size_t ng = 1;
	ok(!ms_types_globals(ts, &g, &ng) && ng == 0, "and no globals");
	ms_types_destroy(ts);
	return done_testing();
}
