/* Rendering scan results as text and JSON, shared by scan and show. */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "open.h"
#include "report.h"

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
	else
		snprintf(out, size, "(heap) 0x%" PRIx64, m->header);
}

void ms_report_header(FILE *out, const char *core_path, struct ms_session *s)
{
	const struct ms_module *exe = ms_session_exe(s);
	const struct ms_process *p = ms_session_process(s);
	fprintf(out, "%s: %s (%s, %s maps)", core_path,
		exe ? (exe->file_path ? exe->file_path : exe->core_path) : "?",
		ms_session_go_version(s) ? ms_session_go_version(s) : "unknown Go",
		impl_str(ms_session_map_impl(s)));
	if (p && p->pid)
		fprintf(out, ", pid %d", p->pid);
	fputc('\n', out);
	const struct ms_crash *cr = ms_session_crash(s);
	if (cr && cr->present) {
		fprintf(out, "  crash: %s", ms_signal_name(cr->signo));
		if (cr->have_fault_addr)
			fprintf(out, " at 0x%" PRIx64, cr->fault_addr);
		if (cr->pc) {
			struct ms_module *mod;
			const char *name;
			uint64_t off;
			fprintf(out, ", pc 0x%" PRIx64, cr->pc);
			struct ms_error *err = ms_session_symbolize(s, cr->pc, &mod, &name, &off);
			if (!err && name)
				fprintf(out, " %s+0x%" PRIx64, name, off);
			ms_error_destroy(err);
		}
		if (cr->source && strcmp(cr->source, "g.sigcode1") == 0)
			fprintf(out, " (%s raised by the Go runtime)", ms_signal_name(cr->core_signo));
		fputc('\n', out);
	}
	fprintf(out, "  modules:");
	for (size_t i = 0; i < ms_session_module_count(s); i++) {
		const struct ms_module *mod = ms_session_module(s, i);
		if (mod->kind == MS_MODULE_SHLIB || mod->kind == MS_MODULE_VDSO)
			continue;
		fprintf(out, " %s (%s%s%s%s)", module_name(mod), ms_module_kind_str(mod->kind),
			mod->pluginpath ? " " : "", mod->pluginpath ? mod->pluginpath : "",
			mod->status != MS_MODULE_FOUND ? ", missing" : "");
	}
	fputc('\n', out);
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
	fprintf(out, " %3u  %-10s 0x%-12" PRIx64 "  %s  %s", m->id,
		ms_verdict_str(m->check.verdict), m->header, name, ms_scan_map_type_name(m));
	if (where)
		fprintf(out, "  (%s)", where);
	else
		fprintf(out, "  (found by the %s scan, confidence %d)",
			m->found_by & MS_FOUND_STACK ? "stack" : "heap", m->confidence);
	fprintf(out, "%s\n", crash ? "  <- CRASH" : "");
	const char *pad = "                                ";
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
}

void ms_report_summary(FILE *out, const struct ms_scan *sc)
{
	fprintf(out, "%zu suspect%s in %zu maps (", sc->suspects,
		sc->suspects == 1 ? "" : "s", sc->n_maps);
	bool first = true;
	for (int v = MS_VERDICT_OK; v <= MS_VERDICT_DANGLING; v++) {
		if (!sc->by_verdict[v])
			continue;
		fprintf(out, "%s%zu %s", first ? "" : ", ", sc->by_verdict[v],
			ms_verdict_str((enum ms_verdict)v));
		first = false;
	}
	fprintf(out, ")");
	if (sc->heap_scanned)
		fprintf(out, "; %" PRIu64 " heap objects scanned", sc->heap_objects);
	fprintf(out, ".\n");
	for (size_t i = 0; i < sc->n_notes; i++)
		fprintf(out, "note: %s\n", sc->notes[i]);
	if (sc->walk_truncated)
		fprintf(out, "note: the walk from the globals stopped at its bound\n");
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
		ms_json_object_end(js);
	}
	ms_json_array_end(js);
}

