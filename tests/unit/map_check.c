/* Unit tests for the map checker over synthetic memory: verdicts, invariants, bounds. */
#include "config.h"

#include <stdlib.h>

#include "map_check.h"
#include "tap.h"

// Fake memory: one readable region [BASE, BASE+SIZE) that is "heap", with
// objects starting at every 0x100 boundary; a "module" region; the rest is
// unmapped.
enum { BASE = 0x10000, SIZE = 0x10000, MODULE = 0x400000,
       NOT_DUMPED = 0x500000, FREED = 0x600000 };
static uint8_t heap[SIZE];

static struct ms_error *fake_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	if (addr >= NOT_DUMPED && addr < NOT_DUMPED + 0x1000)
		return ms_error_fault(addr, MS_FAULT_NOT_DUMPED, "0x%llx is not in the core",
				      (unsigned long long)addr);
	if (addr < BASE || addr + len > BASE + SIZE || addr + len < addr)
		return ms_error_fault(addr, MS_FAULT_UNMAPPED, "0x%llx is unmapped",
				      (unsigned long long)addr);
	memcpy(buf, heap + (addr - BASE), len);
	return NULL;
}

static void fake_classify(void *arg, uint64_t addr, struct ms_ptr_info *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (addr >= BASE && addr < BASE + SIZE) {
		ret->cls = MS_PTR_HEAP;
		ret->object_known = true;
		ret->object_base = addr & ~(uint64_t)0xff;
		ret->object_size = addr >= BASE + 0x8000 ? 0x8000 : 0x100;
		if (addr >= BASE + 0x8000)
			ret->object_base = BASE + 0x8000;
	} else if (addr >= MODULE && addr < MODULE + 0x1000) {
		ret->cls = MS_PTR_MODULE;
	} else if (addr >= NOT_DUMPED && addr < NOT_DUMPED + 0x1000) {
		ret->cls = MS_PTR_NOT_DUMPED;
	} else if (addr >= FREED && addr < FREED + 0x1000) {
		ret->cls = MS_PTR_HEAP_FREE;
	} else {
		ret->cls = MS_PTR_UNMAPPED;
	}
}

static const struct ms_map_memory mem = { fake_read, fake_classify, NULL };

// The same memory, lending its bytes in place as a mapped core does.
static const void *fake_borrow(void *arg, uint64_t addr, size_t len)
{
	if (addr < BASE || addr + len > BASE + SIZE || addr + len < addr)
		return NULL;
	return heap + (addr - BASE);
}

static const struct ms_map_memory mem_lent = { fake_read, fake_classify, NULL, fake_borrow };

static void put64(uint64_t addr, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		heap[addr - BASE + i] = (uint8_t)(v >> (8 * i));
}

// map[int64]int64, Go 1.19-1.23: hmap 48 bytes, bucket 8+64+64+8 = 144.
static struct ms_map_shape classic_shape(void)
{
	struct ms_map_shape s = {
		.impl = MS_MAP_CLASSIC, .header_size = 48,
		.hmap = { .count = 0, .flags = 8, .B = 9, .noverflow = 10, .hash0 = 12,
			  .buckets = 16, .oldbuckets = 24, .nevacuate = 32, .extra = 40,
			  .x_overflow = 0, .x_oldoverflow = 8, .x_nextoverflow = 16 },
		.typed = true, .bucket_size = 144, .overflow_off = 136,
		.key_base = 8, .key_stride = 8, .elem_base = 72, .elem_stride = 8,
	};
	return s;
}

// map[int64]int64, swiss: Map 48, table 32, group 8 + 8*16 = 136.
static struct ms_map_shape swiss_shape(void)
{
	struct ms_map_shape s = {
		.impl = MS_MAP_SWISS, .header_size = 48,
		.swiss = { .used = 0, .seed = 8, .dir_ptr = 16, .dir_len = 24,
			   .global_depth = 32, .global_shift = 33, .writing = 34,
			   .table_size = 32, .t_used = 0, .t_capacity = 2,
			   .t_growth_left = 4, .t_local_depth = 6, .t_index = 8,
			   .t_groups_data = 16, .t_groups_mask = 24 },
		.typed = true, .bucket_size = 136,
		.key_base = 8, .key_stride = 16, .elem_base = 16, .elem_stride = 16,
	};
	return s;
}

