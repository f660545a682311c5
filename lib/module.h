/* Modules of the process: the executable, Go plugins and shared objects, their files, build ids and symbols. */
#ifndef MS_MODULE_H
#define MS_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libelf.h>

#include "error.h"

struct ms_dwarf;
struct ms_pclntab;

/** What a module is. */
enum ms_module_kind {
	MS_MODULE_EXE,		/**< the main executable */
	MS_MODULE_PLUGIN,	/**< a Go plugin (-buildmode=plugin): in the moduledata chain with a pluginpath */
	MS_MODULE_SHLIB,	/**< any other shared object (libc, a Go c-shared library, ...) */
	MS_MODULE_VDSO,		/**< the kernel's vDSO (in memory only) */
};

/** Whether the module's file was found and belongs with the core. */
enum ms_module_status {
	MS_MODULE_FOUND,	/**< file found; build id matches, or could not be compared (see build_id_checked) */
	MS_MODULE_MISSING,	/**< no file at any place looked */
	MS_MODULE_MISMATCHED,	/**< a file was found, but its build id differs from the core's */
};

/** Ranges of a Go module, from its moduledata (or ELF sections). */
enum ms_section {
	MS_SECTION_TEXT,
	MS_SECTION_RODATA,
	MS_SECTION_TYPES,
	MS_SECTION_NOPTRDATA,
	MS_SECTION_DATA,
	MS_SECTION_BSS,
	MS_SECTION_NOPTRBSS,
	MS_SECTION_COUNT,
};

/** "text", "rodata", "types", "noptrdata", "data", "bss", "noptrbss". */
const char *ms_section_name(enum ms_section sec);

/** [start, end); both 0 when unknown. */
struct ms_range {
	uint64_t start, end;
};

/** An allocated ELF section of a module's file, at its runtime address. */
struct ms_module_section {
	uint64_t start, end;
	const char *name;	/**< without the leading dot; borrowed from the file */
};

/** A symbol of a module's file, with its load address. */
struct ms_symbol {
	const char *name;	/**< borrowed from the file's string table */
	uint64_t addr;		/**< relocated by the module's load bias */
	uint64_t size;
	bool is_func;
};

/**
 * A word of a module's image that the dynamic linker fills with an
 * address: a GOT slot, or a pointer in relocated data.
 */
struct ms_got_slot {
	uint64_t slot;		/**< runtime address of the word */
	uint64_t value;		/**< the address it receives, with the load bias; 0 when not resolved */
	bool resolved;		/**< value is known from the file; false for a symbol of another module (read the word from memory) */
};

/** The build ids an ELF image carries: GNU (hex) and Go's own (text). */
struct ms_build_ids {
	char *gnu;	/**< NT_GNU_BUILD_ID as lower-case hex, or NULL */
	char *go;	/**< the "Go" note (type 4), or NULL */
};

/** Free the strings of @p ids and zero it. */
void ms_build_ids_deinit(struct ms_build_ids *ids);

/**
 * Add the build ids found in a buffer of ELF notes to @p ids (ids already
 * set are kept).
 * @return NULL or MS_ERR_NOMEM.
 */
struct ms_error *ms_build_ids_add_notes(struct ms_build_ids *ids,
					const void *buf, size_t len);

/** The id to show: GNU if present, else Go's, else NULL. */
const char *ms_build_ids_best(const struct ms_build_ids *ids);

/**
 * Compare the ids of two images: 1 when an id of the same kind is on both
 * sides and all such agree, 0 when one differs (or each side has ids of
 * only the other kind), -1 when either side has none.
 */
int ms_build_ids_match(const struct ms_build_ids *a,
		       const struct ms_build_ids *b);

/**
 * One module. The fields before "private" are public and read-only for
 * users; strings and the Elf handle are valid until the session (or
 * ms_module_destroy()) frees the module.
 */
