/* Judging one Go map header: classify every pointer, check the invariants, count live slots. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binbuf.h"
#include "fmt.h"
#include "map_check.h"

enum {
	DEFAULT_MAX_BUCKETS = 1 << 20,
	DEFAULT_MAX_TABLES = 1 << 16,
	SLOTS = 8,		// bucketCnt (classic) and group slots (swiss)
	MIN_TOP_HASH = 5,	// classic: smallest tophash of a full slot
	EVACUATED_X = 2,
	EVACUATED_EMPTY = 4,
	CLASSIC_SAME_SIZE_GROW = 8,
	CLASSIC_FLAG_MASK = 0x0f,
	SWISS_CTRL_EMPTY = 0x80,
	SWISS_CTRL_DELETED = 0xfe,
	SWISS_MAX_TABLE_CAPACITY = 1024,
	// Beyond these a header is corrupt, whatever the count says: 2^40
	// buckets would be terabytes.
	CLASSIC_MAX_B = 40,
	SWISS_MAX_DEPTH = 40,
	HEADER_MAX = 256,
	// Buckets or groups ahead of the one being read that are asked for
	// early: one cache miss each, which the loop does not wait for.
	PREFETCH_GROUPS = 8,
	// Arrays from this size on are read in chunks with read_bulk, or
	// announced with will_read.
	BULK_MIN = 16 << 10,
	// A chunk: within the L2 cache, and under malloc's mmap threshold.
	BULK_CHUNK = 120 << 10,
};

const char *ms_verdict_str(enum ms_verdict v)
{
	static const char *const names[] = {
		[MS_VERDICT_OK] = "ok",
		[MS_VERDICT_NOT_DUMPED] = "not-dumped",
		[MS_VERDICT_CORRUPT] = "corrupt",
		[MS_VERDICT_FOREIGN] = "foreign",
		[MS_VERDICT_FREED] = "freed",
		[MS_VERDICT_DANGLING] = "dangling",
	};
	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}

const char *ms_ptr_class_str(enum ms_ptr_class c)
{
	static const char *const names[] = {
		[MS_PTR_NULL] = "null",
		[MS_PTR_HEAP] = "heap",
		[MS_PTR_HEAP_FREE] = "free heap",
		[MS_PTR_STACK] = "stack",
		[MS_PTR_MODULE] = "module image",
		[MS_PTR_MAPPING] = "other mapping",
		[MS_PTR_NOT_DUMPED] = "not dumped",
		[MS_PTR_UNMAPPED] = "unmapped",
	};
	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}

enum ms_verdict ms_ptr_class_verdict(enum ms_ptr_class c)
{
	switch (c) {
	case MS_PTR_HEAP_FREE:
		return MS_VERDICT_FREED;
	case MS_PTR_MODULE:
	case MS_PTR_MAPPING:
		return MS_VERDICT_FOREIGN;
	case MS_PTR_NOT_DUMPED:
		return MS_VERDICT_NOT_DUMPED;
	case MS_PTR_UNMAPPED:
		return MS_VERDICT_DANGLING;
	default:
		return MS_VERDICT_OK;
	}
}

struct walk {
	const struct ms_map_memory *mem;
	const struct ms_map_shape *shape;
	uint64_t max_buckets, max_tables;
	ms_map_entry_fn *entry_fn;
	void *entry_arg;
	bool entries_stopped;
	struct ms_map_check *c;
	size_t cap_reasons;
	bool nomem;
};

static void add_reason(struct walk *w, enum ms_verdict v, const char *field,
		       uint64_t ptr, enum ms_ptr_class cls, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void add_reason(struct walk *w, enum ms_verdict v, const char *field,
		       uint64_t ptr, enum ms_ptr_class cls, const char *fmt, ...)
{
	struct ms_map_check *c = w->c;
	// A corrupt map could produce a reason per bucket; a handful say it all.
	if (c->n_reasons >= 32) {
		c->truncated = true;
		return;
	}
	if (c->n_reasons == w->cap_reasons) {
		size_t n = w->cap_reasons ? 2 * w->cap_reasons : 4;
		struct ms_map_reason *r = realloc(c->reasons, n * sizeof(*r));
		if (!r) {
			w->nomem = true;
			return;
		}
		c->reasons = r;
		w->cap_reasons = n;
	}
	struct ms_map_reason *r = &c->reasons[c->n_reasons++];
	memset(r, 0, sizeof(*r));
	r->verdict = v;
	snprintf(r->field, sizeof(r->field), "%s", field);
	r->pointer = ptr;
	r->cls = cls;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
	if (v > c->verdict)
		c->verdict = v;
}

/*
 * Judge one pointer that should lead to an allocation of at least @p need
 * bytes (0: unknown) starting exactly at the pointer when @p must_start.
 * @return true when the pointer leads where the runtime puts map memory,
 * so that walking it makes sense.
 */
static bool judge_pointer(struct walk *w, const char *field, uint64_t ptr,
			  uint64_t need, bool must_start)
{
	struct ms_ptr_info pi;
	memset(&pi, 0, sizeof(pi));
	w->mem->classify(w->mem->arg, ptr, &pi);
	enum ms_verdict v = ms_ptr_class_verdict(pi.cls);
	if (v != MS_VERDICT_OK) {
		add_reason(w, v, field, ptr, pi.cls, "%s 0x%" PRIx64 ": %s%s%s",
			   field, ptr, ms_ptr_class_str(pi.cls),
			   pi.where[0] ? ", " : "", pi.where);
		// Whatever lies there is not this map's: do not walk it.
		return false;
	}
	if (pi.cls == MS_PTR_HEAP && pi.object_known) {
		if (must_start && pi.object_base != ptr) {
			add_reason(w, MS_VERDICT_CORRUPT, field, ptr, pi.cls,
				   "%s 0x%" PRIx64 " points 0x%" PRIx64
				   " bytes into the heap object at 0x%" PRIx64,
				   field, ptr, ptr - pi.object_base, pi.object_base);
		} else if (need && pi.object_base + pi.object_size - ptr < need) {
			add_reason(w, MS_VERDICT_CORRUPT, field, ptr, pi.cls,
				   "%s 0x%" PRIx64 ": heap object of %" PRIu64
				   " bytes is too small for %" PRIu64,
				   field, ptr, pi.object_size, need);
		}
	}
	return true;
}

