/* Unit tests for the pclntab reader on a synthetic Go 1.20 table, whole and damaged. */
#include "config.h"

#include <stdlib.h>

#include "error.h"
#include "pclntab.h"
#include "tap.h"

enum {
	header_len = 0x48,	// Go 1.20+ pcHeader with 8-byte pointers
	nfunc = 3,
	names_off = header_len,
	pcln_off = 0x68,
	func_off = 8 * (nfunc + 1),	// _func records right after the ftab
	func_len = 44,
	table_len = pcln_off + func_off + nfunc * func_len,
};

static const char names[] = "main.a\0main.b\0runtime.c";
static const uint32_t name_offs[nfunc] = { 0, 7, 14 };
static const uint32_t entries[nfunc + 1] = { 0, 0x20, 0x50, 0x80 };

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

// The layout cmd/link writes: header, funcnametab, (empty cutab, filetab,
// pctab), then the pclntable starting with the ftab and its _func records.
static void build(uint8_t *buf, uint32_t magic, uint64_t text)
{
	memset(buf, 0, table_len);
	put32(buf, magic);
	buf[6] = 1;
	buf[7] = 8;
	put64(buf + 8, nfunc);
	put64(buf + 16, 0);
	put64(buf + 24, text);
	put64(buf + 32, names_off);
	for (int i = 0; i < 3; i++)	// cutab, filetab, pctab: empty
		put64(buf + 40 + 8 * i, names_off + sizeof(names));
	put64(buf + 64, pcln_off);
	memcpy(buf + names_off, names, sizeof(names));
	for (int i = 0; i <= nfunc; i++) {
		put32(buf + pcln_off + 8 * i, entries[i]);
		put32(buf + pcln_off + 8 * i + 4,
		      i < nfunc ? func_off + i * func_len : 0);
	}
	for (int i = 0; i < nfunc; i++) {
		uint8_t *f = buf + pcln_off + func_off + i * func_len;
		put32(f, entries[i]);
		put32(f + 4, name_offs[i]);
	}
}

static struct ms_error *parse(const uint8_t *buf, size_t len, uint64_t text,
			      struct ms_pclntab **ret)
{
	return ms_pclntab_parse(buf, len, "test.exe", 0x1000, text, ret);
}

// Expect a BAD_DATA error naming the file and the given offset.
static void is_bad(struct ms_error *err, uint64_t offset, const char *what)
{
	char where[32];
	snprintf(where, sizeof(where), "0x%llx", (unsigned long long)offset);
	ok(err && err->code == MS_ERR_BAD_DATA && strstr(err->message, "test.exe") &&
		   strstr(err->message, where),
	   "%s: %s", what, err ? err->message : "no error");
	ms_error_destroy(err);
}

