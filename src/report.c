/* Rendering scan results as text and JSON, shared by scan and show. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "describe.h"
#include "escape.h"
#include "open.h"
#include "report.h"
#include "story.h"

static struct ms_report_style style = { false, false, 80 };

static int text_cols(const char *s);

void ms_report_set_style(const struct ms_report_style *st)
{
	style = *st;
	if (style.width < 40)
		style.width = 40;
}

const struct ms_report_style *ms_report_style(void)
{
	return &style;
}

const char *ms_report_verdict_color(enum ms_verdict v)
{
	if (!style.color)
		return "";
	switch (v) {
	case MS_VERDICT_OK:
		return "\033[32m";
	case MS_VERDICT_NOT_DUMPED:
	case MS_VERDICT_FOREIGN:
		return "\033[33m";
	default:
		return "\033[1;31m";
	}
}

const char *ms_report_color_reset(void)
{
	return style.color ? "\033[m" : "";
}

void ms_report_put_colored(FILE *out, enum ms_verdict v, const char *text)
{
	ms_cli_put_sgr(out, ms_report_verdict_color(v));
	fputs(text, out);
	ms_cli_put_sgr(out, ms_report_color_reset());
}

void ms_report_put_verdict(FILE *out, enum ms_verdict v, int width)
{
	char word[32];
	snprintf(word, sizeof(word), "%-*s", width, ms_verdict_str(v));
	ms_report_put_colored(out, v, word);
}

static const char *impl_str(enum ms_map_impl impl)
{
	return impl == MS_MAP_SWISS ? "swiss" : impl == MS_MAP_CLASSIC ? "classic" : "unknown";
}

static const char *module_name(const struct ms_module *mod)
{
	return ms_cli_basename(mod->file_path ? mod->file_path : mod->core_path);
}

void ms_report_map_name(const struct ms_scan_map *m, char *out, size_t size)
{
	if (m->n_roots)
		snprintf(out, size, "%s", m->roots[0].path);
	else {
		char where[256];
		ms_scan_map_where(m, where, sizeof(where));
		snprintf(out, size, "(%s) 0x%" PRIx64, where, m->header);
	}
}

void ms_report_header(FILE *out, const char *core_path, struct ms_session *s,
		      const struct ms_provenance *prov)
{
	const struct ms_module *exe = ms_session_exe(s);
	const struct ms_process *p = ms_session_process(s);
	char top[1024];
	const char *exe_path = exe ? (exe->file_path ? exe->file_path : exe->core_path) : "?";
	for (int pass = 0; pass < 3; pass++) {
		int n = snprintf(top, sizeof(top), "%s: %s (%s, %s maps)", core_path, exe_path,
				 ms_session_go_version(s) ? ms_session_go_version(s) : "unknown Go",
				 impl_str(ms_session_map_impl(s)));
		if (p && p->pid && n > 0 && (size_t)n < sizeof(top))
			snprintf(top + n, sizeof(top) - (size_t)n, ", pid %d", p->pid);
		// The executable's base name when its path does not fit, then
		// the core's too.
		if (style.verbose || text_cols(top) <= style.width)
			break;
		if (pass == 0 && exe)
			exe_path = module_name(exe);
		else
			core_path = ms_cli_basename(core_path);
	}
	fprintf(out, "%s\n", top);
	const struct ms_crash *cr = ms_session_crash(s);
	if (cr && cr->present) {
		char line[512];
		int n = snprintf(line, sizeof(line), "  crash: %s", ms_signal_name(cr->signo));
		if (cr->have_fault_addr)
			n += snprintf(line + n, sizeof(line) - (size_t)n, " at 0x%" PRIx64, cr->fault_addr);
		if (cr->source && strcmp(cr->source, "g.sigcode1") == 0)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
				      " (%s raised by the Go runtime)", ms_signal_name(cr->core_signo));
		if (cr->pc) {
			char sym[256];
			ms_describe_symbol(s, cr->pc, sym, sizeof(sym));
			char pc[400], pos[256];
			// The file's base name by default: the position must not
			// be what pushes the pc onto a line of its own.
			const char *fl = ms_pc_file_line(s, cr->pc, !style.verbose, pos, sizeof(pos));
			snprintf(pc, sizeof(pc), "pc 0x%" PRIx64 "%s%s%s%s%s", cr->pc, sym[0] ? " " : "",
				 sym, fl ? " (" : "", fl ? fl : "", fl ? ")" : "");
			if (fl && !style.verbose && n + 2 + (int)strlen(pc) > style.width)
				snprintf(pc, sizeof(pc), "pc 0x%" PRIx64 "%s%s", cr->pc,
					 sym[0] ? " " : "", sym);
			// The pc on a line of its own when both do not fit.
			if (n + 2 + (int)strlen(pc) <= style.width || style.verbose)
				snprintf(line + n, sizeof(line) - (size_t)n, ", %s", pc);
			else
				snprintf(line + n, sizeof(line) - (size_t)n, "\n    %s", pc);
		}
		fprintf(out, "%s\n", line);
		// The instruction that faulted; a plain abort's pc is only the
		// return from the kill system call.
		if (prov && prov->crash.crash && cr->have_fault_addr)
			ms_report_crash_insn(out, "    ", &prov->crash);
	} else if (cr) {
		fprintf(out, "  crash: gcore dump (no signal)\n");
	}
	char line[1024];
	int n = snprintf(line, sizeof(line), "  modules:");
	bool first = true;
	const struct ms_module *rt = ms_session_runtime_module(s);
	for (size_t i = 0; i < ms_session_module_count(s) && n > 0 && (size_t)n < sizeof(line); i++) {
		const struct ms_module *mod = ms_session_module(s, i);
		// Of the shared objects, only Go ones (a c-shared library
		// holding the runtime of a C or Python host) are named.
		if (mod->kind == MS_MODULE_VDSO ||
		    (mod->kind == MS_MODULE_SHLIB && !mod->is_go && !mod->go_build_id && mod != rt))
			continue;
		const char *go = mod == rt && mod->kind != MS_MODULE_EXE ? ", Go runtime"
				 : mod->kind == MS_MODULE_SHLIB ? ", Go" : "";
		char one[512];
		if (style.verbose)
			snprintf(one, sizeof(one), " %s (%s%s%s%s%s)", module_name(mod),
				 ms_module_kind_str(mod->kind), mod->pluginpath ? " " : "",
				 mod->pluginpath ? mod->pluginpath : "", go,
				 mod->status != MS_MODULE_FOUND ? ", missing" : "");
		else
			snprintf(one, sizeof(one), "%s %s (%s%s%s)", first ? "" : ",", module_name(mod),
				 ms_module_kind_str(mod->kind), go,
				 mod->status != MS_MODULE_FOUND ? ", missing" : "");
		// Wrap the default report's list at the width, the comma
		// ending the line and the next module under the first.
		if (!style.verbose && !first && n + text_cols(one) > style.width) {
			fprintf(out, "%s,\n", line);
			n = snprintf(line, sizeof(line), "          %s", one + 1);
		} else {
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%s", one);
		}
		first = false;
	}
	fprintf(out, "%s\n", line);
	// What could not be examined comes first, before any verdict.
	ms_report_losses(out, s, "  lost: ", "  guessed: ");
}

void ms_report_losses(FILE *out, const struct ms_session *s,
		      const char *lost_label, const char *guessed_label)
{
	const char *const *lines;
	size_t nl = ms_session_losses(s, &lines);
	for (size_t i = 0; i < nl; i++)
		ms_report_wrapped(out, lost_label, lines[i]);
	nl = ms_session_guesses(s, &lines);
	for (size_t i = 0; i < nl; i++)
		ms_report_wrapped(out, guessed_label, lines[i]);
}

static const char *module_of_root(const struct ms_scan *sc, const struct ms_scan_root *r)
{
	return module_name(ms_session_module(sc->session, r->module));
}

void ms_report_map_line(FILE *out, const struct ms_scan *sc,
			const struct ms_scan_map *m)
{
	char name[256];
	ms_report_map_name(m, name, sizeof(name));
	bool crash = sc->crash_map != SIZE_MAX && &sc->maps[sc->crash_map] == m;
	const char *where = m->n_roots ? module_of_root(sc, &m->roots[0]) : NULL;
	// One line says which map; the lines under it say why, indented
	// under the map so that long Go names never break the columns.
	// The declaring variable and its module first; its aliases below.
	fprintf(out, "%3u ", m->id);
	ms_report_put_verdict(out, m->check.verdict, 10);
	if (m->unread)
		fprintf(out, " %-14s  %s", "(not saved)", name);
	else
		fprintf(out, " 0x%-12" PRIx64 "  %s", m->header, name);
	if (where)
		fprintf(out, " (%s)", where);
	else
		fprintf(out, " (found by the %s scan, confidence %d)",
			m->found_by & MS_FOUND_STACK ? "stack" : "heap", m->confidence);
	if (!m->type && m->type_candidates > 1)
		fprintf(out, " (%u types fit)", m->type_candidates);
	fprintf(out, "  %s", ms_scan_map_type_name(m));
	if (crash)
		ms_report_put_colored(out, MS_VERDICT_DANGLING, "  <- CRASH");
	fputc('\n', out);
	const char *pad = "      ";
	for (size_t i = 1; i < m->n_roots; i++)
		fprintf(out, "%salso %s (alias, in %s)\n", pad, m->roots[i].path,
			module_of_root(sc, &m->roots[i]));
	for (size_t i = 0; i < m->check.n_reasons && i < 4; i++) {
		const struct ms_map_reason *r = &m->check.reasons[i];
		// Name the verdict of a reason only when it is not the map's.
		if (r->verdict == m->check.verdict)
			fprintf(out, "%s%s\n", pad, r->detail);
		else
			fprintf(out, "%s%s: %s\n", pad, ms_verdict_str(r->verdict), r->detail);
	}
	if (m->check.n_reasons > 4)
		fprintf(out, "%s(+%zu more reasons: mapsleuth show)\n", pad,
			m->check.n_reasons - 4);
	if (m->check.truncated)
		fprintf(out, "%struncated: the walk stopped at its bound\n", pad);
	if (crash)
		fprintf(out, "%scrash cause: %s\n", pad, sc->crash_why);
	// The crash story above names them; a row stays short by default.
	if (style.verbose)
		ms_story_map_lines(out, pad, sc, m);
}

bool ms_report_map_listed(const struct ms_scan *sc, size_t i)
{
	const struct ms_scan_map *m = &sc->maps[i];
	return m->check.verdict != MS_VERDICT_OK || m->writing || sc->crash_map == i;
}

bool ms_report_no_map_why(const struct ms_scan *sc, char *buf, size_t size)
{
	struct ms_session *s = sc->session;
	const struct ms_module *exe = ms_session_exe(s);
	bool exe_go = exe && (exe->is_go || exe->go_build_id);
	buf[0] = '\0';
	if (!ms_session_runtime_module(s)) {
		// The Go libraries the core names but that were not read: the
		// runtime of a host without Go of its own is in one of them.
		size_t gone = 0, n = 0;
		for (size_t i = 0; i < ms_session_module_count(s); i++) {
			const struct ms_module *m = ms_session_module(s, i);
			if (m->kind == MS_MODULE_SHLIB && (m->is_go || m->go_build_id) &&
			    m->status != MS_MODULE_FOUND)
				gone++;
		}
		for (size_t i = 0; gone && i < ms_session_module_count(s) && n < size; i++) {
			const struct ms_module *m = ms_session_module(s, i);
			if (m->kind != MS_MODULE_SHLIB || !(m->is_go || m->go_build_id) ||
			    m->status == MS_MODULE_FOUND)
				continue;
			int k = snprintf(buf + n, size - n, "%s%s (%s)",
					 n ? ", " : gone > 1 ? "the Go runtime is in one of "
							     : "the Go runtime is in ",
					 module_name(m), ms_module_status_str(m->status));
			if (k < 0)
				break;
			n += (size_t)k;
		}
		if (gone && n < size)
			snprintf(buf + n, size - n, "; try --solib-search");
		else if (!gone && !exe_go)
			snprintf(buf, size, "%s has no Go runtime and the core names no Go library",
				 exe ? module_name(exe) : "the executable");
		if (buf[0])
			return true;
	}
	// Else the scan's own first loss: what kept it from finding maps.
	const char *const *lines;
	size_t first = ms_session_losses(s, &lines);
	if (first < sc->n_losses)
		snprintf(buf, size, "%s", sc->losses[first]);
	else if (!ms_session_runtime_module(s))
		snprintf(buf, size, "no Go runtime was recognized");
	return buf[0] != '\0';
}

bool ms_report_no_map(const struct ms_scan *sc, char *buf, size_t size)
{
	buf[0] = '\0';
	if (sc->n_maps)
		return false;
	// Nothing to count: say so, and why when something kept the scan
	// from finding maps.
	char why[768];
	if (ms_report_no_map_why(sc, why, sizeof(why)))
		snprintf(buf, size, "no map found, so none judged: %s", why);
	else
		snprintf(buf, size, "no map found");
	return true;
}

void ms_report_summary(FILE *out, const struct ms_scan *sc,
		       const struct ms_provenance *prov)
{
	char line[1024];
	int n;
	if (ms_report_no_map(sc, line, sizeof(line))) {
		n = (int)strlen(line);
	} else {
		n = snprintf(line, sizeof(line), "%zu suspect%s in %zu maps", sc->suspects,
			     sc->suspects == 1 ? "" : "s", sc->n_maps);
	}
	bool first = true;
	for (int v = MS_VERDICT_OK; v <= MS_VERDICT_DANGLING && n > 0 && (size_t)n < sizeof(line); v++) {
		if (!sc->by_verdict[v])
			continue;
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%zu %s", first ? " (" : ", ",
			      sc->by_verdict[v], ms_verdict_str((enum ms_verdict)v));
		first = false;
	}
	if (!first && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, ")");
	if (sc->writing && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, "; %zu being written", sc->writing);
	if (sc->heap_scanned && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, "; %" PRIu64 " heap objects scanned",
			      sc->heap_objects);
	if (n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, ".");
	ms_report_wrapped(out, "", line);
	// Judged and unjudged apart: not-dumped is no verdict on the map.
	if (sc->n_maps)
		fprintf(out, "%zu judged, %zu not judged.\n", sc->judged, sc->unjudged);
	for (size_t i = 0; i < sc->n_notes; i++)
		ms_report_wrapped(out, "note: ", sc->notes[i]);
	for (size_t i = 0; prov && i < prov->n_notes; i++)
		ms_report_wrapped(out, "note: ", prov->notes[i]);
	// The session's losses head the report; the scan's own come here.
	const char *const *lines;
	for (size_t i = ms_session_losses(sc->session, &lines); i < sc->n_losses; i++)
		ms_report_wrapped(out, "lost: ", sc->losses[i]);
	if (sc->partial && sc->n_maps)
		fprintf(out, "results are partial: %zu map%s not judged, %zu thing%s not examined\n",
			sc->unjudged, sc->unjudged == 1 ? "" : "s", sc->n_losses,
			sc->n_losses == 1 ? "" : "s");
	else if (sc->partial)
		fprintf(out, "results are partial: %zu thing%s not examined\n", sc->n_losses,
			sc->n_losses == 1 ? "" : "s");
}

void ms_report_context_json(struct ms_json *js, const char *core_path,
			    struct ms_session *s)
{
	ms_json_kv_string(js, "core", core_path);
	const struct ms_module *exe = ms_session_exe(s);
	ms_json_kv_string(js, "executable", exe ? (exe->file_path ? exe->file_path : exe->core_path) : NULL);
	ms_json_kv_string(js, "go_version", ms_session_go_version(s));
	ms_json_kv_string(js, "map_impl", impl_str(ms_session_map_impl(s)));
	const struct ms_process *p = ms_session_process(s);
	ms_json_key(js, "process");
	ms_json_object_begin(js);
	ms_json_kv_i64(js, "pid", p ? p->pid : 0);
	ms_json_kv_string(js, "command", p ? p->psargs : NULL);
	ms_json_object_end(js);
	ms_json_key(js, "modules");
	ms_json_array_begin(js);
	for (size_t i = 0; i < ms_session_module_count(s); i++) {
		const struct ms_module *mod = ms_session_module(s, i);
		ms_json_object_begin(js);
		ms_json_kv_string(js, "path", mod->core_path);
		ms_json_kv_string(js, "file", mod->file_path);
		ms_json_kv_string(js, "kind", ms_module_kind_str(mod->kind));
		ms_json_kv_string(js, "pluginpath", mod->pluginpath);
		ms_json_kv_addr(js, "base", mod->start);
		ms_json_kv_string(js, "build_id", mod->build_id);
		ms_json_kv_string(js, "status", ms_module_status_str(mod->status));
		ms_json_kv_bool(js, "go", mod->is_go || mod->go_build_id);
		ms_json_kv_bool(js, "go_runtime", mod == ms_session_runtime_module(s));
		ms_json_object_end(js);
	}
	ms_json_array_end(js);
	const char *const *lines;
	size_t n = ms_session_losses(s, &lines);
	ms_json_key(js, "lost");
	ms_json_array_begin(js);
	for (size_t i = 0; i < n; i++)
		ms_json_string(js, lines[i]);
	ms_json_array_end(js);
	n = ms_session_guesses(s, &lines);
	ms_json_key(js, "guessed");
	ms_json_array_begin(js);
	for (size_t i = 0; i < n; i++)
		ms_json_string(js, lines[i]);
	ms_json_array_end(js);
}

void ms_report_map_json(struct ms_json *js, const struct ms_scan *sc,
			const struct ms_scan_map *m)
{
	ms_json_kv_u64(js, "id", m->id);
	ms_json_key(js, "header");
	if (m->unread)
		ms_json_null(js);
	else
		ms_json_addr(js, m->header);
	ms_json_kv_string(js, "type", ms_scan_map_type_name(m));
	ms_json_kv_string(js, "impl", impl_str(m->impl));
	ms_json_key(js, "count");
	if (m->check.header_read)
		ms_json_u64(js, m->check.hdr.count);
	else
		ms_json_null(js);
	ms_json_key(js, "live");
	if (m->check.live_complete)
		ms_json_u64(js, m->check.live);
	else
		ms_json_null(js);
	ms_json_key(js, "found_by");
	ms_json_array_begin(js);
	for (unsigned b = MS_FOUND_GLOBAL; b <= MS_FOUND_GOROUTINE; b <<= 1)
		if (m->found_by & b)
			ms_json_string(js, ms_found_by_str((enum ms_found_by)b));
	ms_json_array_end(js);
	ms_json_kv_i64(js, "confidence", m->confidence);
	char where[256];
	ms_scan_map_where(m, where, sizeof(where));
	ms_json_kv_string(js, "found_in", where);
	ms_json_key(js, "goroutine");
	if (m->goid)
		ms_json_u64(js, m->goid);
	else
		ms_json_null(js);
	ms_json_key(js, "type_candidates");
	if (m->type || (m->n_roots && !m->roots[0].from_mask))
		ms_json_null(js);
	else
		ms_json_u64(js, m->type_candidates);
	ms_json_key(js, "roots");
	ms_json_array_begin(js);
	for (size_t i = 0; i < m->n_roots; i++) {
		const struct ms_module *mod = ms_session_module(sc->session, m->roots[i].module);
		ms_json_object_begin(js);
		ms_json_kv_string(js, "module", module_name(mod));
		ms_json_kv_string(js, "pluginpath", mod->pluginpath);
		ms_json_kv_string(js, "symbol", m->roots[i].path);
		ms_json_kv_addr(js, "address", m->roots[i].slot);
		const struct ms_scan_root *r = &m->roots[i];
		ms_json_key(js, "goroutine");
		if (r->goid)
			ms_json_u64(js, r->goid);
		else
			ms_json_null(js);
		ms_json_kv_string(js, "function", r->goid ? r->func : NULL);
		ms_json_kv_string(js, "file", r->goid ? r->file : NULL);
		ms_json_key(js, "line");
		if (r->goid)
			ms_json_u64(js, (uint64_t)r->line);
		else
			ms_json_null(js);
		ms_json_kv_string(js, "local", r->goid ? r->local : NULL);
		ms_json_kv_string(js, "kind", !r->goid ? NULL : r->arg ? "arg" : "local");
		ms_json_kv_bool(js, "unnamed", m->roots[i].unnamed);
		if (m->roots[i].from_mask)
			ms_json_kv_string(js, "section", ms_section_name(m->roots[i].section));
		ms_json_object_end(js);
	}
	ms_json_array_end(js);
	ms_json_kv_string(js, "verdict", ms_verdict_str(m->check.verdict));
	ms_json_key(js, "reasons");
	ms_json_array_begin(js);
	for (size_t i = 0; i < m->check.n_reasons; i++) {
		const struct ms_map_reason *r = &m->check.reasons[i];
		ms_json_object_begin(js);
		ms_json_kv_string(js, "verdict", ms_verdict_str(r->verdict));
		ms_json_kv_string(js, "field", r->field);
		ms_json_key(js, "pointer");
		if (r->pointer)
			ms_json_addr(js, r->pointer);
		else
			ms_json_null(js);
		ms_json_kv_string(js, "class", r->cls ? ms_ptr_class_str(r->cls) : NULL);
		ms_json_kv_string(js, "detail", r->detail);
		ms_json_object_end(js);
	}
	ms_json_array_end(js);
	ms_json_kv_bool(js, "truncated", m->check.truncated);
	ms_story_map_json(js, sc, m);
}

void ms_report_scan_json(FILE *out, const char *core_path, struct ms_scan *sc,
			 const struct ms_provenance *prov, bool all, bool one_line)
{
	struct ms_json js;
	ms_json_init(&js, out, false);
	ms_json_object_begin(&js);
	ms_json_kv_string(&js, "schema", "mapsleuth-scan/1");
	ms_report_context_json(&js, core_path, sc->session);
	ms_report_crash_json(&js, sc, prov, false);
	ms_json_key(&js, "maps");
	ms_json_array_begin(&js);
	for (size_t i = 0; i < sc->n_maps; i++) {
		const struct ms_scan_map *m = &sc->maps[i];
		if (!all && !ms_report_map_listed(sc, i))
			continue;
		// One map a line: still JSON, and greppable.
		if (!one_line)
			fputc('\n', out);
		ms_json_object_begin(&js);
		ms_report_map_json(&js, sc, m);
		if (prov)
			ms_report_map_prov_json(&js, sc, ms_provenance_find(prov, m));
		ms_json_object_end(&js);
	}
	ms_json_array_end(&js);
	if (!one_line)
		fputc('\n', out);
	ms_json_key(&js, "summary");
	ms_json_object_begin(&js);
	ms_json_kv_u64(&js, "maps", sc->n_maps);
	ms_json_kv_u64(&js, "suspects", sc->suspects);
	ms_json_kv_u64(&js, "judged", sc->judged);
	ms_json_kv_u64(&js, "not_judged", sc->unjudged);
	ms_json_kv_bool(&js, "partial", sc->partial);
	char no_map[1024];
	ms_json_kv_string(&js, "no_map",
			  ms_report_no_map(sc, no_map, sizeof(no_map)) ? no_map : NULL);
	ms_json_key(&js, "lost");
	ms_json_array_begin(&js);
	for (size_t i = 0; i < sc->n_losses; i++)
		ms_json_string(&js, sc->losses[i]);
	ms_json_array_end(&js);
	ms_json_key(&js, "by_verdict");
	ms_json_object_begin(&js);
	for (int v = MS_VERDICT_OK; v <= MS_VERDICT_DANGLING; v++)
		ms_json_kv_u64(&js, ms_verdict_str((enum ms_verdict)v), sc->by_verdict[v]);
	ms_json_object_end(&js);
	ms_json_kv_bool(&js, "heap_scanned", sc->heap_scanned);
	ms_json_kv_u64(&js, "heap_objects", sc->heap_objects);
	ms_json_key(&js, "notes");
	ms_json_array_begin(&js);
	for (size_t i = 0; i < sc->n_notes; i++)
		ms_json_string(&js, sc->notes[i]);
	for (size_t i = 0; prov && i < prov->n_notes; i++)
		ms_json_string(&js, prov->notes[i]);
	ms_json_array_end(&js);
	ms_json_object_end(&js);
	ms_story_json(&js, sc->story, sc);
	ms_json_object_end(&js);
	ms_json_finish(&js);
	fputc('\n', out);
}

// ---- provenance ----

static const char prov_pad[] = "      ";

static const char *module_at(const struct ms_scan *sc, size_t i)
{
	return i < ms_session_module_count(sc->session)
	       ? module_name(ms_session_module(sc->session, i)) : NULL;
}

void ms_report_xref_name(const struct ms_scan *sc, const struct ms_prov_xref *x,
			 char *out, size_t size)
{
	const char *mod = module_at(sc, x->module);
	char pos[256];
	const char *line = ms_pc_file_line(sc->session, x->address, true, pos, sizeof(pos));
	if (x->function)
		snprintf(out, size, "%s!%s+0x%" PRIx64 "%s%s%s", mod ? mod : "?", x->function,
			 x->offset, line ? " (" : "", line ? line : "", line ? ")" : "");
	else
		snprintf(out, size, "%s!0x%" PRIx64, mod ? mod : "?", x->address);
}

// What a code reference points at, for people: "(GOT slot of geo.Cities)".
static void xref_what(const struct ms_map_prov *mp, const struct ms_prov_xref *x,
		      char *out, size_t size)
{
	const char *var = x->root < mp->n_roots ? mp->roots[x->root].global : NULL;
	if (x->through_got)
		snprintf(out, size, "  (loads the GOT slot 0x%" PRIx64 " holding &%s)",
			 x->target, var ? var : "the holder");
	else if (var && x->root < mp->n_roots && x->target != mp->roots[x->root].address)
		snprintf(out, size, "  (%s+0x%" PRIx64 ")", var,
			 x->target - mp->roots[x->root].address);
	else if (!var)
		snprintf(out, size, "  (the holder word 0x%" PRIx64 ")", x->holder);
	else
		out[0] = '\0';
}

void ms_report_crash_insn(FILE *out, const char *indent, const struct ms_prov_crash *c)
{
	if (!c->lines || c->pc_line >= c->n_lines) {
		if (c->code_error[0])
			fprintf(out, "%s(%s)\n", indent, c->code_error);
		return;
	}
	const struct ms_disasm_line *l = &c->lines[c->pc_line];
	fprintf(out, "%s0x%" PRIx64 ": %s", indent, l->addr, l->text);
	if (c->n_operand_regs) {
		fputs("   ", out);
		for (size_t i = 0; i < c->n_operand_regs; i++) {
			const struct ms_prov_reg *r = &c->operand_regs[i];
			if (r->known)
				fprintf(out, "%s%s=0x%" PRIx64, i ? " " : "", r->name, r->value);
			else
				fprintf(out, "%s%s=?", i ? " " : "", r->name);
		}
		if (!c->regs_known && (style.verbose || style.full))
			fputs(" (unknown: the thread died in runtime.raise after the Go runtime turned the fault into a panic)", out);
	}
	if (c->have_operand_address)
		fprintf(out, "  -> 0x%" PRIx64, c->operand_address);
	fputc('\n', out);
}

void ms_report_map_prov_lines(FILE *out, const struct ms_scan *sc,
			      const struct ms_map_prov *mp)
{
	if (!mp)
		return;
	const struct ms_prov_root *pr = ms_map_prov_primary(mp);
	// Which of the modules holding it declares it: the others hold copies.
	if (pr && mp->n_modules > 1) {
		const struct ms_module *mod = ms_session_module(sc->session, pr->module);
		fprintf(out, "%sdeclared by %s in %s%s%s; held across modules by", prov_pad,
			pr->global, module_name(mod), mod->pluginpath ? ", plugin " : "",
			mod->pluginpath ? mod->pluginpath : "");
		for (size_t i = 0; i < mp->n_roots; i++)
			if (mp->roots[i].module != pr->module)
				fprintf(out, " %s (%s)", mp->map->roots[i].path,
					module_at(sc, mp->roots[i].module));
		fputc('\n', out);
	}
	for (size_t i = 0; i < mp->n_holders && i < 2; i++) {
		const char *sec = NULL;
		const struct ms_module *mod = ms_session_module_at(sc->session, mp->holders[i], &sec);
		fprintf(out, "%sheld by the word at 0x%" PRIx64 " in %s%s%s\n", prov_pad,
			mp->holders[i], mod ? module_name(mod) : "?", sec ? " ." : "",
			sec ? sec : "");
	}
	if (!mp->xrefs_done)
		return;
	enum { SHOWN = 4 };
	char name[512], what[160];
	for (size_t i = 0; i < mp->n_xrefs && i < SHOWN; i++) {
		ms_report_xref_name(sc, &mp->xrefs[i], name, sizeof(name));
		xref_what(mp, &mp->xrefs[i], what, sizeof(what));
		fprintf(out, "%sin %s: %s%s\n", prov_pad, name, mp->xrefs[i].instruction, what);
	}
	if (mp->n_xrefs > SHOWN || mp->xrefs_truncated)
		fprintf(out, "%s(+%zu%s more code references: mapsleuth show %u)\n", prov_pad,
			mp->n_xrefs - SHOWN, mp->xrefs_truncated ? " or" : "", mp->map->id);
	if (!mp->n_xrefs && (mp->n_roots || mp->n_holders))
		fprintf(out, "%sno code in the text swept refers to %s\n", prov_pad,
			mp->n_roots ? "its variables" : "the words holding it");
}

static void root_json(struct ms_json *js, const struct ms_scan *sc,
		      const struct ms_map_prov *mp, const struct ms_prov_root *r)
{
	const struct ms_module *mod = ms_session_module(sc->session, r->module);
	ms_json_kv_string(js, "symbol", mp->map->roots[r->root].path);
	ms_json_kv_string(js, "module", module_name(mod));
	ms_json_kv_string(js, "pluginpath", mod->pluginpath);
	bool no_package = (r->unnamed && !r->package_from_code) ||
			  (r->from_find && !(r->package && *r->package));
	ms_json_kv_string(js, "package", no_package ? NULL : r->package);
	ms_json_kv_string(js, "variable", r->unnamed || r->from_find ? NULL : r->variable);
	ms_json_kv_bool(js, "unnamed", r->unnamed);
	ms_json_key(js, "variable_address");
	if (r->address)
		ms_json_addr(js, r->address);
	else
		ms_json_null(js);
}

static void where_module_json(struct ms_json *js, const char *key_module,
			      const char *key_section, const struct ms_module *mod,
			      const char *section)
{
	ms_json_kv_string(js, key_module, mod ? module_name(mod) : NULL);
	ms_json_kv_string(js, key_section, section);
}

static void bad_json(struct ms_json *js, const struct ms_scan_map *m,
		     const struct ms_prov_bad *b)
{
	const struct ms_addr_info *where = &b->where;
	ms_json_object_begin(js);
	ms_json_kv_string(js, "field", m->check.reasons[b->reason].field);
	ms_json_kv_addr(js, "pointer", b->pointer);
	ms_json_key(js, "extent");
	if (b->extent)
		ms_json_u64(js, b->extent);
	else
		ms_json_null(js);
	ms_json_kv_string(js, "extent_what", b->extent_what[0] ? b->extent_what : NULL);
	ms_json_kv_string(js, "class", ms_addr_class_str(where->cls));
	where_module_json(js, "module", "section", where->module, where->section);
	ms_json_key(js, "mapping");
	if (where->mapped) {
		char perms[4];
		ms_json_object_begin(js);
		ms_json_kv_addr(js, "start", where->seg_start);
		ms_json_kv_addr(js, "end", where->seg_end);
		ms_json_kv_string(js, "perms", ms_perms_str(where->perms, perms));
		ms_json_kv_string(js, "file", where->file_path);
		ms_json_object_end(js);
	} else {
		ms_json_null(js);
	}
	// The nearest mappings on each side, for a pointer into nothing.
	ms_json_key(js, "below");
	if (!where->mapped && where->have_below) {
		ms_json_object_begin(js);
		ms_json_kv_addr(js, "end", where->below_end);
		ms_json_kv_u64(js, "distance", where->below_distance);
		ms_json_kv_string(js, "file", where->below_path);
		where_module_json(js, "module", "section", where->below_module, where->below_section);
		ms_json_object_end(js);
	} else {
		ms_json_null(js);
	}
	ms_json_key(js, "above");
	if (!where->mapped && where->have_above) {
		ms_json_object_begin(js);
		ms_json_kv_addr(js, "start", where->above_start);
		ms_json_kv_u64(js, "distance", where->above_distance);
		ms_json_kv_string(js, "file", where->above_path);
		where_module_json(js, "module", "section", where->above_module, where->above_section);
		ms_json_object_end(js);
	} else {
		ms_json_null(js);
	}
	ms_json_object_end(js);
}

void ms_report_map_prov_json(struct ms_json *js, const struct ms_scan *sc,
			     const struct ms_map_prov *mp)
{
	ms_json_key(js, "provenance");
	if (!mp) {
		ms_json_null(js);
		return;
	}
	const struct ms_scan_map *m = mp->map;
	const struct ms_prov_root *pr = ms_map_prov_primary(mp);
	ms_json_object_begin(js);
	if (pr) {
		root_json(js, sc, mp, pr);
	} else {
		static const char *const keys[] = { "symbol", "module", "pluginpath",
						    "package", "variable", "variable_address" };
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			ms_json_key(js, keys[i]);
			ms_json_null(js);
		}
	}
	ms_json_key(js, "aliases");
	ms_json_array_begin(js);
	for (size_t i = 0; i < mp->n_roots; i++) {
		if (&mp->roots[i] == pr)
			continue;
		ms_json_object_begin(js);
		root_json(js, sc, mp, &mp->roots[i]);
		ms_json_kv_bool(js, "cross_module", pr && mp->roots[i].module != pr->module);
		ms_json_object_end(js);
	}
	ms_json_array_end(js);
	ms_json_kv_string(js, "type_module", module_at(sc, mp->type_module));
	ms_json_key(js, "runtime_type");
	if (mp->runtime_type)
		ms_json_addr(js, mp->runtime_type);
	else
		ms_json_null(js);
	ms_json_key(js, "bad_pointers");
	ms_json_array_begin(js);
	for (size_t i = 0; i < mp->n_bad; i++)
		bad_json(js, m, &mp->bad[i]);
	ms_json_array_end(js);
	ms_json_key(js, "holders");
	ms_json_array_begin(js);
	for (size_t i = 0; i < mp->n_holders; i++) {
		const char *sec = NULL;
		const struct ms_module *mod = ms_session_module_at(sc->session, mp->holders[i], &sec);
		ms_json_object_begin(js);
		ms_json_kv_addr(js, "address", mp->holders[i]);
		where_module_json(js, "module", "section", mod, sec);
		ms_json_object_end(js);
	}
	ms_json_array_end(js);
	ms_json_key(js, "xrefs");
	if (!mp->xrefs_done) {
		ms_json_null(js);
	} else {
		ms_json_array_begin(js);
		for (size_t i = 0; i < mp->n_xrefs; i++) {
			const struct ms_prov_xref *x = &mp->xrefs[i];
			ms_json_object_begin(js);
			ms_json_key(js, "function");
			if (x->function)
				ms_json_stringf(js, "%s+0x%" PRIx64, x->function, x->offset);
			else
				ms_json_null(js);
			ms_json_kv_string(js, "module", module_at(sc, x->module));
			struct ms_frame f;
			struct ms_error *e = ms_frame_at_pc(sc->session, x->address, true, &f);
			ms_json_kv_string(js, "file", e ? NULL : f.file);
			ms_json_key(js, "line");
			if (e)
				ms_json_null(js);
			else
				ms_json_i64(js, f.line);
			ms_error_destroy(e);
			ms_json_kv_addr(js, "address", x->address);
			ms_json_kv_string(js, "instruction", x->instruction);
			ms_json_kv_addr(js, "target", x->target);
			char comment[400];
			ms_describe_operand_comment(sc->session, x->target, comment, sizeof(comment));
			ms_json_kv_string(js, "comment", comment);
			ms_json_kv_string(js, "via", x->through_got ? "got" : "direct");
			ms_json_kv_string(js, "variable",
					  x->root < mp->n_roots ? mp->roots[x->root].global : NULL);
			ms_json_object_end(js);
		}
		ms_json_array_end(js);
	}
	ms_json_kv_bool(js, "xrefs_truncated", mp->xrefs_truncated);
	ms_json_object_end(js);
}

static void line_json(struct ms_json *js, const struct ms_disasm_line *l, bool at_pc)
{
	ms_json_object_begin(js);
	ms_json_kv_addr(js, "address", l->addr);
	char hex[2 * sizeof(l->bytes) + 1];
	size_t n = l->size < sizeof(l->bytes) ? l->size : sizeof(l->bytes);
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", l->bytes[i]);
	hex[2 * n] = '\0';
	ms_json_kv_string(js, "bytes", hex);
	ms_json_kv_string(js, "instruction", l->text);
	ms_json_kv_bool(js, "pc", at_pc);
	ms_json_object_end(js);
}

void ms_report_crash_json(struct ms_json *js, const struct ms_scan *sc,
			  const struct ms_provenance *prov, bool with_code)
{
	struct ms_session *s = sc->session;
	const struct ms_crash *cr = ms_session_crash(s);
	ms_json_key(js, "crash");
	if (!cr || !cr->present) {
		ms_json_null(js);
		return;
	}
	const struct ms_prov_crash *c = prov ? &prov->crash : NULL;
	ms_json_object_begin(js);
	ms_json_kv_string(js, "signal", ms_signal_name(cr->signo));
	ms_json_kv_i64(js, "code", cr->code);
	ms_json_key(js, "fault_address");
	if (cr->have_fault_addr)
		ms_json_addr(js, cr->fault_addr);
	else
		ms_json_null(js);
	ms_json_kv_addr(js, "pc", cr->pc);
	struct ms_module *mod = NULL;
	const char *name = NULL;
	uint64_t off = 0;
	struct ms_error *err = ms_session_symbolize(s, cr->pc, &mod, &name, &off);
	ms_json_key(js, "function");
	if (!err && name)
		ms_json_stringf(js, "%s+0x%" PRIx64, name, off);
	else
		ms_json_null(js);
	ms_error_destroy(err);
	char pos[512];
	ms_json_kv_string(js, "file_line", ms_pc_file_line(s, cr->pc, false, pos, sizeof(pos)));
	ms_json_kv_string(js, "module", mod ? module_name(mod) : NULL);
	ms_json_kv_string(js, "source", cr->source);
	ms_json_kv_string(js, "core_signal", ms_signal_name(cr->core_signo));
	const struct ms_disasm_line *l = c && c->lines && c->pc_line < c->n_lines
					 ? &c->lines[c->pc_line] : NULL;
	ms_json_kv_string(js, "instruction", l ? l->text : NULL);
	if (c) {
		ms_json_kv_bool(js, "registers_known", c->regs_known);
		ms_json_key(js, "operand");
		if (l && l->mem.present) {
			ms_json_object_begin(js);
			ms_json_key(js, "registers");
			ms_json_array_begin(js);
			for (size_t i = 0; i < c->n_operand_regs; i++) {
				ms_json_object_begin(js);
				ms_json_kv_string(js, "name", c->operand_regs[i].name);
				ms_json_key(js, "value");
				if (c->operand_regs[i].known)
					ms_json_addr(js, c->operand_regs[i].value);
				else
					ms_json_null(js);
				ms_json_object_end(js);
			}
			ms_json_array_end(js);
			ms_json_key(js, "address");
			if (c->have_operand_address)
				ms_json_addr(js, c->operand_address);
			else
				ms_json_null(js);
			ms_json_object_end(js);
		} else {
			ms_json_null(js);
		}
	}
	ms_json_key(js, "map_id");
	if (sc->crash_map != SIZE_MAX) {
		ms_json_u64(js, sc->maps[sc->crash_map].id);
		ms_json_kv_string(js, "why", c && c->map == sc->crash_map ? c->why : sc->crash_why);
	} else {
		ms_json_null(js);
	}
	if (with_code && c) {
		ms_json_key(js, "code");
		ms_json_array_begin(js);
		for (size_t i = 0; c->lines && i < c->n_lines; i++)
			line_json(js, &c->lines[i], i == c->pc_line);
		ms_json_array_end(js);
		ms_json_kv_string(js, "code_error", c->code_error[0] ? c->code_error : NULL);
	}
	ms_json_object_end(js);
}

// ---- the default scan: one screen, fitting the width ----

// Columns @p s takes: one per UTF-8 character (continuation bytes are free).
static int text_cols(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/*
 * Cut @p buf to @p cols columns: first the trailing parenthesised asides
 * ("(ends at 0x...)"), then at the last word that fits, marking the cut
 * with "...". Never inside a UTF-8 character.
 */
