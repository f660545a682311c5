/* Rendering scan results as text and JSON, shared by scan and show. */
#ifndef MS_REPORT_H
#define MS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "json.h"
#include "scan.h"
#include "session.h"

/** "core: exe (go1.26.8, swiss maps), pid N", the crash and the modules. */
void ms_report_header(FILE *out, const char *core_path, struct ms_session *s);

/** One row of the suspect table, with alias and reason lines under it. */
void ms_report_map_line(FILE *out, const struct ms_scan *sc,
			const struct ms_scan_map *m);

/** "N suspects in M maps (...)". */
void ms_report_summary(FILE *out, const struct ms_scan *sc);

/** The name for people: the first root's path, or "(heap) 0x..." */
void ms_report_map_name(const struct ms_scan_map *m, char *out, size_t size);

/** The mapsleuth-scan/1 document. @p one_line: no newlines at all. */
void ms_report_scan_json(FILE *out, const char *core_path, struct ms_scan *sc,
			 bool all, bool one_line);

/** The members common to scan and show JSON for one map. */
void ms_report_map_json(struct ms_json *js, const struct ms_scan *sc,
			const struct ms_scan_map *m);

/** The "modules", "go_version", "crash"... members of a document. */
void ms_report_context_json(struct ms_json *js, const char *core_path,
			    struct ms_session *s);

#endif /* MS_REPORT_H */
