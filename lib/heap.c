/* The Go heap in a core: arenas, spans and whether an address is inside an allocated object. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "addrspace.h"
#include "binbuf.h"
#include "heap.h"

// linux/amd64 constants (src/runtime/malloc.go, same 1.19-1.26).
static const uint64_t page_size = 8192;
static const uint64_t pages_per_arena = 8192;
static const unsigned log_arena_bytes = 26;
static const uint64_t arena_l2_entries = UINT64_C(1) << 22;
static const uint64_t arena_base_offset = UINT64_C(0xffff800000000000);
// Bounds that no sane span exceeds; a corrupt span is skipped instead.
static const uint64_t max_span_pages = UINT64_C(1) << 24;	/* 128 GiB */
static const uint64_t max_nelems = UINT64_C(1) << 20;

const char *ms_span_state_str(unsigned state)
{
	switch (state) {
	case MS_SPAN_DEAD: return "dead";
	case MS_SPAN_IN_USE: return "in use";
	case MS_SPAN_MANUAL: return "manual";
	default: return "unknown";
	}
}

struct ms_error *ms_heap_init(struct ms_heap *heap, const struct ms_addrspace *as,
			      const struct ms_heap_layout *layout,
			      uint64_t mheap)
{
	if (!layout->source)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "no layout for runtime.mspan in this Go version");
	uint64_t l2;
	struct ms_error *err = ms_addrspace_read_u64(as, mheap + layout->mheap_arenas, &l2);
	if (err)
		return ms_error_prefix(err, "runtime.mheap_.arenas");
	memset(heap, 0, sizeof(*heap));
	heap->as = as;
	heap->layout = *layout;
	heap->mheap = mheap;
	heap->l2 = l2;
	static _Atomic uint64_t generations;
	heap->generation = ++generations;
	return NULL;
}

// Does the span at sp lead back to itself through l2 -> heapArena.spans?
static bool span_roundtrip(const struct ms_heap *h, uint64_t sp)
{
	struct ms_span s;
	struct ms_error *err = ms_heap_read_span(h, sp, &s);
	if (err) {
		ms_error_destroy(err);
		return false;
	}
	if (s.state != MS_SPAN_IN_USE || !s.start || s.start % page_size)
		return false;
	struct ms_heap_lookup r;
	err = ms_heap_lookup(h, s.start, &r);
	if (err) {
		ms_error_destroy(err);
		return false;
	}
	return r.has_span && r.span.addr == sp;
}

struct ms_error *ms_heap_find_mheap(const struct ms_addrspace *as,
				    const struct ms_heap_layout *layout,
				    uint64_t start, uint64_t end,
				    uint64_t *ret)
{
	if (!layout->source || end <= start)
		return ms_error_create(MS_ERR_NOT_FOUND, "runtime.mheap_ not found");
	uint64_t reach = (layout->mheap_arenas > layout->mheap_allspans ?
			  layout->mheap_arenas : layout->mheap_allspans) + 24;
	start = (start + 7) & ~(uint64_t)7;
	if (end - start > (UINT64_C(64) << 20) || end - start < reach)
		return ms_error_create(MS_ERR_NOT_FOUND, "runtime.mheap_ not found");
	size_t n = (size_t)(end - start);
	uint8_t *buf = malloc(n);
	if (!buf)
		return &ms_enomem;
	struct ms_error *err = ms_addrspace_read(as, start, buf, n);
	if (err) {
		free(buf);
		return ms_error_prefix(err, "searching runtime.mheap_");
	}
	for (size_t off = 0; off + reach <= n; off += 8) {
		uint64_t l2 = ms_load_u64(buf + off + layout->mheap_arenas);
		const uint8_t *sl = buf + off + layout->mheap_allspans;
		uint64_t ptr = ms_load_u64(sl), len = ms_load_u64(sl + 8),
			 cap = ms_load_u64(sl + 16);
		if (!l2 || l2 % 8 || !ptr || ptr % 8 || !len || len > cap ||
		    cap > (UINT64_C(1) << 24))
			continue;
		struct ms_heap h = { .as = as, .layout = *layout,
				     .mheap = start + off, .l2 = l2 };
		// Any of the first few spans proves it (the first may be dead).
		uint64_t spans[8];
		size_t k = len < 8 ? (size_t)len : 8;
		err = ms_addrspace_read(as, ptr, spans, 8 * k);
		if (err) {
			ms_error_destroy(err);
			continue;
		}
		for (size_t i = 0; i < k; i++) {
			uint64_t sp = ms_load_u64(&spans[i]);
			if (sp && span_roundtrip(&h, sp)) {
				free(buf);
				*ret = start + off;
				return NULL;
			}
		}
	}
	free(buf);
	return ms_error_create(MS_ERR_NOT_FOUND, "runtime.mheap_ not found");
}

