/* The parameters and locals of a stack frame from DWARF: which are in scope at a pc, and where each lives. */
#include "config.h"

#include <dwarf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "frame_vars.h"

struct func_ent {
	uint64_t lo, hi;
	Dwarf_Off die;
};

struct ms_func_index {
	struct ms_dwarf *dw;
	struct func_ent *v;
	size_t n;
};

static int ent_cmp(const void *a, const void *b)
{
	const struct func_ent *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

// Add the function at @p fn when it has a pc range; false without memory.
static bool add_func(struct ms_func_index *fi, size_t *cap, Dwarf_Die *fn)
{
	Dwarf_Addr lo, hi;
	if (dwarf_lowpc(fn, &lo) != 0 || dwarf_highpc(fn, &hi) != 0 || hi <= lo)
		return true;
	if (fi->n == *cap) {
		size_t c = *cap ? 2 * *cap : 1024;
		struct func_ent *v = realloc(fi->v, c * sizeof(*v));
		if (!v)
			return false;
		fi->v = v;
		*cap = c;
	}
	fi->v[fi->n++] = (struct func_ent){ lo, hi, dwarf_dieoffset(fn) };
	return true;
}

struct index_ctx {
	struct ms_func_index *fi;
	size_t cap;
};

static struct ms_error *index_func(void *arg, const char *name, Dwarf_Die *die)
{
	(void)name;
	struct index_ctx *c = arg;
	return add_func(c->fi, &c->cap, die) ? NULL : &ms_enomem;
}

struct ms_error *ms_func_index_create(struct ms_dwarf *dw,
				      struct ms_func_index **ret)
{
	struct ms_func_index *fi = calloc(1, sizeof(*fi));
	if (!fi)
		return &ms_enomem;
	fi->dw = dw;
	// The top-level functions the name index found, in DWARF order...
	struct index_ctx c = { fi, 0 };
	struct ms_error *err = ms_dwarf_foreach_function(dw, index_func, &c);
	if (err == &ms_enomem) {
		ms_func_index_destroy(fi);
		return err;
	}
	if (err) {
		// ...or, when the DWARF is too damaged to index, whatever units
		// can be read.
		ms_error_destroy(err);
		fi->n = 0;
		Dwarf *d = ms_dwarf_libdw(dw);
		Dwarf_Off off = 0, next;
		size_t hsize;
		while (dwarf_nextcu(d, off, &next, &hsize, NULL, NULL, NULL) == 0) {
			Dwarf_Die cu, fn;
			if (!dwarf_offdie(d, off + hsize, &cu) || dwarf_child(&cu, &fn) != 0) {
				off = next;
				continue;
			}
			do {
				if (dwarf_tag(&fn) == DW_TAG_subprogram &&
				    !add_func(fi, &c.cap, &fn)) {
					ms_func_index_destroy(fi);
					return &ms_enomem;
				}
			} while (dwarf_siblingof(&fn, &fn) == 0);
			off = next;
		}
	}
	if (fi->n)
		qsort(fi->v, fi->n, sizeof(*fi->v), ent_cmp);
	*ret = fi;
	return NULL;
}

void ms_func_index_destroy(struct ms_func_index *fi)
{
	if (!fi)
		return;
	free(fi->v);
	free(fi);
}

static const struct func_ent *find_func(const struct ms_func_index *fi, uint64_t entry)
{
	size_t lo = 0, hi = fi->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fi->v[mid].lo < entry)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < fi->n && fi->v[lo].lo == entry ? &fi->v[lo] : NULL;
}

struct walk {
	uint64_t pc, cfa;
	const uint64_t *regs;
	ms_frame_var_fn *fn;
	void *arg;
};

// DWARF register numbers of x86-64 (rax, rdx, rcx, rbx, rsi, rdi, rbp,
// rsp, r8-r15, return address) index @c regs directly.
static bool reg_value(const struct walk *w, unsigned reg, uint64_t *ret)
{
	if (!w->regs || reg >= MS_DWARF_X86_REGS)
		return false;
	*ret = w->regs[reg];
	return true;
}

