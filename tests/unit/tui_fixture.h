/* A synthetic scan result, its provenance and memory for the browser's model and renderer tests: six maps in three modules, no core. */
#ifndef MS_TUI_FIXTURE_H
#define MS_TUI_FIXTURE_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tui/model.h"

/*
 * Maps (scan order, worst first):
 *   #1 dangling  example.com/geo.Cache (alias main.zoneCache)  geo.so  the crash
 *   #2 freed     example.com/auth.tokens                       auth.so
 *   #3 corrupt   (heap) 0xc000733080, type unknown
 *   #4 ok        main.gNames       map[string]int, 3 entries; its group holds
 *                                  a pointer to #5's header
 *   #5 ok        main.gHolder.M    map[int]string, 40 entries
 *   #6 ok        main.gBig         map[int]int, 5000 entries
 * Memory: headers at 0xc000010000 + 0x40 * i (i = 0..5, except #3), #4's
 * group at 0xc000100000; everything else is unmapped.
 * Provenance: #1 is declared by geo.so (plugin example.com/geo), its alias
 * main.zoneCache lives in ingestd, and three code references read it:
 * geo.GetCache through the GOT, main.main and main.warm directly; #3 is
 * held by a word of ingestd's .data that main.warm reads; #4 is read by
 * main.main; #5's code was not looked at; #6 has none; #2's provenance
 * fails. fx_prov_calls counts the provenance asked for each map.
 */
enum {
	FX_HEADERS = 0xc000010000,
	FX_GROUP = 0xc000100000,
	FX_HEAP_MAP = 0xc000733080,
	FX_DANGLING = 0x7f31c0a10000,
};

static uint8_t fx_headers[0x200];
static uint8_t fx_group[0x100];
static uint8_t fx_heap_map[0x40];

static struct ms_map_reason fx_reasons1[] = {
	{ MS_VERDICT_DANGLING, "dirPtr", FX_DANGLING, MS_PTR_UNMAPPED,
	  "dirPtr 0x7f31c0a10000 leads outside every mapping: 8 KiB past geo.so .bss end 0x7f31c0a0e000" },
};
static struct ms_map_reason fx_reasons2[] = {
	{ MS_VERDICT_FREED, "table[3].groups", 0xc0008f2000, MS_PTR_HEAP_FREE,
	  "table[3].groups 0xc0008f2000 is in a free span" },
};
static struct ms_map_reason fx_reasons3[] = {
	{ MS_VERDICT_CORRUPT, "globalShift", 0, MS_PTR_NULL,
	  "globalShift 61 != 64 - globalDepth 2" },
};

static struct ms_scan_root fx_roots1[] = {
	{ 1, "example.com/geo.Cache", 0x7f31c0a0d100 },
	{ 0, "main.zoneCache", 0x5a3b20 },
};
static struct ms_scan_root fx_roots2[] = { { 2, "example.com/auth.tokens", 0x7f31c0b0c040 } };
static struct ms_scan_root fx_roots4[] = { { 0, "main.gNames", 0x5a3b28 } };
static struct ms_scan_root fx_roots5[] = { { 0, "main.gHolder.M", 0x5a3b30 } };
static struct ms_scan_root fx_roots6[] = { { 0, "main.gBig", 0x5a3b38 } };

static struct ms_scan_map fx_maps[6];
static struct ms_scan fx_scan;

enum {
	FX_GETCACHE = 0x7f31c09a1dc0,	// geo.GetCache, reads the GOT slot of geo.Cache
	FX_MAIN_MAIN = 0x4a1000,	// main.main
	FX_GOT_CACHE = 0x7f31c0a0c040,
	FX_HOLDER = 0x5a3c00,		// the word of ingestd .data holding #3
};

