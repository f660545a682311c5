/*
 * Fuzz map judging: ms_map_check() and ms_map_header_confidence() on a
 * header and bucket/group memory described by the input (see fuzz-map.h),
 * for classic and swiss shapes, typed or not, with the key and element
 * strides taken from the input as a damaged DWARF could give them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz-map.h"
#include "fuzz.h"
#include "map_check.h"

enum { MAX_CHUNKS = 64 };

struct chunk {
	enum fuzz_map_class cls;
	uint64_t addr;
	const uint8_t *bytes;
	uint16_t len;
};

struct memory {
	struct chunk chunks[MAX_CHUNKS];
	size_t n;
};

static uint64_t le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static const struct chunk *chunk_at(const struct memory *m, uint64_t addr)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct chunk *c = &m->chunks[i];
		if (addr >= c->addr && addr - c->addr < c->len)
			return c;
	}
	return NULL;
}

static struct ms_error *mem_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	const struct memory *m = arg;
	uint8_t *out = buf;
	// Byte runs may span adjacent chunks, as segments do in a core.
	while (len) {
		const struct chunk *c = chunk_at(m, addr);
		if (!c || c->cls == FUZZ_CHUNK_NOT_DUMPED)
			return ms_error_fault(addr, c ? MS_FAULT_NOT_DUMPED : MS_FAULT_UNMAPPED,
					      "cannot read 0x%llx", (unsigned long long)addr);
		uint64_t off = addr - c->addr;
		size_t n = c->len - off < len ? (size_t)(c->len - off) : len;
		memcpy(out, c->bytes + off, n);
		out += n;
		addr += n;
		len -= n;
	}
	return NULL;
}

static void mem_classify(void *arg, uint64_t addr, struct ms_ptr_info *ret)
{
	const struct memory *m = arg;
	memset(ret, 0, sizeof(*ret));
	if (!addr)
		return;
	const struct chunk *c = chunk_at(m, addr);
	static const enum ms_ptr_class cls[FUZZ_CHUNK_NCLASSES] = {
		MS_PTR_HEAP, MS_PTR_HEAP_FREE, MS_PTR_STACK, MS_PTR_MODULE,
		MS_PTR_MAPPING, MS_PTR_NOT_DUMPED,
	};
	ret->cls = c ? cls[c->cls] : MS_PTR_UNMAPPED;
	if (c && c->cls == FUZZ_CHUNK_HEAP) {
		ret->object_known = true;
		ret->object_base = c->addr;
		ret->object_size = c->len;
	}
	strcpy(ret->where, "fuzz");
}

static void set_shape(struct ms_map_shape *s, const uint8_t *p)
{
	memset(s, 0, sizeof(*s));
	switch (p[0] % 3) {
	case FUZZ_MAP_CLASSIC48:
	case FUZZ_MAP_CLASSIC56:
		s->impl = MS_MAP_CLASSIC;
		s->header_size = p[0] % 3 == FUZZ_MAP_CLASSIC48 ? 48 : 56;
		s->hmap.count = 0;
		s->hmap.flags = 8;
		s->hmap.B = 9;
		s->hmap.noverflow = 10;
		s->hmap.hash0 = 12;
		s->hmap.buckets = 16;
		s->hmap.oldbuckets = 24;
		s->hmap.nevacuate = 32;
		s->hmap.extra = s->header_size - 8;
		s->hmap.x_overflow = 0;
		s->hmap.x_oldoverflow = 8;
		s->hmap.x_nextoverflow = 16;
		break;
	default:
		s->impl = MS_MAP_SWISS;
		s->header_size = 48;
		s->swiss.used = 0;
		s->swiss.seed = 8;
		s->swiss.dir_ptr = 16;
		s->swiss.dir_len = 24;
		s->swiss.global_depth = 32;
		s->swiss.global_shift = 33;
		s->swiss.writing = 34;
		s->swiss.table_size = 32;
		s->swiss.t_used = 0;
		s->swiss.t_capacity = 2;
		s->swiss.t_growth_left = 4;
		s->swiss.t_local_depth = 6;
		s->swiss.t_index = 8;
		s->swiss.t_groups_data = 16;
		s->swiss.t_groups_mask = 24;
		break;
	}
	s->typed = p[1] & FUZZ_MAP_TYPED;
	s->indirect_key = p[1] & FUZZ_MAP_INDIRECT_KEY;
	s->indirect_elem = p[1] & FUZZ_MAP_INDIRECT_ELEM;
	s->bucket_size = le(p + 2, 2);
	s->overflow_off = le(p + 4, 2);
	s->key_base = le(p + 6, 2);
	s->key_stride = le(p + 8, 2);
	s->elem_base = le(p + 10, 2);
	s->elem_stride = le(p + 12, 2);
}

static int visit(void *arg, uint64_t key, uint64_t elem)
{
	uint8_t buf[16];
	ms_error_destroy(mem_read(arg, key, buf, sizeof(buf)));
	ms_error_destroy(mem_read(arg, elem, buf, sizeof(buf)));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < FUZZ_MAP_PROLOGUE)
		return 0;
	struct ms_map_shape shape;
	set_shape(&shape, data);
	uint64_t header = le(data + 14, 8);

	struct memory m = { .n = 0 };
	size_t off = FUZZ_MAP_PROLOGUE;
	while (m.n < MAX_CHUNKS && size - off >= FUZZ_MAP_CHUNK_HEAD) {
		struct chunk *c = &m.chunks[m.n++];
		c->cls = data[off] % FUZZ_CHUNK_NCLASSES;
		c->addr = le(data + off + 1, 8);
		uint64_t len = le(data + off + 9, 2);
		off += FUZZ_MAP_CHUNK_HEAD;
		if (len > size - off)
			len = size - off;
		// A chunk must not wrap around the address space.
		if (c->addr + len < c->addr)
			len = -c->addr;
		c->len = (uint16_t)len;
		c->bytes = data + off;
		off += len;
	}
	struct ms_map_memory mem = { mem_read, mem_classify, &m };
	struct ms_map_limits limits = { .max_buckets = 4096, .max_tables = 256 };

	struct ms_map_check c;
	struct ms_error *err = ms_map_check(&mem, &shape, &limits, header, visit, &m, &c);
	if (!err) {
		for (size_t i = 0; i < c.n_reasons; i++)
			if (!memchr(c.reasons[i].detail, 0, sizeof(c.reasons[i].detail)))
				abort();
		(void)ms_verdict_str(c.verdict);
		ms_map_check_deinit(&c);
	}
	ms_error_destroy(err);

	uint8_t h[64];
	if (shape.header_size <= sizeof(h)) {
		err = mem_read(&m, header, h, shape.header_size);
		if (!err) {
			int conf = ms_map_header_confidence(&mem, &shape, h);
			if (conf < 0 || conf > 100)
				abort();
		}
		ms_error_destroy(err);
	}
	return 0;
}
