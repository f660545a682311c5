/* mapsleuth info: what the core says about the process, its modules, its Go runtime and its mappings. */
#include "config.h"

#include <elf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "describe.h"
#include "open.h"
#include "commands.h"
#include "crash_story.h"
#include "goroutine.h"
#include "json.h"
#include "report.h"
#include "session.h"
#include "story.h"

int ms_cmd_info(int argc, char **argv);
void ms_cmd_info_help(FILE *out);

void ms_cmd_info_help(FILE *out)
{
	fputs("usage: mapsleuth info [--exe EXE] [--sysroot DIR] [--solib-search DIR]... [--json]\n"
	      "                      [--address ADDR]... [--goroutines] [--verbose] CORE\n"
	      "\n"
	      "Show what the core says: the crash story first (a Go fatal error's message\n"
	      "or the panic value, the crashed goroutine's own frames, the goroutines\n"
	      "inside the map runtime and the map each works on), then the Go version and\n"
	      "map implementation, process, threads, the crash (signal, fault address,\n"
	      "faulting pc with file:line), the crashed goroutine's backtrace, the\n"
	      "modules with their files and build ids, and every mapping with what lives\n"
	      "in it.\n"
	      "\n"
	      "options:\n",
	      out);
	ms_cli_common_help(out);
	fputs("  --address ADDR       say only what ADDR is (repeatable): symbol and offset,\n"
	      "                       section and module, heap object, or the nearest mapping\n"
	      "  --goroutines         every goroutine's backtrace, not only the crashed one's\n"
	      "  -v, --verbose        every line whole, however wide: full paths, whole\n"
	      "                       Go build ids, stack pointers, 16-digit addresses\n"
	      "                       (default: lines folded to the terminal's width, or 80)\n",
	      out);
	ms_cli_env_help(out, "  0 everything shown, 1 shown with warnings (partial), 2 unusable input,\n"
			"  64 usage error\n");
}

struct warnings {
	char **msgs;
	size_t n;
};

static void collect_warning(void *arg, const char *msg)
{
	struct warnings *w = arg;
	ms_cli_warnf("%s", msg);
	char **n = realloc(w->msgs, (w->n + 1) * sizeof(*n));
	if (!n)
		return;
	w->msgs = n;
	w->msgs[w->n] = strdup(msg);
	if (w->msgs[w->n])
		w->n++;
}

static const char *impl_str(enum ms_map_impl impl)
{
	return impl == MS_MAP_CLASSIC ? "classic" : impl == MS_MAP_SWISS ? "swiss" : NULL;
}

// Whether text is drawn whole (--verbose), not to fit the width.
static bool verbose;

// "name+0x12" for pc, or "?" when no symbol covers it.
static void function_at(struct ms_session *s, uint64_t pc, char *buf, size_t size)
{
	const char *name;
	uint64_t off;
	struct ms_error *err = ms_session_symbolize(s, pc, NULL, &name, &off);
	if (err) {
		ms_error_destroy(err);
		snprintf(buf, size, "?");
		return;
	}
	char pos[512];
	const char *line = ms_pc_file_line(s, pc, !verbose, pos, sizeof(pos));
	if (off)
		snprintf(buf, size, "%s+0x%" PRIx64 "%s%s%s", name, off,
			 line ? " (" : "", line ? line : "", line ? ")" : "");
	else
		snprintf(buf, size, "%s%s%s%s", name, line ? " (" : "", line ? line : "",
			 line ? ")" : "");
}

/** What info knows of goroutines; gs and st NULL when they cannot be read. */
struct info_goroutines {
	struct ms_goroutines *gs;
	struct ms_crash_story *st;
	char *error;		/**< why not, or NULL */
	bool all;		/**< --goroutines */
};

static void print_goroutines_text(const struct info_goroutines *ig)
{
	if (!ig->gs) {
		if (ig->error)
			printf("\ngoroutines: not read: %s\n", ig->error);
		return;
	}
	const struct ms_goroutines *gs = ig->gs;
	const struct ms_goroutine *crashed = ms_goroutines_crashed(gs);
	printf("\ngoroutines (%zu live, %zu dead; runtime.allgs from %s)%s\n", gs->n,
	       gs->n_dead, gs->allgs_source,
	       ig->all || !crashed ? ":" : ", the crashed one (--goroutines: all):");
	for (size_t i = 0; i < gs->n; i++) {
		if (!ig->all && &gs->gs[i] != crashed)
			continue;
		ms_story_goroutine(stdout, "  ", &gs->gs[i]);
	}
	if (!ig->all && !crashed)
		printf("  no crashed goroutine (--goroutines: all)\n");
}

