/* Drawing the browser's model into a text canvas (cells of a character and a style); no curses here. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "escape.h"
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

size_t tui_utf8_decode(const char *s, uint32_t *cp_ret)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!p[0]) {
		*cp_ret = 0;
		return 0;
	}
	if (p[0] < 0x80) {
		*cp_ret = p[0];
		return 1;
	}
	size_t n = p[0] >= 0xf0 && p[0] < 0xf5 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 && p[0] < 0xe0 ? 2 : 0;
	if (p[0] >= 0xf5)
		n = 0;
	uint32_t cp = n == 4 ? p[0] & 0x07u : n == 3 ? p[0] & 0x0fu : p[0] & 0x1fu;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			n = 0;
			break;
		}
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if (!n || (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp < 0xe000)) {
		*cp_ret = 0xfffd;
		return 1;
	}
	*cp_ret = cp;
	return n;
}

static bool ascii_only;

void tui_set_ascii(bool on)
{
	ascii_only = on;
}

bool tui_ascii(void)
{
	return ascii_only;
}

/*
 * Outside a UTF-8 locale, what a character other than ASCII is drawn as:
 * an ASCII stand-in for the glyphs the tool writes itself ("..." for the
 * cut of a long value, arrows, box lines), else its escape ("\u00e9"), as
 * the escapes of controls read. Returns its length, the text in @p buf.
 */
static int ascii_form(uint32_t cp, char *buf, size_t size)
{
	const char *s;
	switch (cp) {
	case 0x2026: s = "..."; break;		// HORIZONTAL ELLIPSIS
	case 0x2190: s = "<-"; break;		// LEFTWARDS ARROW
	case 0x2192: s = "->"; break;		// RIGHTWARDS ARROW
	case 0x2191: s = "^"; break;		// UPWARDS ARROW
	case 0x2193: s = "v"; break;		// DOWNWARDS ARROW
	case 0x25b6: case 0x25b8: s = ">"; break;	// right-pointing triangles
	case 0x2500: case 0x2501: s = "-"; break;	// box drawing: horizontal
	case 0x2502: case 0x2503: s = "|"; break;	// box drawing: vertical
	case 0x250c: case 0x2510: case 0x2514: case 0x2518:
	case 0x251c: case 0x2524: case 0x252c: case 0x2534: case 0x253c:
		s = "+"; break;			// box drawing: corners and tees
	default:
		return snprintf(buf, size, cp > 0xffff ? "\\U%08" PRIx32 : "\\u%04" PRIx32, cp);
	}
	return snprintf(buf, size, "%s", s);
}

int tui_char_width(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return 1;	// drawn as '?'
	if (cp < 0x7f)
		return 1;
	if (ascii_only) {
		char form[16];
		return ascii_form(cp, form, sizeof(form));
	}
	int w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	// Outside a UTF-8 locale: the East Asian wide ranges, else one column.
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff }, { 0x3400, 0x4dbf },
		{ 0x4e00, 0x9fff }, { 0xa000, 0xa4cf }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff },
		{ 0xfe30, 0xfe4f }, { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
		{ 0x1f900, 0x1f9ff }, { 0x20000, 0x3fffd },
	};
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (cp >= wide[i][0] && cp <= wide[i][1])
			return 2;
	if ((cp >= 0x300 && cp < 0x370) || cp == 0x200b)
		return 0;
	return 1;
}

int tui_text_width(const char *s)
{
	int w = 0;
	uint32_t cp;
	for (size_t n; s && (n = tui_utf8_decode(s, &cp)); s += n)
		w += tui_char_width(cp);
	return w;
}

