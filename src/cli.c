/* Common option parsing and error reporting for all subcommands. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

void ms_cli_report(struct ms_error *err)
{
	if (!err)
		return;
	fprintf(stderr, "mapsleuth: %s\n", err->message);
	ms_error_destroy(err);
}

void ms_cli_errorf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mapsleuth: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void ms_cli_warnf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mapsleuth: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

// Match "--name VALUE" or "--name=VALUE"; set *value and advance *i.
static int option_value(const char *name, int argc, char **argv, int *i,
			const char **value)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);
	if (strncmp(arg, name, n) != 0)
		return 0;
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return 1;
	}
	if (arg[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		ms_cli_errorf("option '%s' needs a value", name);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

int ms_cli_common_option(struct ms_cli_common *c, int argc, char **argv, int *i)
{
	const char *v;
	int r;
	if (strcmp(argv[*i], "--json") == 0) {
		c->json = true;
		return 1;
	}
	if (strcmp(argv[*i], "--color") == 0 || strcmp(argv[*i], "--colour") == 0) {
		c->color = 1;
		return 1;
	}
	if (strncmp(argv[*i], "--color=", 8) == 0 || strncmp(argv[*i], "--colour=", 9) == 0) {
		const char *when = strchr(argv[*i], '=') + 1;
		if (!strcmp(when, "always") || !strcmp(when, "yes") || !strcmp(when, "force"))
			c->color = 1;
		else if (!strcmp(when, "never") || !strcmp(when, "no") || !strcmp(when, "none"))
			c->color = -1;
		else if (!strcmp(when, "auto") || !strcmp(when, "tty") || !strcmp(when, "if-tty"))
			c->color = 0;
		else {
			ms_cli_errorf("--color takes auto, always or never, not '%s'", when);
			return -1;
		}
		return 1;
	}
	if ((r = option_value("--exe", argc, argv, i, &v)) != 0) {
		if (r > 0)
			c->exe = v;
		return r;
	}
	if ((r = option_value("--sysroot", argc, argv, i, &v)) != 0) {
		if (r > 0)
			c->sysroot = v;
		return r;
	}
	if ((r = option_value("--core", argc, argv, i, &v)) != 0 ||
	    (r = option_value("-c", argc, argv, i, &v)) != 0) {
		if (r > 0)
			c->core = v;
		return r;
	}
	if ((r = option_value("--pid", argc, argv, i, &v)) != 0) {
		if (r < 0)
			return r;
		char *end;
		errno = 0;
		long pid = strtol(v, &end, 10);
		if (*end || end == v || pid <= 0 || pid > INT32_MAX || errno) {
			ms_cli_errorf("--pid needs a process id, not '%s'", v);
			return -1;
		}
		snprintf(c->pid_core, sizeof(c->pid_core), "/proc/%ld", pid);
		return 1;
	}
	if (strcmp(argv[*i], "--no-stop") == 0) {
		c->no_stop = true;
		return 1;
	}
	if (strcmp(argv[*i], "--no-debuginfod") == 0) {
		c->no_debuginfod = true;
		return 1;
	}
	if ((r = option_value("--solib-search", argc, argv, i, &v)) != 0) {
		if (r < 0)
			return r;
		const char **n = realloc(c->solib_search,
					 (c->n_solib_search + 1) * sizeof(*n));
		if (!n) {
			ms_cli_errorf("out of memory");
			exit(MS_EXIT_FATAL);
		}
		n[c->n_solib_search++] = v;
		c->solib_search = n;
		return 1;
	}
	return 0;
}

bool ms_cli_color(const struct ms_cli_common *c, FILE *out)
{
	if (c->color)
		return c->color > 0;
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	if (no && *no)
		return false;
	if (term && strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(out));
}

int ms_cli_width(FILE *out)
{
	struct winsize ws;
	if (isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	return 80;
}

void ms_cli_env_help(FILE *out, const char *exit_status)
{
	fprintf(out,
		"\n"
		"environment:\n"
		"  NO_COLOR             when set and not empty, no colour (unless --color=always)\n"
		"  TERM                 'dumb' means no colour\n"
		"\n"
		"exit status:\n"
		"%s"
		"\n"
		"The manual: man mapsleuth once installed; in a build tree,\n"
		"man -l doc/mapsleuth.1 from the source directory.\n",
		exit_status);
}

int ms_cli_common_cores(struct ms_cli_common *c, const char *cmd,
			const char **pos, size_t *n)
{
	const char *extra = c->core ? c->core : c->pid_core[0] ? c->pid_core : NULL;
	if (c->core && c->pid_core[0]) {
		ms_cli_errorf("%s: --core and --pid name two processes; give one", cmd);
		return -1;
	}
	if (!extra)
		return 0;
	if (c->core && *n == 1 && !c->exe) {
		c->exe = pos[0];
		*n = 0;
	}
	if (*n) {
		ms_cli_errorf("%s: a core file ('%s') and %s %s: give one", cmd, pos[0],
			      c->core ? "--core" : "--pid", c->core ? c->core : c->pid_core + 6);
		return -1;
	}
	pos[(*n)++] = extra;
	return 0;
}

void ms_cli_common_deinit(struct ms_cli_common *c)
{
	free(c->solib_search);
	c->solib_search = NULL;
	c->n_solib_search = 0;
}

void ms_cli_common_help(FILE *out)
{
	fputs("  --exe EXE            the executable (default: found from the core's file notes)\n"
	      "  -c, --core CORE      the core, as coredumpctl passes it: 'EXE -c CORE'\n"
	      "  --pid PID            read the running process PID instead of a core\n"
	      "                       (it is stopped while its memory is copied)\n"
	      "  --no-stop            with --pid: do not stop it (a racy, best-effort read)\n"
	      "  --no-debuginfod      never fetch missing files by build id (DEBUGINFOD_URLS)\n"
	      "  --sysroot DIR        look for the core's files under DIR first\n"
	      "  --solib-search DIR   look for shared objects and plugins in DIR (repeatable)\n"
	      "  --json               print JSON instead of text\n"
	      "  --color[=WHEN]       colour verdicts: auto (default: on a terminal), always, never\n"
	      "  -h, --help           show this help\n"
	      "CORE may be compressed (zstd, xz, lz4), '-' for standard input, or\n"
	      "/proc/PID for a running process (the same as --pid PID).\n",
	      out);
}
