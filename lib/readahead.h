/* Reading the Go heap's bytes of a core ahead of the scan, when the page cache does not hold them. */
#ifndef MAPSLEUTH_READAHEAD_H
#define MAPSLEUTH_READAHEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addrspace.h"
#include "heap.h"

/** A run of the core file to read ahead: [offset, offset + len). */
struct ms_readahead_range {
	uint64_t offset, len;
};

/**
 * The core file runs holding the heap arenas of @p heap (the dumped bytes
 * of each 64 MiB arena that mheap_.arenas names), in file order, adjacent
 * runs joined. Reads one word of the arena index per arena-sized piece of
 * each writable anonymous segment.
 * @return the number of runs (at most @p max) written to @p ret.
 */
size_t ms_readahead_heap_ranges(const struct ms_addrspace *as,
				const struct ms_heap *heap,
				struct ms_readahead_range *ret, size_t max);

/**
 * Whether the page cache seems to hold the runs: a few pages spread over
 * them, each asked of mincore() on @p image, the file mapped whole from
 * offset 0 (@p image_size bytes). True when it cannot tell.
 */
bool ms_readahead_cached(const void *image, size_t image_size,
			 const struct ms_readahead_range *ranges, size_t n);

struct ms_readahead;

/**
 * Ask the kernel, from a thread of its own, to read the runs of @p fd
 * (borrowed) in order, a few MiB at a time (posix_fadvise WILLNEED: the
 * reads are started, not waited for). NULL when there is nothing to read
 * or no thread.
 */
struct ms_readahead *ms_readahead_start(int fd, const struct ms_readahead_range *ranges,
					size_t n);

/** Stop asking (the reads already started go on) and free @p ra; NULL is a no-op. */
void ms_readahead_stop(struct ms_readahead *ra);

#endif
