/* Reading the Go heap's bytes of a core ahead of the scan, when the page cache does not hold them. */
#include "config.h"

#include <elf.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "readahead.h"

enum {
	ARENA_BYTES = 64 << 20,		// heapArenaBytes, linux/amd64
	CHUNK = 8 << 20,		// asked for at a time
	SAMPLES = 32,			// pages asked of mincore()
};

size_t ms_readahead_heap_ranges(const struct ms_addrspace *as,
				const struct ms_heap *heap,
				struct ms_readahead_range *ret, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < as->n_segments && n < max; i++) {
		const struct ms_segment *seg = &as->segments[i];
		// The heap is anonymous writable memory the core holds.
		if (seg->file_path || !(seg->perms & PF_W) || !seg->dumped)
			continue;
		uint64_t end = seg->start + seg->dumped;
		for (uint64_t a = seg->start; a < end && n < max;) {
			uint64_t next = (a | (ARENA_BYTES - 1)) + 1;
			if (next > end || next < a)
				next = end;
			struct ms_heap_lookup h;
			struct ms_error *err = ms_heap_lookup(heap, a, &h);
			if (!err && h.in_arena) {
				uint64_t off = seg->core_offset + (a - seg->start), len = next - a;
				if (n && ret[n - 1].offset + ret[n - 1].len == off)
					ret[n - 1].len += len;
				else
					ret[n++] = (struct ms_readahead_range){ off, len };
			}
			ms_error_destroy(err);
			a = next;
		}
	}
	return n;
}

bool ms_readahead_cached(const void *image, size_t image_size,
			 const struct ms_readahead_range *ranges, size_t n)
{
	long page = sysconf(_SC_PAGESIZE);
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += ranges[i].len;
	if (!image || page <= 0 || !total)
		return true;
	// SAMPLES offsets evenly spread over the runs, as if laid end to end.
	size_t r = 0;
	uint64_t before = 0;	// bytes of the runs before run r
	for (unsigned k = 0; k < SAMPLES; k++) {
		uint64_t at = total / SAMPLES * k + total / (2 * SAMPLES);
		while (r < n && at >= before + ranges[r].len)
			before += ranges[r++].len;
		if (r == n)
			break;
		uint64_t off = ranges[r].offset + (at - before);
		off -= off % (uint64_t)page;
		if (off >= image_size)
			continue;
		unsigned char in;
		if (mincore((void *)((const char *)image + off), 1, &in) != 0)
			return true;
		if (!(in & 1))
			return false;
	}
	return true;
}

struct ms_readahead {
	pthread_t thread;
	int fd;
	struct ms_readahead_range *ranges;
	size_t n;
	bool stop;
};

static void *readahead_main(void *arg)
{
	struct ms_readahead *ra = arg;
	for (size_t i = 0; i < ra->n; i++) {
		for (uint64_t done = 0; done < ra->ranges[i].len; done += CHUNK) {
			if (__atomic_load_n(&ra->stop, __ATOMIC_RELAXED))
				return NULL;
			uint64_t len = ra->ranges[i].len - done < CHUNK ? ra->ranges[i].len - done
									: CHUNK;
			(void)posix_fadvise(ra->fd, (off_t)(ra->ranges[i].offset + done),
					    (off_t)len, POSIX_FADV_WILLNEED);
		}
	}
	return NULL;
}

struct ms_readahead *ms_readahead_start(int fd, const struct ms_readahead_range *ranges,
					size_t n)
{
	if (fd < 0 || !n)
		return NULL;
	struct ms_readahead *ra = calloc(1, sizeof(*ra));
	if (!ra || !(ra->ranges = malloc(n * sizeof(*ranges)))) {
		free(ra);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		ra->ranges[i] = ranges[i];
	ra->fd = fd;
	ra->n = n;
	if (pthread_create(&ra->thread, NULL, readahead_main, ra) != 0) {
		free(ra->ranges);
		free(ra);
		return NULL;
	}
	return ra;
}

void ms_readahead_stop(struct ms_readahead *ra)
{
	if (!ra)
		return;
	__atomic_store_n(&ra->stop, true, __ATOMIC_RELAXED);
	pthread_join(ra->thread, NULL);
	free(ra->ranges);
	free(ra);
}