static void print_goroutines_json(struct ms_json *js, const struct info_goroutines *ig)
{
	ms_story_json(js, ig->st, NULL);
	ms_json_key(js, "goroutines");
	if (!ig->gs) {
		ms_json_null(js);
		ms_json_kv_string(js, "goroutines_error", ig->error);
		return;
	}
	ms_json_array_begin(js);
	const struct ms_goroutine *crashed = ms_goroutines_crashed(ig->gs);
	for (size_t i = 0; i < ig->gs->n; i++)
		if (ig->all || &ig->gs->gs[i] == crashed)
			ms_story_goroutine_json(js, &ig->gs->gs[i]);
	ms_json_array_end(js);
	ms_json_kv_u64(js, "goroutines_total", ig->gs->n);
	ms_json_kv_string(js, "allgs_from", ig->gs->allgs_source);
}

static const char *signal_str(int signo, char *buf, size_t size)
{
	const char *n = ms_signal_name(signo);
	if (n)
		return n;
	snprintf(buf, size, "signal %d", signo);
	return buf;
}

static const char *module_name(const struct ms_module *mod)
{
	const char *p = mod->file_path ? mod->file_path : mod->core_path;
	return p;
}

// What a whole mapping is, for the mappings table.
static void mapping_class(struct ms_session *s, const struct ms_segment *seg,
			  char *buf, size_t size)
{
	struct ms_addr_info ai;
	struct ms_error *err = ms_session_classify(s, seg->start, &ai);
	if (err) {
		ms_error_destroy(err);
		snprintf(buf, size, "?");
		return;
	}
	switch (ai.cls) {
	case MS_ADDR_HEAP_INUSE:
	case MS_ADDR_HEAP_FREE:
	case MS_ADDR_HEAP_OTHER:
		snprintf(buf, size, "go heap%s", seg->perms ? "" : " (reserved, PROT_NONE)");
		break;
	case MS_ADDR_STACK:
		snprintf(buf, size, "go heap (stacks)");
		break;
	case MS_ADDR_MODULE: {
		// Named after the Go sections it holds ("text", "noptrdata-data"),
		// not after whatever section happens to start it.
		const char *first = NULL, *last = NULL;
		for (int j = 0; ai.module->is_go && j < MS_SECTION_COUNT; j++) {
			const struct ms_range *r = &ai.module->ranges[j];
			if (r->start >= r->end || r->end <= seg->start || r->start >= seg->end)
				continue;
			if (!first)
				first = ms_section_name((enum ms_section)j);
			last = ms_section_name((enum ms_section)j);
		}
		if (!first && seg->file_path && seg->file_offset == 0)
			first = "ELF headers";
		else if (!first)
			first = ai.section;
		snprintf(buf, size, "%s %s%s%s%s%s", ms_module_kind_str(ai.module->kind),
			 verbose ? module_name(ai.module) : ms_cli_basename(module_name(ai.module)),
			 first ? " " : "", first ? first : "",
			 last && last != first ? "-" : "", last && last != first ? last : "");
		break;
	}
	case MS_ADDR_MAPPING:
		snprintf(buf, size, "%s", seg->perms == 0 ? "reserved (PROT_NONE)" :
					  seg->file_path ? "file" : "anonymous");
		break;
	default:
		snprintf(buf, size, "%s", ms_addr_class_str(ai.cls));
		break;
	}
}

/*
 * A Go build id ("action/.../content", 83 characters) within 80 columns:
 * its first and last parts. GNU build ids (40 digits) stay whole.
 */
static const char *short_build_id(const char *id, char *buf, size_t size)
{
	const char *first = strchr(id, '/'), *last = strrchr(id, '/');
	if (!first || first == last || strlen(id) <= 48)
		return id;
	snprintf(buf, size, "%.*s/.../%s", (int)(first - id), id, last + 1);
	return buf;
}

