/* Finding every map in a core and judging each: roots, reachability, heap scan, verdicts. */
#ifndef MS_SCAN_H
#define MS_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "go_type.h"
#include "map_check.h"
#include "module.h"

struct ms_goroutines;
struct ms_crash_story;

struct ms_session;

/** How a map was found (bits). */
enum ms_found_by {
	MS_FOUND_GLOBAL = 1,	/**< a global variable of map type holds it */
	MS_FOUND_REACHABLE = 2,	/**< reached from a global through pointers, fields, elements */
	MS_FOUND_HEAP = 4,	/**< recognised among heap objects by its invariants */
	MS_FOUND_STACK = 8,	/**< recognised in a live goroutine stack frame */
	MS_FOUND_GOROUTINE = 16,	/**< a frame's parameter or local (DWARF) holds it, or leads to it */
};

/** A path from a global variable to a map. */
struct ms_scan_root {
	size_t module;		/**< index of the module declaring the global */
	char *path;		/**< "main.gHolder.M", "example.com/geo.Cache", "*main.gMapPtr" */
	uint64_t slot;		/**< address of the word that holds the header pointer */
	/** The global variable the path starts from ("main.gHolder"); valid until the scan is destroyed. */
	const char *var;
	uint64_t var_addr, var_size;	/**< its address and size in bytes */
	/**
	 * Goroutine roots (a frame's parameter or local, from DWARF): the
	 * goroutine's id, else 0. The strings are valid until the scan is
	 * destroyed.
	 */
	uint64_t goid;
	const char *func;	/**< the function declaring it ("main.(*Server).handle") */
	const char *file;	/**< its frame's source file, as compiled */
	int32_t line;		/**< its frame's line */
	const char *local;	/**< the parameter's or local's name */
	bool arg;		/**< a parameter, not a local */
	bool in_register;	/**< its value was read from a register: the thread's, the kernel's signal context or runtime.asyncPreempt's save area (slot is 0) */
	/**
	 * No name could be had: a word of the data or bss of a module
	 * without symbols or DWARF that the runtime's pointer mask marks as a
	 * pointer, and that holds the header (a map variable, or a pointer
	 * field of a variable). path says where ("unnamed .bss
	 * 0x5cf210"), var_addr is the word, section its section.
	 */
	bool unnamed;
	/**
	 * Found as a pointer word of the data or bss of a module without
	 * DWARF (see unnamed), whether or not a dynamic symbol (a plugin's
	 * exported variable) gives its name back: typed from the runtime's
	 * type descriptors and the code using it, not from DWARF. section
	 * says where.
	 */
	bool from_mask;
	enum ms_section section;
};

struct ms_scan_map {
	unsigned id;		/**< 1-based, worst verdict first */
	uint64_t header;
	enum ms_map_impl impl;
	const struct ms_type *type;	/**< NULL when unknown (no DWARF, heap scan) */
	size_t type_module;		/**< module whose DWARF gave the type, or SIZE_MAX */
	unsigned found_by;		/**< enum ms_found_by bits */
	/**
	 * How sure the scan is that this is a map of this type (0-100, see
	 * doc/json-schema.md): 100 typed roots; 95 a heap or stack find whose
	 * storage's malloc header names its type; 90 a find whose type was the
	 * only map type whose buckets or groups fit its storage; 60 untyped
	 * finds whose every checked invariant holds.
	 */
	int confidence;
	/**
	 * Stack finds: the goroutine whose stack holds it (0 when unknown)
	 * and its g; goroutine roots: the goroutine of roots[0].
	 */
	uint64_t goid, g;
	/**
	 * Stack finds: the function whose frame holds the header, from the
	 * pclntab (NULL when no frame does), and the frame's source line.
	 */
	const char *frame_func, *frame_file;
	int32_t frame_line;
	/** Runtime entry of the function whose code runs in that frame (frame_func's, or the function it is inlined into), or 0. */
	uint64_t frame_entry;
	/**
	 * The frame of frame_func holds a live pointer to the header (its
	 * stack maps say so), rather than the header itself: a heap find,
	 * or a stack find held from another frame.
	 */
	bool frame_points;
	/** Untyped finds: how many map types fitted its storage (2+: ambiguous). */
	unsigned type_candidates;
	struct ms_scan_root *roots;
	size_t n_roots;
	/**
	 * The map's header pointer itself could not be read (a map variable,
	 * or a value that may lead to maps, the core did not save): header is
	 * 0, roots[0] names the value and its address, the verdict is
	 * not-dumped.
	 */
	bool unread;
	struct ms_map_check check;
	/**
	 * The header's writing flag is set (classic hmap.flags & hashWriting,
	 * swiss Map.writing): a write was in progress when the core was
	 * taken. Not a verdict: the map may be intact. The goroutines inside
	 * the map runtime are in ms_scan.story.
	 */
	bool writing;
};

struct ms_scan_options {
	bool no_heap_scan;	/**< skip the heap scan */
	uint64_t max_buckets;	/**< per map; 0 = default */
	/**
	 * Threads that judge maps: 0 = one per online CPU, 1 = none besides
	 * the caller's. The result is the same whatever the number.
	 */
	unsigned jobs;
};

