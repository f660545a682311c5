/* Goroutines of a Go process: their list, state, and frame-by-frame backtraces unwound with the pclntab. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binbuf.h"
#include "goroutine.h"
#include "module.h"
#include "pclntab.h"
#include "session.h"

// Bounds against damaged cores: frames per stack, inlining depth,
// goroutines, a plausible stack size.
static const size_t max_frames = 512;
static const unsigned max_inline_depth = 64;
static const uint64_t max_goroutines = 1 << 20;
static const uint64_t max_stack = UINT64_C(1) << 30;

// struct sigcontext in the ucontext the kernel puts on the signal stack
// (uc_flags, uc_link, uc_stack come first); gregs r8..r15, rdi, rsi, rbp,
// rbx, rdx, rax, rcx, rsp, rip.
static const uint64_t uc_mcontext = 40;
static const uint64_t mc_rsp = 15 * 8, mc_rip = 16 * 8;

const char *ms_g_status_str(uint32_t status)
{
	// gStatusStrings (runtime/traceback.go); 10 and 11 are Go 1.26's.
	static const char *const names[] = {
		"idle", "runnable", "running", "syscall", "waiting",
		"moribund", "dead", "enqueue", "copystack", "preempted",
		"leaked", "waiting for cgo callback",
	};
	status &= ~(uint32_t)MS_G_SCAN;
	return status < sizeof(names) / sizeof(names[0]) ? names[status]
							  : "unknown";
}

static char *fmt_alloc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *fmt_alloc(const char *fmt, ...)
{
	va_list ap;
	char *p = NULL;
	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		p = NULL;
	va_end(ap);
	return p;
}


// The Go module whose text holds pc, and its table.
static struct ms_module *text_module(struct ms_session *s, uint64_t pc,
				     struct ms_pclntab **tab_ret)
{
	const char *sec = NULL;
	struct ms_module *mod = ms_session_module_at(s, pc, &sec);
	if (!mod || !mod->is_go)
		return NULL;
	struct ms_error *err = ms_module_pclntab(mod, tab_ret);
	if (err) {
		ms_error_destroy(err);
		return NULL;
	}
	return mod;
}

// The physical function at a runtime pc.
static struct ms_error *func_at(struct ms_session *s, uint64_t pc,
				struct ms_module **mod_ret,
				struct ms_pclntab **tab_ret,
				struct ms_pclntab_funcinfo *ret)
{
	struct ms_pclntab *tab = NULL;
	struct ms_module *mod = text_module(s, pc, &tab);
	if (!mod)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "pc 0x%llx is in no Go module's text",
				       (unsigned long long)pc);
	struct ms_error *err = ms_pclntab_func_at(tab, pc - mod->bias, ret);
	if (err)
		return err;
	*mod_ret = mod;
	*tab_ret = tab;
	return NULL;
}

// Entry ix of the inline tree at gofunc + off: the callee's name offset
// and the parent pc (offset from the entry). Go 1.20 shrank the entry to
// {funcID, pad[3], nameOff, parentPc, startLine}; before it was {parent,
// funcID, pad, file, line, func_, parentPc} (runtime/symtabinl.go, symtab.go).
static bool inline_entry(struct ms_session *s, struct ms_module *mod,
			 const struct ms_pclntab *tab, uint32_t off, int32_t ix,
			 int32_t *name_off_ret, int32_t *parent_pc_ret)
{
	const struct ms_go_layout *gl = ms_session_go_layout(s);
	uint64_t gofunc;
	if (!mod->moduledata || !gl->md.source || !gl->md.gofunc ||
	    !ms_session_try_read_u64(s, mod->moduledata + gl->md.gofunc, &gofunc) || !gofunc)
		return false;
	bool new_form = ms_pclntab_version(tab) >= 120;
	uint64_t size = new_form ? 16 : 20;
	uint8_t b[20];
	struct ms_error *err = ms_session_read(s, gofunc + off + (uint64_t)ix * size,
					       b, (size_t)size);
	if (err) {
		ms_error_destroy(err);
		return false;
	}
	*name_off_ret = (int32_t)ms_load_u32(b + (new_form ? 4 : 12));
	*parent_pc_ret = (int32_t)ms_load_u32(b + (new_form ? 8 : 16));
	return true;
}

struct frame_vec {
	struct ms_frame *v;
	size_t n, cap, max;
	bool truncated;
};

static struct ms_error *push(struct frame_vec *fv, const struct ms_frame *f)
{
	if (fv->n >= fv->max) {
		fv->truncated = true;
		return NULL;
	}
	if (fv->n == fv->cap) {
		size_t cap = fv->cap ? 2 * fv->cap : 16;
		struct ms_frame *v = realloc(fv->v, cap * sizeof(*v));
		if (!v)
			return &ms_enomem;
		fv->v = v;
		fv->cap = cap;
	}
	fv->v[fv->n++] = *f;
	return NULL;
}

// Push frame @p f as function @p name at link-time @p pc of @p fi, with
// its source position ("?" and 0 when the tables do not say).
static struct ms_error *push_logical(const struct ms_pclntab *tab,
				     const struct ms_pclntab_funcinfo *fi,
				     uint64_t pc, const char *name, bool inlined,
				     struct ms_frame *f, struct frame_vec *fv)
{
	f->func = name;
	f->inlined = inlined;
	f->file = "?";
	f->line = 0;
	struct ms_error *err = ms_pclntab_line(tab, fi, pc, &f->file, &f->line);
	if (err && err->code == MS_ERR_NOMEM)
		return err;
	ms_error_destroy(err);
	return push(fv, f);
}

// The logical frames of one physical frame at @p lookup (link-time pc of
// the instruction: a return address minus one), innermost first: the
// inline tree's callees, then the physical function (runtime
// inlineUnwinder: each parent's position is the pcln value at entry +
// parentPc).
static struct ms_error *logical_frames(struct ms_session *s,
				       struct ms_module *mod,
				       const struct ms_pclntab *tab,
				       const struct ms_pclntab_funcinfo *fi,
				       uint64_t lookup, const struct ms_frame *proto,
				       struct frame_vec *fv)
{
	struct ms_frame f = *proto;
	uint64_t cur = lookup;
	int32_t ix = -1;
	uint32_t inl_off = 0;
	struct ms_error *err = ms_pclntab_pcdata(tab, fi, MS_PCDATA_INL_TREE_INDEX,
						 cur, &ix);
	if (err || ms_pclntab_funcdata(tab, fi, MS_FUNCDATA_INL_TREE, &inl_off)) {
		// The funcdata error, if any, was not kept: no tree, no inlining.
		ms_error_destroy(err);
		ix = -1;
	}
	for (unsigned depth = 0; ix >= 0 && depth < max_inline_depth; depth++) {
		int32_t name_off, parent_pc;
		if (!inline_entry(s, mod, tab, inl_off, ix, &name_off, &parent_pc))
			break;
		const char *name = NULL;
		err = ms_pclntab_name(tab, name_off, &name);
		if (err) {
			ms_error_destroy(err);
			break;
		}
		if ((err = push_logical(tab, fi, cur, name, true, &f, fv)))
			return err;
		cur = fi->entry + (uint64_t)(int64_t)parent_pc;
		err = ms_pclntab_pcdata(tab, fi, MS_PCDATA_INL_TREE_INDEX, cur, &ix);
		if (err) {
			ms_error_destroy(err);
			ix = -1;
		}
	}
	return push_logical(tab, fi, cur, fi->name, false, &f, fv);
}

struct ms_error *ms_frame_at_pc(struct ms_session *s, uint64_t pc,
				bool exact_pc, struct ms_frame *ret)
{
	struct ms_module *mod;
	struct ms_pclntab *tab;
	struct ms_pclntab_funcinfo fi;
	uint64_t look = exact_pc ? pc : pc - 1;
	struct ms_error *err = func_at(s, look, &mod, &tab, &fi);
	if (err)
		return err;
	struct frame_vec fv = { .max = 1 };
	struct ms_frame proto = {
		.pc = pc, .entry = fi.entry + mod->bias, .exact_pc = exact_pc,
		.module = mod,
	};
	err = logical_frames(s, mod, tab, &fi, look - mod->bias, &proto, &fv);
	if (!err && fv.n == 1)
		*ret = fv.v[0];
	else if (!err)
		err = ms_error_create(MS_ERR_NOT_FOUND, "no Go function at 0x%llx",
				      (unsigned long long)pc);
	free(fv.v);
	return err;
}

const char *ms_pc_file_line(struct ms_session *s, uint64_t pc, bool short_name,
			    char *buf, size_t len)
{
	struct ms_frame f;
	struct ms_error *err = ms_frame_at_pc(s, pc, true, &f);
	if (err) {
		ms_error_destroy(err);
		return NULL;
	}
	const char *file = f.file;
	const char *slash = strrchr(file, '/');
	if (short_name && slash)
		file = slash + 1;
	snprintf(buf, len, "%s:%d", file, (int)f.line);
	return buf;
}

static bool in_stack(uint64_t lo, uint64_t hi, uint64_t sp)
{
	return (lo == 0 && hi == 0) || (sp >= lo && sp <= hi);
}

struct ms_error *ms_unwind(struct ms_session *s, uint64_t pc, uint64_t sp,
			   bool exact_pc, uint64_t lo, uint64_t hi, size_t max,
			   struct ms_frame **ret, size_t *n_ret,
			   bool *truncated_ret, char **error_ret)
{
	struct frame_vec fv = { .max = max ? max : max_frames };
	struct ms_error *err = NULL;
	char *why = NULL;
	bool exact = exact_pc, signal_ctx = false;
	uint64_t sigcontext = 0;	// where the kernel saved the registers of the frame it interrupted

	for (size_t physical = 0; !fv.truncated; physical++) {
		if (physical >= fv.max) {
			fv.truncated = true;
			break;
		}
		if (!in_stack(lo, hi, sp)) {
			why = fmt_alloc("sp 0x%llx left the stack [0x%llx, 0x%llx)",
					(unsigned long long)sp,
					(unsigned long long)lo,
					(unsigned long long)hi);
			break;
		}
		struct ms_module *mod;
		struct ms_pclntab *tab;
		struct ms_pclntab_funcinfo fi;
		// A return address may be the first byte of the next function
		// (a call to a function that does not return): look up the
		// call instruction.
		uint64_t look = exact ? pc : pc - 1;
		struct ms_error *e = func_at(s, look, &mod, &tab, &fi);
		if (e) {
			if (e->code == MS_ERR_NOMEM) {
				err = e;
				break;
			}
			why = fmt_alloc("%s", e->message);
			ms_error_destroy(e);
			break;
		}
		int32_t delta = 0;
		e = ms_pclntab_sp_delta(tab, &fi, look - mod->bias, &delta);
		if (e) {
			why = fmt_alloc("no frame size for %s at 0x%llx: %s", fi.name,
					(unsigned long long)pc, e->message);
			ms_error_destroy(e);
			break;
		}
		if (delta < 0) {
			why = fmt_alloc("negative frame size in %s at 0x%llx",
					fi.name, (unsigned long long)pc);
			break;
		}
		uint64_t cfa = sp + (uint64_t)delta + 8;
		struct ms_frame proto = {
			.pc = pc, .sp = sp, .cfa = cfa,
			.entry = fi.entry + mod->bias, .exact_pc = exact,
			.signal_context = signal_ctx, .module = mod,
			.sigcontext = signal_ctx ? sigcontext : 0,
		};
		if ((err = logical_frames(s, mod, tab, &fi, look - mod->bias,
					  &proto, &fv)))
			break;
		signal_ctx = false;
		// The kernel entered runtime.sigtramp with the sp at its
		// return address (sa_restorer) and the ucontext right above:
		// continue with the interrupted pc and sp. It is marked
		// TOPFRAME, so this comes before that check.
		if (strcmp(fi.name, "runtime.sigtramp") == 0) {
			uint64_t rip, rsp;
			if (!ms_session_try_read_u64(s, cfa + uc_mcontext + mc_rip, &rip) ||
			    !ms_session_try_read_u64(s, cfa + uc_mcontext + mc_rsp, &rsp)) {
				why = fmt_alloc("cannot read the signal context at 0x%llx",
						(unsigned long long)cfa);
				break;
			}
			pc = rip;
			sp = rsp;
			exact = true;
			signal_ctx = true;
			sigcontext = cfa + uc_mcontext;
			// The interrupted code may run on another stack (g0
			// when the signal came during a system call).
			continue;
		}
		if (fi.flag & MS_PCLNTAB_FLAG_TOPFRAME)
			break;
		// A C program (the host of a Go c-shared library, or C code
		// calling back into Go) called Go here: the frames below are
		// C's, on the thread's own stack.
		if (strcmp(fi.name, "runtime.cgocallback") == 0 && physical > 0) {
			why = fmt_alloc("called from C through %s", fi.name);
			break;
		}
		if ((fi.flag & MS_PCLNTAB_FLAG_SPWRITE) && physical > 0) {
			why = fmt_alloc("%s changes the stack pointer; cannot unwind past it",
					fi.name);
			break;
		}
		uint64_t retaddr;
		if (!ms_session_try_read_u64(s, cfa - 8, &retaddr)) {
			why = fmt_alloc("cannot read the return address at 0x%llx",
					(unsigned long long)(cfa - 8));
			break;
		}
		if (retaddr == 0)
			break;
		// sigpanic and asyncPreempt are "called" by the signal handler
		// pushing the interrupted pc: that pc is exact.
		exact = strcmp(fi.name, "runtime.sigpanic") == 0 ||
			strcmp(fi.name, "runtime.asyncPreempt") == 0;
		if (cfa <= sp) {
			why = fmt_alloc("the stack does not grow at 0x%llx",
					(unsigned long long)sp);
			break;
		}
		pc = retaddr;
		sp = cfa;
	}
	if (err) {
		free(fv.v);
		free(why);
		return err;
	}
	*ret = fv.v;
	*n_ret = fv.n;
	if (truncated_ret)
		*truncated_ret = fv.truncated;
	if (error_ret)
		*error_ret = why;
	else
		free(why);
	return NULL;
}

/* ---- the goroutine list ---- */

