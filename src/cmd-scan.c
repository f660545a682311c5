/* mapsleuth scan: every map in a core, suspects worst first. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "json.h"
#include "open.h"
#include "report.h"
#include "story.h"
#include "scan.h"

void ms_cmd_scan_help(FILE *out)
{
	fputs("usage: mapsleuth scan [OPTIONS] CORE...\n"
	      "\n"
	      "Find every Go map in CORE and judge it: ok, dangling, freed, foreign,\n"
	      "corrupt or not-dumped. Suspects are listed worst first.\n"
	      "\n"
	      "options:\n",
	      out);
	ms_cli_common_help(out);
	fputs("  --all                list maps judged ok as well\n"
	      "  -v, --verbose        every reason, alias and code reference of each map\n"
	      "  --no-heap-scan       do not look for headers among heap objects\n"
	      "  --max-buckets N      read at most N buckets or groups per map\n"
	      "  --jobs N             judge maps on N threads (default: one per CPU);\n"
	      "                       the output is the same for any N\n"
	      "\n"
	      "With several cores, each is scanned on its own (its executable found\n"
	      "from the core); --json then prints one line per core.\n"
	      "Each suspect takes three lines that fit 80 columns (or the terminal):\n"
	      "the map, the first reason, the code that uses it; --verbose and\n"
	      "'mapsleuth show' give the rest.\n",
	      out);
	ms_cli_env_help(out, "  0 every map known was judged ok; 1 suspects found or results\n"
			"  partial (a map not judged, a module, the heap or notes lost);\n"
			"  2 unusable input; 64 usage error\n");
}

/*
 * A command to run next after @p label, within the report's width: wrapped
 * before an option (or, when an option and its value do not fit a line
 * together, before the value) with the shell's line continuation, so that
 * it still pastes as one command. A word longer than a line stays whole.
 */
static void print_command(const char *label, const char *cmd)
{
	const struct ms_report_style *st = ms_report_style();
	int indent = (int)strlen(label), width = st->width;
	fputs(label, stdout);
	if (st->verbose || indent + (int)strlen(cmd) <= width) {
		printf("%s\n", cmd);
		return;
	}
	int col = indent;
	bool first = true;
	for (const char *p = cmd; *p;) {
		// The next group: an option and its value, or one word.
		const char *end = p + strcspn(p, " ");
		const char *value = NULL;
		if (p[0] == '-' && p[1] == '-' && *end) {
			value = end + 1;
			end = value + strcspn(value, " ");
		}
		int len = (int)(end - p);
		if (first) {
			printf("%.*s", len, p);
			col += len;
		} else if (col + 1 + len + 2 <= width) {
			printf(" %.*s", len, p);
			col += 1 + len;
		} else if (!value || indent + 2 + len + 2 <= width ||
			   indent + 4 + (int)(end - value) + 2 > width) {
			// One word, an option and value that fit, or a value
			// too long for any line: cutting it would not help.
			printf(" \\\n%*s%.*s", indent + 2, "", len, p);
			col = indent + 2 + len;
		} else {
			int opt = (int)(value - 1 - p);
			printf(" \\\n%*s%.*s \\\n%*s%.*s", indent + 2, "", opt, p, indent + 4, "",
			       (int)(end - value), value);
			col = indent + 4 + (int)(end - value);
		}
		first = false;
		p = *end ? end + 1 : end;
	}
	putchar('\n');
}

static void print_text(const struct ms_cli_common *c, const char *core_path,
		       struct ms_scan *sc, const struct ms_provenance *prov, bool all)
{
	struct ms_session *s = sc->session;
	// The crash story opens the report: what killed the process.
	ms_story_print(stdout, s, sc->story, sc);
	ms_report_header(stdout, core_path, s, prov);

	size_t shown = 0;
	for (size_t i = 0; i < sc->n_maps; i++) {
		const struct ms_scan_map *m = &sc->maps[i];
		if (!all && !ms_report_map_listed(sc, i))
			continue;
		if (!shown++)
			printf("\n%3s %-10s %-14s  %s\n", "#", "verdict", "header",
			       "map (module), then why");
		if (ms_report_style()->verbose) {
			ms_report_map_line(stdout, sc, m);
			ms_report_map_prov_lines(stdout, sc, ms_provenance_find(prov, m));
		} else {
			ms_report_map_brief(stdout, sc, m, ms_provenance_find(prov, m));
		}
	}
	// With no map at all, the summary below says so and why.
	if (!shown && sc->n_maps)
		printf(sc->partial ? "\nno suspect among the maps judged; results are partial.\n"
				   : "\nno suspect map.\n");
	printf("\n");
	ms_report_summary(stdout, sc, prov);
	if (sc->suspects) {
		// The commands to run next, with the options this one needed.
		char opts[2048] = "";
		size_t n = 0;
		if (c->exe)
			n += (size_t)snprintf(opts + n, sizeof(opts) - n, " --exe %s", c->exe);
		if (c->sysroot && n < sizeof(opts))
			n += (size_t)snprintf(opts + n, sizeof(opts) - n, " --sysroot %s", c->sysroot);
		for (size_t i = 0; i < c->n_solib_search && n < sizeof(opts); i++)
			n += (size_t)snprintf(opts + n, sizeof(opts) - n, " --solib-search %s",
					      c->solib_search[i]);
		char cmd[2600];
		snprintf(cmd, sizeof(cmd), "mapsleuth show%s %s %u", opts, core_path, sc->maps[0].id);
		print_command("next: ", cmd);
		snprintf(cmd, sizeof(cmd), "mapsleuth tui%s %s", opts, core_path);
		print_command("      ", cmd);
	}
}

enum {
	// Cores larger than this get a progress line on a terminal.
	PROGRESS_MIN_BYTES = 256 << 20,
};