static uint64_t load_n(const uint8_t *p, unsigned size)
{
	return size == 2 ? ms_load_u16(p) : size == 4 ? ms_load_u32(p) : ms_load_u64(p);
}

struct ms_error *ms_heap_read_span(const struct ms_heap *heap, uint64_t addr,
				   struct ms_span *ret)
{
	const struct ms_heap_layout *l = &heap->layout;
	uint8_t scratch[256];
	const uint8_t *buf;
	if (l->span_read_size > sizeof(scratch))
		return ms_error_create(MS_ERR_BAD_DATA, "runtime.mspan layout too large");
	struct ms_error *err = ms_addrspace_peek(heap->as, addr, l->span_read_size,
						 scratch, (const void **)&buf);
	if (err)
		return ms_error_prefix(err, "runtime.mspan at 0x%llx",
				       (unsigned long long)addr);
	struct ms_span s = { .addr = addr };
	s.start = ms_load_u64(buf + l->span_start);
	s.npages = ms_load_u64(buf + l->span_npages);
	s.freeindex = load_n(buf + l->span_freeindex, l->freeindex_size);
	s.nelems = load_n(buf + l->span_nelems, l->nelems_size);
	s.allocbits = ms_load_u64(buf + l->span_allocbits);
	s.spanclass = buf[l->span_spanclass];
	s.state = buf[l->span_state];
	s.elemsize = ms_load_u64(buf + l->span_elemsize);
	s.limit = ms_load_u64(buf + l->span_limit);
	if (l->span_large_type && (s.spanclass >> 1) == 0 && !(s.spanclass & 1))
		s.large_type = ms_load_u64(buf + l->span_large_type);
	*ret = s;
	return NULL;
}

// Whether the span's fields are consistent enough to index objects.
static bool span_sane(const struct ms_span *s)
{
	if (s->npages == 0 || s->npages > max_span_pages || s->elemsize == 0 ||
	    s->start % page_size)
		return false;
	uint64_t bytes = s->npages * page_size;
	if (s->start + bytes < s->start)
		return false;
	if (s->limit < s->start || s->limit > s->start + bytes)
		return false;
	if (s->nelems > max_nelems || s->nelems > bytes / s->elemsize + 1)
		return false;
	return true;
}

static struct ms_error *alloc_bit(const struct ms_heap *heap,
				  const struct ms_span *s, uint64_t idx,
				  bool *ret)
{
	if (idx < s->freeindex) {
		*ret = true;
		return NULL;
	}
	uint8_t b;
	const uint8_t *p;
	struct ms_error *err = ms_addrspace_peek(heap->as, s->allocbits + idx / 8, 1, &b,
						 (const void **)&p);
	if (err)
		return ms_error_prefix(err, "allocBits of span 0x%llx",
				       (unsigned long long)s->addr);
	*ret = (*p >> (idx % 8)) & 1;
	return NULL;
}

/*
 * Go 1.22+ (allocheaders): small objects with pointers and more than 512
 * bytes start with an 8-byte type header, so the pointer the program holds
 * is base + 8 (runtime/mbitmap.go, mallocgc). Large objects (size class 0)
 * keep their type in the span instead.
 */
static void user_object(const struct ms_heap *heap, const struct ms_span *s,
			uint64_t *base, uint64_t *size)
{
	enum { malloc_header_size = 8, min_size_for_malloc_header = 512 };
	if (heap->layout.malloc_headers && !(s->spanclass & 1) &&
	    (s->spanclass >> 1) != 0 && s->elemsize > min_size_for_malloc_header) {
		*base += malloc_header_size;
		*size -= malloc_header_size;
	}
}