// waitReasonStrings of Go 1.19 and 1.26-1.27 (runtime/runtime2.go), for
// runtimes whose own table cannot be found (stripped binaries).
static const char *const wait_go119[] = {
	"", "GC assist marking", "IO wait", "chan receive (nil chan)",
	"chan send (nil chan)", "dumping heap", "garbage collection",
	"garbage collection scan", "panicwait", "select", "select (no cases)",
	"GC assist wait", "GC sweep wait", "GC scavenge wait", "chan receive",
	"chan send", "finalizer wait", "force gc (idle)", "semacquire", "sleep",
	"sync.Cond.Wait", "timer goroutine (idle)", "trace reader (blocked)",
	"wait for GC cycle", "GC worker (idle)", "preempted", "debug call",
};
static const char *const wait_go126[] = {
	"", "GC assist marking", "IO wait", "dumping heap", "garbage collection",
	"garbage collection scan", "panicwait", "GC assist wait",
	"GC sweep wait", "GC scavenge wait", "finalizer wait",
	"force gc (idle)", "GOMAXPROCS updater (idle)", "semacquire", "sleep",
	"chan receive (nil chan)", "chan send (nil chan)", "select (no cases)",
	"select", "chan receive", "chan send", "sync.Cond.Wait",
	"sync.Mutex.Lock", "sync.RWMutex.RLock", "sync.RWMutex.Lock",
	"sync.WaitGroup.Wait", "trace reader (blocked)", "wait for GC cycle",
	"GC worker (idle)", "GC worker (active)", "preempted", "debug call",
	"GC mark termination", "stopping the world", "flushing proc caches",
	"trace goroutine status", "trace proc status", "page trace flush",
	"coroutine", "GC weak to strong wait", "synctest.Run",
	"synctest.Wait", "chan receive (durable)", "chan send (durable)",
	"select (durable)", "sync.WaitGroup.Wait (durable)", "cleanup wait",
};

