/* The state of the triage browser (selection, filter, sort, panes, history, status); changed only by ms_view_apply(), never drawn here. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "keys.h"
#include "model.h"
#include "render.h"

// src/ may die when memory runs out (STYLE 4); the terminal is restored by
// the atexit handler curses.c installs.
static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("mapsleuth: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xrealloc(NULL, n), s, n);
}

static char *xvasprintf(const char *fmt, va_list ap)
{
	char *s;
	if (vasprintf(&s, fmt, ap) < 0) {
		fputs("mapsleuth: out of memory\n", stderr);
		exit(2);
	}
	return s;
}

static const char *const pane_names[TUI_PANE_COUNT] = {
	"Header", "Roots", "Entries", "Memory", "Code",
};

const char *ms_view_pane_name(enum tui_pane pane)
{
	return (unsigned)pane < TUI_PANE_COUNT ? pane_names[pane] : "?";
}

const char *ms_view_sort_name(enum tui_sort sort)
{
	static const char *const names[TUI_SORT_COUNT] = { "verdict", "module", "size" };
	return (unsigned)sort < TUI_SORT_COUNT ? names[sort] : "?";
}

enum tui_style ms_view_verdict_style(enum ms_verdict v)
{
	if ((unsigned)v > MS_VERDICT_DANGLING)
		return TUI_S_ERROR;
	return (enum tui_style)(TUI_S_OK + (int)v);
}

/* ---- pane lines ---- */

static struct tui_line *lines_push(struct tui_lines *l, enum tui_style style, char *text)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	struct tui_line *line = &l->v[l->n++];
	memset(line, 0, sizeof(*line));
	line->text = text;
	line->style = style;
	return line;
}

struct tui_line *tui_lines_add(struct tui_lines *l, enum tui_style style,
			       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = xvasprintf(fmt, ap);
	va_end(ap);
	return lines_push(l, style, text);
}

static void set_target(struct tui_line *line, uint64_t target, const char *label)
{
	line->has_target = true;
	line->target = target;
	snprintf(line->label, sizeof(line->label), "%.*s", (int)sizeof(line->label) - 1,
		 label ? label : "");
}

void tui_lines_wrap(struct tui_lines *l, enum tui_style style, int indent,
		    bool has_target, uint64_t target, const char *label,
		    const char *text)
{
	int width = l->width > 20 ? l->width : 78;
	if (indent > width / 2)
		indent = width / 2;
	// Wrapped as drawn: controls from the core escaped (\x1b), and each
	// character in the columns the screen gives it (two for a wide one,
	// six for "\u00e9" when only ASCII is drawn).
	char *esc = ms_escape_term_clean(text, strlen(text)) ? NULL : ms_escape_term_dup(text);
	if (esc)
		text = esc;
	size_t len = strlen(text);
	size_t pos = 0;
	bool first = true;
	do {
		int room = first ? width : width - indent;
		size_t take = 0;
		int cols = 0;
		uint32_t cp;
		for (size_t n; pos + take < len; take += n) {
			n = tui_utf8_decode(text + pos + take, &cp);
			int cw = tui_char_width(cp);
			if (cols + cw > room)
				break;
			cols += cw;
		}
		if (pos + take < len) {
			// Break at the last space that fits, else mid-word (on a
			// character boundary: take ends one).
			for (size_t k = take; k > take / 4; k--) {
				if (text[pos + k] == ' ') {
					take = k;
					break;
				}
			}
			if (!take)	// one character wider than the room
				take = tui_utf8_decode(text + pos, &cp);
		}
		struct tui_line *line = tui_lines_add(l, style, "%*s%.*s",
						      first ? 0 : indent, "",
						      (int)take, text + pos);
		if (has_target)
			set_target(line, target, label);
		pos += take;
		while (pos < len && text[pos] == ' ')
			pos++;
		first = false;
	} while (pos < len);
	free(esc);
}

void tui_lines_clear(struct tui_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	l->n = 0;
}

static void lines_free(struct tui_lines *l)
{
	tui_lines_clear(l);
	free(l->v);
	l->v = NULL;
	l->cap = 0;
}

/* ---- layout ---- */

void ms_view_layout(int rows, int cols, size_t n_items, struct tui_layout *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->status_y = rows - 2;
	ret->keys_y = rows - 1;
	if (rows < TUI_MIN_ROWS || cols < TUI_MIN_COLS) {
		ret->too_small = true;
		return;
	}
	int body_h = rows - 3;
	if (cols >= TUI_WIDE_COLS) {
		ret->side_by_side = true;
		ret->list_y = ret->detail_y = 1;
		ret->list_h = ret->detail_h = body_h;
		// The list keeps its type and module columns from 120 columns
		// on: half the screen up to 160, two fifths above.
		ret->list_w = cols >= 120 && cols < 160 ? cols / 2 : cols * 2 / 5;
		ret->detail_x = ret->list_w;
		ret->detail_w = cols - ret->list_w;
	} else {
		ret->list_y = 1;
		ret->list_h = body_h * 2 / 5;
		if (n_items + 2 < (size_t)ret->list_h)
			ret->list_h = (int)n_items + 2;
		if (ret->list_h < 4)
			ret->list_h = 4;
		ret->list_w = ret->detail_w = cols;
		ret->detail_y = ret->list_y + ret->list_h;
		ret->detail_h = body_h - ret->list_h;
	}
}

int ms_view_list_rows(const struct ms_view *v)
{
	int n = v->layout.list_h - 2;
	return n > 0 ? n : 1;
}

int ms_view_pane_rows(const struct ms_view *v)
{
	int n = v->layout.detail_h - 2;
	return n > 0 ? n : 1;
}

// Text columns of a pane: the box minus its borders and the cursor column.
static int pane_width(const struct ms_view *v)
{
	int w = v->layout.detail_w - 3;
	return w > 20 ? w : 20;
}

/* ---- status ---- */

void ms_view_status(struct ms_view *v, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(v->status, sizeof(v->status), fmt, ap);
	va_end(ap);
	v->status_error = error;
	v->redraw |= TUI_REDRAW_STATUS;
}

static void ensure_pane_visible(struct ms_view *v);

/* ---- the list ---- */

size_t ms_view_selected(const struct ms_view *v)
{
	return v->cursor < v->n_order ? v->order[v->cursor] : SIZE_MAX;
}

static bool is_suspect(const struct ms_scan_map *m)
{
	return m->check.verdict != MS_VERDICT_OK;
}

static uint64_t map_size(const struct ms_scan_map *m)
{
	return m->check.header_read ? m->check.hdr.count : 0;
}

static int cmp_maps(const void *a, const void *b, void *arg)
{
	const struct ms_view *v = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const struct ms_scan_map *x = &v->scan->maps[i], *y = &v->scan->maps[j];
	int c = 0;
	switch (v->sort) {
	case TUI_SORT_MODULE:
		c = strcmp(v->info[i].module, v->info[j].module);
		break;
	case TUI_SORT_SIZE: {
		uint64_t sx = map_size(x), sy = map_size(y);
		c = sx > sy ? -1 : sx < sy ? 1 : 0;
		break;
	}
	default:
		break;
	}
	if (!c && x->check.verdict != y->check.verdict)
		c = x->check.verdict > y->check.verdict ? -1 : 1;
	if (!c)
		c = x->id < y->id ? -1 : x->id > y->id ? 1 : 0;
	if (!c)
		c = i < j ? -1 : i > j ? 1 : 0;
	return c;
}

