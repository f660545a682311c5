/* Go runtime facts: struct layouts (DWARF or built-in per version), the moduledata chain and the panicking goroutine. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "addrspace.h"
#include "binbuf.h"
#include "dwarf_index.h"
#include "go_runtime.h"

// Offset of a member, or false (the error is dropped: a missing member
// just means this DWARF cannot give the layout).
static bool dwarf_off(struct ms_dwarf *dw, const char *type, const char *member,
		      uint64_t *ret)
{
	struct ms_error *err = ms_dwarf_member_offset(dw, type, member, ret);
	if (err) {
		ms_error_destroy(err);
		return false;
	}
	return true;
}

// Size of a member's type, or 0.
static unsigned dwarf_member_size(struct ms_dwarf *dw, const char *type,
				  const char *member)
{
	Dwarf_Die die, mtype;
	uint64_t off, size;
	struct ms_error *err = ms_dwarf_find_type(dw, type, &die);
	if (!err)
		err = ms_dwarf_die_member(dw, &die, member, &off, &mtype);
	if (!err)
		err = ms_dwarf_die_size(dw, &mtype, &size);
	if (err) {
		ms_error_destroy(err);
		return 0;
	}
	return size <= 8 ? (unsigned)size : 0;
}

/*
 * runtime.moduledata, from src/runtime/symtab.go of each release (notes
 * src/runtime/symtab.go): 1.20 adds covctrs, 1.21 inittasks, 1.23 moves bad next to hasmain,
 * 1.26 adds epclntab, 1.27 drops typelinks and itablinks and adds
 * typedesclen, itaboffset and itabsize (types, typedesclen, etypes: etypes
 * two words after types). Fields up to enoptrbss never moved.
 */
static void moduledata_prefix(struct ms_moduledata_layout *l)
{
	l->pcheader = 0;
	l->text = 176;
	l->etext = 184;
	l->noptrdata = 192;
	l->enoptrdata = 200;
	l->data = 208;
	l->edata = 216;
	l->bss = 224;
	l->ebss = 232;
	l->noptrbss = 240;
	l->enoptrbss = 248;
}

static bool moduledata_table(struct ms_moduledata_layout *l, unsigned minor)
{
	static const struct {
		unsigned minor;
		uint64_t types, etypes, rodata, pluginpath, modulename, hasmain, bad, next;
		uint64_t gcdata, gcbss, gcdatamask, gcbssmask;
	} rows[] = {
		{ 19, 280, 288, 296, 408, 448, 488, 536, 544, 264, 272, 496, 512 },
		{ 20, 296, 304, 312, 424, 464, 504, 552, 560, 280, 288, 512, 528 },
		{ 22, 296, 304, 312, 424, 488, 528, 576, 584, 280, 288, 536, 552 },
		{ 25, 296, 304, 312, 424, 488, 528, 529, 576, 280, 288, 536, 552 },
		{ 26, 296, 304, 312, 432, 496, 536, 537, 584, 280, 288, 544, 560 },
		{ 27, 296, 312, 336, 408, 472, 512, 513, 560, 280, 288, 520, 536 },
	};
	// Each row holds from the release after the previous row's up to its own.
	if (minor < 19)
		return false;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (minor > rows[i].minor)
			continue;
		moduledata_prefix(l);
		l->types = rows[i].types;
		l->etypes = rows[i].etypes;
		l->rodata = rows[i].rodata;
		l->pluginpath = rows[i].pluginpath;
		l->modulename = rows[i].modulename;
		l->hasmain = rows[i].hasmain;
		l->bad = rows[i].bad;
		l->next = rows[i].next;
		l->gcdata = rows[i].gcdata;
		l->gcbss = rows[i].gcbss;
		l->gcdatamask = rows[i].gcdatamask;
		l->gcbssmask = rows[i].gcbssmask;
		// gofunc follows rodata in every release since 1.18.
		l->gofunc = l->rodata + 8;
		return true;
	}
	return false;
}