struct reader {
	struct ms_session *s;
	const struct ms_g_layout *l;
	struct ms_goroutines *list;
	uint64_t wait_table;	/**< runtime.waitReasonStrings, or 0 */
	char *wait_cache[256];	/**< strings read from it, by code */
	size_t cap;
	struct ms_error *err;
};

static const char *wait_reason(struct reader *r, uint8_t code)
{
	if (r->wait_cache[code])
		return r->wait_cache[code];
	// No release has 64 wait reasons: a larger code is damage.
	if (r->wait_table && code < 64) {
		char *str = NULL;
		struct ms_error *err = ms_go_read_string(ms_session_addrspace(r->s),
							  r->wait_table + 16 * (uint64_t)code,
							  64, &str);
		if (!err && str) {
			r->wait_cache[code] = str;
			return str;
		}
		ms_error_destroy(err);
	}
	const struct ms_go_version *v = ms_session_go_version_parsed(r->s);
	if (v && v->major == 1 && v->minor == 19 &&
	    code < sizeof(wait_go119) / sizeof(wait_go119[0]))
		return wait_go119[code];
	// Go 1.27 kept 1.26's list.
	if (v && v->major == 1 && (v->minor == 26 || v->minor == 27) &&
	    code < sizeof(wait_go126) / sizeof(wait_go126[0]))
		return wait_go126[code];
	return "?";
}

