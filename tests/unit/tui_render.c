/*
 * Golden screens of the browser: a synthetic scan, a key script, the model
 * drawn into a text canvas and compared with tests/tui/<name>.golden (no
 * terminal). MS_UPDATE_GOLDEN=1 rewrites the files instead; review the diff.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "tap.h"
#include "tui/keys.h"
#include "tui/model.h"
#include "tui/render.h"
#include "tui_fixture.h"

struct scenario {
	const char *name;
	int cols, rows;
	const char *keys;
};

static const struct scenario scenarios[] = {
	{ "start-80x24", 80, 24, "" },
	{ "start-100x30", 100, 30, "" },
	{ "all-by-module-100x30", 100, 30, "as" },
	{ "roots-80x24", 80, 24, "<Enter>2" },
	{ "roots-xrefs-100x30", 100, 30, "2<Enter>jjjjjjjjjjjjjjj" },
	{ "heap-roots-100x30", 100, 30, "jj2" },
	{ "xref-code-80x24", 80, 24, "2<Enter>G<Enter>" },
	{ "entries-80x24", 80, 24, "a/gHolder<Enter>3<Enter>jjjjj" },
	{ "follow-100x30", 100, 30, "a/gNames<Enter><Enter>jjjjj<Enter>" },
	{ "follow-map-100x30", 100, 30, "a/gNames<Enter><Enter>jjjjj<Enter>jjjj<Enter>" },
	{ "help-scrolled-80x24", 80, 24, "?<PgDn>" },
	{ "dangling-memory-80x24", 80, 24, "<Enter>jjjjjjjjj<Enter>" },
	{ "code-100x30", 100, 30, "5<Enter>" },
	{ "search-prompt-80x24", 80, 24, "/geo" },
	{ "no-match-80x24", 80, 24, "/nosuch<Enter>" },
	{ "help-80x24", 80, 24, "?" },
	{ "resized-80x24", 100, 30, "jj<Enter><Resize=80x24>" },
	{ "too-small", 100, 30, "<Resize=40x10>" },
	{ "start-120x40", 120, 40, "" },
	{ "start-200x60", 200, 60, "" },
	{ "memory-80x24", 80, 24, "<Enter>4" },
	{ "follow-right-120x40", 120, 40, "a/gNames<Enter>ljjjjj<Right>" },
};

static char *render_with(const struct scenario *s, const struct tui_context *ctx)
{
	fx_build();
	struct ms_view *v = ms_view_create(&fx_scan, &fx_source, ctx, s->rows, s->cols);
	struct tui_keyev *ev;
	size_t n;
	char err[128];
	if (!tui_keys_parse(s->keys, &ev, &n, err, sizeof(err))) {
		ms_view_destroy(v);
		return strdup(err);
	}
	for (size_t i = 0; i < n; i++) {
		if (ev[i].key == TUI_KEY_RESIZE)
			ms_view_resize(v, ev[i].rows, ev[i].cols);
		else
			ms_view_apply(v, tui_keys_action(ev[i].key, v->prompt), ev[i].key);
	}
	free(ev);
	struct tui_canvas c;
	tui_canvas_init(&c);
	tui_render(v, &c);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	tui_canvas_dump(&c, out);
	fclose(out);
	tui_canvas_deinit(&c);
	ms_view_destroy(v);
	return text;
}

static char *render_scenario(const struct scenario *s)
{
	return render_with(s, &fx_context);
}

// The first line of a screen, the title.
static char *title_of(const struct tui_context *ctx, int cols)
{
	const struct scenario s = { "title", cols, 24, "" };
	char *text = render_with(&s, ctx);
	text[strcspn(text, "\n")] = '\0';
	return text;
}

/*
 * A C host's core: the title names the Go library holding the runtime
 * after the host, in full when the title fits ("ingestd (runtime in
 * libgomaps.so)"), else short ("ingestd+libgomaps.so"), and says when it
 * is missing instead of guessing the host is not Go.
 */