static int sum_keys(void *arg, uint64_t k, uint64_t e)
{
	uint64_t key = 0, *sum = arg;
	if (!fake_read(NULL, k, &key, 8))
		*sum += key;
	return 0;
}

static bool has_reason(const struct ms_map_check *c, const char *field)
{
	for (size_t i = 0; i < c->n_reasons; i++)
		if (strcmp(c->reasons[i].field, field) == 0)
			return true;
	return false;
}

static void test_classic(void)
{
	struct ms_map_shape s = classic_shape();
	memset(heap, 0, sizeof(heap));
	// Header at 0x10000, B=1, two buckets at 0x10100 (one 0x100 object
	// holds 288 bytes? no: use the large object at 0x18000).
	uint64_t h = BASE, b = BASE + 0x8000;
	put64(h + 0, 3);	// count
	heap[h - BASE + 9] = 1;	// B
	put64(h + 16, b);
	// bucket 0: two entries, bucket 1: one entry
	heap[b - BASE + 0] = 0x50; put64(b + 8, 10); put64(b + 72, 100);
	heap[b - BASE + 1] = 0x60; put64(b + 16, 20);
	heap[b + 144 - BASE + 0] = 0x70; put64(b + 144 + 8, 30);

	struct ms_map_check c;
	uint64_t sum = 0;
	ok(!ms_map_check(&mem, &s, NULL, h, sum_keys, &sum, &c), "classic: check runs");
	is_str(ms_verdict_str(c.verdict), "ok", "classic: healthy map is ok");
	is_u64(c.live, 3, "classic: 3 live slots");
	ok(c.live_complete, "classic: walk complete");
	is_u64(sum, 60, "classic: keys visited");
	ms_map_check_deinit(&c);

	// A count that disagrees with the buckets.
	put64(h, 5);
	ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c);
	is_str(ms_verdict_str(c.verdict), "corrupt", "classic: count mismatch is corrupt");
	ok(has_reason(&c, "count"), "classic: the reason names count");
	ms_map_check_deinit(&c);
	put64(h, 3);

	// An overflow bucket that leads nowhere.
	put64(b + 136, 0xdead0000);
	ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c);
	is_str(ms_verdict_str(c.verdict), "dangling", "classic: unmapped overflow is dangling");
	ok(has_reason(&c, "bucket[0].overflow#1"), "classic: reason names the chain link");
	ms_map_check_deinit(&c);
	put64(b + 136, 0);

	// Overflow chains that loop: bucket 0 -> bucket 1 -> bucket 0 (both
	// in the array), and bucket 0 -> A -> B -> A outside it. Each is
	// corrupt with the loop named, and the walk ends at once.
	put64(b + 136, b + 144);
	put64(b + 144 + 136, b);
	ok(!ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c), "classic: looping chain returns");
	is_str(ms_verdict_str(c.verdict), "corrupt", "classic: a looping chain is corrupt");
	ok(has_reason(&c, "bucket[0].overflow"), "classic: the loop is bucket 0's chain");
	ok(c.n_reasons && strstr(c.reasons[0].detail, "overflow chain of bucket 0 loops after 2 buckets"),
	   "classic: loop named: %s", c.n_reasons ? c.reasons[0].detail : "");
	ok(c.buckets_read < 10, "classic: the loop is not walked (%llu buckets read)",
	   (unsigned long long)c.buckets_read);
	ms_map_check_deinit(&c);
	put64(b + 144 + 136, 0);
	uint64_t ova = BASE + 0x200, ovb = BASE + 0x300;
	put64(b + 136, ova);
	put64(ova + 136, ovb);
	put64(ovb + 136, ova);
	struct ms_map_limits big = { .max_buckets = 1 << 30 };
	ok(!ms_map_check(&mem, &s, &big, h, NULL, NULL, &c), "classic: loop outside the array returns");
	ok(c.n_reasons && strstr(c.reasons[0].detail, "overflow chain of bucket 0 loops after 3 buckets"),
	   "classic: tail and period counted: %s", c.n_reasons ? c.reasons[0].detail : "");
	ok(c.buckets_read < 16, "classic: bounded with a huge limit (%llu buckets read)",
	   (unsigned long long)c.buckets_read);
	ms_map_check_deinit(&c);
	// A link into the array that does not loop is still impossible.
	put64(b + 136, b + 144);
	ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c);
	is_str(ms_verdict_str(c.verdict), "corrupt", "classic: overflow into the array is corrupt");
	ok(c.n_reasons && strstr(c.reasons[0].detail, "points into the bucket array (bucket 1)"),
	   "classic: named: %s", c.n_reasons ? c.reasons[0].detail : "");
	ms_map_check_deinit(&c);
	put64(b + 136, 0);
	memset(heap + (ova - BASE), 0, 0x200);

	// Buckets in a module image.
	put64(h + 16, MODULE + 0x10);
	ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c);
	is_str(ms_verdict_str(c.verdict), "foreign", "classic: buckets in a module are foreign");
	ms_map_check_deinit(&c);

	// Buckets the core did not save: no judgement beyond that.
	put64(h + 16, NOT_DUMPED);
	ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c);
	is_str(ms_verdict_str(c.verdict), "not-dumped", "classic: unsaved buckets are not-dumped");
	ok(!c.live_complete, "classic: live count unknown when buckets are not saved");
	ms_map_check_deinit(&c);

	// Buckets in a freed span.
	put64(h + 16, FREED);
	ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c);
	is_str(ms_verdict_str(c.verdict), "freed", "classic: buckets in a free span are freed");
	ms_map_check_deinit(&c);

	// B = 63 must not allocate or loop without bound.
	put64(h + 16, b);
	heap[h - BASE + 9] = 63;
	ok(!ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c), "classic: B=63 returns");
	is_str(ms_verdict_str(c.verdict), "corrupt", "classic: B=63 is corrupt");
	ms_map_check_deinit(&c);

	// B = 30 with a huge count: plausible fields, the walk is capped.
	heap[h - BASE + 9] = 20;
	put64(h, 1000000);
	struct ms_map_limits lim = { .max_buckets = 100 };
	ok(!ms_map_check(&mem, &s, &lim, h, NULL, NULL, &c), "classic: B=20 returns");
	ok(c.truncated && c.buckets_read <= 100, "classic: walk stops at the limit (%llu)",
	   (unsigned long long)c.buckets_read);
	ms_map_check_deinit(&c);

	// A header that cannot be read.
	ms_map_check(&mem, &s, NULL, 0x7000000, NULL, NULL, &c);
	is_str(ms_verdict_str(c.verdict), "dangling", "classic: unreadable header is dangling");
	ok(!c.header_read, "classic: header_read is false");
	ms_map_check_deinit(&c);
}

