/* Judging one Go map header: classify every pointer, check the invariants, count live slots. */
#ifndef MS_MAP_CHECK_H
#define MS_MAP_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/** The two map implementations of Go 1.19 to 1.26. */
enum ms_map_impl {
	MS_MAP_CLASSIC = 1,	/**< runtime.hmap with buckets (1.19-1.23, noswissmap 1.24-1.25) */
	MS_MAP_SWISS,		/**< internal/runtime/maps.Map with a table directory (1.24+) */
};

/** Verdicts, in increasing order of severity. */
enum ms_verdict {
	MS_VERDICT_OK = 0,
	MS_VERDICT_NOT_DUMPED,	/**< memory not saved in the core: no judgement */
	MS_VERDICT_CORRUPT,	/**< an invariant of the header or its tables is broken */
	MS_VERDICT_FOREIGN,	/**< points into a module image or a non-heap mapping */
	MS_VERDICT_FREED,	/**< points into a freed heap span or unallocated object */
	MS_VERDICT_DANGLING,	/**< points outside every mapping */
};

/** Where a pointer leads, as the checker needs to know it. */
enum ms_ptr_class {
	MS_PTR_NULL = 0,
	MS_PTR_HEAP,		/**< an allocated object in an in-use heap span */
	MS_PTR_HEAP_FREE,	/**< heap arena memory that is not allocated */
	MS_PTR_STACK,		/**< a goroutine stack (legal for non-escaping maps) */
	MS_PTR_MODULE,		/**< inside the image of the executable or a shared object */
	MS_PTR_MAPPING,		/**< another mapping (anonymous mmap, libc heap, ...) */
	MS_PTR_NOT_DUMPED,	/**< mapped, but its bytes are not in the core */
	MS_PTR_UNMAPPED,	/**< no mapping covers it */
};

struct ms_ptr_info {
	enum ms_ptr_class cls;
	bool object_known;	/**< object_base/object_size are set (MS_PTR_HEAP) */
	uint64_t object_base;
	uint64_t object_size;
	/**
	 * For people: "8 KiB past geo.so .bss". May be left empty when the
	 * class is one the checker accepts (null, heap, stack).
	 */
	char where[192];
};

/**
 * Memory as the checker sees it. The scan adapts a session to this; unit
 * tests feed synthetic buffers.
 */
struct ms_map_memory {
	/** Read @p len bytes at @p addr; MS_ERR_FAULT when they are not there. */
	struct ms_error *(*read)(void *arg, uint64_t addr, void *buf, size_t len);
	/** Say where @p addr leads. */
	void (*classify)(void *arg, uint64_t addr, struct ms_ptr_info *ret);
	void *arg;
	/**
	 * Optional: @p len bytes at @p addr in place (a pointer into the
	 * mapped core, valid while @p arg lives), or NULL, and the checker
	 * reads them with @c read. NULL when memory has no in-memory image.
	 */
	const void *(*borrow)(void *arg, uint64_t addr, size_t len);
	/**
	 * Optional: the @p len bytes at @p p, lent by @c borrow, are about
	 * to be read in order (a large bucket or group array): the memory
	 * may map them all at once rather than fault them in page by page.
	 */
	void (*will_read)(void *arg, const void *p, size_t len);
	/**
	 * Optional: read @p len bytes at @p addr into @p buf, as @c read
	 * does, for a large array read once in order, in chunks; the
	 * memory may copy them without mapping them (pread). Used instead
	 * of @c will_read when set.
	 */
	struct ms_error *(*read_bulk)(void *arg, uint64_t addr, void *buf, size_t len);
};

/**
 * Everything the checker needs to know about the layout of one map type,
 * flattened from DWARF, from built-in tables, or from a runtime map type
 * descriptor. Offsets are in bytes.
 */
