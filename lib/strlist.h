/* A bounded list of formatted lines (notes, losses), appended without failing. */
#ifndef MS_STRLIST_H
#define MS_STRLIST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/**
 * Append one line formatted from @p fmt and @p ap to @p *list (@p *n
 * lines), unless it holds @p max already: a damaged core could say the same
 * thing once per object. Out of memory drops the line; the caller's result
 * stands without it.
 */
static inline void ms_strlist_addv(char ***list, size_t *n, size_t max,
				   const char *fmt, va_list ap)
{
	if (*n >= max)
		return;
	char **l = realloc(*list, (*n + 1) * sizeof(*l));
	if (!l)
		return;
	*list = l;
	if (vasprintf(&l[*n], fmt, ap) >= 0)
		(*n)++;
}

/** Free every line of @p list and the list itself. */
static inline void ms_strlist_free(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

#endif /* MS_STRLIST_H */