static void crash_json(struct ms_json *js, const struct ms_scan *sc)
{
	struct ms_session *s = sc->session;
	const struct ms_crash *cr = ms_session_crash(s);
	ms_json_key(js, "crash");
	if (!cr || !cr->present) {
		ms_json_null(js);
		return;
	}
	ms_json_object_begin(js);
	ms_json_kv_string(js, "signal", ms_signal_name(cr->signo));
	ms_json_kv_i64(js, "code", cr->code);
	ms_json_key(js, "fault_address");
	if (cr->have_fault_addr)
		ms_json_addr(js, cr->fault_addr);
	else
		ms_json_null(js);
	ms_json_kv_addr(js, "pc", cr->pc);
	struct ms_module *mod;
	const char *name = NULL;
	uint64_t off = 0;
	struct ms_error *err = ms_session_symbolize((struct ms_session *)s, cr->pc, &mod, &name, &off);
	ms_json_key(js, "function");
	if (!err && name)
		ms_json_stringf(js, "%s+0x%" PRIx64, name, off);
	else
		ms_json_null(js);
	ms_error_destroy(err);
	ms_json_kv_string(js, "source", cr->source);
	ms_json_key(js, "map_id");
	if (sc->crash_map != SIZE_MAX) {
		ms_json_u64(js, sc->maps[sc->crash_map].id);
		ms_json_kv_string(js, "why", sc->crash_why);
	} else {
		ms_json_null(js);
	}
	ms_json_object_end(js);
}

void ms_report_map_json(struct ms_json *js, const struct ms_scan *sc,
			const struct ms_scan_map *m)
{
	ms_json_kv_u64(js, "id", m->id);
	ms_json_kv_addr(js, "header", m->header);
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
	for (unsigned b = MS_FOUND_GLOBAL; b <= MS_FOUND_STACK; b <<= 1)
		if (m->found_by & b)
			ms_json_string(js, ms_found_by_str((enum ms_found_by)b));
	ms_json_array_end(js);
	ms_json_kv_i64(js, "confidence", m->confidence);
	ms_json_key(js, "roots");
	ms_json_array_begin(js);
	for (size_t i = 0; i < m->n_roots; i++) {
		const struct ms_module *mod = ms_session_module(sc->session, m->roots[i].module);
		ms_json_object_begin(js);
		ms_json_kv_string(js, "module", module_name(mod));
		ms_json_kv_string(js, "pluginpath", mod->pluginpath);
		ms_json_kv_string(js, "symbol", m->roots[i].path);
		ms_json_kv_addr(js, "address", m->roots[i].slot);
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
}

void ms_report_scan_json(FILE *out, const char *core_path, struct ms_scan *sc,
			 bool all, bool one_line)
{
	struct ms_json js;
	ms_json_init(&js, out, false);
	ms_json_object_begin(&js);
	ms_json_kv_string(&js, "schema", "mapsleuth-scan/1");
	ms_report_context_json(&js, core_path, sc->session);
	crash_json(&js, sc);
	ms_json_key(&js, "maps");
	ms_json_array_begin(&js);
	for (size_t i = 0; i < sc->n_maps; i++) {
		const struct ms_scan_map *m = &sc->maps[i];
		if (!all && m->check.verdict == MS_VERDICT_OK)
			continue;
		// One map a line: still JSON, and greppable.
		if (!one_line)
			fputc('\n', out);
		ms_json_object_begin(&js);
		ms_report_map_json(&js, sc, m);
		ms_json_object_end(&js);
	}
	ms_json_array_end(&js);
	if (!one_line)
		fputc('\n', out);
	ms_json_key(&js, "summary");
	ms_json_object_begin(&js);
	ms_json_kv_u64(&js, "maps", sc->n_maps);
	ms_json_kv_u64(&js, "suspects", sc->suspects);
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
	ms_json_array_end(&js);
	ms_json_object_end(&js);
	ms_json_object_end(&js);
	ms_json_finish(&js);
	fputc('\n', out);
}