struct ms_map_shape {
	enum ms_map_impl impl;
	uint64_t header_size;
	struct {	/* runtime.hmap and runtime.mapextra */
		uint32_t count, flags, B, noverflow, hash0, buckets, oldbuckets,
			nevacuate, extra;
		uint32_t x_overflow, x_oldoverflow, x_nextoverflow;
	} hmap;
	struct {	/* internal/runtime/maps.Map and .table */
		uint32_t used, seed, dir_ptr, dir_len, global_depth, global_shift,
			writing;
		uint32_t table_size;
		uint32_t t_used, t_capacity, t_growth_left, t_local_depth, t_index,
			t_groups_data, t_groups_mask;
	} swiss;
	/** False when the key and element types are unknown (no DWARF, no descriptor). */
	bool typed;
	/** Classic: bucket size; swiss: group size. */
	uint64_t bucket_size;
	/** Classic: offset of the overflow pointer in a bucket. */
	uint64_t overflow_off;
	/**
	 * Slot i's key is at bucket + key_base + i * key_stride, its element at
	 * bucket + elem_base + i * elem_stride (classic buckets, swiss groups
	 * interleaved or split alike).
	 */
	uint64_t key_base, key_stride, elem_base, elem_stride;
	bool indirect_key, indirect_elem;	/**< the slot holds a pointer to the key/element */
};

/** Bounds on the work for one map; zero fields take the defaults. */
struct ms_map_limits {
	uint64_t max_buckets;	/**< buckets or groups read, overflow included (default 1<<20) */
	uint64_t max_tables;	/**< swiss directory entries examined (default 1<<16) */
};

/** One reason behind a verdict. */
struct ms_map_reason {
	enum ms_verdict verdict;
	char field[64];		/**< "buckets", "oldbuckets", "bucket[12].overflow", "table[3].groups", "count" */
	uint64_t pointer;	/**< the pointer judged, or 0 for an invariant */
	enum ms_ptr_class cls;	/**< its class, or MS_PTR_NULL for an invariant */
	char detail[256];	/**< for people */
};

/** The decoded header, for display. */
struct ms_map_header {
	uint64_t count;		/**< classic count / swiss used */
	/* classic */
	uint8_t flags, B;
	uint16_t noverflow;
	uint32_t hash0;
	uint64_t buckets, oldbuckets, nevacuate, extra;
	/* swiss */
	uint64_t seed, dir_ptr, dir_len;
	uint8_t global_depth, global_shift, writing;
};

/** The judgement of one map. */
struct ms_map_check {
	enum ms_verdict verdict;	/**< the worst of the reasons, or ok */
	struct ms_map_header hdr;
	bool header_read;		/**< the header bytes were readable */
	uint64_t live;			/**< live slots counted */
	bool live_complete;		/**< every bucket/group was read: live is exact */
	bool truncated;			/**< a limit stopped the walk */
	uint64_t buckets_read;
	uint64_t tables;		/**< swiss: distinct tables */
	struct ms_map_reason *reasons;
	size_t n_reasons;
};

/**
 * Called for each live slot, with the addresses of the key and element
 * (after indirection). Return non-zero to stop visiting (the check goes on).
 */
typedef int ms_map_entry_fn(void *arg, uint64_t key_addr, uint64_t elem_addr);

/**
 * Judge the map whose header is at @p header.
 *
 * Faults are not errors: they become reasons. Only running out of memory
 * is an error.
 * @param[in] entry_fn  called for live slots when the shape is typed; may be NULL
 * @param[out] ret      filled on success; release with ms_map_check_deinit()
 */
struct ms_error *ms_map_check(const struct ms_map_memory *mem,
			      const struct ms_map_shape *shape,
			      const struct ms_map_limits *limits,
			      uint64_t header, ms_map_entry_fn *entry_fn,
			      void *entry_arg, struct ms_map_check *ret);

void ms_map_check_deinit(struct ms_map_check *c);

/**
 * How plausible it is that @p bytes (header_size of them, read at an
 * address found by the heap scan) are a map header of this shape: 0 (no) to
 * 100 (every invariant that can be checked without following pointers
 * holds and the pointers lead where the runtime puts buckets or groups).
 */
int ms_map_header_confidence(const struct ms_map_memory *mem,
			     const struct ms_map_shape *shape,
			     const uint8_t *bytes);

/** "ok", "not-dumped", "corrupt", "foreign", "freed", "dangling". */
const char *ms_verdict_str(enum ms_verdict v);
/** "heap", "free heap", "stack", "module", "mapping", "not dumped", "unmapped", "null". */
const char *ms_ptr_class_str(enum ms_ptr_class c);
/** The verdict a pointer of this class earns (ok for heap and stack). */
enum ms_verdict ms_ptr_class_verdict(enum ms_ptr_class c);

#endif /* MS_MAP_CHECK_H */
