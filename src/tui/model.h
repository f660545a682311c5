/* The state of the triage browser (selection, filter, sort, panes, history, status); changed only by ms_view_apply(), never drawn here. */
#ifndef MS_TUI_MODEL_H
#define MS_TUI_MODEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "provenance.h"
#include "scan.h"

/** What a key asks for; keys.c maps keys to these. */
enum tui_action {
	TUI_ACT_NONE = 0,
	TUI_ACT_QUIT,
	TUI_ACT_UP,
	TUI_ACT_DOWN,
	TUI_ACT_PAGE_UP,
	TUI_ACT_PAGE_DOWN,
	TUI_ACT_TOP,
	TUI_ACT_BOTTOM,
	TUI_ACT_OPEN,		/**< list: open the detail; detail: follow the pointer or code reference */
	TUI_ACT_BACK,		/**< pop the history, or return to the list */
	TUI_ACT_FOCUS_LIST,
	TUI_ACT_NEXT_PANE,
	TUI_ACT_PREV_PANE,
	TUI_ACT_PANE_HEADER,
	TUI_ACT_PANE_ROOTS,
	TUI_ACT_PANE_ENTRIES,
	TUI_ACT_PANE_MEMORY,
	TUI_ACT_PANE_CODE,
	TUI_ACT_TOGGLE_ALL,	/**< suspects only / all maps */
	TUI_ACT_SEARCH,		/**< start typing a search */
	TUI_ACT_NEXT_MATCH,
	TUI_ACT_PREV_MATCH,
	TUI_ACT_SORT,		/**< cycle verdict, module, size */
	TUI_ACT_CRASH,		/**< select the map the crash touched */
	TUI_ACT_COPY,		/**< copy the address under the cursor */
	TUI_ACT_HELP,
	TUI_ACT_REDRAW,
	/* while a search is typed */
	TUI_ACT_INPUT_CHAR,	/**< the argument is the character */
	TUI_ACT_INPUT_ERASE,
	TUI_ACT_INPUT_DONE,
	TUI_ACT_INPUT_CANCEL,
	TUI_ACT_COUNT,
};

/** The detail panes, in Tab order. */
enum tui_pane {
	TUI_PANE_HEADER,
	TUI_PANE_ROOTS,
	TUI_PANE_ENTRIES,
	TUI_PANE_MEMORY,
	TUI_PANE_CODE,
	TUI_PANE_COUNT,
};

/** "Header", "Roots", "Entries", "Memory", "Code". */
const char *ms_view_pane_name(enum tui_pane pane);

enum tui_sort {
	TUI_SORT_VERDICT,	/**< worst first (the scan's order) */
	TUI_SORT_MODULE,	/**< by the module of the first root, then worst first */
	TUI_SORT_SIZE,		/**< most entries first */
	TUI_SORT_COUNT,
};

/** "verdict", "module", "size". */
const char *ms_view_sort_name(enum tui_sort sort);

enum tui_focus {
	TUI_FOCUS_LIST,
	TUI_FOCUS_DETAIL,
};

/**
 * How a piece of the screen should look; curses.c turns a style into
 * colours or, without colour, into bold, underline and reverse.
 */
enum tui_style {
	TUI_S_NORMAL = 0,
	TUI_S_TITLE,		/**< the top line */
	TUI_S_BORDER,
	TUI_S_BOX_TITLE,
	TUI_S_HEADING,		/**< a section heading inside a pane */
	TUI_S_DIM,		/**< labels, offsets, secondary text */
	TUI_S_TARGET,		/**< a line Enter can follow */
	TUI_S_STATUS,
	TUI_S_ERROR,
	TUI_S_KEYS,		/**< the key hint line */
	TUI_S_PC,		/**< the faulting instruction */
	TUI_S_CRASH,		/**< the crash marker */
	TUI_S_OK,		/**< verdict colours, in enum ms_verdict order */
	TUI_S_NOT_DUMPED,
	TUI_S_CORRUPT,
	TUI_S_FOREIGN,
	TUI_S_FREED,
	TUI_S_DANGLING,
	TUI_S_COUNT,
};

/** The style of a verdict. */
enum tui_style ms_view_verdict_style(enum ms_verdict v);

/** One line of a detail pane. */
struct tui_line {
	char *text;
	enum tui_style style;
	bool has_target;	/**< Enter follows target */
	bool code;		/**< target is an instruction: Enter shows the Code pane there */
	uint64_t target;
	char label[24];		/**< what the target is ("dirPtr", "rax"), for the history */
};