static void fit_text(char *buf, int cols)
{
	while (text_cols(buf) > cols) {
		size_t len = strlen(buf);
		if (len < 2 || buf[len - 1] != ')')
			break;
		char *open = strrchr(buf, '(');
		if (!open || open == buf || open[-1] != ' ')
			break;
		open[-1] = '\0';
	}
	if (text_cols(buf) <= cols)
		return;
	int keep = cols - 3, n = 0;
	char *cut = buf, *space = NULL;
	for (char *p = buf; *p; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;
		if (n == keep) {
			cut = p;
			break;
		}
		if (*p == ' ')
			space = p;
		n++;
	}
	// A cut at a space keeps words whole, unless that throws away most of the line.
	if (space && space - buf > keep / 2)
		cut = space;
	while (cut > buf && (cut[-1] == ' ' || cut[-1] == ',' || cut[-1] == ':'))
		cut--;
	strcpy(cut, "...");
}

/*
 * A Go name without its package's import path: "example.com/x/geo.Cache"
 * is "geo.Cache"; what follows the variable (index, fields) is kept.
 */
static const char *short_go_name(const char *name)
{
	size_t head = strcspn(name, "[({\"");
	const char *slash = memrchr(name, '/', head);
	return slash ? slash + 1 : name;
}

/*
 * Go names in @p buf without their import paths, in place:
 * "module image, example.com/x/geo.Marker in ..." reads
 * "module image, geo.Marker in ...". File paths (from '/') stay.
 */
