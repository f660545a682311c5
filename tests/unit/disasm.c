/* Unit tests for the disassembler: cross references and windows over hand-assembled x86-64. */
#include "config.h"

#include <stdlib.h>

#include "disasm.h"
#include "error.h"
#include "tap.h"

static const uint64_t code_addr = 0x401000;

struct code {
	uint8_t buf[8192];
	size_t len;
};

static uint64_t here(const struct code *c)
{
	return code_addr + c->len;
}

static void emit(struct code *c, const uint8_t *bytes, size_t n)
{
	memcpy(c->buf + c->len, bytes, n);
	c->len += n;
}

// An instruction whose last 4 bytes are a rel32 to target (RIP-relative
// operands count from the end of the instruction).
static void emit_rel(struct code *c, const uint8_t *op, size_t n,
		     uint64_t target)
{
	uint64_t next = here(c) + n + 4;
	int32_t rel = (int32_t)(target - next);
	emit(c, op, n);
	for (int i = 0; i < 4; i++)
		c->buf[c->len++] = (uint8_t)((uint32_t)rel >> (8 * i));
}

struct found {
	size_t n;
	uint64_t addr[16];
	size_t target[16];
	enum ms_xref_kind kind[16];
	char text[16][64];
};

static struct ms_error *collect(const struct ms_xref *x, void *arg)
{
	struct found *f = arg;
	if (f->n < 16) {
		f->addr[f->n] = x->insn_addr;
		f->target[f->n] = x->target;
		f->kind[f->n] = x->kind;
		snprintf(f->text[f->n], sizeof(f->text[0]), "%s", x->text);
	}
	f->n++;
	return NULL;
}

static struct ms_error *stop(const struct ms_xref *x, void *arg)
{
	return ms_error_create(MS_ERR_NOT_FOUND, "stopped at 0x%llx",
			       (unsigned long long)x->insn_addr);
}