/*
 * Whether judge_pointer() would find nothing to say about @p ptr: the
 * hot path of the overflow walk asks this first, so that the field is
 * named (formatted) only when a reason needs it.
 */
static bool pointer_fine(struct walk *w, uint64_t ptr, uint64_t need)
{
	struct ms_ptr_info pi;
	memset(&pi, 0, sizeof(pi));
	w->mem->classify(w->mem->arg, ptr, &pi);
	if (ms_ptr_class_verdict(pi.cls) != MS_VERDICT_OK)
		return false;
	return !(pi.cls == MS_PTR_HEAP && pi.object_known && need &&
		 pi.object_base + pi.object_size - ptr < need);
}

// Read, turning a fault into a reason. Returns false when unreadable.
static bool read_or_reason(struct walk *w, const char *field, uint64_t addr,
			   void *buf, size_t len)
{
	struct ms_error *err = w->mem->read(w->mem->arg, addr, buf, len);
	if (!err)
		return true;
	if (err == &ms_enomem) {
		w->nomem = true;
		return false;
	}
	enum ms_verdict v = MS_VERDICT_NOT_DUMPED;
	enum ms_ptr_class cls = MS_PTR_NOT_DUMPED;
	if (err->code == MS_ERR_FAULT && err->fault == MS_FAULT_UNMAPPED) {
		v = MS_VERDICT_DANGLING;
		cls = MS_PTR_UNMAPPED;
	}
	add_reason(w, v, field, addr, cls, "cannot read %s at 0x%" PRIx64 ": %s",
		   field, addr, err->message);
	ms_error_destroy(err);
	return false;
}

/*
 * The @p len bytes at @p addr: in place when the memory lends them (no
 * copy), else read into @p buf. NULL when unreadable (the caller then says
 * why with read_or_reason(), naming the field only on that slow path).
 */
static const uint8_t *view(struct walk *w, uint64_t addr, uint8_t *buf,
			   size_t len)
{
	const struct ms_map_memory *m = w->mem;
	if (m->borrow) {
		const uint8_t *p = m->borrow(m->arg, addr, len);
		if (p)
			return p;
	}
	struct ms_error *err = m->read(m->arg, addr, buf, len);
	if (!err)
		return buf;
	ms_error_destroy(err);
	return NULL;
}

/*
 * @p n buckets or groups at @p addr in place, when the memory lends them
 * as one run, else NULL (and each is read on its own).
 */
static const uint8_t *lend_array(struct walk *w, uint64_t addr, uint64_t n)
{
	uint64_t len;
	if (!w->mem->borrow || n > w->max_buckets ||
	    __builtin_mul_overflow(n, w->shape->bucket_size, &len) || len > SIZE_MAX)
		return NULL;
	return w->mem->borrow(w->mem->arg, addr, (size_t)len);
}

/*
 * Every bucket or group of the array of @p n lent as @p arr is about to be
 * read, in order. For a large one: the number to read at a time into a
 * chunk with read_bulk (*chunk_ret allocated for them), or 0 when the
 * memory has no read_bulk (its pages are then announced with will_read).
 * 0 for a small array, read in place.
 */
static uint64_t bulk_chunk(struct walk *w, const uint8_t *arr, uint64_t n,
			   uint8_t **chunk_ret)
{
	size_t bsz = w->shape->bucket_size;
	*chunk_ret = NULL;
	// lend_array checked that n * bsz fits.
	if (!arr || !bsz || n * bsz < BULK_MIN)
		return 0;
	if (!w->mem->read_bulk) {
		if (w->mem->will_read)
			w->mem->will_read(w->mem->arg, arr, n * bsz);
		return 0;
	}
	uint64_t per = BULK_CHUNK / bsz ? BULK_CHUNK / bsz : 1;
	// Without memory for a chunk, the bytes are read in place.
	if (!(*chunk_ret = malloc(per * bsz)))
		return 0;
	return per;
}

/*
 * @p k buckets or groups from index @p i of the array at @p addr, lent as
 * @p arr: read into @p chunk, or in place when that read fails (NULL when
 * it fails and the array is not lent: each is then read on its own).
 */
static const uint8_t *read_chunk(struct walk *w, uint8_t *chunk, const uint8_t *arr,
				 uint64_t addr, uint64_t i, uint64_t k)
{
	size_t bsz = w->shape->bucket_size;
	struct ms_error *err = w->mem->read_bulk(w->mem->arg, addr + i * bsz, chunk, k * bsz);
	if (!err)
		return chunk;
	ms_error_destroy(err);
	return arr ? arr + i * bsz : NULL;
}

/*
 * A large array that is not one dumped run (it spans two segments, or
 * part of it is not in the core): the number of buckets to read at a time
 * with read_bulk, each chunk that reads whole saving a lookup and a
 * mapped page per bucket; 0 to read each on its own.
 */
static uint64_t bulk_chunk_unlent(struct walk *w, uint64_t n, uint8_t **chunk_ret)
{
	size_t bsz = w->shape->bucket_size;
	uint64_t len;
	*chunk_ret = NULL;
	if (!w->mem->read_bulk || !bsz || n > w->max_buckets ||
	    __builtin_mul_overflow(n, bsz, &len) || len < BULK_MIN)
		return 0;
	uint64_t per = BULK_CHUNK / bsz ? BULK_CHUNK / bsz : 1;
	if (!(*chunk_ret = malloc(per * bsz)))
		return 0;
	return per;
}

static void visit_slot(struct walk *w, const uint8_t *bucket, uint64_t base,
		       unsigned slot)
{
	const struct ms_map_shape *s = w->shape;
	if (!w->entry_fn || w->entries_stopped)
		return;
	uint64_t koff = s->key_base + slot * s->key_stride;
	uint64_t eoff = s->elem_base + slot * s->elem_stride;
	uint64_t k = base + koff, e = base + eoff;
	if (s->indirect_key && koff + 8 <= s->bucket_size)
		k = ms_load_u64(bucket + koff);
	if (s->indirect_elem && eoff + 8 <= s->bucket_size)
		e = ms_load_u64(bucket + eoff);
	if (w->entry_fn(w->entry_arg, k, e))
		w->entries_stopped = true;
}

static bool budget(struct walk *w)
{
	if (w->c->buckets_read >= w->max_buckets) {
		w->c->truncated = true;
		return false;
	}
	w->c->buckets_read++;
	return true;
}

