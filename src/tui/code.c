/* The Code pane's disassembly: capstone around a pc, with operand addresses to follow (kept apart from session.h, whose elf_core.h also names the registers). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "disasm.h"

void tui_code_deinit(struct tui_code *c)
{
	ms_disasm_destroy(c->disasm);
	c->disasm = NULL;
}

// Read the code around @p pc: from the function's entry when it is near,
// so that the instructions before pc decode exactly, shrinking the window
// when the end runs past what the core has.
static uint8_t *read_code(const struct tui_code_source *src, uint64_t pc, uint64_t *start_ret,
			  size_t *len_ret)
{
	uint64_t start = pc >= 64 ? pc - 64 : 0;
	const char *name;
	uint64_t off;
	if (src->symbolize && src->symbolize(src->arg, pc, &name, &off) && off <= 4096)
		start = pc - off;
	struct ms_error *err;
	for (int attempt = 0; attempt < 2; attempt++) {
		for (size_t after = 96; after >= 16; after /= 2) {
			size_t len = (size_t)(pc - start) + after;
			uint8_t *buf = malloc(len);
			if (!buf)
				return NULL;
			err = src->read(src->arg, start, buf, len);
			if (!err) {
				*start_ret = start;
				*len_ret = len;
				return buf;
			}
			ms_error_destroy(err);
			free(buf);
		}
		start = pc;	// the bytes before pc may be what is missing
	}
	return NULL;
}

static void target(struct tui_line *l, uint64_t addr, const char *label)
{
	l->has_target = true;
	l->target = addr;
	snprintf(l->label, sizeof(l->label), "%s", label);
}

void tui_code_window(struct tui_code *c, const struct tui_code_source *src,
		     uint64_t pc, const uint64_t *regs, bool regs_at_pc,
		     struct tui_lines *out)
{
	if (!c->disasm) {
		struct ms_error *err = ms_disasm_create(&c->disasm);
		if (err) {
			tui_lines_add(out, TUI_S_ERROR, "%s", err->message);
			ms_error_destroy(err);
			return;
		}
	}
	uint64_t start;
	size_t len;
	uint8_t *code = read_code(src, pc, &start, &len);
	if (!code) {
		tui_lines_add(out, TUI_S_ERROR, "the code at 0x%" PRIx64 " is not in the core or its files", pc);
		return;
	}
	struct ms_disasm_line *lines;
	size_t n, at;
	struct ms_error *err = ms_disasm_window(c->disasm, code, len, start, pc, 10, 8,
						&lines, &n, &at);
	free(code);
	if (err) {
		tui_lines_add(out, TUI_S_ERROR, "%s", err->message);
		ms_error_destroy(err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ms_disasm_line *d = &lines[i];
		char sym[160] = "";
		const char *name;
		uint64_t off;
		if (src->symbolize && src->symbolize(src->arg, d->addr, &name, &off) && name &&
		    (i == 0 || off == 0))
			snprintf(sym, sizeof(sym), "%s+0x%" PRIx64 ":", name, off);
		if (sym[0])
			tui_lines_add(out, TUI_S_DIM, "%s", sym);
		// The operand's address, when it does not depend on registers
		// we no longer have (rip-relative), or the registers are the
		// faulting ones.
		uint64_t ea;
		bool have_ea = d->mem.present && (d->mem.rip_relative || (i == at && regs_at_pc)) &&
			       ms_disasm_mem_address(&d->mem, d->addr + d->size, regs, &ea);
		struct tui_line *l;
		if (have_ea)
			l = tui_lines_add(out, i == at ? TUI_S_PC : TUI_S_TARGET, "%s 0x%" PRIx64 "  %-40s ; 0x%" PRIx64,
					  i == at ? "=>" : "  ", d->addr, d->text, ea);
		else
			l = tui_lines_add(out, i == at ? TUI_S_PC : TUI_S_NORMAL, "%s 0x%" PRIx64 "  %s",
					  i == at ? "=>" : "  ", d->addr, d->text);
		if (have_ea)
			target(l, ea, "operand");
	}
	free(lines);
}