// A g's stack bounds look like one: both zero (never given a stack) or a
// power of two of at least 2 KiB (runtime/stack.go: fixedStack and its
// doublings; g0s of cgo threads are not in allgs).
static bool plausible_stack(uint64_t lo, uint64_t hi)
{
	if (lo == 0 && hi == 0)
		return true;
	uint64_t size = hi - lo;
	return hi > lo && size >= 2048 && size <= max_stack &&
	       (size & (size - 1)) == 0;
}

// The thread whose registers are in the goroutine's stack, or the thread
// of its m (m.procid).
static const struct ms_core_thread *thread_of(struct reader *r,
					      struct ms_goroutine *g)
{
	struct ms_session *s = r->s;
	for (size_t i = 0; i < ms_session_thread_count(s); i++) {
		const struct ms_core_thread *t = ms_session_thread(s, i);
		if (g->tid && t->tid == g->tid)
			return t;
	}
	for (size_t i = 0; i < ms_session_thread_count(s); i++) {
		const struct ms_core_thread *t = ms_session_thread(s, i);
		uint64_t rsp = t->regs[MS_REG_RSP];
		if (rsp >= g->stack_lo && rsp < g->stack_hi)
			return t;
	}
	return NULL;
}

// A running goroutine: the registers of its thread, or, when the thread
// is on its signal stack, the interrupted context the unwinder finds in
// the signal frame: keep the frames from the first inside the goroutine's
// stack on.
static struct ms_error *unwind_running(struct reader *r, struct ms_goroutine *g)
{
	const struct ms_core_thread *t = thread_of(r, g);
	if (!t) {
		g->unwind_error = fmt_alloc("goroutine is running but no thread has it");
		return NULL;
	}
	uint64_t rip = t->regs[MS_REG_RIP], rsp = t->regs[MS_REG_RSP];
	if (!g->tid)
		g->tid = t->tid;
	if (rsp >= g->stack_lo && rsp < g->stack_hi) {
		g->context = MS_G_CONTEXT_THREAD;
		return ms_unwind(r->s, rip, rsp, true, g->stack_lo, g->stack_hi, 0,
				 &g->frames, &g->n_frames, &g->truncated,
				 &g->unwind_error);
	}
	struct ms_frame *frames = NULL;
	size_t n = 0;
	char *why = NULL;
	struct ms_error *err = ms_unwind(r->s, rip, rsp, true, 0, 0, 0, &frames,
					 &n, NULL, &why);
	if (err)
		return err;
	size_t first = n;
	for (size_t i = 0; i < n; i++) {
		if (frames[i].signal_context && frames[i].sp >= g->stack_lo &&
		    frames[i].sp < g->stack_hi) {
			first = i;
			break;
		}
	}
	if (first == n) {
		g->unwind_error = fmt_alloc("thread %d runs it outside its stack (pc 0x%llx, sp 0x%llx)%s%s",
					    (int)t->tid, (unsigned long long)rip,
					    (unsigned long long)rsp,
					    why ? ": " : "", why ? why : "");
		free(frames);
		free(why);
		return NULL;
	}
	// Unwind again from the signal context with the goroutine's bounds.
	uint64_t pc = frames[first].pc, sp = frames[first].sp;
	uint64_t sigcontext = frames[first].sigcontext;
	free(frames);
	free(why);
	g->context = MS_G_CONTEXT_SIGNAL;
	err = ms_unwind(r->s, pc, sp, true, g->stack_lo, g->stack_hi, 0,
			&g->frames, &g->n_frames, &g->truncated, &g->unwind_error);
	// The first frame and the functions inlined at its pc.
	for (size_t i = 0; !err && i < g->n_frames; i++) {
		g->frames[i].signal_context = true;
		g->frames[i].sigcontext = sigcontext;
		if (!g->frames[i].inlined)
			break;
	}
	return err;
}