static bool moduledata_dwarf(struct ms_moduledata_layout *l, struct ms_dwarf *dw)
{
	static const char *const t = "runtime.moduledata";
	return dwarf_off(dw, t, "pcHeader", &l->pcheader) &&
	       dwarf_off(dw, t, "text", &l->text) &&
	       dwarf_off(dw, t, "etext", &l->etext) &&
	       dwarf_off(dw, t, "noptrdata", &l->noptrdata) &&
	       dwarf_off(dw, t, "enoptrdata", &l->enoptrdata) &&
	       dwarf_off(dw, t, "data", &l->data) &&
	       dwarf_off(dw, t, "edata", &l->edata) &&
	       dwarf_off(dw, t, "bss", &l->bss) &&
	       dwarf_off(dw, t, "ebss", &l->ebss) &&
	       dwarf_off(dw, t, "noptrbss", &l->noptrbss) &&
	       dwarf_off(dw, t, "enoptrbss", &l->enoptrbss) &&
	       dwarf_off(dw, t, "types", &l->types) &&
	       dwarf_off(dw, t, "etypes", &l->etypes) &&
	       dwarf_off(dw, t, "rodata", &l->rodata) &&
	       dwarf_off(dw, t, "gofunc", &l->gofunc) &&
	       dwarf_off(dw, t, "pluginpath", &l->pluginpath) &&
	       dwarf_off(dw, t, "modulename", &l->modulename) &&
	       dwarf_off(dw, t, "hasmain", &l->hasmain) &&
	       dwarf_off(dw, t, "bad", &l->bad) &&
	       dwarf_off(dw, t, "next", &l->next) &&
	       dwarf_off(dw, t, "gcdata", &l->gcdata) &&
	       dwarf_off(dw, t, "gcbss", &l->gcbss) &&
	       dwarf_off(dw, t, "gcdatamask", &l->gcdatamask) &&
	       dwarf_off(dw, t, "gcbssmask", &l->gcbssmask);
}

/*
 * mheap, heapArena and mspan (Go sources: src/runtime/mheap.go). mheap offsets were read from
 * the DWARF of 1.19.8, 1.21.0, 1.23.0 and later builds; 1.20 and 1.22 are
 * UNCONFIRMED and assumed equal to 1.19 and 1.21.
 */
static bool heap_table(struct ms_heap_layout *l, unsigned minor)
{
	if (minor < 19 || minor > 27)
		return false;
	if (minor <= 20) {
		l->mheap_allspans = 65856;
		l->mheap_arenas = 65936;
	} else if (minor <= 22) {
		l->mheap_allspans = 65864;
		l->mheap_arenas = 65944;
	} else {
		l->mheap_allspans = 65864;
		l->mheap_arenas = 66008;
	}
	l->arena_spans = minor == 19 ? 2097152 : minor <= 21 ? 1064960 : 0;
	l->arena_bitmap = 0;
	l->arena_bitmap_bits = minor == 19 ? 2 : minor <= 21 ? 1 : 0;
	// scans [63]uint8, owned uint8, marks [63]uint8, class uint8.
	l->inline_mark_bits_size = minor >= 26 ? 128 : 0;
	l->span_start = 24;
	l->span_npages = 32;
	l->span_freeindex = 48;
	if (minor <= 21) {
		l->freeindex_size = l->nelems_size = 8;
		l->span_nelems = 56;
		l->span_allocbits = 72;
		// 1.21 inserted pinnerBits after gcmarkBits.
		uint64_t d = minor == 21 ? 8 : 0;
		l->span_spanclass = 98 + d;
		l->span_state = 99 + d;
		l->span_elemsize = 104 + d;
		l->span_limit = 112 + d;
	} else {
		l->freeindex_size = l->nelems_size = 2;
		l->malloc_headers = true;
		l->span_nelems = 50;
		l->span_allocbits = 64;
		l->span_spanclass = 98;
		l->span_state = 99;
		l->span_elemsize = 104;
		l->span_limit = 112;
		// After limit: speciallock, specials, userArenaChunkFree; read
		// from the DWARF of 1.23 to 1.27 (1.22 was not built).
		if (minor >= 23)
			l->span_large_type = 152;
	}
	return true;
}

