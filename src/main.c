/* mapsleuth: find Go map headers whose buckets or groups lead nowhere, in a core dump. */
#include "config.h"

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "debuginfod.h"
#include "decompress.h"
#include "commands.h"

int ms_cmd_info(int argc, char **argv);
void ms_cmd_info_help(FILE *out);
int ms_cmd_layout(int argc, char **argv);
void ms_cmd_layout_help(FILE *out);

// One row per subcommand; the table drives dispatch and the top-level help.
const struct ms_cli_command ms_cli_commands[] = {
	{ "info", "[--exe EXE] [--sysroot DIR] [--solib-search DIR]... [--json] CORE",
	  "show the crash story, crashed goroutine, process, modules, mappings",
	  ms_cmd_info, ms_cmd_info_help },
	{ "layout", "[--json] [-c CORE [--sysroot DIR] [--solib-search DIR]...] BINARY",
	  "show how a Go binary lays out its maps (runtime structures, map types)",
	  ms_cmd_layout, ms_cmd_layout_help },
	{ "scan", "[OPTIONS] CORE...",
	  "find every map and judge it; suspects worst first",
	  ms_cmd_scan, ms_cmd_scan_help },
	{ "show", "[OPTIONS] CORE ID|ADDRESS",
	  "show one map in full: fields, pointers, roots, entries",
	  ms_cmd_show, ms_cmd_show_help },
	{ "tui", "[OPTIONS] CORE",
	  "browse the maps in the terminal: follow pointers, read memory and code",
	  ms_cmd_tui, ms_cmd_tui_help },
	{ NULL, NULL, NULL, NULL, NULL },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mapsleuth [--version] [--help] COMMAND [OPTIONS] CORE ...\n"
		"\n"
		"Find Go map headers in a core dump whose bucket or group pointers lead\n"
		"outside live memory, and say where each came from.\n"
		"\n"
		"commands:\n");
	for (const struct ms_cli_command *c = ms_cli_commands; c->name; c++)
		fprintf(out, "  %-8s %s\n", c->name, c->summary);
	fprintf(out,
		"\n"
		"'mapsleuth COMMAND --help' describes one command. The manual has it all:\n"
		"man mapsleuth once installed; from a source tree, man -l doc/mapsleuth.1.\n"
		"\n"
		"environment:\n"
		"  NO_COLOR   when set and not empty, no colour (unless --color=always)\n"
		"\n"
		"exit status:\n"
		"  0 every map known was judged ok; 1 suspects found or results\n"
		"  partial (a map not judged, a module, the heap or notes lost);\n"
		"  2 unusable input; 64 usage error\n");
}

/*
 * The heap in 2 MiB pages where the kernel allows it (transparent huge
 * pages in "madvise" mode, Debian's default). A scan of 10,000 maps
 * writes about 2,700 fresh 4 KiB pages of its own memory, each a page
 * fault that also clears the page; in a virtual machine a fault costs
 * 10 to 15 us, 30 ms in all, a quarter of such a scan. malloc is asked
 * to take its first 64 MiB of address space (not memory: pages are still
 * given as they are touched) in one piece, to keep it, and to serve
 * blocks of up to 32 MiB from it; that piece is then marked for huge
 * pages. The kernel refusing (no THP, an old kernel) changes nothing.
 */
static void heap_in_huge_pages(void)
{
#if defined(M_TOP_PAD) && defined(MADV_HUGEPAGE)
	enum { RESERVE = 64 << 20, HUGE = 2 << 20 };
	if (!mallopt(M_TOP_PAD, RESERVE) || !mallopt(M_TRIM_THRESHOLD, 2 * RESERVE) ||
	    !mallopt(M_MMAP_THRESHOLD, RESERVE / 2))
		return;
	void *p = malloc(1);
	void *brk_now = sbrk(0);
	if (p && brk_now != (void *)-1) {
		uintptr_t lo = ((uintptr_t)p + HUGE - 1) & ~(uintptr_t)(HUGE - 1);
		uintptr_t hi = (uintptr_t)brk_now & ~(uintptr_t)(HUGE - 1);
		if (hi > lo)
			(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	}
	free(p);
#endif
}

int main(int argc, char **argv)
{
	heap_in_huge_pages();
	if (argc < 2) {
		usage(stderr);
		return MS_EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("mapsleuth %s\n", PACKAGE_VERSION);
		// What optional libraries this build has (see configure).
		printf("features:%s%s%s%s\n",
		       ms_codec_supported(MS_CODEC_ZSTD) ? " zstd" : "",
		       ms_codec_supported(MS_CODEC_XZ) ? " xz" : "",
		       ms_codec_supported(MS_CODEC_LZ4) ? " lz4" : "",
		       ms_debuginfod_available() ? " debuginfod" : "");
		return MS_EXIT_OK;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		if (argc > 2 && strcmp(cmd, "help") == 0) {
			for (const struct ms_cli_command *c = ms_cli_commands; c->name; c++) {
				if (strcmp(c->name, argv[2]) == 0) {
					c->help(stdout);
					return MS_EXIT_OK;
				}
			}
			ms_cli_errorf("no such command '%s'", argv[2]);
			return MS_EXIT_USAGE;
		}
		usage(stdout);
		return MS_EXIT_OK;
	}
	for (const struct ms_cli_command *c = ms_cli_commands; c->name; c++) {
		if (strcmp(c->name, cmd) != 0)
			continue;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--") == 0)
				break;
			if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
				c->help(stdout);
				return MS_EXIT_OK;
			}
		}
		// Text from the core reaches stdout only through the filter
		// (the tui sets it up itself for --dump: curses needs the
		// terminal).
		if (c->run != ms_cmd_tui)
			ms_cli_safe_stdout();
		int rc = c->run(argc - 1, argv + 1);
		if (ms_cli_safe_stdout_finish() != 0 && rc < MS_EXIT_FATAL) {
			ms_cli_errorf("cannot write the output");
			rc = MS_EXIT_FATAL;
		}
		return rc;
	}
	ms_cli_errorf("'%s' is not a command; see 'mapsleuth --help'", cmd);
	return MS_EXIT_USAGE;
}