static struct ms_error *read_g(struct reader *r, uint64_t addr, bool *dead_ret)
{
	struct ms_session *s = r->s;
	const struct ms_g_layout *l = r->l;
	struct ms_goroutine g = { .g = addr };
	uint8_t b[4];

	*dead_ret = false;
	if (!ms_session_try_read_u64(s, addr + l->stack_lo, &g.stack_lo) ||
	    !ms_session_try_read_u64(s, addr + l->stack_hi, &g.stack_hi) ||
	    !ms_session_try_read_u64(s, addr + l->goid, &g.goid))
		return ms_error_create(MS_ERR_FAULT, "cannot read goroutine at 0x%llx",
				       (unsigned long long)addr);
	if (l->status != UINT64_MAX) {
		struct ms_error *err = ms_session_read(s, addr + l->status, b, 4);
		if (err)
			return err;
		g.status = ms_load_u32(b);
		if ((g.status & ~(uint32_t)MS_G_SCAN) == MS_G_DEAD) {
			*dead_ret = true;
			return NULL;
		}
		g.status_str = ms_g_status_str(g.status);
	} else {
		g.status = UINT32_MAX;
		g.status_str = "unknown";
	}
	if (l->have_sched) {
		uint8_t wr = 0;
		struct ms_error *err = ms_session_read(s, addr + l->waitreason, &wr, 1);
		ms_error_destroy(err);
		g.wait_reason_code = wr;
		if ((g.status & ~(uint32_t)MS_G_SCAN) == MS_G_WAITING)
			g.wait_reason = wait_reason(r, wr);
		ms_session_try_read_u64(s, addr + l->sched_sp, &g.sched_sp);
		ms_session_try_read_u64(s, addr + l->sched_pc, &g.sched_pc);
		ms_session_try_read_u64(s, addr + l->m, &g.m);
		ms_session_try_read_u64(s, addr + l->gopc, &g.gopc);
		ms_session_try_read_u64(s, addr + l->startpc, &g.startpc);
		ms_session_try_read_u64(s, addr + l->panic, &g.panic);
		uint64_t procid = 0, curg = 0;
		// Only the m's current goroutine runs on its thread (a g
		// keeps g.m through a system call too).
		if (g.m && ms_session_try_read_u64(s, g.m + l->m_procid, &procid) &&
		    ms_session_try_read_u64(s, g.m + l->m_curg, &curg) && curg == addr &&
		    procid > 0 && procid < INT32_MAX)
			g.tid = (int32_t)procid;
	}