static bool heap_dwarf(struct ms_heap_layout *l, struct ms_dwarf *dw)
{
	static const char *const s = "runtime.mspan";
	if (!(dwarf_off(dw, "runtime.mheap", "arenas", &l->mheap_arenas) &&
	      dwarf_off(dw, "runtime.mheap", "allspans", &l->mheap_allspans) &&
	      dwarf_off(dw, "runtime.heapArena", "spans", &l->arena_spans) &&
	      dwarf_off(dw, s, "startAddr", &l->span_start) &&
	      dwarf_off(dw, s, "npages", &l->span_npages) &&
	      dwarf_off(dw, s, "freeindex", &l->span_freeindex) &&
	      dwarf_off(dw, s, "nelems", &l->span_nelems) &&
	      dwarf_off(dw, s, "allocBits", &l->span_allocbits) &&
	      dwarf_off(dw, s, "spanclass", &l->span_spanclass) &&
	      dwarf_off(dw, s, "state", &l->span_state) &&
	      dwarf_off(dw, s, "elemsize", &l->span_elemsize) &&
	      dwarf_off(dw, s, "limit", &l->span_limit)))
		return false;
	l->freeindex_size = dwarf_member_size(dw, s, "freeindex");
	l->nelems_size = dwarf_member_size(dw, s, "nelems");
	// mspan.largeType came with malloc headers (1.22, allocheaders).
	uint64_t large_type;
	l->malloc_headers = dwarf_off(dw, s, "largeType", &large_type);
	l->span_large_type = l->malloc_headers ? large_type : 0;
	// heapArena.bitmap: 2 MiB (2 bits a word) in 1.19, 1 MiB (1 bit) in
	// 1.20 and 1.21, gone from 1.22.
	l->arena_bitmap_bits = 0;
	// The array's DWARF may lack a byte size; where spans starts says it.
	if (dwarf_off(dw, "runtime.heapArena", "bitmap", &l->arena_bitmap))
		l->arena_bitmap_bits = l->arena_spans >= 2097152 ? 2 : 1;
	// Empty (size 0) when built without Green Tea GC.
	struct ms_error *err = ms_dwarf_type_size(dw, "runtime.spanInlineMarkBits",
						  &l->inline_mark_bits_size);
	if (err) {
		ms_error_destroy(err);
		l->inline_mark_bits_size = 0;
	}
	return (l->freeindex_size == 2 || l->freeindex_size == 8) &&
	       (l->nelems_size == 2 || l->nelems_size == 8);
}

// runtime.g offsets (Go sources: src/runtime/runtime2.go and signal_unix.go), read from DWARF of test builds; 1.20 and
// 1.22 were not built, so they have no table.
static bool g_table(struct ms_g_layout *l, unsigned minor)
{
	// The second line of each row: sched.bp, waitreason, gopc, startpc,
	// m.procid, m.curg, _panic.arg (gobuf lost ret in 1.25, m lost a
	// word before procid in 1.25, _panic.arg moved to the front in 1.26).
	static const struct {
		unsigned minor;
		uint64_t goid, sig, sigcode0, sigcode1, sigpc;
		uint64_t sched_bp, waitreason, gopc, startpc, procid, curg, arg;
	} rows[] = {
		{ 19, 152, 240, 272, 280, 288,
		  104, 176, 296, 312, 72, 192, 8 },
		{ 21, 152, 216, 248, 256, 264,
		  104, 176, 280, 296, 72, 192, 8 },
		{ 23, 160, 224, 256, 264, 272,
		  104, 184, 288, 304, 72, 192, 8 },
		{ 24, 160, 228, 256, 264, 272,
		  104, 184, 288, 304, 72, 192, 8 },
		{ 25, 152, 220, 248, 256, 264,
		  96, 176, 280, 296, 64, 184, 8 },
		{ 26, 152, 224, 256, 264, 272,
		  96, 176, 288, 304, 64, 184, 0 },
		{ 27, 152, 224, 256, 264, 272,
		  96, 176, 288, 304, 64, 184, 0 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].minor != minor)
			continue;
		l->goid = rows[i].goid;
		l->sig = rows[i].sig;
		l->sigcode0 = rows[i].sigcode0;
		l->sigcode1 = rows[i].sigcode1;
		l->sigpc = rows[i].sigpc;
		// stack and sched lead runtime.g in every release.
		l->stack_lo = 0;
		l->stack_hi = 8;
		l->sched_sp = 56;
		// atomicstatus sits just before goid (read from each
		// release's DWARF).
		l->status = rows[i].goid - 8;
		l->have_sched = true;
		l->sched_pc = 64;
		l->sched_bp = rows[i].sched_bp;
		l->waitreason = rows[i].waitreason;
		l->m = 48;
		l->panic = 32;
		l->gopc = rows[i].gopc;
		l->startpc = rows[i].startpc;
		l->m_procid = rows[i].procid;
		l->m_curg = rows[i].curg;
		l->panic_arg = rows[i].arg;
		return true;
	}
	return false;
}

