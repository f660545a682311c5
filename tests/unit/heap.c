/* Unit tests for heap lookups, enumeration and the moduledata walk on mock memory. */
#include "config.h"

#include <elf.h>
#include <stdlib.h>

#include "addrspace.h"
#include "buildinfo.h"
#include "go_runtime.h"
#include "heap.h"
#include "readahead.h"
#include "tap.h"

static uint8_t image[0x40000];
static size_t image_used;
static struct ms_addrspace as;

// Map [addr, addr+len) onto fresh zeroed bytes of the image; return them.
static uint8_t *map(uint64_t addr, size_t len)
{
	uint8_t *p = image + image_used;
	struct ms_segment seg = { .start = addr, .end = addr + len,
				  .perms = PF_R | PF_W, .in_core = true,
				  .dumped = len, .core_offset = image_used };
	struct ms_error *err = ms_addrspace_add(&as, &seg);
	if (err) {
		printf("# map 0x%llx: %s\n", (unsigned long long)addr, err->message);
		exit(1);
	}
	image_used += (len + 15) & ~(size_t)15;
	return p;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static const uint64_t heap_base = UINT64_C(0xc000000000);

static void span(uint8_t *p, const struct ms_heap_layout *l, uint64_t start,
		 uint64_t npages, uint64_t elemsize, uint16_t nelems,
		 uint16_t freeindex, uint64_t allocbits, uint8_t state)
{
	put64(p + l->span_start, start);
	put64(p + l->span_npages, npages);
	put16(p + l->span_freeindex, freeindex);
	put16(p + l->span_nelems, nelems);
	put64(p + l->span_allocbits, allocbits);
	p[l->span_spanclass] = 10;
	p[l->span_state] = state;
	put64(p + l->span_elemsize, elemsize);
	put64(p + l->span_limit, start + (uint64_t)nelems * elemsize);
}

static int count(void *arg, uint64_t base, uint64_t size, uint64_t spanclass)
{
	uint64_t *n = arg;
	n[0]++;
	n[1] += size;
	return 0;
}

static void test_heap(void)
{
	struct ms_go_version v = { .major = 1, .minor = 26 };
	struct ms_go_layout gl;
	ms_go_layout_init(&gl, &v, NULL);
	const struct ms_heap_layout *l = &gl.heap;
	ok(l->source == MS_LAYOUT_BUILTIN && l->nelems_size == 2 && l->span_nelems == 50,
	   "1.26 heap layout from the table");

	uint64_t mheap = 0x100000, l2 = 0x200000, arena = 0x300000;
	uint64_t span1 = 0x400000, span2 = 0x400100, span3 = 0x400200;
	uint64_t bits = 0x400300, allspans = 0x500000;
	uint8_t *mh = map(mheap, 0x11000);
	put64(mh + l->mheap_arenas, l2);
	put64(mh + l->mheap_allspans, allspans);
	put64(mh + l->mheap_allspans + 8, 3);
	put64(mh + l->mheap_allspans + 16, 4);
	uint64_t ri = (heap_base + (UINT64_C(1) << 47)) >> 26;
	put64(map(l2 + 8 * ri, 8), arena);
	uint8_t *spans = map(arena + l->arena_spans, 8192 * 8);
	uint64_t page = (heap_base / 8192) % 8192;
	put64(spans + 8 * page, span1);
	put64(spans + 8 * (page + 1), span2);
	uint8_t *sp = map(span1, 0x300);
	span(sp, l, heap_base, 1, 48, 170, 2, bits, MS_SPAN_IN_USE);
	span(sp + 0x100, l, heap_base + 8192, 1, 8192, 1, 0, 0, MS_SPAN_MANUAL);
	// A corrupt span in allspans: more elements than its pages hold.
	span(sp + 0x200, l, heap_base + 4 * 8192, 1, 16, 60000, 0, bits, MS_SPAN_IN_USE);
	uint8_t *b = map(bits, 32);
	b[0] = 1 << 5;
	uint8_t *as_arr = map(allspans, 24);
	put64(as_arr, span1);
	put64(as_arr + 8, span2);
	put64(as_arr + 16, span3);

	struct ms_heap h;
	struct ms_error *err = ms_heap_init(&h, &as, l, mheap);
	ok(!err && h.l2 == l2, "heap init reads mheap_.arenas[0]");

	struct ms_heap_lookup r;
	err = ms_heap_lookup(&h, heap_base + 50, &r);
	ok(!err && r.in_arena && r.has_span && r.span_valid && r.in_object &&
		   r.object_base == heap_base + 48 && r.object_size == 48 && r.allocated,
	   "object below freeindex is allocated");
	err = ms_heap_lookup(&h, heap_base + 5 * 48 + 3, &r);
	ok(!err && r.in_object && r.allocated, "object with its alloc bit set");
	err = ms_heap_lookup(&h, heap_base + 6 * 48, &r);
	ok(!err && r.in_object && !r.allocated, "object without its alloc bit is free");
	err = ms_heap_lookup(&h, heap_base + 170 * 48 + 8, &r);
	ok(!err && r.span_valid && !r.in_object, "tail of the span is no object");
	err = ms_heap_lookup(&h, heap_base + 8192 + 16, &r);
	ok(!err && r.span_valid && r.span.state == MS_SPAN_MANUAL, "manual span (stacks)");
	err = ms_heap_lookup(&h, heap_base + 3 * 8192, &r);
	ok(!err && r.in_arena && !r.has_span, "arena page without a span");
	err = ms_heap_lookup(&h, UINT64_C(0x7f0000000000), &r);
	ok(err && err->code == MS_ERR_FAULT, "unreadable L2 entry is a fault, not a crash");
	ms_error_destroy(err);

	uint64_t n[2] = { 0, 0 };
	size_t skipped = 0;
	err = ms_heap_foreach_object(&h, count, n, &skipped);
	ok(!err && n[0] == 3 && n[1] == 3 * 48, "three allocated objects (got %llu)",
	   (unsigned long long)n[0]);
	is_u64(skipped, 1, "the corrupt span is skipped");

	// Reading ahead: the dumped bytes of the arena's memory, not the
	// runtime's metadata nor other anonymous memory.
	size_t heap_off = image_used;
	map(heap_base, 0x4000);
	map(UINT64_C(0x7e0000000000), 0x1000);
	struct ms_readahead_range runs[4];
	size_t nr = ms_readahead_heap_ranges(&as, &h, runs, 4);
	ok(nr == 1 && runs[0].offset == heap_off && runs[0].len == 0x4000,
	   "read ahead: the arena's bytes alone (%zu runs)", nr);

	uint64_t found = 0;
	err = ms_heap_find_mheap(&as, l, mheap, mheap + 0x11000, &found);
	ok(!err && found == mheap, "mheap_ found by its structure");
	ms_error_destroy(err);
	err = ms_heap_find_mheap(&as, l, span1, span1 + 0x300, &found);
	ok(err && err->code == MS_ERR_NOT_FOUND, "no mheap_ where there is none");
	ms_error_destroy(err);
}

static void test_moduledata(void)
{
	struct ms_go_version v = { .major = 1, .minor = 19 };
	struct ms_go_layout gl;
	ms_go_layout_init(&gl, &v, NULL);
	const struct ms_moduledata_layout *l = &gl.md;
	ok(l->source == MS_LAYOUT_BUILTIN && l->next == 544 && l->pluginpath == 408,
	   "1.19 moduledata layout from the table");
	uint64_t md1 = 0x600000, md2 = 0x601000, str = 0x602000;
	uint8_t *a = map(md1, 0x400), *b = map(md2, 0x400), *s = map(str, 32);
	memcpy(s, "plugin/unnamed-x", 16);
	put64(a + l->text, 0x401000);
	put64(a + l->etext, 0x402000);
	put64(a + l->next, md2);
	put64(b + l->text, 0x7f0000001000);
	put64(b + l->etext, 0x7f0000002000);
	put64(b + l->pluginpath, str);
	put64(b + l->pluginpath + 8, 16);
	put64(b + l->next, md1);	// a loop: must stop
	struct ms_go_moduledata *mds = NULL;
	size_t nmd = 0;
	struct ms_error *partial = NULL;
	struct ms_error *err = ms_go_moduledata_walk(&as, l, md1, &mds, &nmd, &partial);
	ok(!err && nmd == 2, "two modules before the loop");
	ok(partial && strstr(partial->message, "loops"), "the loop is reported");
	ms_error_destroy(partial);
	if (nmd == 2) {
		is_str(mds[0].pluginpath, "", "executable has no pluginpath");
		is_str(mds[1].pluginpath, "plugin/unnamed-x", "plugin path read");
		is_u64(mds[1].text, 0x7f0000001000, "plugin text");
	}
	ms_go_moduledata_free(mds, nmd);

	// A huge string length is refused, not allocated.
	put64(b + l->pluginpath + 8, UINT64_C(1) << 40);
	err = ms_go_moduledata_walk(&as, l, md2, &mds, &nmd, &partial);
	ok(err && err->code == MS_ERR_BAD_DATA, "absurd pluginpath length is an error");
	ms_error_destroy(err);
	ms_error_destroy(partial);

	// Unknown versions have no table.
	struct ms_go_version v28 = { .major = 1, .minor = 28 };
	ms_go_layout_init(&gl, &v28, NULL);
	ok(!gl.md.source && !gl.heap.source && !gl.g.source, "no tables for go1.28");
	// Go 1.27: moduledata without typelinks (etypes two words after
	// types), heap and g as in 1.26.
	struct ms_go_version v27 = { .major = 1, .minor = 27 };
	ms_go_layout_init(&gl, &v27, NULL);
	ok(gl.md.source == MS_LAYOUT_BUILTIN && gl.md.etypes == gl.md.types + 16 &&
		   gl.md.rodata == 336 && gl.md.pluginpath == 408 && gl.md.next == 560 &&
		   gl.md.gcdatamask == 520,
	   "1.27 moduledata");
	ok(gl.heap.source == MS_LAYOUT_BUILTIN && gl.heap.mheap_arenas == 66008 &&
		   gl.heap.inline_mark_bits_size == 128 && gl.g.sigpc == 272,
	   "1.27 heap and g");
	struct ms_go_version v21 = { .major = 1, .minor = 21 };
	ms_go_layout_init(&gl, &v21, NULL);
	ok(gl.heap.span_state == 107 && gl.heap.arena_spans == 1064960 &&
		   gl.g.sigcode1 == 256,
	   "1.21: pinnerBits shifts mspan, heapArena bitmap, g offsets");
}

int main(void)
{
	ms_addrspace_init(&as, image, sizeof(image), "mock");
	test_heap();
	test_moduledata();
	ms_addrspace_deinit(&as);
	return done_testing();
}
