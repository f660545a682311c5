/* Rendering goroutines, backtraces and the crash story as text and JSON, shared by info, scan and show. */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "escape.h"
#include "report.h"
#include "story.h"

// A string from the core or a binary, made safe for a terminal (cut to
// the buffer).
static const char *esc(char *buf, size_t size, const char *s)
{
	ms_escape_term(buf, size, s, strlen(s));
	return buf;
}

static const char *context_str(enum ms_g_context c)
{
	switch (c) {
	case MS_G_CONTEXT_NONE: return NULL;
	case MS_G_CONTEXT_SCHED: return "g.sched";
	case MS_G_CONTEXT_THREAD: return "thread registers";
	case MS_G_CONTEXT_SIGNAL: return "signal frame";
	}
	return NULL;
}

const char *ms_story_frame_name(const struct ms_frame *f, char *buf, size_t len)
{
	char fn[256], file[256];
	// The file's base name: a report line fits 80 columns (JSON and
	// backtraces have the whole path).
	const char *base = strrchr(f->file, '/');
	snprintf(buf, len, "%s (%s:%d)", esc(fn, sizeof(fn), f->func),
		 esc(file, sizeof(file), base ? base + 1 : f->file), (int)f->line);
	return buf;
}

void ms_story_goroutine(FILE *out, const char *indent,
			const struct ms_goroutine *g)
{
	char a[256], b[256];
	fprintf(out, "%sgoroutine %" PRIu64 " [%s", indent, g->goid, g->status_str);
	if (g->wait_reason && *g->wait_reason)
		fprintf(out, ": %s", esc(a, sizeof(a), g->wait_reason));
	if (g->tid)
		fprintf(out, ", thread %d", (int)g->tid);
	fprintf(out, "]%s:\n", g->crashed ? " (crashed)" : "");
	// The function column as wide as its longest name (at most 40).
	int fw = 1;
	for (size_t i = 0; i < g->n_frames; i++) {
		int n = (int)strlen(esc(a, sizeof(a), g->frames[i].func));
		if (n > fw)
			fw = n < 40 ? n : 40;
	}
	for (size_t i = 0; i < g->n_frames; i++) {
		const struct ms_frame *f = &g->frames[i];
		fprintf(out, "%s  %-*s  %s:%d%s%s\n", indent, fw, esc(a, sizeof(a), f->func),
			esc(b, sizeof(b), f->file), (int)f->line,
			f->inlined ? " (inlined)" : "",
			f->signal_context ? " (signal frame)" : "");
	}
	if (g->truncated)
		fprintf(out, "%s  ... (more frames)\n", indent);
	if (g->unwind_error)
		fprintf(out, "%s  (backtrace stops: %s)\n", indent,
			esc(a, sizeof(a), g->unwind_error));
}

static void frame_json(struct ms_json *js, const struct ms_frame *f)
{
	ms_json_object_begin(js);
	ms_json_kv_string(js, "function", f->func);
	ms_json_kv_string(js, "file", f->file);
	ms_json_kv_i64(js, "line", f->line);
	ms_json_kv_addr(js, "pc", f->pc);
	ms_json_kv_addr(js, "sp", f->sp);
	ms_json_kv_addr(js, "cfa", f->cfa);
	ms_json_kv_addr(js, "entry", f->entry);
	ms_json_kv_bool(js, "inlined", f->inlined);
	ms_json_kv_bool(js, "signal_frame", f->signal_context);
	ms_json_object_end(js);
}

void ms_story_goroutine_json(struct ms_json *js, const struct ms_goroutine *g)
{
	ms_json_object_begin(js);
	ms_json_kv_u64(js, "goid", g->goid);
	ms_json_kv_addr(js, "g", g->g);
	ms_json_kv_string(js, "status", g->status_str);
	ms_json_kv_string(js, "wait_reason", g->wait_reason && *g->wait_reason ? g->wait_reason : NULL);
	ms_json_key(js, "thread");
	if (g->tid)
		ms_json_i64(js, g->tid);
	else
		ms_json_null(js);
	ms_json_kv_bool(js, "crashed", g->crashed);
	ms_json_kv_string(js, "context", context_str(g->context));
	ms_json_kv_addr(js, "stack_lo", g->stack_lo);
	ms_json_kv_addr(js, "stack_hi", g->stack_hi);
	ms_json_key(js, "frames");
	ms_json_array_begin(js);
	for (size_t i = 0; i < g->n_frames; i++)
		frame_json(js, &g->frames[i]);
	ms_json_array_end(js);
	ms_json_kv_bool(js, "truncated", g->truncated);
	ms_json_kv_string(js, "unwind_error", g->unwind_error);
	ms_json_object_end(js);
}