static void ensure_list_visible(struct ms_view *v)
{
	size_t rows = (size_t)ms_view_list_rows(v);
	if (v->n_order == 0) {
		v->cursor = v->top = 0;
		return;
	}
	if (v->cursor >= v->n_order)
		v->cursor = v->n_order - 1;
	if (v->cursor < v->top)
		v->top = v->cursor;
	if (v->cursor >= v->top + rows)
		v->top = v->cursor - rows + 1;
	if (v->n_order > rows && v->top > v->n_order - rows)
		v->top = v->n_order - rows;
	if (v->n_order <= rows)
		v->top = 0;
}

// Recompute the visible maps after a filter or sort change, keeping the
// selected map selected when it is still shown.
static void rebuild_order(struct ms_view *v)
{
	size_t keep = ms_view_selected(v);
	v->n_order = 0;
	for (size_t i = 0; i < v->scan->n_maps; i++)
		if (v->show_all || is_suspect(&v->scan->maps[i]))
			v->order[v->n_order++] = i;
	qsort_r(v->order, v->n_order, sizeof(*v->order), cmp_maps, v);
	ms_view_layout(v->rows, v->cols, v->n_order, &v->layout);
	size_t pos = SIZE_MAX;
	for (size_t k = 0; k < v->n_order && keep != SIZE_MAX; k++)
		if (v->order[k] == keep)
			pos = k;
	if (pos != SIZE_MAX)
		v->cursor = pos;
	else if (v->cursor >= v->n_order)
		v->cursor = v->n_order ? v->n_order - 1 : 0;
	ensure_list_visible(v);
	ensure_pane_visible(v);
	v->redraw |= TUI_REDRAW_ALL;
}

/* ---- panes ---- */

static const struct ms_map_reason *reason_for(const struct ms_scan_map *m,
					      const char *field, uint64_t ptr)
{
	for (size_t i = 0; i < m->check.n_reasons; i++) {
		const struct ms_map_reason *r = &m->check.reasons[i];
		if (r->pointer && r->pointer == ptr)
			return r;
	}
	for (size_t i = 0; i < m->check.n_reasons; i++)
		if (strcmp(m->check.reasons[i].field, field) == 0)
			return &m->check.reasons[i];
	return NULL;
}

static bool describe(struct ms_view *v, uint64_t addr, bool brief, char *buf, size_t size)
{
	bool mapped = false;
	buf[0] = '\0';
	if (v->src.describe)
		mapped = v->src.describe(v->src.arg, addr, brief, buf, size);
	if (!buf[0])
		snprintf(buf, size, "%s", brief ? "?" : "nothing known about this address");
	return mapped;
}

static void pointer_field(struct ms_view *v, const struct ms_scan_map *m,
			  const char *field, uint64_t ptr)
{
	if (!ptr) {
		tui_lines_add(&v->lines, TUI_S_NORMAL, "%-12s nil", field);
		return;
	}
	const struct ms_map_reason *r = reason_for(m, field, ptr);
	char where[192];
	enum tui_style style = TUI_S_TARGET;
	if (r && r->pointer == ptr && r->verdict != MS_VERDICT_OK) {
		snprintf(where, sizeof(where), "%s  %s",
			 r->cls ? ms_ptr_class_str(r->cls) : "?", ms_verdict_str(r->verdict));
		style = ms_view_verdict_style(r->verdict);
	} else {
		describe(v, ptr, true, where, sizeof(where));
	}
	struct tui_line *line = tui_lines_add(&v->lines, style, "%-12s 0x%" PRIx64 "  %s",
					      field, ptr, where);
	set_target(line, ptr, field);
}

static void found_by(const struct ms_scan_map *m, char *out, size_t size)
{
	out[0] = '\0';
	for (unsigned b = MS_FOUND_GLOBAL; b <= MS_FOUND_GOROUTINE; b <<= 1) {
		if (!(m->found_by & b))
			continue;
		size_t n = strlen(out);
		snprintf(out + n, size - n, "%s%s", n ? ", " : "",
			 b == MS_FOUND_GLOBAL ? "global" : b == MS_FOUND_REACHABLE ? "reachable"
			 : b == MS_FOUND_HEAP ? "heap scan" : b == MS_FOUND_STACK ? "stack scan"
			 : "goroutine local");
	}
}

static void build_header(struct ms_view *v, const struct ms_scan_map *m, size_t idx)
{
	struct tui_lines *l = &v->lines;
	const struct tui_map_info *info = &v->info[idx];
	tui_lines_add(l, TUI_S_HEADING, "#%u %s  %s", m->id, info->name, info->type);
	tui_lines_add(l, ms_view_verdict_style(m->check.verdict), "%-12s %s%s", "verdict",
		      ms_verdict_str(m->check.verdict),
		      v->scan->crash_map == idx ? "  <- the crash" : "");
	// Why, before the fields: on a small screen the reasons at the
	// bottom are below the fold.
	if (m->check.n_reasons) {
		const struct ms_map_reason *r = &m->check.reasons[0];
		char buf[400];
		snprintf(buf, sizeof(buf), "%-12s %s%s", "why", r->detail,
			 m->check.n_reasons > 1 ? " (more below)" : "");
		tui_lines_wrap(l, ms_view_verdict_style(r->verdict), 13, r->pointer != 0, r->pointer,
			       r->field, buf);
	}
	if (v->scan->crash_map == idx && v->scan->crash_why[0]) {
		char buf[400];
		snprintf(buf, sizeof(buf), "%-12s %s", "crash", v->scan->crash_why);
		tui_lines_wrap(l, TUI_S_CRASH, 13, false, 0, NULL, buf);
	}
	char found[64];
	found_by(m, found, sizeof(found));
	struct tui_line *hl = tui_lines_add(l, TUI_S_TARGET, "%-12s 0x%" PRIx64 "  %s, found by %s",
					    "header", m->header,
					    m->impl == MS_MAP_SWISS ? "swiss" : m->impl == MS_MAP_CLASSIC ? "classic" : "unknown",
					    found[0] ? found : "?");
	set_target(hl, m->header, "header");

	const struct ms_map_header *h = &m->check.hdr;
	if (!m->check.header_read) {
		tui_lines_add(l, TUI_S_ERROR, "(the header bytes are not in the core)");
	} else if (m->impl == MS_MAP_CLASSIC) {
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %" PRIu64, "count", h->count);
		tui_lines_add(l, TUI_S_NORMAL, "%-12s 0x%x%s%s%s%s", "flags", h->flags,
			      h->flags & 1 ? " iterator" : "", h->flags & 2 ? " oldIterator" : "",
			      h->flags & 4 ? " hashWriting" : "", h->flags & 8 ? " sameSizeGrow" : "");
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %u (%" PRIu64 " buckets)", "B", h->B,
			      h->B < 64 ? (uint64_t)1 << h->B : 0);
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %u", "noverflow", h->noverflow);
		tui_lines_add(l, TUI_S_NORMAL, "%-12s 0x%08x", "hash0", h->hash0);
		pointer_field(v, m, "buckets", h->buckets);
		pointer_field(v, m, "oldbuckets", h->oldbuckets);
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %" PRIu64, "nevacuate", h->nevacuate);
		pointer_field(v, m, "extra", h->extra);
	} else {
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %" PRIu64, "used", h->count);
		tui_lines_add(l, TUI_S_NORMAL, "%-12s 0x%" PRIx64, "seed", h->seed);
		pointer_field(v, m, "dirPtr", h->dir_ptr);
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %" PRId64 "%s", "dirLen", (int64_t)h->dir_len,
			      h->dir_len == 0 && h->dir_ptr ? "  (small map: one group)" : "");
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %u", "globalDepth", h->global_depth);
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %u", "globalShift", h->global_shift);
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %u", "writing", h->writing);
	}
	if (m->check.header_read && !m->check.live_complete && !m->check.live)
		tui_lines_add(l, TUI_S_NORMAL, "%-12s unknown: %s", "live slots",
			      m->check.verdict == MS_VERDICT_FOREIGN
			      ? "its buckets or groups are not map memory (foreign)"
			      : m->check.verdict == MS_VERDICT_NOT_DUMPED
			      ? "its buckets or groups are not in the core"
			      : "no bucket or group could be read");
	else if (m->check.header_read)
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %s%" PRIu64 "%s", "live slots",
			      m->check.live_complete ? "" : "at least ", m->check.live,
			      m->check.live_complete ? "" : " (some buckets unreadable)");

	// The first reason is the "why" above; the others follow the fields.
	if (m->check.n_reasons != 1)
		tui_lines_add(l, TUI_S_HEADING, m->check.n_reasons ? "more reasons" : "reasons");
	if (!m->check.n_reasons)
		tui_lines_add(l, TUI_S_DIM, "none: every pointer leads where the runtime puts map memory");
	for (size_t i = 1; i < m->check.n_reasons; i++) {
		const struct ms_map_reason *r = &m->check.reasons[i];
		enum tui_style st = ms_view_verdict_style(r->verdict);
		struct tui_line *line;
		if (r->pointer)
			line = tui_lines_add(l, st, "%-10s %s 0x%" PRIx64 " (%s)", ms_verdict_str(r->verdict),
					     r->field, r->pointer, r->cls ? ms_ptr_class_str(r->cls) : "?");
		else
			line = tui_lines_add(l, st, "%-10s %s", ms_verdict_str(r->verdict), r->field);
		if (r->pointer)
			set_target(line, r->pointer, r->field);
		if (r->detail[0]) {
			char buf[300];
			snprintf(buf, sizeof(buf), "           %s", r->detail);
			tui_lines_wrap(l, TUI_S_NORMAL, 11, r->pointer != 0, r->pointer, r->field, buf);
		}
	}
	if (m->check.truncated)
		tui_lines_add(l, TUI_S_DIM, "truncated: a bound stopped the walk");
}

