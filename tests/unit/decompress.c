/* Unit tests for codec detection and the sparse writer behind compressed cores. */
#include "config.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decompress.h"
#include "tap.h"

int main(void)
{
	static const uint8_t zst[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x04 };
	static const uint8_t xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00, 0x00 };
	static const uint8_t lz4[] = { 0x04, 0x22, 0x4d, 0x18, 0x64 };
	static const uint8_t elf[] = { 0x7f, 'E', 'L', 'F', 2 };
	ok(ms_codec_detect(zst, sizeof(zst)) == MS_CODEC_ZSTD, "zstd magic");
	ok(ms_codec_detect(xz, sizeof(xz)) == MS_CODEC_XZ, "xz magic");
	ok(ms_codec_detect(lz4, sizeof(lz4)) == MS_CODEC_LZ4, "lz4 frame magic");
	ok(ms_codec_detect(elf, sizeof(elf)) == MS_CODEC_NONE, "an ELF core is not compressed");
	ok(ms_codec_detect(xz, 3) == MS_CODEC_NONE, "a short file is not mistaken for xz");

	// 1 MiB of zeros with data at 5000..5010 and in the last block but
	// one byte: only those blocks take disk, and the size is exact.
	enum { SIZE = 1 << 20 };
	uint8_t *buf = calloc(1, SIZE);
	memset(buf + 5000, 0xab, 10);
	buf[SIZE - 2] = 1;
	int fd;
	struct ms_error *err = ms_tmpfile_create(&fd);
	ok(!err, "temporary file");
	if (err)
		return done_testing();
	struct ms_sparse_writer w;
	ms_sparse_writer_init(&w, fd, "test");
	// Odd chunk sizes cross block boundaries in every way.
	size_t off = 0, step = 3001;
	while (off < SIZE) {
		size_t n = SIZE - off < step ? SIZE - off : step;
		struct ms_error *e = ms_sparse_writer_write(&w, buf + off, n);
		if (e)
			ok(0, "write %zu at %zu: %s", n, off, e->message);
		off += n;
		step = step * 7 % 65521 + 1;
	}
	ok(!ms_sparse_writer_skip(&w, 8192), "a trailing hole");
	ok(!ms_sparse_writer_finish(&w), "finish");
	struct stat st;
	fstat(fd, &st);
	is_u64((uint64_t)st.st_size, SIZE + 8192, "size covers the trailing hole");
	ok((uint64_t)st.st_blocks * 512 <= 8 * 4096,
	   "only the data blocks take disk (%llu bytes)", (unsigned long long)st.st_blocks * 512);
	uint8_t *back = malloc(SIZE);
	ok(pread(fd, back, SIZE, 0) == SIZE && memcmp(back, buf, SIZE) == 0,
	   "the bytes read back are the bytes written");
	off_t data = lseek(fd, 0, SEEK_DATA);
	ok(data >= 4096 && data <= 5000, "the first data is in the block of 5000 (%lld)", (long long)data);
	close(fd);
	free(back);
	free(buf);

	ok(ms_codec_supported(MS_CODEC_NONE) == false, "no codec is not a codec");
	return done_testing();
}
