/* Compressed cores (zstd, xz, lz4, as systemd-coredump stores them): detection by magic and decompression into a sparse temporary file. */
#ifndef MS_DECOMPRESS_H
#define MS_DECOMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/** How a file is compressed. */
enum ms_codec {
	MS_CODEC_NONE = 0,
	MS_CODEC_ZSTD,		/**< 28 b5 2f fd */
	MS_CODEC_XZ,		/**< fd '7zXZ' 00 */
	MS_CODEC_LZ4,		/**< LZ4 frame: 04 22 4d 18 */
};

/** The codec whose magic starts @p buf, or MS_CODEC_NONE. */
enum ms_codec ms_codec_detect(const void *buf, size_t len);

/** "zstd", "xz", "lz4" or "none". */
const char *ms_codec_name(enum ms_codec codec);

/** Whether this build can decompress @p codec. */
bool ms_codec_supported(enum ms_codec codec);

/**
 * A writer that leaves holes for blocks of zeros, so that a core whose
 * memory is mostly unwritten costs only the disk its data needs.
 */
struct ms_sparse_writer {
	int fd;
	uint64_t offset;	/**< bytes written or skipped so far, but for the partial block */
	const char *name;	/**< for messages (borrowed) */
	size_t fill;		/**< bytes of the partial block in @c block */
	uint8_t block[4096];	/**< the block being gathered, so chunk sizes never matter */
};

/** Start writing at offset 0 of @p fd. */
void ms_sparse_writer_init(struct ms_sparse_writer *w, int fd, const char *name);

/**
 * Append @p len bytes: aligned 4 KiB blocks of zeros are skipped with
 * lseek, the rest is written.
 * @return NULL or MS_ERR_OS (a full disk names the file).
 */
struct ms_error *ms_sparse_writer_write(struct ms_sparse_writer *w,
					const void *buf, size_t len);

/**
 * Append @p len zero bytes (a hole where whole blocks allow).
 */
struct ms_error *ms_sparse_writer_skip(struct ms_sparse_writer *w, uint64_t len);

/** Set the file's size to what was appended (a trailing hole needs it). */
struct ms_error *ms_sparse_writer_finish(struct ms_sparse_writer *w);

/**
 * Create an unnamed temporary file (O_TMPFILE, else created and unlinked)
 * in $TMPDIR, else /var/tmp, else /tmp.
 * @param[out] ret its descriptor, read-write; closing it frees the disk.
 */
struct ms_error *ms_tmpfile_create(int *ret);

/**
 * Decompress all of @p in_fd (from offset 0; concatenated frames or
 * streams are decoded one after the other) into a new sparse temporary
 * file. Memory use is a few fixed buffers whatever the size.
 * @param[in] name the compressed file, for messages.
 * @param[out] ret the temporary file's descriptor, to close.
 * @return NULL, MS_ERR_UNSUPPORTED when this build lacks the codec,
 * MS_ERR_BAD_DATA for a corrupt or truncated stream, or MS_ERR_OS.
 */
struct ms_error *ms_decompress_to_tmpfile(int in_fd, const char *name,
					  enum ms_codec codec, int *ret);

#endif /* MS_DECOMPRESS_H */
