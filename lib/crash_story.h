/* Why a Go process died and who was inside a map: the fatal error or panic, the goroutines in the map runtime, the map each touched. */
#ifndef MS_CRASH_STORY_H
#define MS_CRASH_STORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "goroutine.h"
#include "map_check.h"

struct ms_session;

/** What a goroutine was doing to a map, from the runtime function it is in. */
enum ms_map_op {
	MS_MAP_OP_READ,		/**< mapaccess*, Get* */
	MS_MAP_OP_WRITE,	/**< mapassign*, Put*, growWork, evacuate */
	MS_MAP_OP_DELETE,	/**< mapdelete*, Delete */
	MS_MAP_OP_ITERATE,	/**< mapiterinit, mapiternext, Iter */
	MS_MAP_OP_CLEAR,	/**< mapclear, Clear */
	MS_MAP_OP_OTHER,
};

/** "read", "write", "delete", "iterate", "clear", "other". */
const char *ms_map_op_str(enum ms_map_op op);

/**
 * Whether @p func is part of the map runtime (runtime.map*, growWork,
 * evacuate, hashGrow, internal/runtime/maps.*), and what it does.
 */
bool ms_map_runtime_func(const char *func, enum ms_map_op *op_ret);

/** A goroutine whose stack is inside the map runtime. */
struct ms_map_toucher {
	const struct ms_goroutine *g;	/**< borrowed from the goroutine list */
	size_t entry_frame;	/**< the outermost map runtime frame (mapassign_faststr, ...) */
	size_t user_frame;	/**< the first frame outside the runtime that called it, or SIZE_MAX */
	enum ms_map_op op;
	uint64_t map;		/**< the header it works on, 0 when not recovered */
	/** How map was found, for people ("DWARF location of h", "word at sp+0x18 of runtime.mapassign"). */
	char map_from[128];
};

/** The story of a crash and of the maps in use. */
struct ms_crash_story {
	/** "fatal error" (throw/fatal), "panic", "signal", or NULL when the process did not crash. */
	const char *kind;
	/** The runtime's message: throw's string or the panic value; NULL when not recovered. */
	char *message;
	char message_from[96];	/**< where the message was read */
	const struct ms_goroutine *g;	/**< the crashed goroutine, or NULL */
	struct ms_map_toucher *touchers;	/**< goroutines inside the map runtime; the crashed one first */
	size_t n_touchers;
	uint64_t map;		/**< the map the crashed goroutine was in, 0 when none or unknown */
};

/**
 * Tell the story of @p s with its goroutines @p gs. The map each goroutine
 * in the map runtime works on is read from the DWARF location of the
 * runtime function's map parameter (h, m) at the frame's pc, else found
 * as a word of its frames equal to one of @p headers (known map headers,
 * e.g. those of a scan; may be NULL).
 * @param[out] ret to free with ms_crash_story_destroy(); it borrows @p gs.
 */
struct ms_error *ms_crash_story_create(struct ms_session *s,
				       const struct ms_goroutines *gs,
				       const uint64_t *headers, size_t n_headers,
				       struct ms_crash_story **ret);

/** Free @p st; NULL is a no-op. */
void ms_crash_story_destroy(struct ms_crash_story *st);

/**
 * Whether a map header's writing flag is set (classic hmap.flags &
 * hashWriting (4), swiss Map.writing): a write was in progress when the
 * core was taken.
 */
bool ms_map_header_writing(enum ms_map_impl impl, uint8_t flags, uint8_t writing);

#endif /* MS_CRASH_STORY_H */