static void shorten_go_names(char *buf)
{
	char *w = buf;
	for (char *p = buf; *p;) {
		if (*p == ' ' || *p == '(') {
			*w++ = *p++;
			continue;
		}
		size_t head = strcspn(p, " [({\"");
		char *slash = memrchr(p, '/', head);
		if (p[0] != '/' && slash && memchr(slash, '.', head - (size_t)(slash - p)))
			p = slash + 1;
		size_t len = strcspn(p, " ");
		memmove(w, p, len);
		w += len;
		p += len;
	}
	*w = '\0';
}

/*
 * A Go type in @p buf without import paths, in place:
 * "map[string]*encoding/json.field" reads "map[string]*json.field".
 */
static void shorten_type_names(char *buf)
{
	char *w = buf;
	for (char *p = buf; *p;) {
		size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789_./-~");
		if (!len) {
			*w++ = *p++;
			continue;
		}
		char *slash = memrchr(p, '/', len);
		if (slash && memchr(slash, '.', len - (size_t)(slash - p))) {
			len -= (size_t)(slash + 1 - p);
			p = slash + 1;
		}
		memmove(w, p, len);
		w += len;
		p += len;
	}
	*w = '\0';
}

void ms_report_wrapped(FILE *out, const char *label, const char *text)
{
	char *esc = ms_escape_term_dup(text);
	const char *p = esc ? esc : text;
	int indent = (int)strlen(label), avail = style.width - indent;
	fputs(label, out);
	while (!style.verbose && text_cols(p) > avail) {
		// The last space within the width, else a cut at the width.
		const char *cut = NULL, *space = NULL;
		int n = 0;
		for (const char *q = p; *q; q++) {
			if (((unsigned char)*q & 0xc0) == 0x80)
				continue;
			if (n == avail) {
				cut = q;
				break;
			}
			if (*q == ' ' && q > p)
				space = q;
			n++;
		}
		if (space)
			cut = space;
		fprintf(out, "%.*s\n%*s", (int)(cut - p), p, indent, "");
		p = cut;
		while (*p == ' ')
			p++;
	}
	fprintf(out, "%s\n", p);
	free(esc);
}