// The modules within the width: "kind status base path", the build id under it.
static void print_modules_folded(struct ms_session *s)
{
	size_t nm = ms_session_module_count(s);
	printf("\nmodules (%zu):\n  %-7s %-10s %-14s %s\n", nm, "kind", "status", "base",
	       "path");
	for (size_t i = 0; i < nm; i++) {
		const struct ms_module *m = ms_session_module(s, i);
		const char *id = m->build_id ? m->build_id : m->file_build_id;
		char base[24], idb[128];
		snprintf(base, sizeof(base), "0x%" PRIx64, m->start);
		printf("  %-7s %-10s %-14s %s\n", ms_module_kind_str(m->kind),
		       ms_module_status_str(m->status), base, module_name(m));
		if (m->file_path && strcmp(m->file_path, m->core_path) != 0)
			printf("          in the core %s\n", m->core_path);
		if (id)
			printf("          build id %s\n", short_build_id(id, idb, sizeof(idb)));
		if (m->pluginpath)
			printf("          pluginpath %s\n", m->pluginpath);
	}
}

static void print_text(struct ms_session *s, const char *core_path,
		       const struct info_goroutines *ig)
{
	char fn[512], sb[32];
	struct ms_module *exe = ms_session_exe(s);
	const struct ms_process *p = ms_session_process(s);
	ms_story_print(stdout, s, ig->st, NULL);
	printf("core:        %s\n", core_path);
	// What could not be examined comes first.
	ms_report_losses(stdout, s, "lost:        ", "guessed:     ");
	printf("executable:  %s\n", module_name(exe));
	if (ms_session_go_version(s)) {
		const char *x = ms_session_go_experiments(s);
		printf("go:          %s%s%s, %s maps (layouts: moduledata %s, heap %s, g %s)\n",
		       ms_session_go_version(s), *x ? " X:" : "", x,
		       impl_str(ms_session_map_impl(s)),
		       ms_layout_source_str(ms_session_go_layout(s)->md.source),
		       ms_layout_source_str(ms_session_go_layout(s)->heap.source),
		       ms_layout_source_str(ms_session_go_layout(s)->g.source));
	} else {
		printf("go:          not found\n");
	}
	// The runtime of a C (or Python) host is in a Go c-shared library.
	const struct ms_module *rt = ms_session_runtime_module(s);
	if (rt && rt != exe)
		printf("runtime:     %s (a Go shared library; %s has no Go runtime)\n",
		       ms_cli_basename(module_name(rt)), ms_cli_basename(module_name(exe)));
	for (size_t i = 0; !rt && i < ms_session_module_count(s); i++) {
		const struct ms_module *m = ms_session_module(s, i);
		if (m->kind == MS_MODULE_SHLIB && m->go_build_id && m->status != MS_MODULE_FOUND)
			printf("runtime:     %s? (a Go shared library, missing: try --solib-search)\n",
			       ms_cli_basename(module_name(m)));
	}
	printf("process:     pid %d, %s%s%s\n", p->pid, p->fname,
	       *p->psargs ? ": " : "", p->psargs);

	const struct ms_crash *c = ms_session_crash(s);
	if (c->present) {
		printf("crash:       %s code %d", signal_str(c->signo, sb, sizeof(sb)), c->code);
		if (c->have_fault_addr)
			printf(" at 0x%" PRIx64, c->fault_addr);
		function_at(s, c->pc, fn, sizeof(fn));
		printf(", pc 0x%" PRIx64 " %s", c->pc, fn);
		if (strcmp(c->source, "g.sigcode1") == 0)
			printf(" (goroutine %" PRIu64 "; core signal %s code %d)",
			       c->goid, signal_str(c->core_signo, sb, sizeof(sb)), c->core_code);
		printf(", thread %d\n", c->tid);
	} else {
		printf("crash:       none%s\n",
		       c->core_signo ? ": gcore dump (no signal)" : " (no signal)");
	}

	size_t nt = ms_session_thread_count(s);
	// The stack pointer with --verbose: the pc and its function fit 80 columns.
	if (verbose)
		printf("\nthreads (%zu):\n  %-8s %-18s %-18s %s\n", nt, "tid", "pc", "sp",
		       "function");
	else
		printf("\nthreads (%zu, * the signalled one):\n  %-8s %-14s %s\n", nt, "tid", "pc",
		       "function");
	for (size_t i = 0; i < nt; i++) {
		const struct ms_core_thread *t = ms_session_thread(s, i);
		function_at(s, t->regs[MS_REG_RIP], fn, sizeof(fn));
		char pc[24];
		snprintf(pc, sizeof(pc), "0x%" PRIx64, t->regs[MS_REG_RIP]);
		if (verbose)
			printf("  %-8d 0x%016" PRIx64 " 0x%016" PRIx64 " %s%s\n", t->tid,
			       t->regs[MS_REG_RIP], t->regs[MS_REG_RSP], fn,
			       i == 0 && t->cursig ? "  <- signal" : "");
		else
			printf("%c %-8d %-14s %s\n", i == 0 && t->cursig ? '*' : ' ', t->tid, pc, fn);
	}
	print_goroutines_text(ig);

	size_t nm = ms_session_module_count(s);
	if (!verbose) {
		print_modules_folded(s);
		goto mappings;
	}
	// The build-id column as wide as the longest (GNU ids are 40 digits).
	int id_w = 8;
	for (size_t i = 0; i < nm; i++) {
		const struct ms_module *m = ms_session_module(s, i);
		const char *id = m->build_id ? m->build_id : m->file_build_id;
		if (id && (int)strlen(id) > id_w)
			id_w = (int)strlen(id);
	}
	printf("\nmodules (%zu):\n  %-7s %-10s %-18s %-*s %s\n", nm, "kind", "status",
	       "base", id_w, "build id", "path");
	for (size_t i = 0; i < nm; i++) {
		const struct ms_module *m = ms_session_module(s, i);
		const char *id = m->build_id ? m->build_id : m->file_build_id;
		printf("  %-7s %-10s 0x%016" PRIx64 " %-*s %s", ms_module_kind_str(m->kind),
		       ms_module_status_str(m->status), m->start, id_w, id ? id : "-",
		       module_name(m));
		if (m->file_path && strcmp(m->file_path, m->core_path) != 0)
			printf(" (core: %s)", m->core_path);
		if (m->pluginpath)
			printf(" pluginpath %s", m->pluginpath);
		printf("\n");
	}

mappings:;
	const struct ms_addrspace *as = ms_session_addrspace(s);
	printf("\nmappings (%zu):\n  %-33s %-4s %-10s %s\n", as->n_segments,
	       "range", "perm", "dumped", "what");
	for (size_t i = 0; i < as->n_segments; i++) {
		const struct ms_segment *seg = &as->segments[i];
		char perms[4], what[600], dumped[24];
		mapping_class(s, seg, what, sizeof(what));
		snprintf(dumped, sizeof(dumped), "0x%" PRIx64, seg->dumped);
		// A mapping gcore left out has no program header in the core:
		// its permissions are not known.
		const char *pstr = seg->in_core ? ms_perms_str(seg->perms, perms) : "?";
		printf("  0x%012" PRIx64 "-0x%012" PRIx64 " %-4s %-10s %s",
		       seg->start, seg->end, pstr, dumped, what);
		if (seg->file_path && seg->file_read && seg->dumped < seg->end - seg->start)
			printf(" (rest from file)");
		else if (!seg->in_core)
			printf(" (not in core)");
		printf("\n");
	}
}