static const struct ms_scan_map *scan_map(const struct ms_scan *sc, uint64_t header)
{
	return sc && header ? ms_scan_find(sc, header) : NULL;
}

// "main.gCache.m (map 1, 0xc00008c1b0)" or "0xc00008c1b0".
static void map_name(const struct ms_scan *sc, uint64_t header, char *buf, size_t len)
{
	const struct ms_scan_map *m = scan_map(sc, header);
	if (m) {
		char name[256];
		ms_report_map_name(m, name, sizeof(name));
		snprintf(buf, len, "%s (map %u, 0x%" PRIx64 ", %s)", name, m->id,
			 header, ms_scan_map_type_name(m));
	} else {
		snprintf(buf, len, "0x%" PRIx64, header);
	}
}

static void toucher_line(FILE *out, const char *pad, const struct ms_map_toucher *t,
			 bool with_map, const struct ms_scan *sc)
{
	char fb[512], fn[256];
	const struct ms_goroutine *g = t->g;
	fprintf(out, "%sgoroutine %" PRIu64 "%s %s in %s", pad, g->goid,
		g->crashed ? " (crashed)" : "", ms_map_op_str(t->op),
		esc(fn, sizeof(fn), g->frames[t->entry_frame].func));
	fputc('\n', out);
	if (t->user_frame < g->n_frames)
		fprintf(out, "%s  from %s", pad,
			ms_story_frame_name(&g->frames[t->user_frame], fb, sizeof(fb)));
	if (with_map) {
		const struct ms_scan_map *m = scan_map(sc, t->map);
		char name[256];
		if (m) {
			ms_report_map_name(m, name, sizeof(name));
			fprintf(out, " on %s", name);
		} else if (t->map) {
			fprintf(out, " on 0x%" PRIx64, t->map);
		} else {
			fprintf(out, " (map not recovered)");
		}
	}
	fputc('\n', out);
}

void ms_story_print(FILE *out, struct ms_session *s,
		    const struct ms_crash_story *st, const struct ms_scan *sc)
{
	(void)s;
	if (!st || (!st->kind && !st->n_touchers))
		return;
	const struct ms_goroutine *g = st->g;
	char buf[1200];
	if (st->kind && strcmp(st->kind, "signal") != 0)
		fprintf(out, "%s: %s\n", st->kind,
			st->message ? esc(buf, sizeof(buf), st->message) : "(message not recovered)");
	else if (st->kind)
		fprintf(out, "crash: a signal (see below)\n");
	else
		fprintf(out, "no crash; goroutines inside the map runtime:\n");
	if (g) {
		fprintf(out, "  goroutine %" PRIu64 " [%s", g->goid, g->status_str);
		if (g->tid)
			fprintf(out, ", thread %d", (int)g->tid);
		fprintf(out, "] crashed%s", st->n_touchers && st->touchers[0].g == g ? "\n " : "");
		// The runtime frame it died in, then its own frames.
		size_t shown = 0;
		const struct ms_map_toucher *t = st->n_touchers && st->touchers[0].g == g
						 ? &st->touchers[0] : NULL;
		if (t)
			fprintf(out, " inside %s, from",
				esc(buf, sizeof(buf), g->frames[t->entry_frame].func));
		fprintf(out, ":\n");
		for (size_t i = 0; i < g->n_frames; i++) {
			const struct ms_frame *f = &g->frames[i];
			if (strncmp(f->func, "runtime.", 8) == 0 ||
			    strncmp(f->func, "internal/", 9) == 0)
				continue;
			fprintf(out, "    %s\n", ms_story_frame_name(f, buf, sizeof(buf)));
			shown++;
		}
		if (!shown && g->n_frames)
			fprintf(out, "    (only runtime frames: %s)\n",
				esc(buf, sizeof(buf), g->frames[0].func));
		if (g->unwind_error)
			fprintf(out, "    (backtrace stops: %s)\n",
				esc(buf, sizeof(buf), g->unwind_error));
	}
	if (st->map) {
		map_name(sc, st->map, buf, sizeof(buf));
		const struct ms_scan_map *m = scan_map(sc, st->map);
		fprintf(out, "  map: %s\n", buf);
		if (m && m->writing)
			fprintf(out, "    being written: its writing flag is set\n");
	}
	if (st->n_touchers) {
		fprintf(out, "  inside the map runtime:\n");
		for (size_t i = 0; i < st->n_touchers; i++)
			toucher_line(out, "    ", &st->touchers[i], true, sc);
	}
	fputc('\n', out);
}