/*
 * A progress line on stderr, when stderr is a terminal and the core is
 * large; erased when the scan is done (@p msg NULL).
 */
static void progress(const char *core, const char *msg)
{
	static bool shown;
	struct stat st;
	if (!msg) {
		if (shown)
			fputs("\r\033[K", stderr);
		shown = false;
		return;
	}
	if (!isatty(STDERR_FILENO) || stat(core, &st) != 0 ||
	    st.st_size < PROGRESS_MIN_BYTES)
		return;
	fprintf(stderr, "\r\033[Kmapsleuth: %s %s (%.1f GiB)...", msg, core,
		(double)st.st_size / (1 << 30));
	shown = true;
}

static int scan_one(const struct ms_cli_common *c, const char *core, bool all,
		    const struct ms_scan_options *so, bool one_line)
{
	struct ms_session *s;
	progress(core, "reading");
	struct ms_error *err = ms_cli_open_session(c, core, &s);
	if (err) {
		progress(core, NULL);
		ms_cli_report(err);
		return MS_EXIT_FATAL;
	}
	struct ms_scan *sc;
	progress(core, "finding and judging every map in");
	err = ms_scan_run(s, so, &sc);
	progress(core, NULL);
	if (err) {
		ms_cli_report(ms_error_prefix(err, "%s", core));
		ms_session_destroy(s);
		return MS_EXIT_FATAL;
	}
	// Provenance is cheap but for the code references, which are looked
	// for only for the suspects: a scan with nothing wrong sweeps no code.
	struct ms_provenance *prov = NULL;
	if ((err = ms_provenance_create(sc, &prov)) ||
	    ((err = ms_provenance_xrefs_suspects(prov)) && err->code == MS_ERR_NOMEM)) {
		ms_cli_report(ms_error_prefix(err, "%s", core));
		ms_provenance_destroy(prov);
		ms_scan_destroy(sc);
		ms_session_destroy(s);
		return MS_EXIT_FATAL;
	}
	if (err)
		ms_cli_report(ms_error_prefix(err, "%s: code references not looked for", core));
	if (c->json)
		ms_report_scan_json(stdout, core, sc, prov, all, one_line);
	else
		print_text(c, core, sc, prov, all);
	// 0 only when every map known was judged ok and nothing was lost.
	int rc = sc->suspects || sc->partial ? MS_EXIT_SUSPECT : MS_EXIT_OK;
	// A release without tables and without DWARF: partial, never a
	// clean bill (the warning said what is missing).
	if (ms_session_go_unknown(s))
		rc = MS_EXIT_SUSPECT;
	ms_provenance_destroy(prov);
	ms_scan_destroy(sc);
	ms_session_destroy(s);
	return rc;
}

int ms_cmd_scan(int argc, char **argv)
{
	struct ms_cli_common c = { 0 };
	struct ms_scan_options so = { 0 };
	bool all = false, verbose = false;
	const char **cores = calloc((size_t)argc + 1, sizeof(*cores));
	size_t n_cores = 0;
	int rc = MS_EXIT_OK;
	if (!cores) {
		ms_cli_errorf("out of memory");
		return MS_EXIT_FATAL;
	}
	for (int i = 1; i < argc; i++) {
		int r = ms_cli_common_option(&c, argc, argv, &i);
		if (r < 0) {
			rc = MS_EXIT_USAGE;
			goto out;
		}
		if (r > 0)
			continue;
		if (strcmp(argv[i], "--all") == 0) {
			all = true;
		} else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
			verbose = true;
		} else if (strcmp(argv[i], "--no-heap-scan") == 0) {
			so.no_heap_scan = true;
		} else if (strcmp(argv[i], "--max-buckets") == 0 && i + 1 < argc) {
			uint64_t v = 0;
			if (!ms_cli_parse_u64(argv[++i], 0, UINT64_MAX, &v) || !v) {
				ms_cli_errorf("--max-buckets needs a positive number, not '%s'", argv[i]);
				rc = MS_EXIT_USAGE;
				goto out;
			}
			so.max_buckets = v;
		} else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc) {
			uint64_t v = 0;
			if (!ms_cli_parse_u64(argv[++i], 0, 64, &v) || !v) {
				ms_cli_errorf("--jobs needs a number of threads from 1 to 64, not '%s'", argv[i]);
				rc = MS_EXIT_USAGE;
				goto out;
			}
			so.jobs = (unsigned)v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			ms_cli_errorf("scan: unknown option '%s'; see 'mapsleuth scan --help'", argv[i]);
			rc = MS_EXIT_USAGE;
			goto out;
		} else {
			cores[n_cores++] = argv[i];
		}
	}
	if (ms_cli_common_cores(&c, "scan", cores, &n_cores) < 0) {
		rc = MS_EXIT_USAGE;
		goto out;
	}
	if (!n_cores) {
		ms_cli_errorf("scan: no core file given; see 'mapsleuth scan --help'");
		rc = MS_EXIT_USAGE;
		goto out;
	}
	if (n_cores > 1 && c.exe) {
		ms_cli_errorf("scan: --exe applies to one core; with several, each core's executable is found from the core");
		rc = MS_EXIT_USAGE;
		goto out;
	}
	struct ms_report_style st = { verbose, ms_cli_color(&c, stdout), ms_cli_width(stdout) };
	ms_report_set_style(&st);
	for (size_t i = 0; i < n_cores; i++) {
		if (n_cores > 1 && !c.json)
			printf("%s==> %s <==\n", i ? "\n" : "", cores[i]);
		int r = scan_one(&c, cores[i], all, &so, n_cores > 1);
		if (r > rc)
			rc = r;
		fflush(stdout);
	}
out:
	free(cores);
	ms_cli_common_deinit(&c);
	return rc;
}