static bool g_dwarf(struct ms_g_layout *l, struct ms_dwarf *dw)
{
	static const char *const t = "runtime.g";
	if (!(dwarf_off(dw, t, "goid", &l->goid) &&
	      dwarf_off(dw, t, "sig", &l->sig) &&
	      dwarf_off(dw, t, "sigcode0", &l->sigcode0) &&
	      dwarf_off(dw, t, "sigcode1", &l->sigcode1) &&
	      dwarf_off(dw, t, "sigpc", &l->sigpc) &&
	      dwarf_off(dw, t, "stack.lo", &l->stack_lo) &&
	      dwarf_off(dw, t, "stack.hi", &l->stack_hi) &&
	      dwarf_off(dw, t, "sched.sp", &l->sched_sp)))
		return false;
	// atomicstatus is a uint32 up to 1.19 and an atomic.Uint32 after;
	// its value is the first 4 bytes either way.
	if (!dwarf_off(dw, t, "atomicstatus", &l->status))
		l->status = UINT64_MAX;
	l->have_sched = dwarf_off(dw, t, "sched.pc", &l->sched_pc) &&
			dwarf_off(dw, t, "sched.bp", &l->sched_bp) &&
			dwarf_off(dw, t, "waitreason", &l->waitreason) &&
			dwarf_off(dw, t, "m", &l->m) &&
			dwarf_off(dw, t, "_panic", &l->panic) &&
			dwarf_off(dw, t, "gopc", &l->gopc) &&
			dwarf_off(dw, t, "startpc", &l->startpc) &&
			dwarf_off(dw, "runtime.m", "procid", &l->m_procid) &&
			dwarf_off(dw, "runtime.m", "curg", &l->m_curg) &&
			dwarf_off(dw, "runtime._panic", "arg", &l->panic_arg);
	return true;
}

void ms_go_layout_init(struct ms_go_layout *layout,
		       const struct ms_go_version *v, struct ms_dwarf *dw)
{
	memset(layout, 0, sizeof(*layout));
	unsigned minor = v && v->major == 1 ? v->minor : 0;

	if (dw && moduledata_dwarf(&layout->md, dw))
		layout->md.source = MS_LAYOUT_DWARF;
	else if (moduledata_table(&layout->md, minor))
		layout->md.source = MS_LAYOUT_BUILTIN;
	else if (minor >= 19) {
		memset(&layout->md, 0, sizeof(layout->md));
		moduledata_prefix(&layout->md);
		layout->md.prefix_only = true;
	}

	if (dw && heap_dwarf(&layout->heap, dw))
		layout->heap.source = MS_LAYOUT_DWARF;
	else if (heap_table(&layout->heap, minor))
		layout->heap.source = MS_LAYOUT_BUILTIN;
	if (layout->heap.source) {
		struct ms_heap_layout *h = &layout->heap;
		uint64_t ends[] = { h->span_start + 8, h->span_npages + 8,
				    h->span_freeindex + h->freeindex_size,
				    h->span_nelems + h->nelems_size,
				    h->span_allocbits + 8, h->span_spanclass + 1,
				    h->span_state + 1, h->span_elemsize + 8,
				    h->span_limit + 8,
				    h->span_large_type ? h->span_large_type + 8 : 0 };
		for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
			if (ends[i] > h->span_read_size)
				h->span_read_size = ends[i];
	}

	if (dw && g_dwarf(&layout->g, dw))
		layout->g.source = MS_LAYOUT_DWARF;
	else if (g_table(&layout->g, minor))
		layout->g.source = MS_LAYOUT_BUILTIN;
}

