/* Opening a session from the common command-line options, for every command that reads a core. */
#include "config.h"

#include <string.h>

#include "open.h"

static void warn(void *arg, const char *msg)
{
	ms_cli_warnf("%s", msg);
}

struct ms_error *ms_cli_open_session(const struct ms_cli_common *c,
				     const char *core_path,
				     struct ms_session **ret)
{
	struct ms_session_options o = {
		.core_path = core_path,
		.exe_path = c->exe,
		.sysroot = c->sysroot,
		.solib_search = c->solib_search,
		.n_solib_search = c->n_solib_search,
		.warn = warn,
	};
	return ms_session_open(&o, ret);
}

const char *ms_cli_basename(const char *path)
{
	const char *b = path ? strrchr(path, '/') : NULL;
	return b ? b + 1 : path ? path : "";
}
