/* Go types of a binary file without DWARF, from its runtime type descriptors (no core needed). */
#ifndef MS_ELF_TYPES_H
#define MS_ELF_TYPES_H

#include <gelf.h>
#include <stdint.h>

#include "error.h"
#include "go_type.h"

/** A binary file's runtime types and what they are read through. */
struct ms_elf_types;

/**
 * Read the types of a Go binary (executable or plugin) from the runtime
 * type descriptors its file holds: the file's PT_LOAD segments are its
 * address space (link-time addresses; Go's linker writes the addends of
 * its relocations in place), the moduledata is found as a running process
 * finds it (the start of .go.module, else a word of .noptrdata or .data
 * pointing at a pclntab header whose text start is .text), with the
 * built-in moduledata layout of @p version, and its types range is read
 * as ms_types_create_runtime() reads a core's.
 * @param[in] elf borrowed (ELF_C_READ_MMAP); must outlive the result.
 * @param[in] version the file's Go version ("go1.27.3 X:mapsplitgroup").
 * @param[out] ret free with ms_elf_types_destroy().
 * @return NULL, MS_ERR_NOT_FOUND (no moduledata, no types range, no
 * built-in layout for the version), MS_ERR_BAD_DATA, MS_ERR_NOMEM.
 */
struct ms_error *ms_elf_types_open(Elf *elf, const char *path, const char *version,
				   struct ms_elf_types **ret);

/** The types; valid until @p et is destroyed. */
struct ms_types *ms_elf_types_types(struct ms_elf_types *et);

/** The types range [start, end) the descriptors were read from. */
void ms_elf_types_range(const struct ms_elf_types *et, uint64_t *start, uint64_t *end);

/** Free @p et; NULL is a no-op. */
void ms_elf_types_destroy(struct ms_elf_types *et);

#endif /* MS_ELF_TYPES_H */