void ms_go_moduledata_free(struct ms_go_moduledata *mds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(mds[i].pluginpath);
		free(mds[i].modulename);
	}
	free(mds);
}

struct ms_error *ms_go_read_string(const struct ms_addrspace *as, uint64_t addr,
				   size_t max, char **ret)
{
	uint8_t hdr[16];
	struct ms_error *err = ms_addrspace_read(as, addr, hdr, sizeof(hdr));
	if (err)
		return err;
	uint64_t ptr = ms_load_u64(hdr), len = ms_load_u64(hdr + 8);
	if (len > max)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "Go string at 0x%llx has length %llu",
				       (unsigned long long)addr,
				       (unsigned long long)len);
	char *s = malloc(len + 1);
	if (!s)
		return &ms_enomem;
	if (len && (err = ms_addrspace_read(as, ptr, s, len))) {
		free(s);
		return err;
	}
	s[len] = '\0';
	*ret = s;
	return NULL;
}

// Read or say no; the fault itself does not matter to the caller.
static bool read_ok(const struct ms_addrspace *as, uint64_t addr, void *buf,
		    size_t len)
{
	struct ms_error *err = ms_addrspace_read(as, addr, buf, len);
	ms_error_destroy(err);
	return err == NULL;
}

// Largest moduledata offset we read, plus 16 for a string header.
static uint64_t md_span(const struct ms_moduledata_layout *l)
{
	if (l->prefix_only)
		return l->enoptrbss + 8;
	uint64_t offs[] = { l->pcheader, l->text, l->etext, l->noptrdata,
			    l->enoptrdata, l->data, l->edata, l->bss, l->ebss,
			    l->noptrbss, l->enoptrbss, l->types, l->etypes,
			    l->rodata, l->pluginpath + 8, l->modulename + 8,
			    l->hasmain, l->bad, l->next, l->gcdata, l->gcbss };
	uint64_t m = 0;
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		if (offs[i] > m)
			m = offs[i];
	return m + 8;
}

