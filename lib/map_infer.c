/* Typing maps that only the heap or stack scan found: which map type fits their storage, by the runtime's own facts. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "binbuf.h"
#include "map_infer.h"

enum {
	SLOTS = 8,
	// Nesting and elements looked at when judging one value.
	PLAUSIBLE_MAX_DEPTH = 4,
	PLAUSIBLE_MAX_ELEMS = 4,
	// Lengths no live string or slice has in a core of this kind.
	MAX_LEN = 1 << 30,
};

static void set_bit(uint8_t *bits, uint64_t nwords, uint64_t w)
{
	if (w < nwords)
		bits[w / 8] |= (uint8_t)(1u << (w % 8));
}

static bool get_bit(const uint8_t *bits, uint64_t w)
{
	return (bits[w / 8] >> (w % 8)) & 1;
}

/*
 * Mark the pointer words of a value of type @p t at byte @p off: what the
 * compiler's ptrmask for it says (a string or slice has its data pointer
 * first, an interface two pointer words, a func value one).
 */
static void type_bits(const struct ms_type *t, uint64_t off, uint8_t *bits,
		      uint64_t nwords, unsigned depth)
{
	if (!t || depth > 16 || off / 8 >= nwords)
		return;
	switch (t->kind) {
	case MS_KIND_POINTER:
	case MS_KIND_MAP:
	case MS_KIND_CHAN:
	case MS_KIND_FUNC:
	case MS_KIND_UNSAFE_POINTER:
	case MS_KIND_STRING:
	case MS_KIND_SLICE:
		if (off % 8 == 0)
			set_bit(bits, nwords, off / 8);
		return;
	case MS_KIND_INTERFACE:
		if (off % 8 == 0) {
			set_bit(bits, nwords, off / 8);
			set_bit(bits, nwords, off / 8 + 1);
		}
		return;
	case MS_KIND_STRUCT:
		for (size_t i = 0; i < t->n_members; i++)
			type_bits(t->members[i].type, off + t->members[i].offset, bits,
				  nwords, depth + 1);
		return;
	case MS_KIND_ARRAY:
		if (!t->elem || !t->elem->size || !ms_type_has_pointers(t->elem))
			return;
		for (uint64_t i = 0; i < t->len && off + i * t->elem->size < nwords * 8; i++)
			type_bits(t->elem, off + i * t->elem->size, bits, nwords, depth + 1);
		return;
	default:
		return;
	}
}

// Mark the bytes a value of type @p t at @p off occupies (not its padding).
static void cover(const struct ms_type *t, uint64_t off, uint8_t *covered,
		  uint64_t size, unsigned depth)
{
	if (!t || depth > 16 || off >= size)
		return;
	if (t->kind == MS_KIND_STRUCT) {
		for (size_t i = 0; i < t->n_members; i++)
			cover(t->members[i].type, off + t->members[i].offset, covered, size,
			      depth + 1);
		return;
	}
	if (t->kind == MS_KIND_ARRAY && t->elem && t->elem->size) {
		for (uint64_t i = 0; i < t->len && off + i * t->elem->size < size; i++)
			cover(t->elem, off + i * t->elem->size, covered, size, depth + 1);
		return;
	}
	for (uint64_t i = 0; i < t->size && off + i < size; i++)
		covered[off + i] = 1;
}

static void cover_bytes(uint8_t *covered, uint64_t size, uint64_t off, uint64_t n)
{
	for (uint64_t i = 0; i < n && off + i < size; i++)
		covered[off + i] = 1;
}

bool ms_map_cand_padding_zero(const struct ms_map_cand *c, const uint8_t *bytes)
{
	for (uint64_t i = 0; i < c->shape.bucket_size; i++)
		if (!c->covered[i] && bytes[i])
			return false;
	return true;
}

