/* The thin curses layer of the browser, and the only file that includes <curses.h>: set up the terminal, copy the canvas to it, turn keys into actions. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <wchar.h>

#include "keys.h"
#include "render.h"
#include "tui.h"

static SCREEN *screen;
static bool utf8_term;
static volatile sig_atomic_t interrupted;

// Put the terminal back however we leave: normal exit, exit() on running
// out of memory, or a signal.
static void restore_terminal(void)
{
	if (screen && !isendwin())
		endwin();
}

static void on_signal(int sig)
{
	interrupted = sig;
}

static attr_t style_attr[TUI_S_COUNT];

// Colour when the terminal has it and NO_COLOR (https://no-color.org) is
// not set to something; otherwise bold, underline and reverse carry the
// same distinctions.
static void setup_styles(void)
{
	const char *no_color = getenv("NO_COLOR");
	bool color = has_colors() && !(no_color && *no_color);
	static const attr_t mono[TUI_S_COUNT] = {
		[TUI_S_NORMAL] = A_NORMAL,
		[TUI_S_TITLE] = A_REVERSE,
		[TUI_S_BORDER] = A_NORMAL,
		[TUI_S_BOX_TITLE] = A_BOLD,
		[TUI_S_HEADING] = A_BOLD,
		[TUI_S_DIM] = A_DIM,
		[TUI_S_TARGET] = A_UNDERLINE,
		[TUI_S_STATUS] = A_NORMAL,
		[TUI_S_ERROR] = A_BOLD,
		[TUI_S_KEYS] = A_REVERSE,
		[TUI_S_PC] = A_BOLD,
		[TUI_S_CRASH] = A_BOLD,
		[TUI_S_OK] = A_NORMAL,
		[TUI_S_NOT_DUMPED] = A_DIM,
		[TUI_S_CORRUPT] = A_UNDERLINE,
		[TUI_S_FOREIGN] = A_BOLD,
		[TUI_S_FREED] = A_BOLD,
		[TUI_S_DANGLING] = A_BOLD | A_UNDERLINE,
	};
	memcpy(style_attr, mono, sizeof(style_attr));
	if (!color || start_color() == ERR)
		return;
	short bg = use_default_colors() == OK ? -1 : COLOR_BLACK;
	static const struct {
		enum tui_style style;
		short fg, bg;
		attr_t extra;
	} pairs[] = {
		{ TUI_S_TITLE, COLOR_WHITE, COLOR_BLUE, A_BOLD },
		{ TUI_S_HEADING, COLOR_CYAN, -2, A_BOLD },
		{ TUI_S_TARGET, COLOR_CYAN, -2, 0 },
		{ TUI_S_ERROR, COLOR_RED, -2, A_BOLD },
		{ TUI_S_KEYS, COLOR_BLACK, COLOR_CYAN, 0 },
		{ TUI_S_PC, COLOR_YELLOW, -2, A_BOLD },
		{ TUI_S_CRASH, COLOR_RED, -2, A_BOLD },
		{ TUI_S_OK, COLOR_GREEN, -2, 0 },
		{ TUI_S_NOT_DUMPED, COLOR_BLUE, -2, A_BOLD },
		{ TUI_S_CORRUPT, COLOR_YELLOW, -2, 0 },
		{ TUI_S_FOREIGN, COLOR_YELLOW, -2, A_BOLD },
		{ TUI_S_FREED, COLOR_MAGENTA, -2, A_BOLD },
		{ TUI_S_DANGLING, COLOR_RED, -2, A_BOLD },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		short pair = (short)(i + 1);
		if (pair >= COLOR_PAIRS)
			break;
		init_pair(pair, pairs[i].fg, pairs[i].bg == -2 ? bg : pairs[i].bg);
		style_attr[pairs[i].style] = COLOR_PAIR(pair) | pairs[i].extra;
	}
}

static chtype line_char(char ch)
{
	// Outside a UTF-8 locale the terminal's line drawing is not to be
	// trusted (VT100 letters, or '?'): plain ASCII, as --dump draws it.
	if (!utf8_term)
		return ch == TUI_LINE_H ? '-' : ch == TUI_LINE_V ? '|' : '+';
	switch (ch) {
	case TUI_LINE_H: return ACS_HLINE;
	case TUI_LINE_V: return ACS_VLINE;
	case TUI_LINE_UL: return ACS_ULCORNER;
	case TUI_LINE_UR: return ACS_URCORNER;
	case TUI_LINE_LL: return ACS_LLCORNER;
	case TUI_LINE_LR: return ACS_LRCORNER;
	default: return '+';
	}
}

// Copy the canvas to stdscr; curses sends only what changed.
static void blit(const struct tui_canvas *c)
{
	for (int y = 0; y < c->rows && y < LINES; y++) {
		for (int x = 0; x < c->cols && x < COLS; x++) {
			const struct tui_cell *cell = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
			attr_t a = cell->style < TUI_S_COUNT ? style_attr[cell->style] : A_NORMAL;
			if (cell->flags & TUI_CELL_SELECT)
				a |= A_REVERSE;
			if (cell->flags & TUI_CELL_WIDE)
				continue;	// the right half of the character before
			// Writing the bottom-right cell moves the cursor past the
			// end and returns ERR; the cell is written all the same.
			if (cell->flags & TUI_CELL_LINE || cell->ch < 0x80) {
				chtype ch = cell->flags & TUI_CELL_LINE ? line_char((char)cell->ch)
									  : (chtype)cell->ch;
				mvaddch(y, x, ch | a);
				continue;
			}
			// Outside a UTF-8 locale the renderer drew ASCII only.
			wchar_t wc[2] = { utf8_term ? (wchar_t)cell->ch : L'?', 0 };
			cchar_t cc;
			if (setcchar(&cc, wc, a, 0, NULL) == OK)
				mvadd_wch(y, x, &cc);
		}
	}
	refresh();
}

/*
 * Hand the last copied address to the terminal's clipboard: OSC 52 (xterm;
 * tmux passes it on or keeps it as a buffer, by its set-clipboard option).
 * A terminal that does not know it ignores it.
 */