/** A growing list of pane lines. */
struct tui_lines {
	struct tui_line *v;
	size_t n, cap;
	int width;		/**< wrap width for tui_lines_wrap() */
};

/** Append a line (printf format); returns it so a target can be set. */
struct tui_line *tui_lines_add(struct tui_lines *l, enum tui_style style,
			       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * Append @p text wrapped at the lines' width; continuation lines are
 * indented by @p indent columns. Every piece gets @p target when
 * @p has_target.
 */
void tui_lines_wrap(struct tui_lines *l, enum tui_style style, int indent,
		    bool has_target, uint64_t target, const char *label,
		    const char *text);

void tui_lines_clear(struct tui_lines *l);

/**
 * Everything the browser needs from a live session, as callbacks, so that
 * tests can feed a synthetic scan (the session adapter is in source.c).
 * Every callback must cope with any address, mapped or not.
 */
struct tui_source {
	void *arg;
	/** A module's name for people ("geo.so"), or NULL for a bad index. */
	const char *(*module_name)(void *arg, size_t module);
	/** The module's Go pluginpath, or NULL. */
	const char *(*module_plugin)(void *arg, size_t module);
	/** "map[string]int", or "map[?]?". */
	const char *(*type_name)(void *arg, const struct ms_scan_map *m);
	/** Read process memory; MS_ERR_FAULT when it is not in the core. */
	struct ms_error *(*read)(void *arg, uint64_t addr, void *buf, size_t len);
	/**
	 * Say where @p addr leads. @p brief: a few words ("heap", "unmapped",
	 * "geo.so .data"); otherwise a sentence with the nearest mappings
	 * when @p addr is not in the core.
	 * @return whether some mapping of the process covers @p addr.
	 */
	bool (*describe)(void *arg, uint64_t addr, bool brief, char *buf,
			 size_t size);
	/** Decode up to @p limit entries (see ms_scan_entries()). */
	struct ms_error *(*entries)(void *arg, const struct ms_scan_map *m,
				    size_t limit, ms_scan_entry_fn *fn,
				    void *fn_arg);
	/** Fill the Code pane: the faulting instructions and the registers. */
	void (*code)(void *arg, struct tui_lines *out);
	/**
	 * The provenance of scan->maps[@p map] with its code references,
	 * computed on the first call for that map and kept by the source.
	 * @return NULL with a message in @p err_ret when there is none; a
	 * result with a message in @p err_ret when only part could be worked
	 * out. Valid as long as the source.
	 */
	const struct ms_map_prov *(*provenance)(void *arg, size_t map, char *err_ret,
						size_t err_size);
	/** The instructions around @p addr, the one at it marked "=>" (TUI_S_PC). */
	void (*code_at)(void *arg, uint64_t addr, struct tui_lines *out);
	/**
	 * The comment on an operand referring to @p addr, as show prints it
	 * after "; " ("0x5ce208 main.gVictim in .bss of crash"). May be NULL.
	 */
	void (*operand)(void *arg, uint64_t addr, char *buf, size_t size);
};

/** The facts of the top line; the strings are borrowed. */
struct tui_context {
	const char *core;		/**< as given on the command line */
	const char *exe;
	const char *go_version;		/**< or NULL */
	const char *impl;		/**< "swiss", "classic" */
	const char *signal;		/**< "SIGSEGV", or NULL when nothing crashed */
	bool have_fault_addr;
	uint64_t fault_addr;
	uint64_t header_size;		/**< bytes of a map header (48 or 56) */
	bool gcore;			/**< no signal: a dump of a live process (gdb's gcore) */
	/**
	 * The file name of the Go library that holds the runtime when it is
	 * not the executable (a C host's c-shared library), or NULL.
	 */
	const char *runtime_module;
	bool runtime_missing;		/**< that library was not found: nothing Go was read */
};

/** Redraw flags: what changed since the last draw. */
enum {
	TUI_REDRAW_TITLE = 1,
	TUI_REDRAW_LIST = 2,
	TUI_REDRAW_DETAIL = 4,
	TUI_REDRAW_STATUS = 8,
	TUI_REDRAW_ALL = 15,
};

/** Where things go on a screen of a given size. */
struct tui_layout {
	bool too_small;		/**< below TUI_MIN_COLS x TUI_MIN_ROWS: only a message */
	bool side_by_side;	/**< list left, detail right (else list above detail) */
	int list_y, list_x, list_h, list_w;		/**< the boxes, borders included */
	int detail_y, detail_x, detail_h, detail_w;
	int status_y, keys_y;
};

enum { TUI_MIN_COLS = 50, TUI_MIN_ROWS = 12, TUI_WIDE_COLS = 100 };

/**
 * Compute the layout of a @p rows x @p cols screen whose list has
 * @p n_items maps (a short list leaves more room to the detail when they
 * are stacked).
 */
void ms_view_layout(int rows, int cols, size_t n_items, struct tui_layout *ret);

/** What a history entry restores. */
struct tui_place {
	size_t map;		/**< index into scan->maps, or SIZE_MAX */
	enum tui_pane pane;
	enum tui_focus focus;
	bool have_mem;
	uint64_t mem_addr;
	char mem_label[24];
	bool have_code;
	uint64_t code_addr;
	size_t pane_cursor, pane_top;
};

/** Per map strings, computed once. */
struct tui_map_info {
	char name[256];		/**< first root's path, or "(heap) 0x..." */
	const char *type;	/**< borrowed from the source */
	const char *module;	/**< borrowed from the source, or "(heap)" */
	char *haystack;		/**< lower-case text searched by '/' */
};

enum { TUI_HISTORY_MAX = 64, TUI_ENTRY_LIMIT = 500, TUI_MEM_BYTES = 256 };

/** The browser's state. Read it freely; change it only with ms_view_*(). */
struct ms_view {
	const struct ms_scan *scan;		/**< borrowed */
	struct tui_source src;
	struct tui_context ctx;
	int rows, cols;
	struct tui_layout layout;

	struct tui_map_info *info;		/**< one per scan->maps */
	size_t *order;				/**< visible maps (indices into scan->maps), sorted */
	size_t n_order;
	size_t cursor, top;			/**< in order */
	bool show_all;
	enum tui_sort sort;

	enum tui_focus focus;
	enum tui_pane pane;
	struct tui_lines lines;			/**< the current pane */
	size_t pane_cursor, pane_top;
	bool have_mem;				/**< the Memory pane shows mem_addr too */
	uint64_t mem_addr;
	char mem_label[24];
	size_t mem_line;			/**< the pane line where mem_addr's dump starts */
	struct tui_lines code;			/**< built once */
	bool code_built;
	/** The Code pane shows the code reference at code_addr, not the crash. */
	bool have_code;
	uint64_t code_addr;
	struct tui_lines xcode;			/**< the code at xcode_addr */
	uint64_t xcode_addr;
	bool xcode_built;

	char query[128];			/**< the last search */
	bool prompt;				/**< a search is being typed */
	char input[128];
	size_t input_len;

	bool help;				/**< the key list covers the screen */
	size_t help_top;			/**< its first line shown */
	char status[256];
	bool status_error;
	/** Addresses copied with y, in order; the curses layer sends the last by OSC 52 and prints them all on exit. */
	uint64_t copied[16];
	size_t n_copied;
	bool copy_pending;			/**< a copy the terminal has not been sent yet */
	unsigned redraw;			/**< TUI_REDRAW_* */
	bool quit;

	struct tui_place history[TUI_HISTORY_MAX];
	size_t n_history;
};

/**
 * Make a view of @p scan, which must outlive it, for a @p rows x @p cols
 * screen. Starts on the suspects (all maps when there is none), worst
 * first, list focused, Header pane. Dies when out of memory (src/ only).
 */
struct ms_view *ms_view_create(const struct ms_scan *scan,
			       const struct tui_source *src,
			       const struct tui_context *ctx, int rows, int cols);

/** Free @p v; NULL is a no-op. */
void ms_view_destroy(struct ms_view *v);

/** Apply one action; @p arg is the character for TUI_ACT_INPUT_CHAR. */
void ms_view_apply(struct ms_view *v, enum tui_action act, int arg);

/** The screen is now @p rows x @p cols: clamp every scroll offset. */
void ms_view_resize(struct ms_view *v, int rows, int cols);

/** Put a message in the status line (printf format). */
void ms_view_status(struct ms_view *v, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** The selected map (index into scan->maps), or SIZE_MAX when the list is empty. */
size_t ms_view_selected(const struct ms_view *v);

/** Lines of list and pane content that fit in their boxes. */
int ms_view_list_rows(const struct ms_view *v);
int ms_view_pane_rows(const struct ms_view *v);

#endif /* MS_TUI_MODEL_H */