int tui_canvas_put(struct tui_canvas *c, int y, int x, int width,
		   enum tui_style style, const char *s)
{
	// Controls from the core are shown as escapes (\x1b, \u202e), the
	// way the CLI shows them, rather than as a bare '?'.
	if (s && !ms_escape_term_clean(s, strlen(s))) {
		char *e = ms_escape_term_dup(s);
		int r = e ? tui_canvas_put(c, y, x, width, style, e) : 0;
		free(e);
		return r;
	}
	int col = 0;
	uint32_t cp;
	for (size_t n; s && col < width && (n = tui_utf8_decode(s, &cp)); s += n) {
		int cw = tui_char_width(cp);
		if (cp < 0x20 || cp == 0x7f)
			cp = '?';
		if (!cw)
			continue;
		if (col + cw > width)
			break;
		if (ascii_only && cp >= 0x80) {
			// Its ASCII form, whole or not at all.
			char form[16];
			ascii_form(cp, form, sizeof(form));
			if (!tui_canvas_at(c, y, x + col + cw - 1))
				break;
			for (int i = 0; i < cw; i++) {
				struct tui_cell *cell = tui_canvas_at(c, y, x + col + i);
				cell->ch = (unsigned char)form[i];
				cell->style = (unsigned char)style;
				cell->flags &= (unsigned char)~(TUI_CELL_LINE | TUI_CELL_WIDE);
			}
			col += cw;
			continue;
		}
		struct tui_cell *cell = tui_canvas_at(c, y, x + col);
		if (!cell || (cw == 2 && !tui_canvas_at(c, y, x + col + 1)))
			break;
		cell->ch = cp;
		cell->style = (unsigned char)style;
		cell->flags &= (unsigned char)~(TUI_CELL_LINE | TUI_CELL_WIDE);
		if (cw == 2) {
			struct tui_cell *right = tui_canvas_at(c, y, x + col + 1);
			right->ch = ' ';
			right->style = (unsigned char)style;
			right->flags = (unsigned char)((right->flags & ~TUI_CELL_LINE) | TUI_CELL_WIDE);
		}
		col += cw;
	}
	return col;
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
	char *row = malloc((size_t)c->cols * 4 + 1);
	if (!row)
		return;
	for (int y = 0; y < c->rows; y++) {
		int n = 0;
		for (int x = 0; x < c->cols; x++) {
			const struct tui_cell *cell = &c->cells[(size_t)y * (size_t)c->cols + (size_t)x];
			uint32_t ch = cell->ch;
			if (cell->flags & TUI_CELL_WIDE)
				continue;
			if (cell->flags & TUI_CELL_LINE)
				ch = ch == TUI_LINE_H ? '-' : ch == TUI_LINE_V ? '|' : '+';
			// UTF-8 out, whatever the locale: goldens are bytes.
			if (ch < 0x80) {
				row[n++] = (char)ch;
			} else if (ch < 0x800) {
				row[n++] = (char)(0xc0 | ch >> 6);
				row[n++] = (char)(0x80 | (ch & 0x3f));
			} else if (ch < 0x10000) {
				row[n++] = (char)(0xe0 | ch >> 12);
				row[n++] = (char)(0x80 | (ch >> 6 & 0x3f));
				row[n++] = (char)(0x80 | (ch & 0x3f));
			} else {
				row[n++] = (char)(0xf0 | ch >> 18);
				row[n++] = (char)(0x80 | (ch >> 12 & 0x3f));
				row[n++] = (char)(0x80 | (ch >> 6 & 0x3f));
				row[n++] = (char)(0x80 | (ch & 0x3f));
			}
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

const char *tui_cut_mark(void)
{
	return ascii_only ? "~" : "\u2026";
}

const char *tui_fit(char *buf, size_t size, const char *s, int width, bool left)
{
	const char *mark = tui_cut_mark();
	size_t mlen = strlen(mark);
	if (width < 1 || size < 8) {
		buf[0] = '\0';
		return buf;
	}
	if (tui_text_width(s) <= width) {
		snprintf(buf, size, "%s", s);
		return buf;
	}
	uint32_t cp;
	size_t n, out = 0;
	int col = 0;
	if (!left) {
		// The head, whole characters in width - 1 columns, then the mark.
		for (; (n = tui_utf8_decode(s, &cp)); s += n) {
			int cw = tui_char_width(cp);
			if (col + cw > width - 1 || out + n + mlen + 1 > size)
				break;
			memcpy(buf + out, s, n);
			out += n;
			col += cw;
		}
		memcpy(buf + out, mark, mlen + 1);
		return buf;
	}
	// The tail: skip characters until the rest fits in width - 1 columns.
	int total = tui_text_width(s);
	for (; total > width - 1 && (n = tui_utf8_decode(s, &cp)); s += n)
		total -= tui_char_width(cp);
	snprintf(buf, size, "%s%s", mark, s);
	return buf;
}

static const char *fit(char *buf, size_t size, const char *s, int width)
{
	return tui_fit(buf, size, s, width, false);
}

// A line longer than @p cols is cut between words, the cut marked.
static void fit_words(char *buf, size_t size, int cols)
{
	if (tui_text_width(buf) <= cols || cols < 8)
		return;
	char cut[512];
	tui_fit(cut, sizeof(cut), buf, cols, false);
	size_t len = strlen(cut);
	char *space = strrchr(cut, ' ');
	if (space && space > cut + len / 2)
		strcpy(space, tui_cut_mark());
	snprintf(buf, size, "%s", cut);
}

/*
 * A line of a pane in @p width columns: whole when it fits, else cut
 * between characters (never inside one, nor inside the escape of a
 * control) and marked where it was cut.
 */
static int put_line(struct tui_canvas *c, int y, int x, int width, enum tui_style style,
		    const char *s)
{
	char *esc = NULL;
	if (s && !ms_escape_term_clean(s, strlen(s)))
		s = esc = ms_escape_term_dup(s);
	if (!s)
		return 0;
	int r;
	if (tui_text_width(s) > width) {
		char buf[1024];
		r = tui_canvas_put(c, y, x, width, style, tui_fit(buf, sizeof(buf), s, width, false));
	} else {
		r = tui_canvas_put(c, y, x, width, style, s);
	}
	free(esc);
	return r;
}

// A map's name in @p width columns: whole if it fits, else without the
// import path ("example.com/x/geo.Cache" is "geo.Cache"), else its end.
static const char *fit_name(char *buf, size_t size, const char *s, int width)
{
	if (tui_text_width(s) > width && strncmp(s, "(heap) ", 7) == 0)
		s += 7;	// the module column says "(heap)"
	if (tui_text_width(s) > width) {
		size_t head = strcspn(s, "[({\"");
		const char *slash = memrchr(s, '/', head);
		if (slash)
			s = slash + 1;
	}
	return tui_fit(buf, size, s, width, true);
}

// "%-*s" in columns: @p s and the blanks that make it @p width columns.
static int pad_cols(char *buf, size_t size, const char *s, int width)
{
	int n = snprintf(buf, size, "%s", s);
	for (int w = tui_text_width(s); w < width && n > 0 && (size_t)n + 1 < size; w++)
		buf[n++] = ' ', buf[n] = '\0';
	return n;
}

// The title for one way of naming a C host's Go library: @p long_rt
// "cshared (runtime in libgomaps.so)", else "cshared+libgomaps.so".
static void title_text(const struct ms_view *v, int cols, bool long_rt, char *buf, size_t size)
{
	const struct tui_context *x = &v->ctx;
	char rt[160] = "";
	if (x->runtime_module)
		snprintf(rt, sizeof(rt), long_rt ? " (runtime in %s%s)" : "+%s%s",
			 base_name(x->runtime_module),
			 !x->runtime_missing ? "" : long_rt ? ", missing" : "?");
	// "mapsleuth" goes first when room is short: the crash matters more.
	const char *ver = x->go_version ? x->go_version : x->runtime_module ? NULL : "(not Go?)";
	int n = snprintf(buf, size, "%s%s  %s%s%s%s%s%s ",
			 cols >= TUI_WIDE_COLS ? " mapsleuth  " : " ", base_name(x->core),
			 base_name(x->exe), rt, ver ? " " : "", ver ? ver : "",
			 x->impl && *x->impl ? " " : "", x->impl ? x->impl : "");
	if (x->signal && n < (int)size) {
		n += snprintf(buf + n, size - (size_t)n, " %s", x->signal);
		if (x->have_fault_addr && n < (int)size)
			n += snprintf(buf + n, size - (size_t)n, " 0x%" PRIx64, x->fault_addr);
	} else if (n < (int)size) {
		n += snprintf(buf + n, size - (size_t)n, " %s",
			      x->gcore ? "gcore dump (no signal)" : "no crash");
	}
	size_t cm = v->scan->crash_map;
	if (cm != SIZE_MAX && cm < v->scan->n_maps && n < (int)size) {
		// The map's name without its import path when the whole does not fit.
		const char *name = v->info[cm].name;
		if (n + 6 + tui_text_width(name) > cols) {
			const char *slash = memrchr(name, '/', strcspn(name, "[({\""));
			if (slash)
				name = slash + 1;
		}
		snprintf(buf + n, size - (size_t)n, " -> #%u %s", v->scan->maps[cm].id, name);
	}
}

static void draw_title(const struct ms_view *v, struct tui_canvas *c)
{
	char buf[512];
	// A C host's Go library named in full when all of the title fits.
	title_text(v, c->cols, true, buf, sizeof(buf));
	if (v->ctx.runtime_module && tui_text_width(buf) > c->cols)
		title_text(v, c->cols, false, buf, sizeof(buf));
	fit_words(buf, sizeof(buf), c->cols);
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
	snprintf(title + n, sizeof(title) - (size_t)n, "%s%s%s ",
		 v->sort != TUI_SORT_VERDICT ? ", by " : "",
		 v->sort != TUI_SORT_VERDICT ? ms_view_sort_name(v->sort) : "",
		 v->scan->partial ? ", results partial" : "");
	box_title(c, l->list_y, l->list_x, l->list_w,
		  v->focus == TUI_FOCUS_LIST ? TUI_S_BOX_TITLE : TUI_S_BORDER, title);

	int rows = ms_view_list_rows(v);
	int x0 = l->list_x + 1, w = l->list_w - 2;
	if (!v->n_order) {
		char msg[128];
		if (v->scan->n_maps && v->scan->partial)
			snprintf(msg, sizeof(msg), " no suspect among the maps judged, but results are partial; a lists all %zu",
				 v->scan->n_maps);
		else if (v->scan->n_maps)
			snprintf(msg, sizeof(msg), " no suspect map; a lists all %zu", v->scan->n_maps);
		else if (v->scan->partial)
			snprintf(msg, sizeof(msg), " no map found, and results are partial: see mapsleuth scan");
		else
			snprintf(msg, sizeof(msg), " the scan found no map");
		tui_canvas_put(c, l->list_y + 1, x0, w, TUI_S_DIM, msg);
		return;
	}
	// Columns by width: the name, then module and type as wide as their
	// longest entry (within bounds), and the count when there is room.
	// The name keeps 16 columns at least.
	int rest = w - 1 - 16;
	int name_w = rest, type_w = 0, mod_w = 0, size_w = 0;
	int max_type = 0, max_mod = 0;
	for (size_t k = 0; k < v->n_order; k++) {
		const struct tui_map_info *info = &v->info[v->order[k]];
		int tw = tui_text_width(info->type), mw = tui_text_width(info->module);
		max_type = tw > max_type ? tw : max_type;
		max_mod = mw > max_mod ? mw : max_mod;
	}
	if (rest >= 30) {
		mod_w = max_mod < 6 ? 6 : max_mod > 12 ? 12 : max_mod;
		type_w = max_type > 20 ? 20 : max_type;
		if (type_w > rest - mod_w - 2 - 16)
			type_w = rest - mod_w - 2 - 16;
		if (type_w < 8)
			type_w = 0;
		size_w = rest - mod_w - type_w - 2 - 8 >= 32 ? 7 : 0;
		name_w = rest - mod_w - 1 - (type_w ? type_w + 1 : 0) - (size_w ? size_w + 1 : 0);
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
		int len = pad_cols(buf, sizeof(buf), fit_name(cell, sizeof(cell), info->name, name_w), name_w);
		if (type_w) {
			buf[len++] = ' ';
			len += pad_cols(buf + len, sizeof(buf) - (size_t)len,
					fit(cell, sizeof(cell), info->type, type_w), type_w);
		}
		if (mod_w) {
			buf[len++] = ' ';
			len += pad_cols(buf + len, sizeof(buf) - (size_t)len,
					fit(cell, sizeof(cell), info->module, mod_w), mod_w);
		}
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
		put_line(c, y, x0 + 1, w - 1, line->style, line->text);
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
	fit_words(buf, sizeof(buf), c->cols);
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
		put_line(c, y + 1 + i, x + 2, w - 4,
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
