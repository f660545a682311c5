/* Opening a session from the common command-line options, for every command that reads a core. */
#ifndef MS_OPEN_H
#define MS_OPEN_H

#include "cli.h"
#include "session.h"

/**
 * Open @p core_path with the executable, sysroot and search directories of
 * @p c; warnings go to stderr as "mapsleuth: warning: ...".
 */
struct ms_error *ms_cli_open_session(const struct ms_cli_common *c,
				     const char *core_path,
				     struct ms_session **ret);

/**
 * The same as ms_cli_open_session(), with warnings going to @p warn_fn.
 * @p core_path "-" reads the core from standard input.
 */
struct ms_error *ms_cli_open_session_warn(const struct ms_cli_common *c,
					  const char *core_path,
					  void (*warn_fn)(void *arg, const char *msg),
					  void *warn_arg,
					  struct ms_session **ret);

/** "basename" of a path, borrowed. */
const char *ms_cli_basename(const char *path);

#endif /* MS_OPEN_H */