static struct ms_prov_root fx_proots1[] = {
	{ 0, 1, "example.com/geo.Cache", "example.com/geo", "Cache", 0x7f31c0a0d100, 8, true, true },
	{ 1, 0, "main.zoneCache", "main", "zoneCache", 0x5a3b20, 8, true, true },
};
static struct ms_prov_root fx_proots4[] = {
	{ 0, 0, "main.gNames", "main", "gNames", 0x5a3b28, 8, true, false },
};
static struct ms_prov_root fx_proots5[] = {
	{ 0, 0, "main.gHolder", "main", "gHolder", 0x5a3b30, 16, false, false },
};
static struct ms_prov_root fx_proots6[] = {
	{ 0, 0, "main.gBig", "main", "gBig", 0x5a3b38, 8, true, false },
};
static struct ms_prov_xref fx_xrefs1[] = {
	{ FX_GETCACHE, 1, "example.com/geo.GetCache", 0, "mov rax, qword ptr [rip + 0x6a279]",
	  FX_GOT_CACHE, true, 0, 0 },
	{ FX_MAIN_MAIN + 0x52f, 0, "main.main", 0x52f, "mov qword ptr [rip + 0x1025ea], rax",
	  0x5a3b20, false, 1, 0 },
	{ FX_MAIN_MAIN + 0x7a4, 0, "main.warm", 0x14, "mov rcx, qword ptr [rip + 0x102375]",
	  0x5a3b20, false, 1, 0 },
};
static struct ms_prov_xref fx_xrefs3[] = {
	{ FX_MAIN_MAIN + 0x7b0, 0, "main.warm", 0x20, "mov rdx, qword ptr [rip + 0x102449]",
	  FX_HOLDER, false, SIZE_MAX, FX_HOLDER },
};
static struct ms_prov_xref fx_xrefs4[] = {
	{ FX_MAIN_MAIN + 0x88, 0, "main.main", 0x88, "lea rax, [rip + 0x102a99]",
	  0x5a3b28, false, 0, 0 },
};
static uint64_t fx_holders3[] = { FX_HOLDER };
static struct ms_map_prov fx_prov[6];
static unsigned fx_prov_calls[6];

static const char *fx_types[6] = {
	"map[string]*geo.Zone", "map[uint64]auth.Token", NULL,
	"map[string]int", "map[int]string", "map[int]int",
};

static void fx_put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void fx_swiss(struct ms_scan_map *m, unsigned id, uint64_t header, enum ms_verdict v,
		     uint64_t used, uint64_t dir_ptr, uint64_t dir_len)
{
	memset(m, 0, sizeof(*m));
	m->id = id;
	m->header = header;
	m->impl = MS_MAP_SWISS;
	// The model only asks whether the type is known; any address will do.
	m->type = fx_types[id - 1] ? (const struct ms_type *)(const void *)fx_types : NULL;
	m->type_module = fx_types[id - 1] ? 0 : SIZE_MAX;
	m->found_by = MS_FOUND_GLOBAL;
	m->confidence = 100;
	m->check.verdict = v;
	m->check.header_read = true;
	m->check.hdr.count = used;
	m->check.hdr.seed = 0x5eed0000 + id;
	m->check.hdr.dir_ptr = dir_ptr;
	m->check.hdr.dir_len = dir_len;
	m->check.hdr.global_shift = dir_len ? 63 : 0;
	m->check.hdr.global_depth = dir_len ? 1 : 0;
	m->check.live = used;
	m->check.live_complete = v == MS_VERDICT_OK;
	uint8_t *p = header >= FX_HEADERS && header < FX_HEADERS + sizeof(fx_headers)
		? fx_headers + (header - FX_HEADERS) : fx_heap_map;
	fx_put64(p, used);
	fx_put64(p + 8, m->check.hdr.seed);
	fx_put64(p + 16, dir_ptr);
	fx_put64(p + 24, dir_len);
	p[32] = m->check.hdr.global_depth;
	p[33] = m->check.hdr.global_shift;
}

