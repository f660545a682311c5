/* Rendering scan results as text and JSON, shared by scan and show. */
#ifndef MS_REPORT_H
#define MS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "json.h"
#include "provenance.h"
#include "scan.h"
#include "session.h"

/** How text reports are drawn. */
struct ms_report_style {
	bool verbose;	/**< every reason, alias and code reference (scan --verbose, show) */
	bool color;	/**< SGR colours for verdicts and the crash mark */
	int width;	/**< columns the default scan fits in */
	bool full;	/**< every detail (show), folded to the width unless verbose */
};

/** Set the style of the text reports that follow (default: 80 columns, plain). */
void ms_report_set_style(const struct ms_report_style *st);

/** The style in effect. */
const struct ms_report_style *ms_report_style(void);

/**
 * @p label, then @p text (core-derived: escaped for the terminal), wrapped
 * at words to the style's width with the label's indent (whole in verbose
 * reports). For what was lost or guessed, which is never cut.
 */
void ms_report_wrapped(FILE *out, const char *label, const char *text);

/** The session's lost and guessed lines, each after its label. */
void ms_report_losses(FILE *out, const struct ms_session *s,
		      const char *lost_label, const char *guessed_label);

/** The SGR sequence that colours @p v ("" without colour), and the reset after it. */
const char *ms_report_verdict_color(enum ms_verdict v);
const char *ms_report_color_reset(void);

/**
 * Write @p text coloured as @p v when colour is on; the colour goes through
 * the stdout filter as the tool's own (ms_cli_put_sgr), the text does not.
 */
void ms_report_put_colored(FILE *out, enum ms_verdict v, const char *text);

/** The verdict word of @p v, padded to @p width columns, coloured. */
void ms_report_put_verdict(FILE *out, enum ms_verdict v, int width);

/**
 * A suspect in the default scan, fitting the style's width: the
 * declaring variable, its module and aliases; one reason; the code that
 * uses it.
 */
void ms_report_map_brief(FILE *out, const struct ms_scan *sc,
			 const struct ms_scan_map *m, const struct ms_map_prov *mp);

/**
 * "core: exe (go1.26.8, swiss maps), pid N", the crash and the modules;
 * with @p prov (may be NULL) the faulting instruction under the crash.
 */
void ms_report_header(FILE *out, const char *core_path, struct ms_session *s,
		      const struct ms_provenance *prov);

/** One row of the suspect table, with alias and reason lines under it. */
void ms_report_map_line(FILE *out, const struct ms_scan *sc,
			const struct ms_scan_map *m);

/**
 * Whether scan lists map @p i without --all: a suspect, a map being
 * written, or the map the crash is linked to.
 */
bool ms_report_map_listed(const struct ms_scan *sc, size_t i);

/**
 * Why a scan found no map, in @p buf: the missing Go library that holds
 * the runtime, a host with no Go runtime at all, or the scan's own first
 * loss. False (and "") when nothing kept the scan from finding maps.
 */
bool ms_report_no_map_why(const struct ms_scan *sc, char *buf, size_t size);

/**
 * With no map at all, the summary's sentence in @p buf: "no map found,
 * so none judged: why", or "no map found" when nothing kept the scan from
 * finding maps. False (and "") when there are maps.
 */
bool ms_report_no_map(const struct ms_scan *sc, char *buf, size_t size);

/**
 * "N suspects in M maps (...)" ("no map found, so none judged: why" when
 * there is none), the judged count, the scan's and @p prov's
 * notes (@p prov may be NULL), the scan's own losses and whether the
 * results are partial; each line within the report's width.
 */
void ms_report_summary(FILE *out, const struct ms_scan *sc,
		       const struct ms_provenance *prov);

/** The name for people: the first root's path, or "(heap) 0x..." */
void ms_report_map_name(const struct ms_scan_map *m, char *out, size_t size);

/**
 * The mapsleuth-scan/1 document. @p one_line: no newlines at all.
 * @p prov (may be NULL) adds each map's "provenance" and the crash's code.
 */
void ms_report_scan_json(FILE *out, const char *core_path, struct ms_scan *sc,
			 const struct ms_provenance *prov, bool all, bool one_line);

/** The members common to scan and show JSON for one map. */
void ms_report_map_json(struct ms_json *js, const struct ms_scan *sc,
			const struct ms_scan_map *m);

/** The "modules", "go_version", "crash"... members of a document. */
void ms_report_context_json(struct ms_json *js, const char *core_path,
			    struct ms_session *s);

/**
 * The provenance lines under a map's row: which module declares a map that
 * several modules hold, the code referencing its variables (when looked
 * for), the module words holding a map without roots.
 */
void ms_report_map_prov_lines(FILE *out, const struct ms_scan *sc,
			      const struct ms_map_prov *mp);

/** The "provenance" member of a map. */
void ms_report_map_prov_json(struct ms_json *js, const struct ms_scan *sc,
			     const struct ms_map_prov *mp);

/** The "crash" member; with @p with_code the instructions around the pc too. */
void ms_report_crash_json(struct ms_json *js, const struct ms_scan *sc,
			  const struct ms_provenance *prov, bool with_code);

/** "geo.so!example.com/geo.Lookup+0x1c" for a code reference. */
void ms_report_xref_name(const struct ms_scan *sc, const struct ms_prov_xref *x,
			 char *out, size_t size);

/** The instruction at the crash's pc and its operand registers, for people. */
void ms_report_crash_insn(FILE *out, const char *indent,
			  const struct ms_prov_crash *c);

#endif /* MS_REPORT_H */
