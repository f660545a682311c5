/* Where a map came from: declaring module, package and variable, aliases, type module, where its bad pointers lead, the code that references it, and the crash it caused. */
#ifndef MS_PROVENANCE_H
#define MS_PROVENANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "disasm.h"
#include "error.h"
#include "scan.h"
#include "session.h"

/** One root of a map, seen as a variable of a package of a module. */
struct ms_prov_root {
	size_t root;		/**< index in the map's roots */
	size_t module;		/**< index of the module declaring the variable */
	char *global;		/**< the variable's full name ("example.com/corpus/plugins/geo.Cities") */
	char *package;		/**< "example.com/corpus/plugins/geo", "main" */
	const char *variable;	/**< "Cities": points into @c global */
	uint64_t address, size;	/**< the variable (size 0: unknown) */
	bool direct;		/**< the variable itself holds the map (not a field, element or pointee) */
	/** Another root in another module holds the same map (a copy like main.gCities = geo.GetCities()). */
	bool cross_module;
	/**
	 * The root is an unnamed word of a stripped module (see
	 * ms_scan_root.unnamed): global is the root's path, variable is "",
	 * package is "" until the code references say it.
	 */
	bool unnamed;
	/**
	 * Unnamed roots: every function whose code references the word is
	 * of this one package (set by ms_provenance_xrefs()), so the
	 * variable is very likely that package's; package then says it.
	 */
	bool package_from_code;
	/**
	 * The root's path starts from what a scan found, not a variable
	 * ("(heap 0x... main.Server).Sessions", "(heap, held by goroutine
	 * 21 in main.nested 0x...)[\"left\"]"): global is that start,
	 * variable is "", package the declaring function's (the one whose
	 * frame holds it, ms_scan_map.frame_func) or "" when not known;
	 * address is the object or map header the path starts from.
	 */
	bool from_find;
};

/** Where a bad pointer of a map leads. */
struct ms_prov_bad {
	size_t reason;		/**< index in the map's check.reasons */
	uint64_t pointer;
	/**
	 * Bytes the runtime reaches from the pointer (2^B buckets, a table's
	 * groups, one group, the directory...), 0 when not known.
	 */
	uint64_t extent;
	char extent_what[64];	/**< "128 groups of 328 bytes", or "" */
	/** The pointer's classification: mapping, module and section, or the nearest mappings and distances; its pointers are valid until the session is destroyed. */
	struct ms_addr_info where;
};

/** An instruction that references a root variable (or the GOT slot that holds its address). */
struct ms_prov_xref {
	uint64_t address;	/**< of the instruction */
	size_t module;		/**< module whose text holds it */
	const char *function;	/**< from the symbol table or the pclntab, or NULL; valid until the session is destroyed */
	uint64_t offset;	/**< from the function's entry */
	char instruction[96];	/**< "lea rax, [rip + 0x1bf606]" */
	uint64_t target;	/**< the address it refers to: in the variable, or a GOT slot */
	bool through_got;	/**< it loads the variable's address from a GOT slot (plugins) */
	size_t root;		/**< the root whose variable it references, or SIZE_MAX for a holder */
	uint64_t holder;	/**< the holder word referenced when root is SIZE_MAX */
};

/** Provenance of one map. */
struct ms_map_prov {
	const struct ms_scan_map *map;	/**< borrowed */
	struct ms_prov_root *roots;	/**< parallel to map->roots */
	size_t n_roots;
	/** The root taken as the declaration (a variable of map type, a plugin's before the executable's copy), or SIZE_MAX without roots. */
	size_t primary;
	size_t n_modules;		/**< distinct modules among the roots */
	uint64_t runtime_type;		/**< runtime address of its type descriptor, 0 when untyped */
	size_t type_module;		/**< module whose types range holds it, or SIZE_MAX */
	struct ms_prov_bad *bad;
	size_t n_bad;
	/** The code references below were looked for (only for the maps asked). */
	bool xrefs_done;
	struct ms_prov_xref *xrefs;	/**< by module, then address */
	size_t n_xrefs;
	bool xrefs_truncated;		/**< more than the bound; the first ones are kept */
	/**
	 * For maps without roots (stripped binaries, heap-scan finds): words
	 * in a module's data or bss that hold the header address, found with
	 * the code references.
	 */
	uint64_t *holders;
	size_t n_holders;
};

/** A register of the faulting instruction's memory operand. */
struct ms_prov_reg {
	char name[8];		/**< "rdx" */
	bool known;
	uint64_t value;
};

/** The crash, tied to the code and the map it went through. */
struct ms_prov_crash {
	const struct ms_crash *crash;	/**< the session's; NULL when the core records no crash */
	struct ms_module *module;	/**< module holding the pc, or NULL */
	const char *function;		/**< or NULL; valid until the session is destroyed */
	uint64_t offset;
	/** Instructions around the pc; NULL when the code could not be read (see code_error). */
	struct ms_disasm_line *lines;
	size_t n_lines;
	size_t pc_line;			/**< index of the faulting instruction in lines */
	char code_error[128];
	/**
	 * The crashing thread's registers are those at the pc: a fault the
	 * kernel reported (raw SIGSEGV core). For a fault the Go runtime turned
	 * into a panic, they are runtime.raise's and unknown here.
	 */
	bool regs_known;
	uint64_t regs[MS_REG_COUNT];
	struct ms_prov_reg operand_regs[2];	/**< base and index of the memory operand */
	size_t n_operand_regs;
	bool have_operand_address;	/**< computed from the registers (or rip alone) */
	uint64_t operand_address;
	size_t map;			/**< index in the scan's maps of the map it went through, or SIZE_MAX */
	size_t reason;			/**< the reason of that map whose bad range holds the fault address */
	char why[320];
};