static void test_swiss(void)
{
	struct ms_map_shape s = swiss_shape();
	memset(heap, 0, sizeof(heap));
	uint64_t h = BASE;
	// Small map: dirLen 0, dirPtr -> one group with 2 full slots.
	uint64_t g = BASE + 0x100;
	put64(h + 0, 2);
	put64(h + 16, g);
	put64(g, 0x8080808080801122ull);
	put64(g + 8, 7); put64(g + 24, 8);
	struct ms_map_check c;
	uint64_t sum = 0;
	ms_map_check(&mem, &s, NULL, h, sum_keys, &sum, &c);
	is_str(ms_verdict_str(c.verdict), "ok", "swiss small: ok");
	is_u64(c.live, 2, "swiss small: 2 full slots");
	is_u64(sum, 15, "swiss small: keys visited");
	ms_map_check_deinit(&c);

	// A tombstone in a small map is impossible.
	put64(g, 0x80808080808011feull);
	ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c);
	is_str(ms_verdict_str(c.verdict), "corrupt", "swiss small: tombstone is corrupt");
	ms_map_check_deinit(&c);

	// Directory of 2 entries, both pointing at one table of localDepth 0.
	memset(heap, 0, sizeof(heap));
	uint64_t dir = BASE + 0x200, t = BASE + 0x300, groups = BASE + 0x8000;
	put64(h + 0, 3);
	put64(h + 16, dir);
	put64(h + 24, 2);
	heap[h - BASE + 32] = 1;	// globalDepth
	heap[h - BASE + 33] = 63;	// globalShift
	put64(dir, t); put64(dir + 8, t);
	heap[t - BASE + 0] = 3;		// used
	heap[t - BASE + 2] = 16;	// capacity
	heap[t - BASE + 6] = 0;		// localDepth
	put64(t + 8, 0);		// index
	put64(t + 16, groups);
	put64(t + 24, 1);		// lengthMask: 2 groups
	put64(groups, 0x8080808080808001ull);
	put64(groups + 136, 0x8080808080800203ull);
	ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c);
	is_str(ms_verdict_str(c.verdict), "ok", "swiss table: ok");
	is_u64(c.live, 3, "swiss table: 3 full slots");
	is_u64(c.tables, 1, "swiss table: one distinct table");
	ms_map_check_deinit(&c);

	heap[h - BASE + 33] = 60;
	ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c);
	ok(has_reason(&c, "globalShift"), "swiss: globalShift != 64 - globalDepth is flagged");
	ms_map_check_deinit(&c);
	heap[h - BASE + 33] = 63;

	// Groups freed: unmapped groups pointer.
	put64(t + 16, 0x7f0000000000);
	ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c);
	is_str(ms_verdict_str(c.verdict), "dangling", "swiss: unmapped groups are dangling");
	ok(has_reason(&c, "table[0].groups"), "swiss: reason names table[0].groups");
	ms_map_check_deinit(&c);

	// dirLen 2^40 must not allocate or loop.
	put64(h + 24, (uint64_t)1 << 40);
	heap[h - BASE + 32] = 40;
	heap[h - BASE + 33] = 24;
	ok(!ms_map_check(&mem, &s, NULL, h, NULL, NULL, &c), "swiss: dirLen 2^40 returns");
	ok(c.verdict != MS_VERDICT_OK, "swiss: dirLen 2^40 is not ok (%s)", ms_verdict_str(c.verdict));
	ms_map_check_deinit(&c);
}