/*
 * What the last lookup on this thread read: its arena and that arena's
 * spans[] in place, the last mspan read. Lookups come in runs in one
 * arena and often one span, and these are words of the core, which never
 * change: the next lookup reads again only the one word of spans[] that
 * says which span holds its page, and reads the mspan only when that is
 * another one, so the answer is the one the reads would give. Keyed by the
 * heap's generation, unique to each ms_heap_init() (0: never cached).
 */
struct lookup_cache {
	uint64_t generation;
	uint64_t ri, ha;
	const uint8_t *spans;	// ha's spans[] in place, or NULL
	// mspans read, by address (sp 0: none); lookups alternate between
	// a few spans (a header's, its groups', the next map's).
	struct {
		uint64_t sp;
		struct ms_span span;
		const uint8_t *allocbits;	// in place, or NULL: read it
	} spans_read[32];
};
static _Thread_local struct lookup_cache lookup_cache;

// heapArena @p ha's spans[page] into *sp.
static struct ms_error *arena_span(const struct ms_heap *heap, struct lookup_cache *c,
				   uint64_t ha, uint64_t page, uint64_t *sp)
{
	if (c && c->spans) {
		*sp = ms_load_u64(c->spans + 8 * page);
		return NULL;
	}
	struct ms_error *err = ms_addrspace_read_u64(heap->as,
						     ha + heap->layout.arena_spans + 8 * page, sp);
	if (err)
		return ms_error_prefix(err, "heapArena 0x%llx spans[%llu]",
				       (unsigned long long)ha, (unsigned long long)page);
	return NULL;
}

struct ms_error *ms_heap_lookup(const struct ms_heap *heap, uint64_t addr,
				struct ms_heap_lookup *ret)
{
	struct ms_heap_lookup r;
	memset(&r, 0, sizeof(r));
	uint64_t ri = (addr - arena_base_offset) >> log_arena_bytes;
	if (!heap->l2 || ri >= arena_l2_entries) {
		*ret = r;
		return NULL;
	}
	struct lookup_cache *c = heap->generation ? &lookup_cache : NULL;
	if (c && c->generation != heap->generation) {
		memset(c, 0, sizeof(*c));
		c->generation = heap->generation;
		c->ri = UINT64_MAX;
	}
	uint64_t ha;
	struct ms_error *err;
	if (c && c->ri == ri) {
		ha = c->ha;
	} else {
		err = ms_addrspace_read_u64(heap->as, heap->l2 + 8 * ri, &ha);
		if (err)
			return ms_error_prefix(err, "mheap_.arenas[0][%llu]", (unsigned long long)ri);
		if (c) {
			c->ri = ri;
			c->ha = ha;
			c->spans = ha ? ms_addrspace_borrow(heap->as, ha + heap->layout.arena_spans,
							    8 * pages_per_arena)
				      : NULL;
		}
	}
	if (!ha) {
		*ret = r;
		return NULL;
	}
	r.in_arena = true;
	uint64_t page = (addr / page_size) % pages_per_arena, sp;
	if ((err = arena_span(heap, c, ha, page, &sp)))
		return err;
	if (!sp) {
		*ret = r;
		return NULL;
	}
	r.has_span = true;
	size_t slot = (size_t)((sp >> 4) * UINT64_C(0x9e3779b97f4a7c15) >> 59);
	const uint8_t *allocbits = NULL;
	if (c && c->spans_read[slot].sp == sp) {
		r.span = c->spans_read[slot].span;
		allocbits = c->spans_read[slot].allocbits;
	} else {
		if ((err = ms_heap_read_span(heap, sp, &r.span)))
			return err;
		if (c) {
			if (r.span.nelems <= max_nelems)
				allocbits = ms_addrspace_borrow(heap->as, r.span.allocbits,
								(size_t)(r.span.nelems + 7) / 8);
			c->spans_read[slot].sp = sp;
			c->spans_read[slot].span = r.span;
			c->spans_read[slot].allocbits = allocbits;
		}
	}
	const struct ms_span *s = &r.span;
	// spans[] entries of freed spans are not cleared, and mspan structs
	// are recycled: only trust a span whose range holds the address.
	if (s->npages > max_span_pages || addr < s->start ||
	    addr - s->start >= s->npages * page_size) {
		*ret = r;
		return NULL;
	}
	r.span_valid = true;
	if (s->state == MS_SPAN_IN_USE && span_sane(s) && addr < s->limit) {
		uint64_t idx = (addr - s->start) / s->elemsize;
		if (idx < s->nelems) {
			r.in_object = true;
			r.object_base = s->start + idx * s->elemsize;
			r.object_size = s->elemsize;
			user_object(heap, s, &r.object_base, &r.object_size);
			if (idx < s->freeindex)
				r.allocated = true;
			else if (allocbits)
				r.allocated = (allocbits[idx / 8] >> (idx % 8)) & 1;
			else if ((err = alloc_bit(heap, s, idx, &r.allocated)))
				return err;
		}
	}
	*ret = r;
	return NULL;
}