static void json_range(struct ms_json *js, const char *key, const struct ms_range *r)
{
	if (!r->start && !r->end)
		return;
	ms_json_key(js, key);
	ms_json_array_begin(js);
	ms_json_addr(js, r->start);
	ms_json_addr(js, r->end);
	ms_json_array_end(js);
}

static void print_json(struct ms_session *s, const char *core_path,
		       const struct warnings *w, const struct info_goroutines *ig)
{
	char fn[512], sb[32];
	struct ms_json js;
	ms_json_init(&js, stdout, true);
	ms_json_object_begin(&js);
	ms_json_kv_string(&js, "schema", "mapsleuth-info/1");
	ms_json_kv_string(&js, "core", core_path);
	ms_json_kv_string(&js, "executable", module_name(ms_session_exe(s)));

	ms_json_key(&js, "go");
	if (ms_session_go_version(s)) {
		const struct ms_go_layout *l = ms_session_go_layout(s);
		ms_json_object_begin(&js);
		ms_json_kv_string(&js, "version", ms_session_go_version(s));
		ms_json_kv_string(&js, "version_full", ms_session_go_version_full(s));
		ms_json_kv_string(&js, "experiments", ms_session_go_experiments(s));
		ms_json_kv_string(&js, "map_impl", impl_str(ms_session_map_impl(s)));
		ms_json_key(&js, "layouts");
		ms_json_object_begin(&js);
		ms_json_kv_string(&js, "moduledata", ms_layout_source_str(l->md.source));
		ms_json_kv_string(&js, "heap", ms_layout_source_str(l->heap.source));
		ms_json_kv_string(&js, "g", ms_layout_source_str(l->g.source));
		ms_json_object_end(&js);
		const char *how;
		uint64_t md = ms_session_firstmoduledata(s, &how);
		if (md) {
			ms_json_kv_addr(&js, "firstmoduledata", md);
			ms_json_kv_string(&js, "firstmoduledata_from", how);
		}
		const struct ms_heap *h = ms_session_heap(s);
		if (h)
			ms_json_kv_addr(&js, "mheap", h->mheap);
		ms_json_object_end(&js);
	} else {
		ms_json_null(&js);
	}

	const struct ms_process *p = ms_session_process(s);
	ms_json_key(&js, "process");
	ms_json_object_begin(&js);
	ms_json_kv_i64(&js, "pid", p->pid);
	ms_json_kv_i64(&js, "ppid", p->ppid);
	ms_json_kv_u64(&js, "uid", p->uid);
	ms_json_kv_u64(&js, "gid", p->gid);
	ms_json_kv_string(&js, "fname", p->fname);
	ms_json_kv_string(&js, "psargs", p->psargs);
	ms_json_object_end(&js);

	const struct ms_crash *c = ms_session_crash(s);
	ms_json_key(&js, "crash");
	if (c->present) {
		ms_json_object_begin(&js);
		ms_json_kv_string(&js, "signal", signal_str(c->signo, sb, sizeof(sb)));
		ms_json_kv_i64(&js, "signo", c->signo);
		ms_json_kv_i64(&js, "code", c->code);
		ms_json_key(&js, "fault_address");
		if (c->have_fault_addr)
			ms_json_addr(&js, c->fault_addr);
		else
			ms_json_null(&js);
		ms_json_kv_addr(&js, "pc", c->pc);
		function_at(s, c->pc, fn, sizeof(fn));
		ms_json_kv_string(&js, "function", fn);
		ms_json_kv_string(&js, "source", c->source);
		if (c->g) {
			ms_json_kv_u64(&js, "goid", c->goid);
			ms_json_kv_addr(&js, "g", c->g);
		}
		ms_json_kv_string(&js, "core_signal", signal_str(c->core_signo, sb, sizeof(sb)));
		ms_json_kv_i64(&js, "core_code", c->core_code);
		ms_json_kv_i64(&js, "tid", c->tid);
		ms_json_object_end(&js);
	} else {
		ms_json_null(&js);
	}

	print_goroutines_json(&js, ig);

	ms_json_key(&js, "threads");
	ms_json_array_begin(&js);
	for (size_t i = 0; i < ms_session_thread_count(s); i++) {
		const struct ms_core_thread *t = ms_session_thread(s, i);
		ms_json_object_begin(&js);
		ms_json_kv_i64(&js, "tid", t->tid);
		ms_json_kv_addr(&js, "pc", t->regs[MS_REG_RIP]);
		ms_json_kv_addr(&js, "sp", t->regs[MS_REG_RSP]);
		function_at(s, t->regs[MS_REG_RIP], fn, sizeof(fn));
		ms_json_kv_string(&js, "function", fn);
		ms_json_kv_i64(&js, "signal", t->cursig);
		ms_json_object_end(&js);
	}
	ms_json_array_end(&js);

	ms_json_key(&js, "modules");
	ms_json_array_begin(&js);
	for (size_t i = 0; i < ms_session_module_count(s); i++) {
		const struct ms_module *m = ms_session_module(s, i);
		ms_json_object_begin(&js);
		ms_json_kv_string(&js, "path", m->core_path);
		ms_json_kv_string(&js, "file", m->file_path);
		ms_json_kv_string(&js, "kind", ms_module_kind_str(m->kind));
		ms_json_kv_string(&js, "status", ms_module_status_str(m->status));
		ms_json_kv_string(&js, "pluginpath", m->pluginpath);
		ms_json_kv_addr(&js, "base", m->start);
		ms_json_kv_addr(&js, "end", m->end);
		ms_json_kv_addr(&js, "bias", m->bias);
		ms_json_kv_string(&js, "build_id", m->build_id);
		ms_json_kv_string(&js, "file_build_id", m->file_build_id);
		ms_json_kv_bool(&js, "build_id_checked", m->build_id_checked);
		ms_json_kv_bool(&js, "go", m->is_go || m->go_build_id);
		ms_json_kv_bool(&js, "go_runtime", m == ms_session_runtime_module(s));
		if (m->moduledata) {
			ms_json_kv_addr(&js, "moduledata", m->moduledata);
			ms_json_key(&js, "ranges");
			ms_json_object_begin(&js);
			for (int k = 0; k < MS_SECTION_COUNT; k++)
				json_range(&js, ms_section_name(k), &m->ranges[k]);
			ms_json_object_end(&js);
		}
		ms_json_object_end(&js);
	}
	ms_json_array_end(&js);

	const struct ms_addrspace *as = ms_session_addrspace(s);
	ms_json_key(&js, "mappings");
	ms_json_array_begin(&js);
	for (size_t i = 0; i < as->n_segments; i++) {
		const struct ms_segment *seg = &as->segments[i];
		char perms[4];
		struct ms_addr_info ai;
		struct ms_error *err = ms_session_classify(s, seg->start, &ai);
		ms_json_object_begin(&js);
		ms_json_kv_addr(&js, "start", seg->start);
		ms_json_kv_addr(&js, "end", seg->end);
		ms_json_kv_string(&js, "perms", ms_perms_str(seg->perms, perms));
		ms_json_kv_u64(&js, "dumped", seg->dumped);
		ms_json_kv_bool(&js, "in_core", seg->in_core);
		ms_json_kv_string(&js, "file", seg->file_path);
		if (seg->file_path) {
			ms_json_kv_addr(&js, "offset", seg->file_offset);
			ms_json_kv_bool(&js, "from_file", seg->file_read != NULL);
		}
		if (!err) {
			ms_json_kv_string(&js, "class", ms_addr_class_str(ai.cls));
			if (ai.module) {
				ms_json_kv_string(&js, "module", ai.module->core_path);
				ms_json_kv_string(&js, "section", ai.section);
			}
		}
		ms_error_destroy(err);
		ms_json_object_end(&js);
	}
	ms_json_array_end(&js);

	ms_json_key(&js, "warnings");
	ms_json_array_begin(&js);
	for (size_t i = 0; i < w->n; i++)
		ms_json_string(&js, w->msgs[i]);
	ms_json_array_end(&js);
	const char *const *lines;
	size_t n = ms_session_losses(s, &lines);
	ms_json_key(&js, "lost");
	ms_json_array_begin(&js);
	for (size_t i = 0; i < n; i++)
		ms_json_string(&js, lines[i]);
	ms_json_array_end(&js);
	n = ms_session_guesses(s, &lines);
	ms_json_key(&js, "guessed");
	ms_json_array_begin(&js);
	for (size_t i = 0; i < n; i++)
		ms_json_string(&js, lines[i]);
	ms_json_array_end(&js);
	ms_json_object_end(&js);
	ms_json_finish(&js);
}