static const char *module_name(struct ms_view *v, size_t mod)
{
	const char *s = v->src.module_name ? v->src.module_name(v->src.arg, mod) : NULL;
	return s ? s : "?";
}

static const char *module_plugin(struct ms_view *v, size_t mod)
{
	return v->src.module_plugin ? v->src.module_plugin(v->src.arg, mod) : NULL;
}

// One variable holding the map: its path (Enter shows the slot), where it
// lives and, with provenance, its package and variable.
static void root_lines(struct ms_view *v, const struct ms_scan_root *r,
		       const struct ms_prov_root *pr, bool other_module, const char *frame_func)
{
	struct tui_lines *l = &v->lines;
	const char *plugin = module_plugin(v, r->module);
	char buf[640];
	snprintf(buf, sizeof(buf), "  %s", r->path ? r->path : "?");
	tui_lines_wrap(l, TUI_S_TARGET, 4, true, r->slot, "root", buf);
	snprintf(buf, sizeof(buf), "    slot 0x%" PRIx64 " in %s%s%s%s", r->slot,
		 module_name(v, r->module), plugin ? ", plugin " : "", plugin ? plugin : "",
		 other_module ? " (another module)" : "");
	tui_lines_wrap(l, TUI_S_DIM, 6, true, r->slot, "root", buf);
	if (!pr || !pr->package)
		return;
	if (pr->from_find) {
		// No variable: the path starts from what the scan found.
		int n = *pr->package
			? snprintf(buf, sizeof(buf), "    package %s (of %s, whose frame holds it), no variable",
				   pr->package, frame_func ? frame_func : "?")
			: snprintf(buf, sizeof(buf), "    no variable names it");
		if (pr->address && n > 0 && (size_t)n < sizeof(buf))
			snprintf(buf + n, sizeof(buf) - (size_t)n, "; the path starts at 0x%" PRIx64,
				 pr->address);
		tui_lines_wrap(l, TUI_S_DIM, 6, false, 0, NULL, buf);
		return;
	}
	int n = r->goid
		? snprintf(buf, sizeof(buf), "    goroutine %" PRIu64 ", function %s, %s %s", r->goid,
			   r->func ? r->func : "?", r->arg ? "argument" : "local",
			   pr->variable ? pr->variable : "?")
		: snprintf(buf, sizeof(buf), "    package %s, variable %s", pr->package,
			   pr->variable ? pr->variable : "?");
	if (pr->address && n > 0 && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, " at 0x%" PRIx64 " (%" PRIu64 " bytes)",
			 pr->address, pr->size);
	tui_lines_wrap(l, TUI_S_DIM, 6, false, 0, NULL, buf);
}

// The code that refers to the map's variables: the function, the
// instruction, and what its operand refers to as show comments it ("; 0x5ce208
// main.gVictim in .bss of crash"), each of which Enter follows to the Code
// pane.
static void xref_lines(struct ms_view *v, const struct ms_map_prov *mp)
{
	struct tui_lines *l = &v->lines;
	if (!mp->xrefs_done) {
		tui_lines_add(l, TUI_S_HEADING, "code references");
		tui_lines_add(l, TUI_S_DIM, "not looked for");
		return;
	}
	tui_lines_add(l, TUI_S_HEADING, "code references (%zu%s)", mp->n_xrefs,
		      mp->xrefs_truncated ? ", more not shown" : "");
	if (!mp->n_xrefs)
		tui_lines_wrap(l, TUI_S_DIM, 2, false, 0, NULL,
			       mp->n_roots ? "none: no code in the text swept refers to its variables"
			       : mp->n_holders ? "none: no code in the text swept refers to the words holding it"
			       : "none: no variable or module word holds it");
	for (size_t i = 0; i < mp->n_xrefs; i++) {
		const struct ms_prov_xref *x = &mp->xrefs[i];
		char buf[640];
		if (x->function)
			snprintf(buf, sizeof(buf), "  %s!%s+0x%" PRIx64, module_name(v, x->module),
				 x->function, x->offset);
		else
			snprintf(buf, sizeof(buf), "  %s!0x%" PRIx64, module_name(v, x->module), x->address);
		size_t first = l->n;
		tui_lines_wrap(l, TUI_S_TARGET, 4, true, x->address, "xref", buf);
		const char *var = x->root < mp->n_roots ? mp->roots[x->root].global : NULL;
		int n = snprintf(buf, sizeof(buf), "    %s", x->instruction);
		if (n > 0 && (size_t)n < sizeof(buf)) {
			if (x->through_got)
				snprintf(buf + n, sizeof(buf) - (size_t)n, "  (via the GOT slot 0x%" PRIx64 ")",
					 x->target);
			else if (var)
				snprintf(buf + n, sizeof(buf) - (size_t)n, "  [%s]", var);
			else
				snprintf(buf + n, sizeof(buf) - (size_t)n, "  (the holder word 0x%" PRIx64 ")",
					 x->holder);
		}
		tui_lines_wrap(l, TUI_S_NORMAL, 8, true, x->address, "xref", buf);
		if (v->src.operand) {
			char comment[400];
			v->src.operand(v->src.arg, x->target, comment, sizeof(comment));
			snprintf(buf, sizeof(buf), "      ; %s", comment);
			tui_lines_wrap(l, TUI_S_DIM, 8, true, x->address, "xref", buf);
		}
		for (size_t k = first; k < l->n; k++)
			l->v[k].code = true;
	}
}