static struct ms_error *span_objects(const struct ms_heap *heap,
				     const struct ms_span *s,
				     ms_heap_object_fn *fn, void *arg,
				     bool *stop)
{
	size_t nbytes = (size_t)(s->nelems + 7) / 8;
	uint8_t small[1024];
	uint8_t *copy = NULL;
	const uint8_t *bits = small;
	struct ms_error *err = NULL;
	bool have_bits = s->freeindex >= s->nelems;
	// The bitmap in place when it is in the core, else a copy.
	if (!have_bits && !(bits = ms_addrspace_borrow(heap->as, s->allocbits, nbytes))) {
		copy = nbytes <= sizeof(small) ? small : malloc(nbytes);
		if (!copy)
			return &ms_enomem;
		bits = copy;
		err = ms_addrspace_read(heap->as, s->allocbits, copy, nbytes);
		if (err)
			goto out;
	}
	for (uint64_t i = 0; i < s->nelems; i++) {
		uint64_t base = s->start + i * s->elemsize;
		if (base >= s->limit)
			break;
		bool alloc = i < s->freeindex || (bits[i / 8] >> (i % 8)) & 1;
		uint64_t size = s->elemsize;
		user_object(heap, s, &base, &size);
		if (alloc && fn(arg, base, size, s->spanclass)) {
			*stop = true;
			break;
		}
	}
out:
	if (copy != small)
		free(copy);
	return err;
}

struct ms_error *ms_heap_foreach_span(const struct ms_heap *heap,
				      int (*fn)(void *arg, const struct ms_span *s),
				      void *arg, size_t *skipped_ret)
{
	uint8_t hdr[16];
	size_t skipped = 0;
	struct ms_error *err = ms_addrspace_read(
		heap->as, heap->mheap + heap->layout.mheap_allspans, hdr, sizeof(hdr));
	if (err)
		return ms_error_prefix(err, "runtime.mheap_.allspans");
	uint64_t ptr = ms_load_u64(hdr), len = ms_load_u64(hdr + 8);
	// Every span ever created is listed; 16 million is far beyond any core
	// we expect and bounds the work on a corrupt length.
	if (len > (UINT64_C(1) << 24))
		len = UINT64_C(1) << 24;
	uint64_t scratch[512];
	bool stop = false;
	for (uint64_t i = 0; i < len && !stop; i += 512) {
		size_t k = len - i < 512 ? (size_t)(len - i) : 512;
		const uint8_t *chunk;
		if ((err = ms_addrspace_peek(heap->as, ptr + 8 * i, 8 * k, scratch,
					     (const void **)&chunk)))
			return ms_error_prefix(err, "runtime.mheap_.allspans array");
		for (size_t j = 0; j < k && !stop; j++) {
			uint64_t sp = ms_load_u64(chunk + 8 * j);
			struct ms_span s;
			if (!sp)
				continue;
			err = ms_heap_read_span(heap, sp, &s);
			if (err) {
				ms_error_destroy(err);
				skipped++;
				continue;
			}
			if (s.state == MS_SPAN_IN_USE && !span_sane(&s)) {
				skipped++;
				continue;
			}
			stop = fn(arg, &s) != 0;
		}
	}
	if (skipped_ret)
		*skipped_ret = skipped;
	return NULL;
}

struct objects_ctx {
	const struct ms_heap *heap;
	ms_heap_object_fn *fn;
	void *arg;
	struct ms_error *err;
	size_t skipped;
};

static int span_objects_cb(void *arg, const struct ms_span *s)
{
	struct objects_ctx *oc = arg;
	if (s->state != MS_SPAN_IN_USE)
		return 0;
	bool stop = false;
	struct ms_error *err = span_objects(oc->heap, s, oc->fn, oc->arg, &stop);
	if (err == &ms_enomem) {
		oc->err = err;
		return 1;
	}
	if (err) {
		ms_error_destroy(err);
		oc->skipped++;
	}
	return stop;
}