	struct ms_error *err = NULL;
	if (!plausible_stack(g.stack_lo, g.stack_hi) || !g.stack_lo) {
		g.unwind_error = fmt_alloc("no stack");
	} else if (l->have_sched && g.sched_sp && g.sched_pc &&
		   g.sched_sp >= g.stack_lo && g.sched_sp <= g.stack_hi) {
		// Parked, in a system call, or on the system stack: g.sched
		// holds where it stopped (gogo zeroes sched.sp when it runs).
		g.context = MS_G_CONTEXT_SCHED;
		err = ms_unwind(s, g.sched_pc, g.sched_sp, true, g.stack_lo,
				g.stack_hi, 0, &g.frames, &g.n_frames,
				&g.truncated, &g.unwind_error);
	} else {
		err = unwind_running(r, &g);
	}
	if (err) {
		free(g.frames);
		free(g.unwind_error);
		return err;
	}
	if (r->list->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		struct ms_goroutine *v = realloc(r->list->gs, cap * sizeof(*v));
		if (!v) {
			free(g.frames);
			free(g.unwind_error);
			return &ms_enomem;
		}
		r->list->gs = v;
		r->cap = cap;
	}
	r->list->gs[r->list->n++] = g;
	return NULL;
}

// allgs found by search: a slice header (ptr, len, cap) in the runtime's
// bss whose first element is goroutine 1 (runtime.main) with a plausible
// stack, and whose next few elements are plausible goroutines too.
static bool allgs_candidate(struct ms_session *s, const struct ms_g_layout *l,
			    const uint64_t *w)
{
	uint64_t ptr = w[0], len = w[1], cap = w[2];
	if (!ptr || (ptr & 7) || !len || len > cap || cap > max_goroutines)
		return false;
	for (uint64_t i = 0; i < len && i < 4; i++) {
		uint64_t g, lo, hi, goid;
		if (!ms_session_try_read_u64(s, ptr + 8 * i, &g) || !g || (g & 7) ||
		    !ms_session_try_read_u64(s, g + l->stack_lo, &lo) ||
		    !ms_session_try_read_u64(s, g + l->stack_hi, &hi) ||
		    !ms_session_try_read_u64(s, g + l->goid, &goid) || !plausible_stack(lo, hi))
			return false;
		if (i == 0 && (goid != 1 || !lo))
			return false;
	}
	return true;
}