static void brief_line(FILE *out, const char *indent, char *text)
{
	shorten_go_names(text);
	fit_text(text, style.width - (int)strlen(indent));
	fprintf(out, "%s%s\n", indent, text);
}

/*
 * A goroutine root in the one line a map gets: the whole root and the type
 * when they fit, else without the frame's file and line, then without the
 * type, then the function and local alone: the local's name is the last
 * thing to go.
 */
static void goroutine_root_brief(const struct ms_scan *sc, const struct ms_scan_map *m,
				 const char *type, int avail, char *name, size_t size)
{
	const struct ms_scan_root *r = &m->roots[0];
	const char *rest = "";
	if (r->var && strncmp(r->path, r->var, strlen(r->var)) == 0)
		rest = r->path + strlen(r->var);
	char aliases[48] = "";
	if (m->n_roots > 1)
		snprintf(aliases, sizeof(aliases), " (+%zu alias%s)", m->n_roots - 1,
			 m->n_roots > 2 ? "es" : "");
	const char *kind = r->arg ? "arg" : "local";
	const char *local = r->local ? r->local : "?";
	const char *fn = r->func ? r->func : "?";
	for (int t = 0; t < 5; t++) {
		switch (t) {
		case 0:
			snprintf(name, size, "%s%s  %s", r->path, aliases, type);
			break;
		case 1:
			snprintf(name, size, "goroutine %" PRIu64 " %s %s %s%s%s  %s", r->goid, fn,
				 kind, local, rest, aliases, type);
			break;
		case 2:
			snprintf(name, size, "goroutine %" PRIu64 " %s %s %s%s%s", r->goid, fn,
				 kind, local, rest, aliases);
			break;
		case 3:
			snprintf(name, size, "goroutine %" PRIu64 " %s %s %s%s", r->goid,
				 short_go_name(fn), kind, local, rest);
			break;
		default:
			snprintf(name, size, "%s %s %s%s", short_go_name(fn), kind, local, rest);
			break;
		}
		if (text_cols(name) <= avail)
			return;
	}
	(void)sc;
}