static void check_runtime_title(void)
{
	struct tui_context ctx = fx_context;
	ctx.runtime_module = "/opt/lib/libgomaps.so";
	char *t = title_of(&ctx, 200);
	ok(strstr(t, "  ingestd (runtime in libgomaps.so) go1.26.2 swiss  SIGSEGV 0x7f31c0a10008") != NULL,
	   "200 columns: the runtime's library in full: '%s'", t);
	free(t);
	t = title_of(&ctx, 100);
	ok(strstr(t, "  ingestd+libgomaps.so go1.26.2 swiss  SIGSEGV") != NULL && !strstr(t, "runtime in"),
	   "100 columns: the runtime's library short: '%s'", t);
	free(t);
	ctx.go_version = NULL;
	ctx.impl = "";
	ctx.runtime_missing = true;
	t = title_of(&ctx, 200);
	ok(strstr(t, "  ingestd (runtime in libgomaps.so, missing)  SIGSEGV") != NULL &&
	   !strstr(t, "not Go"), "the runtime's library missing: '%s'", t);
	free(t);
	t = title_of(&fx_context, 200);
	ok(strstr(t, "  ingestd go1.26.2 swiss  SIGSEGV") != NULL && !strstr(t, "runtime in"),
	   "a Go executable: no library named: '%s'", t);
	free(t);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	int ch;
	while ((ch = getc(f)) != EOF)
		putc(ch, out);
	fclose(out);
	fclose(f);
	return text;
}

// Print the first differing line, so that a failure says where.
static void show_difference(const char *want, const char *got)
{
	for (int line = 1; *want || *got; line++) {
		size_t a = strcspn(want, "\n"), b = strcspn(got, "\n");
		if (a != b || strncmp(want, got, a) != 0) {
			printf("#   line %d differs:\n#   want: %.*s\n#   got:  %.*s\n", line,
			       (int)a, want, (int)b, got);
			return;
		}
		want += a + (want[a] != '\0');
		got += b + (got[b] != '\0');
	}
}

// Every byte sequence in @p s is whole UTF-8.
static bool whole_utf8(const char *s)
{
	for (uint32_t cp; *s;) {
		size_t n = tui_utf8_decode(s, &cp);
		if (cp == 0xfffd)
			return false;
		s += n;
	}
	return true;
}

