/* mapsleuth tui: browse the maps of a core in the terminal, or print the screen a key script leads to (--dump). */
#include "config.h"

#include <inttypes.h>
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "open.h"
#include "scan.h"
#include "tui/keys.h"
#include "tui/model.h"
#include "tui/render.h"
#include "tui/source.h"
#include "tui/tui.h"

void ms_cmd_tui_help(FILE *out)
{
	fputs("usage: mapsleuth tui [OPTIONS] CORE\n"
	      "\n"
	      "Browse the maps of CORE in the terminal: suspects first, coloured by\n"
	      "verdict; for the selected map its header fields and pointers, its\n"
	      "provenance (modules, variables, aliases, the code referring to it),\n"
	      "its entries, memory dumps and the faulting code.\n"
	      "Enter follows a pointer or a code reference, Backspace goes back,\n"
	      "? lists every key.\n"
	      "\n"
	      "options:\n"
	      "  --exe EXE            the executable (default: found from the core's file notes)\n"
	      "  --sysroot DIR        look for the core's files under DIR, never outside it\n"
	      "  --solib-search DIR   look for shared objects and plugins in DIR (repeatable)\n"
	      "  --no-heap-scan       do not look for headers among heap objects\n"
	      "  --keys KEYS          press KEYS first: characters, and <Enter> <Tab> <BTab>\n"
	      "                       <Esc> <BS> <Up> <Down> <PgUp> <PgDn> <Home> <End>\n"
	      "                       <Space> <lt> <Resize=COLSxROWS>\n"
	      "  --dump               print the screen as text after KEYS and exit, with no\n"
	      "                       terminal needed\n"
	      "  --size COLSxROWS     the screen size for --dump (default 80x24)\n"
	      "  -h, --help           show this help\n",
	      out);
	ms_cli_env_help_more(out,
			     "  LC_ALL, LC_CTYPE, LANG\n"
			     "                       a character set other than UTF-8 (LANG=C) draws\n"
			     "                       ASCII only: '-' '|' '+' lines, names escaped (\\u00e9)\n",
			     "  0 after q, 2 unusable input or no terminal, 64 usage error\n");
}

static bool parse_size(const char *s, int *cols, int *rows)
{
	char c[16];
	const char *x = strchr(s, 'x');
	uint64_t vc, vr;
	if (!x || (size_t)(x - s) >= sizeof(c))
		return false;
	memcpy(c, s, (size_t)(x - s));
	c[x - s] = '\0';
	if (!ms_cli_parse_u64(c, 10, 1000, &vc) || !ms_cli_parse_u64(x + 1, 10, 1000, &vr) ||
	    !vc || !vr)
		return false;
	*cols = (int)vc;
	*rows = (int)vr;
	return true;
}

static void apply_keys(struct ms_view *v, const struct tui_keyev *ev, size_t n)
{
	for (size_t i = 0; i < n && !v->quit; i++) {
		if (ev[i].key == TUI_KEY_RESIZE)
			ms_view_resize(v, ev[i].rows, ev[i].cols);
		else
			ms_view_apply(v, tui_keys_action(ev[i].key, v->prompt), ev[i].key);
	}
}

static void progress(bool show, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void progress(bool show, const char *fmt, ...)
{
	if (!show)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) >= 0)
		ms_cli_errorf("%s", msg);	// the same one-line shape, escaped
	free(msg);
	va_end(ap);
}

