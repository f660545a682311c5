/* Unit tests for the pclntab's per-function tables (frame sizes, lines, files) on a synthetic Go 1.20 table. */
#include "config.h"

#include <stdlib.h>

#include "error.h"
#include "pclntab.h"
#include "tap.h"

enum {
	header_len = 0x48,
	names_off = header_len,		// "main.f\0"
	cutab_off = names_off + 8,	// one u32: file 0 at filetab offset 0
	filetab_off = cutab_off + 4,	// "main.go\0"
	pctab_off = filetab_off + 8,
	pctab_len = 16,
	pcln_off = pctab_off + pctab_len,
	func_off = 16,			// after the two ftab entries
	table_len = pcln_off + func_off + 44,
	text = 0x401000,
};

// Offset 0 of pctab means "no table", so the tables start at 1.
// pcsp: 0 on [0, 4), 0x18 on [4, 0x30), 0 on [0x30, 0x40): value deltas
// zigzag-encoded (+1 -> 2, +0x18 -> 0x30, -0x18 -> 0x2f), pc deltas in bytes.
// pcln: line 10 on [0, 0x10), 12 on [0x10, 0x40). pcfile: file 0 throughout.
static const uint8_t pctab[pctab_len] = {
	0,
	0x02, 0x04, 0x30, 0x2c, 0x2f, 0x10, 0x00,	// pcsp at 1
	0x16, 0x10, 0x04, 0x30, 0x00,			// pcln at 8
	0x02, 0x40, 0x00,				// pcfile at 13
};

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

static void build(uint8_t *buf)
{
	memset(buf, 0, table_len);
	put32(buf, 0xfffffff1);
	buf[6] = 1;
	buf[7] = 8;
	put64(buf + 8, 1);			// nfunc
	put64(buf + 16, 1);			// nfiles
	put64(buf + 24, text);
	put64(buf + 32, names_off);
	put64(buf + 40, cutab_off);
	put64(buf + 48, filetab_off);
	put64(buf + 56, pctab_off);
	put64(buf + 64, pcln_off);
	memcpy(buf + names_off, "main.f", 7);
	put32(buf + cutab_off, 0);
	memcpy(buf + filetab_off, "main.go", 8);
	memcpy(buf + pctab_off, pctab, sizeof(pctab));
	uint8_t *ft = buf + pcln_off;
	put32(ft, 0);
	put32(ft + 4, func_off);
	put32(ft + 8, 0x40);
	uint8_t *f = ft + func_off;
	put32(f + 16, 1);	// pcsp
	put32(f + 20, 13);	// pcfile
	put32(f + 24, 8);	// pcln
	put32(f + 36, 9);	// startLine
	f[41] = MS_PCLNTAB_FLAG_TOPFRAME;
}

int main(void)
{
	uint8_t *buf = malloc(table_len);
	if (!buf)
		return 1;
	build(buf);
	struct ms_pclntab *tab = NULL;
	struct ms_error *err = ms_pclntab_parse(buf, table_len, "test.exe", 0, 0, &tab);
	ok(!err, "parse: %s", err ? err->message : "ok");
	ms_error_destroy(err);
	if (!tab)
		return done_testing();

	struct ms_pclntab_funcinfo f;
	err = ms_pclntab_func_at(tab, text + 0x10, &f);
	ok(!err && strcmp(f.name, "main.f") == 0 && f.entry == text && f.end == text + 0x40,
	   "func_at: %s", err ? err->message : f.name);
	ms_error_destroy(err);
	ok(f.start_line == 9 && f.flag == MS_PCLNTAB_FLAG_TOPFRAME, "start line and flags");

	static const struct { uint64_t pc; int32_t delta; } sp[] = {
		{ 0, 0 }, { 3, 0 }, { 4, 0x18 }, { 0x2f, 0x18 }, { 0x30, 0 }, { 0x3f, 0 },
	};
	for (size_t i = 0; i < sizeof(sp) / sizeof(sp[0]); i++) {
		int32_t d = -1;
		err = ms_pclntab_sp_delta(tab, &f, text + sp[i].pc, &d);
		ok(!err && d == sp[i].delta, "sp delta at +0x%llx: %d", (unsigned long long)sp[i].pc, d);
		ms_error_destroy(err);
	}

	const char *file = NULL;
	int32_t line = 0;
	err = ms_pclntab_line(tab, &f, text + 0xf, &file, &line);
	ok(!err && strcmp(file, "main.go") == 0 && line == 10, "line at +0xf: %s:%d", file, line);
	ms_error_destroy(err);
	err = ms_pclntab_line(tab, &f, text + 0x10, &file, &line);
	ok(!err && line == 12, "line at +0x10: %d", line);
	ms_error_destroy(err);

	int32_t v;
	err = ms_pclntab_pcdata(tab, &f, MS_PCDATA_INL_TREE_INDEX, text, &v);
	ok(err && err->code == MS_ERR_NOT_FOUND, "no pcdata tables");
	ms_error_destroy(err);
	uint32_t off;
	err = ms_pclntab_funcdata(tab, &f, MS_FUNCDATA_INL_TREE, &off);
	ok(err && err->code == MS_ERR_NOT_FOUND, "no funcdata");
	ms_error_destroy(err);
	err = ms_pclntab_func_at(tab, text + 0x40, &f);
	ok(err && err->code == MS_ERR_NOT_FOUND, "past etext: no function");
	ms_error_destroy(err);

	// A table whose last varint runs off the end of the bytes: BAD_DATA,
	// and nothing read past them.
	f.pcsp = (uint32_t)(table_len - pctab_off - 1);
	buf[table_len - 1] = 0x80;
	int32_t d;
	err = ms_pclntab_sp_delta(tab, &f, text, &d);
	ok(err && err->code == MS_ERR_BAD_DATA, "varint past the end: %s",
	   err ? err->message : "no error");
	ms_error_destroy(err);
	ms_pclntab_destroy(tab);
	free(buf);
	return done_testing();
}
