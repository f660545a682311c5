/* Error values: creation, context, and adapters for libelf and libdw. */
#include "config.h"

#include <elfutils/libdw.h>
#include <errno.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

struct ms_error ms_enomem = {
	.code = MS_ERR_NOMEM,
	.message = (char *)"out of memory",
};

static struct ms_error *error_vcreate(enum ms_error_code code, const char *fmt,
				      va_list ap)
{
	struct ms_error *err = calloc(1, sizeof(*err));
	if (!err)
		return &ms_enomem;
	err->code = code;
	if (vasprintf(&err->message, fmt, ap) < 0) {
		free(err);
		return &ms_enomem;
	}
	return err;
}

struct ms_error *ms_error_create(enum ms_error_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct ms_error *err = error_vcreate(code, fmt, ap);
	va_end(ap);
	return err;
}

struct ms_error *ms_error_os(int errnum, const char *path, const char *what)
{
	struct ms_error *err = ms_error_create(MS_ERR_OS, "%s: %s: %s", path,
					       what, strerror(errnum));
	if (err != &ms_enomem)
		err->errnum = errnum;
	return err;
}

struct ms_error *ms_error_fault(uint64_t address, enum ms_fault_kind kind,
				const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct ms_error *err = error_vcreate(MS_ERR_FAULT, fmt, ap);
	va_end(ap);
	if (err != &ms_enomem) {
		err->address = address;
		err->fault = kind;
	}
	return err;
}

struct ms_error *ms_error_libelf(const char *what)
{
	return ms_error_create(MS_ERR_LIB, "%s: %s", what, elf_errmsg(-1));
}

struct ms_error *ms_error_libdw(const char *what)
{
	return ms_error_create(MS_ERR_LIB, "%s: %s", what, dwarf_errmsg(-1));
}

struct ms_error *ms_error_prefix(struct ms_error *err, const char *fmt, ...)
{
	if (!err || err == &ms_enomem)
		return err;
	char *prefix;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&prefix, fmt, ap);
	va_end(ap);
	if (r < 0)
		return err;
	char *msg;
	if (asprintf(&msg, "%s: %s", prefix, err->message) >= 0) {
		free(err->message);
		err->message = msg;
	}
	free(prefix);
	return err;
}

void ms_error_destroy(struct ms_error *err)
{
	if (!err || err == &ms_enomem)
		return;
	free(err->message);
	free(err);
}

bool ms_error_catch(struct ms_error **errp, enum ms_error_code code)
{
	if (*errp && (*errp)->code == code) {
		ms_error_destroy(*errp);
		*errp = NULL;
		return true;
	}
	return false;
}

const char *ms_fault_kind_str(enum ms_fault_kind kind)
{
	switch (kind) {
	case MS_FAULT_UNMAPPED:
		return "unmapped";
	case MS_FAULT_NOT_DUMPED:
		return "not dumped";
	case MS_FAULT_TRUNCATED:
		return "truncated core";
	default:
		return "readable";
	}
}
