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

/**
 * What the table says about one function: the fields of runtime._func
 * (Go 1.18+; startLine from 1.20). Use it with the pc-value lookups below.
 * Names are borrowed from the table's bytes.
 */
struct ms_pclntab_funcinfo {
	const char *name;	/**< the Go name ("main.(*Cache).Put") */
	uint64_t entry;		/**< link-time entry */
	uint64_t end;		/**< link-time entry of the next function (or etext) */
	int32_t args;		/**< size of the ABI0 argument and result area */
	uint32_t deferreturn;	/**< offset of the deferreturn call from entry, or 0 */
	int32_t start_line;	/**< line of the func keyword (0 before Go 1.20) */
	uint8_t func_id;	/**< abi.FuncID (numbering differs by release: compare names) */
	uint8_t flag;		/**< abi.FuncFlag: MS_PCLNTAB_FLAG_* */
	/* the tables, for the lookups below */
	uint32_t pcsp, pcfile, pcln, npcdata, cu_offset;
	uint8_t nfuncdata;
	uint64_t func_off;	/**< offset of the _func in the table's bytes */
};

/** abi.FuncFlag bits (the same in Go 1.18 to 1.27). */
enum {
	MS_PCLNTAB_FLAG_TOPFRAME = 1,	/**< the outermost frame of a stack (goexit, mstart, rt0_go) */
	MS_PCLNTAB_FLAG_SPWRITE = 2,	/**< writes SP arbitrarily (the unwinder cannot go past it) */
	MS_PCLNTAB_FLAG_ASM = 4,	/**< written in assembly */
};

/** Indices of pcdata and funcdata tables (runtime/symtab.go). */
enum {
	MS_PCDATA_UNSAFE_POINT = 0,
	MS_PCDATA_STACK_MAP_INDEX = 1,
	MS_PCDATA_INL_TREE_INDEX = 2,
	MS_FUNCDATA_ARGS_POINTER_MAPS = 0,
	MS_FUNCDATA_LOCALS_POINTER_MAPS = 1,
	MS_FUNCDATA_STACK_OBJECTS = 2,
	MS_FUNCDATA_INL_TREE = 3,
	MS_FUNCDATA_OPEN_CODED_DEFER = 4,
	MS_FUNCDATA_ARG_INFO = 5,
	MS_FUNCDATA_ARG_LIVENESS_INFO = 6,
};

/**
 * The function containing a link-time pc, with its _func fields.
 * @return NULL, or the errors of ms_pclntab_lookup().
 */
struct ms_error *ms_pclntab_func_at(const struct ms_pclntab *tab,
				    uint64_t link_time_pc,
				    struct ms_pclntab_funcinfo *ret);

/**
 * The value of one pc-value table of @p f at link-time @p pc (the value
 * that holds for the instruction at @p pc), decoded like runtime.pcvalue.
 * @param[in] table offset of the table in pctab (f->pcsp, f->pcfile,
 * f->pcln, or a pcdata offset).
 * @return NULL, MS_ERR_NOT_FOUND (no table, or @p pc past the table),
 * MS_ERR_BAD_DATA (the table runs out of the pclntab).
 */
struct ms_error *ms_pclntab_pcvalue(const struct ms_pclntab *tab,
				    const struct ms_pclntab_funcinfo *f,
				    uint32_t table, uint64_t pc,
				    int32_t *ret);

/**
 * The stack pointer delta at link-time @p pc: how far SP is below its
 * value at the function's entry (so the return address of the frame is at
 * sp + delta, and the caller's SP, the frame's CFA, at sp + delta + 8).
 */
struct ms_error *ms_pclntab_sp_delta(const struct ms_pclntab *tab,
				     const struct ms_pclntab_funcinfo *f,
				     uint64_t pc, int32_t *ret);

/**
 * The source position of link-time @p pc in @p f: the file (as the
 * compiler recorded it; -trimpath paths are relative) and line. For an
 * inlined call this is the position in the innermost inlined function.
 * @param[out] file_ret borrowed from the table's bytes; "?" when unknown.
 * @return NULL, or an error of ms_pclntab_pcvalue().
 */
struct ms_error *ms_pclntab_line(const struct ms_pclntab *tab,
				 const struct ms_pclntab_funcinfo *f,
				 uint64_t pc, const char **file_ret,
				 int32_t *line_ret);

/**
 * The value of pcdata table @p index (MS_PCDATA_*) at link-time @p pc.
 * @return NULL, MS_ERR_NOT_FOUND (the function has no such table).
 */
struct ms_error *ms_pclntab_pcdata(const struct ms_pclntab *tab,
				   const struct ms_pclntab_funcinfo *f,
				   unsigned index, uint64_t pc, int32_t *ret);

/**
 * Funcdata @p index (MS_FUNCDATA_*) of @p f: its offset from
 * moduledata.gofunc (the go:func.* symbol) in memory.
 * @return NULL, MS_ERR_NOT_FOUND (the function has none).
 */
struct ms_error *ms_pclntab_funcdata(const struct ms_pclntab *tab,
				     const struct ms_pclntab_funcinfo *f,
				     unsigned index, uint32_t *ret);

/**
 * A function name by its offset in funcnametab (the nameOff of an inline
 * tree entry).
 * @return NULL or MS_ERR_BAD_DATA.
 */
struct ms_error *ms_pclntab_name(const struct ms_pclntab *tab,
				 int32_t name_off, const char **ret);

#endif /* MS_PCLNTAB_H */