/*
 * A map held from a goroutine's frame through heap memory (a stripped
 * frame, or a heap object a local points to), owner first:
 * "goroutine 18 main.serve (*main.Server).Sessions" for a walk from a heap
 * object "(heap 0x... main.Server).Sessions", "goroutine 21 main.nested
 * (heap 0x...)["left"]" from a map the frame holds, "goroutine 20
 * main.iface (heap)" for the find itself; then the type as it fits.
 */
static void held_brief(const struct ms_scan_map *m, const char *type, int avail,
		       char *name, size_t size)
{
	char path[384] = "(heap)";
	if (m->n_roots) {
		const char *p = m->roots[0].path + 5, *close = strchr(p, ')');
		if (close && p[0] == ' ' && strncmp(p, " 0x", 3) == 0) {
			// " 0xADDR TYPE)REST" or " 0xADDR)REST"
			const char *sp = memchr(p + 1, ' ', (size_t)(close - p - 1));
			if (sp)
				snprintf(path, sizeof(path), "(*%.*s)%s", (int)(close - sp - 1), sp + 1,
					 close + 1);
			else
				snprintf(path, sizeof(path), "(heap%.*s)%s", (int)(close - p), p,
					 close + 1);
		} else if (close) {
			// ", held by goroutine N in F 0xADDR)REST"
			const char *addr = close;
			while (addr > p && addr[-1] != ' ')
				addr--;
			snprintf(path, sizeof(path), "map %.*s%s", (int)(close - addr), addr,
				 close + 1);
		}
	}
	// Shortened in turn: the type's import paths, the "(heap)" of a bare
	// find, then the goroutine's number (a bare find keeps its type before
	// it) or the type; a path is cut last.
	static const struct { bool goid, path; int type; } walk[] = {
		{ true, true, 1 }, { true, true, 2 }, { true, true, 0 },
		{ false, true, 2 }, { false, true, 0 },
	}, bare[] = {
		{ true, true, 1 }, { true, true, 2 }, { true, false, 2 },
		{ false, false, 2 }, { true, false, 0 },
	};
	bool is_bare = !m->n_roots;
	size_t n = is_bare ? sizeof(bare) / sizeof(bare[0]) : sizeof(walk) / sizeof(walk[0]);
	for (size_t t = 0; t < n; t++) {
		bool goid = is_bare ? bare[t].goid : walk[t].goid;
		bool with_path = is_bare ? bare[t].path : walk[t].path;
		int ty = is_bare ? bare[t].type : walk[t].type;
		int len = goid ? snprintf(name, size, "goroutine %" PRIu64 " %s", m->goid,
					  m->frame_func)
			       : snprintf(name, size, "%s", m->frame_func);
		if (len < 0 || (size_t)len >= size)
			return;
		if (with_path)
			len += snprintf(name + len, size - (size_t)len, " %s", path);
		if (len < 0 || (size_t)len >= size)
			return;
		if (ty) {
			snprintf(name + len, size - (size_t)len, "  %s", type);
			if (ty == 2)
				shorten_type_names(name + len);
		}
		if (text_cols(name) <= avail)
			return;
	}
}

