/* A streaming JSON writer: nesting, commas and string escaping, straight into the stream's buffer. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fmt.h"
#include "json.h"

/*
 * Everything goes through the stream's own buffer with the unlocked stdio
 * calls (one document is written by one thread) and numbers are formatted
 * here: no per-character locking, no printf on the hot path. Callers may
 * still write to the stream between values, in order.
 */
static inline void put(struct ms_json *js, char c)
{
	putc_unlocked(c, js->out);
}

static inline void put_n(struct ms_json *js, const char *s, size_t n)
{
	// Most pieces are a key or a number: a few stores beat a call.
	if (n <= 16) {
		for (size_t i = 0; i < n; i++)
			putc_unlocked(s[i], js->out);
		return;
	}
	fwrite_unlocked(s, 1, n, js->out);
}


void ms_json_init(struct ms_json *js, FILE *out, bool pretty)
{
	memset(js, 0, sizeof(*js));
	js->out = out;
	js->pretty = pretty;
	js->first[0] = true;
}

static void newline(struct ms_json *js)
{
	static const char spaces[2 * MS_JSON_MAX_DEPTH + 1] =
		"\n                                                                ";
	if (!js->pretty)
		return;
	put_n(js, spaces, 1 + 2 * (size_t)js->depth);
}

// Separate a value from the one before it, unless it follows its key.
static void before_value(struct ms_json *js)
{
	if (js->after_key) {
		js->after_key = false;
		return;
	}
	if (!js->first[js->depth])
		put(js, ',');
	if (js->depth > 0)
		newline(js);
	js->first[js->depth] = false;
}

static void begin(struct ms_json *js, char c)
{
	before_value(js);
	put(js, c);
	if (js->depth < MS_JSON_MAX_DEPTH) {
		js->depth++;
		js->first[js->depth] = true;
		js->closer[js->depth] = c == '{' ? '}' : ']';
	}
}

static void end(struct ms_json *js, char c)
{
	if (js->depth == 0)
		return;
	// The document says whether any string had bytes that are not UTF-8
	// (doc/json-schema.md), as the top-level object's last member.
	if (js->depth == 1 && c == '}' && js->invalid_bytes && !js->invalid_said) {
		js->invalid_said = true;
		ms_json_kv_u64(js, "invalid_utf8_bytes", js->invalid_bytes);
	}
	bool empty = js->first[js->depth];
	js->depth--;
	if (!empty)
		newline(js);
	put(js, c);
	js->after_key = false;
}

void ms_json_object_begin(struct ms_json *js) { begin(js, '{'); }
void ms_json_object_end(struct ms_json *js) { end(js, '}'); }
void ms_json_array_begin(struct ms_json *js) { begin(js, '['); }
void ms_json_array_end(struct ms_json *js) { end(js, ']'); }

// Bytes that stand for themselves inside a JSON string.
static inline bool plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

// Strings follow the one rule of ms_escape_json() (doc/json-schema.md):
// runs of plain ASCII are copied as they are, valid UTF-8 that is no
// control too, and everything else goes through ms_escape_json, which
// counts the bytes that are not UTF-8 for "invalid_utf8_bytes".
static void write_escaped(struct ms_json *js, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	put(js, '"');
	size_t i = 0;
	while (i < n) {
		// The longest run of plain bytes in one write.
		size_t run = i;
		while (run < n && plain(s[run]))
			run++;
		if (run > i) {
			put_n(js, str + i, run - i);
			i = run;
			if (i == n)
				break;
		}
		uint32_t cp;
		size_t k = ms_utf8_decode(s + i, n - i, &cp);
		if (k > 1 && !ms_codepoint_is_control(cp)) {
			put_n(js, str + i, k);
			i += k;
			continue;
		}
		if (!k)
			k = 1;
		char esc[16];
		size_t invalid = 0;
		size_t m = ms_escape_json(esc, sizeof(esc), str + i, k, &invalid);
		put_n(js, esc, m);
		js->invalid_bytes += invalid;
		i += k;
	}
	put(js, '"');
}

void ms_json_key(struct ms_json *js, const char *key)
{
	before_value(js);
	write_escaped(js, key, strlen(key));
	put_n(js, ": ", js->pretty ? 2 : 1);
	js->after_key = true;
}

void ms_json_string_len(struct ms_json *js, const char *s, size_t len)
{
	before_value(js);
	write_escaped(js, s, len);
}

void ms_json_string(struct ms_json *js, const char *s)
{
	if (!s) {
		ms_json_null(js);
		return;
	}
	ms_json_string_len(js, s, strlen(s));
}

void ms_json_stringf(struct ms_json *js, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0) {
		ms_json_null(js);
		return;
	}
	ms_json_string_len(js, s, (size_t)r);
	free(s);
}

void ms_json_addr(struct ms_json *js, uint64_t addr)
{
	char b[4 + MS_FMT_U64_MAX] = "\"0x";
	before_value(js);
	char *p = ms_fmt_hex(b + 3, addr);
	*p++ = '"';
	put_n(js, b, (size_t)(p - b));
}

void ms_json_u64(struct ms_json *js, uint64_t v)
{
	char b[MS_FMT_U64_MAX];
	before_value(js);
	put_n(js, b, (size_t)(ms_fmt_u64(b, v) - b));
}

void ms_json_i64(struct ms_json *js, int64_t v)
{
	char b[1 + MS_FMT_U64_MAX] = "-";
	before_value(js);
	// The magnitude as unsigned: -INT64_MIN does not fit an int64_t.
	uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	char *start = v < 0 ? b : b + 1;
	put_n(js, start, (size_t)(ms_fmt_u64(b + 1, m) - start));
}

void ms_json_bool(struct ms_json *js, bool v)
{
	before_value(js);
	if (v)
		put_n(js, "true", 4);
	else
		put_n(js, "false", 5);
}

void ms_json_null(struct ms_json *js)
{
	before_value(js);
	put_n(js, "null", 4);
}

void ms_json_raw(struct ms_json *js, const char *text)
{
	before_value(js);
	put_n(js, text, strlen(text));
}

int ms_json_finish(struct ms_json *js)
{
	while (js->depth > 0)
		end(js, js->closer[js->depth]);
	put(js, '\n');
	return ferror(js->out) || fflush(js->out) ? -1 : 0;
}

void ms_json_kv_string(struct ms_json *js, const char *key, const char *s)
{
	ms_json_key(js, key);
	ms_json_string(js, s);
}

void ms_json_kv_addr(struct ms_json *js, const char *key, uint64_t addr)
{
	ms_json_key(js, key);
	ms_json_addr(js, addr);
}

void ms_json_kv_u64(struct ms_json *js, const char *key, uint64_t v)
{
	ms_json_key(js, key);
	ms_json_u64(js, v);
}

void ms_json_kv_i64(struct ms_json *js, const char *key, int64_t v)
{
	ms_json_key(js, key);
	ms_json_i64(js, v);
}

void ms_json_kv_bool(struct ms_json *js, const char *key, bool v)
{
	ms_json_key(js, key);
	ms_json_bool(js, v);
}
