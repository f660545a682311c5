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

/** "basename" of a path, borrowed. */
const char *ms_cli_basename(const char *path);

#endif /* MS_OPEN_H */
