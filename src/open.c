/* Opening a session from the common command-line options, for every command that reads a core. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decompress.h"
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
	int fd = -1;
	struct ms_error *err;
	if (strcmp(core_path, "-") == 0) {
		if ((err = stdin_core(&fd)))
			return err;
		o.core_path = "standard input";
		o.core_fd = fd;
	}
	err = ms_session_open(&o, ret);
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