struct ms_module {
	enum ms_module_kind kind;
	enum ms_module_status status;
	char *core_path;	/**< path as the core records it (NT_FILE), or "[vdso]" */
	char *file_path;	/**< the file used, or NULL (missing, mismatched) */
	char *build_id;		/**< build id read from the core's memory, or NULL when not dumped */
	char *file_build_id;	/**< build id of the file found (also when mismatched), or NULL */
	bool build_id_checked;	/**< both ids were known and compared equal */
	uint64_t bias;		/**< load bias: runtime address - link-time address */
	uint64_t start, end;	/**< lowest and highest address of its mappings */
	Elf *elf;		/**< the file as libelf sees it, or NULL */
	bool is_go;		/**< it has a Go moduledata (or Go sections) */
	bool go_build_id;	/**< the core's copy of its notes has a Go build id: Go code, even when the file is missing */
	char *pluginpath;	/**< moduledata.pluginpath for plugins, else NULL */
	uint64_t moduledata;	/**< address of its runtime.moduledata, or 0 */
	struct ms_range ranges[MS_SECTION_COUNT];	/**< from the moduledata; rodata from ELF sections */
	/**
	 * The runtime's pointer masks of data and bss (moduledata.gcdatamask
	 * and gcbssmask: bitvectors the runtime expands at start-up from the
	 * linker's GC programs gcdata and gcbss; one bit a word, set for
	 * words the GC treats as pointers): where the bits are, and how many,
	 * or 0 when unknown.
	 */
	uint64_t datamask, bssmask;
	uint64_t datamask_bits, bssmask_bits;

	/* private */
	struct ms_build_ids core_ids;	/**< read from the core's memory */
	struct ms_build_ids file_ids;	/**< read from the file */
	int fd;
	const uint8_t *image;	/**< the file as mapped by libelf */
	size_t image_size;
	struct ms_dwarf *dwarf;
	struct ms_error *dwarf_err;	/**< why DWARF is absent, once tried */
	bool dwarf_tried;
	struct ms_symbol *syms;	/**< sorted by address */
	size_t n_syms;
	struct ms_symbol **syms_by_name;	/**< sorted by name */
	bool syms_loaded;
	struct ms_pclntab *pclntab;	/**< Go function table, for modules without .symtab */
	bool pclntab_tried;
	struct ms_module_section *sections;	/**< allocated sections, by address */
	size_t n_sections;
	bool sections_loaded;
	struct ms_got_slot *got_slots;	/**< by slot address */
	size_t n_got_slots;
	bool got_loaded;
};

/** "exe", "plugin", "shared", "vdso". */
const char *ms_module_kind_str(enum ms_module_kind kind);
/** "found", "missing", "mismatched". */
const char *ms_module_status_str(enum ms_module_status status);

/**
 * A new module with no file yet (status missing).
 * @param[out] ret to free with ms_module_destroy().
 */
struct ms_error *ms_module_create(enum ms_module_kind kind,
				  const char *core_path,
				  struct ms_module **ret);

/** Free @p mod and everything it holds; NULL is a no-op. */
void ms_module_destroy(struct ms_module *mod);

/**
 * Open @p path as the module's file: map it with libelf and read its build
 * ids (file_ids, and file_build_id for display). Replaces a file opened before. Does not compare
 * build ids; the caller decides the status.
 * @return NULL, MS_ERR_OS (cannot open), MS_ERR_BAD_DATA (not ELF).
 */
struct ms_error *ms_module_open_file(struct ms_module *mod, const char *path);

/**
 * Like ms_module_open_file(), on @p fd already opened (by ms_file_open() or
 * ms_file_open_under()) from @p path; the module owns @p fd from then on,
 * even on failure.
 */
struct ms_error *ms_module_open_fd(struct ms_module *mod, int fd, const char *path);

/** Close the module's file (after a mismatch); status is left alone. */
void ms_module_close_file(struct ms_module *mod);

