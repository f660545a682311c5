/* A bounded little-endian cursor over untrusted bytes; every read is checked. */
#ifndef MS_BINBUF_H
#define MS_BINBUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "error.h"

/**
 * A cursor over [start, end). @c name says what the bytes are (a file, a
 * note, an address) and @c base is the file offset or address of @c start,
 * so that errors can say where a read went past the end.
 */
struct ms_binbuf {
	const uint8_t *start;
	const uint8_t *pos;
	const uint8_t *end;
	const char *name;
	uint64_t base;
};

static inline void ms_binbuf_init(struct ms_binbuf *bb, const void *buf,
				  size_t len, const char *name, uint64_t base)
{
	bb->start = bb->pos = buf;
	bb->end = bb->start + len;
	bb->name = name;
	bb->base = base;
}

static inline size_t ms_binbuf_left(const struct ms_binbuf *bb)
{
	return (size_t)(bb->end - bb->pos);
}

static inline uint64_t ms_binbuf_offset(const struct ms_binbuf *bb)
{
	return bb->base + (uint64_t)(bb->pos - bb->start);
}

static inline struct ms_error *ms_binbuf_short(const struct ms_binbuf *bb,
					       size_t want)
{
	return ms_error_create(MS_ERR_BAD_DATA,
			       "%s: truncated at 0x%llx: need %zu bytes, %zu left",
			       bb->name, (unsigned long long)ms_binbuf_offset(bb),
			       want, ms_binbuf_left(bb));
}

static inline struct ms_error *ms_binbuf_skip(struct ms_binbuf *bb, size_t n)
{
	if (ms_binbuf_left(bb) < n)
		return ms_binbuf_short(bb, n);
	bb->pos += n;
	return NULL;
}

static inline struct ms_error *ms_binbuf_bytes(struct ms_binbuf *bb, void *out,
					       size_t n)
{
	if (ms_binbuf_left(bb) < n)
		return ms_binbuf_short(bb, n);
	memcpy(out, bb->pos, n);
	bb->pos += n;
	return NULL;
}

/** Borrow @p n bytes in place (valid as long as the underlying buffer). */
static inline struct ms_error *ms_binbuf_ref(struct ms_binbuf *bb,
					     const uint8_t **ret, size_t n)
{
	if (ms_binbuf_left(bb) < n)
		return ms_binbuf_short(bb, n);
	*ret = bb->pos;
	bb->pos += n;
	return NULL;
}

static inline uint64_t ms_le(const uint8_t *p, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	// One load instead of a loop of byte loads: the checker reads every
	// control word and slot pointer of every group this way.
	if (n == 8) {
		uint64_t v;
		memcpy(&v, p, 8);
		return v;
	}
	if (n == 4) {
		uint32_t v;
		memcpy(&v, p, 4);
		return v;
	}
	if (n == 2) {
		uint16_t v;
		memcpy(&v, p, 2);
		return v;
	}
#endif
	uint64_t v = 0;
	for (size_t i = n; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

#define MS_BINBUF_UINT(bits)                                                   \
	static inline struct ms_error *ms_binbuf_u##bits(struct ms_binbuf *bb, \
							 uint##bits##_t *ret)  \
	{                                                                      \
		if (ms_binbuf_left(bb) < bits / 8)                             \
			return ms_binbuf_short(bb, bits / 8);                  \
		*ret = (uint##bits##_t)ms_le(bb->pos, bits / 8);               \
		bb->pos += bits / 8;                                           \
		return NULL;                                                   \
	}
MS_BINBUF_UINT(8)
MS_BINBUF_UINT(16)
MS_BINBUF_UINT(32)
MS_BINBUF_UINT(64)
#undef MS_BINBUF_UINT

/** Unsigned LEB128 (Go's uvarint), at most 10 bytes. */
static inline struct ms_error *ms_binbuf_uleb128(struct ms_binbuf *bb,
						 uint64_t *ret)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 70; shift += 7) {
		uint8_t b = 0;
		struct ms_error *err = ms_binbuf_u8(bb, &b);
		if (err)
			return err;
		v |= (uint64_t)(b & 0x7f) << (shift < 64 ? shift : 63);
		if (!(b & 0x80)) {
			*ret = v;
			return NULL;
		}
	}
	return ms_error_create(MS_ERR_BAD_DATA, "%s: varint too long at 0x%llx",
			       bb->name, (unsigned long long)ms_binbuf_offset(bb));
}

/** Little-endian load from a buffer known to be long enough. */
static inline uint64_t ms_load_u64(const void *p) { return ms_le(p, 8); }
static inline uint32_t ms_load_u32(const void *p) { return (uint32_t)ms_le(p, 4); }
static inline uint16_t ms_load_u16(const void *p) { return (uint16_t)ms_le(p, 2); }

#endif /* MS_BINBUF_H */