static void build_roots(struct ms_view *v, const struct ms_scan_map *m, size_t idx)
{
	struct tui_lines *l = &v->lines;
	const struct tui_map_info *info = &v->info[idx];
	tui_lines_add(l, TUI_S_HEADING, "#%u %s  %s", m->id, info->name, info->type);
	char found[64];
	found_by(m, found, sizeof(found));
	tui_lines_add(l, TUI_S_NORMAL, "%-12s %s (confidence %d)", "found by",
		      found[0] ? found : "?", m->confidence);
	if (m->type && m->type_module != SIZE_MAX)
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %s (DWARF of %s)", "type", info->type,
			      module_name(v, m->type_module));
	else
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %s", "type", info->type);

	// Only now, for this map: the code references sweep every module's text.
	char err[256] = "";
	const struct ms_map_prov *mp = v->src.provenance
		? v->src.provenance(v->src.arg, idx, err, sizeof(err)) : NULL;
	if (mp && (mp->n_roots != m->n_roots || mp->map != m))
		mp = NULL;
	size_t primary = mp && mp->primary < m->n_roots ? mp->primary : 0;
	size_t decl_module = m->n_roots ? m->roots[primary].module : SIZE_MAX;
	if (m->n_roots) {
		const char *plugin = module_plugin(v, decl_module);
		char buf[512];
		snprintf(buf, sizeof(buf), "%-12s %s%s%s", "module", module_name(v, decl_module),
			 plugin ? "  plugin " : "", plugin ? plugin : "");
		tui_lines_wrap(l, TUI_S_NORMAL, 13, false, 0, NULL, buf);
	}
	if (mp && mp->runtime_type)
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %s (descriptor 0x%" PRIx64 ")", "type module",
			      mp->type_module != SIZE_MAX ? module_name(v, mp->type_module) : "none",
			      mp->runtime_type);
	else if (mp)
		tui_lines_add(l, TUI_S_NORMAL, "%-12s %s", "type module", "unknown (no typed root)");
	if (err[0])
		tui_lines_wrap(l, TUI_S_ERROR, 2, false, 0, NULL, err);

	tui_lines_add(l, TUI_S_HEADING, "%s", mp && m->n_roots ? "declared by" : "roots");
	if (!m->n_roots)
		tui_lines_add(l, TUI_S_DIM, "none: %s", m->found_by & MS_FOUND_HEAP
			      ? "found by the heap scan; no variable leads to it"
			      : m->found_by & MS_FOUND_STACK
			      ? "found by the stack scan; no variable leads to it"
			      : "no variable leads to it");
	if (!m->n_roots && m->frame_func) {
		char buf[512];
		snprintf(buf, sizeof(buf), "%s the frame of %s (goroutine %" PRIu64 ", line %d); the local's name is not recoverable",
			 m->frame_points ? "a live pointer in" : "in", m->frame_func, m->goid,
			 (int)m->frame_line);
		tui_lines_wrap(l, TUI_S_DIM, 2, false, 0, NULL, buf);
	}
	for (size_t k = 0; k < m->n_roots; k++) {
		// The declaration first, then the other variables holding it.
		size_t i = k == 0 ? primary : k <= primary ? k - 1 : k;
		if (k == 1)
			tui_lines_add(l, TUI_S_HEADING, "aliases (other variables holding the same map)");
		root_lines(v, &m->roots[i], mp ? &mp->roots[i] : NULL,
			   k > 0 && m->roots[i].module != decl_module,
			   m->frame_points ? m->frame_func : NULL);
	}
	for (size_t i = 0; mp && i < mp->n_holders; i++) {
		char where[128];
		describe(v, mp->holders[i], true, where, sizeof(where));
		struct tui_line *line = tui_lines_add(l, TUI_S_TARGET, "  held by the word at 0x%" PRIx64 " (%s)",
						      mp->holders[i], where);
		set_target(line, mp->holders[i], "holder");
	}
	if (mp)
		xref_lines(v, mp);
}

struct entry_collect {
	struct ms_view *v;
	size_t n;
};

static int collect_entry(void *arg, const char *key, const char *value)
{
	struct entry_collect *ec = arg;
	char *buf;
	if (asprintf(&buf, "%s: %s", key ? key : "?", value ? value : "?") < 0)
		return 1;
	tui_lines_wrap(&ec->v->lines, TUI_S_NORMAL, 4, false, 0, NULL, buf);
	free(buf);
	ec->n++;
	return 0;
}

static void mem_dump(struct ms_view *v, const struct ms_scan_map *m, uint64_t addr, size_t len);

/*
 * A map whose storage pointer leads to readable memory that is not map
 * memory (a module's data, another mapping): what is there, marked as
 * such, rather than entries decoded from it.
 * @return whether something was shown.
 */
static bool foreign_memory(struct ms_view *v, const struct ms_scan_map *m)
{
	for (size_t i = 0; i < m->check.n_reasons; i++) {
		const struct ms_map_reason *r = &m->check.reasons[i];
		uint8_t probe[8];
		if (r->verdict != MS_VERDICT_FOREIGN || !r->pointer || !v->src.read)
			continue;
		struct ms_error *err = v->src.read(v->src.arg, r->pointer, probe, sizeof(probe));
		if (err) {
			ms_error_destroy(err);
			continue;
		}
		char where[200], buf[400];
		describe(v, r->pointer, false, where, sizeof(where));
		snprintf(buf, sizeof(buf), "no entries: %s 0x%" PRIx64 " leads to %s, which is not "
			 "map memory; what is there:", r->field, r->pointer, where);
		tui_lines_wrap(&v->lines, TUI_S_FOREIGN, 2, false, 0, NULL, buf);
		mem_dump(v, NULL, r->pointer, 64);
		return true;
	}
	return false;
}

static void build_entries(struct ms_view *v, const struct ms_scan_map *m, size_t idx)
{
	struct tui_lines *l = &v->lines;
	const struct tui_map_info *info = &v->info[idx];
	tui_lines_add(l, TUI_S_HEADING, "#%u %s  %s", m->id, info->name, info->type);
	if (m->check.live_complete)
		tui_lines_add(l, TUI_S_DIM, "%" PRIu64 " live entries", m->check.live);
	else if (!m->check.live)
		tui_lines_add(l, TUI_S_DIM, "no bucket or group could be read; %" PRIu64
			      " entries in the header", map_size(m));
	else
		tui_lines_add(l, TUI_S_DIM, "at least %" PRIu64 " live entries, %" PRIu64 " in the header",
			      m->check.live, map_size(m));
	if (!v->src.entries) {
		tui_lines_add(l, TUI_S_DIM, "entries cannot be decoded here");
		return;
	}
	struct entry_collect ec = { v, 0 };
	struct ms_error *err = v->src.entries(v->src.arg, m, TUI_ENTRY_LIMIT, collect_entry, &ec);
	if (err) {
		if (err->code == MS_ERR_NOT_FOUND)
			tui_lines_add(l, TUI_S_DIM, "cannot decode entries: the key and value types are unknown");
		else
			tui_lines_wrap(l, TUI_S_ERROR, 2, false, 0, NULL, err->message);
		ms_error_destroy(err);
	}
	if (!ec.n && !err && !foreign_memory(v, m))
		tui_lines_add(l, TUI_S_DIM, "no entry could be read");
	else if (ec.n >= TUI_ENTRY_LIMIT)
		tui_lines_add(l, TUI_S_DIM, "... only the first %d are shown", TUI_ENTRY_LIMIT);
}

static bool plausible_pointer(uint64_t w)
{
	return w >= 0x10000 && w < ((uint64_t)1 << 47);
}

