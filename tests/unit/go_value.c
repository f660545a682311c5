/* Unit tests for rendering Go values from synthetic types and buffers. */
#include "config.h"

#include <stdlib.h>

#include "go_type.h"
#include "tap.h"

static const struct ms_type t_int = { .kind = MS_KIND_INT, .name = "int", .size = 8, .align = 8 };
static const struct ms_type t_int8 = { .kind = MS_KIND_INT8, .name = "int8", .size = 1, .align = 1 };
static const struct ms_type t_int32 = { .kind = MS_KIND_INT32, .name = "int32", .size = 4, .align = 4 };
static const struct ms_type t_uint16 = { .kind = MS_KIND_UINT16, .name = "uint16", .size = 2, .align = 2 };
static const struct ms_type t_bool = { .kind = MS_KIND_BOOL, .name = "bool", .size = 1, .align = 1 };
static const struct ms_type t_f64 = { .kind = MS_KIND_FLOAT64, .name = "float64", .size = 8, .align = 8 };
static const struct ms_type t_f32 = { .kind = MS_KIND_FLOAT32, .name = "float32", .size = 4, .align = 4 };
static const struct ms_type t_string = { .kind = MS_KIND_STRING, .name = "string", .size = 16, .align = 8 };
static const struct ms_type t_node = { .kind = MS_KIND_STRUCT, .name = "main.Node", .size = 16, .align = 8 };
static const struct ms_type t_ptr = { .kind = MS_KIND_POINTER, .name = "*main.Node", .size = 8, .align = 8, .elem = &t_node };
static const struct ms_type t_map = { .kind = MS_KIND_MAP, .name = "map[int]string", .size = 8, .align = 8, .key = &t_int, .elem = &t_string };
static const struct ms_type t_slice = { .kind = MS_KIND_SLICE, .name = "[]int", .size = 24, .align = 8, .elem = &t_int };
static const struct ms_type t_arr = { .kind = MS_KIND_ARRAY, .name = "[3]int32", .size = 12, .align = 4, .elem = &t_int32, .len = 3 };
static const struct ms_type t_eface = { .kind = MS_KIND_INTERFACE, .name = "interface {}", .size = 16, .align = 8, .empty_interface = true };
static const struct ms_type_member point_members[] = {
	{ .name = "X", .offset = 0, .type = &t_int32 },
	{ .name = "Y", .offset = 4, .type = &t_int32 },
	{ .name = "Name", .offset = 8, .type = &t_string },
};
static const struct ms_type t_point = {
	.kind = MS_KIND_STRUCT, .name = "main.Point", .size = 24, .align = 8,
	.members = point_members, .n_members = 3,
};

// Memory: "alpha" at 0x1000, a long string at 0x2000, "quo\"te" at 0x3000.
static const char long_text[] =
	"0123456789012345678901234567890123456789012345678901234567890123456789";

static struct ms_error *read_mem(void *arg, uint64_t addr, void *buf, size_t len)
{
	const char *src = NULL;
	size_t have = 0;
	if (addr == 0x1000) {
		src = "alpha";
		have = 5;
	} else if (addr >= 0x2000 && addr < 0x2000 + sizeof(long_text) - 1) {
		src = long_text + (addr - 0x2000);
		have = sizeof(long_text) - 1 - (addr - 0x2000);
	} else if (addr == 0x3000) {
		src = "quo\"te\n";
		have = 7;
	}
	if (!src || len > have)
		return ms_error_fault(addr, MS_FAULT_NOT_DUMPED, "cannot read 0x%llx",
				      (unsigned long long)addr);
	memcpy(buf, src, len);
	return NULL;
}