// Every control byte value in every slot, in a small map's group and in a
// table's group: full (top bit clear) and empty are always sound, deleted
// only outside small maps, anything else is corrupt; the live count is the
// number of full slots.
static void test_swiss_ctrl_bytes(const struct ms_map_memory *m, const char *how)
{
	struct ms_map_shape s = swiss_shape();
	uint64_t h = BASE, g = BASE + 0x100, dir = BASE + 0x200, t = BASE + 0x300,
		 groups = BASE + 0x8000;
	unsigned wrong_small = 0, wrong_table = 0;
	for (unsigned slot = 0; slot < 8; slot++) {
		for (unsigned b = 0; b < 256; b++) {
			uint64_t ctrl = 0x8080808080808080ull & ~(0xffull << (8 * slot));
			ctrl |= (uint64_t)b << (8 * slot);
			bool full = !(b & 0x80);
			struct ms_map_check c;
			for (int table = 0; table < 2; table++) {
				memset(heap, 0, sizeof(heap));
				put64(h + 0, full);
				if (!table) {
					put64(h + 16, g);
					put64(g, ctrl);
				} else {
					put64(h + 16, dir);
					put64(h + 24, 1);	// dirLen 1, globalDepth 0
					heap[h - BASE + 33] = 64;
					put64(dir, t);
					heap[t - BASE + 0] = full;	// used
					heap[t - BASE + 2] = 16;	// capacity
					put64(t + 16, groups);
					put64(t + 24, 1);		// lengthMask: 2 groups
					put64(groups, ctrl);
					put64(groups + 136, 0x8080808080808080ull);
				}
				ms_map_check(m, &s, NULL, h, NULL, NULL, &c);
				bool sound = full || b == 0x80 || (table && b == 0xfe);
				bool right = (c.verdict == MS_VERDICT_OK) == sound &&
					     (!sound || c.live == full);
				if (!right && !(table ? wrong_table++ : wrong_small++))
					printf("# slot %u byte 0x%02x in a %s: %s, %llu live\n", slot, b,
					     table ? "table" : "small map", ms_verdict_str(c.verdict),
					     (unsigned long long)c.live);
				ms_map_check_deinit(&c);
			}
		}
	}
	is_u64(wrong_small, 0, "swiss small, %s: every control byte judged as the runtime writes them", how);
	is_u64(wrong_table, 0, "swiss table, %s: every control byte judged as the runtime writes them", how);

	// The budget cuts a table's groups whether they are lent or copied.
	struct ms_map_limits lim = { .max_buckets = 1 };
	struct ms_map_check c;
	put64(groups, 0x8080808080808001ull);
	ms_map_check(m, &s, &lim, h, NULL, NULL, &c);
	ok(c.truncated && c.buckets_read == 1, "swiss table, %s: the walk stops at the budget", how);
	ms_map_check_deinit(&c);
}

