/* Number formatting without printf, for the hot paths: JSON numbers, names of buckets and tables. */
#ifndef MS_FMT_H
#define MS_FMT_H

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/** Room ms_fmt_u64() and ms_fmt_hex() may need: 20 decimal digits. */
enum { MS_FMT_U64_MAX = 20 };

/** Write the decimal digits of @p v at @p p (no NUL); return the end. */
static inline char *ms_fmt_u64(char *p, uint64_t v)
{
	char tmp[MS_FMT_U64_MAX];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/** Write @p v in lower-case hex digits at @p p (no prefix, no NUL); return the end. */
static inline char *ms_fmt_hex(char *p, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	size_t n = 0;
	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/**
 * "@p prefix[@p index]@p suffix" into @p buf, as snprintf(buf, size,
 * "%s[%" PRIu64 "]%s", ...) would write it (truncated to @p size).
 * @return @p buf.
 */
static inline const char *ms_fmt_indexed(char *buf, size_t size,
					 const char *prefix, uint64_t index,
					 const char *suffix)
{
	size_t np = strlen(prefix), ns = strlen(suffix);
	if (np + ns + MS_FMT_U64_MAX + 3 > size) {
		snprintf(buf, size, "%s[%" PRIu64 "]%s", prefix, index, suffix);
		return buf;
	}
	char *p = buf;
	memcpy(p, prefix, np);
	p += np;
	*p++ = '[';
	p = ms_fmt_u64(p, index);
	*p++ = ']';
	memcpy(p, suffix, ns + 1);
	return buf;
}

#endif /* MS_FMT_H */