// Cutting text never breaks a character nor makes two names read the same.
static void check_fit(void)
{
	char buf[64];
	// "…" is three bytes and one column: a cut before, inside or after it.
	const char *s = "/tmp/s3\xe2\x80\xa6\"].syms";
	for (int w = 2; w < 14; w++) {
		tui_fit(buf, sizeof(buf), s, w, false);
		ok(whole_utf8(buf) && tui_text_width(buf) <= w, "fit '%s' in %d columns: '%s'", s, w, buf);
		tui_fit(buf, sizeof(buf), s, w, true);
		ok(whole_utf8(buf) && tui_text_width(buf) <= w, "fit left in %d columns: '%s'", w, buf);
	}
	// A two-column character is drawn whole or not at all.
	struct tui_canvas c;
	tui_canvas_init(&c);
	tui_canvas_reset(&c, 1, 4);
	int n = tui_canvas_put(&c, 0, 0, 3, TUI_S_NORMAL, "a\xe6\x97\xa5\xe6\x97\xa5");
	ok(n == 3 && c.cells[1].ch == 0x65e5 && (c.cells[2].flags & TUI_CELL_WIDE) && c.cells[3].ch == ' ',
	   "a wide character takes two cells, and the one that does not fit is left out (%d)", n);
	// A stray byte and a control from the core are drawn as the CLI
	// prints them (ms_escape_term), never as themselves.
	tui_canvas_reset(&c, 1, 12);
	n = tui_canvas_put(&c, 0, 0, 12, TUI_S_NORMAL, "\xff\x01z");
	bool seen = n == 9;
	for (int i = 0; seen && i < 9; i++)
		seen = c.cells[i].ch == (uint32_t)"\\xff\\x01z"[i];
	ok(seen, "a stray byte and a control character show escaped (%d)", n);
	// Outside a UTF-8 locale: ASCII only. The tool's ellipsis is "...",
	// any other character its escape; each whole or not at all, and
	// widths counted as drawn.
	tui_set_ascii(true);
	static const char want[] = "\\u00e9...\\u65e5";
	tui_canvas_reset(&c, 1, 20);
	n = tui_canvas_put(&c, 0, 0, 20, TUI_S_NORMAL, "\xc3\xa9\xe2\x80\xa6\xe6\x97\xa5");
	seen = n == (int)strlen(want) && tui_text_width("\xc3\xa9\xe2\x80\xa6\xe6\x97\xa5") == n;
	for (int i = 0; seen && i < n; i++)
		seen = c.cells[i].ch == (uint32_t)want[i] && !(c.cells[i].flags & TUI_CELL_WIDE);
	ok(seen, "ASCII only: \"\\u00e9...\\u65e5\" drawn (%d columns)", n);
	tui_canvas_reset(&c, 1, 20);
	n = tui_canvas_put(&c, 0, 0, 8, TUI_S_NORMAL, "\xc3\xa9\xe2\x80\xa6");
	ok(n == 6 && c.cells[6].ch == ' ', "ASCII only: a form that does not fit is left out (%d)", n);
	for (int w = 2; w < 14; w++) {
		tui_fit(buf, sizeof(buf), s, w, false);
		ok(tui_text_width(buf) <= w, "ASCII only: fit '%s' in %d columns", buf, w);
	}
	// A cut is marked '~' in ASCII only.
	ok(strcmp(tui_fit(buf, sizeof(buf), "abcdef", 4, false), "abc~") == 0,
	   "ASCII only: 'abcdef' in 4 columns is '%s'", buf);
	tui_set_ascii(false);
	// In a UTF-8 locale with an ellipsis, never inside a character.
	ok(strcmp(tui_fit(buf, sizeof(buf), "abcdef", 4, false), "abc\u2026") == 0,
	   "'abcdef' in 4 columns is '%s'", buf);
	ok(strcmp(tui_fit(buf, sizeof(buf), "s3\u00e9\u00e9\u00e9x", 4, false),
		  "s3\u00e9\u2026") == 0 && tui_text_width(buf) == 4,
	   "'s3\u00e9\u00e9\u00e9x' in 4 columns is '%s'", buf);
	ok(strcmp(tui_fit(buf, sizeof(buf), "\u65e5\u672c\u8a9e", 4, false), "\u65e5\u2026") == 0,
	   "a wide character that does not fit before the mark is left out: '%s'", buf);
	tui_canvas_deinit(&c);
	// Names differing only at their ends stay apart.
	const char *a = "plugin.plugins[\"/tmp/gen/plugins/go1.26/geo.so\"].syms";
	const char *b = "plugin.plugins[\"/tmp/gen/plugins/go1.26/auth.so\"].syms";
	char fa[64], fb[64];
	tui_fit(fa, sizeof(fa), a, 16, true);
	tui_fit(fb, sizeof(fb), b, 16, true);
	ok(strcmp(fa, fb) != 0, "'%s' and '%s' differ", fa, fb);
}

int main(void)
{
	check_fit();
	check_runtime_title();
	const char *srcdir = getenv("abs_srcdir");
	bool update = getenv("MS_UPDATE_GOLDEN") && *getenv("MS_UPDATE_GOLDEN");
	if (!srcdir)
		srcdir = ".";
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const struct scenario *s = &scenarios[i];
		char path[4096];
		snprintf(path, sizeof(path), "%s/tui/%s.golden", srcdir, s->name);
		char *got = render_scenario(s);
		if (update) {
			FILE *f = fopen(path, "w");
			ok(f && fputs(got, f) >= 0 && fclose(f) == 0, "%s written", path);
			free(got);
			continue;
		}
		char *want = slurp(path);
		if (!want) {
			ok(0, "%s: cannot read %s: %s", s->name, path, strerror(errno));
		} else {
			ok(strcmp(want, got) == 0, "%s (%dx%d, keys '%s') matches its golden file",
			   s->name, s->cols, s->rows, s->keys);
			if (strcmp(want, got) != 0)
				show_difference(want, got);
		}
		free(want);
		free(got);
	}
	return done_testing();
}