static void test_xrefs(struct ms_disasm *d)
{
	static const uint8_t lea_rax[] = { 0x48, 0x8d, 0x05 };
	static const uint8_t mov_rax[] = { 0x48, 0x8b, 0x05 };
	static const uint8_t cmp_rcx[] = { 0x48, 0x3b, 0x0d };
	static const uint8_t movb_imm[] = { 0xc6, 0x05 };	// mov byte ptr [rip+x], imm8
	static const uint8_t call[] = { 0xe8 };
	static const uint8_t bad[] = { 0x06 };	// push es: invalid in 64-bit mode
	static const uint8_t ret[] = { 0xc3 };
	const struct ms_xref_target targets[] = {
		{ 0x500000, 0x10 },	// a global of 16 bytes
		{ 0x500100, 8 },	// a GOT slot
		{ 0x401000, 0x20 },	// unsorted on purpose, dropped below
	};
	struct code c = { .len = 0 };
	uint64_t a_lea = here(&c);
	emit_rel(&c, lea_rax, sizeof(lea_rax), 0x500000);
	uint64_t a_mov = here(&c);
	emit_rel(&c, mov_rax, sizeof(mov_rax), 0x500108 - 1);	// last byte of the slot
	emit_rel(&c, mov_rax, sizeof(mov_rax), 0x500010);	// just past the global
	emit(&c, bad, sizeof(bad));
	uint64_t a_cmp = here(&c);
	emit_rel(&c, cmp_rcx, sizeof(cmp_rcx), 0x500008);
	// An immediate follows the displacement: the operand is still
	// relative to the end of the whole instruction.
	uint64_t a_movb = here(&c);
	{
		uint64_t next = here(&c) + 2 + 4 + 1;
		int32_t rel = (int32_t)(0x500004 - next);
		emit(&c, movb_imm, sizeof(movb_imm));
		for (int i = 0; i < 4; i++)
			c.buf[c.len++] = (uint8_t)((uint32_t)rel >> (8 * i));
		c.buf[c.len++] = 0x01;
	}
	uint64_t a_abs = here(&c);
	emit(&c, (const uint8_t[]){ 0x8b, 0x04, 0x25, 0x00, 0x01, 0x50, 0x00 }, 7);
	uint64_t a_imm = here(&c);
	emit(&c, (const uint8_t[]){ 0xb8, 0x0c, 0x00, 0x50, 0x00 }, 5);
	emit(&c, (const uint8_t[]){ 0xb8, 0x0c, 0x00, 0x60, 0x00 }, 5);
	emit_rel(&c, call, sizeof(call), 0x401000);
	emit(&c, ret, sizeof(ret));

	struct found f = { 0 };
	struct ms_error *err = ms_disasm_xrefs(d, c.buf, c.len, code_addr, targets,
					       2, collect, &f);
	ok(!err, "sweep succeeds");
	is_u64(f.n, 6, "six references");
	is_u64(f.addr[0], a_lea, "lea found");
	is_str(f.text[0], "lea rax, [rip + 0xfeff9]", "lea text");
	ok(f.kind[0] == MS_XREF_RIP && f.target[0] == 0, "lea: rip-relative to target 0");
	is_u64(f.addr[1], a_mov, "mov from the GOT slot found");
	ok(f.target[1] == 1, "mov: target 1");
	is_u64(f.addr[2], a_cmp, "cmp after the bad byte found");
	is_u64(f.addr[3], a_movb, "mov with an immediate after the displacement");
	is_u64(f.addr[4], a_abs, "absolute [disp32] found");
	ok(f.kind[4] == MS_XREF_ABS && f.target[4] == 1, "abs kind, target 1");
	is_u64(f.addr[5], a_imm, "imm32 found");
	ok(f.kind[5] == MS_XREF_IMM, "imm kind: %s", ms_xref_kind_str(f.kind[5]));
	struct ms_disasm_stats stats;
	ms_disasm_last_stats(d, &stats);
	is_u64(stats.skipped, 1, "one byte skipped");
	is_u64(stats.insns, 10, "ten instructions decoded");

	// Branch targets: the call to the code's own start.
	memset(&f, 0, sizeof(f));
	err = ms_disasm_xrefs(d, c.buf, c.len, code_addr, targets + 2, 1,
			      collect, &f);
	ok(!err && f.n == 1 && f.kind[0] == MS_XREF_BRANCH, "call found as a branch");

	err = ms_disasm_xrefs(d, c.buf, c.len, code_addr, targets, 3, collect, &f);
	ok(err && err->code == MS_ERR_USAGE, "unsorted targets are refused");
	ms_error_destroy(err);
	err = ms_disasm_xrefs(d, c.buf, c.len, code_addr, targets, 2, stop, NULL);
	ok(err && err->code == MS_ERR_NOT_FOUND, "the callback's error stops the sweep");
	ms_error_destroy(err);
	memset(&f, 0, sizeof(f));
	ok(!ms_disasm_xrefs(d, c.buf, 0, code_addr, targets, 2, collect, &f) && f.n == 0,
	   "empty code");
	ok(!ms_disasm_xrefs(d, c.buf, c.len, code_addr, targets, 0, collect, &f) && f.n == 0,
	   "no targets");
	// A truncated final instruction is skipped byte by byte, not read past.
	uint8_t *cut = malloc(3);
	memcpy(cut, lea_rax, 3);
	ok(!ms_disasm_xrefs(d, cut, 3, code_addr, targets, 2, collect, &f), "cut code");
	ms_disasm_last_stats(d, &stats);
	is_u64(stats.skipped, 3, "cut instruction skipped");
	free(cut);
}

