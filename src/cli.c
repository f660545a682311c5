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
#include "escape.h"

// Print one message line on stderr with every control made visible: a
// message quotes paths, names and strings from the core.
static void message(const char *prefix, const char *fmt, va_list ap)
{
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	char *safe = msg ? ms_escape_term_dup(msg) : NULL;
	fprintf(stderr, "mapsleuth: %s%s\n", prefix, safe ? safe : "out of memory");
	free(safe);
	free(msg);
}

void ms_cli_report(struct ms_error *err)
{
	if (!err)
		return;
	ms_cli_errorf("%s", err->message);
	ms_error_destroy(err);
}

void ms_cli_errorf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message("", fmt, ap);
	va_end(ap);
}

void ms_cli_warnf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message("warning: ", fmt, ap);
	va_end(ap);
}

void ms_cli_notef(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	message("note: ", fmt, ap);
	va_end(ap);
}

const char *ms_cli_safe(const char *s)
{
	// A few at a time, so one printf can show several.
	static char *ring[8];
	static unsigned next;
	if (!s)
		return NULL;
	char *e = ms_escape_term_dup(s);
	if (!e) {
		ms_cli_errorf("out of memory");
		exit(MS_EXIT_FATAL);
	}
	free(ring[next]);
	ring[next] = e;
	next = (next + 1) % (sizeof(ring) / sizeof(ring[0]));
	return e;
}

/*
 * Standard output goes through a filter that shows every control from the
 * core as ms_escape_term() does, line by line; our own newlines and tabs
 * pass. A UTF-8 sequence cut between two writes waits for its end.
 */
struct safe_stdout {
	FILE *real;
	char carry[4];
	size_t n_carry;
	bool raw;	// ms_cli_put_sgr() is writing the tool's own colour
	int fold;	// fold lines wider than this many columns (0: never)
	char *line;	// with fold: the line being written, escaped
	size_t n_line, cap_line;
};

static struct safe_stdout safe_out;

// Columns of s[0..n): SGR sequences take none, nor UTF-8 continuation bytes.
static size_t fold_step(const char *s, size_t n, size_t i, int *cols)
{
	if (s[i] == '\033' && i + 1 < n && s[i + 1] == '[') {
		size_t j = i + 2;
		while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == ';'))
			j++;
		return j < n ? j + 1 : n;
	}
	*cols += ((unsigned char)s[i] & 0xc0) != 0x80;
	return i + 1;
}

/*
 * One whole line (without its newline) to the terminal, folded at spaces
 * to so->fold columns: each part after the first indented four columns
 * past the line's own indent. A word wider than a line (a long path) stays
 * whole; nothing is ever cut inside a word or a UTF-8 character.
 */
static void fold_line(struct safe_stdout *so, const char *s, size_t n)
{
	int width = so->fold, indent = 0;
	while ((size_t)indent < n && s[indent] == ' ')
		indent++;
	int more = indent + 4 <= width / 2 ? indent + 4 : 4;
	size_t start = 0;
	int lead = 0;	// columns of indent written before s[start]
	for (;;) {
		int cols = lead;
		size_t i = start, space = SIZE_MAX, over_space = SIZE_MAX, paren = SIZE_MAX;
		bool fits = true;
		while (i < n) {
			if (s[i] == ' ' && i > start && (start > 0 || (int)i > indent)) {
				if (cols <= width)
					space = i;
				else if (over_space == SIZE_MAX)
					over_space = i;
				// An aside "(...)" moves down whole when it starts
				// in the line's second half.
				if (cols <= width && cols >= width / 2 && i + 1 < n && s[i + 1] == '(')
					paren = i;
			}
			i = fold_step(s, n, i, &cols);
			if (cols > width)
				fits = false;
			if (!fits && (space != SIZE_MAX || over_space != SIZE_MAX))
				break;
		}
		size_t cut = fits ? n : paren != SIZE_MAX ? paren : space != SIZE_MAX ? space
			     : over_space;
		if (cut == SIZE_MAX || cut >= n) {
			fwrite(s + start, 1, n - start, so->real);
			return;
		}
		size_t end = cut;
		while (end > start && s[end - 1] == ' ')
			end--;
		fwrite(s + start, 1, end - start, so->real);
		fprintf(so->real, "\n%*s", more, "");
		lead = more;
		start = cut;
		while (start < n && s[start] == ' ')
			start++;
		if (start == n)
			return;
	}
}

// Escaped bytes on their way out: as they are, or gathered into lines to fold.
static void put_out(struct safe_stdout *so, const char *s, size_t n)
{
	if (!so->fold) {
		fwrite(s, 1, n, so->real);
		return;
	}
	while (n) {
		const char *nl = memchr(s, '\n', n);
		size_t part = nl ? (size_t)(nl - s) : n;
		if (so->n_line + part > so->cap_line) {
			size_t cap = (so->n_line + part) * 2 + 128;
			char *b = realloc(so->line, cap);
			if (!b) {
				// Out of memory: the line goes out unfolded.
				fwrite(so->line, 1, so->n_line, so->real);
				so->n_line = 0;
				fwrite(s, 1, nl ? part + 1 : part, so->real);
				s += nl ? part + 1 : part;
				n -= nl ? part + 1 : part;
				continue;
			}
			so->line = b;
			so->cap_line = cap;
		}
		memcpy(so->line + so->n_line, s, part);
		so->n_line += part;
		if (!nl)
			return;
		fold_line(so, so->line, so->n_line);
		fputc('\n', so->real);
		so->n_line = 0;
		s += part + 1;
		n -= part + 1;
	}
}

