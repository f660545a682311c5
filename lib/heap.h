/* The Go heap in a core: arenas, spans and whether an address is inside an allocated object. */
#ifndef MS_HEAP_H
#define MS_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "go_runtime.h"

struct ms_addrspace;

/** runtime.mSpanState values (1.19-1.26). */
enum ms_span_state {
	MS_SPAN_DEAD = 0,
	MS_SPAN_IN_USE = 1,	/**< GC'd heap objects */
	MS_SPAN_MANUAL = 2,	/**< goroutine stacks and other manual memory */
};

/** "dead", "in use", "manual", or "state N". */
const char *ms_span_state_str(unsigned state);

/** One mspan as read from the core. */
struct ms_span {
	uint64_t addr;		/**< the mspan struct itself */
	uint64_t start;		/**< startAddr */
	uint64_t npages;	/**< 8 KiB pages */
	uint64_t elemsize;
	uint64_t nelems;
	uint64_t freeindex;
	uint64_t allocbits;	/**< address of the allocation bitmap */
	uint64_t limit;		/**< end of the last object */
	uint8_t state;		/**< enum ms_span_state */
	uint8_t spanclass;	/**< size class << 1 | noscan */
	/** largeType (1.22+, large objects with pointers): the object's type, else 0. */
	uint64_t large_type;
};

/** What the heap says about one address. */
struct ms_heap_lookup {
	bool in_arena;		/**< a heapArena covers it (mheap_.arenas) */
	bool has_span;		/**< the arena's spans[] has a span for its page */
	bool span_valid;	/**< the span's range contains the address (not stale) */
	struct ms_span span;
	bool in_object;		/**< in an in-use span, below limit */
	uint64_t object_base;
	uint64_t object_size;
	bool allocated;		/**< the object is allocated (freeindex or allocBits) */
};

/** The heap of one process; borrowed address space. */
struct ms_heap {
	const struct ms_addrspace *as;
	struct ms_heap_layout layout;
	uint64_t mheap;		/**< address of runtime.mheap_ */
	uint64_t l2;		/**< mheap_.arenas[0]: *[1 << 22]*heapArena */
	/** Unique to each ms_heap_init() (0: none): keys the lookup cache. */
	uint64_t generation;
};

/**
 * Set up the heap of a process from the address of runtime.mheap_.
 * @return NULL, MS_ERR_UNSUPPORTED (no layout), or the fault reading
 * mheap_.arenas[0].
 */
struct ms_error *ms_heap_init(struct ms_heap *heap, const struct ms_addrspace *as,
			      const struct ms_heap_layout *layout,
			      uint64_t mheap);

/**
 * Find runtime.mheap_ without symbols (stripped binaries): the address X in
 * [start, end) (the runtime module's bss) where X.arenas[0] is non-nil,
 * X.allspans is a plausible slice, and its first in-use span is found again
 * through arenas -> heapArena.spans. Reads at most 64 MiB.
 * @return NULL or MS_ERR_NOT_FOUND.
 */
struct ms_error *ms_heap_find_mheap(const struct ms_addrspace *as,
				    const struct ms_heap_layout *layout,
				    uint64_t start, uint64_t end,
				    uint64_t *ret);

/** Read the mspan at @p addr. */
struct ms_error *ms_heap_read_span(const struct ms_heap *heap, uint64_t addr,
				   struct ms_span *ret);

/**
 * Look @p addr up in the heap (spanOf, objIndex, isFree of the runtime).
 * An address outside every arena gives in_arena false and no error.
 * @return NULL or a fault reading runtime structures.
 */
struct ms_error *ms_heap_lookup(const struct ms_heap *heap, uint64_t addr,
				struct ms_heap_lookup *ret);

/**
 * Called for each allocated object; return non-zero to stop.
 */
/**
 * Call @p fn for every span in mheap_.allspans that can be read (in-use
 * spans also pass a sanity check), whatever its state; a non-zero return
 * stops. *@p skipped_ret (may be NULL) counts spans that could not be read.
 */
struct ms_error *ms_heap_foreach_span(const struct ms_heap *heap,
				      int (*fn)(void *arg, const struct ms_span *s),
				      void *arg, size_t *skipped_ret);

typedef int ms_heap_object_fn(void *arg, uint64_t base, uint64_t size,
			      uint64_t spanclass);

/**
 * Call @p fn for every allocated object of every in-use span in
 * mheap_.allspans. Spans that cannot be read or look corrupt are skipped
 * (counted in @p skipped_ret when not NULL); sizes are bounded so a
 * corrupt span never makes this loop or allocate without bound.
 * @return NULL, or the fault reading allspans itself.
 */
struct ms_error *ms_heap_foreach_object(const struct ms_heap *heap,
					ms_heap_object_fn *fn, void *arg,
					size_t *skipped_ret);

/**
 * Which of the @p nwords words at @p addr (inside an allocated heap
 * object) hold pointers, as the garbage collector sees them: bit i of
 * *@p ret is word i. This tells a map header from other objects of its
 * size whatever its contents: an hmap has pointers exactly at buckets,
 * oldbuckets and extra, a swiss Map only at dirPtr.
 * @return NULL, MS_ERR_NOT_FOUND (not in an allocated object),
 * MS_ERR_UNSUPPORTED (the bits are in a type, not a bitmap), a fault.
 */
struct ms_error *ms_heap_pointer_mask(const struct ms_heap *heap, uint64_t addr,
				      unsigned nwords, uint64_t *ret);

#endif /* MS_HEAP_H */
