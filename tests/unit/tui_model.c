/* Unit tests for the browser's model: key actions on a synthetic scan, checked against the model's state (no terminal, no core). */
#include "config.h"

#include <stdlib.h>

#include "tap.h"
#include "tui/keys.h"
#include "tui/model.h"
#include "tui_fixture.h"

static struct ms_view *fresh(int rows, int cols)
{
	fx_build();
	return ms_view_create(&fx_scan, &fx_source, &fx_context, rows, cols);
}

// Apply a --keys script through the key table, as the program does.
static void keys(struct ms_view *v, const char *spec)
{
	struct tui_keyev *ev;
	size_t n;
	char err[128];
	if (!tui_keys_parse(spec, &ev, &n, err, sizeof(err))) {
		ok(0, "parse '%s': %s", spec, err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (ev[i].key == TUI_KEY_RESIZE)
			ms_view_resize(v, ev[i].rows, ev[i].cols);
		else
			ms_view_apply(v, tui_keys_action(ev[i].key, v->prompt), ev[i].key);
	}
	free(ev);
}

static unsigned sel_id(const struct ms_view *v)
{
	size_t i = ms_view_selected(v);
	return i == SIZE_MAX ? 0 : v->scan->maps[i].id;
}

// The pane line whose target is labelled @p label, or SIZE_MAX.
static size_t line_labelled(const struct ms_view *v, const char *label)
{
	for (size_t i = 0; i < v->lines.n; i++)
		if (v->lines.v[i].has_target && strcmp(v->lines.v[i].label, label) == 0)
			return i;
	return SIZE_MAX;
}

static size_t line_with_target(const struct ms_view *v, uint64_t target)
{
	for (size_t i = 0; i < v->lines.n; i++)
		if (v->lines.v[i].has_target && v->lines.v[i].target == target)
			return i;
	return SIZE_MAX;
}

static size_t line_containing(const struct ms_view *v, const char *text)
{
	for (size_t i = 0; i < v->lines.n; i++)
		if (strstr(v->lines.v[i].text, text))
			return i;
	return SIZE_MAX;
}

static bool pane_has(const struct ms_view *v, const char *text)
{
	return line_containing(v, text) != SIZE_MAX;
}

static void test_start_and_moves(void)
{
	struct ms_view *v = fresh(30, 100);
	ok(!v->show_all, "starts with suspects only");
	is_u64(v->n_order, 3, "three suspects listed");
	is_u64(sel_id(v), 1, "the worst map is selected");
	ok(v->focus == TUI_FOCUS_LIST && v->pane == TUI_PANE_HEADER, "list focused, Header pane");
	ok(strstr(v->status, "crash: #1") != NULL, "the status names the crash map: %s", v->status);
	ok(pane_has(v, "dangling") && pane_has(v, "dirPtr"), "the Header pane shows the verdict and dirPtr");

	keys(v, "j");
	is_u64(sel_id(v), 2, "j moves down");
	ok(v->status[0] == '\0', "a key clears the status");
	keys(v, "jjj");
	is_u64(sel_id(v), 3, "the cursor stops at the last suspect");
	keys(v, "k<Up>");
	is_u64(sel_id(v), 1, "k and Up move up");
	keys(v, "k");
	is_u64(v->cursor, 0, "the cursor stops at the top");
	keys(v, "G");
	is_u64(sel_id(v), 3, "G goes to the last map");
	keys(v, "g");
	is_u64(sel_id(v), 1, "g goes to the first");
	keys(v, "q");
	ok(v->quit, "q quits");
	ms_view_destroy(v);
}

static void test_filter_and_sort(void)
{
	struct ms_view *v = fresh(30, 100);
	keys(v, "jj");
	keys(v, "a");
	ok(v->show_all, "a shows all maps");
	is_u64(v->n_order, 6, "six maps listed");
	is_u64(sel_id(v), 3, "the selection is kept");
	keys(v, "jj");
	is_u64(sel_id(v), 5, "moved to an ok map");
	keys(v, "a");
	ok(!v->show_all, "a again: suspects only");
	is_u64(v->n_order, 3, "three listed");
	is_u64(v->cursor, 2, "an ok map hidden: the cursor is clamped to the list");

	keys(v, "ags");
	ok(v->sort == TUI_SORT_MODULE, "s sorts by module");
	const char *prev = "";
	bool sorted = true;
	for (size_t k = 0; k < v->n_order; k++) {
		const char *mod = v->info[v->order[k]].module;
		sorted &= strcmp(prev, mod) <= 0;
		prev = mod;
	}
	ok(sorted, "modules in order");
	is_str(v->info[v->order[0]].module, "(heap)", "heap maps first");
	is_u64(sel_id(v), 1, "the selected map stays selected after sorting");
	keys(v, "s");
	ok(v->sort == TUI_SORT_SIZE, "s again: by size");
	is_u64(v->scan->maps[v->order[0]].id, 6, "the biggest map first");
	is_u64(v->scan->maps[v->order[1]].id, 2, "then 300 entries");
	keys(v, "s");
	ok(v->sort == TUI_SORT_VERDICT, "s cycles back to verdict");
	is_u64(v->scan->maps[v->order[0]].id, 1, "worst first again");
	ms_view_destroy(v);
}

static void test_search(void)
{
	struct ms_view *v = fresh(30, 100);
	keys(v, "/geo");
	ok(v->prompt, "/ starts a search");
	is_str(v->input, "geo", "typed text goes to the search");
	keys(v, "x<BS>");
	is_str(v->input, "geo", "Backspace erases");
	keys(v, "<Enter>");
	ok(!v->prompt, "Enter ends the search");
	is_u64(sel_id(v), 1, "the only match is selected");
	ok(strstr(v->status, "match 1 of 1") != NULL, "status counts matches: %s", v->status);

	keys(v, "/gnames<Enter>");
	ok(v->show_all, "a match among ok maps shows all maps");
	is_u64(sel_id(v), 4, "main.gNames selected (case-insensitive)");

	keys(v, "/0xc0000100c0<Enter>");
	is_u64(sel_id(v), 5, "search by header address");

	keys(v, "/main.<Enter>");
	unsigned first = sel_id(v);
	keys(v, "n");
	unsigned second = sel_id(v);
	ok(first != second, "n goes to the next match (%u then %u)", first, second);
	keys(v, "N");
	is_u64(sel_id(v), first, "N goes back");

	keys(v, "/nosuchmap<Enter>");
	ok(v->status_error && strstr(v->status, "no map matches"), "no match: an error in the status");
	is_u64(sel_id(v), first, "no match: the selection stays");

	keys(v, "/abc<Esc>");
	ok(!v->prompt, "Esc cancels");
	is_str(v->query, "nosuchmap", "a cancelled search keeps the last query");
	ms_view_destroy(v);
}

static void test_panes(void)
{
	struct ms_view *v = fresh(30, 100);
	keys(v, "<Tab>");
	ok(v->pane == TUI_PANE_ROOTS, "Tab: Roots");
	ok(pane_has(v, "main.zoneCache") && pane_has(v, "aliases"), "Roots lists the alias");
	ok(pane_has(v, "plugin example.com/geo"), "Roots names the pluginpath");
	keys(v, "<Tab>");
	ok(v->pane == TUI_PANE_ENTRIES, "Tab: Entries");
	ok(pane_has(v, "unmapped"), "entries of a dangling map: the read error is shown");
	keys(v, "<Tab>");
	ok(v->pane == TUI_PANE_MEMORY && pane_has(v, "header of #1"), "Tab: Memory with the header dump");
	keys(v, "<Tab>");
	ok(v->pane == TUI_PANE_CODE && pane_has(v, "=> 0x4a1f3b"), "Tab: Code with the faulting pc");
	keys(v, "<Tab>");
	ok(v->pane == TUI_PANE_HEADER, "Tab wraps to Header");
	keys(v, "<BTab>");
	ok(v->pane == TUI_PANE_CODE, "Shift-Tab goes back");
	keys(v, "3");
	ok(v->pane == TUI_PANE_ENTRIES, "3: Entries");
	keys(v, "jj");
	ok(v->focus == TUI_FOCUS_LIST && sel_id(v) == 3, "the list still has the keys");
	ok(pane_has(v, "types are unknown"), "an untyped map cannot be decoded");
	keys(v, "a");
	keys(v, "/gHolder<Enter><Enter>");
	ok(v->focus == TUI_FOCUS_DETAIL, "Enter focuses the pane");
	ok(pane_has(v, "\"key39\": 390"), "40 entries decoded");
	keys(v, "G");
	is_u64(v->pane_cursor, v->lines.n - 1, "G: last entry");
	ok(v->pane_top + (size_t)ms_view_pane_rows(v) >= v->lines.n, "scrolled to the bottom");
	keys(v, "<Esc>");
	ok(v->focus == TUI_FOCUS_LIST, "Esc returns to the list");
	keys(v, "1");
	ok(v->pane == TUI_PANE_HEADER, "1: Header");
	ms_view_destroy(v);
}

static void test_follow_and_back(void)
{
	struct ms_view *v = fresh(30, 100);
	keys(v, "a/gNames<Enter><Enter>");
	is_u64(sel_id(v), 4, "main.gNames selected");
	size_t dir = line_labelled(v, "dirPtr");
	ok(dir != SIZE_MAX, "the Header pane has a dirPtr line");
	v->pane_cursor = 0;
	for (size_t i = 0; i < dir; i++)
		keys(v, "j");
	is_u64(v->pane_cursor, dir, "the cursor is on dirPtr");
	keys(v, "<Enter>");
	ok(v->pane == TUI_PANE_MEMORY, "Enter on a pointer opens Memory");
	ok(v->have_mem && v->mem_addr == FX_GROUP, "at the pointer's target");
	is_str(v->mem_label, "dirPtr", "labelled with the field");
	is_u64(v->n_history, 1, "one step in the history");
	is_u64(v->pane_cursor, v->mem_line, "the cursor is on the followed memory");
	ok(pane_has(v, "gophers!"), "the bytes are dumped");

	size_t hdr5 = line_with_target(v, FX_HEADERS + 0xc0);
	ok(hdr5 != SIZE_MAX && hdr5 > v->mem_line, "a word in the group points at #5's header");
	while (v->pane_cursor < hdr5)
		keys(v, "j");
	keys(v, "<Enter>");
	is_u64(sel_id(v), 5, "following a map header selects that map");
	ok(v->pane == TUI_PANE_HEADER && !v->have_mem, "shown in the Header pane");
	is_u64(v->n_history, 2, "two steps");

	keys(v, "<BS>");
	is_u64(sel_id(v), 4, "Backspace: back to #4");
	ok(v->pane == TUI_PANE_MEMORY && v->have_mem && v->mem_addr == FX_GROUP, "its Memory pane as it was");
	is_u64(v->pane_cursor, hdr5, "with the cursor where it was");
	keys(v, "h");
	ok(v->pane == TUI_PANE_HEADER && !v->have_mem, "h: back to the Header pane");
	is_u64(v->pane_cursor, dir, "on the dirPtr line");
	keys(v, "<BS>");
	ok(v->focus == TUI_FOCUS_LIST, "empty history: Backspace returns to the list");
	keys(v, "<BS>");
	ok(strstr(v->status, "nothing to go back") != NULL, "then says there is nothing left");

	// A dangling pointer: "not in core" with the nearest mapping.
	keys(v, "g<Enter>");
	is_u64(sel_id(v), 1, "#1");
	size_t d = line_labelled(v, "dirPtr");
	while (v->pane_cursor < d)
		keys(v, "j");
	keys(v, "<Enter>");
	ok(pane_has(v, "not in core: unmapped") && pane_has(v, "geo.so .bss"),
	   "an unmapped pointer shows the nearest mapping");
	keys(v, "g<Enter>");
	ok(strstr(v->status, "nothing to follow") != NULL, "a line without a pointer: status only");

	// The crash key and the code pane's registers.
	keys(v, "<Esc>ac");
	is_u64(sel_id(v), 1, "c selects the crash map");
	keys(v, "5<Enter>");
	size_t rax = line_labelled(v, "rax");
	while (v->pane_cursor < rax)
		keys(v, "j");
	keys(v, "<Enter>");
	ok(v->pane == TUI_PANE_HEADER && sel_id(v) == 1, "rax holds #1's header: following it selects #1");
	ms_view_destroy(v);
}


static void test_provenance(void)
{
	// Wide enough that no line of the Roots pane wraps.
	struct ms_view *v = fresh(40, 160);
	keys(v, "jjka");
	bool none = true;
	for (size_t i = 0; i < 6; i++)
		none &= fx_prov_calls[i] == 0;
	ok(none, "no provenance is asked for before the Roots pane is opened");
	keys(v, "g2");
	is_u64(sel_id(v), 1, "#1 selected");
	ok(fx_prov_calls[0] > 0, "opening Roots asks the provenance of #1");
	ok(fx_prov_calls[1] + fx_prov_calls[2] + fx_prov_calls[3] + fx_prov_calls[4] +
	   fx_prov_calls[5] == 0, "and of no other map");
	ok(pane_has(v, "module       geo.so  plugin example.com/geo"), "the declaring module and pluginpath");
	ok(pane_has(v, "type module  geo.so (descriptor 0x7f31c09f2a40)"), "the type module");
	size_t decl = line_containing(v, "declared by"), alias = line_containing(v, "aliases");
	size_t cache = line_containing(v, "  example.com/geo.Cache"), zone = line_containing(v, "  main.zoneCache");
	ok(decl < cache && cache < alias && alias < zone, "declared by geo.Cache, then the alias main.zoneCache");
	ok(pane_has(v, "package example.com/geo, variable Cache at 0x7f31c0a0d100 (8 bytes)"),
	   "the package and variable of the declaration");
	ok(pane_has(v, "slot 0x5a3b20 in ingestd (another module)") &&
	   pane_has(v, "package main, variable zoneCache"), "the alias, its module and variable");
	ok(pane_has(v, "code references (3)"), "three code references");
	size_t got = line_containing(v, "geo.so!example.com/geo.GetCache+0x0");
	ok(got != SIZE_MAX && got + 1 < v->lines.n &&
	   strstr(v->lines.v[got + 1].text, "mov rax, qword ptr [rip + 0x6a279]") &&
	   strstr(v->lines.v[got + 1].text, "via the GOT slot 0x7f31c0a0c040"),
	   "the plugin's reference through the GOT, with its instruction");
	ok(got + 2 < v->lines.n && v->lines.v[got + 2].code &&
	   !strcmp(v->lines.v[got + 2].text, "      ; 0x7f31c0a0c040 in .got of geo.so"),
	   "and the operand's comment, its GOT slot: %s", v->lines.v[got + 2].text);
	size_t mm = line_containing(v, "ingestd!main.main+0x52f");
	ok(mm != SIZE_MAX && v->lines.v[mm].has_target && v->lines.v[mm].code &&
	   v->lines.v[mm].target == FX_MAIN_MAIN + 0x52f, "a reference line leads to its instruction");
	ok(v->lines.v[mm + 1].code && strstr(v->lines.v[mm + 1].text, "[main.zoneCache]"),
	   "so does its instruction line, which names the variable");
	ok(v->lines.v[mm + 2].code && v->lines.v[mm + 2].target == FX_MAIN_MAIN + 0x52f &&
	   !strcmp(v->lines.v[mm + 2].text, "      ; 0x5a3b20 main.zoneCache in .data of ingestd"),
	   "and its operand's comment, as show prints it: %s", v->lines.v[mm + 2].text);

	// Enter on a reference: the Code pane there; Backspace comes back.
	keys(v, "<Enter>");
	while (v->pane_cursor < mm + 1)
		keys(v, "j");
	keys(v, "<Enter>");
	ok(v->pane == TUI_PANE_CODE && v->have_code && v->code_addr == FX_MAIN_MAIN + 0x52f,
	   "Enter on a code reference opens the Code pane at it");
	ok(v->lines.v[v->pane_cursor].style == TUI_S_PC &&
	   strstr(v->lines.v[v->pane_cursor].text, "=> 0x4a152f"), "the cursor is on the referring instruction: %s",
	   v->lines.v[v->pane_cursor].text);
	ok(pane_has(v, "code at 0x4a152f referring to #1"), "the pane says whose reference it is");
	ok(strstr(v->status, "Backspace goes back") != NULL, "the status says how to go back");
	is_u64(v->n_history, 1, "one step in the history");
	keys(v, "1");
	ok(!pane_has(v, "=> 0x4a152f"), "Header: not the code");
	keys(v, "5");
	ok(pane_has(v, "=> 0x4a152f") && !pane_has(v, "=> 0x4a1f3b"), "Code again: still the reference");
	keys(v, "<BS>");
	ok(v->pane == TUI_PANE_ROOTS && !v->have_code, "Backspace: back to Roots");
	is_u64(v->pane_cursor, mm + 1, "on the reference's line");
	keys(v, "5");
	ok(pane_has(v, "=> 0x4a1f3b"), "the Code pane shows the faulting pc again");
	ms_view_destroy(v);

	v = fresh(40, 160);
	keys(v, "2<Enter>G<Enter>");
	ok(v->have_code && v->code_addr == FX_MAIN_MAIN + 0x7a4, "G and Enter: the last reference");
	keys(v, "<Esc>j");
	is_u64(sel_id(v), 2, "another map selected");
	ok(v->pane == TUI_PANE_CODE && !v->have_code && pane_has(v, "=> 0x4a1f3b"),
	   "a reference belongs to its map: the Code pane returns to the crash");
	keys(v, "2");
	ok(pane_has(v, "cannot read auth.so's text") && pane_has(v, "example.com/auth.tokens"),
	   "a failing source: the error and the roots the scan knows");
	ok(!pane_has(v, "code references"), "and no code references");
	keys(v, "j");
	is_u64(sel_id(v), 3, "the heap map");
	ok(pane_has(v, "held by the word at 0x5a3c00 (ingestd .data)"), "the word of module data holding it");
	ok(pane_has(v, "main.warm+0x20") && pane_has(v, "(the holder word 0x5a3c00)"),
	   "the code reading that word");
	keys(v, "a/gHolder<Enter>");
	ok(pane_has(v, "code references") && pane_has(v, "not looked for"), "references not looked for");
	ok(pane_has(v, "package main, variable gHolder at 0x5a3b30 (16 bytes)"),
	   "a reachable map: the variable it is reached from");
	keys(v, "/gBig<Enter>");
	ok(pane_has(v, "code references (0)") && pane_has(v, "none: no code"), "none found");
	ms_view_destroy(v);
}

static void test_resize_and_help(void)
{
	struct ms_view *v = fresh(30, 100);
	keys(v, "aG");
	is_u64(v->cursor, 5, "last of six");
	ms_view_resize(v, 12, 60);
	ok(!v->layout.side_by_side, "narrow: list above detail");
	int rows = ms_view_list_rows(v);
	ok(v->cursor >= v->top && v->cursor < v->top + (size_t)rows, "the cursor stays visible (top %zu, %d rows)",
	   v->top, rows);
	ms_view_resize(v, 40, 120);
	is_u64(v->top, 0, "tall again: no scrolling");
	keys(v, "3<Enter>G");
	size_t bottom = v->pane_cursor;
	ms_view_resize(v, 12, 60);
	int prow = ms_view_pane_rows(v);
	ok(v->pane_cursor >= v->pane_top && v->pane_cursor < v->pane_top + (size_t)prow,
	   "the pane cursor stays visible after shrinking");
	ok(v->pane_top + (size_t)prow <= v->lines.n, "no scrolling past the end");
	ms_view_resize(v, 5, 20);
	ok(v->layout.too_small, "5x20 is too small");
	ms_view_resize(v, 24, 80);
	ok(!v->layout.too_small && !v->layout.side_by_side, "80x24 is usable");
	ok(v->pane_cursor <= bottom, "cursor kept in range");

	keys(v, "?");
	ok(v->help, "? shows the keys");
	keys(v, "j");
	ok(v->help && v->help_top == 1, "j scrolls them");
	keys(v, "x");
	ok(!v->help, "any other key closes them, even an unbound one");
	is_u64(v->cursor, 5, "without acting on the key");
	ms_view_destroy(v);
}

static void test_empty(void)
{
	struct ms_scan empty = { 0 };
	empty.crash_map = SIZE_MAX;
	struct ms_view *v = ms_view_create(&empty, &fx_source, &fx_context, 24, 80);
	keys(v, "jjk<Enter><Tab><Tab><Tab><Enter><BS>a/x<Enter>nsc?xq");
	ok(v->quit, "no maps at all: every key is harmless");
	ms_view_destroy(v);
	struct tui_source none = { 0 };
	fx_build();
	v = ms_view_create(&fx_scan, &none, NULL, 24, 80);
	keys(v, "<Enter>12345<Tab>j<Enter>");
	ok(v->lines.n > 0, "a source without callbacks still shows something");
	ms_view_destroy(v);
}

static void test_keys(void)
{
	struct tui_keyev *ev;
	size_t n;
	char err[128];
	ok(tui_keys_parse("jj<Enter><Tab>q", &ev, &n, err, sizeof(err)), "parse a script");
	is_u64(n, 5, "five keys");
	ok(ev[2].key == TUI_KEY_ENTER && ev[3].key == TUI_KEY_TAB && ev[4].key == 'q', "named keys");
	free(ev);
	ok(tui_keys_parse("<Resize=80x24><lt><space>", &ev, &n, err, sizeof(err)), "resize, lt, space");
	ok(n == 3 && ev[0].key == TUI_KEY_RESIZE && ev[0].cols == 80 && ev[0].rows == 24, "resize size");
	ok(ev[1].key == '<' && ev[2].key == ' ', "<lt> and <Space>");
	free(ev);
	ok(!tui_keys_parse("<Nope>", &ev, &n, err, sizeof(err)) && strstr(err, "Nope"), "unknown name: %s", err);
	ok(!tui_keys_parse("a<Enter", &ev, &n, err, sizeof(err)), "unclosed <");

	ok(tui_keys_action('j', false) == TUI_ACT_DOWN, "j is down");
	ok(tui_keys_action('j', true) == TUI_ACT_INPUT_CHAR, "j while searching is text");
	ok(tui_keys_action(TUI_KEY_ENTER, true) == TUI_ACT_INPUT_DONE, "Enter ends a search");
	ok(tui_keys_action('Z', false) == TUI_ACT_NONE, "unbound keys do nothing");

	// The help is made from the table: every bound action has a line.
	char line[160];
	bool j = false, tab = false, quit = false;
	for (size_t i = 0; tui_keys_help_line(i, line, sizeof(line)); i++) {
		j |= strstr(line, "j Down") && strstr(line, "move down");
		tab |= strstr(line, "Tab") && strstr(line, "next pane");
		quit |= strstr(line, "q ") && strstr(line, "quit");
	}
	ok(j && tab && quit, "help lines for j/Down, Tab and q");
	char foot[81];
	tui_keys_footer(foot, sizeof(foot));
	ok(strstr(foot, "? help") && strstr(foot, "q quit"), "the hint line fits 80 columns with help and quit: %s", foot);
}

int main(void)
{
	test_start_and_moves();
	test_filter_and_sort();
	test_search();
	test_panes();
	test_follow_and_back();
	test_provenance();
	test_resize_and_help();
	test_empty();
	test_keys();
	return done_testing();
}
