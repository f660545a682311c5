/* Goroutines of a Go process: their list, state, and frame-by-frame backtraces unwound with the pclntab. */
#ifndef MS_GOROUTINE_H
#define MS_GOROUTINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "go_runtime.h"

struct ms_module;
struct ms_session;

/**
 * One frame of a backtrace. A physical frame whose pc lies in inlined code
 * gives several frames: the inlined callees first (inlined = true), then
 * the function the code was compiled into; they share pc, sp and cfa.
 *
 * For frame-local variables: Go's DWARF gives a function's frame base as
 * DW_OP_call_frame_cfa, which is @c cfa here; locals and spilled register
 * arguments are at negative DW_OP_fbreg offsets from it, stack (ABI0)
 * arguments and results at cfa, cfa + 8, ... The DWARF subprogram to use is
 * the one whose low_pc is @c entry (the physical function, also for
 * inlined frames), and location lists are indexed by @c pc (use pc - 1 when
 * @c exact_pc is false, so a call's return address does not fall in the
 * next instruction's range).
 */
struct ms_frame {
	uint64_t pc;		/**< runtime pc: the innermost frame's exact pc, a caller's return address */
	uint64_t sp;		/**< the frame's stack pointer (its lowest address) */
	uint64_t cfa;		/**< the caller's sp: sp + frame size + 8 (the return address is at cfa - 8) */
	uint64_t entry;		/**< runtime entry of the physical function */
	const char *func;	/**< the Go function ("main.(*Cache).Put"); for an inlined frame the inlined callee */
	const char *file;	/**< source file as compiled ("?" when unknown) */
	int32_t line;		/**< source line (0 when unknown) */
	bool inlined;		/**< an inlined call; pc, sp, cfa and entry are those of the frame it was inlined into */
	bool exact_pc;		/**< pc is the instruction executing (innermost, signal context, after sigpanic), not a return address */
	bool signal_context;	/**< this frame was reached through a signal frame (the pc and sp the kernel saved) */
	/**
	 * With signal_context: the address of the registers the kernel saved
	 * (ucontext uc_mcontext gregs: r8-r15, rdi, rsi, rbp, rbx, rdx, rax,
	 * rcx, rsp, rip, 8 bytes each), which hold this frame's registers;
	 * else 0.
	 */
	uint64_t sigcontext;
	struct ms_module *module;	/**< the module whose text holds pc */
};

/** g.atomicstatus values (runtime/runtime2.go), without the _Gscan bit. */
enum ms_g_status {
	MS_G_IDLE = 0,
	MS_G_RUNNABLE = 1,
	MS_G_RUNNING = 2,
	MS_G_SYSCALL = 3,
	MS_G_WAITING = 4,
	MS_G_COPYSTACK = 8,
	MS_G_PREEMPTED = 9,
	MS_G_SCAN = 0x1000,	/**< bit set while the GC scans the stack */
};

/** Where a goroutine's innermost frame was read from. */
enum ms_g_context {
	MS_G_CONTEXT_NONE,	/**< not unwound (dead, or no layout) */
	MS_G_CONTEXT_SCHED,	/**< g.sched: parked, in a syscall, or on the system stack */
	MS_G_CONTEXT_THREAD,	/**< the registers of the thread running it (NT_PRSTATUS) */
	MS_G_CONTEXT_SIGNAL,	/**< a signal frame on its thread's signal stack */
};

/** One goroutine. Strings are valid until the list is destroyed. */
struct ms_goroutine {
	uint64_t g;		/**< address of the runtime.g */
	uint64_t goid;
	uint32_t status;	/**< g.atomicstatus as read (the _Gscan bit included) */
	const char *status_str;	/**< "running", "waiting", ... as the runtime prints them */
	uint8_t wait_reason_code;	/**< g.waitreason */
	const char *wait_reason;	/**< "chan receive", ...; NULL unless waiting */
	uint64_t stack_lo, stack_hi;	/**< g.stack */
	uint64_t sched_pc, sched_sp;	/**< g.sched (sp 0 while it runs) */
	uint64_t m;		/**< g.m, 0 when not on a thread */
	int32_t tid;		/**< the thread running it (m.procid), 0 when none */
	uint64_t gopc;		/**< pc of the go statement that created it */
	uint64_t startpc;	/**< its start function */
	uint64_t panic;		/**< g._panic, 0 when not panicking */
	bool crashed;		/**< the goroutine whose fault or fatal error killed the process */
	enum ms_g_context context;
	struct ms_frame *frames;	/**< innermost first */
	size_t n_frames;
	bool truncated;		/**< more frames than the unwinder keeps */
	char *unwind_error;	/**< why unwinding stopped before the outermost frame, or NULL */
};