static void fx_build(void)
{
	fx_swiss(&fx_maps[0], 1, FX_HEADERS + 0x00, MS_VERDICT_DANGLING, 5, FX_DANGLING, 0);
	fx_maps[0].roots = fx_roots1, fx_maps[0].n_roots = 2;
	fx_maps[0].type_module = 1;
	fx_maps[0].check.reasons = fx_reasons1, fx_maps[0].check.n_reasons = 1;

	fx_swiss(&fx_maps[1], 2, FX_HEADERS + 0x40, MS_VERDICT_FREED, 300, FX_GROUP + 0x80, 4);
	fx_maps[1].roots = fx_roots2, fx_maps[1].n_roots = 1;
	fx_maps[1].type_module = 2;
	fx_maps[1].check.reasons = fx_reasons2, fx_maps[1].check.n_reasons = 1;

	fx_swiss(&fx_maps[2], 3, FX_HEAP_MAP, MS_VERDICT_CORRUPT, 12, FX_GROUP + 0xc0, 4);
	fx_maps[2].found_by = MS_FOUND_HEAP;
	fx_maps[2].confidence = 80;
	fx_maps[2].check.hdr.global_shift = 61;
	fx_maps[2].check.hdr.global_depth = 2;
	fx_maps[2].check.reasons = fx_reasons3, fx_maps[2].check.n_reasons = 1;

	fx_swiss(&fx_maps[3], 4, FX_HEADERS + 0x80, MS_VERDICT_OK, 3, FX_GROUP, 0);
	fx_maps[3].roots = fx_roots4, fx_maps[3].n_roots = 1;
	fx_swiss(&fx_maps[4], 5, FX_HEADERS + 0xc0, MS_VERDICT_OK, 40, FX_GROUP + 0x40, 1);
	fx_maps[4].roots = fx_roots5, fx_maps[4].n_roots = 1;
	fx_maps[4].found_by = MS_FOUND_REACHABLE;
	fx_swiss(&fx_maps[5], 6, FX_HEADERS + 0x100, MS_VERDICT_OK, 5000, FX_GROUP + 0x60, 8);
	fx_maps[5].roots = fx_roots6, fx_maps[5].n_roots = 1;

	// #4's group: a control word, a string key, and a word pointing at #5.
	fx_put64(fx_group, 0x8080808080800102);
	fx_put64(fx_group + 8, 0x4e5a10);
	fx_put64(fx_group + 16, 5);
	fx_put64(fx_group + 24, FX_HEADERS + 0xc0);
	memcpy(fx_group + 32, "gophers!", 8);

	memset(fx_prov, 0, sizeof(fx_prov));
	memset(fx_prov_calls, 0, sizeof(fx_prov_calls));
	for (size_t i = 0; i < 6; i++) {
		fx_prov[i].map = &fx_maps[i];
		fx_prov[i].n_roots = fx_maps[i].n_roots;
		fx_prov[i].primary = fx_maps[i].n_roots ? 0 : SIZE_MAX;
		fx_prov[i].type_module = SIZE_MAX;
		fx_prov[i].xrefs_done = true;
	}
	fx_prov[0].roots = fx_proots1;
	fx_prov[0].n_modules = 2;
	fx_prov[0].runtime_type = 0x7f31c09f2a40;
	fx_prov[0].type_module = 1;
	fx_prov[0].xrefs = fx_xrefs1, fx_prov[0].n_xrefs = 3;
	fx_prov[2].holders = fx_holders3, fx_prov[2].n_holders = 1;
	fx_prov[2].xrefs = fx_xrefs3, fx_prov[2].n_xrefs = 1;
	fx_prov[3].roots = fx_proots4;
	fx_prov[3].n_modules = 1;
	fx_prov[3].runtime_type = 0x4e1a40;
	fx_prov[3].type_module = 0;
	fx_prov[3].xrefs = fx_xrefs4, fx_prov[3].n_xrefs = 1;
	fx_prov[4].roots = fx_proots5;
	fx_prov[4].n_modules = 1;
	fx_prov[4].xrefs_done = false;	// a source that did not look
	fx_prov[5].roots = fx_proots6;
	fx_prov[5].n_modules = 1;	// looked, found none
	// #2: the source fails (see fx_provenance()).

	memset(&fx_scan, 0, sizeof(fx_scan));
	fx_scan.maps = fx_maps;
	fx_scan.n_maps = 6;
	fx_scan.suspects = 3;
	fx_scan.by_verdict[MS_VERDICT_OK] = 3;
	fx_scan.by_verdict[MS_VERDICT_DANGLING] = 1;
	fx_scan.by_verdict[MS_VERDICT_FREED] = 1;
	fx_scan.by_verdict[MS_VERDICT_CORRUPT] = 1;
	fx_scan.crash_map = 0;
	snprintf(fx_scan.crash_why, sizeof(fx_scan.crash_why),
		 "the fault address 0x7f31c0a10008 is 8 bytes into its dirPtr 0x7f31c0a10000");
}