// What a word of the header is, by its offset (runtime.hmap of Go 1.19 to
// 1.25, internal/runtime/maps.Map of 1.24 on: the offsets below hold for
// all of them; hmap grew clearSeq at 40 in 1.24/1.25 noswissmap, which
// moves extra to 48, told apart by the header's size).
static const char *header_word_name(const struct ms_scan_map *m, size_t hsize, size_t off,
				    uint64_t w, bool *pointer)
{
	*pointer = false;
	if (m->impl == MS_MAP_CLASSIC) {
		static const char *const classic[] = {
			"count", "flags B noverflow hash0", "buckets", "oldbuckets",
			"nevacuate", "extra", "extra",
		};
		if (off / 8 >= sizeof(classic) / sizeof(classic[0]))
			return NULL;
		const char *name = off == 40 && hsize > 48 ? "clearSeq" : classic[off / 8];
		*pointer = w && (off == 16 || off == 24 || !strcmp(name, "extra"));
		return name;
	}
	if (m->impl == MS_MAP_SWISS) {
		static const char *const swiss[] = {
			"used", "seed", "dirPtr", "dirLen",
			"globalDepth globalShift writing", "clearSeq",
		};
		if (off / 8 >= sizeof(swiss) / sizeof(swiss[0]))
			return NULL;
		*pointer = w && off == 16;
		return swiss[off / 8];
	}
	return NULL;
}

static void mem_row(struct ms_view *v, const struct ms_scan_map *m, size_t off,
		    const uint8_t *bytes, bool readable)
{
	if (!readable) {
		tui_lines_add(&v->lines, TUI_S_DIM,
			      "+%03zx  ????????????????            not in core", off);
		return;
	}
	uint64_t w = 0;
	char ascii[9];
	for (int i = 0; i < 8; i++) {
		w |= (uint64_t)bytes[i] << (8 * i);
		ascii[i] = isprint(bytes[i]) ? (char)bytes[i] : '.';
	}
	ascii[8] = '\0';
	bool field_ptr = false;
	const char *name = m ? header_word_name(m, v->ctx.header_size ? v->ctx.header_size : 48,
						off, w, &field_ptr) : NULL;
	// The words holding several small fields, decoded from their bytes.
	char packed[96];
	if (name && m->impl == MS_MAP_CLASSIC && off == 8) {
		snprintf(packed, sizeof(packed), "flags 0x%x  B %u  noverflow %u  hash0 0x%08x",
			 bytes[0], bytes[1], (unsigned)(bytes[2] | bytes[3] << 8),
			 (unsigned)((uint32_t)bytes[4] | (uint32_t)bytes[5] << 8 |
				    (uint32_t)bytes[6] << 16 | (uint32_t)bytes[7] << 24));
		name = packed;
	} else if (name && m->impl == MS_MAP_SWISS && off == 32) {
		snprintf(packed, sizeof(packed), "globalDepth %u  globalShift %u  writing %u",
			 bytes[0], bytes[1], bytes[2]);
		name = packed;
	}
	char where[128] = "";
	bool target = false;
	if (field_ptr) {
		describe(v, w, true, where, sizeof(where));
		target = true;
	} else if (!name && plausible_pointer(w)) {
		// Any word that leads into a mapping may be a pointer worth
		// following; an integer that leads nowhere is left alone.
		target = describe(v, w, true, where, sizeof(where));
		if (!target)
			where[0] = '\0';
	}
	struct tui_line *line = tui_lines_add(&v->lines, target ? TUI_S_TARGET : TUI_S_NORMAL,
					      "+%03zx  %016" PRIx64 "  %s  %s%s%s", off, w, ascii,
					      name ? name : "", name && where[0] ? ": " : "", where);
	if (target) {
		char label[24];
		if (name)
			snprintf(label, sizeof(label), "%.23s", name);
		else
			snprintf(label, sizeof(label), "+0x%zx", off);
		set_target(line, w, label);
	}
}

// Dump @p len bytes at @p addr word by word, so that a region running off
// the end of a mapping shows what is there.
static void mem_dump(struct ms_view *v, const struct ms_scan_map *m, uint64_t addr, size_t len)
{
	uint8_t buf[TUI_MEM_BYTES];
	if (len > sizeof(buf))
		len = sizeof(buf);
	len &= ~(size_t)7;
	struct ms_error *err = v->src.read ? v->src.read(v->src.arg, addr, buf, len)
					   : ms_error_create(MS_ERR_FAULT, "no memory");
	bool whole = !err;
	size_t readable = 0;
	bool ok[TUI_MEM_BYTES / 8];
	for (size_t off = 0; off < len; off += 8) {
		ok[off / 8] = whole;
		if (!whole && v->src.read) {
			struct ms_error *e = v->src.read(v->src.arg, addr + off, buf + off, 8);
			ok[off / 8] = !e;
			ms_error_destroy(e);
		}
		readable += ok[off / 8];
	}
	if (!readable) {
		char where[400];
		describe(v, addr, false, where, sizeof(where));
		char buf2[600];
		snprintf(buf2, sizeof(buf2), "not in core: %s", where);
		tui_lines_wrap(&v->lines, TUI_S_ERROR, 2, false, 0, NULL, buf2);
		ms_error_destroy(err);
		return;
	}
	ms_error_destroy(err);
	for (size_t off = 0; off < len; off += 8)
		mem_row(v, m, off, buf + off, ok[off / 8]);
}

static void build_memory(struct ms_view *v, const struct ms_scan_map *m)
{
	struct tui_lines *l = &v->lines;
	uint64_t hsize = v->ctx.header_size ? v->ctx.header_size : 48;
	v->mem_line = 0;
	if (m) {
		tui_lines_add(l, TUI_S_HEADING, "header of #%u at 0x%" PRIx64 " (%" PRIu64 " bytes)",
			      m->id, m->header, hsize);
		mem_dump(v, m, m->header, (size_t)hsize);
	}
	if (v->have_mem) {
		if (l->n)
			tui_lines_add(l, TUI_S_NORMAL, "%s", "");
		v->mem_line = l->n;
		char where[128];
		describe(v, v->mem_addr, true, where, sizeof(where));
		tui_lines_add(l, TUI_S_HEADING, "%s -> 0x%" PRIx64 " (%s)",
			      v->mem_label[0] ? v->mem_label : "memory", v->mem_addr, where);
		mem_dump(v, NULL, v->mem_addr, TUI_MEM_BYTES);
	} else if (m) {
		tui_lines_add(l, TUI_S_DIM, "%s", "");
		tui_lines_add(l, TUI_S_DIM, "Enter on a pointer shows the memory it leads to");
	}
}

static void copy_lines(struct tui_lines *to, const struct tui_lines *from)
{
	for (size_t i = 0; i < from->n; i++) {
		const struct tui_line *c = &from->v[i];
		struct tui_line *line = lines_push(to, c->style, xstrdup(c->text));
		if (c->has_target)
			set_target(line, c->target, c->label);
		line->code = c->code;
	}
}

// The Code pane: the code reference followed from the Roots pane, else the
// faulting instructions. Both are built once (per address) and kept.
static void build_code(struct ms_view *v, size_t idx)
{
	if (v->have_code) {
		if (!v->xcode_built || v->xcode_addr != v->code_addr) {
			tui_lines_clear(&v->xcode);
			v->xcode.width = pane_width(v);
			if (v->src.code_at)
				v->src.code_at(v->src.arg, v->code_addr, &v->xcode);
			if (!v->xcode.n)
				tui_lines_add(&v->xcode, TUI_S_DIM, "no code to show at 0x%" PRIx64,
					      v->code_addr);
			v->xcode_addr = v->code_addr;
			v->xcode_built = true;
		}
		if (idx != SIZE_MAX) {
			char buf[400];
			snprintf(buf, sizeof(buf), "code at 0x%" PRIx64 " referring to #%u %s",
				 v->code_addr, v->scan->maps[idx].id, v->info[idx].name);
			tui_lines_wrap(&v->lines, TUI_S_HEADING, 2, false, 0, NULL, buf);
		}
		copy_lines(&v->lines, &v->xcode);
		return;
	}
	if (!v->code_built) {
		v->code.width = pane_width(v);
		if (v->src.code)
			v->src.code(v->src.arg, &v->code);
		if (!v->code.n)
			tui_lines_add(&v->code, TUI_S_DIM, "no code to show: the core records no crash");
		v->code_built = true;
	}
	copy_lines(&v->lines, &v->code);
}

