/* Fetching an executable or plugin by build id from debuginfod servers (DEBUGINFOD_URLS), through libdebuginfod and its cache. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_DEBUGINFOD
#include <dlfcn.h>
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
/*
 * libdebuginfod is loaded when a file is first fetched, not at start-up:
 * it brings libcurl and its TLS, Kerberos and LDAP libraries, forty shared
 * objects whose loading and initializers cost more CPU (about 16 ms) than
 * the scan of a small core, in every run, fetching or not.
 */
static struct {
	bool tried;
	void *handle;
	char why[256];
	debuginfod_client *(*begin)(void);
	void (*end)(debuginfod_client *);
	int (*find_executable)(debuginfod_client *, const unsigned char *, int, char **);
	void (*set_progressfn)(debuginfod_client *, debuginfod_progressfn_t);
	void (*set_user_data)(debuginfod_client *, void *);
	void *(*get_user_data)(debuginfod_client *);
} lib;

static bool lib_load(void)
{
	if (lib.tried)
		return lib.handle != NULL;
	lib.tried = true;
	static const char name[] = "libdebuginfod.so.1";
	void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(lib.why, sizeof(lib.why), "cannot load %s: %s", name, e ? e : "?");
		return false;
	}
#define SYM(field, sym)                                                         \
	if (!(*(void **)&lib.field = dlsym(h, #sym))) {                      \
		snprintf(lib.why, sizeof(lib.why), "%s has no %s", name, #sym); \
		dlclose(h);                                                    \
		return false;                                                  \
	}
	SYM(begin, debuginfod_begin)
	SYM(end, debuginfod_end)
	SYM(find_executable, debuginfod_find_executable)
	SYM(set_progressfn, debuginfod_set_progressfn)
	SYM(set_user_data, debuginfod_set_user_data)
	SYM(get_user_data, debuginfod_get_user_data)
#undef SYM
	lib.handle = h;
	return true;
}

struct progress {
	ms_debuginfod_progress_fn *fn;
	void *arg;
	const char *build_id;
};

static int progress_cb(debuginfod_client *c, long done, long total)
{
	struct progress *p = lib.get_user_data(c);
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
	if (!lib_load())
		return ms_error_create(MS_ERR_LIB, "build id %s: %s", build_id, lib.why);
	debuginfod_client *c = lib.begin();
	if (!c)
		return ms_error_create(MS_ERR_LIB, "build id %s: cannot start libdebuginfod",
				       build_id);
	struct progress p = { progress, progress_arg, build_id };
	lib.set_user_data(c, &p);
	lib.set_progressfn(c, progress_cb);
	char *path = NULL;
	int fd = lib.find_executable(c, (const unsigned char *)build_id, 0, &path);
	lib.end(c);
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
