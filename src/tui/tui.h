/* The browser's terminal layer as seen by cmd-tui.c (implemented in curses.c, so that nothing else includes <curses.h>). */
#ifndef MS_TUI_TUI_H
#define MS_TUI_TUI_H

#include <stddef.h>

#include "model.h"

/**
 * Run the browser on the terminal until @p v quits.
 * @return 0, -1 with a message in @p err (no terminal, unknown TERM), or
 * 128 + the signal that ended it.
 */
int tui_curses_run(struct ms_view *v, char *err, size_t err_size);

#endif /* MS_TUI_TUI_H */