/*
 * Evaluate the location @p ops of a variable of @p size bytes. What Go
 * writes: DW_OP_fbreg N (the frame base is DW_OP_call_frame_cfa),
 * DW_OP_call_frame_cfa alone (an argument at the cfa), DW_OP_regN, and
 * DW_OP_piece sequences of those for values split across slots and
 * registers. A composite is usable when its pieces are consecutive stack
 * bytes, or when it is one register piece holding the whole value.
 */
static void eval_location(const struct walk *w, const Dwarf_Op *ops, size_t n,
			  uint64_t size, struct ms_frame_var *v)
{
	uint64_t stack[8];
	size_t sp = 0;
	bool have_addr = false, in_reg = false, lost_reg = false;
	const char *fail = NULL;
	bool reg_pending = false;	// the op before a piece named a register
	uint64_t addr = 0, value = 0, covered = 0;
	unsigned regs_used = 0;
	v->where = MS_VAR_LOST;
	v->why = "its location is an expression not understood";
	for (size_t i = 0; i < n; i++) {
		const Dwarf_Op *op = &ops[i];
		uint8_t atom = op->atom;
		if (atom == DW_OP_call_frame_cfa) {
			if (sp < 8)
				stack[sp++] = w->cfa;
		} else if (atom == DW_OP_fbreg) {
			if (sp < 8)
				stack[sp++] = w->cfa + (uint64_t)(int64_t)op->number;
		} else if (atom == DW_OP_plus_uconst) {
			if (!sp)
				return;
			stack[sp - 1] += op->number;
		} else if (atom == DW_OP_consts || atom == DW_OP_constu) {
			if (sp < 8)
				stack[sp++] = op->number;
		} else if (atom == DW_OP_plus) {
			if (sp < 2)
				return;
			stack[sp - 2] += stack[sp - 1];
			sp--;
		} else if ((atom >= DW_OP_reg0 && atom <= DW_OP_reg31) || atom == DW_OP_regx) {
			unsigned reg = atom == DW_OP_regx ? (unsigned)op->number
				       : (unsigned)(atom - DW_OP_reg0);
			uint64_t val;
			if (reg_value(w, reg, &val)) {
				in_reg = true;
				value = val;
				regs_used++;
			} else {
				lost_reg = true;
			}
			sp = 0;
			reg_pending = true;
			// A register alone, or followed by its piece.
			if (i + 1 == n) {
				covered = size;
				break;
			}
			continue;
		} else if ((atom >= DW_OP_breg0 && atom <= DW_OP_breg31) || atom == DW_OP_bregx) {
			unsigned reg = atom == DW_OP_bregx ? (unsigned)op->number
				       : (unsigned)(atom - DW_OP_breg0);
			uint64_t val;
			int64_t off = atom == DW_OP_bregx ? (int64_t)op->number2 : (int64_t)op->number;
			if (!reg_value(w, reg, &val)) {
				v->why = "its address is in a register of a caller's frame";
				return;
			}
			if (sp < 8)
				stack[sp++] = val + (uint64_t)off;
		} else if (atom == DW_OP_piece) {
			if (sp && covered % 8 == 0 && covered / 8 < 4 && op->number == 8)
				v->word_addr[covered / 8] = stack[sp - 1];
			if (sp) {
				// A stack piece: it must continue the ones before.
				uint64_t a = stack[sp - 1];
				if (!have_addr && !covered) {
					addr = a;
					have_addr = true;
				} else if (!have_addr || a != addr + covered) {
					fail = "its pieces are not consecutive in the frame";
				}
			} else if (!reg_pending) {
				// An empty piece: that part of the value is gone.
				fail = "part of it was optimized away";
			}
			covered += op->number;
			sp = 0;
			reg_pending = false;
		} else {
			return;
		}
	}
	if (fail) {
		v->why = fail;
		return;
	}
	if (sp) {
		if (have_addr) {
			v->why = "its pieces are not consecutive in the frame";
			return;
		}
		addr = stack[sp - 1];
		have_addr = true;
	}
	if (lost_reg) {
		v->why = w->regs ? "part of it is in a register the core does not record"
				 : "it is in a register, known only for the innermost frame";
		return;
	}
	if (in_reg) {
		if (regs_used != 1 || have_addr || size > 8) {
			v->why = "it is split across registers";
			return;
		}
		v->where = MS_VAR_REGISTER;
		v->why = NULL;
		v->value = value;
		return;
	}
	if (!have_addr)
		return;
	v->where = MS_VAR_MEMORY;
	v->why = NULL;
	v->addr = addr;
	for (uint64_t w8 = 0; w8 < 4 && w8 * 8 < size; w8++)
		v->word_addr[w8] = addr + 8 * w8;
}

