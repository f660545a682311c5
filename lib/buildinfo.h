/* The Go version of a module from its .go.buildinfo section, for binaries without DWARF. */
#ifndef MS_BUILDINFO_H
#define MS_BUILDINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gelf.h>

#include "error.h"

/**
 * Decode the bytes of a .go.buildinfo section (Go 1.18+ inline-string
 * format: magic, pointer size, flags, then uvarint-prefixed version and
 * module info).
 * @param[out] version_ret the version string ("go1.24.0 X:noswissmap"),
 * malloc'ed.
 * @param[out] modinfo_ret the module info text without its sentinels,
 * malloc'ed (possibly ""); may be NULL.
 * @return NULL, MS_ERR_BAD_DATA (no magic, truncated), MS_ERR_UNSUPPORTED
 * (pre-1.18 pointer format, big endian).
 */
struct ms_error *ms_buildinfo_parse(const void *buf, size_t len,
				    const char *name, char **version_ret,
				    char **modinfo_ret);

/**
 * Find and decode the build info of @p elf: the .go.buildinfo section, or
 * without section headers the first writable, non-executable PT_LOAD
 * searched for the magic at 16-byte alignment (as debug/buildinfo does).
 * @param[out] version_ret malloc'ed version string.
 * @return NULL, MS_ERR_NOT_FOUND when there is none (Go 1.19/1.20 plugins
 * have none), or an error from ms_buildinfo_parse().
 */
struct ms_error *ms_buildinfo_read(Elf *elf, char **version_ret);

/** A Go release as far as layouts care. */
struct ms_go_version {
	unsigned major, minor, patch;	/**< "go1.24.3" → 1, 24, 3 */
	bool noswissmap;		/**< built with GOEXPERIMENT=noswissmap */
	bool mapsplitgroup;		/**< GOEXPERIMENT=mapsplitgroup (1.27+): keys then elems in a group */
	bool devel;			/**< a development build ("go1.26-devel_...") */
};

/**
 * Parse a Go version string: "go1.21.0", "go1.24.0 X:noswissmap",
 * "go1.26.0-X:nodwarf5" (1.26 separator), "go1.27.3 X:mapsplitgroup",
 * "go1.26-devel_2baa1d1762p ...",
 * "devel go1.27-..." .
 * @return false when it does not start with a Go version.
 */
bool ms_go_version_parse(const char *s, struct ms_go_version *ret);

#endif /* MS_BUILDINFO_H */
