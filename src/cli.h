/* Shared pieces of the command line: the subcommand table, common options, exit codes. */
#ifndef MS_CLI_H
#define MS_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

/*
 * Exit codes (after eu-stack), the same for every subcommand:
 *   0  everything was shown and nothing is suspect
 *   1  suspects were found, or results are partial (warnings)
 *   2  fatal: the input is unusable and nothing was shown
 *  64  usage error
 */
enum {
	MS_EXIT_OK = 0,
	MS_EXIT_SUSPECT = 1,
	MS_EXIT_FATAL = 2,
	MS_EXIT_USAGE = 64,
};

/** Options that every subcommand reading a core accepts. */
struct ms_cli_common {
	const char *exe;		/**< --exe, or NULL to find it from the core */
	const char *sysroot;		/**< --sysroot */
	const char **solib_search;	/**< --solib-search, repeatable */
	size_t n_solib_search;
	bool json;			/**< --json */
	/** --color=WHEN: -1 never, 0 auto (a terminal, NO_COLOR unset, TERM not dumb), 1 always. */
	int color;
	const char *core;		/**< -c, --core: coredumpctl's "EXE -c CORE" form */
	char pid_core[32];		/**< --pid PID as the core name "/proc/PID", or "" */
	bool no_stop;			/**< --no-stop: read a live process without stopping it */
	bool no_debuginfod;		/**< --no-debuginfod */
};

/** Whether text for @p out gets colour, after --color and NO_COLOR (as GNU tools decide). */
bool ms_cli_color(const struct ms_cli_common *c, FILE *out);

/** Columns of the terminal @p out writes to, or 80 when it is none. */
int ms_cli_width(FILE *out);

/** The ENVIRONMENT and EXIT STATUS paragraphs ending each command's help. */
void ms_cli_env_help(FILE *out, const char *exit_status);

/** ms_cli_env_help() with the command's own environment lines @p more_env (or NULL). */
void ms_cli_env_help_more(FILE *out, const char *more_env, const char *exit_status);

struct ms_cli_command {
	const char *name;
	const char *usage;	/**< one line after "mapsleuth NAME " */
	const char *summary;	/**< one line for the top-level help */
	int (*run)(int argc, char **argv);
	void (*help)(FILE *out);
};

extern const struct ms_cli_command ms_cli_commands[];

/**
 * Print "mapsleuth: <message>" for @p err on stderr and destroy it.
 * The one place where errors reach the user.
 */
void ms_cli_report(struct ms_error *err);

/** Print "mapsleuth: <printf message>" on stderr. */
void ms_cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Print a warning "mapsleuth: warning: ..." on stderr. */
void ms_cli_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** "mapsleuth: note: <message>" on stderr, controls made visible. */
void ms_cli_notef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * @p s with every control made visible (ms_escape_term), for printf
 * arguments: valid until eight more calls. Dies when out of memory.
 */
const char *ms_cli_safe(const char *s);

/**
 * From now on, standard output shows every control character in what is
 * printed as ms_escape_term() does, except newlines and tabs: strings from
 * the core cannot drive the terminal, whatever prints them. Not for curses.
 */
void ms_cli_safe_stdout(void);

/**
 * From now on, fold each line of standard output wider than @p width
 * columns at spaces (0: never), the parts after the first indented under
 * it. A word wider than the line stays whole. Through the filter of
 * ms_cli_safe_stdout() only.
 */
void ms_cli_fold_stdout(int width);

/**
 * Write the tool's own colour, an SGR sequence (ESC [ ... m; "" writes
 * nothing), to @p out. Through the stdout filter it passes as it is, and
 * only it: what is printed before is flushed and escaped first, and the
 * filter lets through nothing but SGR sequences while it writes.
 */
void ms_cli_put_sgr(FILE *out, const char *sgr);

/** Flush and remove the filter. @return 0, or EOF when writing failed. */
int ms_cli_safe_stdout_finish(void);

/**
 * Parse one common option at argv[*i] (forms "--opt VALUE" and
 * "--opt=VALUE").
 * @return 1 if it was one (and *i advanced past its value), 0 if it is not
 * a common option, -1 on a usage error (already reported).
 */
int ms_cli_common_option(struct ms_cli_common *c, int argc, char **argv, int *i);

/**
 * Settle which cores a command reads. @p pos holds the positional arguments
 * that name cores (*@p n of them, with room for one more). With --core, a
 * lone positional is the executable, as coredumpctl runs a debugger:
 * "DEBUGGER [ARGS] EXE -c CORE"; --pid PID adds "/proc/PID".
 * @return 0, or -1 after a usage message for @p cmd.
 */
int ms_cli_common_cores(struct ms_cli_common *c, const char *cmd,
			const char **pos, size_t *n);

/**
 * Parse a whole non-negative number: decimal, or hex after "0x" (base 0),
 * or hex with or without "0x" (base 16). Signs, spaces, garbage and values
 * past @p max (or past 64 bits) are refused.
 * @return true and *ret set, or false
 */
bool ms_cli_parse_u64(const char *s, int base, uint64_t max, uint64_t *ret);

/** Free what ms_cli_common_option allocated. */
void ms_cli_common_deinit(struct ms_cli_common *c);

/** The help text lines for the common options, for each command's --help. */
void ms_cli_common_help(FILE *out);

#endif /* MS_CLI_H */
