/* Sections of an ELF file, found by name. */
#ifndef MS_ELF_SECTION_H
#define MS_ELF_SECTION_H

#include <gelf.h>

/**
 * The first section of @p elf named @p name, and its header in @p shdr
 * (may be NULL); NULL when the file has none, or no readable section
 * header string table.
 */
Elf_Scn *ms_elf_section(Elf *elf, const char *name, GElf_Shdr *shdr);

#endif