static void toucher_json(struct ms_json *js, const struct ms_map_toucher *t)
{
	const struct ms_goroutine *g = t->g;
	ms_json_object_begin(js);
	ms_json_kv_u64(js, "goroutine", g->goid);
	ms_json_kv_bool(js, "crashed", g->crashed);
	ms_json_kv_string(js, "op", ms_map_op_str(t->op));
	ms_json_kv_string(js, "runtime_function", g->frames[t->entry_frame].func);
	const struct ms_frame *u = t->user_frame < g->n_frames ? &g->frames[t->user_frame] : NULL;
	ms_json_kv_string(js, "function", u ? u->func : NULL);
	ms_json_kv_string(js, "file", u ? u->file : NULL);
	ms_json_key(js, "line");
	if (u)
		ms_json_i64(js, u->line);
	else
		ms_json_null(js);
	ms_json_key(js, "map");
	if (t->map)
		ms_json_addr(js, t->map);
	else
		ms_json_null(js);
	ms_json_kv_string(js, "map_from", t->map ? t->map_from : NULL);
	ms_json_object_end(js);
}

void ms_story_json(struct ms_json *js, const struct ms_crash_story *st,
		   const struct ms_scan *sc)
{
	ms_json_key(js, "crash_story");
	if (!st || (!st->kind && !st->n_touchers)) {
		ms_json_null(js);
		return;
	}
	ms_json_object_begin(js);
	ms_json_kv_string(js, "kind", st->kind);
	ms_json_kv_string(js, "message", st->message);
	ms_json_kv_string(js, "message_from", st->message ? st->message_from : NULL);
	ms_json_key(js, "goroutine");
	if (st->g)
		ms_json_u64(js, st->g->goid);
	else
		ms_json_null(js);
	ms_json_key(js, "map");
	if (st->map)
		ms_json_addr(js, st->map);
	else
		ms_json_null(js);
	const struct ms_scan_map *m = scan_map(sc, st->map);
	ms_json_key(js, "map_id");
	if (m)
		ms_json_u64(js, m->id);
	else
		ms_json_null(js);
	ms_json_key(js, "in_map_runtime");
	ms_json_array_begin(js);
	for (size_t i = 0; i < st->n_touchers; i++)
		toucher_json(js, &st->touchers[i]);
	ms_json_array_end(js);
	char name[256];
	if (m)
		ms_report_map_name(m, name, sizeof(name));
	ms_json_kv_string(js, "map_name", m ? name : NULL);
	ms_json_kv_string(js, "map_type", m ? ms_scan_map_type_name(m) : NULL);
	ms_json_kv_bool(js, "map_writing", m && m->writing);
	// The crashed goroutine as the story's text shows it: its status,
	// thread and frames, for reports drawn from the JSON (gdb's).
	const struct ms_goroutine *g = st->g;
	ms_json_kv_string(js, "goroutine_status", g ? g->status_str : NULL);
	ms_json_key(js, "goroutine_thread");
	if (g && g->tid)
		ms_json_i64(js, g->tid);
	else
		ms_json_null(js);
	ms_json_key(js, "frames");
	if (g) {
		ms_json_array_begin(js);
		for (size_t i = 0; i < g->n_frames; i++) {
			ms_json_object_begin(js);
			ms_json_kv_string(js, "function", g->frames[i].func);
			ms_json_kv_string(js, "file", g->frames[i].file);
			ms_json_kv_i64(js, "line", g->frames[i].line);
			ms_json_object_end(js);
		}
		ms_json_array_end(js);
	} else {
		ms_json_null(js);
	}
	ms_json_kv_string(js, "unwind_error", g ? g->unwind_error : NULL);
	ms_json_object_end(js);
}

// The goroutines on map m: those whose recovered map is its header, and,
// when m is being written, those whose map is unknown.
static bool on_map(const struct ms_map_toucher *t, const struct ms_scan_map *m)
{
	return t->map ? t->map == m->header : m->writing;
}

void ms_story_map_lines(FILE *out, const char *pad, const struct ms_scan *sc,
			const struct ms_scan_map *m)
{
	const struct ms_crash_story *st = sc->story;
	if (m->writing)
		fprintf(out, "%sbeing written: its %s is set\n", pad,
			m->impl == MS_MAP_CLASSIC ? "hmap.flags hashWriting bit" : "Map.writing flag");
	for (size_t i = 0; st && i < st->n_touchers; i++)
		if (on_map(&st->touchers[i], m))
			toucher_line(out, pad, &st->touchers[i], false, sc);
}

void ms_story_map_json(struct ms_json *js, const struct ms_scan *sc,
		       const struct ms_scan_map *m)
{
	const struct ms_crash_story *st = sc->story;
	ms_json_kv_bool(js, "writing", m->writing);
	ms_json_key(js, "in_map_runtime");
	ms_json_array_begin(js);
	for (size_t i = 0; st && i < st->n_touchers; i++)
		if (on_map(&st->touchers[i], m))
			toucher_json(js, &st->touchers[i]);
	ms_json_array_end(js);
}
