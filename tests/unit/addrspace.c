/* Unit tests for the address space over a mock core image. */
#include "config.h"

#include <elf.h>
#include <stdlib.h>
#include <unistd.h>

#include "addrspace.h"
#include "tap.h"

static uint8_t file_bytes[0x4000];

static struct ms_error *mock_file_read(void *arg, uint64_t offset, void *buf,
				       size_t len)
{
	if (offset > sizeof(file_bytes) || len > sizeof(file_bytes) - offset)
		return ms_error_fault(offset, MS_FAULT_NOT_DUMPED, "past the file");
	memcpy(buf, file_bytes + offset, len);
	(*(int *)arg)++;
	return NULL;
}

int main(void)
{
	// A core image of 0x1800 bytes; segments claim more than that.
	uint8_t *image = malloc(0x1800);
	for (size_t i = 0; i < 0x1800; i++)
		image[i] = (uint8_t)(i / 0x100);
	for (size_t i = 0; i < sizeof(file_bytes); i++)
		file_bytes[i] = (uint8_t)(0xf0 | (i / 0x1000));

	struct ms_addrspace as;
	ms_addrspace_init(&as, image, 0x1800, "mock");
	// text: first page dumped, rest from the file.
	struct ms_segment text = { .start = 0x400000, .end = 0x403000,
				   .perms = PF_R | PF_X, .in_core = true,
				   .dumped = 0x1000, .core_offset = 0 };
	// data: fully dumped, but the core is truncated in its middle.
	struct ms_segment data = { .start = 0x500000, .end = 0x501000,
				   .perms = PF_R | PF_W, .in_core = true,
				   .dumped = 0x1000, .core_offset = 0x1000 };
	// PROT_NONE reservation.
	struct ms_segment resv = { .start = 0x600000, .end = 0x700000,
				   .perms = 0, .in_core = true };
	// anonymous, not dumped.
	struct ms_segment anon = { .start = 0x700000, .end = 0x701000,
				   .perms = PF_R | PF_W, .in_core = true };
	ok(!ms_addrspace_add(&as, &data), "add data");
	ok(!ms_addrspace_add(&as, &text), "add text (out of order)");
	ok(!ms_addrspace_add(&as, &anon), "add anon");
	ok(!ms_addrspace_add(&as, &resv), "add reservation (adjacent)");
	struct ms_segment overlap = { .start = 0x402000, .end = 0x404000, .perms = PF_R };
	struct ms_error *err = ms_addrspace_add(&as, &overlap);
	ok(err && err->code == MS_ERR_BAD_DATA, "overlapping segment is rejected");
	ms_error_destroy(err);

	// NT_FILE: the text mapping and a read-only rodata mapping gcore left out.
	ok(!ms_addrspace_add_file_map(&as, 0x400000, 0x403000, 0, "/bin/x"), "file map text");
	ok(!ms_addrspace_add_file_map(&as, 0x403000, 0x405000, 0x3000, "/bin/x"),
	   "file map for a range without PT_LOAD");
	is_u64(as.n_segments, 5, "the uncovered file range became a segment");
	const struct ms_segment *s = ms_addrspace_find(&as, 0x404fff);
	ok(s && !s->in_core && s->file_offset == 0x3000 && s->start == 0x403000,
	   "file-only segment found with its offset");

	uint8_t buf[16];
	err = ms_addrspace_read(&as, 0x400100, buf, 4);
	ok(!err && buf[0] == 1, "dumped bytes come from the core");
	err = ms_addrspace_read(&as, 0x401000, buf, 4);
	ok(err && err->code == MS_ERR_FAULT && err->fault == MS_FAULT_NOT_DUMPED &&
		   err->address == 0x401000,
	   "undumped text without a file is not dumped");
	ms_error_destroy(err);

	int calls = 0;
	is_u64(ms_addrspace_set_file_reader(&as, "/bin/x", mock_file_read, &calls), 2,
	       "file reader attached to both segments of /bin/x");
	err = ms_addrspace_read(&as, 0x400ff8, buf, 16);
	ok(!err && buf[0] == 0x0f && buf[8] == 0xf1, "a read spans core and file bytes");
	ms_error_destroy(err);
	err = ms_addrspace_read(&as, 0x402ffc, buf, 8);
	ok(!err && buf[3] == 0xf2 && buf[4] == 0xf3 && calls >= 2,
	   "a read spans two file-backed segments");
	ms_error_destroy(err);
	err = ms_addrspace_read(&as, 0x404000, buf, 8);
	ok(err && err->fault == MS_FAULT_NOT_DUMPED, "past the end of the file: not dumped");
	ms_error_destroy(err);

	err = ms_addrspace_read(&as, 0x500400, buf, 8);
	ok(!err && buf[0] == 0x14, "data bytes before the truncation");
	err = ms_addrspace_read(&as, 0x5007fc, buf, 8);
	ok(err && err->fault == MS_FAULT_TRUNCATED && err->address == 0x500800,
	   "truncated core: fault at the first missing byte");
	ms_error_destroy(err);

	err = ms_addrspace_read(&as, 0x600010, buf, 8);
	ok(err && err->fault == MS_FAULT_UNMAPPED, "PROT_NONE reservation reads as unmapped");
	ms_error_destroy(err);
	err = ms_addrspace_read(&as, 0x700010, buf, 8);
	ok(err && err->fault == MS_FAULT_NOT_DUMPED, "anonymous undumped mapping");
	ms_error_destroy(err);
	err = ms_addrspace_read(&as, 0x800000, buf, 8);
	ok(err && err->fault == MS_FAULT_UNMAPPED && err->address == 0x800000, "unmapped");
	ms_error_destroy(err);
	err = ms_addrspace_read(&as, UINT64_MAX - 3, buf, 8);
	ok(err && err->fault == MS_FAULT_UNMAPPED, "wrapping read is refused");
	ms_error_destroy(err);

	// Borrowing: a pointer into the image only for one dumped run.
	const uint8_t *lent = ms_addrspace_borrow(&as, 0x400100, 16);
	ok(lent == image + 0x100, "a dumped range is lent in place");
	ok(!ms_addrspace_borrow(&as, 0x400ff8, 16),
	   "a range running into file-backed bytes is not lent");
	ok(!ms_addrspace_borrow(&as, 0x402000, 8), "file-backed bytes are not lent");
	ok(!ms_addrspace_borrow(&as, 0x5007fc, 8), "bytes past a truncated core are not lent");
	ok(ms_addrspace_borrow(&as, 0x5007f8, 8) == image + 0x17f8,
	   "the last bytes before the truncation are lent");
	ok(!ms_addrspace_borrow(&as, 0x600010, 8), "a PROT_NONE reservation is not lent");
	ok(!ms_addrspace_borrow(&as, 0x700010, 8), "undumped bytes are not lent");
	ok(!ms_addrspace_borrow(&as, 0x800000, 8), "unmapped bytes are not lent");
	ok(!ms_addrspace_borrow(&as, UINT64_MAX - 3, 8), "a wrapping range is not lent");
	const void *got = NULL;
	calls = 0;
	err = ms_addrspace_peek(&as, 0x400ff8, 16, buf, &got);
	ok(!err && got == buf && buf[0] == 0x0f && buf[8] == 0xf1 && calls == 1,
	   "peek copies a straddling range, through the file reader");
	err = ms_addrspace_peek(&as, 0x400200, 16, buf, &got);
	ok(!err && got == image + 0x200, "peek lends a dumped range");
	err = ms_addrspace_peek(&as, 0x5007fc, 8, buf, &got);
	ok(err && err->fault == MS_FAULT_TRUNCATED && err->address == 0x500800,
	   "peek reports the fault a read would");
	ms_error_destroy(err);
	// Without an in-memory image (a live process), everything is copied.
	struct ms_addrspace live;
	ms_addrspace_init(&live, NULL, 0, "live");
	ok(!ms_addrspace_add(&live, &data), "add data to an image-less space");
	ok(!ms_addrspace_borrow(&live, 0x500000, 8), "no image: nothing is lent");
	ms_addrspace_deinit(&live);

	const struct ms_segment *below, *above;
	ms_addrspace_neighbors(&as, 0x480000, &below, &above);
	ok(below && below->end == 0x405000 && above && above->start == 0x500000,
	   "neighbours of a hole");
	ms_addrspace_neighbors(&as, 0x100, &below, &above);
	ok(!below && above && above->start == 0x400000, "nothing below the first segment");
	ms_addrspace_neighbors(&as, 0x900000, &below, &above);
	ok(below && below->end == 0x701000 && !above, "nothing above the last");

	char p[4];
	is_str(ms_perms_str(PF_R | PF_X, p), "r-x", "perms string");

	// Announcing a read is only a hint: the bytes are the same after it.
	const uint8_t *ahead = ms_addrspace_borrow(&as, 0x500000, 0x800);
	ok(ahead != NULL, "data lent in place");
	ms_addrspace_will_read(ahead, 0x800);
	ms_addrspace_will_read(NULL, 0);
	ok(ahead && ahead[0] == 0x10 && ahead[0x7ff] == 0x17, "lent bytes unchanged after will_read");

	// Bulk reads: pread from the core file when its descriptor is known,
	// the same bytes as a read; from the mapping when pread fails; a
	// range that cannot be lent goes through ms_addrspace_read.
	uint8_t whole[0x800], bulk[0x800];
	ok(!ms_addrspace_read(&as, 0x500000, whole, sizeof(whole)), "data read");
	memset(bulk, 0, sizeof(bulk));
	ok(!ms_addrspace_read_bulk(&as, 0x500000, bulk, sizeof(bulk)) &&
	   memcmp(bulk, whole, sizeof(bulk)) == 0, "bulk read without a descriptor");
	char tmpl[] = "/tmp/ms-addrspace-XXXXXX";
	int fd = mkstemp(tmpl);
	ok(fd >= 0 && write(fd, image, 0x1800) == 0x1800, "core file written");
	unlink(tmpl);
	// The file says otherwise than the mapping in one byte: pread is used.
	uint8_t other = 0x99;
	ok(pwrite(fd, &other, 1, 0x1000 + 0x10) == 1, "one byte changed in the file");
	ms_addrspace_set_image_fd(&as, fd);
	memset(bulk, 0, sizeof(bulk));
	ok(!ms_addrspace_read_bulk(&as, 0x500000, bulk, sizeof(bulk)) && bulk[0x10] == 0x99 &&
	   memcmp(bulk + 0x11, whole + 0x11, sizeof(bulk) - 0x11) == 0, "bulk read with pread");
	close(fd);
	memset(bulk, 0, sizeof(bulk));
	ok(!ms_addrspace_read_bulk(&as, 0x500000, bulk, sizeof(bulk)) &&
	   memcmp(bulk, whole, sizeof(bulk)) == 0, "bulk read from the mapping when pread fails");
	struct ms_error *berr = ms_addrspace_read_bulk(&as, 0x500800, bulk, 0x1000);
	ok(berr && berr->code == MS_ERR_FAULT, "bulk read past a truncated core faults like a read");
	ms_error_destroy(berr);
	ms_addrspace_set_image_fd(&as, -1);
	ms_addrspace_deinit(&as);

	// A bulk read across two segments whose bytes are apart in the file:
	// each piece read with pread, the same bytes as a read.
	struct ms_addrspace as2;
	ms_addrspace_init(&as2, image, 0x1800, "mock2");
	struct ms_segment lo = { .start = 0x10000, .end = 0x10800, .perms = PF_R | PF_W,
				 .in_core = true, .dumped = 0x800, .core_offset = 0x800 };
	struct ms_segment hi = { .start = 0x10800, .end = 0x11000, .perms = PF_R | PF_W,
				 .in_core = true, .dumped = 0x800, .core_offset = 0 };
	ok(!ms_addrspace_add(&as2, &lo) && !ms_addrspace_add(&as2, &hi), "two adjacent segments");
	char tmpl2[] = "/tmp/ms-addrspace-XXXXXX";
	int fd2 = mkstemp(tmpl2);
	ok(fd2 >= 0 && write(fd2, image, 0x1800) == 0x1800, "second core file written");
	unlink(tmpl2);
	ms_addrspace_set_image_fd(&as2, fd2);
	uint8_t across[0x800];
	ok(!ms_addrspace_read(&as2, 0x10400, whole, sizeof(whole)), "read across the segments");
	memset(across, 0, sizeof(across));
	ok(!ms_addrspace_read_bulk(&as2, 0x10400, across, sizeof(across)) &&
	   memcmp(across, whole, sizeof(across)) == 0 && across[0] == 0x0c && across[0x400] == 0,
	   "bulk read across the segments, piece by piece");
	berr = ms_addrspace_read_bulk(&as2, 0x10c00, across, sizeof(across));
	ok(berr && berr->code == MS_ERR_FAULT && berr->address == 0x11000,
	   "bulk read past the last segment faults where the read does");
	ms_error_destroy(berr);
	close(fd2);
	ms_addrspace_deinit(&as2);
	free(image);
	return done_testing();
}
