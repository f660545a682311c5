/* The type-directed walk from roots: every map reachable from a global, with the path that leads to it. */
#ifndef MS_REACH_H
#define MS_REACH_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "go_type.h"
#include "map_check.h"

/** What the walk needs from its caller. */
struct ms_reach_ops {
	/** Read target memory; a fault only ends that branch of the walk. */
	ms_read_fn *read;
	/**
	 * A map value was found: @p header (non-zero) of type @p map_type,
	 * reached through @p path ("main.gHolder.M", "main.gSlice[2]",
	 * "*main.gMapPtr", "main.gNested[\"a\"]") from the slot at @p slot.
	 */
	struct ms_error *(*on_map)(void *arg, uint64_t header,
				   const struct ms_type *map_type,
				   const char *path, uint64_t slot);
	/**
	 * Visit the live entries of the map at @p header, calling @p fn with
	 * each key and element address. May be NULL: map contents are then
	 * not followed.
	 */
	struct ms_error *(*map_entries)(void *arg, uint64_t header,
					const struct ms_type *map_type,
					ms_map_entry_fn *fn, void *fn_arg);
	/**
	 * The type whose runtime type descriptor is at @p addr (for the
	 * dynamic type of an interface), or NULL.
	 */
	const struct ms_type *(*dyn_type)(void *arg, uint64_t addr);
	/**
	 * The value of type @p t at @p addr, named @p path, may hold maps but
	 * could not be read (@p err, borrowed, says why): a map variable the
	 * core did not save, for instance. May be NULL.
	 */
	struct ms_error *(*on_unread)(void *arg, uint64_t addr,
				      const struct ms_type *t, const char *path,
				      const struct ms_error *err);
	void *arg;
};

/** Bounds on the walk; zero fields take the defaults. */
struct ms_reach_limits {
	uint64_t max_visits;	/**< (address, type) pairs visited in all (default 1<<22) */
	uint64_t max_elems;	/**< array/slice elements followed per value (default 1<<16) */
	unsigned max_depth;	/**< pointer/field nesting (default 48) */
};

struct ms_reach;

struct ms_error *ms_reach_create(const struct ms_reach_ops *ops,
				 const struct ms_reach_limits *limits,
				 struct ms_reach **ret);
void ms_reach_destroy(struct ms_reach *r);

/**
 * Walk the value of type @p t at @p addr, named @p name. Visits already
 * made by earlier calls on the same walker are not repeated, so that a map
 * reached from several roots is walked once (but reported for each root).
 */
struct ms_error *ms_reach_walk(struct ms_reach *r, uint64_t addr,
			       const struct ms_type *t, const char *name);

/** True once a limit cut the walk short. */
/**
 * Walk the keys and elements of the map at @p header of type @p t (a map
 * found without a root: the heap or stack scan), naming paths from @p name
 * (`(heap 0x...)["a"]`). The map itself is not reported.
 */
struct ms_error *ms_reach_walk_map(struct ms_reach *r, uint64_t header,
				   const struct ms_type *t, const char *name);

bool ms_reach_truncated(const struct ms_reach *r);

/** How many (address, type) pairs were visited. */
uint64_t ms_reach_visits(const struct ms_reach *r);

#endif /* MS_REACH_H */