void ms_report_map_brief(FILE *out, const struct ms_scan *sc,
			 const struct ms_scan_map *m, const struct ms_map_prov *mp)
{
	bool crash = sc->crash_map != SIZE_MAX && &sc->maps[sc->crash_map] == m;
	const char *type = ms_scan_map_type_name(m);
	const char *crash_mark = crash ? "  <- CRASH" : "";
	char hdr[24], name[512], line[1024];
	if (m->unread)
		snprintf(hdr, sizeof(hdr), "(not saved)");
	else
		snprintf(hdr, sizeof(hdr), "0x%" PRIx64, m->header);
	int prefix = 3 + 1 + 10 + 1 + 14 + 2;
	int avail = style.width - prefix;
	if (m->n_roots && m->roots[0].goid) {
		goroutine_root_brief(sc, m, type, avail - (int)strlen(crash_mark), name,
				     sizeof(name));
	} else if (m->frame_points && m->frame_func && m->goid &&
		   (!m->n_roots || strncmp(m->roots[0].path, "(heap", 5) == 0)) {
		held_brief(m, type, avail - (int)strlen(crash_mark), name, sizeof(name));
	} else if (m->n_roots) {
		// The declaring variable and its module, then the aliases:
		// as much as fits, names shortened before anything is left out.
		const char *mod = module_of_root(sc, &m->roots[0]);
		static const struct { bool shorten, alias, type; } tries[] = {
			{ false, true, true }, { true, true, true }, { false, true, false },
			{ true, true, false }, { true, false, false },
		};
		// An unnamed word is shown shortened, ".bss 0x5cf210": as telling as
		// the whole, and it leaves room for the type.
		for (size_t t = 0; t < sizeof(tries) / sizeof(tries[0]); t++) {
			const char *n0 = m->roots[0].unnamed
				       ? m->roots[0].path + strcspn(m->roots[0].path, " ") + 1
				       : tries[t].shorten ? short_go_name(m->roots[0].path)
				       : m->roots[0].path;
			int len = snprintf(name, sizeof(name), "%s (%s)", n0, mod);
			if (m->n_roots > 1 && tries[t].alias)
				len += snprintf(name + len, sizeof(name) - (size_t)len, ", also %s%s",
						tries[t].shorten ? short_go_name(m->roots[1].path)
						: m->roots[1].path, m->n_roots > 2 ? " ..." : "");
			else if (m->n_roots > 1)
				len += snprintf(name + len, sizeof(name) - (size_t)len, " (+%zu alias%s)",
						m->n_roots - 1, m->n_roots > 2 ? "es" : "");
			if (tries[t].type)
				snprintf(name + len, sizeof(name) - (size_t)len, "  %s", type);
			if (text_cols(name) + (int)strlen(crash_mark) <= avail)
				break;
		}
	} else {
		// How it was found, then its type: import paths dropped, then the
		// shorter label, before the type is cut.
		const char *how = m->found_by & MS_FOUND_STACK ? "stack" : "heap";
		for (int t = 0; t < 3; t++) {
			int len = t < 2 ? snprintf(name, sizeof(name), "(found by the %s scan)  ", how)
					: snprintf(name, sizeof(name), "(%s)  ", how);
			snprintf(name + len, sizeof(name) - (size_t)len, "%s", type);
			if (t > 0)
				shorten_type_names(name + len);
			if (text_cols(name) + (int)strlen(crash_mark) <= avail)
				break;
		}
	}
	fit_text(name, avail - (int)strlen(crash_mark));
	fprintf(out, "%3u ", m->id);
	ms_report_put_verdict(out, m->check.verdict, 10);
	fprintf(out, " %-14s  %s", hdr, name);
	if (crash)
		ms_report_put_colored(out, MS_VERDICT_DANGLING, crash_mark);
	fputc('\n', out);

	static const char indent[] = "      ";
	if (m->check.n_reasons) {
		const struct ms_map_reason *r = &m->check.reasons[0];
		int n = snprintf(line, sizeof(line), "%s%s%s", r->verdict == m->check.verdict
				 ? "" : ms_verdict_str(r->verdict), r->verdict == m->check.verdict
				 ? "" : ": ", r->detail);
		if (m->check.n_reasons > 1 && n > 0 && (size_t)n < sizeof(line)) {
			char more[48];
			snprintf(more, sizeof(more), " (+%zu more)", m->check.n_reasons - 1);
			// Keep the count even when the reason itself is cut.
			fit_text(line, style.width - (int)strlen(indent) - (int)strlen(more));
			strncat(line, more, sizeof(line) - strlen(line) - 1);
		}
		brief_line(out, indent, line);
	}
	const struct ms_crash *cr = ms_session_crash(sc->session);
	if (crash && cr->have_fault_addr) {
		// The bad pointer nearest below the fault: the one it went through.
		const struct ms_map_reason *via = NULL;
		for (size_t i = 0; i < m->check.n_reasons; i++) {
			const struct ms_map_reason *r = &m->check.reasons[i];
			if (r->pointer && r->pointer <= cr->fault_addr &&
			    (!via || r->pointer > via->pointer))
				via = r;
		}
		if (via)
			snprintf(line, sizeof(line), "crash: the fault at 0x%" PRIx64 " is %s + 0x%" PRIx64,
				 cr->fault_addr, via->field, cr->fault_addr - via->pointer);
		else
			snprintf(line, sizeof(line), "crash: %s", sc->crash_why);
		brief_line(out, indent, line);
	}
	if (!mp || !mp->xrefs_done)
		return;
	if (mp->n_xrefs) {
		const struct ms_prov_xref *x = &mp->xrefs[0];
		int n;
		char pos[512];
		const char *fl = x->function ?
			ms_pc_file_line(sc->session, x->address, true, pos, sizeof(pos)) : NULL;
		if (fl)
			n = snprintf(line, sizeof(line), "used by %s (%s) in %s",
				     short_go_name(x->function), fl, module_at(sc, x->module));
		else if (x->function)
			n = snprintf(line, sizeof(line), "used by %s+0x%" PRIx64 " in %s",
				     short_go_name(x->function), x->offset, module_at(sc, x->module));
		else
			n = snprintf(line, sizeof(line), "used by code at 0x%" PRIx64 " (%s)",
				     x->address, module_at(sc, x->module));
		if (n > 0 && (size_t)n < sizeof(line) && (mp->n_xrefs > 1 || mp->xrefs_truncated))
			snprintf(line + n, sizeof(line) - (size_t)n, " and %zu%s other place%s",
				 mp->n_xrefs - 1, mp->xrefs_truncated ? "+" : "",
				 mp->n_xrefs == 2 ? "" : "s");
		brief_line(out, indent, line);
	} else if (mp->n_holders) {
		ms_describe_addr(sc->session, mp->holders[0], line, sizeof(line));
		char held[1100];
		snprintf(held, sizeof(held), "held by 0x%" PRIx64 ": %s", mp->holders[0], line);
		brief_line(out, indent, held);
	} else if (mp->n_roots) {
		snprintf(line, sizeof(line), "used by: no code in the text swept refers to it");
		brief_line(out, indent, line);
	}
}