/*
 * Walk one classic bucket chain starting at @p addr; count live slots.
 * @p old: these are oldbuckets (evacuated marks are legal).
 * @return false when the walk could not complete.
 */
// The name of bucket @p index (or its overflow link @p depth) for reasons;
// formatted only when a reason needs it, not for every bucket walked.
static const char *chain_field(char *buf, size_t size, const char *what,
			       uint64_t index, unsigned depth)
{
	if (depth == 0)
		snprintf(buf, size, "%s[%" PRIu64 "]", what, index);
	else
		snprintf(buf, size, "%s[%" PRIu64 "].overflow#%u", what, index, depth);
	return buf;
}

// The overflow link of the bucket at @p addr; false when unreadable.
static bool overflow_link(struct walk *w, uint64_t addr, uint64_t *ret)
{
	uint8_t x[8];
	struct ms_error *err = w->mem->read(w->mem->arg, addr + w->shape->overflow_off, x, 8);
	if (err) {
		ms_error_destroy(err);
		return false;
	}
	*ret = ms_load_u64(x);
	return true;
}

/*
 * Whether the overflow links from @p start loop, following at most
 * @p max_links of them and reading only the link words (Brent's algorithm:
 * constant memory). *distinct_ret is then how many buckets the chain
 * holds before it comes back (tail plus period).
 */
static bool chain_loops(struct walk *w, uint64_t start, uint64_t max_links,
			uint64_t *distinct_ret)
{
	uint64_t saved = start, addr = start, power = 1, period = 0;
	for (uint64_t i = 0; i < max_links; i++) {
		if (!overflow_link(w, addr, &addr) || !addr)
			return false;
		period++;
		if (addr == saved)
			break;
		if (period == power) {
			saved = addr;
			power *= 2;
			period = 0;
		}
		if (i + 1 == max_links)
			return false;
	}
	// The tail: one pointer period links ahead, then both until they meet.
	uint64_t a = start, b = start, tail = 0;
	for (uint64_t i = 0; i < period; i++)
		if (!overflow_link(w, b, &b))
			return false;
	while (a != b && tail < max_links) {
		if (!overflow_link(w, a, &a) || !overflow_link(w, b, &b))
			return false;
		tail++;
	}
	*distinct_ret = tail + period;
	return true;
}

// Report the loop of chain @p index and say so; false when it has none.
static bool report_loop(struct walk *w, uint64_t start, const char *what,
			uint64_t index, uint64_t addr, uint64_t max_links)
{
	uint64_t len;
	if (!chain_loops(w, start, max_links, &len))
		return false;
	char field[64];
	snprintf(field, sizeof(field), "%s[%" PRIu64 "].overflow", what, index);
	add_reason(w, MS_VERDICT_CORRUPT, field, addr, MS_PTR_NULL,
		   "overflow chain of %s %" PRIu64 " loops after %" PRIu64 " bucket%s",
		   what, index, len, len == 1 ? "" : "s");
	return true;
}

// 0x80 in each zero byte of x, 0 elsewhere.
static uint64_t zero_bytes(uint64_t x)
{
	const uint64_t low7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
	return ~(((x & low7) + low7) | x | low7);
}

// The full slots of a control word that needs no reason: a full slot's
// control byte has its top bit clear.
static unsigned full_slots(uint64_t ctrl, uint8_t *mask_ret)
{
	uint64_t top = ~ctrl & UINT64_C(0x8080808080808080);
	// Gather the eight top bits into one byte (bit i: slot i).
	*mask_ret = (uint8_t)(((top >> 7) * UINT64_C(0x0102040810204080)) >> 56);
	// At most one bit per byte: the sum of the bytes, gathered in the top
	// byte by one multiply (no popcount instruction on baseline x86-64).
	return (unsigned)(((top >> 7) * UINT64_C(0x0101010101010101)) >> 56);
}

// 0x80 in each byte of x that is at least k (1 <= k <= 0x7f), 0 elsewhere.
static uint64_t bytes_at_least(uint64_t x, uint8_t k)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	const uint64_t low7 = 0x7f * ones;
	return (((x & low7) + (0x80 - k) * ones) | x) & (0x80 * ones);
}

/*
 * The eight tophash bytes of a classic bucket at once: false when one
 * needs a reason (a full slot after an emptyRest one; an evacuation mark
 * in a current bucket), which the byte-by-byte walk then gives. Else
 * *full_ret has 0x80 in the byte of each full slot.
 */
static inline bool tophash_fine(uint64_t tops, bool old, uint64_t *full_ret)
{
	uint64_t full = bytes_at_least(tops, MIN_TOP_HASH);
	uint64_t zero = zero_bytes(tops);
	// Every byte above the first emptyRest (slot order is byte order:
	// little-endian) must not be full.
	if (zero && (full & ~(((zero & -zero) << 1) - 1)))
		return false;
	if (!old && (bytes_at_least(tops, EVACUATED_X) & ~full))
		return false;
	*full_ret = full;
	return true;
}

// How many bytes of @p x have 0x80 set (all other bits clear).
static inline unsigned count_top_bits(uint64_t x)
{
	// The sum of the bytes, gathered in the top byte by one multiply
	// (no popcount instruction on baseline x86-64).
	return (unsigned)(((x >> 7) * UINT64_C(0x0101010101010101)) >> 56);
}

/*
 * Walk one classic bucket chain: bucket @p index of the array of @p n
 * buckets at @p array (its bytes lent in place as @p lent, or NULL), then
 * its overflow links; count live slots.
 * @p old: these are oldbuckets (evacuated marks are legal).
 * Overflow links that lead back into the chain (a cycle, found with
 * Brent's algorithm in constant memory) or into the bucket array itself
 * (the runtime puts overflow buckets after the 2^B array, never in it)
 * make the map corrupt and end the chain.
 * @return false when the walk could not complete.
 */
