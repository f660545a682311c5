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
	{ "dangling-memory-80x24", 80, 24, "<Enter>jjjjjjj<Enter>" },
	{ "code-100x30", 100, 30, "5<Enter>" },
	{ "search-prompt-80x24", 80, 24, "/geo" },
	{ "no-match-80x24", 80, 24, "/nosuch<Enter>" },
	{ "help-80x24", 80, 24, "?" },
	{ "resized-80x24", 100, 30, "jj<Enter><Resize=80x24>" },
	{ "too-small", 100, 30, "<Resize=40x10>" },
};

static char *render_scenario(const struct scenario *s)
{
	fx_build();
	struct ms_view *v = ms_view_create(&fx_scan, &fx_source, &fx_context, s->rows, s->cols);
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

int main(void)
{
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
