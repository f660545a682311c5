/* The key table of the triage browser: key codes to actions, with the help text and key hints made from the same rows. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"

/*
 * One row per key. The first row of an action carries its help text; the
 * rows after it with the same action add keys to that help line. A row
 * with a hint puts that text on the key hint line at the bottom.
 */
struct binding {
	int key;
	enum tui_action action;
	bool prompt;		/* applies while a search is typed */
	const char *help;
	const char *hint;
};

static const struct binding table[] = {
	{ 'j', TUI_ACT_DOWN, false, "move down in the list, or in the pane after Enter", "j/k move" },
	{ TUI_KEY_DOWN, TUI_ACT_DOWN, false, NULL, NULL },
	{ 'k', TUI_ACT_UP, false, "move up", NULL },
	{ TUI_KEY_UP, TUI_ACT_UP, false, NULL, NULL },
	{ TUI_KEY_PGDN, TUI_ACT_PAGE_DOWN, false, "a page down", NULL },
	{ ' ', TUI_ACT_PAGE_DOWN, false, NULL, NULL },
	{ TUI_KEY_PGUP, TUI_ACT_PAGE_UP, false, "a page up", NULL },
	{ 'g', TUI_ACT_TOP, false, "to the first line", NULL },
	{ TUI_KEY_HOME, TUI_ACT_TOP, false, NULL, NULL },
	{ 'G', TUI_ACT_BOTTOM, false, "to the last line", NULL },
	{ TUI_KEY_END, TUI_ACT_BOTTOM, false, NULL, NULL },
	{ TUI_KEY_ENTER, TUI_ACT_OPEN, false, "open the map; in a pane, follow the pointer or xref", "Enter open" },
	{ TUI_KEY_BACKSPACE, TUI_ACT_BACK, false, "go back to where Enter came from, then to the list", "BS back" },
	{ 'h', TUI_ACT_BACK, false, NULL, NULL },
	{ TUI_KEY_LEFT, TUI_ACT_BACK, false, NULL, NULL },
	{ 'l', TUI_ACT_OPEN, false, "open or follow, as Enter does", NULL },
	{ TUI_KEY_RIGHT, TUI_ACT_OPEN, false, NULL, NULL },
	{ TUI_KEY_ESC, TUI_ACT_FOCUS_LIST, false, "return to the list", NULL },
	{ TUI_KEY_TAB, TUI_ACT_NEXT_PANE, false, "next pane", "Tab pane" },
	{ TUI_KEY_BTAB, TUI_ACT_PREV_PANE, false, "previous pane", NULL },
	{ '1', TUI_ACT_PANE_HEADER, false, "Header: fields, each pointer with its class, reasons", NULL },
	{ '2', TUI_ACT_PANE_ROOTS, false, "Roots: modules, package, aliases, code references", NULL },
	{ '3', TUI_ACT_PANE_ENTRIES, false, "Entries: decoded keys and values", NULL },
	{ '4', TUI_ACT_PANE_MEMORY, false, "Memory: the header and what a pointer leads to", NULL },
	{ '5', TUI_ACT_PANE_CODE, false, "Code: the faulting code and registers, or an xref", NULL },
	{ 'a', TUI_ACT_TOGGLE_ALL, false, "suspects only / all maps", "a all" },
	{ '/', TUI_ACT_SEARCH, false, "search map names, types and header addresses", "/ search" },
	{ 'n', TUI_ACT_NEXT_MATCH, false, "next match", NULL },
	{ 'N', TUI_ACT_PREV_MATCH, false, "previous match", NULL },
	{ 's', TUI_ACT_SORT, false, "sort by verdict, module, size", "s sort" },
	{ 'c', TUI_ACT_CRASH, false, "select the map the crash touched", NULL },
	{ 'y', TUI_ACT_COPY, false, "copy the address under the cursor (OSC 52; printed on exit)", NULL },
	{ '?', TUI_ACT_HELP, false, "this list of keys", "? help" },
	{ TUI_KEY_CTRL_L, TUI_ACT_REDRAW, false, "redraw the screen", NULL },
	{ 'q', TUI_ACT_QUIT, false, "quit", "q quit" },
	{ TUI_KEY_ENTER, TUI_ACT_INPUT_DONE, true, "search for what was typed", NULL },
	{ TUI_KEY_BACKSPACE, TUI_ACT_INPUT_ERASE, true, "erase the last character", NULL },
	{ TUI_KEY_ESC, TUI_ACT_INPUT_CANCEL, true, "cancel the search", NULL },
};

static const size_t n_table = sizeof(table) / sizeof(table[0]);

enum tui_action tui_keys_action(int key, bool prompt)
{
	for (size_t i = 0; i < n_table; i++)
		if (table[i].key == key && table[i].prompt == prompt)
			return table[i].action;
	if (prompt && key >= 0x20 && key < 0x7f)
		return TUI_ACT_INPUT_CHAR;
	return TUI_ACT_NONE;
}