static void test_window(struct ms_disasm *d)
{
	struct code c = { .len = 0 };
	// Go's prologue: load g from TLS, compare the stack bound.
	emit(&c, (const uint8_t[]){ 0x64, 0x48, 0x8b, 0x0c, 0x25, 0xf8, 0xff, 0xff, 0xff }, 9);
	emit(&c, (const uint8_t[]){ 0x48, 0x3b, 0x61, 0x10 }, 4);	// cmp rsp, [rcx+0x10]
	emit(&c, (const uint8_t[]){ 0x48, 0x89, 0xc8 }, 3);		// mov rax, rcx
	uint64_t pc = here(&c);
	emit(&c, (const uint8_t[]){ 0x48, 0x8b, 0x44, 0xd1, 0x10 }, 5);	// mov rax, [rcx+rdx*8+0x10]
	emit(&c, (const uint8_t[]){ 0x8b, 0x42, 0xfc }, 3);		// mov eax, [rdx-4]
	emit(&c, (const uint8_t[]){ 0xc3 }, 1);

	struct ms_disasm_line *lines = NULL;
	size_t n = 0, at = 0;
	ok(!ms_disasm_window(d, c.buf, c.len, code_addr, pc, 2, 1, &lines, &n, &at),
	   "window");
	is_u64(n, 4, "2 before, 1 at, 1 after");
	is_u64(at, 2, "pc is line 2");
	is_u64(lines[0].addr, code_addr + 9, "first line");
	is_str(lines[0].text, "cmp rsp, qword ptr [rcx + 0x10]", "its text");
	is_u64(lines[at].addr, pc, "line at pc");
	is_str(lines[at].text, "mov rax, qword ptr [rcx + rdx*8 + 0x10]", "its text");
	ok(lines[at].size == 5 && lines[at].bytes[3] == 0xd1, "its bytes");
	const struct ms_disasm_mem *m = &lines[at].mem;
	ok(m->present && strcmp(m->base, "rcx") == 0 && strcmp(m->index, "rdx") == 0 &&
		   m->scale == 8 && m->disp == 0x10 && m->size == 8 && !m->rip_relative,
	   "memory operand: base rcx, index rdx, scale 8, disp 0x10");
	uint64_t regs[MS_REG_COUNT] = { 0 };
	regs[MS_REG_RCX] = 0xc000010000;
	regs[MS_REG_RDX] = 3;
	regs[MS_REG_FS_BASE] = 0x7f0000001000;
	uint64_t ea = 0;
	ok(ms_disasm_mem_address(m, pc + 5, regs, &ea), "effective address");
	is_u64(ea, 0xc000010000 + 3 * 8 + 0x10, "computed from rcx and rdx");
	is_str(lines[3].text, "mov eax, dword ptr [rdx - 4]", "line after pc");
	free(lines);

	// The first instruction: fs-relative.
	ok(!ms_disasm_window(d, c.buf, c.len, code_addr, code_addr, 3, 0, &lines, &n, &at),
	   "window at the start");
	ok(n == 1 && at == 0, "nothing before the start");
	m = &lines[0].mem;
	ok(m->present && strcmp(m->segment, "fs") == 0 && !m->base[0] && m->disp == -8,
	   "fs:[-8] operand");
	ok(ms_disasm_mem_address(m, code_addr + 9, regs, &ea) && ea == 0x7f0000001000 - 8,
	   "fs base added");
	free(lines);

	// Far from the code's start: decoding starts in the 64 bytes before
	// pc. From pc - 64, inside a movabs, the 0x05 bytes of its immediate
	// decode as add eax, imm32 and stay misaligned up to pc, so a later
	// start has to be found.
	struct code far = { .len = 0 };
	static const uint8_t movabs[] = { 0x48, 0xb8, 5, 5, 5, 5, 5, 5, 5, 5 };
	for (int i = 0; i < 500; i++)
		emit(&far, movabs, sizeof(movabs));
	uint64_t fpc = here(&far);
	emit(&far, (const uint8_t[]){ 0x48, 0x8b, 0x05, 0, 0, 0, 0 }, 7);	// mov rax, [rip]
	ok(!ms_disasm_window(d, far.buf, far.len, code_addr, fpc, 3, 0, &lines, &n, &at),
	   "window far from the start");
	ok(n == 4 && at == 3, "3 lines before");
	ok(lines[0].addr == fpc - 30 && lines[2].addr == fpc - 10 &&
		   strcmp(lines[2].text, "movabs rax, 0x505050505050505") == 0,
	   "the movabs instructions: %s", lines[2].text);
	ok(lines[at].mem.rip_relative && strcmp(lines[at].mem.base, "rip") == 0,
	   "rip-relative operand at pc");
	ok(ms_disasm_mem_address(&lines[at].mem, fpc + 7, regs, &ea) && ea == fpc + 7,
	   "rip-relative address from the next pc");
	free(lines);

	// An undecodable byte at pc, and pc outside the code.
	struct code badc = { .len = 0 };
	emit(&badc, (const uint8_t[]){ 0x90, 0x06, 0xc3 }, 3);
	ok(!ms_disasm_window(d, badc.buf, badc.len, code_addr, code_addr + 1, 1, 1,
			     &lines, &n, &at), "window on a bad byte");
	ok(n == 3 && at == 1 && lines[1].bad && lines[1].size == 1 &&
		   strcmp(lines[1].text, "(bad)") == 0 && strcmp(lines[2].text, "ret") == 0,
	   "bad line, then ret");
	free(lines);
	struct ms_error *err = ms_disasm_window(d, badc.buf, badc.len, code_addr,
						code_addr + 3, 1, 1, &lines, &n, &at);
	ok(err && err->code == MS_ERR_USAGE, "pc past the code is refused");
	ms_error_destroy(err);
}

struct each {
	size_t n;
	struct ms_disasm_insn insn[8];
};

static struct ms_error *collect_each(const struct ms_disasm_insn *in, void *arg)
{
	struct each *e = arg;
	if (e->n < 8)
		e->insn[e->n] = *in;
	e->n++;
	return NULL;
}