static bool walk_chain(struct walk *w, uint8_t *buf, const uint8_t *lent,
		       uint64_t array, uint64_t n, const char *what, uint64_t index,
		       bool old)
{
	const struct ms_map_shape *s = w->shape;
	char field[64];
	uint64_t addr = array + index * s->bucket_size;
	uint64_t start = addr;
	// Brent: the saved bucket, and the steps since it was saved.
	uint64_t saved = addr, power = 1, lam = 0;
#define FIELD() chain_field(field, sizeof(field), what, index, depth)
	for (unsigned depth = 0; addr; depth++) {
		if (depth > 0) {
			lam++;
			if (addr == saved) {
				if (!report_loop(w, start, what, index, addr, 2 * (uint64_t)depth + 2))
					add_reason(w, MS_VERDICT_CORRUPT, FIELD(), addr, MS_PTR_NULL,
						   "overflow chain of %s %" PRIu64 " loops",
						   what, index);
				return false;
			}
			if (lam == power) {
				saved = addr;
				power *= 2;
				lam = 0;
			}
			if (addr >= array && addr - array < n * s->bucket_size) {
				// Often the start of a loop through the array: say so.
				if (!report_loop(w, start, what, index, addr, w->max_buckets)) {
					FIELD();
					add_reason(w, MS_VERDICT_CORRUPT, field, addr, MS_PTR_NULL,
						   "%s: overflow 0x%" PRIx64 " points into the %s array (%s %" PRIu64 ")",
						   field, addr, what, what,
						   (addr - array) / s->bucket_size);
				}
				return false;
			}
		}
		if (!budget(w))
			return false;
		if (depth > 0 && !pointer_fine(w, addr, s->bucket_size) &&
		    !judge_pointer(w, FIELD(), addr, s->bucket_size, false))
			return false;
		const uint8_t *b = depth == 0 && lent ? lent : view(w, addr, buf, s->bucket_size);
		if (!b) {
			if (!read_or_reason(w, FIELD(), addr, buf, s->bucket_size))
				return false;
			b = buf;
		}
		uint64_t full;
		if (tophash_fine(ms_load_u64(b), old, &full)) {
			w->c->live += count_top_bits(full);
			if (w->entry_fn)
				for (unsigned i = 0; i < SLOTS; i++)
					if (full & (UINT64_C(0x80) << 8 * i))
						visit_slot(w, b, addr, i);
			addr = ms_load_u64(b + s->overflow_off);
			continue;
		}
		bool seen_empty_rest = false;
		for (unsigned i = 0; i < SLOTS; i++) {
			uint8_t top = b[i];
			if (top == 0) {
				seen_empty_rest = true;
				continue;
			}
			if (seen_empty_rest && top >= MIN_TOP_HASH) {
				FIELD();
				add_reason(w, MS_VERDICT_CORRUPT, field, addr, MS_PTR_NULL,
					   "%s: slot %u is full after an emptyRest slot",
					   field, i);
			}
			if (!old && top >= EVACUATED_X && top <= EVACUATED_EMPTY) {
				FIELD();
				add_reason(w, MS_VERDICT_CORRUPT, field, addr, MS_PTR_NULL,
					   "%s: slot %u has evacuation mark %u in a current bucket",
					   field, i, top);
			}
			if (top >= MIN_TOP_HASH) {
				w->c->live++;
				visit_slot(w, b, addr, i);
			}
		}
		addr = ms_load_u64(b + s->overflow_off);
	}
#undef FIELD
	return true;
}

static bool walk_bucket_array(struct walk *w, uint64_t array, uint64_t n,
			      const char *what, bool old)
{
	const struct ms_map_shape *s = w->shape;
	uint8_t *buf = malloc(s->bucket_size);
	if (!buf) {
		w->nomem = true;
		return false;
	}
	bool complete = true;
	// The array in place when it is one dumped run (overflow buckets are
	// elsewhere and looked up one by one); a large one copied in chunks,
	// also when it is not one run.
	const uint8_t *arr = lend_array(w, array, n);
	uint8_t *chunk;
	uint64_t per = arr ? bulk_chunk(w, arr, n, &chunk) : bulk_chunk_unlent(w, n, &chunk);
	const uint8_t *base = NULL;
	uint64_t in_chunk = 0;	// index of bucket i in its chunk
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *lent = NULL;
		if (per) {
			if (i == 0 || ++in_chunk == per) {
				in_chunk = 0;
				base = read_chunk(w, chunk, arr, array, i,
						  n - i < per ? n - i : per);
			}
			if (base)
				lent = base + in_chunk * s->bucket_size;
		} else if (arr) {
			if (i + PREFETCH_GROUPS < n)
				__builtin_prefetch(arr + (i + PREFETCH_GROUPS) * s->bucket_size);
			lent = arr + i * s->bucket_size;
		}
		// The common case here, as walk_chain() would walk it: a bucket
		// in place without overflow whose tophash needs no reason, within
		// the budget, nobody asking for entries.
		uint64_t full;
		if (lent && !w->entry_fn && w->c->buckets_read < w->max_buckets &&
		    !ms_load_u64(lent + s->overflow_off) &&
		    tophash_fine(ms_load_u64(lent), old, &full)) {
			w->c->buckets_read++;
			w->c->live += count_top_bits(full);
			continue;
		}
		if (!walk_chain(w, buf, lent, array, n, what, i, old)) {
			complete = false;
			// An unreadable array stays unreadable: one reason is enough.
			if (i == 0 || w->c->truncated)
				break;
		}
	}
	free(buf);
	free(chunk);
	return complete;
}