/**
 * Look a symbol up by name in .symtab (or .dynsym).
 * @param[out] addr_ret the address, relocated by the load bias.
 * @param[out] size_ret its size; may be NULL.
 * @return NULL, or MS_ERR_NOT_FOUND (no file, no symbol table, no symbol).
 */
struct ms_error *ms_module_symbol(struct ms_module *mod, const char *name,
				  uint64_t *addr_ret, uint64_t *size_ret);

/**
 * The symbol containing @p addr (a function, or a data object), from
 * .symtab; for a stripped Go module, the function from its pclntab (text
 * start from the moduledata when the session found it).
 * @param[out] name_ret valid until the module is destroyed.
 * @param[out] offset_ret @p addr minus the symbol's address.
 * @return NULL or MS_ERR_NOT_FOUND.
 */
struct ms_error *ms_module_symbolize(struct ms_module *mod, uint64_t addr,
				     const char **name_ret,
				     uint64_t *offset_ret);

/**
 * The marker symbol a region of @p addr starts at, when no symbol holds
 * @p addr: the last symbol at or below it has no size, as Go's
 * "go:string.*", "type:*" and "runtime.types" (gdb names such an address
 * "go:string.*+0x181a" too).
 * @return NULL or MS_ERR_NOT_FOUND.
 */
struct ms_error *ms_module_marker(struct ms_module *mod, uint64_t addr,
				  const char **name_ret, uint64_t *offset_ret);

/**
 * The module's Go function table (pclntab), opened on first use, with the
 * text start from the moduledata when the session found it.
 * @param[out] ret valid until the module is destroyed.
 * @return NULL, or MS_ERR_NOT_FOUND (no file, or not a Go module).
 */
struct ms_error *ms_module_pclntab(struct ms_module *mod,
				   struct ms_pclntab **ret);

/**
 * The module's DWARF, opened on first use.
 * @param[out] ret valid until the module is destroyed.
 * @return NULL, or MS_ERR_NOT_FOUND (no file, or a file without DWARF), or
 * the error from opening it (the same on every later call).
 */
struct ms_error *ms_module_dwarf(struct ms_module *mod, struct ms_dwarf **ret);

/**
 * An ELF section of the module's file by name (".go.buildinfo").
 * @param[out] addr_ret its runtime address (0 for non-alloc sections).
 * @param[out] data_ret its bytes in the file, or NULL for SHT_NOBITS or
 * compressed sections; borrowed from the mapped file.
 * @return NULL or MS_ERR_NOT_FOUND.
 */
struct ms_error *ms_module_section(struct ms_module *mod, const char *name,
				   uint64_t *addr_ret, uint64_t *size_ret,
				   const uint8_t **data_ret);

/**
 * The name (without the leading dot) of the allocated ELF section of the
 * module's file that holds runtime address @p addr, or NULL.
 * @return borrowed from the file.
 */
const char *ms_module_section_at(struct ms_module *mod, uint64_t addr);

/**
 * The file's ELF type (ET_EXEC, ET_DYN) and link-time entry point.
 * @return false when the module has no file.
 */
bool ms_module_elf_header(struct ms_module *mod, unsigned *type_ret,
			  uint64_t *entry_ret);

/**
 * The words that relocations of the module's file (R_X86_64_GLOB_DAT,
 * R_X86_64_64, R_X86_64_RELATIVE) fill with an address: dynamically linked
 * code (Go plugins, -linkshared) reaches a global by loading its address
 * from such a slot instead of computing it with lea. Read on first use.
 * @param[out] ret sorted by slot address; valid until the module is
 * destroyed (or its file closed). Empty without a file or relocations.
 * @return NULL or MS_ERR_NOMEM.
 */
struct ms_error *ms_module_got_slots(struct ms_module *mod,
				     const struct ms_got_slot **ret,
				     size_t *n_ret);

/** An ms_file_read_fn reading from the module's file (@p arg is the module). */
struct ms_error *ms_module_file_read(void *arg, uint64_t offset, void *buf,
				     size_t len);

#endif /* MS_MODULE_H */
