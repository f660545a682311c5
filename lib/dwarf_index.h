/* The DWARF of one ELF file, with a lazy name index of its top-level types and variables. */
#ifndef MS_DWARF_INDEX_H
#define MS_DWARF_INDEX_H

#include <stdbool.h>
#include <stdint.h>

#include <elfutils/libdw.h>
#include <gelf.h>

#include "error.h"

/**
 * The DWARF of one ELF file. Nothing is read at creation beyond what
 * dwarf_begin_elf() does; the first lookup by name walks the top-level DIEs
 * of every unit once (never into function bodies) to build a name → DIE
 * offset table of named types and variables, and the offsets of the
 * top-level functions.
 */
struct ms_dwarf;

/**
 * Open the DWARF of @p elf. Compressed sections (SHF_COMPRESSED, used by
 * every Go linker since 1.11) are handled by libdw.
 *
 * @param[in] elf the file; borrowed, it must outlive the result.
 * @param[in] path the file name, used in error messages; copied.
 * @param[out] ret the new handle, to free with ms_dwarf_destroy().
 * @return NULL, MS_ERR_NOT_FOUND when the file has no DWARF, MS_ERR_BAD_DATA
 * or MS_ERR_LIB when its DWARF cannot be opened.
 */
struct ms_error *ms_dwarf_create(Elf *elf, const char *path,
				 struct ms_dwarf **ret);

/**
 * Open the DWARF of the ELF file open as @p fd (borrowed: it must stay
 * open as long as the result) on a handle of its own: like
 * ms_dwarf_create(), but the line tables and call frame information,
 * which nothing here reads, are not decompressed.
 */
struct ms_error *ms_dwarf_open(int fd, const char *path, struct ms_dwarf **ret);

/** Free @p dw; NULL is a no-op. */
void ms_dwarf_destroy(struct ms_dwarf *dw);

/** The libdw handle; valid until @p dw is destroyed. */
Dwarf *ms_dwarf_libdw(struct ms_dwarf *dw);

/** The path given to ms_dwarf_create(); valid until @p dw is destroyed. */
const char *ms_dwarf_path(struct ms_dwarf *dw);

/**
 * Find a named top-level type DIE ("runtime.g", "map[string]int",
 * "hash<string,int>", "internal/runtime/maps.Map").
 * @param[out] ret the DIE.
 * @return NULL or MS_ERR_NOT_FOUND (or an error from indexing damaged DWARF).
 */
struct ms_error *ms_dwarf_find_type(struct ms_dwarf *dw, const char *name,
				    Dwarf_Die *ret);

/**
 * Find a named top-level variable DIE ("runtime.mheap_", "main.gStrInt").
 * @param[out] ret the DIE.
 * @return NULL or MS_ERR_NOT_FOUND.
 */
struct ms_error *ms_dwarf_find_variable(struct ms_dwarf *dw, const char *name,
					Dwarf_Die *ret);

/**
 * The link-time address of a global variable (DW_AT_location DW_OP_addr);
 * the caller adds the module's load bias.
 * @return NULL, MS_ERR_NOT_FOUND, or MS_ERR_BAD_DATA when it has no static
 * address.
 */
struct ms_error *ms_dwarf_variable_address(struct ms_dwarf *dw,
					   const char *name, uint64_t *ret);

/** Same as ms_dwarf_variable_address() for a variable DIE already found. */
struct ms_error *ms_dwarf_die_address(struct ms_dwarf *dw, Dwarf_Die *die,
				      uint64_t *ret);

/**
 * The size in bytes of a named type, e.g. "runtime.g".
 * @return NULL, MS_ERR_NOT_FOUND, or MS_ERR_BAD_DATA.
 */
struct ms_error *ms_dwarf_type_size(struct ms_dwarf *dw, const char *type_name,
				    uint64_t *ret);

/**
 * The offset of a member of a named struct type. @p member_path is a dotted
 * path through nested structs ("state.s" in "runtime.mspan"); typedefs are
 * followed at each step.
 * @return NULL, MS_ERR_NOT_FOUND (type or member), or MS_ERR_BAD_DATA.
 */
struct ms_error *ms_dwarf_member_offset(struct ms_dwarf *dw,
					const char *type_name,
					const char *member_path, uint64_t *ret);

/**
 * The size of the type at @p die, following typedefs; pointers without
 * DW_AT_byte_size get the unit's address size.
 */
struct ms_error *ms_dwarf_die_size(struct ms_dwarf *dw, Dwarf_Die *die,
				   uint64_t *ret);

/**
 * Follow typedefs (and const/volatile) from @p die to the underlying type.
 * Go names most types through typedefs (map[K]V, named structs in older
 * toolchains).
 */
struct ms_error *ms_dwarf_peel_typedefs(struct ms_dwarf *dw, Dwarf_Die *die,
					Dwarf_Die *ret);

/**
 * Resolve a dotted member path in the struct type @p die.
 * @param[out] offset_ret the byte offset of the member.
 * @param[out] type_ret the member's type DIE; may be NULL.
 */
struct ms_error *ms_dwarf_die_member(struct ms_dwarf *dw, Dwarf_Die *die,
				     const char *member_path,
				     uint64_t *offset_ret, Dwarf_Die *type_ret);

/** The DW_AT_type of @p die. @return NULL or MS_ERR_NOT_FOUND. */
struct ms_error *ms_dwarf_die_type(struct ms_dwarf *dw, Dwarf_Die *die,
				   Dwarf_Die *ret);

/**
 * Called for each indexed global variable, in DWARF order.
 * Return non-NULL to stop; the error is passed through.
 */
typedef struct ms_error *(*ms_dwarf_variable_fn)(void *arg, const char *name,
						 Dwarf_Die *die);

/** Call @p fn for every top-level named variable. */
struct ms_error *ms_dwarf_foreach_variable(struct ms_dwarf *dw,
					   ms_dwarf_variable_fn fn, void *arg);

/** Same as ms_dwarf_foreach_variable(), for every named top-level type. */
struct ms_error *ms_dwarf_foreach_type(struct ms_dwarf *dw,
				       ms_dwarf_variable_fn fn, void *arg);

/**
 * Call @p fn for every top-level subprogram, in DWARF order, with "" for
 * its name (the index keeps their DIE offsets, found in the same walk as the
 * types and variables).
 */
struct ms_error *ms_dwarf_foreach_function(struct ms_dwarf *dw,
					   ms_dwarf_variable_fn fn, void *arg);

/** How many types and variables the index holds (0 before it is built). */
size_t ms_dwarf_index_size(struct ms_dwarf *dw);

/**
 * Build the index (if not yet built) and compare it, entry by entry, with
 * one built by walking the DIEs through libdw; for tests.
 * @param[out] fast_ret whether the index was built from the section bytes
 * directly rather than through libdw's DIE walk.
 * @return NULL when both agree, MS_ERR_BAD_DATA naming the first entry that
 * differs, or an error from indexing.
 */
struct ms_error *ms_dwarf_check_index(struct ms_dwarf *dw, bool *fast_ret);

#endif /* MS_DWARF_INDEX_H */