/*
 * Classic tophash bytes, eight at a time: for every mix of the kinds of
 * byte (emptyRest 0, emptyOne 1, evacuation marks 2-4, full 5 and up),
 * one bucket judged as the runtime writes them: a full slot after an
 * emptyRest one, or an evacuation mark in a current bucket, is corrupt;
 * otherwise the full slots are counted and visited.
 */
static void test_classic_tophash(const struct ms_map_memory *m, const char *how)
{
	static const uint8_t kinds[] = { 0, 1, 2, 4, 5, 0x80, 0xff };
	enum { N = sizeof(kinds) };
	struct ms_map_shape s = classic_shape();
	uint64_t h = BASE, b = BASE + 0x8000;
	unsigned wrong = 0, tried = 0;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (unsigned k = 0; k < 20000; k++) {
		uint8_t tops[8];
		for (unsigned i = 0; i < 8; i++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			tops[i] = kinds[(x >> 33) % N];
		}
		bool sound = true, seen_rest = false;
		uint64_t live = 0, keys = 0;
		for (unsigned i = 0; i < 8; i++) {
			if (tops[i] == 0)
				seen_rest = true;
			else if (tops[i] >= 5 && seen_rest)
				sound = false;
			if (tops[i] >= 2 && tops[i] <= 4)
				sound = false;
			if (tops[i] >= 5) {
				live++;
				keys += i + 1;
			}
		}
		memset(heap, 0, sizeof(heap));
		put64(h + 0, live);	// count; B = 0: one bucket
		put64(h + 16, b);
		memcpy(heap + (b - BASE), tops, 8);
		for (unsigned i = 0; i < 8; i++)
			put64(b + 8 + 8 * i, i + 1);
		struct ms_map_check c;
		uint64_t sum = 0;
		for (int visit = 0; visit < 2; visit++) {
			ms_map_check(m, &s, NULL, h, visit ? sum_keys : NULL, &sum, &c);
			bool right = (c.verdict == MS_VERDICT_OK) == sound &&
				     (!sound || (c.live == live && (!visit || sum == keys)));
			if (!right && !wrong++)
				printf("# tophash %02x %02x %02x %02x %02x %02x %02x %02x%s: %s, %llu live\n",
				       tops[0], tops[1], tops[2], tops[3], tops[4], tops[5],
				       tops[6], tops[7], visit ? " (visiting)" : "",
				       ms_verdict_str(c.verdict), (unsigned long long)c.live);
			tried++;
			ms_map_check_deinit(&c);
		}
	}
	is_u64(wrong, 0, "classic, %s: %u tophash words judged as the runtime writes them",
	       how, tried);
}

// Large arrays: a swiss table of 128 groups of 520 bytes (65 KiB, the
// largest a table has with 56-byte elements) and a classic array of 1024
// buckets (144 KiB, two chunks). Each is read in chunks with read_bulk,
// or after will_read, or in place, or copied, or in place again when a
// bulk read fails: the answer is the same every way.
enum { BIG = 0x1000000, BIG_SIZE = 0x30000, BIG_GROUP = 520 };
static uint8_t big[BIG_SIZE];
static int bulk_calls, will_read_calls;
static bool bulk_fails;