static void test_lookups(void)
{
	uint8_t buf[table_len];
	struct ms_pclntab *tab = NULL;
	const char *name = NULL;
	uint64_t start = 0;

	build(buf, 0xfffffff1, 0x401000);
	ok(!parse(buf, sizeof(buf), 0, &tab), "a well-formed table parses");
	is_u64(ms_pclntab_count(tab), nfunc, "function count");
	is_u64(ms_pclntab_version(tab), 120, "1.20 magic");
	enum ms_pclntab_text_source src;
	is_u64(ms_pclntab_text_start(tab, &src), 0x401000, "text start from header");
	is_str(ms_pclntab_text_source_str(src), "header", "text source");

	ok(!ms_pclntab_lookup(tab, 0x401000, &name, &start), "lookup at text start");
	is_str(name, "main.a", "first function");
	is_u64(start, 0x401000, "its entry");
	ok(!ms_pclntab_lookup(tab, 0x40101f, &name, &start), "lookup at its last byte");
	is_str(name, "main.a", "still the first function");
	ok(!ms_pclntab_lookup(tab, 0x401020, &name, &start), "lookup at the next entry");
	is_str(name, "main.b", "second function");
	ok(!ms_pclntab_lookup(tab, 0x40107f, &name, &start), "lookup before etext");
	is_str(name, "runtime.c", "last function");
	is_u64(start, 0x401050, "its entry");
	ok(!ms_pclntab_lookup(tab, 0x401030, NULL, NULL), "out parameters may be NULL");

	struct ms_error *err = ms_pclntab_lookup(tab, 0x401080, &name, &start);
	ok(err && err->code == MS_ERR_NOT_FOUND, "etext is past the last function");
	ms_error_destroy(err);
	err = ms_pclntab_lookup(tab, 0x400fff, &name, &start);
	ok(err && err->code == MS_ERR_NOT_FOUND, "below the text is not found");
	ms_error_destroy(err);
	err = ms_pclntab_lookup(tab, 0x401000 + 0x100000000, &name, &start);
	ok(err && err->code == MS_ERR_NOT_FOUND, "4 GiB past the text is not found");
	ms_error_destroy(err);

	struct ms_pclntab_func fn;
	ok(!ms_pclntab_func(tab, 2, &fn), "function by index");
	ok(fn.start == 0x401050 && fn.end == 0x401080 && strcmp(fn.name, "runtime.c") == 0,
	   "its range ends at etext");
	err = ms_pclntab_func(tab, 3, &fn);
	ok(err && err->code == MS_ERR_NOT_FOUND, "index past the count");
	ms_error_destroy(err);
	ms_pclntab_destroy(tab);

	// Go 1.26 leaves textStart zero: lookups need it from the caller.
	build(buf, 0xfffffff1, 0);
	ok(!parse(buf, sizeof(buf), 0, &tab), "a table without text start parses");
	err = ms_pclntab_lookup(tab, 0x10, &name, &start);
	ok(err && err->code == MS_ERR_USAGE, "lookup without text start is refused");
	ms_error_destroy(err);
	ms_pclntab_set_text_start(tab, 0x7f0000);
	ok(!ms_pclntab_lookup(tab, 0x7f0021, &name, &start) && strcmp(name, "main.b") == 0,
	   "lookup with the text start set");
	is_str(ms_pclntab_text_source_str((ms_pclntab_text_start(tab, &src), src)),
	       "given", "text source given");
	ms_pclntab_destroy(tab);

	// The caller's text start wins over the header's.
	build(buf, 0xfffffff0, 0x401000);
	ok(!parse(buf, sizeof(buf), 0x500000, &tab), "1.18 magic parses");
	is_u64(ms_pclntab_version(tab), 118, "1.18 table");
	is_u64(ms_pclntab_text_start(tab, NULL), 0x500000, "given text start wins");
	ms_pclntab_destroy(tab);
	ms_pclntab_destroy(NULL);
}