static struct ms_error *read_moduledata(const struct ms_addrspace *as,
					const struct ms_moduledata_layout *l,
					uint64_t addr,
					struct ms_go_moduledata *md)
{
	uint64_t n = md_span(l);
	uint8_t buf[1024];
	if (n > sizeof(buf))
		return ms_error_create(MS_ERR_BAD_DATA,
				       "runtime.moduledata layout spans %llu bytes",
				       (unsigned long long)n);
	struct ms_error *err = ms_addrspace_read(as, addr, buf, n);
	if (err)
		return ms_error_prefix(err, "runtime.moduledata at 0x%llx",
				       (unsigned long long)addr);
	memset(md, 0, sizeof(*md));
	md->addr = addr;
	md->pcheader = ms_load_u64(buf + l->pcheader);
	md->text = ms_load_u64(buf + l->text);
	md->etext = ms_load_u64(buf + l->etext);
	md->noptrdata = ms_load_u64(buf + l->noptrdata);
	md->enoptrdata = ms_load_u64(buf + l->enoptrdata);
	md->data = ms_load_u64(buf + l->data);
	md->edata = ms_load_u64(buf + l->edata);
	md->bss = ms_load_u64(buf + l->bss);
	md->ebss = ms_load_u64(buf + l->ebss);
	md->noptrbss = ms_load_u64(buf + l->noptrbss);
	md->enoptrbss = ms_load_u64(buf + l->enoptrbss);
	if (!l->prefix_only) {
		md->types = ms_load_u64(buf + l->types);
		md->etypes = ms_load_u64(buf + l->etypes);
		md->rodata = ms_load_u64(buf + l->rodata);
		md->gcdata = ms_load_u64(buf + l->gcdata);
		md->gcbss = ms_load_u64(buf + l->gcbss);
		md->hasmain = buf[l->hasmain] != 0;
		md->bad = buf[l->bad] != 0;
		md->next = ms_load_u64(buf + l->next);
	} else {
		// Only the ranges: no types, strings or chain (the walk stops
		// at the runtime's own module).
		md->hasmain = true;
	}
	// A moduledata whose ranges run backwards is not one.
	if (md->etext < md->text || md->edata < md->data || md->ebss < md->bss ||
	    md->enoptrdata < md->noptrdata || md->enoptrbss < md->noptrbss ||
	    md->etypes < md->types)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "runtime.moduledata at 0x%llx has inverted ranges",
				       (unsigned long long)addr);
	if (l->prefix_only)
		return NULL;
	md->pluginpath_len = ms_load_u64(buf + l->pluginpath + 8);
	if (md->pluginpath_len > 4096)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "runtime.moduledata at 0x%llx has a pluginpath of %llu bytes",
				       (unsigned long long)addr,
				       (unsigned long long)md->pluginpath_len);
	// The strings' bytes may be in undumped read-only data of a plugin
	// whose file is missing: keep the module, without them.
	err = ms_go_read_string(as, addr + l->pluginpath, 4096, &md->pluginpath);
	if (err == &ms_enomem)
		return err;
	ms_error_destroy(err);
	err = ms_go_read_string(as, addr + l->modulename, 4096, &md->modulename);
	if (err == &ms_enomem) {
		free(md->pluginpath);
		md->pluginpath = NULL;
		return err;
	}
	ms_error_destroy(err);
	return NULL;
}

struct ms_error *ms_go_moduledata_walk(const struct ms_addrspace *as,
				       const struct ms_moduledata_layout *l,
				       uint64_t first,
				       struct ms_go_moduledata **ret,
				       size_t *n_ret,
				       struct ms_error **partial_err)
{
	static const size_t max_modules = 256;
	struct ms_go_moduledata *mds = NULL;
	size_t n = 0;
	*partial_err = NULL;
	for (uint64_t addr = first; addr; ) {
		for (size_t i = 0; i < n; i++) {
			if (mds[i].addr == addr) {
				*partial_err = ms_error_create(MS_ERR_BAD_DATA,
							       "moduledata chain loops back to 0x%llx",
							       (unsigned long long)addr);
				goto out;
			}
		}
		if (n == max_modules) {
			*partial_err = ms_error_create(MS_ERR_BAD_DATA,
						       "moduledata chain longer than %zu",
						       max_modules);
			break;
		}
		struct ms_go_moduledata *grown = realloc(mds, (n + 1) * sizeof(*mds));
		if (!grown) {
			ms_go_moduledata_free(mds, n);
			return &ms_enomem;
		}
		mds = grown;
		struct ms_error *err = read_moduledata(as, l, addr, &mds[n]);
		if (err) {
			if (n == 0) {
				free(mds);
				return err;
			}
			*partial_err = err;
			break;
		}
		addr = mds[n].next;
		n++;
	}
out:
	*ret = mds;
	*n_ret = n;
	return NULL;
}

struct ms_error *ms_go_foreach_g(const struct ms_addrspace *as, uint64_t allgs,
				 int (*fn)(void *arg, uint64_t g), void *arg)
{
	uint8_t hdr[16];
	struct ms_error *err = ms_addrspace_read(as, allgs, hdr, sizeof(hdr));
	if (err)
		return ms_error_prefix(err, "runtime.allgs");
	uint64_t ptr = ms_load_u64(hdr), len = ms_load_u64(hdr + 8);
	if (len > (1u << 20))
		len = 1u << 20;
	uint64_t chunk[512];
	for (uint64_t i = 0; i < len; i += 512) {
		size_t k = len - i < 512 ? (size_t)(len - i) : 512;
		if ((err = ms_addrspace_read(as, ptr + 8 * i, chunk, 8 * k)))
			return ms_error_prefix(err, "runtime.allgs array");
		for (size_t j = 0; j < k; j++) {
			uint64_t g = ms_load_u64(&chunk[j]);
			if (g && fn(arg, g))
				return NULL;
		}
	}
	return NULL;
}

