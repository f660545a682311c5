/* Making strings from a core or a binary safe to show: on a terminal, and in JSON. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

size_t ms_utf8_decode(const uint8_t *s, size_t n, uint32_t *cp_ret)
{
	size_t len;
	uint32_t cp;
	if (s[0] < 0x80) {
		*cp_ret = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	// Reject overlong forms, surrogates and values past U+10FFFF.
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	*cp_ret = cp;
	return len;
}

bool ms_codepoint_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

// Append text to dst, counting what does not fit.
static void put(char *dst, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len < size) {
		size_t room = size - 1 - *len;
		memcpy(dst + *len, s, n < room ? n : room);
	}
	*len += n;
}

size_t ms_escape_term(char *dst, size_t size, const char *str, size_t n)
{
	const uint8_t *s = (const uint8_t *)str;
	size_t len = 0;
	for (size_t i = 0; i < n;) {
		char tmp[12];
		uint32_t cp;
		size_t k = ms_utf8_decode(s + i, n - i, &cp);
		if (k && !ms_codepoint_is_control(cp)) {
			put(dst, size, &len, str + i, k);
			i += k;
			continue;
		}
		if (k == 1 && cp == '\n')
			memcpy(tmp, "\\n", 3);
		else if (k == 1 && cp == '\t')
			memcpy(tmp, "\\t", 3);
		else if (k == 1 && cp == '\r')
			memcpy(tmp, "\\r", 3);
		else if (k <= 1)
			snprintf(tmp, sizeof(tmp), "\\x%02x", s[i]);
		else
			snprintf(tmp, sizeof(tmp), "\\u%04x", (unsigned)cp);
		put(dst, size, &len, tmp, strlen(tmp));
		i += k ? k : 1;
	}
	if (size)
		dst[len < size ? len : size - 1] = '\0';
	return len;
}

size_t ms_escape_json(char *dst, size_t size, const char *str, size_t n,
		      size_t *invalid_ret)
{
	const uint8_t *s = (const uint8_t *)str;
	size_t len = 0, invalid = 0;
	for (size_t i = 0; i < n;) {
		char tmp[8];
		const char *rep = tmp;
		uint32_t cp;
		size_t k = ms_utf8_decode(s + i, n - i, &cp);
		if (k == 0) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", s[i]);
			invalid++;
			k = 1;
		} else if (cp == '"') {
			rep = "\\\"";
		} else if (cp == '\\') {
			rep = "\\\\";
		} else if (cp == '\n') {
			rep = "\\n";
		} else if (cp == '\r') {
			rep = "\\r";
		} else if (cp == '\t') {
			rep = "\\t";
		} else if (cp == '\b') {
			rep = "\\b";
		} else if (cp == '\f') {
			rep = "\\f";
		} else if (ms_codepoint_is_control(cp)) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", (unsigned)cp);
		} else {
			put(dst, size, &len, str + i, k);
			i += k;
			continue;
		}
		put(dst, size, &len, rep, strlen(rep));
		i += k;
	}
	if (size)
		dst[len < size ? len : size - 1] = '\0';
	if (invalid_ret)
		*invalid_ret = invalid;
	return len;
}

char *ms_escape_term_dup(const char *s)
{
	size_t n = strlen(s);
	size_t need = ms_escape_term(NULL, 0, s, n);
	char *d = malloc(need + 1);
	if (d)
		ms_escape_term(d, need + 1, s, n);
	return d;
}

bool ms_escape_term_clean(const char *str, size_t n)
{
	const uint8_t *s = (const uint8_t *)str;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = ms_utf8_decode(s + i, n - i, &cp);
		if (!k || ms_codepoint_is_control(cp))
			return false;
		i += k;
	}
	return true;
}

size_t ms_utf8_incomplete_tail(const char *str, size_t n)
{
	const uint8_t *s = (const uint8_t *)str;
	for (size_t k = 1; k <= 3 && k <= n; k++) {
		uint8_t c = s[n - k];
		if ((c & 0xc0) == 0x80)
			continue;
		size_t want = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 && c <= 0xef ? 3 :
			      c >= 0xc2 && c <= 0xdf ? 2 : 1;
		return want > k ? k : 0;
	}
	return 0;
}

bool ms_utf8_valid(const char *str, size_t n)
{
	const uint8_t *s = (const uint8_t *)str;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = ms_utf8_decode(s + i, n - i, &cp);
		if (!k)
			return false;
		i += k;
	}
	return true;
}
