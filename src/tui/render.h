/* Drawing the browser's model into a text canvas (cells of a character and a style); no curses here. */
#ifndef MS_TUI_RENDER_H
#define MS_TUI_RENDER_H

#include <stdio.h>

#include "model.h"

/** Line-drawing characters, stored in a cell with TUI_CELL_LINE (VT100 ACS letters). */
enum tui_linech {
	TUI_LINE_H = 'q',
	TUI_LINE_V = 'x',
	TUI_LINE_UL = 'l',
	TUI_LINE_UR = 'k',
	TUI_LINE_LL = 'm',
	TUI_LINE_LR = 'j',
};

enum {
	TUI_CELL_LINE = 1,	/**< ch is an enum tui_linech */
	TUI_CELL_SELECT = 2,	/**< the cursor: shown in reverse */
};

struct tui_cell {
	char ch;
	unsigned char style;	/**< enum tui_style */
	unsigned char flags;	/**< TUI_CELL_* */
};

/** A rows x cols screen of cells. */
struct tui_canvas {
	int rows, cols;
	struct tui_cell *cells;
};

void tui_canvas_init(struct tui_canvas *c);
void tui_canvas_deinit(struct tui_canvas *c);

/** Resize and blank the canvas; dies when out of memory (src/ only). */
void tui_canvas_reset(struct tui_canvas *c, int rows, int cols);

/** The cell at (@p y, @p x), or NULL outside the canvas. */
struct tui_cell *tui_canvas_at(struct tui_canvas *c, int y, int x);

/**
 * Write @p s at (@p y, @p x), at most @p width columns; bytes that are not
 * printable ASCII become '?'.
 * @return the columns written.
 */
int tui_canvas_put(struct tui_canvas *c, int y, int x, int width,
		   enum tui_style style, const char *s);

/**
 * Print the canvas as text: one line per row, trailing blanks removed,
 * line drawing as '-', '|' and '+'.
 */
void tui_canvas_dump(const struct tui_canvas *c, FILE *out);

/** Draw @p v into @p c (resized to the view's size). */
void tui_render(const struct ms_view *v, struct tui_canvas *c);

#endif /* MS_TUI_RENDER_H */
