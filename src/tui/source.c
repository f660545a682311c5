/* Feeding the browser from a live session: the struct tui_source callbacks over ms_session and ms_scan, and the top line's facts. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crash_story.h"
#include "describe.h"
#include "elf_core.h"
#include "escape.h"
#include "goroutine.h"
#include "source.h"

static const char *base_name(const char *path)
{
	const char *b = path ? strrchr(path, '/') : NULL;
	return b ? b + 1 : path ? path : "";
}

static const char *module_file(const struct ms_module *mod)
{
	return base_name(mod->file_path ? mod->file_path : mod->core_path);
}

static const char *src_module_name(void *arg, size_t i)
{
	struct tui_session *ts = arg;
	if (i >= ms_session_module_count(ts->s))
		return NULL;
	return module_file(ms_session_module(ts->s, i));
}

static const char *src_module_plugin(void *arg, size_t i)
{
	struct tui_session *ts = arg;
	if (i >= ms_session_module_count(ts->s))
		return NULL;
	const struct ms_module *mod = ms_session_module(ts->s, i);
	return mod->pluginpath && *mod->pluginpath ? mod->pluginpath : NULL;
}

static const char *src_type_name(void *arg, const struct ms_scan_map *m)
{
	return ms_scan_map_type_name(m);
}

static struct ms_error *src_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	struct tui_session *ts = arg;
	return ms_session_read(ts->s, addr, buf, len);
}

// "geo.so .bss", "libc.so.6", "anonymous mapping"
static void place_name(const char *path, const struct ms_module *mod, const char *section,
		       char *out, size_t size)
{
	const char *file = mod ? module_file(mod) : path ? base_name(path) : "anonymous mapping";
	if (section && *section)
		snprintf(out, size, "%s %s%s", file, section[0] == '.' ? "" : ".", section);
	else
		snprintf(out, size, "%s", file);
}

static void describe_unmapped(const struct ms_addr_info *ai, char *out, size_t size)
{
	char n[128], d[32];
	int len = snprintf(out, size, "unmapped");
	if (ai->have_below && len < (int)size) {
		place_name(ai->below_path, ai->below_module, ai->below_section, n, sizeof(n));
		ms_describe_size(ai->below_distance, d, sizeof(d));
		len += snprintf(out + len, size - (size_t)len,
				"; the nearest mapping below ends at 0x%" PRIx64 " (%s below, %s)",
				ai->below_end, d, n);
	}
	if (ai->have_above && len < (int)size) {
		place_name(ai->above_path, ai->above_module, ai->above_section, n, sizeof(n));
		ms_describe_size(ai->above_distance, d, sizeof(d));
		snprintf(out + len, size - (size_t)len,
			 "; the nearest above starts at 0x%" PRIx64 " (%s above, %s)",
			 ai->above_start, d, n);
	}
	if (!ai->have_below && !ai->have_above && len < (int)size)
		snprintf(out + len, size - (size_t)len, "; no mapping near");
}

static bool src_describe(void *arg, uint64_t addr, bool brief, char *buf, size_t size)
{
	struct tui_session *ts = arg;
	struct ms_addr_info ai;
	struct ms_error *err = ms_session_classify(ts->s, addr, &ai);
	if (err) {
		snprintf(buf, size, "%s", brief ? "?" : err->message);
		ms_error_destroy(err);
		return false;
	}
	if (ai.cls == MS_ADDR_UNMAPPED) {
		if (brief)
			snprintf(buf, size, "unmapped");
		else
			describe_unmapped(&ai, buf, size);
		return false;
	}
	// A few words next to a field; the module's symbol is worth its room.
	static const char *const brief_words[] = {
		[MS_ADDR_HEAP_INUSE] = "heap", [MS_ADDR_HEAP_FREE] = "free heap",
		[MS_ADDR_HEAP_OTHER] = "heap, no span", [MS_ADDR_STACK] = "stack",
		[MS_ADDR_NOT_DUMPED] = "not dumped",
	};
	if (brief && ai.cls == MS_ADDR_MODULE) {
		// "geo.so .noptrdata: geo.Marker+0x8"
		char n[128], sym[256];
		place_name(ai.file_path, ai.module, ai.section, n, sizeof(n));
		if (ms_describe_symbol(ts->s, addr, sym, sizeof(sym))) {
			const char *slash = memrchr(sym, '/', strcspn(sym, "[({\""));
			snprintf(buf, size, "%s: %s", n, slash ? slash + 1 : sym);
		} else {
			snprintf(buf, size, "%s", n);
		}
	} else if (brief && ai.cls == MS_ADDR_MAPPING)
		snprintf(buf, size, "%s%s", ai.perms ? "mapping" : "PROT_NONE",
			 ai.file_path ? " file" : "");
	else if (brief && ai.cls < sizeof(brief_words) / sizeof(brief_words[0]) &&
		 brief_words[ai.cls])
		snprintf(buf, size, "%s", brief_words[ai.cls]);
	else
		ms_describe_info(ts->s, &ai, buf, size);
	return true;
}

static bool src_symbolize(void *arg, uint64_t addr, const char **name_ret, uint64_t *offset_ret)
{
	struct tui_session *ts = arg;
	struct ms_module *mod;
	struct ms_error *err = ms_session_symbolize(ts->s, addr, &mod, name_ret, offset_ret);
	if (err) {
		ms_error_destroy(err);
		return false;
	}
	return *name_ret != NULL;
}

static struct ms_error *src_entries(void *arg, const struct ms_scan_map *m, size_t limit,
				    ms_scan_entry_fn *fn, void *fn_arg)
{
	struct tui_session *ts = arg;
	return ms_scan_entries(ts->scan, m, limit, false, fn, fn_arg);
}

static void target(struct tui_line *l, uint64_t addr, const char *label)
{
	l->has_target = true;
	l->target = addr;
	snprintf(l->label, sizeof(l->label), "%s", label);
}

// The provenance of the scan, made on first use; NULL with a line saying
// why when it cannot be.
static struct ms_provenance *provenance(struct tui_session *ts)
{
	if (ts->prov || ts->prov_error[0])
		return ts->prov;
	struct ms_error *err = ms_provenance_create(ts->scan, &ts->prov);
	if (err) {
		snprintf(ts->prov_error, sizeof(ts->prov_error), "no provenance: %s", err->message);
		ms_error_destroy(err);
		ts->prov = NULL;
	}
	return ts->prov;
}

static const struct ms_map_prov *src_provenance(void *arg, size_t map, char *err_ret,
						size_t err_size)
{
	struct tui_session *ts = arg;
	struct ms_provenance *p = provenance(ts);
	if (!p) {
		snprintf(err_ret, err_size, "%s", ts->prov_error);
		return NULL;
	}
	if (map >= p->n_maps) {
		snprintf(err_ret, err_size, "no map %zu", map);
		return NULL;
	}
	// Each module's text is swept once for this map; the result stays in
	// p->maps[map] and later calls skip it.
	struct ms_error *err = ms_provenance_xrefs(p, &map, 1);
	if (err) {
		snprintf(err_ret, err_size, "code references: %s", err->message);
		ms_error_destroy(err);
	}
	return &p->maps[map];
}

// The instructions around @p addr from lib/provenance, the one at it
// marked "=>". Memory operands get their address as a target when it does
// not depend on registers (rip-relative), or when @p regs_at_pc says the
// registers are those at @p addr.
static void code_window(struct tui_session *ts, uint64_t addr, size_t before, size_t after,
			const uint64_t *regs, bool regs_at_pc, struct tui_lines *out)
{
	struct ms_provenance *p = provenance(ts);
	if (!p) {
		tui_lines_add(out, TUI_S_ERROR, "%s", ts->prov_error);
		return;
	}
	struct ms_disasm_line *lines;
	size_t n, at;
	char why[160];
	struct ms_error *err = ms_provenance_code_window(p, addr, before, after, &lines, &n, &at,
							 why, sizeof(why));
	if (err) {
		tui_lines_add(out, TUI_S_ERROR, "%s", err->message);
		ms_error_destroy(err);
		return;
	}
	if (!lines) {
		tui_lines_wrap(out, TUI_S_ERROR, 2, false, 0, NULL,
			       why[0] ? why : "the code is not in the core or its files");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ms_disasm_line *d = &lines[i];
		const char *name;
		uint64_t off;
		if (src_symbolize(ts, d->addr, &name, &off) && (i == 0 || off == 0)) {
			char pos[256];
			const char *fl = ms_pc_file_line(ts->s, d->addr, true, pos, sizeof(pos));
			tui_lines_add(out, TUI_S_DIM, "%s+0x%" PRIx64 ":%s%s", name, off,
				      fl ? " " : "", fl ? fl : "");
		}
		// A direct call or jump names its target, as gdb does:
		// "call 0x4c46c0 <main.allocVictim>" (without the import path).
		char text[sizeof(d->text) + 160], branch[160];
		if (ms_describe_branch(ts->s, d->text, branch, sizeof(branch))) {
			const char *slash = memrchr(branch, '/', strcspn(branch, "[({\""));
			snprintf(text, sizeof(text), "%s <%s", d->text, slash ? slash + 1 : branch + 1);
		} else {
			snprintf(text, sizeof(text), "%s", d->text);
		}
		uint64_t ea;
		bool have_ea = d->mem.present && (d->mem.rip_relative || (i == at && regs_at_pc)) &&
			       ms_disasm_mem_address(&d->mem, d->addr + d->size, regs, &ea);
		struct tui_line *l;
		if (have_ea) {
			// The operand's address in a column, as far right as the
			// pane lets it stay visible.
			// Named as show names it (ms_describe_operand): symbol and
			// offset, section and module, "; 0x5b0028 main.Crashy in
			// .text of crash".
			char ea_text[400], sym[300];
			int lead = snprintf(NULL, 0, "=> 0x%" PRIx64 "  ", d->addr);
			ms_describe_operand(ts->s, ea, sym, sizeof(sym));
			int ea_len = snprintf(ea_text, sizeof(ea_text), " ; 0x%" PRIx64 "%s%s", ea,
					      sym[0] ? " " : "", sym);
			int pad = (out->width > 20 ? out->width : 78) - lead - ea_len;
			if (pad > 40)
				pad = 40;
			l = tui_lines_add(out, i == at ? TUI_S_PC : TUI_S_TARGET,
					  "%s 0x%" PRIx64 "  %-*s%s", i == at ? "=>" : "  ", d->addr,
					  pad > 0 ? pad : 0, text, ea_text);
		}
		else
			l = tui_lines_add(out, i == at ? TUI_S_PC : TUI_S_NORMAL, "%s 0x%" PRIx64 "  %s",
					  i == at ? "=>" : "  ", d->addr, text);
		if (have_ea)
			target(l, ea, "operand");
	}
	free(lines);
}

static void src_operand(void *arg, uint64_t addr, char *buf, size_t size)
{
	struct tui_session *ts = arg;
	ms_describe_operand_comment(ts->s, addr, buf, size);
}

static void src_code_at(void *arg, uint64_t addr, struct tui_lines *out)
{
	static const uint64_t no_regs[MS_REG_COUNT];
	code_window(arg, addr, 10, 8, no_regs, false, out);
}

// The crash story and the crashed goroutine's backtrace, each frame a
// code reference (Enter shows its instructions).
static void backtrace_lines(struct tui_session *ts, struct tui_lines *out)
{
	const struct ms_crash_story *st = ts->scan->story;
	const struct ms_goroutine *g = ts->scan->goroutines
				       ? ms_goroutines_crashed(ts->scan->goroutines) : NULL;
	if (st && st->kind && strcmp(st->kind, "signal") != 0) {
		char what[1100], msg[1040];
		if (st->message)
			ms_escape_term(msg, sizeof(msg), st->message, strlen(st->message));
		snprintf(what, sizeof(what), "%s: %s", st->kind,
			 st->message ? msg : "(message not recovered)");
		tui_lines_wrap(out, TUI_S_HEADING, 2, false, 0, NULL, what);
	}
	if (!g)
		return;
	tui_lines_add(out, TUI_S_HEADING, "goroutine %" PRIu64 " [%s] (crashed)", g->goid,
		      g->status_str);
	for (size_t i = 0; i < g->n_frames; i++) {
		const struct ms_frame *f = &g->frames[i];
		const char *file = strrchr(f->file, '/');
		char fn[256], fl[256];
		file = file ? file + 1 : f->file;
		ms_escape_term(fn, sizeof(fn), f->func, strlen(f->func));
		ms_escape_term(fl, sizeof(fl), file, strlen(file));
		struct tui_line *l = tui_lines_add(out, TUI_S_TARGET, "  %s  %s:%d%s", fn, fl,
						   (int)f->line, f->inlined ? " (inlined)" : "");
		target(l, f->pc, "frame");
		l->code = true;
	}
	if (g->unwind_error)
		tui_lines_wrap(out, TUI_S_DIM, 4, false, 0, NULL, g->unwind_error);
	tui_lines_add(out, TUI_S_NORMAL, "%s", "");
}

static void registers(struct tui_session *ts, const struct ms_core_thread *th,
		      struct tui_lines *out);

static void src_code(void *arg, struct tui_lines *out)
{
	struct tui_session *ts = arg;
	const struct ms_crash *cr = ms_session_crash(ts->s);
	const struct ms_core_thread *th = ms_session_thread_count(ts->s) ? ms_session_thread(ts->s, 0) : NULL;
	uint64_t pc = cr && cr->present && cr->pc ? cr->pc : th ? th->regs[MS_REG_RIP] : 0;
	char fn[200] = "";
	const char *name;
	uint64_t off;
	struct ms_module *mod;
	struct ms_error *err = ms_session_symbolize(ts->s, pc, &mod, &name, &off);
	char pos[160];
	const char *fl = ms_pc_file_line(ts->s, pc, true, pos, sizeof(pos));
	if (!err && name)
		snprintf(fn, sizeof(fn), " %s+0x%" PRIx64 "%s%s%s", name, off, fl ? " (" : "",
			 fl ? fl : "", fl ? ")" : "");
	ms_error_destroy(err);
	if (cr && cr->present) {
		char fault[40] = "";
		if (cr->have_fault_addr)
			snprintf(fault, sizeof(fault), " at 0x%" PRIx64, cr->fault_addr);
		tui_lines_add(out, TUI_S_HEADING, "%s%s, pc 0x%" PRIx64 "%s", ms_signal_name(cr->signo),
			      fault, pc, fn);
		if (cr->source && strcmp(cr->source, "g.sigcode1") == 0)
			tui_lines_wrap(out, TUI_S_DIM, 2, false, 0, NULL,
				       "the Go runtime handled the fault and aborted later: the "
				       "registers below are from the abort, not from the fault");
	} else {
		tui_lines_add(out, TUI_S_HEADING, "no crash signal (a gcore dump?); pc of the first thread 0x%" PRIx64 "%s",
			      pc, fn);
	}
	if (pc) {
		// The thread's registers describe pc only when it stopped there.
		static const uint64_t no_regs[MS_REG_COUNT];
		bool regs_at_pc = th && th->regs[MS_REG_RIP] == pc;
		code_window(ts, pc, 10, 8, th ? th->regs : no_regs, regs_at_pc, out);
	}
	tui_lines_add(out, TUI_S_NORMAL, "%s", "");
	if (th)
		registers(ts, th, out);
	// Last, so that the instructions and registers stay in view first.
	backtrace_lines(ts, out);
}

static void registers(struct tui_session *ts, const struct ms_core_thread *th,
		      struct tui_lines *out)
{
	tui_lines_add(out, TUI_S_HEADING, "registers of thread %d%s", th->tid,
		      th->cursig ? " (signalled)" : "");
	static const int order[] = {
		MS_REG_RIP, MS_REG_RSP, MS_REG_RBP, MS_REG_RAX, MS_REG_RBX, MS_REG_RCX,
		MS_REG_RDX, MS_REG_RSI, MS_REG_RDI, MS_REG_R8, MS_REG_R9, MS_REG_R10,
		MS_REG_R11, MS_REG_R12, MS_REG_R13, MS_REG_R14, MS_REG_R15, MS_REG_FS_BASE,
	};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		uint64_t v = th->regs[order[i]];
		const char *rn = ms_x86_reg_name((unsigned)order[i]);
		char where[160] = "";
		bool mapped = v >= 0x1000 && src_describe(ts, v, true, where, sizeof(where));
		struct tui_line *l = tui_lines_add(out, mapped ? TUI_S_TARGET : TUI_S_NORMAL,
						   "%-8s 0x%016" PRIx64 "  %s", rn ? rn : "?", v,
						   mapped ? where : "");
		if (mapped)
			target(l, v, rn ? rn : "register");
	}
	tui_lines_add(out, TUI_S_NORMAL, "%s", "");
}

static const char *base_of(const char *path)
{
	const char *b = path ? strrchr(path, '/') : NULL;
	return b ? b + 1 : path;
}

void tui_session_init(struct tui_session *ts, const char *core_path,
		      struct ms_scan *scan, struct tui_source *src_ret,
		      struct tui_context *ctx_ret)
{
	memset(ts, 0, sizeof(*ts));
	ts->scan = scan;
	ts->s = scan->session;
	ts->core_path = core_path;
	const struct ms_module *exe = ms_session_exe(ts->s);
	ts->exe_path = exe ? (exe->file_path ? exe->file_path : exe->core_path) : "?";

	*src_ret = (struct tui_source){
		.arg = ts,
		.module_name = src_module_name,
		.module_plugin = src_module_plugin,
		.type_name = src_type_name,
		.read = src_read,
		.describe = src_describe,
		.entries = src_entries,
		.code = src_code,
		.provenance = src_provenance,
		.code_at = src_code_at,
		.operand = src_operand,
	};
	enum ms_map_impl impl = ms_session_map_impl(ts->s);
	const struct ms_crash *cr = ms_session_crash(ts->s);
	// A host without Go of its own: the library holding the runtime, or
	// the Go library the core names that was not found.
	const struct ms_module *rt = ms_session_runtime_module(ts->s), *rt_lib = NULL;
	if (rt && rt != exe)
		rt_lib = rt;
	for (size_t i = 0; !rt && !rt_lib && i < ms_session_module_count(ts->s); i++) {
		const struct ms_module *m = ms_session_module(ts->s, i);
		if (m->kind == MS_MODULE_SHLIB && m->go_build_id && m->status != MS_MODULE_FOUND)
			rt_lib = m;
	}
	*ctx_ret = (struct tui_context){
		.core = core_path,
		.exe = ts->exe_path,
		.go_version = ms_session_go_version(ts->s),
		.impl = impl == MS_MAP_SWISS ? "swiss" : impl == MS_MAP_CLASSIC ? "classic" : "",
		.signal = cr && cr->present ? ms_signal_name(cr->signo) : NULL,
		.gcore = !cr || !cr->present,
		.have_fault_addr = cr && cr->present && cr->have_fault_addr,
		.fault_addr = cr ? cr->fault_addr : 0,
		.header_size = ms_scan_header_size(scan),
		.runtime_module = rt_lib ? base_of(rt_lib->file_path ? rt_lib->file_path
						   : rt_lib->core_path) : NULL,
		.runtime_missing = rt_lib && rt_lib->status != MS_MODULE_FOUND,
	};
}

void tui_session_deinit(struct tui_session *ts)
{
	ms_provenance_destroy(ts->prov);
	ts->prov = NULL;
}
