/* A streaming JSON writer: nesting, commas and string escaping, nothing buffered. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void ms_json_init(struct ms_json *js, FILE *out, bool pretty)
{
	memset(js, 0, sizeof(*js));
	js->out = out;
	js->pretty = pretty;
	js->first[0] = true;
}

static void newline(struct ms_json *js)
{
	if (!js->pretty)
		return;
	fputc('\n', js->out);
	for (int i = 0; i < js->depth; i++)
		fputs("  ", js->out);
}

// Separate a value from the one before it, unless it follows its key.
static void before_value(struct ms_json *js)
{
	if (js->after_key) {
		js->after_key = false;
		return;
	}
	if (!js->first[js->depth])
		fputc(',', js->out);
	if (js->depth > 0)
		newline(js);
	js->first[js->depth] = false;
}

static void begin(struct ms_json *js, char c)
{
	before_value(js);
	fputc(c, js->out);
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
	bool empty = js->first[js->depth];
	js->depth--;
	if (!empty)
		newline(js);
	fputc(c, js->out);
	js->after_key = false;
}

void ms_json_object_begin(struct ms_json *js) { begin(js, '{'); }
void ms_json_object_end(struct ms_json *js) { end(js, '}'); }
void ms_json_array_begin(struct ms_json *js) { begin(js, '['); }
void ms_json_array_end(struct ms_json *js) { end(js, ']'); }

// Length of the valid UTF-8 sequence at s (at most n bytes), or 0.
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	uint32_t cp;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
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
	return len;
}

static void write_escaped(FILE *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		switch (c) {
		case '"': fputs("\\\"", out); continue;
		case '\\': fputs("\\\\", out); continue;
		case '\n': fputs("\\n", out); continue;
		case '\r': fputs("\\r", out); continue;
		case '\t': fputs("\\t", out); continue;
		case '\b': fputs("\\b", out); continue;
		case '\f': fputs("\\f", out); continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			fprintf(out, "\\u%04x", c);
		} else if (c < 0x80) {
			fputc(c, out);
		} else {
			size_t len = utf8_len(s + i, n - i);
			if (len) {
				fwrite(s + i, 1, len, out);
				i += len - 1;
			} else {
				// Not UTF-8 (bytes from a damaged core): keep the byte value.
				fprintf(out, "\\u%04x", c);
			}
		}
	}
	fputc('"', out);
}

void ms_json_key(struct ms_json *js, const char *key)
{
	before_value(js);
	write_escaped(js->out, key, strlen(key));
	fputs(js->pretty ? ": " : ":", js->out);
	js->after_key = true;
}

void ms_json_string_len(struct ms_json *js, const char *s, size_t len)
{
	before_value(js);
	write_escaped(js->out, s, len);
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
	before_value(js);
	fprintf(js->out, "\"0x%" PRIx64 "\"", addr);
}

void ms_json_u64(struct ms_json *js, uint64_t v)
{
	before_value(js);
	fprintf(js->out, "%" PRIu64, v);
}

void ms_json_i64(struct ms_json *js, int64_t v)
{
	before_value(js);
	fprintf(js->out, "%" PRId64, v);
}

void ms_json_bool(struct ms_json *js, bool v)
{
	before_value(js);
	fputs(v ? "true" : "false", js->out);
}

void ms_json_null(struct ms_json *js)
{
	before_value(js);
	fputs("null", js->out);
}

void ms_json_raw(struct ms_json *js, const char *text)
{
	before_value(js);
	fputs(text, js->out);
}

int ms_json_finish(struct ms_json *js)
{
	while (js->depth > 0)
		end(js, js->closer[js->depth]);
	fputc('\n', js->out);
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
