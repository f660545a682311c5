/* x86-64 disassembly: cross references to data and the instructions around a pc (wraps capstone). */
#ifndef MS_DISASM_H
#define MS_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "elf_core.h"
#include "error.h"

/** A capstone handle for x86-64, Intel syntax, with operand details. */
struct ms_disasm;

/**
 * @param[out] ret to free with ms_disasm_destroy(). Not safe to share
 * between threads.
 * @return NULL or MS_ERR_LIB (capstone's message).
 */
struct ms_error *ms_disasm_create(struct ms_disasm **ret);

/** Free @p d; NULL is a no-op. */
void ms_disasm_destroy(struct ms_disasm *d);

/*
 * Registers are indexed as in the Linux x86-64 struct user_regs_struct
 * (NT_PRSTATUS): enum ms_x86_reg of elf_core.h, one definition for code
 * that uses both the core and the disassembler.
 */

/** Where a register name lives in user_regs_struct. */
struct ms_reg_part {
	int index;		/**< enum ms_x86_reg of the 64-bit parent */
	unsigned bits;		/**< 64, 32, 16 or 8 */
	unsigned shift;		/**< 8 for ah/bh/ch/dh, else 0 */
};

/**
 * Map a register name as capstone prints it ("rax", "r8d", "ah", "rip",
 * "fs") to its slot in user_regs_struct. The segment registers fs and gs
 * map to their selectors; address with fs_base/gs_base (see
 * ms_disasm_mem_address()).
 * @return false for registers not in user_regs_struct (xmm, k, cr, ...).
 */
bool ms_disasm_reg_part(const char *name, struct ms_reg_part *ret);

/** The user_regs_struct index of a register name's 64-bit parent, or -1. */
int ms_disasm_reg_index(const char *name);

/** "r15", "r14", ..., "gs" for an enum ms_x86_reg; NULL out of range. */
const char *ms_disasm_reg_name(int index);

/** A data range that code may refer to. */
struct ms_xref_target {
	uint64_t addr;
	uint64_t size;
};

/** How an instruction refers to a target. */
enum ms_xref_kind {
	MS_XREF_RIP,		/**< a RIP-relative memory operand ([rip + disp]) */
	MS_XREF_ABS,		/**< a memory operand with no registers ([disp32]) */
	MS_XREF_IMM,		/**< an immediate (mov eax, imm32), non-PIE only */
	MS_XREF_BRANCH,		/**< a jump or call target */
};

/** "rip", "abs", "imm", "branch". */
const char *ms_xref_kind_str(enum ms_xref_kind kind);

/** One reference found by ms_disasm_xrefs(). */
struct ms_xref {
	uint64_t insn_addr;	/**< address of the instruction */
	unsigned insn_size;
	size_t target;		/**< index into the targets */
	uint64_t ref_addr;	/**< the address it refers to (inside the target) */
	enum ms_xref_kind kind;
	const char *text;	/**< "lea rax, [rip + 0x1234]"; valid during the call */
};

/**
 * Called for each reference; a non-NULL return stops the sweep and is
 * returned by ms_disasm_xrefs().
 */
typedef struct ms_error *ms_xref_fn(const struct ms_xref *xref, void *arg);

/**
 * Sweep [code_addr, code_addr + len) linearly and report every instruction
 * with an operand inside one of the targets: RIP-relative memory operands
 * (base == rip, any instruction), absolute memory operands and immediates
 * (non-PIE code), and branch targets. A byte that does not decode is
 * skipped.
 * @param[in] targets sorted by address, not overlapping.
 * @return NULL, MS_ERR_USAGE (targets unsorted), or the callback's error.
 */
struct ms_error *ms_disasm_xrefs(struct ms_disasm *d, const uint8_t *code,
				 size_t len, uint64_t code_addr,
				 const struct ms_xref_target *targets,
				 size_t n_targets, ms_xref_fn *fn, void *arg);