/** Provenance of every map of a scan, and the crash. */
struct ms_provenance {
	struct ms_scan *scan;		/**< borrowed */
	struct ms_map_prov *maps;	/**< parallel to scan->maps */
	size_t n_maps;
	struct ms_prov_crash crash;
	char **notes;			/**< what could not be looked at, for people */
	size_t n_notes;
	void *priv;
};

/**
 * Work out roots, aliases, type modules and bad pointers of every map of
 * @p sc, and the crash with the code around its pc. Code references are
 * not looked for: see ms_provenance_xrefs().
 * @param[out] ret to free with ms_provenance_destroy(); borrows @p sc,
 * which must outlive it.
 * @return NULL or MS_ERR_NOMEM (or capstone's error).
 */
struct ms_error *ms_provenance_create(struct ms_scan *sc,
				      struct ms_provenance **ret);

/** Free @p p; NULL is a no-op. */
void ms_provenance_destroy(struct ms_provenance *p);

/**
 * Look for the code that references the roots of the maps @p idx
 * (indices in the scan's maps), and for maps without roots the module
 * words holding their header and the code referencing those. Each
 * module's text is swept once for all of them. Maps already done are
 * skipped.
 * @return NULL, or MS_ERR_NOMEM (what cannot be read becomes a note).
 */
struct ms_error *ms_provenance_xrefs(struct ms_provenance *p, const size_t *idx,
				     size_t n);

/** ms_provenance_xrefs() for every map whose verdict is not ok. */
struct ms_error *ms_provenance_xrefs_suspects(struct ms_provenance *p);

/**
 * Provenance of a map that is not among the scan's (mapsleuth show on an
 * address), with its code references when @p xrefs.
 * @param[out] ret release with ms_map_prov_deinit(); borrows @p m.
 */
struct ms_error *ms_provenance_of(struct ms_provenance *p,
				  const struct ms_scan_map *m, bool xrefs,
				  struct ms_map_prov *ret);

/** Free what @p mp holds. */
void ms_map_prov_deinit(struct ms_map_prov *mp);

/** The provenance of @p m when it is one of the scan's maps, else NULL. */
const struct ms_map_prov *ms_provenance_find(const struct ms_provenance *p,
					     const struct ms_scan_map *m);

/** The root taken as the declaration, or NULL. */
const struct ms_prov_root *ms_map_prov_primary(const struct ms_map_prov *mp);

/**
 * A module's name for people: the base name of its file ("geo.so").
 * @return borrowed from the module.
 */
const char *ms_prov_module_name(const struct ms_module *mod);

/**
 * Bytes the runtime reaches from the bad pointer of reason @p r of @p m:
 * the allocation the pointer should lead to (classic buckets: 2^B
 * buckets; oldbuckets: half as many, or as many for a same-size grow;
 * an overflow bucket: one; swiss dirPtr: one group for a small map, else
 * dirLen table pointers; a table's groups: lengthMask + 1 groups, read
 * from the table).
 * @param[out] what_ret "128 groups of 328 bytes"; may be NULL.
 * @return the size, or 0 when not known (untyped map, unreadable table).
 */
uint64_t ms_provenance_bad_extent(struct ms_scan *sc, const struct ms_scan_map *m,
				  const struct ms_map_reason *r, char *what_ret,
				  size_t what_size);

/**
 * The map of @p sc whose bad range holds @p fault: first a range whose
 * size is known (ms_provenance_bad_extent()) and holds it, else a bad
 * pointer of unknown extent less than 1 MiB below it. The closest wins.
 * @param[out] why_ret for people, naming the field, pointer, offset and size.
 * @return true when one was found (then *map_ret and *reason_ret are set).
 */
bool ms_provenance_link_fault(struct ms_scan *sc, uint64_t fault,
			      size_t *map_ret, size_t *reason_ret,
			      char *why_ret, size_t why_size);

/**
 * Disassemble the instructions around @p addr (a faulting pc, a code
 * reference): up to @p n_before ending at it, the one at it, up to
 * @p n_after after it. The bytes are read from its function's entry when
 * that is within 4 KiB, so that the instructions before decode as the
 * compiler laid them, and the window shrinks when the core and the files
 * do not hold it all.
 * @param[out] lines_ret malloc'ed, free with free(); NULL when the code
 * cannot be read or decoded, the reason then in @p why_ret.
 * @param[out] at_ret the index of the instruction at @p addr.
 * @return NULL or MS_ERR_NOMEM.
 */
struct ms_error *ms_provenance_code_window(struct ms_provenance *p, uint64_t addr,
					   size_t n_before, size_t n_after,
					   struct ms_disasm_line **lines_ret,
					   size_t *n_ret, size_t *at_ret,
					   char *why_ret, size_t why_size);

/** Called by ms_provenance_code_refs() for each reference. */
typedef struct ms_error *ms_prov_ref_fn(void *arg, size_t target,
					const struct ms_prov_xref *xref);

/**
 * Sweep the text of every Go module once for instructions referring to
 * one of @p targets: RIP-relative or absolute operands inside a target,
 * and loads of GOT slots that hold an address inside one. @p fn gets the
 * target's index and the reference (its root field is SIZE_MAX).
 * @param[in] targets any order; ranges may overlap.
 * @return NULL, MS_ERR_NOMEM, or @p fn's error.
 */
struct ms_error *ms_provenance_code_refs(struct ms_session *s,
					 const struct ms_xref_target *targets,
					 size_t n, ms_prov_ref_fn *fn, void *arg);

#endif /* MS_PROVENANCE_H */