static const char *fx_module_name(void *arg, size_t mod)
{
	static const char *const names[] = { "ingestd", "geo.so", "auth.so" };
	return mod < 3 ? names[mod] : NULL;
}

static const char *fx_module_plugin(void *arg, size_t mod)
{
	return mod == 1 ? "example.com/geo" : mod == 2 ? "example.com/auth" : NULL;
}

static const char *fx_type_name(void *arg, const struct ms_scan_map *m)
{
	return m->id >= 1 && m->id <= 6 && fx_types[m->id - 1] ? fx_types[m->id - 1] : "map[?]?";
}

static const uint8_t *fx_bytes(uint64_t addr, size_t len)
{
	if (addr >= FX_HEADERS && addr + len <= FX_HEADERS + sizeof(fx_headers))
		return fx_headers + (addr - FX_HEADERS);
	if (addr >= FX_GROUP && addr + len <= FX_GROUP + sizeof(fx_group))
		return fx_group + (addr - FX_GROUP);
	if (addr >= FX_HEAP_MAP && addr + len <= FX_HEAP_MAP + sizeof(fx_heap_map))
		return fx_heap_map + (addr - FX_HEAP_MAP);
	return NULL;
}

static struct ms_error *fx_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	const uint8_t *p = fx_bytes(addr, len);
	if (!p)
		return ms_error_fault(addr, MS_FAULT_UNMAPPED,
				      "cannot read 0x%" PRIx64 ": unmapped", addr);
	memcpy(buf, p, len);
	return NULL;
}

static bool fx_describe(void *arg, uint64_t addr, bool brief, char *buf, size_t size)
{
	if (fx_bytes(addr, 1)) {
		snprintf(buf, size, "%s", brief ? "heap" : "heap in use");
		return true;
	}
	if (addr >= 0x400000 && addr < 0x600000) {
		snprintf(buf, size, "ingestd .data");
		return true;
	}
	if (brief)
		snprintf(buf, size, "unmapped");
	else
		snprintf(buf, size, "unmapped; the nearest mapping below ends at 0x7f31c0a0e000 "
			 "(8 KiB below, geo.so .bss), the nearest above starts at 0x7f31c0c00000");
	return false;
}

static struct ms_error *fx_entries(void *arg, const struct ms_scan_map *m, size_t limit,
				   ms_scan_entry_fn *fn, void *fn_arg)
{
	if (!fx_types[m->id - 1])
		return ms_error_create(MS_ERR_NOT_FOUND, "no type");
	if (m->check.verdict != MS_VERDICT_OK)
		return ms_error_fault(FX_DANGLING, MS_FAULT_UNMAPPED,
				      "cannot read group 0x%" PRIx64 ": unmapped", (uint64_t)FX_DANGLING);
	size_t n = m->check.hdr.count < limit ? m->check.hdr.count : limit;
	for (size_t i = 0; i < n; i++) {
		char k[32], val[32];
		snprintf(k, sizeof(k), "\"key%zu\"", i);
		snprintf(val, sizeof(val), "%zu", i * 10);
		if (fn(fn_arg, k, val))
			break;
	}
	return NULL;
}