int ms_cmd_tui(int argc, char **argv)
{
	struct ms_cli_common c = { 0 };
	struct ms_scan_options so = { 0 };
	const char *core = NULL, *keys = NULL, *pos[3];
	size_t n_pos = 0;
	bool dump = false;
	int cols = 80, rows = 24, rc = MS_EXIT_OK;
	struct tui_keyev *ev = NULL;
	size_t n_ev = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			ms_cli_errorf("tui: --json does not apply; 'mapsleuth scan --json' prints the scan");
			rc = MS_EXIT_USAGE;
			goto out;
		}
		int r = ms_cli_common_option(&c, argc, argv, &i);
		if (r < 0) {
			rc = MS_EXIT_USAGE;
			goto out;
		}
		if (r > 0)
			continue;
		if (strcmp(argv[i], "--no-heap-scan") == 0) {
			so.no_heap_scan = true;
		} else if (strcmp(argv[i], "--dump") == 0) {
			dump = true;
		} else if (strcmp(argv[i], "--keys") == 0 && i + 1 < argc) {
			keys = argv[++i];
		} else if (strncmp(argv[i], "--keys=", 7) == 0) {
			keys = argv[i] + 7;
		} else if ((strcmp(argv[i], "--size") == 0 && i + 1 < argc) ||
			   strncmp(argv[i], "--size=", 7) == 0) {
			const char *s = argv[i][6] == '=' ? argv[i] + 7 : argv[++i];
			if (!parse_size(s, &cols, &rows)) {
				ms_cli_errorf("tui: --size needs COLSxROWS such as 100x30, not '%s'", s);
				rc = MS_EXIT_USAGE;
				goto out;
			}
		} else if (argv[i][0] == '-' && argv[i][1]) {
			ms_cli_errorf("tui: unknown option '%s'; see 'mapsleuth tui --help'", argv[i]);
			rc = MS_EXIT_USAGE;
			goto out;
		} else if (n_pos < 2) {
			pos[n_pos++] = argv[i];
		} else {
			ms_cli_errorf("tui: one core at a time; see 'mapsleuth tui --help'");
			rc = MS_EXIT_USAGE;
			goto out;
		}
	}
	if ((n_pos == 2 && !c.core) || ms_cli_common_cores(&c, "tui", pos, &n_pos) < 0) {
		if (n_pos == 2 && !c.core)
			ms_cli_errorf("tui: one core at a time; see 'mapsleuth tui --help'");
		rc = MS_EXIT_USAGE;
		goto out;
	}
	core = n_pos ? pos[0] : NULL;
	if (!core) {
		ms_cli_errorf("tui: no core file given; see 'mapsleuth tui --help'");
		rc = MS_EXIT_USAGE;
		goto out;
	}
	if (keys) {
		char msg[200];
		if (!tui_keys_parse(keys, &ev, &n_ev, msg, sizeof(msg))) {
			ms_cli_errorf("tui: %s", msg);
			rc = MS_EXIT_USAGE;
			goto out;
		}
	}

	// Say what is going on while a large core loads; the screen is taken
	// over only once everything is known.
	bool show_progress = !dump && isatty(STDERR_FILENO);
	progress(show_progress, "reading %s and the files it names...", core);
	struct ms_session *s;
	struct ms_error *err = ms_cli_open_session(&c, core, &s);
	if (err) {
		ms_cli_report(err);
		rc = MS_EXIT_FATAL;
		goto out;
	}
	progress(show_progress, "finding and judging every map in %s...", core);
	struct ms_scan *sc;
	if ((err = ms_scan_run(s, &so, &sc))) {
		ms_cli_report(ms_error_prefix(err, "%s", core));
		ms_session_destroy(s);
		rc = MS_EXIT_FATAL;
		goto out;
	}

	// The terminal's character set, for the screen and for --dump alike
	// (LC_CTYPE only: numbers keep their '.'). Outside UTF-8 the screen
	// is drawn in ASCII: escapes for names, '-' '|' '+' for lines.
	setlocale(LC_CTYPE, "");
	tui_set_ascii(strcmp(nl_langinfo(CODESET), "UTF-8") != 0);
	struct tui_session ts;
	struct tui_source src;
	struct tui_context ctx;
	tui_session_init(&ts, core, sc, &src, &ctx);
	struct ms_view *v = ms_view_create(sc, &src, &ctx, rows, cols);
	if (sc->n_notes && !v->status[0])
		ms_view_status(v, false, "note: %s", sc->notes[0]);
	apply_keys(v, ev, n_ev);
	if (dump) {
		struct tui_canvas canvas;
		tui_canvas_init(&canvas);
		tui_render(v, &canvas);
		ms_cli_safe_stdout();
		tui_canvas_dump(&canvas, stdout);
		tui_canvas_deinit(&canvas);
	} else if (!v->quit) {
		char msg[200];
		int r = tui_curses_run(v, msg, sizeof(msg));
		if (r < 0) {
			ms_cli_errorf("%s", msg);
			rc = MS_EXIT_FATAL;
		}
	}
	// What y copied, for a terminal that took no OSC 52 (and for --dump).
	for (size_t i = 0; i < v->n_copied; i++)
		printf("copied 0x%" PRIx64 "\n", v->copied[i]);
	ms_view_destroy(v);
	tui_session_deinit(&ts);
	ms_scan_destroy(sc);
	ms_session_destroy(s);
out:
	free(ev);
	ms_cli_common_deinit(&c);
	return rc;
}