/*
 * --address: what each address is, in the words every report uses
 * (lib/describe.c): symbol and offset, section and module, heap object,
 * or the nearest mapping. The gdb companion's check asks this.
 */
static void print_addresses(struct ms_session *s, const uint64_t *addrs, size_t n, bool json)
{
	struct ms_json js;
	if (json) {
		ms_json_init(&js, stdout, false);
		ms_json_object_begin(&js);
		ms_json_kv_string(&js, "schema", "mapsleuth-addresses/1");
		ms_json_key(&js, "addresses");
		ms_json_array_begin(&js);
	}
	for (size_t i = 0; i < n; i++) {
		char desc[512];
		struct ms_addr_info ai;
		struct ms_error *err = ms_session_classify(s, addrs[i], &ai);
		if (err)
			snprintf(desc, sizeof(desc), "%s", err->message);
		else
			ms_describe_info(s, &ai, desc, sizeof(desc));
		if (!json) {
			printf("0x%" PRIx64 ": %s: %s\n", addrs[i],
			       err ? "?" : ms_addr_class_str(ai.cls), desc);
		} else {
			ms_json_object_begin(&js);
			ms_json_kv_addr(&js, "address", addrs[i]);
			ms_json_kv_string(&js, "class", err ? NULL : ms_addr_class_str(ai.cls));
			ms_json_kv_string(&js, "description", desc);
			ms_json_object_end(&js);
		}
		ms_error_destroy(err);
	}
	if (json) {
		ms_json_array_end(&js);
		ms_json_object_end(&js);
		ms_json_finish(&js);
		putchar('\n');
	}
}

