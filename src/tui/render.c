/* Drawing the browser's model into a text canvas (cells of a character and a style); no curses here. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "render.h"

void tui_canvas_init(struct tui_canvas *c)
{
	memset(c, 0, sizeof(*c));
}

void tui_canvas_deinit(struct tui_canvas *c)
{
	free(c->cells);
	tui_canvas_init(c);
}

void tui_canvas_reset(struct tui_canvas *c, int rows, int cols)
{
	if (rows < 0)
		rows = 0;
	if (cols < 0)
		cols = 0;
	size_t n = (size_t)rows * (size_t)cols;
	if (rows != c->rows || cols != c->cols) {
		free(c->cells);
		c->cells = calloc(n ? n : 1, sizeof(*c->cells));
		if (!c->cells) {
			fputs("mapsleuth: out of memory\n", stderr);
			exit(2);
		}
		c->rows = rows;
		c->cols = cols;
	}
	for (size_t i = 0; i < n; i++)
		c->cells[i] = (struct tui_cell){ ' ', TUI_S_NORMAL, 0 };
}

struct tui_cell *tui_canvas_at(struct tui_canvas *c, int y, int x)
{
	if (y < 0 || x < 0 || y >= c->rows || x >= c->cols)
		return NULL;
	return &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
}

int tui_canvas_put(struct tui_canvas *c, int y, int x, int width,
		   enum tui_style style, const char *s)
{
	int n = 0;
	for (; s && s[n] && n < width; n++) {
		struct tui_cell *cell = tui_canvas_at(c, y, x + n);
		if (!cell)
			break;
		unsigned char ch = (unsigned char)s[n];
		cell->ch = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
		cell->style = (unsigned char)style;
		cell->flags &= (unsigned char)~TUI_CELL_LINE;
	}
	return n;
}

static void fill(struct tui_canvas *c, int y, int x, int width, enum tui_style style,
		 unsigned char flags)
{
	for (int i = 0; i < width; i++) {
		struct tui_cell *cell = tui_canvas_at(c, y, x + i);
		if (!cell)
			break;
		cell->style = (unsigned char)style;
		cell->flags |= flags;
	}
}

static void line_cell(struct tui_canvas *c, int y, int x, enum tui_linech ch)
{
	struct tui_cell *cell = tui_canvas_at(c, y, x);
	if (!cell)
		return;
	cell->ch = (char)ch;
	cell->style = TUI_S_BORDER;
	cell->flags = TUI_CELL_LINE;
}

static void box(struct tui_canvas *c, int y, int x, int h, int w)
{
	if (h < 2 || w < 2)
		return;
	for (int i = 1; i < w - 1; i++) {
		line_cell(c, y, x + i, TUI_LINE_H);
		line_cell(c, y + h - 1, x + i, TUI_LINE_H);
	}
	for (int i = 1; i < h - 1; i++) {
		line_cell(c, y + i, x, TUI_LINE_V);
		line_cell(c, y + i, x + w - 1, TUI_LINE_V);
	}
	line_cell(c, y, x, TUI_LINE_UL);
	line_cell(c, y, x + w - 1, TUI_LINE_UR);
	line_cell(c, y + h - 1, x, TUI_LINE_LL);
	line_cell(c, y + h - 1, x + w - 1, TUI_LINE_LR);
}

static void clear_rect(struct tui_canvas *c, int y, int x, int h, int w)
{
	for (int i = 0; i < h; i++)
		for (int j = 0; j < w; j++) {
			struct tui_cell *cell = tui_canvas_at(c, y + i, x + j);
			if (cell)
				*cell = (struct tui_cell){ ' ', TUI_S_NORMAL, 0 };
		}
}

void tui_canvas_dump(const struct tui_canvas *c, FILE *out)
{
	char *row = malloc((size_t)c->cols + 1);
	if (!row)
		return;
	for (int y = 0; y < c->rows; y++) {
		int n = 0;
		for (int x = 0; x < c->cols; x++) {
			const struct tui_cell *cell = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
			char ch = cell->ch;
			if (cell->flags & TUI_CELL_LINE)
				ch = ch == TUI_LINE_H ? '-' : ch == TUI_LINE_V ? '|' : '+';
			row[n++] = ch;
		}
		while (n > 0 && row[n - 1] == ' ')
			n--;
		row[n] = '\0';
		fprintf(out, "%s\n", row);
	}
	free(row);
}

static const char *base_name(const char *path)
{
	if (!path)
		return "?";
	const char *s = strrchr(path, '/');
	return s && s[1] ? s + 1 : path;
}

// Copy @p s into @p buf in at most @p width columns; a cut string ends in '~'.
static const char *fit(char *buf, size_t size, const char *s, int width)
{
	if (width < 1 || size < 2) {
		buf[0] = '\0';
		return buf;
	}
	if ((size_t)width >= size)
		width = (int)size - 1;
	size_t len = strlen(s);
	if (len <= (size_t)width) {
		snprintf(buf, size, "%s", s);
	} else {
		snprintf(buf, size, "%.*s~", width - 1, s);
	}
	return buf;
}

// The same, cut at the start: the end of "example.com/x/plugins/auth.Tokens"
// tells maps apart.
static const char *fit_left(char *buf, size_t size, const char *s, int width)
{
	size_t len = strlen(s);
	if (width < 2 || size < 2 || len <= (size_t)width || (size_t)width >= size)
		return fit(buf, size, s, width);
	snprintf(buf, size, "~%s", s + len - (size_t)(width - 1));
	return buf;
}

static void draw_title(const struct ms_view *v, struct tui_canvas *c)
{
	char buf[512];
	const struct tui_context *x = &v->ctx;
	// "mapsleuth" goes first when room is short: the crash matters more.
	int n = snprintf(buf, sizeof(buf), "%s%s  %s %s %s ",
			 c->cols >= TUI_WIDE_COLS ? " mapsleuth  " : " ", base_name(x->core),
			 base_name(x->exe), x->go_version ? x->go_version : "(not Go?)",
			 x->impl ? x->impl : "");
	if (x->signal && n < (int)sizeof(buf)) {
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " %s", x->signal);
		if (x->have_fault_addr && n < (int)sizeof(buf))
			n += snprintf(buf + n, sizeof(buf) - (size_t)n, " 0x%" PRIx64, x->fault_addr);
	} else if (n < (int)sizeof(buf)) {
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " no crash");
	}
	size_t cm = v->scan->crash_map;
	if (cm != SIZE_MAX && cm < v->scan->n_maps && n < (int)sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, " -> #%u %s", v->scan->maps[cm].id,
			 v->info[cm].name);
	fill(c, 0, 0, c->cols, TUI_S_TITLE, 0);
	tui_canvas_put(c, 0, 0, c->cols, TUI_S_TITLE, buf);
}

static void box_title(struct tui_canvas *c, int y, int x, int w, enum tui_style style,
		      const char *s)
{
	if (w > 4)
		tui_canvas_put(c, y, x + 2, w - 4, style, s);
}

static void draw_list(const struct ms_view *v, struct tui_canvas *c)
{
	const struct tui_layout *l = &v->layout;
	box(c, l->list_y, l->list_x, l->list_h, l->list_w);
	char title[128];
	size_t suspects = 0;
	for (size_t i = 0; i < v->scan->n_maps; i++)
		suspects += v->scan->maps[i].check.verdict != MS_VERDICT_OK;
	int n;
	if (v->show_all)
		n = snprintf(title, sizeof(title), " maps: all %zu (%zu suspect%s)", v->scan->n_maps,
			     suspects, suspects == 1 ? "" : "s");
	else
		n = snprintf(title, sizeof(title), " maps: %zu suspect%s of %zu", suspects,
			     suspects == 1 ? "" : "s", v->scan->n_maps);
	snprintf(title + n, sizeof(title) - (size_t)n, "%s%s ",
		 v->sort != TUI_SORT_VERDICT ? ", by " : "",
		 v->sort != TUI_SORT_VERDICT ? ms_view_sort_name(v->sort) : "");
	box_title(c, l->list_y, l->list_x, l->list_w,
		  v->focus == TUI_FOCUS_LIST ? TUI_S_BOX_TITLE : TUI_S_BORDER, title);

	int rows = ms_view_list_rows(v);
	int x0 = l->list_x + 1, w = l->list_w - 2;
	if (!v->n_order) {
		char msg[128];
		if (v->scan->n_maps)
			snprintf(msg, sizeof(msg), " no suspect map; a lists all %zu", v->scan->n_maps);
		else
			snprintf(msg, sizeof(msg), " the scan found no map");
		tui_canvas_put(c, l->list_y + 1, x0, w, TUI_S_DIM, msg);
		return;
	}
	// Columns by width: name, then module, type and size as room allows.
	int rest = w - 1 - 16;
	int name_w = rest, type_w = 0, mod_w = 0, size_w = 0;
	if (rest >= 66) {
		type_w = 20, mod_w = 12, size_w = 7;
		name_w = rest - type_w - mod_w - size_w - 3;
	} else if (rest >= 40) {
		type_w = 18, mod_w = 10;
		name_w = rest - type_w - mod_w - 2;
	} else if (rest >= 30) {
		mod_w = 10;
		name_w = rest - mod_w - 1;
	}
	for (int r = 0; r < rows && v->top + (size_t)r < v->n_order; r++) {
		size_t k = v->top + (size_t)r;
		size_t idx = v->order[k];
		const struct ms_scan_map *m = &v->scan->maps[idx];
		const struct tui_map_info *info = &v->info[idx];
		int y = l->list_y + 1 + r;
		bool cur = k == v->cursor;
		char buf[512], cell[300];
		int x = x0;
		if (cur)
			tui_canvas_put(c, y, x, 1, v->focus == TUI_FOCUS_LIST ? TUI_S_NORMAL : TUI_S_HEADING, ">");
		x++;
		snprintf(buf, sizeof(buf), "%3u%c", m->id,
			 v->scan->crash_map == idx ? '!' : ' ');
		x += tui_canvas_put(c, y, x, w - (x - x0), v->scan->crash_map == idx ? TUI_S_CRASH : TUI_S_NORMAL, buf);
		snprintf(buf, sizeof(buf), "%-10s ", ms_verdict_str(m->check.verdict));
		x += tui_canvas_put(c, y, x, w - (x - x0), ms_view_verdict_style(m->check.verdict), buf);
		int len = snprintf(buf, sizeof(buf), "%-*s", name_w, fit_left(cell, sizeof(cell), info->name, name_w));
		if (type_w)
			len += snprintf(buf + len, sizeof(buf) - (size_t)len, " %-*s", type_w,
					fit(cell, sizeof(cell), info->type, type_w));
		if (mod_w)
			len += snprintf(buf + len, sizeof(buf) - (size_t)len, " %-*s", mod_w,
					fit(cell, sizeof(cell), info->module, mod_w));
		if (size_w && m->check.header_read)
			snprintf(buf + len, sizeof(buf) - (size_t)len, " %*" PRIu64, size_w, m->check.hdr.count);
		tui_canvas_put(c, y, x, w - (x - x0), TUI_S_NORMAL, buf);
		if (cur && v->focus == TUI_FOCUS_LIST)
			fill(c, y, x0, w, TUI_S_NORMAL, TUI_CELL_SELECT);
		// keep the verdict colour under the selection
	}
	if (v->n_order > (size_t)rows) {
		char pos[48];
		snprintf(pos, sizeof(pos), " %zu/%zu ", v->cursor + 1, v->n_order);
		int len = (int)strlen(pos);
		tui_canvas_put(c, l->list_y + l->list_h - 1, l->list_x + l->list_w - 2 - len, len,
			       TUI_S_BORDER, pos);
	}
}

static void draw_detail(const struct ms_view *v, struct tui_canvas *c)
{
	const struct tui_layout *l = &v->layout;
	box(c, l->detail_y, l->detail_x, l->detail_h, l->detail_w);
	bool focused = v->focus == TUI_FOCUS_DETAIL;
	int x = l->detail_x + 2, xmax = l->detail_x + l->detail_w - 2;
	size_t sel = ms_view_selected(v);
	char buf[64];
	if (sel != SIZE_MAX && v->pane != TUI_PANE_CODE) {
		snprintf(buf, sizeof(buf), " #%u ", v->scan->maps[sel].id);
		x += tui_canvas_put(c, l->detail_y, x, xmax - x, focused ? TUI_S_BOX_TITLE : TUI_S_BORDER, buf);
	} else {
		x += tui_canvas_put(c, l->detail_y, x, xmax - x, TUI_S_BORDER, " ");
	}
	for (int p = 0; p < TUI_PANE_COUNT; p++) {
		bool cur = p == (int)v->pane;
		snprintf(buf, sizeof(buf), cur ? "[%s]" : "%s", ms_view_pane_name((enum tui_pane)p));
		int start = x;
		x += tui_canvas_put(c, l->detail_y, x, xmax - x, cur ? TUI_S_BOX_TITLE : TUI_S_BORDER, buf);
		if (cur)
			fill(c, l->detail_y, start, x - start, TUI_S_BOX_TITLE, focused ? TUI_CELL_SELECT : 0);
		x += tui_canvas_put(c, l->detail_y, x, xmax - x, TUI_S_BORDER, " ");
	}

	int rows = ms_view_pane_rows(v);
	int x0 = l->detail_x + 1, w = l->detail_w - 2;
	for (int r = 0; r < rows && v->pane_top + (size_t)r < v->lines.n; r++) {
		size_t k = v->pane_top + (size_t)r;
		const struct tui_line *line = &v->lines.v[k];
		int y = l->detail_y + 1 + r;
		bool cur = focused && k == v->pane_cursor;
		if (cur)
			tui_canvas_put(c, y, x0, 1, TUI_S_NORMAL, ">");
		tui_canvas_put(c, y, x0 + 1, w - 1, line->style, line->text);
		if (cur)
			fill(c, y, x0, w, line->style, TUI_CELL_SELECT);
	}
	if (v->lines.n > (size_t)rows) {
		char pos[48];
		snprintf(pos, sizeof(pos), " %zu-%zu/%zu ", v->pane_top + 1,
			 v->pane_top + (size_t)rows < v->lines.n ? v->pane_top + (size_t)rows : v->lines.n,
			 v->lines.n);
		int len = (int)strlen(pos);
		tui_canvas_put(c, l->detail_y + l->detail_h - 1, l->detail_x + l->detail_w - 2 - len, len,
			       TUI_S_BORDER, pos);
	}
}

static void draw_status(const struct ms_view *v, struct tui_canvas *c)
{
	const struct tui_layout *l = &v->layout;
	char buf[400];
	enum tui_style style = TUI_S_STATUS;
	if (v->prompt) {
		snprintf(buf, sizeof(buf), " /%s_", v->input);
	} else if (v->status[0]) {
		snprintf(buf, sizeof(buf), " %s", v->status);
		if (v->status_error)
			style = TUI_S_ERROR;
	} else {
		size_t suspects = 0;
		for (size_t i = 0; i < v->scan->n_maps; i++)
			suspects += v->scan->maps[i].check.verdict != MS_VERDICT_OK;
		snprintf(buf, sizeof(buf), " %zu suspect%s in %zu maps; showing %s, by %s",
			 suspects, suspects == 1 ? "" : "s", v->scan->n_maps,
			 v->show_all ? "all" : "suspects", ms_view_sort_name(v->sort));
		style = TUI_S_DIM;
	}
	tui_canvas_put(c, l->status_y, 0, c->cols, style, buf);
}

static void draw_keys(const struct ms_view *v, struct tui_canvas *c)
{
	char buf[512];
	size_t size = (size_t)c->cols + 1 < sizeof(buf) ? (size_t)c->cols + 1 : sizeof(buf);
	if (v->prompt)
		snprintf(buf, size, "type a name, type or 0xaddress  Enter search  Esc cancel");
	else
		tui_keys_footer(buf, size);
	fill(c, v->layout.keys_y, 0, c->cols, TUI_S_KEYS, 0);
	tui_canvas_put(c, v->layout.keys_y, 0, c->cols, TUI_S_KEYS, buf);
}

static void draw_help(const struct ms_view *v, struct tui_canvas *c)
{
	char line[160];
	size_t n = tui_keys_help_count();
	int w = c->cols - 4 < 76 ? c->cols - 4 : 76;
	// The same number of rows the model scrolls by: the screen less 8.
	int rows = c->rows - 8 > 1 ? c->rows - 8 : 1;
	if ((size_t)rows > n)
		rows = (int)n;
	int h = rows + 3;
	if (w < 10 || h > c->rows)
		return;
	int y = (c->rows - h) / 2, x = (c->cols - w) / 2;
	clear_rect(c, y, x, h, w);
	box(c, y, x, h, w);
	box_title(c, y, x, w, TUI_S_BOX_TITLE, " keys ");
	size_t top = v->help_top;
	for (int i = 0; i < rows && tui_keys_help_line(top + (size_t)i, line, sizeof(line)); i++)
		tui_canvas_put(c, y + 1 + i, x + 2, w - 4,
			       line[0] == ' ' ? TUI_S_NORMAL : TUI_S_HEADING, line);
	char foot[96];
	if (n > (size_t)rows)
		snprintf(foot, sizeof(foot), "lines %zu-%zu of %zu; j/k scroll, any other key closes",
			 top + 1, top + (size_t)rows, n);
	else
		snprintf(foot, sizeof(foot), "any key closes this list");
	tui_canvas_put(c, y + h - 2, x + 2, w - 4, TUI_S_DIM, foot);
}

void tui_render(const struct ms_view *v, struct tui_canvas *c)
{
	tui_canvas_reset(c, v->rows, v->cols);
	if (v->layout.too_small) {
		char buf[128];
		snprintf(buf, sizeof(buf), "terminal too small (%dx%d): mapsleuth tui needs %dx%d; q quits",
			 v->cols, v->rows, TUI_MIN_COLS, TUI_MIN_ROWS);
		for (int y = 0, off = 0; y < c->rows && off < (int)strlen(buf); y++)
			off += tui_canvas_put(c, y, 0, c->cols, TUI_S_ERROR, buf + off);
		return;
	}
	draw_title(v, c);
	draw_list(v, c);
	draw_detail(v, c);
	draw_status(v, c);
	draw_keys(v, c);
	if (v->help)
		draw_help(v, c);
}
