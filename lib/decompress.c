/* Compressed cores (zstd, xz, lz4, as systemd-coredump stores them): detection by magic and decompression into a sparse temporary file. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef HAVE_ZSTD
#include <zstd.h>
#endif
#ifdef HAVE_LZMA
#include <lzma.h>
#endif
#ifdef HAVE_LZ4
#include <lz4frame.h>
#endif

#include "decompress.h"

enum {
	BLOCK = 4096,		// the hole granularity: a page, the filesystem block
	BUF_SIZE = 1 << 20,	// input and output buffers
};

enum ms_codec ms_codec_detect(const void *buf, size_t len)
{
	static const uint8_t zstd[] = { 0x28, 0xb5, 0x2f, 0xfd };
	static const uint8_t xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
	static const uint8_t lz4[] = { 0x04, 0x22, 0x4d, 0x18 };
	if (len >= sizeof(zstd) && memcmp(buf, zstd, sizeof(zstd)) == 0)
		return MS_CODEC_ZSTD;
	if (len >= sizeof(xz) && memcmp(buf, xz, sizeof(xz)) == 0)
		return MS_CODEC_XZ;
	if (len >= sizeof(lz4) && memcmp(buf, lz4, sizeof(lz4)) == 0)
		return MS_CODEC_LZ4;
	return MS_CODEC_NONE;
}

const char *ms_codec_name(enum ms_codec codec)
{
	switch (codec) {
	case MS_CODEC_ZSTD: return "zstd";
	case MS_CODEC_XZ: return "xz";
	case MS_CODEC_LZ4: return "lz4";
	default: return "none";
	}
}

bool ms_codec_supported(enum ms_codec codec)
{
	switch (codec) {
#ifdef HAVE_ZSTD
	case MS_CODEC_ZSTD: return true;
#endif
#ifdef HAVE_LZMA
	case MS_CODEC_XZ: return true;
#endif
#ifdef HAVE_LZ4
	case MS_CODEC_LZ4: return true;
#endif
	default: return false;
	}
}

void ms_sparse_writer_init(struct ms_sparse_writer *w, int fd, const char *name)
{
	w->fd = fd;
	w->offset = 0;
	w->name = name;
	w->fill = 0;
}

static struct ms_error *write_all(struct ms_sparse_writer *w, const uint8_t *p,
				  size_t len)
{
	while (len) {
		ssize_t n = pwrite(w->fd, p, len, (off_t)w->offset);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ms_error_os(n < 0 ? errno : ENOSPC, w->name,
					   "cannot write the temporary copy of");
		p += n;
		len -= (size_t)n;
		w->offset += (uint64_t)n;
	}
	return NULL;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	// memcmp against a static block: no alignment assumptions about p.
	static const uint8_t zeros[256];
	while (len >= sizeof(zeros)) {
		if (memcmp(p, zeros, sizeof(zeros)) != 0)
			return false;
		p += sizeof(zeros);
		len -= sizeof(zeros);
	}
	return memcmp(p, zeros, len) == 0;
}

// Whole blocks at a block-aligned offset: holes for zero blocks, one write
// per run of data blocks.
static struct ms_error *put_blocks(struct ms_sparse_writer *w, const uint8_t *p,
				   size_t len)
{
	struct ms_error *err;
	while (len) {
		if (all_zero(p, BLOCK)) {
			w->offset += BLOCK;
			p += BLOCK;
			len -= BLOCK;
			continue;
		}
		size_t run = BLOCK;
		while (run < len && !all_zero(p + run, BLOCK))
			run += BLOCK;
		if ((err = write_all(w, p, run)))
			return err;
		p += run;
		len -= run;
	}
	return NULL;
}

struct ms_error *ms_sparse_writer_write(struct ms_sparse_writer *w,
					const void *buf, size_t len)
{
	const uint8_t *p = buf;
	struct ms_error *err;
	if (w->fill) {
		size_t n = BLOCK - w->fill < len ? BLOCK - w->fill : len;
		memcpy(w->block + w->fill, p, n);
		w->fill += n;
		p += n;
		len -= n;
		if (w->fill < BLOCK)
			return NULL;
		w->fill = 0;
		if ((err = put_blocks(w, w->block, BLOCK)))
			return err;
	}
	size_t whole = len / BLOCK * BLOCK;
	if (whole && (err = put_blocks(w, p, whole)))
		return err;
	memcpy(w->block, p + whole, len - whole);
	w->fill = len - whole;
	return NULL;
}

struct ms_error *ms_sparse_writer_skip(struct ms_sparse_writer *w, uint64_t len)
{
	static const uint8_t zeros[BLOCK];
	struct ms_error *err;
	// Fill the partial block, skip whole blocks, start the next one.
	while (len && w->fill) {
		size_t n = len < BLOCK ? (size_t)len : BLOCK;
		if ((err = ms_sparse_writer_write(w, zeros, n)))
			return err;
		len -= n;
	}
	w->offset += len / BLOCK * BLOCK;
	return ms_sparse_writer_write(w, zeros, (size_t)(len % BLOCK));
}

struct ms_error *ms_sparse_writer_finish(struct ms_sparse_writer *w)
{
	struct ms_error *err;
	if (w->fill && !all_zero(w->block, w->fill) &&
	    (err = write_all(w, w->block, w->fill)))
		return err;
	if (w->fill && all_zero(w->block, w->fill))
		w->offset += w->fill;
	w->fill = 0;
	if (ftruncate(w->fd, (off_t)w->offset) < 0)
		return ms_error_os(errno, w->name, "cannot size the temporary copy of");
	return NULL;
}

struct ms_error *ms_tmpfile_create(int *ret)
{
	const char *dirs[] = { getenv("TMPDIR"), "/var/tmp", "/tmp" };
	int last = ENOENT;
	const char *last_dir = "/tmp";
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		const char *d = dirs[i];
		if (!d || !*d)
			continue;
		int fd = open(d, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		if (fd >= 0) {
			*ret = fd;
			return NULL;
		}
		// Filesystems without O_TMPFILE: a named file, unlinked at once.
		size_t n = strlen(d) + sizeof("/mapsleuth-XXXXXX");
		char *tmpl = malloc(n);
		if (!tmpl)
			return &ms_enomem;
		snprintf(tmpl, n, "%s/mapsleuth-XXXXXX", d);
		fd = mkostemp(tmpl, O_CLOEXEC);
		if (fd >= 0) {
			unlink(tmpl);
			free(tmpl);
			*ret = fd;
			return NULL;
		}
		last = errno;
		last_dir = d;
		free(tmpl);
	}
	return ms_error_os(last, last_dir, "cannot create a temporary file in");
}

struct decoder {
	int in_fd;
	const char *name;
	uint8_t *in, *out;
	struct ms_sparse_writer w;
};

// Read the next chunk of input; *n is 0 at the end of the file.
__attribute__((unused))
static struct ms_error *read_in(struct decoder *d, size_t *n)
{
	for (;;) {
		ssize_t r = read(d->in_fd, d->in, BUF_SIZE);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return ms_error_os(errno, d->name, "cannot read");
		*n = (size_t)r;
		return NULL;
	}
}

__attribute__((unused))
static struct ms_error *truncated(const struct decoder *d, const char *codec)
{
	return ms_error_create(MS_ERR_BAD_DATA,
			       "%s: %s stream is truncated after %llu bytes of output",
			       d->name, codec, (unsigned long long)d->w.offset);
}

// The next chunk of input; at the end of the file (*n 0) a frame still
// @pending means the stream was cut short.
#if defined(HAVE_ZSTD) || defined(HAVE_LZ4)
static struct ms_error *next_input(struct decoder *d, bool pending,
				   const char *codec, size_t *n)
{
	struct ms_error *err = read_in(d, n);
	if (!err && !*n && pending)
		err = truncated(d, codec);
	return err;
}
#endif

#ifdef HAVE_ZSTD
static struct ms_error *decode_zstd(struct decoder *d)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	if (!z)
		return &ms_enomem;
	struct ms_error *err = NULL;
	size_t hint = 1;	// 0 once a frame has ended and nothing is pending
	ZSTD_initDStream(z);
	for (;;) {
		size_t n;
		if ((err = next_input(d, hint != 0, "zstd", &n)) || !n)
			break;
		ZSTD_inBuffer ib = { d->in, n, 0 };
		while (ib.pos < ib.size) {
			ZSTD_outBuffer ob = { d->out, BUF_SIZE, 0 };
			hint = ZSTD_decompressStream(z, &ob, &ib);
			if (ZSTD_isError(hint)) {
				err = ms_error_create(MS_ERR_BAD_DATA,
						      "%s: corrupt zstd data after %llu bytes of output: %s",
						      d->name, (unsigned long long)d->w.offset,
						      ZSTD_getErrorName(hint));
				goto out;
			}
			if ((err = ms_sparse_writer_write(&d->w, d->out, ob.pos)))
				goto out;
		}
		// zstd keeps the last byte of a frame until it has flushed the
		// frame's output, so consuming all input is enough here.
	}
out:
	ZSTD_freeDStream(z);
	return err;
}
#endif

#ifdef HAVE_LZMA
static struct ms_error *decode_xz(struct decoder *d)
{
	lzma_stream x = LZMA_STREAM_INIT;
	// The memory limit bounds what a hostile header can make us allocate.
	if (lzma_stream_decoder(&x, 1ULL << 30, LZMA_CONCATENATED) != LZMA_OK)
		return &ms_enomem;
	struct ms_error *err = NULL;
	lzma_action action = LZMA_RUN;
	for (;;) {
		if (x.avail_in == 0 && action == LZMA_RUN) {
			size_t n;
			if ((err = read_in(d, &n)))
				break;
			x.next_in = d->in;
			x.avail_in = n;
			if (!n)
				action = LZMA_FINISH;
		}
		x.next_out = d->out;
		x.avail_out = BUF_SIZE;
		lzma_ret r = lzma_code(&x, action);
		if ((err = ms_sparse_writer_write(&d->w, d->out, BUF_SIZE - x.avail_out)))
			break;
		if (r == LZMA_STREAM_END)
			break;
		if (r == LZMA_BUF_ERROR && action == LZMA_FINISH) {
			err = truncated(d, "xz");
			break;
		}
		if (r != LZMA_OK) {
			err = ms_error_create(MS_ERR_BAD_DATA,
					      "%s: corrupt xz data after %llu bytes of output (liblzma error %d)",
					      d->name, (unsigned long long)d->w.offset, (int)r);
			break;
		}
	}
	lzma_end(&x);
	return err;
}
#endif

#ifdef HAVE_LZ4
static struct ms_error *decode_lz4(struct decoder *d)
{
	LZ4F_dctx *z;
	if (LZ4F_isError(LZ4F_createDecompressionContext(&z, LZ4F_VERSION)))
		return &ms_enomem;
	struct ms_error *err = NULL;
	size_t hint = 1;	// 0 when a frame has just ended
	for (;;) {
		size_t n;
		if ((err = next_input(d, hint != 0, "lz4", &n)) || !n)
			break;
		size_t pos = 0;
		// Loop also after the input is used up: output may be pending.
		for (;;) {
			size_t in_len = n - pos, out_len = BUF_SIZE;
			size_t r = LZ4F_decompress(z, d->out, &out_len, d->in + pos,
						   &in_len, NULL);
			if (!LZ4F_isError(r) && in_len == 0 && out_len == 0)
				break;	// nothing pending; r would describe a next frame
			hint = r;
			if (LZ4F_isError(hint)) {
				err = ms_error_create(MS_ERR_BAD_DATA,
						      "%s: corrupt lz4 data after %llu bytes of output: %s",
						      d->name, (unsigned long long)d->w.offset,
						      LZ4F_getErrorName(hint));
				goto out;
			}
			pos += in_len;
			if ((err = ms_sparse_writer_write(&d->w, d->out, out_len)))
				goto out;
			if (pos >= n && out_len < BUF_SIZE)
				break;
		}
	}
out:
	LZ4F_freeDecompressionContext(z);
	return err;
}
#endif

struct ms_error *ms_decompress_to_tmpfile(int in_fd, const char *name,
					  enum ms_codec codec, int *ret)
{
	if (!ms_codec_supported(codec))
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "%s: %s-compressed, and this mapsleuth was built without %s support; decompress it first",
				       name, ms_codec_name(codec), ms_codec_name(codec));
	if (lseek(in_fd, 0, SEEK_SET) < 0)
		return ms_error_os(errno, name, "cannot seek in");
	struct decoder d = { .in_fd = in_fd, .name = name };
	int fd = -1;
	struct ms_error *err = ms_tmpfile_create(&fd);
	if (err)
		return err;
	ms_sparse_writer_init(&d.w, fd, name);
	d.in = malloc(BUF_SIZE);
	d.out = malloc(BUF_SIZE);
	if (!d.in || !d.out) {
		err = &ms_enomem;
		goto out;
	}
	switch (codec) {
#ifdef HAVE_ZSTD
	case MS_CODEC_ZSTD: err = decode_zstd(&d); break;
#endif
#ifdef HAVE_LZMA
	case MS_CODEC_XZ: err = decode_xz(&d); break;
#endif
#ifdef HAVE_LZ4
	case MS_CODEC_LZ4: err = decode_lz4(&d); break;
#endif
	default: break;
	}
	if (!err)
		err = ms_sparse_writer_finish(&d.w);
out:
	free(d.in);
	free(d.out);
	if (err) {
		close(fd);
		return err;
	}
	*ret = fd;
	return NULL;
}