static void ensure_pane_visible(struct ms_view *v)
{
	size_t rows = (size_t)ms_view_pane_rows(v);
	size_t n = v->lines.n;
	if (!n) {
		v->pane_cursor = v->pane_top = 0;
		return;
	}
	if (v->pane_cursor >= n)
		v->pane_cursor = n - 1;
	if (v->pane_cursor < v->pane_top)
		v->pane_top = v->pane_cursor;
	if (v->pane_cursor >= v->pane_top + rows)
		v->pane_top = v->pane_cursor - rows + 1;
	if (n > rows && v->pane_top > n - rows)
		v->pane_top = n - rows;
	if (n <= rows)
		v->pane_top = 0;
}

// Rebuild the lines of the current pane (after a change of map, pane,
// followed pointer or width).
static void build_pane(struct ms_view *v)
{
	tui_lines_clear(&v->lines);
	v->lines.width = pane_width(v);
	size_t idx = ms_view_selected(v);
	const struct ms_scan_map *m = idx == SIZE_MAX ? NULL : &v->scan->maps[idx];
	if (v->pane == TUI_PANE_CODE) {
		build_code(v, idx);
	} else if (v->pane == TUI_PANE_MEMORY) {
		build_memory(v, m);
	} else if (!m) {
		tui_lines_add(&v->lines, TUI_S_DIM, "no map selected");
	} else if (v->pane == TUI_PANE_HEADER) {
		build_header(v, m, idx);
	} else if (v->pane == TUI_PANE_ROOTS) {
		build_roots(v, m, idx);
	} else {
		build_entries(v, m, idx);
	}
	ensure_pane_visible(v);
	v->redraw |= TUI_REDRAW_DETAIL;
}

static void reset_pane(struct ms_view *v)
{
	v->pane_cursor = v->pane_top = 0;
	build_pane(v);
}

// The list selection moved to another map: what the detail showed of the
// old one no longer applies.
static void selection_changed(struct ms_view *v)
{
	v->have_mem = false;
	v->mem_label[0] = '\0';
	v->have_code = false;
	ensure_list_visible(v);
	reset_pane(v);
	v->redraw |= TUI_REDRAW_LIST;
}

/* Select scan->maps[idx], showing all maps when the filter hides it. */
static bool select_map(struct ms_view *v, size_t idx)
{
	if (idx >= v->scan->n_maps)
		return false;
	if (!v->show_all && !is_suspect(&v->scan->maps[idx])) {
		v->show_all = true;
		rebuild_order(v);
	}
	for (size_t k = 0; k < v->n_order; k++) {
		if (v->order[k] == idx) {
			v->cursor = k;
			return true;
		}
	}
	return false;
}

/* ---- history ---- */

static void save_place(const struct ms_view *v, struct tui_place *p)
{
	memset(p, 0, sizeof(*p));
	p->map = ms_view_selected(v);
	p->pane = v->pane;
	p->focus = v->focus;
	p->have_mem = v->have_mem;
	p->mem_addr = v->mem_addr;
	memcpy(p->mem_label, v->mem_label, sizeof(p->mem_label));
	p->have_code = v->have_code;
	p->code_addr = v->code_addr;
	p->pane_cursor = v->pane_cursor;
	p->pane_top = v->pane_top;
}

static void push_history(struct ms_view *v)
{
	if (v->n_history == TUI_HISTORY_MAX) {
		memmove(v->history, v->history + 1, (TUI_HISTORY_MAX - 1) * sizeof(v->history[0]));
		v->n_history--;
	}
	save_place(v, &v->history[v->n_history++]);
}

static void restore_place(struct ms_view *v, const struct tui_place *p)
{
	if (p->map != SIZE_MAX)
		select_map(v, p->map);
	v->pane = p->pane;
	v->focus = p->focus;
	v->have_mem = p->have_mem;
	v->mem_addr = p->mem_addr;
	memcpy(v->mem_label, p->mem_label, sizeof(v->mem_label));
	v->have_code = p->have_code;
	v->code_addr = p->code_addr;
	build_pane(v);
	v->pane_cursor = p->pane_cursor;
	v->pane_top = p->pane_top;
	ensure_list_visible(v);
	ensure_pane_visible(v);
	v->redraw |= TUI_REDRAW_ALL;
}

/* ---- following ---- */

static size_t find_header(const struct ms_view *v, uint64_t addr)
{
	for (size_t i = 0; i < v->scan->n_maps; i++)
		if (v->scan->maps[i].header == addr)
			return i;
	return SIZE_MAX;
}

static void follow(struct ms_view *v)
{
	if (v->pane_cursor >= v->lines.n || !v->lines.v[v->pane_cursor].has_target) {
		ms_view_status(v, false, "nothing to follow on this line");
		return;
	}
	const struct tui_line *line = &v->lines.v[v->pane_cursor];
	uint64_t t = line->target;
	char label[24];
	memcpy(label, line->label, sizeof(label));
	if (!t) {
		ms_view_status(v, false, "%s is nil", label[0] ? label : "the pointer");
		return;
	}
	size_t cur = ms_view_selected(v);
	if (line->code) {
		// A code reference: its instructions in the Code pane, the
		// referring one under the cursor.
		push_history(v);
		v->have_code = true;
		v->code_addr = t;
		v->pane = TUI_PANE_CODE;
		build_pane(v);
		v->pane_cursor = 0;
		for (size_t i = 0; i < v->lines.n; i++) {
			if (v->lines.v[i].style == TUI_S_PC) {
				v->pane_cursor = i;
				break;
			}
		}
		// Show a few lines before it too.
		v->pane_top = v->pane_cursor > 3 ? v->pane_cursor - 3 : 0;
		ensure_pane_visible(v);
		ms_view_status(v, false, "the code at 0x%" PRIx64 " that refers to #%u; Backspace goes back",
			       t, cur != SIZE_MAX ? v->scan->maps[cur].id : 0);
		return;
	}
	size_t idx = find_header(v, t);
	push_history(v);
	if (idx != SIZE_MAX && idx == cur && v->pane == TUI_PANE_HEADER) {
		// The map's own header: the Memory pane dumps it already.
		v->have_mem = false;
		v->pane = TUI_PANE_MEMORY;
		reset_pane(v);
		ms_view_status(v, false, "the header of #%u; Backspace goes back",
			       v->scan->maps[idx].id);
		return;
	}
	if (idx != SIZE_MAX) {
		// Another map (or this one, from another pane): its Header pane.
		select_map(v, idx);
		v->pane = TUI_PANE_HEADER;
		selection_changed(v);
		const struct ms_scan_map *m = &v->scan->maps[idx];
		ms_view_status(v, false, "%s 0x%" PRIx64 " is the header of map #%u %s",
			       label[0] ? label : "pointer", t, m->id, v->info[idx].name);
		return;
	}
	v->have_mem = true;
	v->mem_addr = t;
	memcpy(v->mem_label, label, sizeof(v->mem_label));
	v->pane = TUI_PANE_MEMORY;
	build_pane(v);
	// Put the followed memory at the top of the pane.
	v->pane_cursor = v->mem_line;
	v->pane_top = v->mem_line;
	ensure_pane_visible(v);
	ms_view_status(v, false, "memory at 0x%" PRIx64 " (%s); Backspace goes back", t,
		       label[0] ? label : "pointer");
}

static void back(struct ms_view *v)
{
	if (v->n_history) {
		struct tui_place p = v->history[--v->n_history];
		restore_place(v, &p);
		return;
	}
	if (v->focus == TUI_FOCUS_DETAIL) {
		v->focus = TUI_FOCUS_LIST;
		v->redraw |= TUI_REDRAW_ALL;
		return;
	}
	ms_view_status(v, false, "nothing to go back to");
}

