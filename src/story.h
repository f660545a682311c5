/* Rendering goroutines, backtraces and the crash story as text and JSON, shared by info, scan and show. */
#ifndef MS_STORY_H
#define MS_STORY_H

#include <stdbool.h>
#include <stdio.h>

#include "crash_story.h"
#include "goroutine.h"
#include "json.h"
#include "scan.h"
#include "session.h"

/**
 * "goroutine 19 [running, thread 16760] (crashed):" and one line a frame,
 * "func  file:line", each line starting with @p indent.
 */
void ms_story_goroutine(FILE *out, const char *indent,
			const struct ms_goroutine *g);

/** One goroutine as a JSON object (goid, status, wait_reason, frames, ...). */
void ms_story_goroutine_json(struct ms_json *js, const struct ms_goroutine *g);

/**
 * The crash story, to open a report: "fatal error: concurrent map writes",
 * the crashed goroutine with the frames that matter (the map runtime
 * function it died in, the user frames), the map involved and every
 * goroutine inside the map runtime. With @p sc the maps are named by their
 * variables. Prints nothing when the process did not crash and no
 * goroutine is inside the map runtime.
 */
void ms_story_print(FILE *out, struct ms_session *s,
		    const struct ms_crash_story *st, const struct ms_scan *sc);

/** The "crash_story" member (null when there is no story). */
void ms_story_json(struct ms_json *js, const struct ms_crash_story *st,
		   const struct ms_scan *sc);

/**
 * Under a map's row: "being written (hashWriting set)" and the goroutines
 * inside the map runtime on this map, each line starting with @p pad.
 */
void ms_story_map_lines(FILE *out, const char *pad, const struct ms_scan *sc,
			const struct ms_scan_map *m);

/** The "writing" and "touched_by" members of a map. */
void ms_story_map_json(struct ms_json *js, const struct ms_scan *sc,
		       const struct ms_scan_map *m);

/** "main.(*Cache).Put (example.com/x/cache.go:41)" for a frame, into @p buf. */
const char *ms_story_frame_name(const struct ms_frame *f, char *buf, size_t len);

#endif /* MS_STORY_H */