struct ms_error *ms_map_cand_init_bits(struct ms_map_cand *c)
{
	const struct ms_map_shape *s = &c->shape;
	c->words = s->bucket_size / 8;
	c->ptr_bits = calloc((c->words + 7) / 8 + 1, 1);
	c->covered = calloc(s->bucket_size + 1, 1);
	if (!c->ptr_bits || !c->covered) {
		ms_map_cand_deinit(c);
		return &ms_enomem;
	}
	const struct ms_type *k = c->type->key, *v = c->type->elem;
	uint64_t bsz = s->bucket_size;
	cover_bytes(c->covered, bsz, 0, 8);	// tophash or control word
	if (s->impl == MS_MAP_CLASSIC)
		cover_bytes(c->covered, bsz, s->overflow_off, 8);
	for (unsigned i = 0; i < SLOTS; i++) {
		uint64_t ko = s->key_base + i * s->key_stride;
		uint64_t eo = s->elem_base + i * s->elem_stride;
		if (s->indirect_key) {
			set_bit(c->ptr_bits, c->words, ko / 8);
			cover_bytes(c->covered, bsz, ko, 8);
		} else {
			type_bits(k, ko, c->ptr_bits, c->words, 0);
			cover(k, ko, c->covered, bsz, 0);
		}
		if (s->indirect_elem) {
			set_bit(c->ptr_bits, c->words, eo / 8);
			cover_bytes(c->covered, bsz, eo, 8);
		} else {
			type_bits(v, eo, c->ptr_bits, c->words, 0);
			cover(v, eo, c->covered, bsz, 0);
		}
	}
	// The overflow link is a pointer only when keys or elements hold
	// pointers; otherwise the compiler types it uintptr and keeps the
	// overflow buckets alive through hmap.extra.
	bool any = s->indirect_key || s->indirect_elem || ms_type_has_pointers(k) ||
		   ms_type_has_pointers(v);
	if (s->impl == MS_MAP_CLASSIC && any)
		set_bit(c->ptr_bits, c->words, s->overflow_off / 8);
	c->has_pointers = false;
	for (uint64_t w = 0; w < c->words; w++)
		c->has_pointers |= get_bit(c->ptr_bits, w);
	return NULL;
}

void ms_map_cand_deinit(struct ms_map_cand *c)
{
	free(c->ptr_bits);
	free(c->covered);
	c->ptr_bits = NULL;
	c->covered = NULL;
}

bool ms_map_cand_fits(const struct ms_map_cand *c, const struct ms_map_storage *st)
{
	uint64_t bs = c->shape.bucket_size;
	if (!bs || !c->words)
		return false;
	// The malloc header names the bucket or group type exactly.
	if (st->type_word && c->bucket_type)
		return st->type_word == c->bucket_type;
	if (st->object_known) {
		uint64_t n = st->n;
		if (n > (UINT64_C(1) << 40) / bs || st->object_size < n * bs)
			return false;
		uint64_t most = (n + (st->classic_prealloc ? n / 16 : 0)) * bs;
		// Size classes round up by at most a quarter for small objects
		// (24 -> 32 is the worst); large objects by less than a page.
		uint64_t slack = most <= 32768 ? most / 4 + 16 : 8192;
		if (st->object_size > most + slack)
			return false;
	}
	if (st->have_mask) {
		uint64_t total = st->n * c->words;
		uint64_t last = 0;
		bool any = false;
		for (uint64_t w = 0; w < st->mask_words && w < total; w++)
			if (get_bit(c->ptr_bits, w % c->words)) {
				last = w;
				any = true;
			}
		uint64_t end = st->mask_words < total ? st->mask_words : total;
		if (st->mask_prefix_only)
			end = any ? last + 1 : 0;
		for (uint64_t w = 0; w < end; w++) {
			bool want = get_bit(c->ptr_bits, w % c->words);
			if (want != ((st->ptr_mask >> w) & 1))
				return false;
		}
		if (!any && st->mask_prefix_only && st->ptr_mask)
			return false;
	}
	return true;
}

static bool mapped_class(enum ms_ptr_class cls)
{
	return cls == MS_PTR_HEAP || cls == MS_PTR_STACK || cls == MS_PTR_MODULE ||
	       cls == MS_PTR_MAPPING || cls == MS_PTR_NOT_DUMPED;
}

struct plaus {
	const struct ms_map_memory *mem;
	const struct ms_map_shape *untyped;
	unsigned evidence;
};

// A string's or slice's data pointer @p p with length @p len and capacity @p cap.
static bool data_plausible(struct plaus *pl, uint64_t p, uint64_t len, uint64_t cap)
{
	struct ms_ptr_info pi;
	if (len > cap || cap > MAX_LEN)
		return false;
	if (!cap)
		return true;
	if (!p)
		return false;
	pl->mem->classify(pl->mem->arg, p, &pi);
	pl->evidence++;
	return mapped_class(pi.cls);
}

