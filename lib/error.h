/* Errors returned as values: every fallible library call returns NULL or a struct ms_error. */
#ifndef MS_ERROR_H
#define MS_ERROR_H

#include <stdbool.h>
#include <stdint.h>

/** What went wrong, coarsely; the message says the rest. */
enum ms_error_code {
	MS_ERR_NOMEM = 1,	/**< out of memory */
	MS_ERR_OS,		/**< a system call failed; errnum and path are set */
	MS_ERR_FAULT,		/**< an address could not be read; address and fault are set */
	MS_ERR_BAD_DATA,	/**< corrupt or truncated core, ELF or DWARF */
	MS_ERR_NOT_FOUND,	/**< a symbol, type or file is absent */
	MS_ERR_UNSUPPORTED,	/**< an architecture or Go version we do not handle */
	MS_ERR_LIB,		/**< libelf, libdw or capstone reported an error */
	MS_ERR_MISMATCH,	/**< a file does not belong with the core (build id) */
	MS_ERR_USAGE,		/**< the caller asked for something impossible */
};

/** Why memory could not be read (for MS_ERR_FAULT). */
enum ms_fault_kind {
	MS_FAULT_NONE = 0,
	MS_FAULT_UNMAPPED,	/**< no mapping of the process covers the address */
	MS_FAULT_NOT_DUMPED,	/**< mapped, but its bytes are not in the core */
	MS_FAULT_TRUNCATED,	/**< the core file ends before the bytes */
};

struct ms_error {
	enum ms_error_code code;
	enum ms_fault_kind fault;	/**< for MS_ERR_FAULT */
	int errnum;			/**< for MS_ERR_OS */
	uint64_t address;		/**< for MS_ERR_FAULT */
	char *message;			/**< one line, lower case, no full stop */
};

/** Returned when allocating failed; never allocated, never freed. */
extern struct ms_error ms_enomem;

/**
 * Make an error from a printf-style message.
 * @return the error, or &ms_enomem when even that cannot be allocated.
 */
struct ms_error *ms_error_create(enum ms_error_code code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** An MS_ERR_OS error: "<what>: <path>: <strerror(errnum)>". */
struct ms_error *ms_error_os(int errnum, const char *path, const char *what);

/** An MS_ERR_FAULT error for @p address; the message is built from @p fmt. */
struct ms_error *ms_error_fault(uint64_t address, enum ms_fault_kind kind,
				const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** An MS_ERR_LIB error carrying elf_errmsg(-1), prefixed with @p what. */
struct ms_error *ms_error_libelf(const char *what);
/** An MS_ERR_LIB error carrying dwarf_errmsg(-1), prefixed with @p what. */
struct ms_error *ms_error_libdw(const char *what);

/**
 * Prefix the message of @p err with more context ("<prefix>: <old message>").
 * @return @p err (or &ms_enomem, or err unchanged if it is &ms_enomem).
 */
struct ms_error *ms_error_prefix(struct ms_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Free an error; NULL and &ms_enomem are no-ops. */
void ms_error_destroy(struct ms_error *err);

/**
 * If *@p errp has @p code, destroy it, set *@p errp to NULL and return true.
 * Lets callers swallow an expected kind of error.
 */
bool ms_error_catch(struct ms_error **errp, enum ms_error_code code);

/** A short name for a fault kind: "unmapped", "not dumped", "truncated core". */
const char *ms_fault_kind_str(enum ms_fault_kind kind);

#endif /* MS_ERROR_H */
