/* Opening a session from the common command-line options, for every command that reads a core. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decompress.h"
#include "live.h"
#include "open.h"

static void warn(void *arg, const char *msg)
{
	ms_cli_warnf("%s", msg);
}

// "-": the core comes on standard input (coredumpctl dump | mapsleuth scan -).
// It is copied once into a sparse temporary file; a compressed one is
// decompressed when the session opens that file.
static struct ms_error *stdin_core(int *ret)
{
	int fd;
	struct ms_error *err = ms_tmpfile_create(&fd);
	if (err)
		return err;
	struct ms_sparse_writer w;
	ms_sparse_writer_init(&w, fd, "standard input");
	enum { CHUNK = 1 << 20 };
	char *buf = malloc(CHUNK);
	if (!buf) {
		close(fd);
		return &ms_enomem;
	}
	for (;;) {
		ssize_t n = read(STDIN_FILENO, buf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = ms_error_os(errno, "standard input", "cannot read");
			break;
		}
		if (n == 0) {
			err = ms_sparse_writer_finish(&w);
			break;
		}
		if ((err = ms_sparse_writer_write(&w, buf, (size_t)n)))
			break;
	}
	free(buf);
	if (err) {
		close(fd);
		return err;
	}
	*ret = fd;
	return NULL;
}

// "/proc/PID" (what --pid PID names): a live process, not a file.
static int proc_pid(const char *path)
{
	if (strncmp(path, "/proc/", 6) != 0)
		return 0;
	char *end;
	long pid = strtol(path + 6, &end, 10);
	if (end == path + 6 || (*end && strcmp(end, "/") != 0) || pid <= 0 || pid > INT32_MAX)
		return 0;
	return (int)pid;
}

// Download progress on a terminal, erased when done.
static bool fetch_progress(void *arg, const char *build_id, long done, long total)
{
	bool *shown = arg;
	if (!isatty(STDERR_FILENO))
		return false;
	if (total > 0)
		fprintf(stderr, "\r\033[Kmapsleuth: fetching %s from debuginfod: %ld of %ld KiB",
			build_id, done >> 10, total >> 10);
	else
		fprintf(stderr, "\r\033[Kmapsleuth: fetching %s from debuginfod: %ld KiB",
			build_id, done >> 10);
	*shown = true;
	return false;
}

struct ms_error *ms_cli_open_session_warn(const struct ms_cli_common *c,
					  const char *core_path,
					  void (*warn_fn)(void *arg, const char *msg),
					  void *warn_arg,
					  struct ms_session **ret)
{
	struct ms_session_options o = {
		.core_path = core_path,
		.exe_path = c->exe,
		.sysroot = c->sysroot,
		.solib_search = c->solib_search,
		.n_solib_search = c->n_solib_search,
		.warn = warn_fn,
		.warn_arg = warn_arg,
	};
	bool shown = false;
	o.debuginfod = !c->no_debuginfod;
	o.debuginfod_progress = fetch_progress;
	o.debuginfod_progress_arg = &shown;
	int fd = -1, pid;
	struct ms_error *err;
	if ((pid = proc_pid(core_path))) {
		struct ms_live_options lo = {
			.pid = pid,
			.no_stop = c->no_stop,
			.warn = warn_fn,
			.warn_arg = warn_arg,
		};
		struct ms_live_stats st;
		if ((err = ms_live_snapshot(&lo, &fd, &st)))
			return err;
		if (isatty(STDERR_FILENO) && !c->no_stop)
			fprintf(stderr, "mapsleuth: %s: %u threads stopped for %.1f ms to copy %.1f MiB of %u mappings\n",
				core_path, st.threads, st.stopped_usec / 1000.0,
				st.bytes / 1048576.0, st.mappings);
		o.core_fd = fd;
	} else if (strcmp(core_path, "-") == 0) {
		if ((err = stdin_core(&fd)))
			return err;
		o.core_path = "standard input";
		o.core_fd = fd;
	}
	err = ms_session_open(&o, ret);
	if (shown)
		fputs("\r\033[K", stderr);
	if (fd >= 0)
		close(fd);
	return err;
}

struct ms_error *ms_cli_open_session(const struct ms_cli_common *c,
				     const char *core_path,
				     struct ms_session **ret)
{
	return ms_cli_open_session_warn(c, core_path, warn, NULL, ret);
}

const char *ms_cli_basename(const char *path)
{
	const char *b = path ? strrchr(path, '/') : NULL;
	return b ? b + 1 : path ? path : "";
}
