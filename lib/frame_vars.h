/* The parameters and locals of a stack frame from DWARF: which are in scope at a pc, and where each lives. */
#ifndef MS_FRAME_VARS_H
#define MS_FRAME_VARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <elfutils/libdw.h>

#include "dwarf_index.h"
#include "error.h"

/**
 * The functions of one DWARF file by address: every subprogram with code,
 * read once (the top level of every unit, never into bodies), for finding
 * the function of a frame without walking a unit per lookup. Go writes no
 * .debug_aranges, so libdw cannot answer that directly.
 */
struct ms_func_index;

/**
 * @param[in] dw borrowed; must outlive the result.
 * @param[out] ret to free with ms_func_index_destroy().
 */
struct ms_error *ms_func_index_create(struct ms_dwarf *dw,
				      struct ms_func_index **ret);

/** Free @p fi; NULL is a no-op. */
void ms_func_index_destroy(struct ms_func_index *fi);

/** Where a variable lives at a pc. */
enum ms_var_where {
	MS_VAR_MEMORY,		/**< at @c addr (a stack slot, or contiguous pieces of them) */
	MS_VAR_REGISTER,	/**< its value is @c value, read from a known register */
	MS_VAR_LOST,		/**< not recoverable: @c why says why */
};

/** One parameter or local in scope at a pc. Strings borrow the DWARF. */
struct ms_frame_var {
	const char *name;
	bool param;		/**< DW_TAG_formal_parameter */
	Dwarf_Die type;		/**< its DW_AT_type */
	/**
	 * Inline depth of the scope declaring it: 0 for the physical
	 * function, 1 for a function inlined into it, and so on.
	 */
	unsigned depth;
	const char *func;	/**< the declaring function (the inlined callee's name at depth > 0) */
	enum ms_var_where where;
	uint64_t addr;		/**< MS_VAR_MEMORY: runtime address */
	uint64_t value;		/**< MS_VAR_REGISTER: the whole value (one word) */
	const char *why;	/**< MS_VAR_LOST: "in a register of a caller's frame" ... */
	/**
	 * The address of each of the value's first four words that lies in
	 * the frame (0 for a word in a register or optimized away), also
	 * when the whole value is not recoverable: an interface whose type
	 * word the compiler dropped still has its data word.
	 */
	uint64_t word_addr[4];
};

/** Called for each variable; return non-NULL to stop (passed through). */
typedef struct ms_error *ms_frame_var_fn(void *arg, const struct ms_frame_var *v);

/**
 * Call @p fn for every parameter and local of the function at link-time
 * @p entry that is in scope at link-time @p pc (lexical blocks and
 * inlined subroutines whose ranges hold it), with its location there
 * (DW_AT_location: an expression, or a location list chosen by pc).
 * Variables without a location at @p pc (not yet set, or dead) are
 * skipped. Go's frame base is DW_OP_call_frame_cfa, @p cfa here.
 *
 * @param[in] regs the 17 DWARF x86-64 registers (rax, rdx, rcx, rbx, rsi,
 * rdi, rbp, rsp, r8-r15, return address) at @p pc when known (the
 * innermost frame of a thread), else NULL: a register location is then
 * MS_VAR_LOST.
 * @return NULL, MS_ERR_NOT_FOUND when no subprogram starts at @p entry.
 */
struct ms_error *ms_frame_vars(struct ms_func_index *fi, uint64_t entry,
			       uint64_t pc, uint64_t cfa, const uint64_t *regs,
			       ms_frame_var_fn *fn, void *arg);

enum { MS_DWARF_X86_REGS = 17 };

#endif /* MS_FRAME_VARS_H */
