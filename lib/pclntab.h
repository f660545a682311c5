/* Function names and entry points from a Go module's pclntab, which survives stripping. */
#ifndef MS_PCLNTAB_H
#define MS_PCLNTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libelf.h>

#include "error.h"

/** A parsed pclntab (Go 1.18 and later, little endian). */
struct ms_pclntab;

/** Where the table's text start (moduledata.text at link time) came from. */
enum ms_pclntab_text_source {
	MS_PCLNTAB_TEXT_UNKNOWN = 0,	/**< not known: lookups fail */
	MS_PCLNTAB_TEXT_GIVEN,		/**< given by the caller */
	MS_PCLNTAB_TEXT_HEADER,		/**< pcHeader.textStart (Go 1.18 to 1.25) */
	MS_PCLNTAB_TEXT_SYMTAB,		/**< the runtime.text symbol */
	MS_PCLNTAB_TEXT_MODULEDATA,	/**< the moduledata in the file's data */
	MS_PCLNTAB_TEXT_SECTION,	/**< start of .text (or of the executable PT_LOAD) */
};

/** "unknown", "given", "header", "symtab", "moduledata", "section". */
const char *ms_pclntab_text_source_str(enum ms_pclntab_text_source src);

/**
 * Parse a pclntab from bytes that start at its pcHeader.
 * @param[in] buf the bytes; they must stay valid as long as the table (the
 * table and the names it returns point into them).
 * @param[in] len how many bytes may be read; bytes past the table are fine.
 * @param[in] name what the bytes are, for errors (a file path); copied.
 * @param[in] base the file offset (or address) of @p buf, for errors.
 * @param[in] text_start link-time address of the module's text
 * (moduledata.text), or 0 to take pcHeader.textStart, which Go 1.26 no
 * longer stores; see ms_pclntab_set_text_start().
 * @param[out] ret to free with ms_pclntab_destroy().
 * @return NULL, MS_ERR_BAD_DATA (no magic, inconsistent header, function
 * table out of bounds or unsorted; the message names @p name and the
 * offset), MS_ERR_UNSUPPORTED (Go before 1.18, big endian).
 */
struct ms_error *ms_pclntab_parse(const void *buf, size_t len,
				  const char *name, uint64_t base,
				  uint64_t text_start,
				  struct ms_pclntab **ret);

/**
 * Find and parse the pclntab of an ELF file: the .gopclntab (or
 * .data.rel.ro.gopclntab) section, else the runtime.pclntab symbol, else
 * the pcHeader magic searched in the non-executable PT_LOADs (Go 1.19
 * plugins keep it in .data.rel.ro, without a section of its own). The text
 * start is taken from pcHeader.textStart, else the runtime.text symbol,
 * else the moduledata in the file's data (it points at the pclntab), else
 * the .text section (wrong by a few bytes for externally linked modules).
 * @param[in] elf stays owned by the caller and must outlive the table.
 * @param[in] path the file's name, for errors.
 * @param[out] ret to free with ms_pclntab_destroy().
 * @return NULL, MS_ERR_NOT_FOUND (not a Go binary), or an error of
 * ms_pclntab_parse() naming @p path and the file offset.
 */
struct ms_error *ms_pclntab_open(Elf *elf, const char *path,
				 struct ms_pclntab **ret);

/** Free @p tab; NULL is a no-op. */
void ms_pclntab_destroy(struct ms_pclntab *tab);

/**
 * Set the link-time address of the module's text, for example from the
 * moduledata read in a core (minus the load bias).
 */
void ms_pclntab_set_text_start(struct ms_pclntab *tab, uint64_t text_start);

/** The link-time text start, and where it came from (may be NULL). */
uint64_t ms_pclntab_text_start(const struct ms_pclntab *tab,
			       enum ms_pclntab_text_source *source_ret);

/**
 * Where the table starts: the file offset for ms_pclntab_open(), the
 * @p base given to ms_pclntab_parse().
 */
uint64_t ms_pclntab_base(const struct ms_pclntab *tab);

/** The number of functions in the table. */
size_t ms_pclntab_count(const struct ms_pclntab *tab);

/** The Go release family of the table: 118 (1.18, 1.19) or 120 (1.20+). */
unsigned ms_pclntab_version(const struct ms_pclntab *tab);

/**
 * The function containing a link-time pc (a runtime pc minus the module's
 * load bias), by binary search over the function table.
 * @param[out] name_ret the Go name ("main.main"), borrowed from the table's
 * bytes; may be NULL.
 * @param[out] func_start_ret the function's link-time entry; may be NULL.
 * @return NULL, MS_ERR_NOT_FOUND (outside the module's Go text),
 * MS_ERR_USAGE (text start unknown), MS_ERR_BAD_DATA (a damaged entry,
 * naming the file and offset).
 */
struct ms_error *ms_pclntab_lookup(const struct ms_pclntab *tab,
				   uint64_t link_time_pc,
				   const char **name_ret,
				   uint64_t *func_start_ret);

/** One function of the table. */
struct ms_pclntab_func {
	const char *name;	/**< borrowed from the table's bytes */
	uint64_t start;		/**< link-time entry */
	uint64_t end;		/**< link-time entry of the next function (or etext) */
};

/**
 * Function @p index (0 to ms_pclntab_count() - 1) in address order.
 * @return NULL, MS_ERR_NOT_FOUND (index out of range), MS_ERR_USAGE (text
 * start unknown), MS_ERR_BAD_DATA.
 */
struct ms_error *ms_pclntab_func(const struct ms_pclntab *tab, size_t index,
				 struct ms_pclntab_func *ret);

#endif /* MS_PCLNTAB_H */