static void write_escaped(struct safe_stdout *so, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '\n' && s[i] != '\t')
			continue;
		if (i > start) {
			if (ms_escape_term_clean(s + start, i - start)) {
				put_out(so, s + start, i - start);
			} else {
				size_t need = ms_escape_term(NULL, 0, s + start, i - start);
				char *e = malloc(need + 1);
				if (e) {
					ms_escape_term(e, need + 1, s + start, i - start);
					put_out(so, e, need);
					free(e);
				}
			}
		}
		if (i < n)
			put_out(so, s + i, 1);
		start = i + 1;
	}
}

// Whether s[0..n) is nothing but SGR sequences (ESC [ digits and ; m).
static bool all_sgr(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (n - i < 3 || s[i] != '\033' || s[i + 1] != '[')
			return false;
		for (i += 2; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';'); i++)
			;
		if (i == n || s[i] != 'm')
			return false;
		i++;
	}
	return n > 0;
}

static ssize_t safe_write(void *cookie, const char *buf, size_t size)
{
	struct safe_stdout *so = cookie;
	if (so->raw && all_sgr(buf, size)) {
		// The tool's own colour: whatever came before was flushed and
		// escaped; a cut character waiting for its end shows as it is.
		write_escaped(so, so->carry, so->n_carry);
		so->n_carry = 0;
		put_out(so, buf, size);
		return ferror(so->real) ? -1 : (ssize_t)size;
	}
	char *joined = malloc(so->n_carry + size);
	if (!joined)
		return -1;
	memcpy(joined, so->carry, so->n_carry);
	memcpy(joined + so->n_carry, buf, size);
	size_t n = so->n_carry + size;
	size_t tail = ms_utf8_incomplete_tail(joined, n);
	write_escaped(so, joined, n - tail);
	memcpy(so->carry, joined + n - tail, tail);
	so->n_carry = tail;
	free(joined);
	return ferror(so->real) ? -1 : (ssize_t)size;
}

static int safe_close(void *cookie)
{
	struct safe_stdout *so = cookie;
	write_escaped(so, so->carry, so->n_carry);
	so->n_carry = 0;
	if (so->n_line)
		fold_line(so, so->line, so->n_line);
	so->n_line = 0;
	free(so->line);
	so->line = NULL;
	so->cap_line = 0;
	return fflush(so->real) == 0 && !ferror(so->real) ? 0 : EOF;
}

void ms_cli_safe_stdout(void)
{
	if (safe_out.real)
		return;
	cookie_io_functions_t io = { .write = safe_write, .close = safe_close };
	FILE *f = fopencookie(&safe_out, "w", io);
	if (!f)
		return;
	safe_out.real = stdout;
	setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
	stdout = f;
}

void ms_cli_fold_stdout(int width)
{
	if (!safe_out.real)
		return;
	fflush(stdout);
	safe_out.fold = width > 0 ? width : 0;
}

void ms_cli_put_sgr(FILE *out, const char *sgr)
{
	if (!sgr || !*sgr)
		return;
	if (!safe_out.real || out != stdout) {
		fputs(sgr, out);
		return;
	}
	fflush(out);
	safe_out.raw = true;
	fputs(sgr, out);
	fflush(out);
	safe_out.raw = false;
}

int ms_cli_safe_stdout_finish(void)
{
	if (!safe_out.real)
		return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EOF;
	FILE *f = stdout;
	stdout = safe_out.real;
	int r = fclose(f);
	safe_out.real = NULL;
	return r;
}

bool ms_cli_parse_u64(const char *s, int base, uint64_t max, uint64_t *ret)
{
	// strtoull would take "-5" (wrapping), " 5", "+5" and overflow quietly.
	if (!s || !(s[0] >= '0' && s[0] <= '9'))
		return false;
	if (base == 0 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (base == 0)
		base = 10;
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return false;
	uint64_t v = 0;
	for (; *s; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' :
			*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
			*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : 99;
		if (d >= base || v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	if (v > max)
		return false;
	*ret = v;
	return true;
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
	ms_cli_env_help_more(out, NULL, exit_status);
}

void ms_cli_env_help_more(FILE *out, const char *more_env, const char *exit_status)
{
	fprintf(out,
		"\n"
		"environment:\n"
		"  NO_COLOR             when set and not empty, no colour (unless --color=always)\n"
		"  TERM                 'dumb' means no colour\n"
		"%s"
		"\n"
		"exit status:\n"
		"%s"
		"\n"
		"The manual: man mapsleuth once installed; in a build tree,\n"
		"man -l doc/mapsleuth.1 from the source directory.\n",
		more_env ? more_env : "", exit_status);
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
	      "  --sysroot DIR        look for the core's files under DIR, never outside it\n"
	      "  --solib-search DIR   look for shared objects and plugins in DIR (repeatable)\n"
	      "  --json               print JSON instead of text\n"
	      "  --color[=WHEN]       colour verdicts: auto (default: on a terminal), always, never\n"
	      "  -h, --help           show this help\n"
	      "CORE may be compressed (zstd, xz, lz4), '-' for standard input, or\n"
	      "/proc/PID for a running process (the same as --pid PID).\n",
	      out);
}