/* ---- search ---- */

static void lower_copy(char *dst, size_t size, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < size; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

static bool matches(const struct ms_view *v, size_t idx, const char *needle)
{
	return strstr(v->info[idx].haystack, needle) != NULL;
}

static void search(struct ms_view *v, bool forward, bool include_cursor)
{
	if (!v->query[0]) {
		ms_view_status(v, false, "no search yet: press / and type a name, type or address");
		return;
	}
	char needle[sizeof(v->query)];
	lower_copy(needle, sizeof(needle), v->query);
	size_t n = v->n_order, found = SIZE_MAX, total = 0;
	for (size_t k = 0; k < n; k++)
		total += matches(v, v->order[k], needle);
	for (size_t step = include_cursor ? 0 : 1; step <= n && n; step++) {
		size_t k = forward ? (v->cursor + step) % n : (v->cursor + n - step % n) % n;
		if (matches(v, v->order[k], needle)) {
			found = k;
			break;
		}
	}
	if (found == SIZE_MAX && !v->show_all) {
		// Maybe a map judged ok: show them all rather than say no.
		for (size_t i = 0; i < v->scan->n_maps; i++) {
			if (matches(v, i, needle)) {
				select_map(v, i);
				selection_changed(v);
				ms_view_status(v, false, "'%s' matches maps judged ok: showing all maps",
					       v->query);
				return;
			}
		}
	}
	if (found == SIZE_MAX) {
		ms_view_status(v, true, "no map matches '%s'", v->query);
		return;
	}
	size_t nth = 0;
	for (size_t k = 0; k <= found; k++)
		nth += matches(v, v->order[k], needle);
	bool moved = found != v->cursor;
	v->cursor = found;
	if (moved)
		selection_changed(v);
	ms_view_status(v, false, "/%s: match %zu of %zu", v->query, nth, total);
}

/* ---- moving ---- */

static void move_list(struct ms_view *v, long delta, bool absolute)
{
	if (!v->n_order)
		return;
	size_t old = v->cursor;
	long pos = absolute ? delta : (long)v->cursor + delta;
	if (pos < 0)
		pos = 0;
	if (pos >= (long)v->n_order)
		pos = (long)v->n_order - 1;
	v->cursor = (size_t)pos;
	if (v->cursor != old)
		selection_changed(v);
}

static void move_pane(struct ms_view *v, long delta, bool absolute)
{
	if (!v->lines.n)
		return;
	long pos = absolute ? delta : (long)v->pane_cursor + delta;
	if (pos < 0)
		pos = 0;
	if (pos >= (long)v->lines.n)
		pos = (long)v->lines.n - 1;
	v->pane_cursor = (size_t)pos;
	ensure_pane_visible(v);
	v->redraw |= TUI_REDRAW_DETAIL;
}

static void move(struct ms_view *v, long delta, bool absolute)
{
	if (v->focus == TUI_FOCUS_LIST)
		move_list(v, delta, absolute);
	else
		move_pane(v, delta, absolute);
}

static void set_pane(struct ms_view *v, enum tui_pane pane)
{
	if (pane == v->pane)
		return;
	v->pane = pane;
	reset_pane(v);
	// The followed memory starts the Memory pane, so that Tab back to it
	// shows what Enter showed.
	if (pane == TUI_PANE_MEMORY && v->have_mem) {
		v->pane_cursor = v->pane_top = v->mem_line;
		ensure_pane_visible(v);
	}
	v->redraw |= TUI_REDRAW_DETAIL;
}

/* ---- the entry points ---- */

static void input_action(struct ms_view *v, enum tui_action act, int arg)
{
	switch (act) {
	case TUI_ACT_INPUT_CHAR:
		if (arg >= 0x20 && arg < 0x7f && v->input_len + 1 < sizeof(v->input)) {
			v->input[v->input_len++] = (char)arg;
			v->input[v->input_len] = '\0';
		}
		break;
	case TUI_ACT_INPUT_ERASE:
		if (!v->input_len) {
			v->prompt = false;
			break;
		}
		v->input[--v->input_len] = '\0';
		break;
	case TUI_ACT_INPUT_CANCEL:
		v->prompt = false;
		break;
	case TUI_ACT_INPUT_DONE:
		v->prompt = false;
		if (v->input_len)
			snprintf(v->query, sizeof(v->query), "%s", v->input);
		search(v, true, false);
		break;
	default:
		break;
	}
	v->redraw |= TUI_REDRAW_STATUS;
}

void ms_view_apply(struct ms_view *v, enum tui_action act, int arg)
{
	if (act == TUI_ACT_NONE && !v->help)
		return;
	if (v->prompt) {
		input_action(v, act, arg);
		return;
	}
	if (act >= TUI_ACT_INPUT_CHAR)
		return;
	// The help screen scrolls with the moving keys; any other key closes
	// it and does nothing else.
	if (v->help && act != TUI_ACT_REDRAW) {
		size_t n = tui_keys_help_count();
		size_t rows = v->rows > 8 ? (size_t)v->rows - 8 : 1;
		size_t max = n > rows ? n - rows : 0;
		if (act == TUI_ACT_DOWN || act == TUI_ACT_PAGE_DOWN)
			v->help_top += act == TUI_ACT_DOWN ? 1 : rows;
		else if (act == TUI_ACT_UP || act == TUI_ACT_PAGE_UP)
			v->help_top -= v->help_top < (act == TUI_ACT_UP ? 1 : rows)
				? v->help_top : (act == TUI_ACT_UP ? 1 : rows);
		else
			v->help = false;
		if (v->help_top > max)
			v->help_top = max;
		v->redraw |= TUI_REDRAW_ALL;
		return;
	}
	v->status[0] = '\0';
	v->status_error = false;
	v->redraw |= TUI_REDRAW_STATUS;
	long page = v->focus == TUI_FOCUS_LIST ? ms_view_list_rows(v) : ms_view_pane_rows(v);
	switch (act) {
	case TUI_ACT_QUIT:
		v->quit = true;
		break;
	case TUI_ACT_UP:
		move(v, -1, false);
		break;
	case TUI_ACT_DOWN:
		move(v, 1, false);
		break;
	case TUI_ACT_PAGE_UP:
		move(v, -page, false);
		break;
	case TUI_ACT_PAGE_DOWN:
		move(v, page, false);
		break;
	case TUI_ACT_TOP:
		move(v, 0, true);
		break;
	case TUI_ACT_BOTTOM:
		move(v, v->focus == TUI_FOCUS_LIST ? (long)v->n_order - 1 : (long)v->lines.n - 1, true);
		break;
	case TUI_ACT_OPEN:
		if (v->focus == TUI_FOCUS_LIST) {
			if (!v->n_order && v->pane != TUI_PANE_CODE) {
				ms_view_status(v, false, "no map to open; press a to list all maps");
				break;
			}
			v->focus = TUI_FOCUS_DETAIL;
			v->redraw |= TUI_REDRAW_ALL;
		} else {
			follow(v);
		}
		break;
	case TUI_ACT_BACK:
		back(v);
		break;
	case TUI_ACT_FOCUS_LIST:
		v->focus = TUI_FOCUS_LIST;
		v->redraw |= TUI_REDRAW_ALL;
		break;
	case TUI_ACT_NEXT_PANE:
		set_pane(v, (enum tui_pane)((v->pane + 1) % TUI_PANE_COUNT));
		break;
	case TUI_ACT_PREV_PANE:
		set_pane(v, (enum tui_pane)((v->pane + TUI_PANE_COUNT - 1) % TUI_PANE_COUNT));
		break;
	case TUI_ACT_PANE_HEADER:
	case TUI_ACT_PANE_ROOTS:
	case TUI_ACT_PANE_ENTRIES:
	case TUI_ACT_PANE_MEMORY:
	case TUI_ACT_PANE_CODE:
		set_pane(v, (enum tui_pane)(act - TUI_ACT_PANE_HEADER));
		break;
	case TUI_ACT_TOGGLE_ALL: {
		size_t before = ms_view_selected(v);
		v->show_all = !v->show_all;
		rebuild_order(v);
		if (ms_view_selected(v) != before)
			selection_changed(v);
		if (v->show_all)
			ms_view_status(v, false, "showing all %zu maps", v->n_order);
		else
			ms_view_status(v, false, "showing the %zu suspects", v->n_order);
		break;
	}
	case TUI_ACT_SEARCH:
		v->prompt = true;
		v->input_len = 0;
		v->input[0] = '\0';
		break;
	case TUI_ACT_NEXT_MATCH:
		search(v, true, false);
		break;
	case TUI_ACT_PREV_MATCH:
		search(v, false, false);
		break;
	case TUI_ACT_SORT: {
		size_t before = ms_view_selected(v);
		v->sort = (enum tui_sort)((v->sort + 1) % TUI_SORT_COUNT);
		rebuild_order(v);
		if (ms_view_selected(v) != before)
			selection_changed(v);
		ms_view_status(v, false, "sorted by %s", ms_view_sort_name(v->sort));
		break;
	}
	case TUI_ACT_COPY: {
		// The pointer or instruction under the pane's cursor, else the
		// selected map's header.
		uint64_t addr = 0;
		const char *what = "header";
		size_t sel = ms_view_selected(v);
		if (v->focus == TUI_FOCUS_DETAIL && v->pane_cursor < v->lines.n &&
		    v->lines.v[v->pane_cursor].has_target) {
			addr = v->lines.v[v->pane_cursor].target;
			what = v->lines.v[v->pane_cursor].label;
		} else if (sel != SIZE_MAX) {
			addr = v->scan->maps[sel].header;
		}
		if (!addr) {
			ms_view_status(v, false, "no address to copy here");
			break;
		}
		if (v->n_copied == sizeof(v->copied) / sizeof(v->copied[0])) {
			memmove(v->copied, v->copied + 1, sizeof(v->copied) - sizeof(v->copied[0]));
			v->n_copied--;
		}
		v->copied[v->n_copied++] = addr;
		v->copy_pending = true;
		ms_view_status(v, false, "copied 0x%" PRIx64 " (%s); printed again on exit", addr,
			       what[0] ? what : "address");
		break;
	}
	case TUI_ACT_CRASH:
		if (v->scan->crash_map == SIZE_MAX || v->scan->crash_map >= v->scan->n_maps) {
			ms_view_status(v, false, "no map is linked to the crash");
			break;
		}
		if (ms_view_selected(v) != v->scan->crash_map) {
			push_history(v);
			select_map(v, v->scan->crash_map);
			selection_changed(v);
		}
		ms_view_status(v, false, "crash: %s", v->scan->crash_why);
		break;
	case TUI_ACT_HELP:
		v->help = true;
		v->help_top = 0;
		v->redraw |= TUI_REDRAW_ALL;
		break;
	case TUI_ACT_REDRAW:
		v->redraw |= TUI_REDRAW_ALL;
		break;
	default:
		break;
	}
}

void ms_view_resize(struct ms_view *v, int rows, int cols)
{
	if (rows < 1)
		rows = 1;
	if (cols < 1)
		cols = 1;
	v->rows = rows;
	v->cols = cols;
	ms_view_layout(rows, cols, v->n_order, &v->layout);
	ensure_list_visible(v);
	// Wrapped lines depend on the width: rebuild them, keeping the
	// cursor where it was as far as possible.
	if (pane_width(v) != v->lines.width) {
		size_t cur = v->pane_cursor, top = v->pane_top;
		if (v->code_built && v->code.width != pane_width(v)) {
			tui_lines_clear(&v->code);
			v->code_built = false;
		}
		if (v->xcode_built && v->xcode.width != pane_width(v)) {
			tui_lines_clear(&v->xcode);
			v->xcode_built = false;
		}
		build_pane(v);
		v->pane_cursor = cur;
		v->pane_top = top;
	}
	ensure_pane_visible(v);
	v->redraw |= TUI_REDRAW_ALL;
}

static void build_info(struct ms_view *v, size_t i)
{
	const struct ms_scan_map *m = &v->scan->maps[i];
	struct tui_map_info *info = &v->info[i];
	if (m->n_roots && m->roots[0].path)
		snprintf(info->name, sizeof(info->name), "%s", m->roots[0].path);
	else {
		char where[64];
		ms_scan_map_where(m, where, sizeof(where));
		snprintf(info->name, sizeof(info->name), "(%s) 0x%" PRIx64, where, m->header);
	}
	info->type = v->src.type_name ? v->src.type_name(v->src.arg, m) : NULL;
	if (!info->type)
		info->type = "map[?]?";
	info->module = m->n_roots ? module_name(v, m->roots[0].module)
		     : (m->found_by & MS_FOUND_STACK) ? "(stack)" : "(heap)";
	size_t size = strlen(info->name) + strlen(info->type) + 64;
	for (size_t r = 0; r < m->n_roots; r++)
		size += (m->roots[r].path ? strlen(m->roots[r].path) : 0) + 1;
	char *h = xrealloc(NULL, size);
	int n = snprintf(h, size, "%s\n%s\n0x%" PRIx64 "\n", info->name, info->type, m->header);
	for (size_t r = 1; r < m->n_roots; r++)
		n += snprintf(h + n, size - (size_t)n, "%s\n", m->roots[r].path ? m->roots[r].path : "");
	for (char *p = h; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	info->haystack = h;
}

struct ms_view *ms_view_create(const struct ms_scan *scan,
			       const struct tui_source *src,
			       const struct tui_context *ctx, int rows, int cols)
{
	struct ms_view *v = xrealloc(NULL, sizeof(*v));
	memset(v, 0, sizeof(*v));
	v->scan = scan;
	if (src)
		v->src = *src;
	if (ctx)
		v->ctx = *ctx;
	v->rows = rows;
	v->cols = cols;
	ms_view_layout(rows, cols, 0, &v->layout);
	v->info = xrealloc(NULL, (scan->n_maps ? scan->n_maps : 1) * sizeof(*v->info));
	v->order = xrealloc(NULL, (scan->n_maps ? scan->n_maps : 1) * sizeof(*v->order));
	size_t suspects = 0;
	for (size_t i = 0; i < scan->n_maps; i++) {
		build_info(v, i);
		suspects += is_suspect(&scan->maps[i]);
	}
	v->show_all = suspects == 0;
	rebuild_order(v);
	build_pane(v);
	if (scan->crash_map != SIZE_MAX && scan->crash_map < scan->n_maps)
		ms_view_status(v, false, "crash: #%u %s: %s", scan->maps[scan->crash_map].id,
			       v->info[scan->crash_map].name, scan->crash_why);
	else if (!suspects && scan->n_maps)
		ms_view_status(v, false, "no suspect map: all %zu maps are shown", scan->n_maps);
	v->redraw = TUI_REDRAW_ALL;
	return v;
}

void ms_view_destroy(struct ms_view *v)
{
	if (!v)
		return;
	if (v->info)
		for (size_t i = 0; i < v->scan->n_maps; i++)
			free(v->info[i].haystack);
	free(v->info);
	free(v->order);
	lines_free(&v->lines);
	lines_free(&v->code);
	lines_free(&v->xcode);
	free(v);
}
