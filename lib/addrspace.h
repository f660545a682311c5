/* The process's address space as the core shows it: sorted segments, each read from the core or from a mapped file. */
#ifndef MS_ADDRSPACE_H
#define MS_ADDRSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/**
 * Reads @p len bytes at @p offset of a mapped file into @p buf, for pages the
 * core left out. Returns MS_ERR_FAULT (kind not dumped) when the file does not
 * have them.
 */
typedef struct ms_error *ms_file_read_fn(void *arg, uint64_t offset, void *buf,
					 size_t len);

/** One mapping of the process. */
struct ms_segment {
	uint64_t start, end;	/**< [start, end) */
	uint32_t perms;		/**< PF_R | PF_W | PF_X; 0 for a PROT_NONE reservation */
	/** From a PT_LOAD of the core; false when only NT_FILE names it (gcore may leave read-only file mappings out). */
	bool in_core;
	uint64_t dumped;	/**< bytes [start, start + dumped) are saved in the core */
	uint64_t core_offset;	/**< file offset in the core of those bytes */
	const char *file_path;	/**< NT_FILE path when file-backed, else NULL (borrowed) */
	uint64_t file_offset;	/**< file offset of start, when file-backed */
	ms_file_read_fn *file_read;	/**< where undumped bytes come from, or NULL */
	void *file_arg;
};

/** A sorted set of non-overlapping segments over one core image. */
struct ms_addrspace {
	struct ms_segment *segments;
	size_t n_segments, cap;
	const uint8_t *image;	/**< the core file's bytes (borrowed) */
	size_t image_size;
	int image_fd;		/**< the core file, when have_image_fd (borrowed) */
	bool have_image_fd;
	const char *name;	/**< the core's name, for messages (borrowed) */
};

/**
 * Initialize an empty address space whose saved bytes live in @p image
 * (the core file as mapped; @p image_size may be less than segments claim
 * when the core is truncated).
 */
void ms_addrspace_init(struct ms_addrspace *as, const void *image,
		       size_t image_size, const char *name);
/** Free the segments of @p as. */
void ms_addrspace_deinit(struct ms_addrspace *as);

/**
 * Add a segment. It must not overlap an existing one.
 * @return NULL, MS_ERR_BAD_DATA on overlap or an empty range, or MS_ERR_NOMEM.
 */
struct ms_error *ms_addrspace_add(struct ms_addrspace *as,
				  const struct ms_segment *seg);

/**
 * Record that [start, end) maps @p path at @p offset (an NT_FILE entry):
 * segments inside the range get the file name and offset, and parts of the
 * range that no segment covers become segments of their own (in_core false,
 * readable, nothing dumped). Call after all PT_LOADs were added.
 * @param[in] path borrowed; must outlive @p as.
 */
struct ms_error *ms_addrspace_add_file_map(struct ms_addrspace *as,
					   uint64_t start, uint64_t end,
					   uint64_t offset, const char *path);

/**
 * Use @p fn to read the undumped bytes of every segment backed by @p path.
 * @return how many segments it now backs.
 */
size_t ms_addrspace_set_file_reader(struct ms_addrspace *as, const char *path,
				    ms_file_read_fn *fn, void *arg);

/**
 * The segment containing @p addr.
 * @return it (valid until the address space changes), or NULL.
 */
const struct ms_segment *ms_addrspace_find(const struct ms_addrspace *as,
					   uint64_t addr);

/**
 * The nearest segments entirely below and above @p addr (NULL when none).
 * @return the segment containing @p addr, as ms_addrspace_find() (one
 * search for the three).
 */
const struct ms_segment *ms_addrspace_neighbors(const struct ms_addrspace *as, uint64_t addr,
						const struct ms_segment **below,
						const struct ms_segment **above);

/**
 * Read @p len bytes at @p addr, across segments if they are contiguous.
 * @return NULL, or MS_ERR_FAULT whose address is the first byte that could
 * not be read and whose kind says why: unmapped (no mapping, or a PROT_NONE
 * reservation), not dumped (mapped but in neither the core nor a file), or
 * truncated (the core file ends before the bytes).
 */
struct ms_error *ms_addrspace_read(const struct ms_addrspace *as, uint64_t addr,
				   void *buf, size_t len);

/**
 * Borrow @p len bytes at @p addr in place: a pointer into the core image,
 * without a copy, when the range lies entirely in the dumped part of one
 * segment and inside the image. NULL otherwise: the range crosses a segment
 * boundary, reaches undumped or file-backed pages, runs past a truncated
 * core, or the address space has no in-memory image at all (@c image NULL,
 * as for a backend that reads a live process). A NULL answer says nothing
 * about whether the bytes exist: ms_addrspace_read() copies them or says
 * why it cannot.
 * @return a pointer valid as long as the image, or NULL.
 */
const void *ms_addrspace_borrow(const struct ms_addrspace *as, uint64_t addr,
				size_t len);

/**
 * The bytes at @p addr, in place when ms_addrspace_borrow() can lend them,
 * else copied into @p scratch (@p len bytes) as ms_addrspace_read() does.
 * The hot loops (bucket and group arrays, heap spans) read this way.
 * @param[out] ret the bytes: into the image or @p scratch.
 * @return NULL, or the fault of ms_addrspace_read().
 */
struct ms_error *ms_addrspace_peek(const struct ms_addrspace *as, uint64_t addr,
				   size_t len, void *scratch, const void **ret);

/**
 * The core file whose bytes @c image maps, opened as @p fd (borrowed: it
 * must stay open as long as the image): ms_addrspace_read_bulk() reads it
 * with pread.
 */
void ms_addrspace_set_image_fd(struct ms_addrspace *as, int fd);

/**
 * Read @p len bytes at @p addr into @p buf, as ms_addrspace_read() does,
 * for a large array read once in order: when the core file's descriptor is
 * known, each part of the range that lies in the dumped bytes of one
 * segment with pread from the file, which copies the bytes without mapping
 * them page by page (the kernel's cost for a mapped file is per page,
 * read()'s per byte); a range that crosses segments in pieces; else, or
 * when pread fails, from the mapping.
 */
struct ms_error *ms_addrspace_read_bulk(const struct ms_addrspace *as, uint64_t addr,
					void *buf, size_t len);

/**
 * The @p len bytes at @p p, lent by ms_addrspace_borrow(), will be read
 * soon, in order: map their pages now, in one call, rather than take a
 * page fault every few pages (MADV_POPULATE_READ; nothing where the
 * kernel lacks it). Only a hint: never fails, reads nothing itself.
 */
void ms_addrspace_will_read(const void *p, size_t len);

/** Read a little-endian 64-bit value at @p addr. */
struct ms_error *ms_addrspace_read_u64(const struct ms_addrspace *as,
				       uint64_t addr, uint64_t *ret);

/**
 * Whether the byte at @p addr of @p seg can be read (dumped in the core or
 * available from its file).
 */
bool ms_segment_readable(const struct ms_segment *seg, uint64_t addr);

/** "r-x", "rw-", "---" for @p perms; @p buf has room for 4 bytes. */
const char *ms_perms_str(uint32_t perms, char buf[4]);

#endif /* MS_ADDRSPACE_H */