static void send_copy(struct ms_view *v)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char text[24], enc[40];
	int n = snprintf(text, sizeof(text), "0x%" PRIx64, v->copied[v->n_copied - 1]);
	size_t o = 0;
	for (int i = 0; i < n; i += 3) {
		unsigned b = (unsigned char)text[i] << 16 |
			     (i + 1 < n ? (unsigned char)text[i + 1] << 8 : 0) |
			     (i + 2 < n ? (unsigned char)text[i + 2] : 0);
		enc[o++] = b64[b >> 18 & 63];
		enc[o++] = b64[b >> 12 & 63];
		enc[o++] = i + 1 < n ? b64[b >> 6 & 63] : '=';
		enc[o++] = i + 2 < n ? b64[b & 63] : '=';
	}
	enc[o] = '\0';
	printf("\033]52;c;%s\a", enc);
	fflush(stdout);
	v->copy_pending = false;
}

static int translate(int ch)
{
	switch (ch) {
	case KEY_UP: return TUI_KEY_UP;
	case KEY_DOWN: return TUI_KEY_DOWN;
	case KEY_LEFT: return TUI_KEY_LEFT;
	case KEY_RIGHT: return TUI_KEY_RIGHT;
	case KEY_PPAGE: return TUI_KEY_PGUP;
	case KEY_NPAGE: return TUI_KEY_PGDN;
	case KEY_HOME: return TUI_KEY_HOME;
	case KEY_END: return TUI_KEY_END;
	case KEY_BTAB: return TUI_KEY_BTAB;
	case KEY_RESIZE: return TUI_KEY_RESIZE;
	case KEY_ENTER: case '\r': case '\n': return TUI_KEY_ENTER;
	case KEY_BACKSPACE: case 8: case 127: return TUI_KEY_BACKSPACE;
	default: return ch >= 0 && ch < 0x100 ? ch : -1;
	}
}

int tui_curses_run(struct ms_view *v, char *err, size_t err_size)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, err_size, "tui: needs a terminal; 'mapsleuth tui --dump' prints the screen as text");
		return -1;
	}
	screen = newterm(NULL, stdout, stdin);
	utf8_term = !tui_ascii();
	if (!screen) {
		const char *term = getenv("TERM");
		snprintf(err, err_size, "tui: cannot use terminal type '%s'", term ? term : "(TERM not set)");
		return -1;
	}
	atexit(restore_terminal);
	// No SA_RESTART: a signal interrupts getch() so the loop can end and
	// restore the terminal.
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	setup_styles();

	struct tui_canvas canvas;
	tui_canvas_init(&canvas);
	ms_view_resize(v, LINES, COLS);
	while (!v->quit && !interrupted) {
		if (v->redraw) {
			tui_render(v, &canvas);
			blit(&canvas);
			v->redraw = 0;
		}
		if (v->copy_pending && v->n_copied)
			send_copy(v);
		int ch = getch();
		if (ch == ERR)
			continue;
		int key = translate(ch);
		if (key == TUI_KEY_RESIZE) {
			ms_view_resize(v, LINES, COLS);
			// Repaint everything: the terminal may have reflowed.
			clearok(curscr, TRUE);
			continue;
		}
		enum tui_action act = tui_keys_action(key, v->prompt);
		if (act == TUI_ACT_REDRAW)
			clearok(curscr, TRUE);
		ms_view_apply(v, act, key);
	}
	tui_canvas_deinit(&canvas);
	endwin();
	delscreen(screen);
	screen = NULL;
	return interrupted ? 128 + (int)interrupted : 0;
}