static void check_classic(struct walk *w, const uint8_t *h, uint64_t header)
{
	const struct ms_map_shape *s = w->shape;
	struct ms_map_check *c = w->c;
	struct ms_map_header *d = &c->hdr;
	d->count = ms_load_u64(h + s->hmap.count);
	d->flags = h[s->hmap.flags];
	d->B = h[s->hmap.B];
	d->noverflow = ms_load_u16(h + s->hmap.noverflow);
	d->hash0 = ms_load_u32(h + s->hmap.hash0);
	d->buckets = ms_load_u64(h + s->hmap.buckets);
	d->oldbuckets = ms_load_u64(h + s->hmap.oldbuckets);
	d->nevacuate = ms_load_u64(h + s->hmap.nevacuate);
	d->extra = ms_load_u64(h + s->hmap.extra);

	bool sane = true;
	if (d->flags & ~CLASSIC_FLAG_MASK) {
		add_reason(w, MS_VERDICT_CORRUPT, "flags", 0, MS_PTR_NULL,
			   "flags 0x%x has bits the runtime never sets", d->flags);
	}
	if (d->B > CLASSIC_MAX_B) {
		add_reason(w, MS_VERDICT_CORRUPT, "B", 0, MS_PTR_NULL,
			   "B %u would mean 2^%u buckets", d->B, d->B);
		sane = false;
	}
	if ((int64_t)d->count < 0) {
		add_reason(w, MS_VERDICT_CORRUPT, "count", 0, MS_PTR_NULL,
			   "count %" PRId64 " is negative", (int64_t)d->count);
		sane = false;
	}
	if (!sane)
		return;
	uint64_t nb = UINT64_C(1) << d->B;
	// The runtime grows before count exceeds 6.5 entries per bucket, and
	// a map with more than 8 entries has at least 2 buckets.
	if (d->count > SLOTS && d->count > 13 * (nb / 2) + 1) {
		add_reason(w, MS_VERDICT_CORRUPT, "count", 0, MS_PTR_NULL,
			   "count %" PRIu64 " is more than 6.5 per bucket for B %u",
			   d->count, d->B);
	}
	if (d->nevacuate > nb) {
		add_reason(w, MS_VERDICT_CORRUPT, "nevacuate", 0, MS_PTR_NULL,
			   "nevacuate %" PRIu64 " > 2^B = %" PRIu64, d->nevacuate, nb);
	}
	uint64_t nold = 0;
	if (d->oldbuckets)
		nold = (d->flags & CLASSIC_SAME_SIZE_GROW) ? nb : nb / 2;
	if (d->oldbuckets && nold == 0) {
		add_reason(w, MS_VERDICT_CORRUPT, "oldbuckets", d->oldbuckets,
			   MS_PTR_NULL, "oldbuckets set while B is 0");
	}

	bool complete = true;
	uint64_t bsz = s->typed ? s->bucket_size : 0;
	if (!d->buckets) {
		// Buckets are allocated lazily on the first insert.
		if (d->count || d->B || d->oldbuckets)
			add_reason(w, MS_VERDICT_CORRUPT, "buckets", 0, MS_PTR_NULL,
				   "buckets is nil with count %" PRIu64 " and B %u",
				   d->count, d->B);
	} else if (!judge_pointer(w, "buckets", d->buckets, nb * bsz, true)) {
		complete = false;
	} else if (s->typed) {
		complete &= walk_bucket_array(w, d->buckets, nb, "bucket", false);
	}
	if (d->oldbuckets && nold) {
		if (!judge_pointer(w, "oldbuckets", d->oldbuckets, nold * bsz, true))
			complete = false;
		else if (s->typed)
			complete &= walk_bucket_array(w, d->oldbuckets, nold,
						      "oldbucket", true);
	}
	if (d->extra && judge_pointer(w, "extra", d->extra, 24, true)) {
		uint8_t x[24];
		if (read_or_reason(w, "extra", d->extra, x, sizeof(x))) {
			static const char *const names[] = { "extra.overflow",
							     "extra.oldoverflow",
							     "extra.nextOverflow" };
			uint32_t offs[] = { s->hmap.x_overflow, s->hmap.x_oldoverflow,
					    s->hmap.x_nextoverflow };
			for (int i = 0; i < 3; i++) {
				uint64_t p = offs[i] + 8 <= sizeof(x) ? ms_load_u64(x + offs[i]) : 0;
				// nextOverflow points inside the bucket array.
				if (p)
					judge_pointer(w, names[i], p, 0, i < 2);
			}
		}
	}
	c->live_complete = s->typed && complete && !c->truncated;
	if (c->live_complete && c->live != d->count) {
		add_reason(w, MS_VERDICT_CORRUPT, "count", 0, MS_PTR_NULL,
			   "count %" PRIu64 " but %" PRIu64 " live slots%s",
			   d->count, c->live,
			   (d->flags & 4) ? " (a goroutine was writing the map)" : "");
	}
}

static unsigned count_full_ctrl(struct walk *w, uint64_t ctrl, const char *field,
				uint64_t addr, bool small, uint8_t *full_mask)
{
	unsigned full = 0;
	*full_mask = 0;
	for (unsigned i = 0; i < SLOTS; i++) {
		uint8_t b = (uint8_t)(ctrl >> (8 * i));
		if (!(b & 0x80)) {
			full++;
			*full_mask |= (uint8_t)(1u << i);
		} else if (b == SWISS_CTRL_DELETED && small) {
			add_reason(w, MS_VERDICT_CORRUPT, field, addr, MS_PTR_NULL,
				   "%s: small map group has a tombstone in slot %u",
				   field, i);
		} else if (b != SWISS_CTRL_EMPTY && b != SWISS_CTRL_DELETED) {
			add_reason(w, MS_VERDICT_CORRUPT, field, addr, MS_PTR_NULL,
				   "%s: control byte 0x%02x of slot %u is neither full, empty nor deleted",
				   field, b, i);
		}
	}
	return full;
}

// Read one swiss group and count its full slots; false if unreadable.
// True when a control word has a byte that needs a reason (not full,
// empty or, outside small maps, deleted): the slow path names the group.
// 0x80 in each byte of @p x that is zero, 0 in the others (exact: no
// carry from one byte reaches the next).
static bool ctrl_suspect(uint64_t ctrl, bool small)
{
	// All eight bytes at once: a byte with its top bit set must be
	// empty, or deleted outside small maps.
	const uint64_t ones = UINT64_C(0x0101010101010101);
	uint64_t bad = ctrl & (0x80 * ones);
	bad &= ~zero_bytes(ctrl ^ (SWISS_CTRL_EMPTY * ones));
	if (!small)
		bad &= ~zero_bytes(ctrl ^ (SWISS_CTRL_DELETED * ones));
	return bad != 0;
}

/*
 * Read one swiss group and count its full slots; false if unreadable. The
 * group is named @p prefix, or "@p prefix[@p gi]" when @p gi is not
 * UINT64_MAX, formatted only when a reason needs the name.
 */
