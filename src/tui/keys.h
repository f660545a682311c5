/* The key table of the triage browser: key codes to actions, with the help text and key hints made from the same rows. */
#ifndef MS_TUI_KEYS_H
#define MS_TUI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"

/**
 * Key codes: printable characters are themselves; the rest are ours, so
 * that only curses.c needs to know curses' KEY_* values.
 */
enum tui_key {
	TUI_KEY_TAB = '\t',
	TUI_KEY_ENTER = '\n',
	TUI_KEY_ESC = 27,
	TUI_KEY_BACKSPACE = 127,
	TUI_KEY_CTRL_L = 12,
	TUI_KEY_UP = 0x1000,
	TUI_KEY_DOWN,
	TUI_KEY_LEFT,
	TUI_KEY_RIGHT,
	TUI_KEY_PGUP,
	TUI_KEY_PGDN,
	TUI_KEY_HOME,
	TUI_KEY_END,
	TUI_KEY_BTAB,		/**< Shift-Tab */
	TUI_KEY_RESIZE,		/**< the terminal changed size */
};

/** The action of @p key; @p prompt: a search is being typed. */
enum tui_action tui_keys_action(int key, bool prompt);

/** "j", "Enter", "PgDn", "Space"; @p buf must hold 16 bytes. */
const char *tui_keys_name(int key, char *buf);

/**
 * Line @p i of the help screen ("j Down      move down"), made from the
 * key table; false past the last line.
 */
bool tui_keys_help_line(size_t i, char *buf, size_t size);

/** The number of lines of the help screen. */
size_t tui_keys_help_count(void);

/** The key hint line ("j/k move  Enter open ...") from the table. */
void tui_keys_footer(char *buf, size_t size);

/** One key of a --keys script. */
struct tui_keyev {
	int key;
	int rows, cols;		/**< for TUI_KEY_RESIZE */
};

/**
 * Parse a --keys script: characters stand for themselves, <Name> for the
 * named keys (<Enter> <Tab> <BTab> <Esc> <BS> <Up> <Down> <Left> <Right>
 * <PgUp> <PgDn> <Home> <End> <Space> <lt> <C-l>), <Resize=COLSxROWS> for a
 * terminal resize.
 * @param[out] ret malloc'ed, free with free().
 * @return false with a message in @p err for a bad name.
 */
bool tui_keys_parse(const char *spec, struct tui_keyev **ret, size_t *n_ret,
		    char *err, size_t err_size);

#endif /* MS_TUI_KEYS_H */