struct ms_error *ms_heap_foreach_object(const struct ms_heap *heap,
					ms_heap_object_fn *fn, void *arg,
					size_t *skipped_ret)
{
	struct objects_ctx oc = { heap, fn, arg, NULL, 0 };
	size_t skipped = 0;
	struct ms_error *err = ms_heap_foreach_span(heap, span_objects_cb, &oc, &skipped);
	if (!err)
		err = oc.err;
	if (skipped_ret)
		*skipped_ret = skipped + oc.skipped;
	return err;
}

struct ms_error *ms_heap_pointer_mask(const struct ms_heap *heap, uint64_t addr,
				      unsigned nwords, uint64_t *ret)
{
	const struct ms_heap_layout *l = &heap->layout;
	if (nwords == 0 || nwords > 64 || (addr & 7))
		return ms_error_create(MS_ERR_USAGE, "pointer mask of %u words at 0x%llx",
				       nwords, (unsigned long long)addr);
	struct ms_heap_lookup lk;
	struct ms_error *err = ms_heap_lookup(heap, addr, &lk);
	if (err)
		return err;
	if (!lk.in_object || !lk.allocated)
		return ms_error_create(MS_ERR_NOT_FOUND, "0x%llx is not in an allocated heap object",
				       (unsigned long long)addr);
	const struct ms_span *s = &lk.span;
	if (s->spanclass & 1) {
		*ret = 0;	// noscan: no pointers at all
		return NULL;
	}
	uint64_t first_bit, bits_addr;
	unsigned per_word;
	if (l->malloc_headers) {
		// Small objects of at most 512 bytes: one bit a word in a
		// bitmap at the end of the span (runtime mspan.heapBits).
		if (s->elemsize > 512 || (s->spanclass >> 1) == 0)
			return ms_error_create(MS_ERR_UNSUPPORTED,
					       "pointer bits of 0x%llx are in its type, not a bitmap",
					       (unsigned long long)addr);
		uint64_t span_bytes = s->npages * page_size;
		bits_addr = s->start + span_bytes - span_bytes / 64;
		// Green Tea keeps its mark bits at the very end of spans of
		// objects of 16 to 512 bytes (runtime spanHeapBitsRange).
		if (s->elemsize >= 16)
			bits_addr -= l->inline_mark_bits_size;
		first_bit = (addr - s->start) / 8;
		per_word = 1;
	} else if (l->arena_bitmap_bits) {
		uint64_t ri = (addr - arena_base_offset) >> log_arena_bytes;
		uint64_t ha;
		if ((err = ms_addrspace_read_u64(heap->as, heap->l2 + 8 * ri, &ha)))
			return err;
		bits_addr = ha + l->arena_bitmap;
		first_bit = (addr & ((UINT64_C(1) << log_arena_bytes) - 1)) / 8;
		per_word = l->arena_bitmap_bits;
	} else {
		return ms_error_create(MS_ERR_UNSUPPORTED, "no heap bitmap layout for this Go version");
	}
	uint64_t mask = 0;
	uint8_t buf[24];
	// 1 bit a word: byte w/8, bit w%8. 2 bits a word (1.19): byte w/4,
	// pointer bit w%4 (the high nibble holds the scan bits).
	unsigned words_per_byte = per_word == 1 ? 8 : 4;
	uint64_t byte0 = first_bit / words_per_byte;
	uint64_t nbytes = (first_bit + nwords + words_per_byte - 1) / words_per_byte - byte0;
	if (nbytes > sizeof(buf))
		return ms_error_create(MS_ERR_USAGE, "pointer mask too wide");
	if ((err = ms_addrspace_read(heap->as, bits_addr + byte0, buf, nbytes)))
		return ms_error_prefix(err, "heap bitmap of 0x%llx", (unsigned long long)addr);
	for (unsigned i = 0; i < nwords; i++) {
		uint64_t w = first_bit + i;
		uint8_t b = buf[w / words_per_byte - byte0];
		if ((b >> (w % words_per_byte)) & 1)
			mask |= UINT64_C(1) << i;
	}
	*ret = mask;
	return NULL;
}