static struct ms_error *big_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	if (addr < BIG || addr + len > BIG + BIG_SIZE || addr + len < addr)
		return ms_error_fault(addr, MS_FAULT_UNMAPPED, "0x%llx is unmapped",
				      (unsigned long long)addr);
	memcpy(buf, big + (addr - BIG), len);
	return NULL;
}

static const void *big_borrow(void *arg, uint64_t addr, size_t len)
{
	if (addr < BIG || addr + len > BIG + BIG_SIZE || addr + len < addr)
		return NULL;
	return big + (addr - BIG);
}

static struct ms_error *big_read_bulk(void *arg, uint64_t addr, void *buf, size_t len)
{
	bulk_calls++;
	if (bulk_fails)
		return ms_error_fault(addr, MS_FAULT_NOT_DUMPED, "bulk read refused");
	return big_read(arg, addr, buf, len);
}

static void big_will_read(void *arg, const void *p, size_t len)
{
	will_read_calls++;
}

static void big_classify(void *arg, uint64_t addr, struct ms_ptr_info *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->cls = addr >= BIG && addr < BIG + BIG_SIZE ? MS_PTR_HEAP : MS_PTR_UNMAPPED;
}

static void big_put64(uint64_t addr, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		big[addr - BIG + i] = (uint8_t)(v >> (8 * i));
}

static const struct ms_map_memory big_ways[] = {
	{ big_read, big_classify, NULL, big_borrow, big_will_read, big_read_bulk },
	{ big_read, big_classify, NULL, big_borrow, big_will_read, big_read_bulk },
	{ big_read, big_classify, NULL, big_borrow, big_will_read, NULL },
	{ big_read, big_classify, NULL, big_borrow, NULL, NULL },
	{ big_read, big_classify, NULL, NULL, NULL, NULL },
};
static const char *const big_names[] = {
	"read in chunks", "bulk read failing", "after will_read", "in place", "copied",
};

// Check the map at BIG every way; @p bad: the byte that spoils it and its
// value, @p field the reason that must name it, @p calls the bulk reads.
static void check_big(const struct ms_map_shape *s, const char *what, uint64_t live,
		      uint64_t bad, uint8_t bad_value, const char *field, int calls)
{
	uint8_t good = big[bad - BIG];
	for (size_t w = 0; w < sizeof(big_ways) / sizeof(big_ways[0]); w++) {
		struct ms_map_check c;
		bulk_calls = will_read_calls = 0;
		bulk_fails = w == 1;
		big[bad - BIG] = good;
		ms_map_check(&big_ways[w], s, NULL, BIG, NULL, NULL, &c);
		ok(c.verdict == MS_VERDICT_OK && c.live == live,
		   "%s, %s: ok, %llu live (%s, %llu)", what, big_names[w],
		   (unsigned long long)live, ms_verdict_str(c.verdict),
		   (unsigned long long)c.live);
		if (w == 0)
			ok(bulk_calls == calls && !will_read_calls, "%s: %d bulk reads (%d)",
			   what, calls, bulk_calls);
		if (w == 2)
			ok(will_read_calls == 1 && !bulk_calls, "%s: announced once", what);
		ms_map_check_deinit(&c);
		big[bad - BIG] = bad_value;
		ms_map_check(&big_ways[w], s, NULL, BIG, NULL, NULL, &c);
		ok(c.verdict == MS_VERDICT_CORRUPT && has_reason(&c, field),
		   "%s, %s: %s is named", what, big_names[w], field);
		ms_map_check_deinit(&c);
	}
	big[bad - BIG] = good;
	struct ms_map_limits lim = { .max_buckets = 100 };
	struct ms_map_check c;
	ms_map_check(&big_ways[0], s, &lim, BIG, NULL, NULL, &c);
	ok(c.truncated && c.buckets_read == 100, "%s: the budget still cuts the walk", what);
	ms_map_check_deinit(&c);
}