static uint64_t die_size(Dwarf_Die *type)
{
	Dwarf_Die t = *type;
	Dwarf_Attribute a;
	for (int i = 0; i < 16; i++) {
		Dwarf_Word sz;
		if (dwarf_attr_integrate(&t, DW_AT_byte_size, &a) && dwarf_formudata(&a, &sz) == 0)
			return sz;
		int tag = dwarf_tag(&t);
		if (tag == DW_TAG_pointer_type)
			return 8;
		if (!dwarf_attr_integrate(&t, DW_AT_type, &a) || !dwarf_formref_die(&a, &t))
			break;
	}
	return 8;
}

static struct ms_error *visit_var(const struct walk *w, Dwarf_Die *die, unsigned depth,
				  const char *func)
{
	Dwarf_Attribute a;
	struct ms_frame_var v = { 0 };
	v.param = dwarf_tag(die) == DW_TAG_formal_parameter;
	v.depth = depth;
	v.func = func;
	v.name = dwarf_diename(die);
	if (!v.name) {
		if (!dwarf_attr_integrate(die, DW_AT_name, &a) || !(v.name = dwarf_formstring(&a)))
			return NULL;
	}
	if (!dwarf_attr_integrate(die, DW_AT_type, &a) || !dwarf_formref_die(&a, &v.type))
		return NULL;
	if (!dwarf_attr(die, DW_AT_location, &a))
		return NULL;
	Dwarf_Op *expr;
	size_t len;
	if (dwarf_getlocation_addr(&a, w->pc, &expr, &len, 1) != 1 || !len)
		return NULL;
	eval_location(w, expr, len, die_size(&v.type), &v);
	return w->fn(w->arg, &v);
}

static const char *scope_name(Dwarf_Die *die)
{
	Dwarf_Attribute a;
	const char *n = dwarf_diename(die);
	if (!n && dwarf_attr_integrate(die, DW_AT_name, &a))
		n = dwarf_formstring(&a);
	return n ? n : "?";
}

static struct ms_error *visit_scope(const struct walk *w, Dwarf_Die *scope,
				    unsigned depth, const char *func, int level)
{
	Dwarf_Die c;
	if (level > 32 || dwarf_child(scope, &c) != 0)
		return NULL;
	struct ms_error *err = NULL;
	do {
		switch (dwarf_tag(&c)) {
		case DW_TAG_formal_parameter:
		case DW_TAG_variable:
			err = visit_var(w, &c, depth, func);
			break;
		case DW_TAG_lexical_block:
			if (dwarf_haspc(&c, w->pc) == 1)
				err = visit_scope(w, &c, depth, func, level + 1);
			break;
		case DW_TAG_inlined_subroutine:
			if (dwarf_haspc(&c, w->pc) == 1)
				err = visit_scope(w, &c, depth + 1, scope_name(&c), level + 1);
			break;
		default:
			break;
		}
	} while (!err && dwarf_siblingof(&c, &c) == 0);
	return err;
}

struct ms_error *ms_frame_vars(struct ms_func_index *fi, uint64_t entry,
			       uint64_t pc, uint64_t cfa, const uint64_t *regs,
			       ms_frame_var_fn *fn, void *arg)
{
	const struct func_ent *e = find_func(fi, entry);
	Dwarf_Die die;
	if (!e || !dwarf_offdie(ms_dwarf_libdw(fi->dw), e->die, &die))
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "%s: no function at 0x%" PRIx64 " in the DWARF",
				       ms_dwarf_path(fi->dw), entry);
	struct walk w = { pc, cfa, regs, fn, arg };
	return visit_scope(&w, &die, 0, scope_name(&die), 0);
}