static bool walk_group(struct walk *w, uint8_t *buf, const uint8_t *lent,
		       uint64_t addr, const char *prefix, uint64_t gi, bool small,
		       unsigned *full_ret)
{
	char f[112];
	const char *field = prefix;
	if (!budget(w))
		return false;
	const uint8_t *b = lent ? lent : view(w, addr, buf, w->shape->bucket_size);
	if (!b) {
		if (gi != UINT64_MAX) {
			snprintf(f, sizeof(f), "%s[%" PRIu64 "]", prefix, gi);
			field = f;
		}
		if (!read_or_reason(w, field, addr, buf, w->shape->bucket_size))
			return false;
		b = buf;
	}
	uint64_t ctrl = ms_load_u64(b);
	bool suspect = ctrl_suspect(ctrl, small);
	if (suspect && gi != UINT64_MAX && field == prefix) {
		snprintf(f, sizeof(f), "%s[%" PRIu64 "]", prefix, gi);
		field = f;
	}
	uint8_t mask;
	if (suspect)
		*full_ret = count_full_ctrl(w, ctrl, field, addr, small, &mask);
	else
		*full_ret = full_slots(ctrl, &mask);
	w->c->live += *full_ret;
	if (w->entry_fn && !w->entries_stopped)
		for (unsigned i = 0; i < SLOTS; i++)
			if (mask & (1u << i))
				visit_slot(w, b, addr, i);
	return true;
}

/*
 * Check one table and walk its groups.
 * @return false when the table header could not be read; *used_ret and
 * *depth_ret are set otherwise. *groups_done says every group was read.
 */
static bool check_table(struct walk *w, uint8_t *gbuf, uint64_t taddr,
			uint64_t i, uint8_t global_depth, uint64_t *used_ret,
			uint8_t *depth_ret, bool *groups_done)
{
	const struct ms_map_shape *s = w->shape;
	char field[64];
	ms_fmt_indexed(field, sizeof(field), "table", i, "");
	uint8_t t[HEADER_MAX];
	if (s->swiss.table_size > sizeof(t) ||
	    !read_or_reason(w, field, taddr, t, s->swiss.table_size))
		return false;
	uint16_t used = ms_load_u16(t + s->swiss.t_used);
	uint16_t cap = ms_load_u16(t + s->swiss.t_capacity);
	uint8_t local_depth = t[s->swiss.t_local_depth];
	int64_t index = (int64_t)ms_load_u64(t + s->swiss.t_index);
	uint64_t groups = ms_load_u64(t + s->swiss.t_groups_data);
	uint64_t mask = ms_load_u64(t + s->swiss.t_groups_mask);
	*used_ret = used;
	*depth_ret = local_depth;
	*groups_done = false;
	if (index != (int64_t)i) {
		add_reason(w, MS_VERDICT_CORRUPT, field, taddr, MS_PTR_NULL,
			   "%s: index %" PRId64 " but first seen at directory slot %" PRIu64,
			   field, index, i);
	}
	if (local_depth > global_depth) {
		add_reason(w, MS_VERDICT_CORRUPT, field, taddr, MS_PTR_NULL,
			   "%s: localDepth %u > globalDepth %u", field, local_depth,
			   global_depth);
	}
	if (mask >= SWISS_MAX_TABLE_CAPACITY / SLOTS ||
	    (uint64_t)cap != SLOTS * (mask + 1)) {
		add_reason(w, MS_VERDICT_CORRUPT, field, taddr, MS_PTR_NULL,
			   "%s: capacity %u != 8 * (lengthMask %" PRIu64 " + 1)",
			   field, cap, mask);
		return true;
	}
	if (used > cap) {
		add_reason(w, MS_VERDICT_CORRUPT, field, taddr, MS_PTR_NULL,
			   "%s: used %u > capacity %u", field, used, cap);
	}
	char gfield[80];
	ms_fmt_indexed(gfield, sizeof(gfield), "table", i, ".groups");
	uint64_t ngroups = mask + 1;
	uint64_t need = s->typed ? ngroups * s->bucket_size : 0;
	if (!judge_pointer(w, gfield, groups, need, true) || !s->typed)
		return true;
	uint64_t full = 0;
	// The whole group array in place when it is one dumped run: one
	// lookup for the table, then the groups in address order.
	const uint8_t *arr = lend_array(w, groups, ngroups);
	uint64_t g = 0;
	if (arr && !w->entry_fn && w->c->buckets_read + ngroups <= w->max_buckets) {
		// The common case in a tight loop: the whole array in place
		// (a large one copied in chunks), within the budget, nobody
		// asking for entries. A control word that needs a reason
		// takes the slow path.
		uint8_t *chunk;
		uint64_t per = bulk_chunk(w, arr, ngroups, &chunk);
		if (!per)
			per = ngroups;
		for (uint64_t c0 = 0; c0 < ngroups; c0 += per) {
			uint64_t k = ngroups - c0 < per ? ngroups - c0 : per;
			const uint8_t *base = chunk ? read_chunk(w, chunk, arr, groups, c0, k)
						    : arr + c0 * s->bucket_size;
			for (uint64_t j = 0; j < k; j++, g++) {
				const uint8_t *b = base + j * s->bucket_size;
				if (j + PREFETCH_GROUPS < k)
					__builtin_prefetch(b + PREFETCH_GROUPS * s->bucket_size);
				uint64_t ctrl = ms_load_u64(b);
				unsigned n;
				if (ctrl_suspect(ctrl, false)) {
					walk_group(w, gbuf, b, groups + g * s->bucket_size,
						   gfield, g, false, &n);
				} else {
					uint8_t slots;
					n = full_slots(ctrl, &slots);
					w->c->buckets_read++;
					w->c->live += n;
				}
				full += n;
			}
		}
		free(chunk);
	}
	for (; g < ngroups; g++) {
		unsigned n;
		if (!walk_group(w, gbuf, arr ? arr + g * s->bucket_size : NULL,
				groups + g * s->bucket_size, gfield, g, false, &n))
			return true;
		full += n;
	}
	*groups_done = true;
	if (full != used) {
		add_reason(w, MS_VERDICT_CORRUPT, field, taddr, MS_PTR_NULL,
			   "%s: used %u but %" PRIu64 " full slots", field, used, full);
	}
	return true;
}