static void put64(uint8_t *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

static const char *fmt(const struct ms_type *t, const void *bytes, bool json)
{
	static char out[256];
	struct ms_value_opts o = { .read = read_mem, .json = json };
	struct ms_error *err = ms_value_format(t, bytes, t->size, &o, out, sizeof(out));
	if (err) {
		snprintf(out, sizeof(out), "error: %s", err->message);
		ms_error_destroy(err);
	}
	return out;
}

int main(void)
{
	uint8_t b[64] = { 0 };

	put64(b, (uint64_t)-42);
	is_str(fmt(&t_int, b, false), "-42", "negative int");
	b[0] = 0x80;
	is_str(fmt(&t_int8, b, true), "-128", "int8 sign");
	b[0] = 0xff;
	b[1] = 0xff;
	is_str(fmt(&t_uint16, b, false), "65535", "uint16");
	b[0] = 1;
	is_str(fmt(&t_bool, b, true), "true", "bool");
	double d = 2.5;
	memcpy(b, &d, 8);
	is_str(fmt(&t_f64, b, true), "2.5", "float64");
	d = 0.1;
	memcpy(b, &d, 8);
	is_str(fmt(&t_f64, b, false), "0.1", "shortest float that reads back");
	float f = 0.1f;
	memcpy(b, &f, 4);
	is_str(fmt(&t_f32, b, false), "0.1", "float32 shortest");

	put64(b, 0x1000);
	put64(b + 8, 5);
	is_str(fmt(&t_string, b, false), "\"alpha\"", "string");
	is_str(fmt(&t_string, b, true), "\"alpha\"", "JSON string");
	put64(b, 0x2000);
	put64(b + 8, sizeof(long_text) - 1);
	{
		// Text keeps the head and the tail around the ellipsis; JSON the head,
		// marked "truncated".
		const char *cut = fmt(&t_string, b, false);
		const char *tail = long_text + sizeof(long_text) - 1 - 8;
		const char *dots = strstr(cut, "\xe2\x80\xa6");
		ok(dots && strncmp(cut + 1, long_text, 8) == 0 && strstr(dots, tail) &&
		   cut[strlen(cut) - 1] == '"', "long string cut in the middle with an ellipsis: %s", cut);
		const char *j = fmt(&t_string, b, true);
		ok(strncmp(j, "{\"string\": \"", 12) == 0 && strstr(j, "\"truncated\": true") &&
		   !strstr(j, "\xe2\x80\xa6"), "long JSON string cut at its end, marked truncated: %s", j);
	}
	put64(b, 0x3000);
	put64(b + 8, 7);
	is_str(fmt(&t_string, b, true), "\"quo\\\"te\\n\"", "JSON escapes");
	put64(b, 0xdead0000);
	is_str(fmt(&t_string, b, true), "null", "unreadable string in JSON");
	ok(strncmp(fmt(&t_string, b, false), "<unreadable 0xdead0000>", 23) == 0,
	   "unreadable string in text");
	put64(b + 8, 0);
	is_str(fmt(&t_string, b, false), "\"\"", "empty string needs no memory");

	put64(b, 0xc000012000);
	is_str(fmt(&t_ptr, b, false), "0xc000012000", "pointer");
	is_str(fmt(&t_ptr, b, true), "\"0xc000012000\"", "JSON pointer");
	is_str(fmt(&t_map, b, false), "map@0xc000012000", "map");
	put64(b, 0);
	is_str(fmt(&t_ptr, b, false), "nil", "nil pointer");
	is_str(fmt(&t_map, b, true), "null", "nil map in JSON");

	put64(b, 0xc000100000);
	put64(b + 8, 3);
	put64(b + 16, 4);
	is_str(fmt(&t_slice, b, false), "[]int{len: 3, cap: 4, ptr: 0xc000100000}", "slice");

	memset(b, 0, sizeof(b));
	b[0] = 1;
	b[4] = 0xfe;
	b[5] = 0xff;
	b[6] = 0xff;
	b[7] = 0xff;
	b[8] = 7;
	is_str(fmt(&t_arr, b, true), "[1, -2, 7]", "array");

	memset(b, 0, sizeof(b));
	b[0] = 1;
	b[4] = 2;
	put64(b + 8, 0x1000);
	put64(b + 16, 5);
	is_str(fmt(&t_point, b, false), "{X: 1, Y: 2, Name: \"alpha\"}", "struct");
	is_str(fmt(&t_point, b, true), "{\"X\": 1, \"Y\": 2, \"Name\": \"alpha\"}", "JSON struct");

	memset(b, 0, sizeof(b));
	is_str(fmt(&t_eface, b, false), "nil", "nil interface");
	put64(b, 0x4a000);
	put64(b + 8, 0xc000200000);
	is_str(fmt(&t_eface, b, false), "(type 0x4a000, 0xc000200000)", "interface without types");

	char small[8];
	struct ms_value_opts o = { .read = read_mem };
	memset(b, 0, sizeof(b));
	put64(b + 8, 0x1000);
	put64(b + 16, 5);
	ok(!ms_value_format(&t_point, b, t_point.size, &o, small, sizeof(small)) &&
		   strlen(small) < sizeof(small),
	   "output cut to the buffer: %s", small);
	struct ms_error *err = ms_value_format(&t_point, b, 4, &o, small, sizeof(small));
	ok(err && err->code == MS_ERR_USAGE, "too few bytes is a usage error");
	ms_error_destroy(err);
	return done_testing();
}
