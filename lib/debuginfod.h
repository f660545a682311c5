/* Fetching an executable or plugin by build id from debuginfod servers (DEBUGINFOD_URLS), through libdebuginfod and its cache. */
#ifndef MS_DEBUGINFOD_H
#define MS_DEBUGINFOD_H

#include <stdbool.h>

#include "error.h"

/**
 * Progress of a download: @p done of @p total bytes (@p total 0 or less
 * when unknown). Return true to cancel.
 */
typedef bool ms_debuginfod_progress_fn(void *arg, const char *build_id,
				       long done, long total);

/** Whether this build has libdebuginfod. */
bool ms_debuginfod_available(void);

/**
 * Fetch the executable file whose GNU build id is @p build_id (lower-case
 * hex) from the servers of DEBUGINFOD_URLS, or take it from libdebuginfod's
 * cache ($DEBUGINFOD_CACHE_PATH, else ~/.cache/debuginfod_client).
 * @param[in] progress called during a download; may be NULL.
 * @param[out] ret the path of the file in the cache, to free.
 * @return NULL; MS_ERR_NOT_FOUND when no server has it or DEBUGINFOD_URLS
 * is not set; MS_ERR_UNSUPPORTED without libdebuginfod; MS_ERR_OS for
 * other failures (the message names the build id and the servers).
 */
struct ms_error *ms_debuginfod_find_executable(const char *build_id,
					       ms_debuginfod_progress_fn *progress,
					       void *progress_arg, char **ret);

#endif /* MS_DEBUGINFOD_H */