static void check_swiss(struct walk *w, const uint8_t *h, uint64_t header)
{
	const struct ms_map_shape *s = w->shape;
	struct ms_map_check *c = w->c;
	struct ms_map_header *d = &c->hdr;
	d->count = ms_load_u64(h + s->swiss.used);
	d->seed = ms_load_u64(h + s->swiss.seed);
	d->dir_ptr = ms_load_u64(h + s->swiss.dir_ptr);
	d->dir_len = ms_load_u64(h + s->swiss.dir_len);
	d->global_depth = h[s->swiss.global_depth];
	d->global_shift = h[s->swiss.global_shift];
	d->writing = h[s->swiss.writing];

	if (d->writing > 1)
		add_reason(w, MS_VERDICT_CORRUPT, "writing", 0, MS_PTR_NULL,
			   "writing flag is %u, not 0 or 1", d->writing);
	uint8_t *gbuf = NULL;
	if (s->typed && !(gbuf = malloc(s->bucket_size))) {
		w->nomem = true;
		return;
	}
	bool complete = s->typed;
	if (d->dir_len == 0) {
		if (!d->dir_ptr) {
			if (d->count)
				add_reason(w, MS_VERDICT_CORRUPT, "dirPtr", 0, MS_PTR_NULL,
					   "dirPtr is nil with used %" PRIu64, d->count);
		} else {
			if (d->count > SLOTS)
				add_reason(w, MS_VERDICT_CORRUPT, "used", 0, MS_PTR_NULL,
					   "small map (dirLen 0) with used %" PRIu64 " > 8",
					   d->count);
			if (d->global_depth != 0)
				add_reason(w, MS_VERDICT_CORRUPT, "globalDepth", 0, MS_PTR_NULL,
					   "small map (dirLen 0) with globalDepth %u",
					   d->global_depth);
			unsigned full;
			if (judge_pointer(w, "dirPtr", d->dir_ptr,
					  s->typed ? s->bucket_size : 0, true) && s->typed) {
				if (!walk_group(w, gbuf, NULL, d->dir_ptr, "group", UINT64_MAX, true, &full))
					complete = false;
			} else {
				complete = false;
			}
		}
		goto out;
	}
	if ((int64_t)d->dir_len < 0 || (d->dir_len & (d->dir_len - 1)) ||
	    d->global_depth > SWISS_MAX_DEPTH ||
	    d->dir_len != UINT64_C(1) << d->global_depth) {
		add_reason(w, MS_VERDICT_CORRUPT, "dirLen", 0, MS_PTR_NULL,
			   "dirLen %" PRId64 " is not 1 << globalDepth %u",
			   (int64_t)d->dir_len, d->global_depth);
		complete = false;
		goto out;
	}
	if (d->global_shift != 64 - d->global_depth)
		add_reason(w, MS_VERDICT_CORRUPT, "globalShift", 0, MS_PTR_NULL,
			   "globalShift %u != 64 - globalDepth %u", d->global_shift,
			   d->global_depth);
	if (!judge_pointer(w, "dirPtr", d->dir_ptr, 8 * d->dir_len, true)) {
		complete = false;
		goto out;
	}
	uint64_t n = d->dir_len;
	if (n > w->max_tables) {
		n = w->max_tables;
		c->truncated = true;
		complete = false;
	}
	uint64_t prev = 0, run = 0, run_start = 0, run_depth = 0, total = 0;
	bool run_valid = false, tables_read = true;
	for (uint64_t i = 0; i <= n; i++) {
		uint64_t t = 0;
		if (i < n) {
			uint8_t b8[8];
			const uint8_t *b = view(w, d->dir_ptr + 8 * i, b8, 8);
			if (!b && !read_or_reason(w, "directory", d->dir_ptr + 8 * i, b8, 8)) {
				complete = false;
				tables_read = false;
				break;
			}
			t = ms_load_u64(b ? b : b8);
			if (t == prev && i > 0) {
				run++;
				continue;
			}
		}
		// Close the run of entries that pointed at the previous table.
		if (i > 0 && run_valid) {
			uint64_t want = UINT64_C(1) << (d->global_depth - run_depth);
			if (run != want)
				add_reason(w, MS_VERDICT_CORRUPT, "directory", prev,
					   MS_PTR_NULL,
					   "table[%" PRIu64 "] fills %" PRIu64
					   " directory slots, localDepth says %" PRIu64,
					   run_start, run, want);
		}
		if (i == n)
			break;
		prev = t;
		run = 1;
		run_start = i;
		run_valid = false;
		char field[64];
		ms_fmt_indexed(field, sizeof(field), "directory", i, "");
		if (!t) {
			add_reason(w, MS_VERDICT_CORRUPT, field, 0, MS_PTR_NULL,
				   "%s is a nil table", field);
			complete = false;
			tables_read = false;
			continue;
		}
		c->tables++;
		if (!judge_pointer(w, field, t, s->swiss.table_size, true)) {
			complete = false;
			tables_read = false;
			continue;
		}
		uint64_t used = 0;
		uint8_t depth = 0;
		bool groups_done = false;
		if (!check_table(w, gbuf, t, i, d->global_depth, &used, &depth,
				 &groups_done)) {
			tables_read = false;
			continue;
		}
		run_depth = depth;
		run_valid = depth <= d->global_depth;
		complete &= groups_done;
		total += used;
		if (c->truncated) {
			complete = false;
			break;
		}
	}
	if (tables_read && !c->truncated && total != d->count)
		add_reason(w, MS_VERDICT_CORRUPT, "used", 0, MS_PTR_NULL,
			   "used %" PRIu64 " but the tables' used add up to %" PRIu64,
			   d->count, total);
out:
	free(gbuf);
	c->live_complete = complete && !c->truncated;
	if (d->dir_len == 0 && c->live_complete && c->live != d->count)
		add_reason(w, MS_VERDICT_CORRUPT, "used", 0, MS_PTR_NULL,
			   "used %" PRIu64 " but the group has %" PRIu64 " full slots",
			   d->count, c->live);
}

/*
 * Whether every offset of @p s lies inside the bytes it is read from: a
 * layout comes from DWARF, which may be damaged (found by fuzz-map: an
 * overflow offset past the bucket read 8 bytes beyond the bucket buffer).
 */
static bool fits(uint64_t off, uint64_t width, uint64_t size)
{
	return off + width <= size;
}

