/* x86-64 disassembly: cross references to data and the instructions around a pc (wraps capstone). */
#include "config.h"

#include <capstone/capstone.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disasm.h"

/*
 * capstone is loaded when code is first disassembled, not at start-up:
 * relocating its tables (82,000 relative relocations, their pages copied
 * on write) cost 5.5 ms of every run, more than the rest of the dynamic
 * loading, and most scans of a healthy core never disassemble.
 */
static struct {
	pthread_once_t once;
	bool ok;
	char why[320];
	cs_err (*open)(cs_arch, cs_mode, csh *);
	cs_err (*option)(csh, cs_opt_type, size_t);
	cs_err (*close)(csh *);
	cs_insn *(*malloc)(csh);
	void (*free)(cs_insn *, size_t);
	cs_err (*errno_)(csh);
	const char *(*strerror)(cs_err);
	bool (*disasm_iter)(csh, const uint8_t **, size_t *, uint64_t *, cs_insn *);
	const char *(*reg_name)(csh, unsigned);
} cs = { .once = PTHREAD_ONCE_INIT };

static void *cs_dlopen(void)
{
	// The library configure found first (a prefix outside the loader's
	// path), then by its name wherever the loader finds it.
	const char *const names[] = { MS_CAPSTONE_PATH, MS_CAPSTONE_SONAME };
	char first[160] = "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
		if (h)
			return h;
		if (!first[0]) {
			const char *e = dlerror();
			snprintf(first, sizeof(first), "%s", e ? e : "?");
		}
	}
	snprintf(cs.why, sizeof(cs.why), "cannot load capstone (%s): %s",
		 MS_CAPSTONE_SONAME, first);
	return NULL;
}

