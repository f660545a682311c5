/* The Code pane's disassembly: capstone around a pc, with operand addresses to follow (kept apart from session.h, whose elf_core.h also names the registers). */
#ifndef MS_TUI_CODE_H
#define MS_TUI_CODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "model.h"

/** Where the code comes from. */
struct tui_code_source {
	void *arg;
	struct ms_error *(*read)(void *arg, uint64_t addr, void *buf, size_t len);
	/** "runtime.mapaccess1+0x1b" parts for @p addr; false when unknown. */
	bool (*symbolize)(void *arg, uint64_t addr, const char **name_ret,
			  uint64_t *offset_ret);
};

/** A capstone handle made on first use. */
struct tui_code {
	struct ms_disasm *disasm;
};

void tui_code_deinit(struct tui_code *c);

/**
 * Add the instructions around @p pc to @p out, the one at @p pc marked
 * "=>". Memory operands get their address as a target when it does not
 * depend on registers (rip-relative), or when @p regs_at_pc says the
 * registers (@p regs, user_regs_struct order) are those of @p pc.
 */
void tui_code_window(struct tui_code *c, const struct tui_code_source *src,
		     uint64_t pc, const uint64_t *regs, bool regs_at_pc,
		     struct tui_lines *out);

#endif /* MS_TUI_CODE_H */
