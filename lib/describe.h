/* Describing an address for people: symbol and offset, section, module, mapping, heap object. */
#ifndef MS_DESCRIBE_H
#define MS_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "session.h"

/**
 * A size for people: "312 KiB", "1.5 MiB", "24 bytes".
 * @param[out] out always NUL-terminated.
 */
void ms_describe_size(uint64_t n, char *out, size_t size);

/**
 * The symbol holding @p addr with the offset into it: "main.hostMarker",
 * "runtime.raise.abi0+0x21".
 * @return false (and @p out empty) when no symbol of any module holds it.
 */
bool ms_describe_symbol(struct ms_session *s, uint64_t addr, char *out,
			size_t size);

/**
 * The symbol of a direct call or jump target in the instruction text
 * @p insn ("call 0x4c46c0", "jne 0x4c3422"), as gdb writes it:
 * "<main.allocVictim>", "<main.main+0x3ca>".
 * @return false (and @p out empty) for any other instruction, or when no
 * symbol holds the target.
 */
bool ms_describe_branch(struct ms_session *s, const char *insn, char *out,
			size_t size);

/**
 * Where @p ai's address leads: "example.com/p1.Table+0x190 in .noptrdata of
 * p1.so", "heap object 0x... (48 bytes)", "256 bytes past the end of
 * p2.so .bss (ends at 0x...)". The one description every output (scan,
 * show, the TUI, the gdb companion through the JSON) gives of an address.
 * @param[in] ai from ms_session_classify().
 */
void ms_describe_info(struct ms_session *s, const struct ms_addr_info *ai,
		      char *out, size_t size);

/**
 * An address an instruction refers to (a rip-relative operand, a lea), for
 * the comment after it, in every output that shows code (show, the TUI's
 * Code pane): within a module its symbol and offset, else the marker symbol
 * its region starts at ("go:string.*+0x181a"), with its section and module
 * ("main.Crashy in .text of crash"); elsewhere what ms_describe_info()
 * says (a heap object, a mapping).
 */
void ms_describe_operand(struct ms_session *s, uint64_t addr, char *out, size_t size);

/**
 * The whole comment on an operand referring to @p addr, as show prints it
 * after "; " and the JSON and the TUI carry it for each code reference:
 * the address, then what ms_describe_operand() says
 * ("0x5ce208 main.gVictim in .bss of crash").
 */
void ms_describe_operand_comment(struct ms_session *s, uint64_t addr, char *out,
				 size_t size);

/**
 * ms_session_classify() then ms_describe_info().
 * @return NULL or MS_ERR_NOMEM (@p out then holds the message).
 */
struct ms_error *ms_describe_addr(struct ms_session *s, uint64_t addr, char *out,
				  size_t size);

#endif /* MS_DESCRIBE_H */