struct signalled {
	const struct ms_addrspace *as;
	const struct ms_g_layout *l;
	struct ms_go_signal *ret;
	bool found;
};

static int find_signalled(void *arg, uint64_t g)
{
	struct signalled *f = arg;
	const struct ms_g_layout *l = f->l;
	uint8_t b[4];
	if (!read_ok(f->as, g + l->sig, b, 4))
		return 0;
	uint32_t sig = ms_load_u32(b);
	if (!sig)
		return 0;
	struct ms_go_signal s = { .g = g, .sig = sig };
	uint8_t w[8];
	if (read_ok(f->as, g + l->goid, w, 8))
		s.goid = ms_load_u64(w);
	if (read_ok(f->as, g + l->sigcode0, w, 8))
		s.sigcode0 = ms_load_u64(w);
	if (read_ok(f->as, g + l->sigcode1, w, 8))
		s.sigcode1 = ms_load_u64(w);
	if (read_ok(f->as, g + l->sigpc, w, 8))
		s.sigpc = ms_load_u64(w);
	*f->ret = s;
	f->found = true;
	return 1;
}

struct ms_error *ms_go_find_signalled_g(const struct ms_addrspace *as,
					const struct ms_g_layout *l,
					uint64_t allgs,
					struct ms_go_signal *ret)
{
	struct signalled f = { as, l, ret, false };
	struct ms_error *err = ms_go_foreach_g(as, allgs, find_signalled, &f);
	if (err)
		return err;
	if (!f.found)
		return ms_error_create(MS_ERR_NOT_FOUND, "no goroutine took a signal");
	return NULL;
}

struct ms_error *ms_go_find_moduledata(const struct ms_addrspace *as,
				       const struct ms_moduledata_layout *l,
				       uint64_t start, uint64_t end,
				       uint64_t pclntab, uint64_t text,
				       uint64_t *ret)
{
	uint64_t buf[512];
	start = (start + 7) & ~(uint64_t)7;
	for (uint64_t a = start; a < end; a += sizeof(buf)) {
		size_t n = end - a < sizeof(buf) ? (size_t)(end - a) & ~(size_t)7 : sizeof(buf);
		if (n == 0)
			break;
		struct ms_error *err = ms_addrspace_read(as, a, buf, n);
		if (err) {
			ms_error_destroy(err);
			continue;
		}
		for (size_t i = 0; i < n / 8; i++) {
			if (ms_load_u64(&buf[i]) != pclntab)
				continue;
			uint64_t md = a + 8 * i - l->pcheader;
			uint8_t t[8];
			if (read_ok(as, md + l->text, t, 8) && ms_load_u64(t) == text &&
			    ms_go_pcheader_matches(as, pclntab, text)) {
				*ret = md;
				return NULL;
			}
		}
	}
	return ms_error_create(MS_ERR_NOT_FOUND, "no runtime.moduledata found");
}

bool ms_go_pcheader_matches(const struct ms_addrspace *as, uint64_t pcheader,
			    uint64_t text)
{
	// runtime.pcHeader: magic uint32, pad1, pad2 uint8, minLC uint8,
	// ptrSize uint8, nfunc int, nfiles uint, textStart uintptr (1.18+;
	// src/runtime/symtab.go; 1.26 stopped filling textStart in, leaving
	// 0). Magics: go118 0xfffffff0, go120 0xfffffff1 (still 1.27's).
	uint8_t h[32];
	if (!read_ok(as, pcheader, h, sizeof(h)))
		return false;
	uint32_t magic = ms_load_u32(h);
	if (magic != 0xfffffff0 && magic != 0xfffffff1)
		return false;
	uint64_t text_start = ms_load_u64(h + 24);
	return h[4] == 0 && h[5] == 0 && h[7] == 8 && ms_load_u64(h + 8) > 0 &&
	       (text_start == text || text_start == 0);
}