static bool plausible(struct plaus *pl, const struct ms_type *t, uint64_t addr,
		      unsigned depth)
{
	const struct ms_map_memory *mem = pl->mem;
	uint8_t b[24];
	struct ms_ptr_info pi;
	struct ms_error *err;
	if (!t || depth > PLAUSIBLE_MAX_DEPTH)
		return true;
	size_t want = 0;
	switch (t->kind) {
	case MS_KIND_BOOL:
		want = 1;
		break;
	case MS_KIND_POINTER:
	case MS_KIND_MAP:
	case MS_KIND_CHAN:
	case MS_KIND_FUNC:
	case MS_KIND_UNSAFE_POINTER:
		want = 8;
		break;
	case MS_KIND_STRING:
	case MS_KIND_INTERFACE:
		want = 16;
		break;
	case MS_KIND_SLICE:
		want = 24;
		break;
	case MS_KIND_STRUCT:
		for (size_t i = 0; i < t->n_members; i++)
			if (!plausible(pl, t->members[i].type, addr + t->members[i].offset,
				       depth + 1))
				return false;
		return true;
	case MS_KIND_ARRAY:
		if (!t->elem || !t->elem->size)
			return true;
		for (uint64_t i = 0; i < t->len && i < PLAUSIBLE_MAX_ELEMS; i++)
			if (!plausible(pl, t->elem, addr + i * t->elem->size, depth + 1))
				return false;
		return true;
	case MS_KIND_INT:
	case MS_KIND_INT64:
	case MS_KIND_UINT:
	case MS_KIND_UINT64:
	case MS_KIND_FLOAT64:
		want = 8;
		break;
	default:
		return true;
	}
	if ((err = mem->read(mem->arg, addr, b, want))) {
		ms_error_destroy(err);
		return false;
	}
	uint64_t p = ms_load_u64(b);
	switch (t->kind) {
	case MS_KIND_INT:
	case MS_KIND_INT64:
	case MS_KIND_UINT:
	case MS_KIND_UINT64: {
		// Counts, ids and sizes are small; a float's bits or a
		// pointer (Go's heap lies above 4 GiB) are not. Evidence
		// only: any bits are some integer.
		int64_t v = (int64_t)p;
		if (v > -(INT64_C(1) << 31) && v < (INT64_C(1) << 32) && v)
			pl->evidence++;
		return true;
	}
	case MS_KIND_FLOAT64: {
		// A double of everyday magnitude has a biased exponent near
		// 1023; an integer's or a pointer's bits make a subnormal.
		unsigned e = (unsigned)(p >> 52) & 0x7ff;
		if (e >= 1023 - 30 && e <= 1023 + 60)
			pl->evidence++;
		return true;
	}
	case MS_KIND_BOOL:
		// 0 or 1 is as plausible for any integer: one bool says
		// nothing for its type (the scan weighs a mix of both).
		return b[0] <= 1;
	case MS_KIND_STRING:
		return data_plausible(pl, p, ms_load_u64(b + 8), ms_load_u64(b + 8));
	case MS_KIND_SLICE:
		return data_plausible(pl, p, ms_load_u64(b + 8), ms_load_u64(b + 16));
	case MS_KIND_INTERFACE: {
		uint64_t data = ms_load_u64(b + 8);
		if (!p)
			return data == 0;
		if (p & 7)
			return false;
		// The type or itab lives in a module or in the runtime's
		// persistent allocations, never in nothing.
		mem->classify(mem->arg, p, &pi);
		pl->evidence++;
		return mapped_class(pi.cls);
	}
	case MS_KIND_MAP: {
		if (!p)
			return true;
		if (p & 7)
			return false;
		mem->classify(mem->arg, p, &pi);
		if (pi.cls != MS_PTR_HEAP && pi.cls != MS_PTR_STACK)
			return false;
		if (pi.cls == MS_PTR_HEAP && pi.object_known && pi.object_base != p)
			return false;
		uint8_t h[256];
		if (!pl->untyped || pl->untyped->header_size > sizeof(h) ||
		    (err = mem->read(mem->arg, p, h, pl->untyped->header_size))) {
			ms_error_destroy(err);
			return false;
		}
		pl->evidence++;
		return ms_map_header_confidence(mem, pl->untyped, h) > 0;
	}
	default:
		if (!p)
			return true;
		if (t->kind == MS_KIND_POINTER && t->elem && t->elem->align > 1 &&
		    p % t->elem->align)
			return false;
		mem->classify(mem->arg, p, &pi);
		if (!mapped_class(pi.cls))
			return false;
		pl->evidence++;
		if (t->kind != MS_KIND_POINTER || !t->elem)
			return true;
		// The pointee must fit the object it lies in, and look like
		// a value of its type.
		if (pi.cls == MS_PTR_HEAP && pi.object_known &&
		    pi.object_base + pi.object_size - p < t->elem->size)
			return false;
		return plausible(pl, t->elem, p, depth + 1);
	}
}

bool ms_value_plausible(const struct ms_map_memory *mem,
			const struct ms_map_shape *untyped, const struct ms_type *t,
			uint64_t addr, unsigned *evidence)
{
	struct plaus pl = { mem, untyped, 0 };
	bool ok = plausible(&pl, t, addr, 0);
	*evidence += pl.evidence;
	return ok;
}
