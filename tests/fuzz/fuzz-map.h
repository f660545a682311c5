/* The input format of the map-judging fuzz harness, shared with the tool that makes its seeds from corpus cores. */
#ifndef MS_FUZZ_MAP_H
#define MS_FUZZ_MAP_H

#include <stdint.h>

/*
 * An input is a fixed prologue, then chunks of memory:
 *
 *   u8  variant   (% 3: FUZZ_MAP_CLASSIC48, FUZZ_MAP_CLASSIC56, FUZZ_MAP_SWISS)
 *   u8  flags     (FUZZ_MAP_TYPED | FUZZ_MAP_INDIRECT_KEY | FUZZ_MAP_INDIRECT_ELEM)
 *   u16 bucket_size, overflow_off, key_base, key_stride, elem_base, elem_stride
 *   u64 header    (the address judged)
 *   then any number of: u8 class, u64 address, u16 length, length bytes
 *
 * all little-endian. A chunk's class (% 6) says what the address space holds
 * there: an allocated heap object spanning the chunk, free heap, a stack, a
 * module image, another mapping, or a mapping whose bytes were not dumped
 * (it classifies but cannot be read). Addresses no chunk covers are
 * unmapped; the first chunk that covers an address wins.
 */
enum fuzz_map_variant {
	FUZZ_MAP_CLASSIC48 = 0,	/**< runtime.hmap of Go 1.19-1.23 */
	FUZZ_MAP_CLASSIC56 = 1,	/**< Go 1.24/1.25 noswissmap: clearSeq before extra */
	FUZZ_MAP_SWISS = 2,	/**< internal/runtime/maps.Map */
};

enum {
	FUZZ_MAP_TYPED = 1,
	FUZZ_MAP_INDIRECT_KEY = 2,
	FUZZ_MAP_INDIRECT_ELEM = 4,
};

enum fuzz_map_class {
	FUZZ_CHUNK_HEAP = 0,
	FUZZ_CHUNK_HEAP_FREE,
	FUZZ_CHUNK_STACK,
	FUZZ_CHUNK_MODULE,
	FUZZ_CHUNK_MAPPING,
	FUZZ_CHUNK_NOT_DUMPED,
	FUZZ_CHUNK_NCLASSES,
};

enum { FUZZ_MAP_PROLOGUE = 2 + 6 * 2 + 8, FUZZ_MAP_CHUNK_HEAD = 1 + 8 + 2 };

#endif /* MS_FUZZ_MAP_H */
