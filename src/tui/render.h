/* Drawing the browser's model into a text canvas (cells of a character and a style); no curses here. */
#ifndef MS_TUI_RENDER_H
#define MS_TUI_RENDER_H

#include <stdbool.h>
#include <stdint.h>
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
	TUI_CELL_WIDE = 4,	/**< the right half of a two-column character: nothing to draw */
};

struct tui_cell {
	uint32_t ch;		/**< a Unicode code point, or an enum tui_linech */
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
 * Write the UTF-8 text @p s at (@p y, @p x), at most @p width columns:
 * a two-column character takes two cells, and one that does not fit whole
 * is not drawn; bytes that are no character and control characters
 * become '?'.
 * @return the columns written.
 */
int tui_canvas_put(struct tui_canvas *c, int y, int x, int width,
		   enum tui_style style, const char *s);

/**
 * Draw ASCII only (@p on: the terminal's locale is not UTF-8): every
 * character other than ASCII is drawn as an ASCII stand-in ("..." for an
 * ellipsis, "->" for an arrow, '-', '|', '+' for box lines) or its escape
 * ("\u00e9"), and line drawing as '-', '|' and '+'. Off by default.
 */
void tui_set_ascii(bool on);

/** Whether tui_set_ascii() turned ASCII drawing on. */
bool tui_ascii(void);

/**
 * Columns the terminal gives code point @p cp: 0, 1 or 2 (wcwidth, else a
 * table); in ASCII drawing, the length of its ASCII form.
 */
int tui_char_width(uint32_t cp);

/**
 * Decode one UTF-8 character at @p s.
 * @param[out] cp_ret the code point, U+FFFD for a byte that starts none.
 * @return its length in bytes (at least 1 unless *s is NUL).
 */
size_t tui_utf8_decode(const char *s, uint32_t *cp_ret);

/** Columns @p s takes on the screen. */
int tui_text_width(const char *s);

/** Where text was cut: "\u2026" in a UTF-8 locale, '~' in ASCII only. */
const char *tui_cut_mark(void);

/**
 * Copy @p s into @p buf in at most @p width columns, cut on a character
 * boundary; a cut string ends in the cut mark (@p left: starts with it,
 * keeping the end, which tells "example.com/x/auth.Tokens" from its
 * neighbours).
 */
const char *tui_fit(char *buf, size_t size, const char *s, int width, bool left);

/**
 * Print the canvas as text: one line per row, trailing blanks removed,
 * line drawing as '-', '|' and '+'.
 */
void tui_canvas_dump(const struct tui_canvas *c, FILE *out);

/** Draw @p v into @p c (resized to the view's size). */
void tui_render(const struct ms_view *v, struct tui_canvas *c);

#endif /* MS_TUI_RENDER_H */
