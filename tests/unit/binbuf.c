/* Unit tests for the bounded cursor and error values. */
#include "config.h"

#include <stdlib.h>

#include "binbuf.h"
#include "error.h"
#include "tap.h"

int main(void)
{
	const uint8_t bytes[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
				  0xe5, 0x8e, 0x26, 0xff };
	struct ms_binbuf bb;
	ms_binbuf_init(&bb, bytes, sizeof(bytes), "test buffer", 0x1000);

	uint32_t u32;
	ok(!ms_binbuf_u32(&bb, &u32), "u32 reads");
	is_u64(u32, 0x04030201, "u32 is little endian");
	uint16_t u16;
	ok(!ms_binbuf_u16(&bb, &u16), "u16 reads");
	is_u64(u16, 0x0605, "u16 value");
	ok(!ms_binbuf_skip(&bb, 2), "skip 2");
	uint64_t v;
	ok(!ms_binbuf_uleb128(&bb, &v), "uleb128 reads");
	is_u64(v, 624485, "uleb128 value (DWARF spec example)");
	is_u64(ms_binbuf_offset(&bb), 0x100b, "offset counts from base");

	uint64_t u64;
	struct ms_error *err = ms_binbuf_u64(&bb, &u64);
	ok(err && err->code == MS_ERR_BAD_DATA, "u64 past the end fails");
	ok(err && strstr(err->message, "test buffer") &&
		   strstr(err->message, "0x100b"),
	   "error names the buffer and offset: %s", err ? err->message : "");
	ms_error_destroy(err);
	is_u64(ms_binbuf_left(&bb), 1, "a failed read consumes nothing");

	// A varint that never ends is an error, not a loop.
	const uint8_t endless[12] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				      0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
	ms_binbuf_init(&bb, endless, sizeof(endless), "varint", 0);
	err = ms_binbuf_uleb128(&bb, &v);
	ok(err != NULL, "overlong varint is rejected");
	ms_error_destroy(err);

	err = ms_error_fault(0xdead000, MS_FAULT_UNMAPPED, "cannot read 8 bytes at 0x%x", 0xdead000);
	ok(err->code == MS_ERR_FAULT && err->address == 0xdead000 &&
		   err->fault == MS_FAULT_UNMAPPED,
	   "fault error carries address and kind");
	err = ms_error_prefix(err, "buckets of map 0x%x", 0xc000);
	is_str(err->message, "buckets of map 0xc000: cannot read 8 bytes at 0xdead000",
	       "prefix adds context");
	ok(ms_error_catch(&err, MS_ERR_FAULT) && err == NULL, "catch swallows the kind");
	ms_error_destroy(&ms_enomem);
	ok(ms_enomem.message != NULL, "destroying ms_enomem is a no-op");
	return done_testing();
}
