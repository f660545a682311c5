/* Fetching an executable or plugin by build id from debuginfod servers (DEBUGINFOD_URLS), through libdebuginfod and its cache. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_DEBUGINFOD
#include <elfutils/debuginfod.h>
#endif

#include "debuginfod.h"

bool ms_debuginfod_available(void)
{
#ifdef HAVE_DEBUGINFOD
	return true;
#else
	return false;
#endif
}

#ifdef HAVE_DEBUGINFOD
struct progress {
	ms_debuginfod_progress_fn *fn;
	void *arg;
	const char *build_id;
};

static int progress_cb(debuginfod_client *c, long done, long total)
{
	struct progress *p = debuginfod_get_user_data(c);
	return p && p->fn && p->fn(p->arg, p->build_id, done, total) ? 1 : 0;
}
#endif

struct ms_error *ms_debuginfod_find_executable(const char *build_id,
					       ms_debuginfod_progress_fn *progress,
					       void *progress_arg, char **ret)
{
#ifdef HAVE_DEBUGINFOD
	const char *urls = getenv("DEBUGINFOD_URLS");
	if (!urls || !*urls)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "build id %s: DEBUGINFOD_URLS is not set", build_id);
	// Only hex digits go to the servers: the id comes from the core.
	size_t len = strlen(build_id);
	if (len < 2 || len % 2 || strspn(build_id, "0123456789abcdef") != len)
		return ms_error_create(MS_ERR_BAD_DATA, "build id '%s' is not lower-case hex",
				       build_id);
	debuginfod_client *c = debuginfod_begin();
	if (!c)
		return ms_error_create(MS_ERR_LIB, "build id %s: cannot start libdebuginfod",
				       build_id);
	struct progress p = { progress, progress_arg, build_id };
	debuginfod_set_user_data(c, &p);
	debuginfod_set_progressfn(c, progress_cb);
	char *path = NULL;
	int fd = debuginfod_find_executable(c, (const unsigned char *)build_id, 0, &path);
	debuginfod_end(c);
	if (fd < 0) {
		free(path);
		if (fd == -ENOENT)
			return ms_error_create(MS_ERR_NOT_FOUND,
					       "build id %s: no server of DEBUGINFOD_URLS (%s) has it",
					       build_id, urls);
		return ms_error_create(MS_ERR_OS, "build id %s: debuginfod (%s): %s",
				       build_id, urls, strerror(-fd));
	}
	close(fd);
	if (!path)
		return ms_error_create(MS_ERR_LIB, "build id %s: libdebuginfod gave no path",
				       build_id);
	*ret = path;
	return NULL;
#else
	(void)progress;
	(void)progress_arg;
	(void)ret;
	return ms_error_create(MS_ERR_UNSUPPORTED,
			       "build id %s: this mapsleuth was built without libdebuginfod",
			       build_id);
#endif
}