static bool shape_usable(const struct ms_map_shape *s)
{
	if (s->header_size == 0 || s->header_size > HEADER_MAX)
		return false;
	if (s->typed && (s->bucket_size < 16 || s->bucket_size > (1u << 20)))
		return false;
	uint64_t h = s->header_size;
	if (s->impl == MS_MAP_CLASSIC)
		return fits(s->hmap.count, 8, h) && fits(s->hmap.flags, 1, h) &&
		       fits(s->hmap.B, 1, h) && fits(s->hmap.noverflow, 2, h) &&
		       fits(s->hmap.hash0, 4, h) && fits(s->hmap.buckets, 8, h) &&
		       fits(s->hmap.oldbuckets, 8, h) && fits(s->hmap.nevacuate, 8, h) &&
		       fits(s->hmap.extra, 8, h) &&
		       (!s->typed || fits(s->overflow_off, 8, s->bucket_size));
	uint64_t t = s->swiss.table_size;
	return fits(s->swiss.used, 8, h) && fits(s->swiss.seed, 8, h) &&
	       fits(s->swiss.dir_ptr, 8, h) && fits(s->swiss.dir_len, 8, h) &&
	       fits(s->swiss.global_depth, 1, h) && fits(s->swiss.global_shift, 1, h) &&
	       fits(s->swiss.writing, 1, h) && t <= HEADER_MAX &&
	       fits(s->swiss.t_used, 2, t) && fits(s->swiss.t_capacity, 2, t) &&
	       fits(s->swiss.t_growth_left, 2, t) && fits(s->swiss.t_local_depth, 1, t) &&
	       fits(s->swiss.t_index, 8, t) && fits(s->swiss.t_groups_data, 8, t) &&
	       fits(s->swiss.t_groups_mask, 8, t);
}

struct ms_error *ms_map_check(const struct ms_map_memory *mem,
			      const struct ms_map_shape *shape,
			      const struct ms_map_limits *limits,
			      uint64_t header, ms_map_entry_fn *entry_fn,
			      void *entry_arg, struct ms_map_check *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (!shape_usable(shape))
		return ms_error_create(MS_ERR_USAGE, "map layout is unusable: header %" PRIu64
				       " bytes, bucket %" PRIu64 " bytes, or a field outside them",
				       shape->header_size, shape->bucket_size);
	struct walk w = {
		.mem = mem,
		.shape = shape,
		.max_buckets = limits && limits->max_buckets ? limits->max_buckets
							     : DEFAULT_MAX_BUCKETS,
		.max_tables = limits && limits->max_tables ? limits->max_tables
							   : DEFAULT_MAX_TABLES,
		.entry_fn = entry_fn,
		.entry_arg = entry_arg,
		.c = ret,
	};
	uint8_t h[HEADER_MAX];
	if (read_or_reason(&w, "header", header, h, shape->header_size)) {
		ret->header_read = true;
		if (shape->impl == MS_MAP_CLASSIC)
			check_classic(&w, h, header);
		else
			check_swiss(&w, h, header);
	}
	if (w.nomem) {
		ms_map_check_deinit(ret);
		return &ms_enomem;
	}
	return NULL;
}

void ms_map_check_deinit(struct ms_map_check *c)
{
	free(c->reasons);
	c->reasons = NULL;
	c->n_reasons = 0;
}

/*
 * Score a pointer field of a candidate header: a heap object start is what
 * the runtime writes; a pointer into the middle of an in-use object is
 * something else's data (-1: not a map); an unmapped, freed or foreign
 * pointer is plausible damage, the very thing the scan hunts.
 */
static int pointer_score(const struct ms_map_memory *mem, uint64_t p)
{
	struct ms_ptr_info pi;
	memset(&pi, 0, sizeof(pi));
	mem->classify(mem->arg, p, &pi);
	switch (pi.cls) {
	case MS_PTR_HEAP:
		if (!pi.object_known || pi.object_base == p)
			return 3;
		return -1;
	case MS_PTR_STACK:
		return 2;
	case MS_PTR_NULL:
		return 0;
	default:
		return 1;
	}
}

int ms_map_header_confidence(const struct ms_map_memory *mem,
			     const struct ms_map_shape *s, const uint8_t *h)
{
	if (!shape_usable(s))
		return 0;
	if (s->impl == MS_MAP_CLASSIC) {
		uint64_t count = ms_load_u64(h + s->hmap.count);
		uint8_t flags = h[s->hmap.flags], B = h[s->hmap.B];
		uint32_t hash0 = ms_load_u32(h + s->hmap.hash0);
		uint64_t buckets = ms_load_u64(h + s->hmap.buckets);
		uint64_t oldb = ms_load_u64(h + s->hmap.oldbuckets);
		uint64_t nev = ms_load_u64(h + s->hmap.nevacuate);
		uint64_t extra = ms_load_u64(h + s->hmap.extra);
		// hash0 is fastrand(): zero once in 2^32 maps.
		if ((flags & ~CLASSIC_FLAG_MASK) || B > CLASSIC_MAX_B || !hash0 ||
		    count > (UINT64_C(1) << 40) || nev > (UINT64_C(1) << B))
			return 0;
		if (count > SLOTS && count > 13 * ((UINT64_C(1) << B) / 2) + 1)
			return 0;
		if (!buckets)
			return (count == 0 && B == 0 && !oldb && !nev && !extra) ? 30 : 0;
		if (oldb && B == 0)
			return 0;
		int pb = pointer_score(mem, buckets);
		int po = oldb ? pointer_score(mem, oldb) : 0;
		int px = extra ? pointer_score(mem, extra) : 0;
		if (pb < 0 || po < 0 || px < 0)
			return 0;
		int score = 50 + 10 * pb + 3 * po + 3 * px;
		return score > 100 ? 100 : score;
	}
	uint64_t used = ms_load_u64(h + s->swiss.used);
	uint64_t seed = ms_load_u64(h + s->swiss.seed);
	uint64_t dir = ms_load_u64(h + s->swiss.dir_ptr);
	int64_t dlen = (int64_t)ms_load_u64(h + s->swiss.dir_len);
	uint8_t depth = h[s->swiss.global_depth], shift = h[s->swiss.global_shift];
	uint8_t writing = h[s->swiss.writing];
	// The seed is rand(): zero once in 2^64 maps.
	if (writing > 1 || !seed || used > (UINT64_C(1) << 40) || dlen < 0)
		return 0;
	int pd = dir ? pointer_score(mem, dir) : 0;
	if (pd < 0)
		return 0;
	if (dlen == 0) {
		if (depth != 0 || shift != 0 || used > SLOTS)
			return 0;
		if (!dir)
			return used == 0 ? 30 : 0;
		return 50 + 10 * pd;
	}
	if (depth > SWISS_MAX_DEPTH || dlen != (int64_t)1 << depth ||
	    shift != 64 - depth || !dir)
		return 0;
	// Three fields that must agree exactly: a strong signature.
	return 70 + 10 * pd;
}