struct ms_scan {
	struct ms_session *session;	/**< borrowed */
	struct ms_scan_map *maps;	/**< worst verdict first */
	size_t n_maps;
	size_t by_verdict[MS_VERDICT_DANGLING + 1];
	size_t suspects;		/**< maps whose verdict is not ok */
	uint64_t heap_objects;		/**< heap objects examined by the heap scan */
	bool heap_scanned;		/**< the heap scan ran */
	uint64_t stack_bytes;		/**< live goroutine stack bytes examined */
	size_t frames_read;		/**< goroutine frames whose DWARF variables were read */
	/** Parameters and locals that may hold maps but whose value is lost (registers of callers' frames). */
	size_t locals_lost;
	bool walk_truncated;		/**< a bound cut the reachability walk short */
	char **notes;			/**< what was skipped and why, for people */
	size_t n_notes;
	/**
	 * What could not be examined, the session's losses first (missing Go
	 * modules, an unreadable heap, lost notes), then the scan's (heap or
	 * stack scans cut short, a bound that stopped the walk).
	 */
	char **losses;
	size_t n_losses;
	size_t judged;			/**< maps with a verdict other than not-dumped */
	size_t unjudged;		/**< maps (and unread map values) judged not-dumped */
	/** Results are partial: a loss, or a map that could not be judged. */
	bool partial;
	void *priv;			/**< types, layouts and the header index */
	/** The map the crash touched (an index in maps), or SIZE_MAX. */
	size_t crash_map;
	char crash_why[160];		/**< why it is linked, for people */
	size_t writing;			/**< maps whose writing flag is set */
	/** The goroutines (NULL when they cannot be read: see notes). */
	struct ms_goroutines *goroutines;
	/**
	 * The fatal error or panic, and the goroutines inside the map
	 * runtime with the map each works on (NULL with goroutines).
	 */
	struct ms_crash_story *story;
};

/**
 * Find and judge every map in the core of @p s.
 * @param[out] ret the result, to free with ms_scan_destroy(); it borrows
 * @p s, which must outlive it.
 */
struct ms_error *ms_scan_run(struct ms_session *s,
			     const struct ms_scan_options *opts,
			     struct ms_scan **ret);

void ms_scan_destroy(struct ms_scan *sc);

/** The map with header @p header, or NULL. */
const struct ms_scan_map *ms_scan_find(const struct ms_scan *sc, uint64_t header);

/**
 * Judge a map at @p header that the scan may not have found (for show on
 * an arbitrary address, or the gdb companion). The type is unknown unless
 * the scan knew it. An address the scan did not find must be 8-byte
 * aligned, readable and true to the header's invariants (not "corrupt"):
 * otherwise MS_ERR_NOT_FOUND "0x...: not a map header (why); the nearest
 * known map is #N name at 0x... (D below)" (D: "8 bytes", "2.5 MiB"), and
 * @p ret is empty.
 */
struct ms_error *ms_scan_judge(struct ms_scan *sc, uint64_t header,
			       struct ms_scan_map *ret);

/**
 * The map whose header is nearest to @p addr (either side), or NULL when the
 * scan found none; valid until the scan is destroyed.
 */
const struct ms_scan_map *ms_scan_nearest(const struct ms_scan *sc, uint64_t addr);

/** Free what ms_scan_judge() put in @p m. */
void ms_scan_map_release(struct ms_scan_map *m);

/** Called with each decoded entry; return non-zero to stop. */
typedef int ms_scan_entry_fn(void *arg, const char *key, const char *value);

/**
 * Decode up to @p limit entries of @p m (typed maps only) for people or
 * JSON (@p json).
 * @return MS_ERR_NOT_FOUND when the key and value types are unknown.
 */
struct ms_error *ms_scan_entries(struct ms_scan *sc, const struct ms_scan_map *m,
				 size_t limit, bool json, ms_scan_entry_fn *fn,
				 void *arg);

/**
 * An empty map (no buckets or groups yet) that no typed variable, object or
 * code typed: a heap or stack find whose type nothing can tell.
 */
bool ms_scan_map_empty_untyped(const struct ms_scan_map *m);

/** The name for people of a map's type: "map[string]int", or "map[?]?". */
const char *ms_scan_map_type_name(const struct ms_scan_map *m);

/**
 * The layout the scan judged @p m with: its type's when known, else the
 * untyped shape of the core's Go version.
 * @return false when there is none.
 */
bool ms_scan_map_shape(struct ms_scan *sc, const struct ms_scan_map *m,
		       struct ms_map_shape *ret);

/**
 * The types of module @p module's DWARF as the scan read them, or NULL
 * (no DWARF); valid until the scan is destroyed.
 */
struct ms_types *ms_scan_module_types(struct ms_scan *sc, size_t module);

/** The size of a map header in this core (48 or 56 bytes; 48 when unknown). */
uint64_t ms_scan_header_size(const struct ms_scan *sc);

/**
 * Where a map was found, for people: "global", "reachable", "local of
 * goroutine 17" (a goroutine root), "heap", "heap, held by goroutine 17
 * in main.serve" (a live pointer of that frame), "stack of goroutine 17
 * in main.count" (a stack find in that frame), "stack" (the goroutine is
 * unknown: stripped binaries' stack spans), into @p out.
 */
void ms_scan_map_where(const struct ms_scan_map *m, char *out, size_t size);

/** "global", "reachable", "heap-scan", "stack-scan", "goroutine" for one bit. */
const char *ms_found_by_str(enum ms_found_by bit);

#endif /* MS_SCAN_H */