static void fx_code(void *arg, struct tui_lines *out)
{
	tui_lines_add(out, TUI_S_HEADING, "SIGSEGV at 0x7f31c0a10008, pc 0x4a1f3b main.lookup+0x1b");
	tui_lines_add(out, TUI_S_NORMAL, "   0x4a1f30  mov rdx, qword ptr [rax + 0x10]");
	tui_lines_add(out, TUI_S_NORMAL, "   0x4a1f34  test rdx, rdx");
	tui_lines_add(out, TUI_S_NORMAL, "   0x4a1f37  je 0x4a1f60");
	struct tui_line *l = tui_lines_add(out, TUI_S_PC,
		"=> 0x4a1f3b  mov rcx, qword ptr [rdx + 8]   ; [rdx + 8] = 0x7f31c0a10008");
	l->has_target = true;
	l->target = 0x7f31c0a10008;
	snprintf(l->label, sizeof(l->label), "[rdx + 8]");
	tui_lines_add(out, TUI_S_HEADING, "registers (thread 4711)");
	l = tui_lines_add(out, TUI_S_TARGET, "rax  0x%016" PRIx64, (uint64_t)FX_HEADERS);
	l->has_target = true;
	l->target = FX_HEADERS;
	snprintf(l->label, sizeof(l->label), "rax");
	l = tui_lines_add(out, TUI_S_TARGET, "rdx  0x%016" PRIx64, (uint64_t)FX_DANGLING);
	l->has_target = true;
	l->target = FX_DANGLING;
	snprintf(l->label, sizeof(l->label), "rdx");
}

static const struct ms_map_prov *fx_provenance(void *arg, size_t map, char *err_ret,
					       size_t err_size)
{
	if (map >= 6)
		return NULL;
	fx_prov_calls[map]++;
	if (map == 1) {
		snprintf(err_ret, err_size, "cannot read auth.so's text: not in the core");
		return NULL;
	}
	return &fx_prov[map];
}

// Four instructions before @p addr and three after, 4 bytes apart, the
// one at addr marked; its rip-relative operand leads to main.zoneCache.
static void fx_code_at(void *arg, uint64_t addr, struct tui_lines *out)
{
	tui_lines_add(out, TUI_S_DIM, "%s+0x%" PRIx64 ":", addr >> 32 ? "example.com/geo.GetCache"
		      : "main.main", addr >> 32 ? addr - FX_GETCACHE : addr - FX_MAIN_MAIN);
	for (int i = -4; i <= 3; i++) {
		uint64_t a = addr + (uint64_t)(int64_t)(4 * i);
		if (i == 0) {
			struct tui_line *l = tui_lines_add(out, TUI_S_PC,
				"=> 0x%" PRIx64 "  mov rcx, qword ptr [rip + 0x102375] ; 0x5a3b20", a);
			l->has_target = true;
			l->target = 0x5a3b20;
			snprintf(l->label, sizeof(l->label), "operand");
		} else {
			tui_lines_add(out, TUI_S_NORMAL, "   0x%" PRIx64 "  %s", a,
				      i < 0 ? "mov rax, qword ptr [rsp + 0x18]" : "call 0x4a2200");
		}
	}
}

// What an operand refers to, as show comments it: the fixture's
// variables, or the GOT slot of the plugin's reference.
static void fx_operand(void *arg, uint64_t addr, char *buf, size_t size)
{
	if (addr >> 32)
		snprintf(buf, size, "0x%" PRIx64 " in .got of geo.so", addr);
	else if (addr == 0x5a3b20)
		snprintf(buf, size, "0x%" PRIx64 " main.zoneCache in .data of ingestd", addr);
	else
		snprintf(buf, size, "0x%" PRIx64 " in .data of ingestd", addr);
}

static const struct tui_source fx_source = {
	NULL, fx_module_name, fx_module_plugin, fx_type_name, fx_read, fx_describe,
	fx_entries, fx_code, fx_provenance, fx_code_at, fx_operand,
};

static const struct tui_context fx_context = {
	"/tmp/core.4711", "/srv/bin/ingestd", "go1.26.2", "swiss", "SIGSEGV", true,
	0x7f31c0a10008, 48,
};

#endif /* MS_TUI_FIXTURE_H */
