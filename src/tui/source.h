/* Feeding the browser from a live session: the struct tui_source callbacks over ms_session and ms_scan, and the top line's facts. */
#ifndef MS_TUI_SOURCE_H
#define MS_TUI_SOURCE_H

#include "model.h"
#include "provenance.h"
#include "scan.h"
#include "session.h"

/** The adapter's state; embed it and keep it alive as long as the view. */
struct tui_session {
	struct ms_scan *scan;		/**< borrowed */
	struct ms_session *s;		/**< borrowed */
	/**
	 * Provenance of the scan, made when the Roots or Code pane first asks
	 * (opening a big core stays fast); it keeps each map's code
	 * references once swept, and the disassembler.
	 */
	struct ms_provenance *prov;
	char prov_error[160];		/**< why it could not be made, or "" */
	const char *core_path;
	const char *exe_path;
};

/**
 * Set up @p ts over @p scan (and its session), and fill the callbacks
 * and the top line's facts for ms_view_create().
 */
void tui_session_init(struct tui_session *ts, const char *core_path,
		      struct ms_scan *scan, struct tui_source *src_ret,
		      struct tui_context *ctx_ret);

void tui_session_deinit(struct tui_session *ts);

#endif /* MS_TUI_SOURCE_H */
