/* Opening input files without blocking on special files, and confined to a sysroot. */
#ifndef MS_FILE_H
#define MS_FILE_H

#include <stdbool.h>

#include "error.h"

/**
 * Open @p path for reading, as every input is opened: O_RDONLY | O_NONBLOCK
 * | O_NOCTTY | O_CLOEXEC, after checking with stat() that it is a regular
 * file, and again with fstat() once open. A FIFO, device, directory or
 * socket is refused before it is opened, so none blocks or has its open
 * side effects.
 * @param[out] fd_ret  the descriptor (close it)
 * @return NULL, MS_ERR_OS (with errno) when the file cannot be opened, or
 *         MS_ERR_BAD_DATA "<path>: not a regular file: a FIFO" and the like
 */
struct ms_error *ms_file_open(const char *path, int *fd_ret);

/**
 * Open @p path as it would be seen with @p root as "/": each component is
 * looked up under @p root, ".." at the root stays at the root, and every
 * symbolic link (absolute or relative) is resolved under @p root too, so
 * nothing outside @p root is ever opened. At most 40 links are followed.
 * The file must be regular, as in ms_file_open().
 * @param[in] root     the directory to confine the lookup to
 * @param[in] path     the path recorded in the core (absolute or relative)
 * @param[out] fd_ret  the descriptor (close it)
 */
struct ms_error *ms_file_open_under(const char *root, const char *path,
				    int *fd_ret);

/** Whether @p err is the refusal of a file that is not regular. */
bool ms_file_error_not_regular(const struct ms_error *err);

/**
 * What a file of mode @p mode is, for messages: "a FIFO", "a character
 * device", "a directory"...
 */
const char *ms_file_kind(unsigned mode);

#endif /* MS_FILE_H */