struct ms_error *ms_goroutines_search_allgs(struct ms_session *s,
					    const struct ms_g_layout *l, uint64_t *ret)
{
	struct ms_module *rt = ms_session_runtime_module(s);
	if (!rt)
		return ms_error_create(MS_ERR_NOT_FOUND, "no Go runtime module");
	const struct ms_range *bss = &rt->ranges[MS_SECTION_BSS];
	uint64_t buf[512];
	for (uint64_t a = (bss->start + 7) & ~(uint64_t)7; a + 24 <= bss->end;
	     a += sizeof(buf) - 16) {
		size_t n = bss->end - a < sizeof(buf) ? (size_t)(bss->end - a) & ~(size_t)7
						       : sizeof(buf);
		struct ms_error *err = ms_session_read(s, a, buf, n);
		if (err) {
			ms_error_destroy(err);
			continue;
		}
		for (size_t i = 0; i + 3 <= n / 8; i++) {
			uint64_t w[3] = { ms_load_u64(&buf[i]), ms_load_u64(&buf[i + 1]),
					  ms_load_u64(&buf[i + 2]) };
			if (allgs_candidate(s, l, w)) {
				*ret = a + 8 * i;
				return NULL;
			}
		}
		if (n < sizeof(buf))
			break;
	}
	return ms_error_create(MS_ERR_NOT_FOUND,
			       "runtime.allgs not found in the runtime's bss");
}