static void test_damage(void)
{
	uint8_t buf[table_len];
	struct ms_pclntab *tab = NULL;
	const char *name = NULL;
	struct ms_error *err;

	build(buf, 0xfffffff1, 0x401000);
	err = parse(buf, 20, 0, &tab);
	is_bad(err, 0x1010, "truncated header");
	build(buf, 0x12345678, 0x401000);
	is_bad(parse(buf, sizeof(buf), 0, &tab), 0x1000, "no magic");
	build(buf, 0xfffffffa, 0x401000);
	err = parse(buf, sizeof(buf), 0, &tab);
	ok(err && err->code == MS_ERR_UNSUPPORTED, "Go 1.16 table is unsupported");
	ms_error_destroy(err);
	build(buf, 0xf1ffffff, 0x401000);
	err = parse(buf, sizeof(buf), 0, &tab);
	ok(err && err->code == MS_ERR_UNSUPPORTED, "big-endian table is unsupported");
	ms_error_destroy(err);

	build(buf, 0xfffffff1, 0x401000);
	buf[7] = 3;
	is_bad(parse(buf, sizeof(buf), 0, &tab), 0x1007, "bad pointer size");
	build(buf, 0xfffffff1, 0x401000);
	put64(buf + 8, 1 << 30);
	is_bad(parse(buf, sizeof(buf), 0, &tab), 0x1008, "implausible function count");
	build(buf, 0xfffffff1, 0x401000);
	put64(buf + 8, 100);
	is_bad(parse(buf, sizeof(buf), 0, &tab), 0x1000 + pcln_off,
	       "function table past the end");
	build(buf, 0xfffffff1, 0x401000);
	put64(buf + 64, table_len + 8);
	is_bad(parse(buf, sizeof(buf), 0, &tab), 0x1020, "pclntable offset past the end");
	build(buf, 0xfffffff1, 0x401000);
	put32(buf + pcln_off + 16, 0x10);
	is_bad(parse(buf, sizeof(buf), 0, &tab), 0x1000 + pcln_off + 16,
	       "unsorted function table");

	// Damage found at lookup: the table parses, the entry does not.
	build(buf, 0xfffffff1, 0x401000);
	put32(buf + pcln_off + 8 + 4, 0x10000);
	ok(!parse(buf, sizeof(buf), 0, &tab), "parses with a bad funcoff");
	is_bad(ms_pclntab_lookup(tab, 0x401020, &name, NULL),
	       0x1000 + pcln_off + 12, "funcoff out of bounds");
	ok(!ms_pclntab_lookup(tab, 0x401000, &name, NULL),
	   "other functions still resolve");
	ms_pclntab_destroy(tab);

	build(buf, 0xfffffff1, 0x401000);
	put32(buf + pcln_off + func_off + func_len, 0x24);
	ok(!parse(buf, sizeof(buf), 0, &tab), "parses with a wrong _func entry");
	is_bad(ms_pclntab_lookup(tab, 0x401020, &name, NULL),
	       0x1000 + pcln_off + func_off + func_len, "entry disagreement");
	ms_pclntab_destroy(tab);

	build(buf, 0xfffffff1, 0x401000);
	put32(buf + pcln_off + func_off + 4, sizeof(names) + 4);
	ok(!parse(buf, sizeof(buf), 0, &tab), "parses with a bad nameOff");
	is_bad(ms_pclntab_lookup(tab, 0x401000, &name, NULL),
	       0x1000 + pcln_off + func_off + 4, "name offset out of bounds");
	ms_pclntab_destroy(tab);

	// The last name runs into cutab without its NUL.
	build(buf, 0xfffffff1, 0x401000);
	for (int i = 0; i < 3; i++)
		put64(buf + 40 + 8 * i, names_off + sizeof(names) - 1);
	ok(!parse(buf, sizeof(buf), 0, &tab), "parses with a cut name table");
	is_bad(ms_pclntab_lookup(tab, 0x401050, &name, NULL),
	       0x1000 + names_off + 14, "unterminated name");
	ms_pclntab_destroy(tab);

	// A _func record cut by the end of the buffer.
	build(buf, 0xfffffff1, 0x401000);
	ok(!parse(buf, pcln_off + func_off + 2 * func_len + 6, 0, &tab),
	   "parses when the last _func is cut");
	is_bad(ms_pclntab_lookup(tab, 0x401050, &name, NULL),
	       0x1000 + pcln_off + func_off + 2 * func_len + 4, "truncated _func");
	ms_pclntab_destroy(tab);
}

// Every byte set to a few bad values, then every pc looked up: errors are
// fine, crashes (or sanitizer reports) are not.
static void test_every_byte(void)
{
	static const uint8_t values[] = { 0x00, 0x7f, 0x80, 0xff };
	uint8_t buf[table_len];
	size_t parsed = 0, failed = 0;
	for (size_t pos = 0; pos < table_len; pos++) {
		for (size_t v = 0; v < sizeof(values); v++) {
			build(buf, 0xfffffff1, 0x401000);
			buf[pos] = values[v];
			// Copy into a buffer of exactly the table's size so the
			// sanitizers see any read past it.
			uint8_t *copy = malloc(table_len);
			memcpy(copy, buf, table_len);
			struct ms_pclntab *tab = NULL;
			struct ms_error *err = parse(copy, table_len, 0, &tab);
			if (err) {
				failed++;
				ms_error_destroy(err);
				free(copy);
				continue;
			}
			parsed++;
			for (uint64_t pc = 0x400ff0; pc < 0x401090; pc++) {
				const char *name = NULL;
				err = ms_pclntab_lookup(tab, pc, &name, NULL);
				if (!err && strlen(name) > sizeof(names))
					failed++;
				ms_error_destroy(err);
			}
			ms_pclntab_destroy(tab);
			free(copy);
		}
	}
	ok(parsed > 0 && failed > 0,
	   "%zu damaged tables parsed, %zu rejected, none crashed", parsed, failed);
}

int main(void)
{
	test_lookups();
	test_damage();
	test_every_byte();
	return done_testing();
}