/** The goroutines of a process. */
struct ms_goroutines {
	struct ms_goroutine *gs;	/**< in runtime.allgs order; dead goroutines left out */
	size_t n;
	size_t n_dead;		/**< dead goroutines seen and left out */
	/** Index of the crashed goroutine in @c gs, or SIZE_MAX. */
	size_t crashed;
	/** "runtime.allgs" (symbol or DWARF) or "search" (found in the runtime's bss). */
	const char *allgs_source;
	uint64_t allgs;		/**< address of the runtime.allgs slice header */
	/* private */
	char *wait_strings[256];	/**< wait reasons read from the core */
};

/**
 * Read every live goroutine of runtime.allgs (found by symbol or DWARF, or
 * for a stripped runtime by searching its bss for a []*g whose first
 * goroutine has goid 1 and stack bounds that look like one), with status,
 * wait reason and backtrace. A goroutine that cannot be unwound keeps the
 * frames found so far and says why in unwind_error.
 * @param[out] ret to free with ms_goroutines_destroy().
 * @return NULL, MS_ERR_UNSUPPORTED (no runtime.g layout for this Go
 * version), MS_ERR_NOT_FOUND (no runtime.allgs), a fault reading it.
 */
/**
 * Find runtime.allgs without symbols: a slice header in the runtime
 * module's bss whose first element is goroutine 1 with a plausible stack,
 * its next few elements plausible goroutines too.
 * @param[out] ret the address of the slice header.
 * @return NULL or MS_ERR_NOT_FOUND.
 */
struct ms_error *ms_goroutines_search_allgs(struct ms_session *s,
					    const struct ms_g_layout *l, uint64_t *ret);

struct ms_error *ms_goroutines_create(struct ms_session *s,
				      struct ms_goroutines **ret);

/** Free @p list; NULL is a no-op. */
void ms_goroutines_destroy(struct ms_goroutines *list);

/** The crashed goroutine, or NULL. */
const struct ms_goroutine *ms_goroutines_crashed(const struct ms_goroutines *list);

/** The goroutine with id @p goid, or NULL. */
const struct ms_goroutine *ms_goroutines_find(const struct ms_goroutines *list,
					      uint64_t goid);

/**
 * Unwind a stack from a pc and sp with the pclntab of the module holding
 * each pc, through inlined calls, sigpanic and signal frames (runtime.sigtramp:
 * the pc and sp the kernel saved in its ucontext).
 * @param[in] exact_pc @p pc is an executing instruction, not a return address.
 * @param[in] lo,hi the stack's bounds; frames must stay inside (0, 0: any
 * readable memory, for thread stacks).
 * @param[in] max at most this many frames.
 * @param[out] ret malloc'ed frames, innermost first (free()); set also on
 * error, with the frames found before it.
 * @param[out] error_ret why unwinding stopped early (malloc'ed), or NULL.
 * @return NULL or MS_ERR_NOMEM.
 */
struct ms_error *ms_unwind(struct ms_session *s, uint64_t pc, uint64_t sp,
			   bool exact_pc, uint64_t lo, uint64_t hi, size_t max,
			   struct ms_frame **ret, size_t *n_ret,
			   bool *truncated_ret, char **error_ret);

/**
 * Describe one code address: the innermost function at @p pc (the inlined
 * callee if pc is in inlined code), its file and line, the physical entry.
 * Only func, file, line, entry, module, pc and inlined are set.
 * @param[in] exact_pc false for a return address (its call is looked up).
 * @return NULL, MS_ERR_NOT_FOUND (no Go function there).
 */
struct ms_error *ms_frame_at_pc(struct ms_session *s, uint64_t pc,
				bool exact_pc, struct ms_frame *ret);

/**
 * The "file:line" of @p pc (an exact pc), or NULL; the basename only when
 * @p short_name. Returns a pointer to @p buf.
 */
const char *ms_pc_file_line(struct ms_session *s, uint64_t pc, bool short_name,
			    char *buf, size_t len);

/** "running", "waiting", ... (the _Gscan bit ignored); "unknown" otherwise. */
const char *ms_g_status_str(uint32_t status);

#endif /* MS_GOROUTINE_H */
