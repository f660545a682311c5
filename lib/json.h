/* A streaming JSON writer: nesting, commas and string escaping, into the stream's own buffer. */
#ifndef MS_JSON_H
#define MS_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/** Deepest nesting a writer supports (callers never need more). */
enum { MS_JSON_MAX_DEPTH = 32 };

/**
 * Writes one JSON document to a stdio stream. Members of an object are a
 * ms_json_key() followed by one value; the writer adds commas, newlines and
 * indentation (two spaces per level when @c pretty).
 */
struct ms_json {
	FILE *out;
	bool pretty;
	int depth;
	bool first[MS_JSON_MAX_DEPTH + 1];	/**< no value written yet at this level */
	char closer[MS_JSON_MAX_DEPTH + 1];	/**< '}' or ']' for each open level */
	bool after_key;				/**< a key was written, its value is next */
	size_t invalid_bytes;			/**< bytes written as \\u00XX for not being UTF-8 */
	bool invalid_said;			/**< "invalid_utf8_bytes" written */
};

/** Start writing to @p out. */
void ms_json_init(struct ms_json *js, FILE *out, bool pretty);

/** Begin an object ("{"). */
void ms_json_object_begin(struct ms_json *js);
/** End the current object ("}"). */
void ms_json_object_end(struct ms_json *js);
/** Begin an array ("["). */
void ms_json_array_begin(struct ms_json *js);
/** End the current array ("]"). */
void ms_json_array_end(struct ms_json *js);
/**
 * End the document: close what is still open and write a final newline.
 * @return 0, or -1 when writing failed (ferror on the stream).
 */
int ms_json_finish(struct ms_json *js);

/** Write a member name; the next call writes its value. */
void ms_json_key(struct ms_json *js, const char *key);

/**
 * A string value, escaped by ms_escape_json(); NULL writes null. Valid
 * UTF-8 passes (control characters as \\uXXXX); a byte that is not UTF-8
 * is written as \\u00XX and counted: the top-level object then ends with
 * "invalid_utf8_bytes": N.
 */
void ms_json_string(struct ms_json *js, const char *s);
/** A string value of @p len bytes (may contain NULs). */
void ms_json_string_len(struct ms_json *js, const char *s, size_t len);
/** A printf-formatted string value. */
void ms_json_stringf(struct ms_json *js, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** An address as a string "0x..." (lower-case hex), as every schema wants. */
void ms_json_addr(struct ms_json *js, uint64_t addr);
/** An unsigned number. */
void ms_json_u64(struct ms_json *js, uint64_t v);
/** A signed number. */
void ms_json_i64(struct ms_json *js, int64_t v);
/** true or false. */
void ms_json_bool(struct ms_json *js, bool v);
/** null. */
void ms_json_null(struct ms_json *js);
/**
 * Write @p text as a value, verbatim: it must already be JSON (a number,
 * a quoted string, an object rendered elsewhere).
 */
void ms_json_raw(struct ms_json *js, const char *text);

/** Shorthands for a key and its value. */
void ms_json_kv_string(struct ms_json *js, const char *key, const char *s);
void ms_json_kv_addr(struct ms_json *js, const char *key, uint64_t addr);
void ms_json_kv_u64(struct ms_json *js, const char *key, uint64_t v);
void ms_json_kv_i64(struct ms_json *js, const char *key, int64_t v);
void ms_json_kv_bool(struct ms_json *js, const char *key, bool v);

#endif /* MS_JSON_H */