static const struct {
	int key;
	const char *name;
} names[] = {
	{ TUI_KEY_ENTER, "Enter" }, { TUI_KEY_TAB, "Tab" }, { TUI_KEY_BTAB, "BTab" },
	{ TUI_KEY_ESC, "Esc" }, { TUI_KEY_BACKSPACE, "BS" }, { TUI_KEY_UP, "Up" },
	{ TUI_KEY_DOWN, "Down" }, { TUI_KEY_LEFT, "Left" }, { TUI_KEY_RIGHT, "Right" },
	{ TUI_KEY_PGUP, "PgUp" }, { TUI_KEY_PGDN, "PgDn" }, { TUI_KEY_HOME, "Home" },
	{ TUI_KEY_END, "End" }, { ' ', "Space" }, { '<', "lt" }, { TUI_KEY_CTRL_L, "C-l" },
	{ TUI_KEY_RESIZE, "Resize" },
	// Other spellings accepted by --keys.
	{ TUI_KEY_ENTER, "Return" }, { TUI_KEY_ENTER, "CR" }, { TUI_KEY_BACKSPACE, "Backspace" },
	{ TUI_KEY_BTAB, "S-Tab" }, { TUI_KEY_PGUP, "PageUp" }, { TUI_KEY_PGDN, "PageDown" },
	{ TUI_KEY_ESC, "Escape" },
};

const char *tui_keys_name(int key, char *buf)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].key == key)
			return names[i].name;
	if (key > 0x20 && key < 0x7f)
		snprintf(buf, 16, "%c", key);
	else
		snprintf(buf, 16, "0x%x", (unsigned)key);
	return buf;
}

bool tui_keys_help_line(size_t i, char *buf, size_t size)
{
	size_t line = 0;
	bool prompt_heading = false;
	for (size_t r = 0; r < n_table; r++) {
		if (!table[r].help)
			continue;
		if (table[r].prompt && !prompt_heading) {
			prompt_heading = true;
			if (line++ == i) {
				snprintf(buf, size, "while typing a search:");
				return true;
			}
		}
		if (line++ != i)
			continue;
		// This action's keys: its row and the help-less rows after it.
		char keys[64] = "", name[16];
		size_t n = 0;
		for (size_t k = r; k < n_table; k++) {
			if (k > r && (table[k].help || table[k].action != table[r].action))
				break;
			n += (size_t)snprintf(keys + n, sizeof(keys) - n, "%s%s", n ? " " : "",
					      tui_keys_name(table[k].key, name));
			if (n >= sizeof(keys))
				n = sizeof(keys) - 1;
		}
		snprintf(buf, size, "  %-14s %s", keys, table[r].help);
		return true;
	}
	return false;
}

size_t tui_keys_help_count(void)
{
	char buf[160];
	size_t n = 0;
	while (tui_keys_help_line(n, buf, sizeof(buf)))
		n++;
	return n;
}

void tui_keys_footer(char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t r = 0; r < n_table && n < size; r++) {
		if (!table[r].hint)
			continue;
		int w = snprintf(buf + n, size - n, "%s%s", n ? "  " : "", table[r].hint);
		if (w < 0 || (size_t)w >= size - n) {
			// Leave out a hint that does not fit; a shorter one may.
			buf[n] = '\0';
			continue;
		}
		n += (size_t)w;
	}
}

static int key_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == len && strncasecmp(names[i].name, name, len) == 0)
			return names[i].key;
	return -1;
}

bool tui_keys_parse(const char *spec, struct tui_keyev **ret, size_t *n_ret,
		    char *err, size_t err_size)
{
	size_t cap = strlen(spec) + 1, n = 0;
	struct tui_keyev *ev = calloc(cap, sizeof(*ev));
	if (!ev) {
		snprintf(err, err_size, "out of memory");
		return false;
	}
	for (const char *p = spec; *p; ) {
		if (*p != '<') {
			int c = (unsigned char)*p++;
			// A real newline in a script means Enter, as a terminal sends it.
			ev[n++].key = c == '\r' ? TUI_KEY_ENTER : c;
			continue;
		}
		const char *end = strchr(p, '>');
		if (!end) {
			snprintf(err, err_size, "--keys: '<' without '>' in '%s'; write <lt> for '<'", p);
			free(ev);
			return false;
		}
		const char *name = p + 1;
		size_t len = (size_t)(end - name);
		if (len > 7 && strncasecmp(name, "Resize=", 7) == 0) {
			int cols, rows;
			char x;
			if (sscanf(name + 7, "%d%c%d", &cols, &x, &rows) != 3 || x != 'x' ||
			    cols < 1 || rows < 1 || cols > 1000 || rows > 1000) {
				snprintf(err, err_size, "--keys: bad size in '%.*s'; use <Resize=COLSxROWS>",
					 (int)(len + 2), p);
				free(ev);
				return false;
			}
			ev[n].key = TUI_KEY_RESIZE;
			ev[n].rows = rows;
			ev[n++].cols = cols;
		} else {
			int key = key_by_name(name, len);
			if (key < 0 || key == TUI_KEY_RESIZE) {
				snprintf(err, err_size, "--keys: unknown key '<%.*s>'", (int)len, name);
				free(ev);
				return false;
			}
			ev[n++].key = key;
		}
		p = end + 1;
	}
	*ret = ev;
	*n_ret = n;
	return true;
}