static void test_bulk(void)
{
	// Swiss: one table of 128 groups of 520 bytes, one full slot each.
	struct ms_map_shape s = swiss_shape();
	s.bucket_size = BIG_GROUP;
	s.key_stride = s.elem_stride = 64;
	s.elem_base = 16;
	uint64_t dir = BIG + 0x100, t = BIG + 0x200, groups = BIG + 0x1000;
	memset(big, 0, sizeof(big));
	big_put64(BIG, 128);				// used
	big_put64(BIG + 16, dir);
	big_put64(BIG + 24, 1);				// dirLen 1
	big[33] = 64;					// globalShift
	big_put64(dir, t);
	big[0x200] = 128;				// table used
	big[0x202] = 0x00; big[0x203] = 0x04;		// capacity 1024
	big_put64(t + 16, groups);
	big_put64(t + 24, 127);				// lengthMask
	for (unsigned g = 0; g < 128; g++) {
		uint8_t *ctrl = big + (groups - BIG) + g * BIG_GROUP;
		memset(ctrl, 0x80, 8);
		ctrl[g % 8] = 0x11;
	}
	check_big(&s, "swiss table of 128 520-byte groups", 128,
		  groups + 100 * BIG_GROUP + 3, 0x81, "table[0].groups[100]", 1);

	// Classic: 2^10 buckets of 144 bytes, one entry each.
	struct ms_map_shape cs = classic_shape();
	uint64_t b = BIG + 0x1000;
	memset(big, 0, sizeof(big));
	big_put64(BIG, 1024);				// count
	big[9] = 10;					// B
	big_put64(BIG + 16, b);
	for (unsigned i = 0; i < 1024; i++)
		big[(b - BIG) + i * 144] = 0x50;
	// An evacuation mark in a current bucket of the second chunk.
	check_big(&cs, "classic array of 1024 buckets", 1024,
		  b + 900 * 144, 2, "bucket[900]", 2);
}

static void test_confidence(void)
{
	struct ms_map_shape s = swiss_shape();
	uint8_t h[48] = { 0 };
	h[8] = 0x5a;	// seed
	h[24] = 4; h[32] = 2; h[33] = 62;
	for (int i = 0; i < 8; i++)
		h[16 + i] = (uint8_t)(((uint64_t)BASE + 0x200) >> (8 * i));
	ok(ms_map_header_confidence(&mem, &s, h) >= 60, "swiss header signature scores high");
	h[33] = 61;
	ok(ms_map_header_confidence(&mem, &s, h) == 0, "swiss header with wrong shift scores 0");
	struct ms_map_shape cs = classic_shape();
	uint8_t ch[48] = { 0 };
	ch[8] = 0x40;
	ok(ms_map_header_confidence(&mem, &cs, ch) == 0, "classic header with bad flags scores 0");
	h[33] = 62;
	memset(h + 8, 0, 8);
	ok(ms_map_header_confidence(&mem, &s, h) == 0, "swiss header without a seed scores 0");

	// A classic header whose buckets were unmapped is still a map: that
	// is what the heap scan is for.
	memset(ch, 0, sizeof(ch));
	ch[0] = 40; ch[9] = 3; ch[12] = 0x11; ch[13] = 0x22;	// count, B, hash0
	uint64_t gone = 0x7f0000001000;
	for (int i = 0; i < 8; i++)
		ch[16 + i] = (uint8_t)(gone >> (8 * i));
	ok(ms_map_header_confidence(&mem, &cs, ch) >= 60,
	   "classic header with unmapped buckets scores as a map");
	// Buckets inside another object: something else's data.
	uint64_t inner = BASE + 0x108;
	for (int i = 0; i < 8; i++)
		ch[16 + i] = (uint8_t)(inner >> (8 * i));
	ok(ms_map_header_confidence(&mem, &cs, ch) == 0,
	   "classic header whose buckets point inside an object scores 0");
}

int main(void)
{
	test_classic();
	test_swiss();
	test_swiss_ctrl_bytes(&mem, "groups copied");
	test_swiss_ctrl_bytes(&mem_lent, "groups lent in place");
	test_classic_tophash(&mem, "buckets copied");
	test_classic_tophash(&mem_lent, "buckets lent in place");
	test_bulk();
	test_confidence();
	return done_testing();
}