static void cs_load(void)
{
	void *h = cs_dlopen();
	if (!h)
		return;
#define SYM(field, sym)                                                        \
	if (!(*(void **)&cs.field = dlsym(h, #sym))) {                       \
		snprintf(cs.why, sizeof(cs.why), "%s has no %s",              \
			 MS_CAPSTONE_SONAME, #sym);                           \
		dlclose(h);                                                   \
		return;                                                       \
	}
	SYM(open, cs_open)
	SYM(option, cs_option)
	SYM(close, cs_close)
	SYM(malloc, cs_malloc)
	SYM(free, cs_free)
	SYM(errno_, cs_errno)
	SYM(strerror, cs_strerror)
	SYM(disasm_iter, cs_disasm_iter)
	SYM(reg_name, cs_reg_name)
#undef SYM
	cs.ok = true;
}

struct ms_disasm {
	csh handle;
	cs_insn *insn;		// one instruction, reused by every decode
	struct ms_disasm_stats stats;
};

// Instructions before pc are found by decoding forward from the code's
// start when it is this close, else from one of the bytes just before pc.
static const uint64_t window_from_start_max = 4096;
static const uint64_t window_back_bytes = 64;

// The one adapter from capstone's error codes to ours.
static struct ms_error *ms_error_capstone(cs_err err, const char *what)
{
	if (err == CS_ERR_MEM)
		return &ms_enomem;
	return ms_error_create(MS_ERR_LIB, "%s: %s", what, cs.strerror(err));
}

struct ms_error *ms_disasm_create(struct ms_disasm **ret)
{
	pthread_once(&cs.once, cs_load);
	if (!cs.ok)
		return ms_error_create(MS_ERR_LIB, "%s", cs.why);
	struct ms_disasm *d = calloc(1, sizeof(*d));
	if (!d)
		return &ms_enomem;
	cs_err err = cs.open(CS_ARCH_X86, CS_MODE_64, &d->handle);
	if (err != CS_ERR_OK) {
		free(d);
		return ms_error_capstone(err, "cannot open capstone for x86-64");
	}
	if ((err = cs.option(d->handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_INTEL)) !=
		    CS_ERR_OK ||
	    (err = cs.option(d->handle, CS_OPT_DETAIL, CS_OPT_ON)) != CS_ERR_OK) {
		cs.close(&d->handle);
		free(d);
		return ms_error_capstone(err, "cannot set capstone options");
	}
	d->insn = cs.malloc(d->handle);
	if (!d->insn) {
		err = cs.errno_(d->handle);
		cs.close(&d->handle);
		free(d);
		return ms_error_capstone(err, "cannot allocate a capstone instruction");
	}
	*ret = d;
	return NULL;
}

void ms_disasm_destroy(struct ms_disasm *d)
{
	if (!d)
		return;
	cs.free(d->insn, 1);
	cs.close(&d->handle);
	free(d);
}

// Registers.

static const char *const user_reg_names[MS_REG_COUNT] = {
	"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8",
	"rax", "rcx", "rdx", "rsi", "rdi", "orig_rax", "rip", "cs", "eflags",
	"rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs",
};

static const struct {
	const char *name;
	enum ms_x86_reg index;
	unsigned char bits, shift;
} reg_parts[] = {
	{ "rax", MS_REG_RAX, 64, 0 }, { "eax", MS_REG_RAX, 32, 0 },
	{ "ax", MS_REG_RAX, 16, 0 }, { "al", MS_REG_RAX, 8, 0 },
	{ "ah", MS_REG_RAX, 8, 8 },
	{ "rbx", MS_REG_RBX, 64, 0 }, { "ebx", MS_REG_RBX, 32, 0 },
	{ "bx", MS_REG_RBX, 16, 0 }, { "bl", MS_REG_RBX, 8, 0 },
	{ "bh", MS_REG_RBX, 8, 8 },
	{ "rcx", MS_REG_RCX, 64, 0 }, { "ecx", MS_REG_RCX, 32, 0 },
	{ "cx", MS_REG_RCX, 16, 0 }, { "cl", MS_REG_RCX, 8, 0 },
	{ "ch", MS_REG_RCX, 8, 8 },
	{ "rdx", MS_REG_RDX, 64, 0 }, { "edx", MS_REG_RDX, 32, 0 },
	{ "dx", MS_REG_RDX, 16, 0 }, { "dl", MS_REG_RDX, 8, 0 },
	{ "dh", MS_REG_RDX, 8, 8 },
	{ "rsi", MS_REG_RSI, 64, 0 }, { "esi", MS_REG_RSI, 32, 0 },
	{ "si", MS_REG_RSI, 16, 0 }, { "sil", MS_REG_RSI, 8, 0 },
	{ "rdi", MS_REG_RDI, 64, 0 }, { "edi", MS_REG_RDI, 32, 0 },
	{ "di", MS_REG_RDI, 16, 0 }, { "dil", MS_REG_RDI, 8, 0 },
	{ "rbp", MS_REG_RBP, 64, 0 }, { "ebp", MS_REG_RBP, 32, 0 },
	{ "bp", MS_REG_RBP, 16, 0 }, { "bpl", MS_REG_RBP, 8, 0 },
	{ "rsp", MS_REG_RSP, 64, 0 }, { "esp", MS_REG_RSP, 32, 0 },
	{ "sp", MS_REG_RSP, 16, 0 }, { "spl", MS_REG_RSP, 8, 0 },
	{ "r8", MS_REG_R8, 64, 0 }, { "r8d", MS_REG_R8, 32, 0 },
	{ "r8w", MS_REG_R8, 16, 0 }, { "r8b", MS_REG_R8, 8, 0 },
	{ "r9", MS_REG_R9, 64, 0 }, { "r9d", MS_REG_R9, 32, 0 },
	{ "r9w", MS_REG_R9, 16, 0 }, { "r9b", MS_REG_R9, 8, 0 },
	{ "r10", MS_REG_R10, 64, 0 }, { "r10d", MS_REG_R10, 32, 0 },
	{ "r10w", MS_REG_R10, 16, 0 }, { "r10b", MS_REG_R10, 8, 0 },
	{ "r11", MS_REG_R11, 64, 0 }, { "r11d", MS_REG_R11, 32, 0 },
	{ "r11w", MS_REG_R11, 16, 0 }, { "r11b", MS_REG_R11, 8, 0 },
	{ "r12", MS_REG_R12, 64, 0 }, { "r12d", MS_REG_R12, 32, 0 },
	{ "r12w", MS_REG_R12, 16, 0 }, { "r12b", MS_REG_R12, 8, 0 },
	{ "r13", MS_REG_R13, 64, 0 }, { "r13d", MS_REG_R13, 32, 0 },
	{ "r13w", MS_REG_R13, 16, 0 }, { "r13b", MS_REG_R13, 8, 0 },
	{ "r14", MS_REG_R14, 64, 0 }, { "r14d", MS_REG_R14, 32, 0 },
	{ "r14w", MS_REG_R14, 16, 0 }, { "r14b", MS_REG_R14, 8, 0 },
	{ "r15", MS_REG_R15, 64, 0 }, { "r15d", MS_REG_R15, 32, 0 },
	{ "r15w", MS_REG_R15, 16, 0 }, { "r15b", MS_REG_R15, 8, 0 },
	{ "rip", MS_REG_RIP, 64, 0 }, { "eip", MS_REG_RIP, 32, 0 },
	{ "ip", MS_REG_RIP, 16, 0 },
	{ "rflags", MS_REG_EFLAGS, 64, 0 }, { "eflags", MS_REG_EFLAGS, 64, 0 },
	{ "flags", MS_REG_EFLAGS, 16, 0 },
	{ "orig_rax", MS_REG_ORIG_RAX, 64, 0 },
	{ "fs_base", MS_REG_FS_BASE, 64, 0 }, { "gs_base", MS_REG_GS_BASE, 64, 0 },
	{ "cs", MS_REG_CS, 16, 0 }, { "ss", MS_REG_SS, 16, 0 },
	{ "ds", MS_REG_DS, 16, 0 }, { "es", MS_REG_ES, 16, 0 },
	{ "fs", MS_REG_FS, 16, 0 }, { "gs", MS_REG_GS, 16, 0 },
};

bool ms_disasm_reg_part(const char *name, struct ms_reg_part *ret)
{
	for (size_t i = 0; i < sizeof(reg_parts) / sizeof(reg_parts[0]); i++) {
		if (strcmp(reg_parts[i].name, name) == 0) {
			ret->index = (int)reg_parts[i].index;
			ret->bits = reg_parts[i].bits;
			ret->shift = reg_parts[i].shift;
			return true;
		}
	}
	return false;
}

int ms_disasm_reg_index(const char *name)
{
	struct ms_reg_part part;
	return ms_disasm_reg_part(name, &part) ? part.index : -1;
}

const char *ms_disasm_reg_name(int index)
{
	if (index < 0 || index >= MS_REG_COUNT)
		return NULL;
	return user_reg_names[index];
}

static bool reg_value(const char *name, const uint64_t *regs, uint64_t *ret)
{
	struct ms_reg_part part;
	if (!ms_disasm_reg_part(name, &part))
		return false;
	uint64_t v = regs[part.index] >> part.shift;
	if (part.bits < 64)
		v &= (UINT64_C(1) << part.bits) - 1;
	*ret = v;
	return true;
}

bool ms_disasm_mem_address(const struct ms_disasm_mem *mem, uint64_t next_pc,
			   const uint64_t *regs, uint64_t *ret)
{
	if (!mem->present)
		return false;
	uint64_t ea = (uint64_t)mem->disp, v;
	if (mem->rip_relative) {
		ea += next_pc;
	} else if (mem->base[0]) {
		if (!reg_value(mem->base, regs, &v))
			return false;
		ea += v;
	}
	if (mem->index[0]) {
		if (!reg_value(mem->index, regs, &v))
			return false;
		ea += v * mem->scale;
	}
	// In 64-bit mode only fs and gs have a base; Go keeps its g in fs.
	if (strcmp(mem->segment, "fs") == 0)
		ea += regs[MS_REG_FS_BASE];
	else if (strcmp(mem->segment, "gs") == 0)
		ea += regs[MS_REG_GS_BASE];
	*ret = ea;
	return true;
}

// Cross references.

const char *ms_xref_kind_str(enum ms_xref_kind kind)
{
	switch (kind) {
	case MS_XREF_RIP: return "rip";
	case MS_XREF_ABS: return "abs";
	case MS_XREF_IMM: return "imm";
	case MS_XREF_BRANCH: return "branch";
	}
	return "?";
}

// The target containing addr, or n when none does.
static size_t find_target(const struct ms_xref_target *targets, size_t n,
			  uint64_t addr)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (targets[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || addr - targets[lo - 1].addr >= targets[lo - 1].size)
		return n;
	return lo - 1;
}

static bool is_branch(const cs_insn *insn)
{
	const cs_detail *det = insn->detail;
	for (uint8_t i = 0; i < det->groups_count; i++) {
		if (det->groups[i] == CS_GRP_JUMP || det->groups[i] == CS_GRP_CALL)
			return true;
	}
	return false;
}

static void insn_text(const cs_insn *insn, char *buf, size_t size)
{
	if (insn->op_str[0])
		snprintf(buf, size, "%s %s", insn->mnemonic, insn->op_str);
	else
		snprintf(buf, size, "%s", insn->mnemonic);
}

struct ms_error *ms_disasm_xrefs(struct ms_disasm *d, const uint8_t *code,
				 size_t len, uint64_t code_addr,
				 const struct ms_xref_target *targets,
				 size_t n_targets, ms_xref_fn *fn, void *arg)
{
	for (size_t i = 1; i < n_targets; i++) {
		if (targets[i].addr < targets[i - 1].addr + targets[i - 1].size)
			return ms_error_create(MS_ERR_USAGE,
					       "xref targets not sorted: 0x%llx after 0x%llx",
					       (unsigned long long)targets[i].addr,
					       (unsigned long long)targets[i - 1].addr);
	}
	memset(&d->stats, 0, sizeof(d->stats));
	cs_insn *insn = d->insn;
	const uint8_t *p = code;
	size_t left = len;
	uint64_t addr = code_addr;
	char text[sizeof(((struct ms_disasm_line *)0)->text)];

	while (left) {
		if (!cs.disasm_iter(d->handle, &p, &left, &addr, insn)) {
			// Not code (padding, data, a jump table): resynchronise
			// on the next byte.
			p++;
			left--;
			addr++;
			d->stats.skipped++;
			continue;
		}
		d->stats.insns++;
		const cs_x86 *x86 = &insn->detail->x86;
		for (uint8_t i = 0; i < x86->op_count; i++) {
			const cs_x86_op *op = &x86->operands[i];
			uint64_t ref;
			enum ms_xref_kind kind;
			if (op->type == X86_OP_MEM && op->mem.base == X86_REG_RIP) {
				ref = insn->address + insn->size + (uint64_t)op->mem.disp;
				kind = MS_XREF_RIP;
			} else if (op->type == X86_OP_MEM &&
				   op->mem.base == X86_REG_INVALID &&
				   op->mem.index == X86_REG_INVALID &&
				   op->mem.segment == X86_REG_INVALID) {
				ref = (uint64_t)op->mem.disp;
				kind = MS_XREF_ABS;
			} else if (op->type == X86_OP_IMM) {
				ref = (uint64_t)op->imm;
				kind = is_branch(insn) ? MS_XREF_BRANCH : MS_XREF_IMM;
			} else {
				continue;
			}
			size_t t = find_target(targets, n_targets, ref);
			if (t == n_targets)
				continue;
			insn_text(insn, text, sizeof(text));
			struct ms_xref xref = {
				.insn_addr = insn->address,
				.insn_size = insn->size,
				.target = t,
				.ref_addr = ref,
				.kind = kind,
				.text = text,
			};
			struct ms_error *err = fn(&xref, arg);
			if (err)
				return err;
		}
	}
	return NULL;
}

void ms_disasm_last_stats(const struct ms_disasm *d,
			  struct ms_disasm_stats *ret)
{
	*ret = d->stats;
}

// The instructions around a pc.

static void copy_reg_name(const struct ms_disasm *d, x86_reg reg, char *buf,
			  size_t size)
{
	const char *name = reg == X86_REG_INVALID ? NULL
						  : cs.reg_name(d->handle, reg);
	snprintf(buf, size, "%s", name ? name : "");
}

// Decode the instruction at addr into line: a bad line of one byte when
// it does not decode. Returns false for a bad line.
static bool decode_line(struct ms_disasm *d, const uint8_t *code, size_t len,
			uint64_t code_addr, uint64_t addr,
			struct ms_disasm_line *line)
{
	const uint8_t *p = code + (addr - code_addr);
	size_t left = len - (size_t)(addr - code_addr);
	uint64_t a = addr;
	cs_insn *insn = d->insn;

	memset(line, 0, sizeof(*line));
	line->addr = addr;
	if (!cs.disasm_iter(d->handle, &p, &left, &a, insn)) {
		line->size = 1;
		line->bytes[0] = code[addr - code_addr];
		line->bad = true;
		snprintf(line->text, sizeof(line->text), "(bad)");
		return false;
	}
	line->size = insn->size;
	memcpy(line->bytes, insn->bytes,
	       insn->size < sizeof(line->bytes) ? insn->size : sizeof(line->bytes));
	insn_text(insn, line->text, sizeof(line->text));
	const cs_x86 *x86 = &insn->detail->x86;
	for (uint8_t i = 0; i < x86->op_count; i++) {
		const cs_x86_op *op = &x86->operands[i];
		if (op->type != X86_OP_MEM)
			continue;
		struct ms_disasm_mem *mem = &line->mem;
		mem->present = true;
		copy_reg_name(d, op->mem.segment, mem->segment, sizeof(mem->segment));
		copy_reg_name(d, op->mem.base, mem->base, sizeof(mem->base));
		copy_reg_name(d, op->mem.index, mem->index, sizeof(mem->index));
		mem->scale = op->mem.index == X86_REG_INVALID ? 1 : (unsigned)op->mem.scale;
		mem->disp = op->mem.disp;
		mem->size = op->size;
		mem->rip_relative = op->mem.base == X86_REG_RIP;
		break;
	}
	return true;
}

struct ms_error *ms_disasm_each(struct ms_disasm *d, const uint8_t *code,
				size_t len, uint64_t code_addr,
				ms_insn_fn *fn, void *arg)
{
	memset(&d->stats, 0, sizeof(d->stats));
	uint64_t a = code_addr;
	struct ms_disasm_insn in;
	while (a - code_addr < len) {
		memset(&in, 0, sizeof(in));
		if (!decode_line(d, code, len, code_addr, a, &in.line)) {
			a++;
			d->stats.skipped++;
			continue;
		}
		d->stats.insns++;
		a += in.line.size;
		// decode_line() left the instruction's details in d->insn.
		const cs_insn *insn = d->insn;
		const cs_x86 *x86 = &insn->detail->x86;
		in.write_reg = -1;
		for (uint8_t i = 0; i < x86->op_count; i++) {
			const cs_x86_op *op = &x86->operands[i];
			if (op->type == X86_OP_REG && (op->access & CS_AC_WRITE) && in.write_reg < 0) {
				const char *name = cs.reg_name(d->handle, op->reg);
				in.write_reg = name ? ms_disasm_reg_index(name) : -1;
			} else if (op->type == X86_OP_MEM && (op->access & CS_AC_WRITE)) {
				in.mem_write = true;
			} else if (op->type == X86_OP_IMM && is_branch(insn)) {
				in.has_target = true;
				in.target = (uint64_t)op->imm;
			}
		}
		for (uint8_t i = 0; i < insn->detail->groups_count; i++)
			in.is_call |= insn->detail->groups[i] == CS_GRP_CALL;
		struct ms_error *err = fn(&in, arg);
		if (err)
			return err;
	}
	return NULL;
}

// Decode forward from start; when the instructions land exactly on pc
// without a bad byte, keep the last n of them in ring (oldest first in
// *first) and return how many were kept.
static bool decode_up_to(struct ms_disasm *d, const uint8_t *code, size_t len,
			 uint64_t code_addr, uint64_t start, uint64_t pc,
			 struct ms_disasm_line *ring, size_t n,
			 size_t *count_ret, size_t *first_ret)
{
	size_t count = 0, next = 0;
	struct ms_disasm_line line;
	uint64_t a = start;
	while (a < pc) {
		if (!decode_line(d, code, len, code_addr, a, &line))
			return false;
		a += line.size;
		if (n) {
			ring[next] = line;
			next = (next + 1) % n;
			if (count < n)
				count++;
		}
	}
	if (a != pc)
		return false;
	*count_ret = count;
	*first_ret = count < n ? 0 : next;
	return true;
}

struct ms_error *ms_disasm_window(struct ms_disasm *d, const uint8_t *code,
				  size_t len, uint64_t code_addr, uint64_t pc,
				  size_t n_before, size_t n_after,
				  struct ms_disasm_line **lines_ret,
				  size_t *n_ret, size_t *pc_index_ret)
{
	if (pc < code_addr || pc - code_addr >= len)
		return ms_error_create(MS_ERR_USAGE,
				       "pc 0x%llx is outside the code at 0x%llx (%zu bytes)",
				       (unsigned long long)pc,
				       (unsigned long long)code_addr, len);
	if (n_before > 4096 || n_after > 4096)
		return ms_error_create(MS_ERR_USAGE, "window of %zu+%zu lines too large",
				       n_before, n_after);
	struct ms_disasm_line *lines = calloc(n_before + 1 + n_after, sizeof(*lines));
	struct ms_disasm_line *ring = n_before ? calloc(n_before, sizeof(*ring)) : NULL;
	if (!lines || (n_before && !ring)) {
		free(lines);
		free(ring);
		return &ms_enomem;
	}

	size_t count = 0, first = 0;
	bool found = false;
	if (n_before) {
		uint64_t back = pc - code_addr;
		if (back <= window_from_start_max)
			found = decode_up_to(d, code, len, code_addr, code_addr,
					     pc, ring, n_before, &count, &first);
		uint64_t lo = back > window_back_bytes ? pc - window_back_bytes
						       : code_addr;
		for (uint64_t s = lo; !found && s < pc; s++)
			found = decode_up_to(d, code, len, code_addr, s, pc, ring,
					     n_before, &count, &first);
	}
	size_t n = 0;
	if (found) {
		for (size_t i = 0; i < count; i++)
			lines[n++] = ring[(first + i) % n_before];
	}
	free(ring);

	*pc_index_ret = n;
	uint64_t a = pc;
	for (size_t i = 0; i <= n_after && a - code_addr < len; i++) {
		decode_line(d, code, len, code_addr, a, &lines[n]);
		a += lines[n++].size;
	}
	*lines_ret = lines;
	*n_ret = n;
	return NULL;
}
