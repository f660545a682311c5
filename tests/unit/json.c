/* Unit tests for the streaming JSON writer. */
#include "config.h"

#include <stdlib.h>

#include "json.h"
#include "tap.h"

static char *render(void (*fn)(struct ms_json *), bool pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct ms_json js;
	ms_json_init(&js, f, pretty);
	fn(&js);
	ms_json_finish(&js);
	fclose(f);
	return buf;
}

static void doc(struct ms_json *js)
{
	ms_json_object_begin(js);
	ms_json_kv_string(js, "schema", "t/1");
	ms_json_kv_addr(js, "addr", 0xc000012345);
	ms_json_kv_i64(js, "neg", -6);
	ms_json_kv_bool(js, "b", true);
	ms_json_key(js, "empty");
	ms_json_array_begin(js);
	ms_json_array_end(js);
	ms_json_key(js, "list");
	ms_json_array_begin(js);
	ms_json_u64(js, 1);
	ms_json_null(js);
	ms_json_object_begin(js);
	ms_json_object_end(js);
	ms_json_array_end(js);
	ms_json_kv_string(js, "none", NULL);
	ms_json_object_end(js);
}

static void escapes(struct ms_json *js)
{
	ms_json_array_begin(js);
	ms_json_string(js, "q\"b\\n\nt\tc\x01 del\x7f");
	ms_json_string(js, "caf\xc3\xa9");
	ms_json_string(js, "bad\xff\xc3");
	ms_json_string(js, "\xed\xa0\x80");	// a UTF-16 surrogate: not UTF-8
	ms_json_string_len(js, "a\0b", 3);
	ms_json_stringf(js, "%s-%d", "x", 7);
	ms_json_array_end(js);
}

static void numbers(struct ms_json *js)
{
	ms_json_array_begin(js);
	ms_json_u64(js, 0);
	ms_json_u64(js, UINT64_MAX);
	ms_json_i64(js, INT64_MIN);
	ms_json_i64(js, INT64_MAX);
	ms_json_i64(js, 0);
	ms_json_addr(js, 0);
	ms_json_addr(js, UINT64_MAX);
	ms_json_bool(js, false);
	ms_json_raw(js, "{\"r\":1}");
	ms_json_string(js, "a string longer than sixteen bytes, written at once");
	ms_json_array_end(js);
}

static void unclosed(struct ms_json *js)
{
	ms_json_object_begin(js);
	ms_json_key(js, "a");
	ms_json_array_begin(js);
	ms_json_u64(js, 2);
}

int main(void)
{
	char *s = render(doc, false);
	is_str(s, "{\"schema\":\"t/1\",\"addr\":\"0xc000012345\",\"neg\":-6,\"b\":true,"
		  "\"empty\":[],\"list\":[1,null,{}],\"none\":null}\n",
	       "compact document");
	free(s);
	s = render(doc, true);
	is_str(s, "{\n  \"schema\": \"t/1\",\n  \"addr\": \"0xc000012345\",\n  \"neg\": -6,\n"
		  "  \"b\": true,\n  \"empty\": [],\n  \"list\": [\n    1,\n    null,\n    {}\n  ],\n"
		  "  \"none\": null\n}\n",
	       "pretty document: one member per line");
	free(s);
	s = render(escapes, false);
	is_str(s, "[\"q\\\"b\\\\n\\nt\\tc\\u0001 del\\u007f\",\"caf\xc3\xa9\","
		  "\"bad\\u00ff\\u00c3\",\"\\u00ed\\u00a0\\u0080\",\"a\\u0000b\",\"x-7\"]\n",
	       "escaping: quotes, controls, UTF-8 kept, stray bytes escaped");
	free(s);
	s = render(numbers, false);
	is_str(s, "[0,18446744073709551615,-9223372036854775808,9223372036854775807,0,"
		  "\"0x0\",\"0xffffffffffffffff\",false,{\"r\":1},"
		  "\"a string longer than sixteen bytes, written at once\"]\n",
	       "numbers at their limits, formatted without printf");
	free(s);
	s = render(unclosed, false);
	is_str(s, "{\"a\":[2]}\n", "finish closes what is open, in the right kind");
	free(s);
	return done_testing();
}