static int visit_g(void *arg, uint64_t g)
{
	struct reader *r = arg;
	bool dead = false;
	struct ms_error *err = read_g(r, g, &dead);
	if (dead) {
		r->list->n_dead++;
		return 0;
	}
	if (err && err->code != MS_ERR_FAULT) {
		r->err = err;
		return 1;
	}
	// An unreadable g is left out, as the runtime's scans would.
	ms_error_destroy(err);
	return 0;
}

// The goroutine that crashed: the one that took the signal (g.sig), else
// the one running on the crashing thread.
static void find_crashed(struct ms_session *s, struct ms_goroutines *list)
{
	const struct ms_crash *c = ms_session_crash(s);
	if (!c->present)
		return;
	for (size_t i = 0; i < list->n; i++) {
		if (c->g && list->gs[i].g == c->g) {
			list->crashed = i;
			break;
		}
		if (!c->g && c->tid && list->gs[i].tid == c->tid)
			list->crashed = i;
	}
	if (list->crashed != SIZE_MAX)
		list->gs[list->crashed].crashed = true;
}

struct ms_error *ms_goroutines_create(struct ms_session *s,
				      struct ms_goroutines **ret)
{
	const struct ms_go_layout *gl = ms_session_go_layout(s);
	if (!gl->g.source)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "no runtime.g layout for %s",
				       ms_session_go_version(s) ? ms_session_go_version(s)
								 : "this process");
	struct ms_goroutines *list = calloc(1, sizeof(*list));
	if (!list)
		return &ms_enomem;
	list->crashed = SIZE_MAX;
	struct reader r = { .s = s, .l = &gl->g, .list = list };

	struct ms_error *err = ms_session_runtime_global(s, "runtime.allgs", &list->allgs);
	list->allgs_source = "runtime.allgs";
	if (err && err->code == MS_ERR_NOT_FOUND) {
		ms_error_destroy(err);
		err = ms_goroutines_search_allgs(s, &gl->g, &list->allgs);
		list->allgs_source = "search";
	}
	if (err) {
		ms_goroutines_destroy(list);
		return err;
	}
	struct ms_error *e = ms_session_runtime_global(s, "runtime.waitReasonStrings",
						       &r.wait_table);
	ms_error_destroy(e);

	err = ms_go_foreach_g(ms_session_addrspace(s), list->allgs, visit_g, &r);
	if (!err)
		err = r.err;
	// The wait reasons handed out point into the cache: the list owns it.
	memcpy(list->wait_strings, r.wait_cache, sizeof(r.wait_cache));
	if (err) {
		ms_goroutines_destroy(list);
		return err;
	}
	find_crashed(s, list);
	*ret = list;
	return NULL;
}

void ms_goroutines_destroy(struct ms_goroutines *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->n; i++) {
		free(list->gs[i].frames);
		free(list->gs[i].unwind_error);
	}
	for (size_t i = 0; i < 256; i++)
		free(list->wait_strings[i]);
	free(list->gs);
	free(list);
}

const struct ms_goroutine *ms_goroutines_crashed(const struct ms_goroutines *list)
{
	return list->crashed < list->n ? &list->gs[list->crashed] : NULL;
}

const struct ms_goroutine *ms_goroutines_find(const struct ms_goroutines *list,
					      uint64_t goid)
{
	for (size_t i = 0; i < list->n; i++)
		if (list->gs[i].goid == goid)
			return &list->gs[i];
	return NULL;
}