// A plugin's GOT load of a variable's address, the load and store through
// it, and a call: what each instruction writes.
static void test_each(struct ms_disasm *d)
{
	struct code c = { .len = 0 };
	static const uint8_t mov_r15_rip[] = { 0x4c, 0x8b, 0x3d };	// mov r15, [rip + rel32]
	static const uint8_t mov_rbx_r15[] = { 0x49, 0x8b, 0x1f };	// mov rbx, [r15]
	static const uint8_t mov_r15_rax[] = { 0x49, 0x89, 0x07 };	// mov [r15], rax
	static const uint8_t call[] = { 0xe8 };
	static const uint8_t bad[] = { 0x06 };				// invalid in 64-bit mode
	emit_rel(&c, mov_r15_rip, sizeof(mov_r15_rip), 0x500000);
	emit(&c, mov_rbx_r15, sizeof(mov_rbx_r15));
	emit(&c, bad, sizeof(bad));
	emit(&c, mov_r15_rax, sizeof(mov_r15_rax));
	emit_rel(&c, call, sizeof(call), 0x402000);
	struct each e = { 0 };
	struct ms_error *err = ms_disasm_each(d, c.buf, c.len, code_addr, collect_each, &e);
	ok(!err, "each: sweep");
	is_u64(e.n, 4, "each: 4 instructions, the bad byte skipped");
	is_u64((uint64_t)e.insn[0].write_reg, MS_REG_R15, "each: the GOT load writes r15");
	ok(e.insn[0].line.mem.rip_relative &&
	   e.insn[0].line.addr + e.insn[0].line.size + (uint64_t)e.insn[0].line.mem.disp == 0x500000,
	   "each: its operand is the GOT slot");
	ok(!e.insn[0].mem_write, "each: the slot is read");
	is_u64((uint64_t)e.insn[1].write_reg, MS_REG_RBX, "each: the load writes rbx");
	is_str(e.insn[1].line.mem.base, "r15", "each: through r15");
	ok(e.insn[2].mem_write && e.insn[2].write_reg == -1, "each: the store writes memory only");
	ok(e.insn[3].is_call && e.insn[3].has_target && e.insn[3].target == 0x402000,
	   "each: the call and its target");
}

static void test_regs(void)
{
	struct ms_reg_part p;
	is_u64(ms_disasm_reg_index("rax"), MS_REG_RAX, "rax");
	is_u64(MS_REG_RAX, 10, "rax is slot 10 of user_regs_struct");
	is_u64(MS_REG_RSP, 19, "rsp is slot 19");
	is_u64(MS_REG_FS_BASE, 21, "fs_base is slot 21");
	is_u64(MS_REG_COUNT, 27, "27 slots");
	ok(ms_disasm_reg_part("eax", &p) && p.index == MS_REG_RAX && p.bits == 32,
	   "eax is the low half of rax");
	ok(ms_disasm_reg_part("ah", &p) && p.index == MS_REG_RAX && p.bits == 8 &&
		   p.shift == 8, "ah is bits 8-15 of rax");
	is_u64(ms_disasm_reg_index("r8b"), MS_REG_R8, "r8b");
	is_u64(ms_disasm_reg_index("r15d"), MS_REG_R15, "r15d");
	is_u64(ms_disasm_reg_index("sil"), MS_REG_RSI, "sil");
	is_u64(ms_disasm_reg_index("spl"), MS_REG_RSP, "spl");
	is_u64(ms_disasm_reg_index("rip"), MS_REG_RIP, "rip");
	ok(ms_disasm_reg_index("xmm0") == -1, "xmm0 is not in user_regs_struct");
	is_str(ms_disasm_reg_name(0), "r15", "slot 0 is r15");
	is_str(ms_disasm_reg_name(MS_REG_GS), "gs", "last slot is gs");
	ok(ms_disasm_reg_name(MS_REG_COUNT) == NULL, "past the end");

	uint64_t regs[MS_REG_COUNT] = { 0 }, ea = 0;
	regs[MS_REG_RAX] = 0xffffffff12345678;
	struct ms_disasm_mem m = { .present = true, .base = "eax", .scale = 1, .disp = 4 };
	ok(ms_disasm_mem_address(&m, 0, regs, &ea) && ea == 0x1234567c,
	   "32-bit base takes the low half");
	snprintf(m.base, sizeof(m.base), "xmm1");
	ok(!ms_disasm_mem_address(&m, 0, regs, &ea), "unknown register");
	m.present = false;
	ok(!ms_disasm_mem_address(&m, 0, regs, &ea), "no operand");
}

int main(void)
{
	struct ms_disasm *d = NULL;
	struct ms_error *err = ms_disasm_create(&d);
	ok(!err, "capstone opens");
	if (err)
		return done_testing();
	test_xrefs(d);
	test_window(d);
	test_each(d);
	test_regs();
	ms_disasm_destroy(d);
	ms_disasm_destroy(NULL);
	return done_testing();
}
