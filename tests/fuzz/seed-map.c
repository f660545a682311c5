/*
 * seed-map: write a seed for the map-judging fuzz harness (fuzz-map.h) from a
 * real map in a core: the header's object and, breadth first, the objects
 * its words point to (buckets, mapextra, directory, tables, groups), each
 * with the class the session gives its address. Run by make-seeds.sh.
 *
 * usage: seed-map CORE EXE OUT VARIANT FLAGS BUCKET_SIZE OVERFLOW_OFF
 *                 KEY_BASE KEY_STRIDE ELEM_BASE ELEM_STRIDE HEADER
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-map.h"
#include "session.h"

enum { MAX_CHUNKS = 48, MAX_OBJECT = 8192, MAX_TOTAL = 60000, MAX_DEPTH = 4 };

struct chunk {
	uint8_t cls;
	uint64_t addr;
	uint16_t len;
	uint8_t *bytes;
	int depth;
};

static struct chunk chunks[MAX_CHUNKS];
static size_t n_chunks, total;

static void put(FILE *f, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		fputc((int)(v >> (8 * i)) & 0xff, f);
}

static bool covered(uint64_t addr)
{
	for (size_t i = 0; i < n_chunks; i++)
		if (addr >= chunks[i].addr && addr - chunks[i].addr < chunks[i].len)
			return true;
	return false;
}

static void add(struct ms_session *s, uint64_t addr, int depth)
{
	if (!addr || covered(addr) || n_chunks == MAX_CHUNKS || total >= MAX_TOTAL)
		return;
	struct ms_addr_info where;
	if (ms_session_classify(s, addr, &where))
		return;
	uint64_t start = addr, len = 256;
	uint8_t cls;
	switch (where.cls) {
	case MS_ADDR_HEAP_INUSE:
		cls = FUZZ_CHUNK_HEAP;
		if (where.in_object) {
			start = where.object_base;
			len = where.object_size;
		}
		break;
	case MS_ADDR_HEAP_FREE:
		cls = FUZZ_CHUNK_HEAP_FREE;
		break;
	case MS_ADDR_STACK:
		cls = FUZZ_CHUNK_STACK;
		break;
	case MS_ADDR_MODULE:
		cls = FUZZ_CHUNK_MODULE;
		break;
	case MS_ADDR_NOT_DUMPED:
		cls = FUZZ_CHUNK_NOT_DUMPED;
		len = 8;
		break;
	case MS_ADDR_UNMAPPED:
		return;
	default:
		cls = FUZZ_CHUNK_MAPPING;
		break;
	}
	if (len > MAX_OBJECT)
		len = MAX_OBJECT;
	if (len > MAX_TOTAL - total)
		len = MAX_TOTAL - total;
	struct chunk *c = &chunks[n_chunks];
	c->bytes = calloc(1, len);
	if (!c->bytes)
		return;
	// Bytes that cannot be read stay zero (not dumped chunks carry none).
	if (cls != FUZZ_CHUNK_NOT_DUMPED)
		for (uint64_t o = 0; o < len; o += 8)
			ms_error_destroy(ms_session_read(s, start + o, c->bytes + o,
							 len - o < 8 ? len - o : 8));
	c->cls = cls;
	c->addr = start;
	c->len = (uint16_t)len;
	c->depth = depth;
	n_chunks++;
	total += len;
}

int main(int argc, char **argv)
{
	if (argc != 13) {
		fprintf(stderr, "usage: seed-map CORE EXE OUT VARIANT FLAGS BUCKET_SIZE OVERFLOW_OFF KEY_BASE KEY_STRIDE ELEM_BASE ELEM_STRIDE HEADER\n");
		return 64;
	}
	// Plugins and shared objects sit beside the executable.
	char *dir = strdup(argv[2]);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	if (slash)
		*slash = '\0';
	const char *search[1] = { slash ? dir : "." };
	struct ms_session_options o = {
		.core_path = argv[1], .exe_path = argv[2],
		.solib_search = search, .n_solib_search = 1,
	};
	struct ms_session *s;
	struct ms_error *err = ms_session_open(&o, &s);
	if (err) {
		fprintf(stderr, "seed-map: %s\n", err->message);
		return 2;
	}
	uint64_t header = strtoull(argv[12], NULL, 0);
	add(s, header, 0);
	for (size_t i = 0; i < n_chunks; i++) {
		if (chunks[i].depth >= MAX_DEPTH || chunks[i].cls == FUZZ_CHUNK_NOT_DUMPED)
			continue;
		for (size_t w = 0; w + 8 <= chunks[i].len; w += 8) {
			uint64_t v = 0;
			memcpy(&v, chunks[i].bytes + w, 8);
			add(s, v, chunks[i].depth + 1);
		}
	}
	FILE *f = fopen(argv[3], "wb");
	if (!f) {
		perror(argv[3]);
		return 2;
	}
	put(f, strtoul(argv[4], NULL, 0), 1);
	put(f, strtoul(argv[5], NULL, 0), 1);
	for (int i = 6; i <= 11; i++)
		put(f, strtoul(argv[i], NULL, 0), 2);
	put(f, header, 8);
	for (size_t i = 0; i < n_chunks; i++) {
		put(f, chunks[i].cls, 1);
		put(f, chunks[i].addr, 8);
		put(f, chunks[i].len, 2);
		fwrite(chunks[i].bytes, 1, chunks[i].len, f);
		free(chunks[i].bytes);
	}
	fclose(f);
	printf("%s: %zu chunks, %zu bytes\n", argv[3], n_chunks, total);
	ms_session_destroy(s);
	free(dir);
	return 0;
}