/** Counts of the last ms_disasm_xrefs() sweep. */
struct ms_disasm_stats {
	uint64_t insns;		/**< instructions decoded */
	uint64_t skipped;	/**< bytes that did not decode */
};

/** The counts of the last sweep of @p d. */
void ms_disasm_last_stats(const struct ms_disasm *d,
			  struct ms_disasm_stats *ret);

/** The memory operand of an instruction, for computing its address. */
struct ms_disasm_mem {
	bool present;		/**< the instruction has a memory operand */
	char segment[8];	/**< "fs", "gs" or "" */
	char base[8];		/**< capstone's name ("rax", "r8d", "rip") or "" */
	char index[8];		/**< or "" */
	unsigned scale;		/**< 1, 2, 4 or 8 */
	int64_t disp;
	unsigned size;		/**< bytes accessed */
	bool rip_relative;	/**< base is rip: address = next instruction + disp */
};

/**
 * The effective address of @p mem for an instruction ending at
 * @p next_pc, given the thread's registers in user_regs_struct order
 * (@p regs holds MS_REG_COUNT values). Sub-registers take their part of
 * the parent; fs: and gs: add fs_base and gs_base.
 * @return false when @p mem is absent or names a register outside
 * user_regs_struct.
 */
bool ms_disasm_mem_address(const struct ms_disasm_mem *mem, uint64_t next_pc,
			   const uint64_t *regs, uint64_t *ret);

/** One decoded instruction. */
struct ms_disasm_line {
	uint64_t addr;
	unsigned size;			/**< 1 for an undecodable byte */
	uint8_t bytes[16];
	char text[192];			/**< "mov rax, qword ptr [rcx + 8]", or "(bad)" */
	bool bad;			/**< the byte did not decode */
	struct ms_disasm_mem mem;	/**< its first memory operand */
};

/**
 * Instructions around @p pc: up to @p n_before ending exactly at @p pc,
 * the one at @p pc, and up to @p n_after after it. The earlier ones come
 * from decoding forward from code_addr when @p pc is within 4 KiB of it
 * (pass a function's bytes from its entry for an exact result), else from
 * the first of the 64 bytes before @p pc whose decoding lands on @p pc;
 * when none does, the window starts at @p pc.
 * @param[out] lines_ret malloc'ed array, free with free().
 * @param[out] n_ret its length.
 * @param[out] pc_index_ret the index of the line at @p pc.
 * @return NULL, MS_ERR_USAGE (@p pc outside the code), MS_ERR_NOMEM.
 */
struct ms_error *ms_disasm_window(struct ms_disasm *d, const uint8_t *code,
				  size_t len, uint64_t code_addr, uint64_t pc,
				  size_t n_before, size_t n_after,
				  struct ms_disasm_line **lines_ret,
				  size_t *n_ret, size_t *pc_index_ret);

/** One instruction as ms_disasm_each() reports it. */
struct ms_disasm_insn {
	struct ms_disasm_line line;	/**< address, size, text, first memory operand */
	int write_reg;		/**< enum ms_x86_reg of the register operand it writes, or -1 */
	bool mem_write;		/**< its memory operand is written (a store) */
	bool is_call;		/**< a call */
	bool has_target;	/**< a direct jump or call: target is known */
	uint64_t target;
};

/** Called for each instruction; a non-NULL return stops the sweep. */
typedef struct ms_error *ms_insn_fn(const struct ms_disasm_insn *insn, void *arg);

/**
 * Sweep [code_addr, code_addr + len) linearly, as ms_disasm_xrefs() does,
 * and report every instruction that decodes, with the register it writes
 * and whether its memory operand is read or written: enough to follow a
 * value from register to register within a function.
 * @return NULL or the callback's error.
 */
struct ms_error *ms_disasm_each(struct ms_disasm *d, const uint8_t *code,
				size_t len, uint64_t code_addr,
				ms_insn_fn *fn, void *arg);

#endif /* MS_DISASM_H */