int ms_cmd_info(int argc, char **argv)
{
	struct ms_cli_common c = { 0 };
	const char *core = NULL, *pos[3];
	size_t n_pos = 0;
	int rc = MS_EXIT_USAGE;
	bool options_done = false, all_goroutines = false;
	uint64_t *addrs = calloc((size_t)argc, sizeof(*addrs));
	size_t n_addrs = 0;
	if (!addrs) {
		ms_cli_errorf("out of memory");
		return MS_EXIT_FATAL;
	}
	for (int i = 1; i < argc; i++) {
		if (!options_done && strcmp(argv[i], "--") == 0) {
			options_done = true;
			continue;
		}
		if (!options_done && strcmp(argv[i], "--address") == 0) {
			char *end;
			if (i + 1 >= argc || (addrs[n_addrs++] = strtoull(argv[i + 1], &end, 0),
					      *end || !*argv[i + 1])) {
				ms_cli_errorf("info: --address needs an address (0x...), not '%s'",
					      i + 1 < argc ? argv[i + 1] : "");
				goto out;
			}
			i++;
			continue;
		}
		if (!options_done && strcmp(argv[i], "--goroutines") == 0) {
			all_goroutines = true;
			continue;
		}
		if (!options_done && (strcmp(argv[i], "--verbose") == 0 ||
				      strcmp(argv[i], "-v") == 0)) {
			verbose = true;
			continue;
		}
		if (!options_done && argv[i][0] == '-' && argv[i][1]) {
			int r = ms_cli_common_option(&c, argc, argv, &i);
			if (r < 0)
				goto out;
			if (r == 0) {
				ms_cli_errorf("info: unknown option '%s'; see 'mapsleuth info --help'",
					      argv[i]);
				goto out;
			}
			continue;
		}
		if (n_pos == 2) {
			ms_cli_errorf("info: more than one core given ('%s', '%s')", pos[1], argv[i]);
			goto out;
		}
		pos[n_pos++] = argv[i];
	}
	if (n_pos == 2 && !c.core) {
		ms_cli_errorf("info: more than one core given ('%s', '%s')", pos[0], pos[1]);
		goto out;
	}
	if (ms_cli_common_cores(&c, "info", pos, &n_pos) < 0)
		goto out;
	core = n_pos ? pos[0] : NULL;
	if (!core) {
		ms_cli_errorf("info: no core given; see 'mapsleuth info --help'");
		goto out;
	}

	struct ms_report_style st = { verbose, ms_cli_color(&c, stdout), ms_cli_width(stdout),
				      true };
	ms_report_set_style(&st);
	// --address: one line each, whole, as the gdb companion reads them.
	if (!c.json && !verbose && !n_addrs)
		ms_cli_fold_stdout(st.width);
	struct warnings w = { 0 };
	struct ms_session *s;
	struct ms_error *err = ms_cli_open_session_warn(&c, core, collect_warning, &w, &s);
	if (err) {
		ms_cli_report(err);
		rc = MS_EXIT_FATAL;
	} else {
		struct info_goroutines ig = { .all = all_goroutines };
		err = ms_goroutines_create(s, &ig.gs);
		if (!err)
			err = ms_crash_story_create(s, ig.gs, NULL, 0, &ig.st);
		// Not a warning: a core without goroutines (no Go runtime, a
		// damaged allgs) still shows everything else.
		if (err) {
			ig.error = strdup(err->message);
			ms_error_destroy(err);
		}
		if (n_addrs)
			print_addresses(s, addrs, n_addrs, c.json);
		else if (c.json)
			print_json(s, core, &w, &ig);
		else
			print_text(s, core, &ig);
		ms_crash_story_destroy(ig.st);
		ms_goroutines_destroy(ig.gs);
		free(ig.error);
		const char *const *lost;
		// Partial: something warned about, or could not be examined.
		rc = w.n || ms_session_losses(s, &lost) ? MS_EXIT_SUSPECT : MS_EXIT_OK;
		ms_session_destroy(s);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			ms_cli_errorf("info: cannot write the output");
			rc = MS_EXIT_FATAL;
		}
	}
	for (size_t i = 0; i < w.n; i++)
		free(w.msgs[i]);
	free(w.msgs);
out:
	free(addrs);
	ms_cli_common_deinit(&c);
	return rc;
}
