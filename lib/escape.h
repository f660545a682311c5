/* Making strings from a core or a binary safe to show: on a terminal, and in JSON. */
#ifndef MS_ESCAPE_H
#define MS_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Decode the UTF-8 sequence at @p s (at most @p n bytes, n > 0).
 * Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
 * @param[out] cp_ret  the code point, when the sequence is valid
 * @return its length in bytes (1-4), or 0 when s[0] starts no valid sequence
 */
size_t ms_utf8_decode(const uint8_t *s, size_t n, uint32_t *cp_ret);

/**
 * Whether a code point may change what a terminal shows beyond one glyph:
 * C0 controls, DEL, C1 controls (U+0080-U+009F), the bidi controls
 * (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069) and the line and
 * paragraph separators (U+2028, U+2029).
 */
bool ms_codepoint_is_control(uint32_t cp);

/**
 * Copy @p n bytes of @p s into @p dst (always NUL-terminated when
 * @p size > 0), with every control made visible, for any terminal:
 * \\t \\n \\r for those three, \\xHH for other C0 bytes, DEL and every
 * byte that is not part of valid UTF-8 (0x9b alone is \\x9b), \\uHHHH for
 * a valid UTF-8 C1 or bidi control (U+009B is \\u009b, U+202E \\u202e).
 * Backslashes stay as they are, so escaping twice changes nothing.
 * NUL bytes inside @p s are shown as \\x00.
 * @return the length the escaped string needs (without its NUL), as
 *         snprintf: a result >= @p size means @p dst was cut
 */
size_t ms_escape_term(char *dst, size_t size, const char *s, size_t n);

/**
 * The escaped copy of the NUL-terminated @p s, allocated.
 * @return the copy (free() it), or NULL when out of memory
 */
char *ms_escape_term_dup(const char *s);

/** Whether @p s (@p n bytes) needs no escaping for a terminal. */
bool ms_escape_term_clean(const char *s, size_t n);

/**
 * Copy @p n bytes of @p s into @p dst as the inside of a JSON string (no
 * quotes), as every JSON output writes strings: '"' and '\\' escaped, \b \f
 * \n \r \t, \u00XX for other C0 bytes and DEL, \uXXXX for valid C1 and
 * bidi controls (lossless: they decode to the same character), valid UTF-8
 * as it is, and each byte that is not part of valid UTF-8 as \u00XX, the
 * character with that byte's value (doc/json-schema.md).
 * @param[out] invalid_ret  if not NULL, the number of invalid bytes written
 * @return the length needed (without NUL), as snprintf; @p dst is always
 *         NUL-terminated when @p size > 0
 */
size_t ms_escape_json(char *dst, size_t size, const char *s, size_t n,
		      size_t *invalid_ret);

/**
 * How many bytes at the end of @p s (@p n bytes) begin a UTF-8 sequence
 * that is not yet whole (0-3): where to cut without splitting a character.
 */
size_t ms_utf8_incomplete_tail(const char *s, size_t n);

/** Whether @p n bytes at @p s are all valid UTF-8. */
bool ms_utf8_valid(const char *s, size_t n);

#endif /* MS_ESCAPE_H */
