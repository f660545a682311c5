/* ms-test-tool: print internal results of libmapsleuth one fact per line, for the run-*.sh tests. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_core.h"
#include "crash_story.h"
#include "dwarf_index.h"
#include "goroutine.h"
#include "session.h"

static void usage(void) __attribute__((noreturn));

static void usage(void)
{
	fputs("usage: ms-test-tool [--exe EXE] [--sysroot DIR] [--solib-search DIR]... COMMAND CORE [ARGS]\n"
	      "commands:\n"
	      "  classify ADDR...   one line per address: ADDR CLASS [module=NAME] [section=S] [object=BASE+SIZE]\n"
	      "                     (addresses may also come on stdin, one per line, with '-')\n"
	      "  modules            one line per module: KIND STATUS BASENAME PLUGINPATH|-\n"
	      "  crash              signal, code, fault address and pc, one per line\n"
	      "  read ADDR LEN      hex bytes, or 'fault KIND 0xADDR'\n"
	      "  heap               number of allocated heap objects and their total size\n"
	      "  goroutines         one goroutine a line (goid, status, wait reason, context,\n"
	      "                     crashed), then its frames: func file:line [inlined]\n"
	      "  story              the crash story: kind, message, crashed goroutine, then one\n"
	      "                     line per goroutine inside the map runtime\n"
	      "  dwarf-index        one line per module: BASENAME, how its name index was\n"
	      "                     built (fast or libdw) and its size, after comparing it\n"
	      "                     with libdw's walk of the DIEs; or 'none' without DWARF\n",
	      stderr);
	exit(64);
}

static void warn(void *arg, const char *msg)
{
	fprintf(stderr, "ms-test-tool: warning: %s\n", msg);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static void dashed(const char *s)
{
	for (; *s; s++)
		putchar(*s == ' ' ? '-' : *s);
}

static void classify_one(struct ms_session *s, const char *arg)
{
	char *end;
	uint64_t addr = strtoull(arg, &end, 0);
	if (*end) {
		printf("%s bad-address\n", arg);
		return;
	}
	struct ms_addr_info ai;
	struct ms_error *err = ms_session_classify(s, addr, &ai);
	if (err) {
		printf("0x%" PRIx64 " error %s\n", addr, err->message);
		ms_error_destroy(err);
		return;
	}
	printf("0x%" PRIx64 " ", addr);
	dashed(ms_addr_class_str(ai.cls));
	if (ai.module)
		printf(" module=%s", base_name(ai.module->core_path));
	if (ai.section)
		printf(" section=%s", ai.section);
	if (ai.in_object)
		printf(" object=0x%" PRIx64 "+%" PRIu64, ai.object_base, ai.object_size);
	printf("\n");
}

static int cmd_classify(struct ms_session *s, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			char line[128];
			while (fgets(line, sizeof(line), stdin)) {
				line[strcspn(line, "\r\n")] = '\0';
				if (line[0])
					classify_one(s, line);
			}
		} else {
			classify_one(s, argv[i]);
		}
	}
	return 0;
}

static int cmd_modules(struct ms_session *s)
{
	for (size_t i = 0; i < ms_session_module_count(s); i++) {
		const struct ms_module *m = ms_session_module(s, i);
		printf("%s %s %s %s\n", ms_module_kind_str(m->kind),
		       ms_module_status_str(m->status), base_name(m->core_path),
		       m->pluginpath && *m->pluginpath ? m->pluginpath : "-");
	}
	return 0;
}

static int cmd_crash(struct ms_session *s)
{
	const struct ms_crash *c = ms_session_crash(s);
	if (!c->present) {
		printf("none\n");
		return 0;
	}
	const char *n = ms_signal_name(c->signo);
	printf("signal %s\ncode %d\n", n ? n : "?", c->code);
	if (c->have_fault_addr)
		printf("fault_address 0x%" PRIx64 "\n", c->fault_addr);
	printf("pc 0x%" PRIx64 "\nsource %s\n", c->pc, c->source);
	return 0;
}

static int cmd_read(struct ms_session *s, int argc, char **argv)
{
	if (argc != 2)
		usage();
	uint64_t addr = strtoull(argv[0], NULL, 0);
	size_t len = strtoul(argv[1], NULL, 0);
	if (len > 4096)
		len = 4096;
	uint8_t buf[4096];
	struct ms_error *err = ms_session_read(s, addr, buf, len);
	if (err) {
		printf("fault ");
		dashed(ms_fault_kind_str(err->fault));
		printf(" 0x%" PRIx64 "\n", err->address);
		ms_error_destroy(err);
		return 0;
	}
	for (size_t i = 0; i < len; i++)
		printf("%02x", buf[i]);
	printf("\n");
	return 0;
}

struct heap_count {
	uint64_t n, bytes;
};

static int count_object(void *arg, uint64_t base, uint64_t size, uint64_t spanclass)
{
	struct heap_count *hc = arg;
	hc->n++;
	hc->bytes += size;
	return 0;
}

static int cmd_dwarf_index(struct ms_session *s)
{
	int rc = 0;
	for (size_t i = 0; i < ms_session_module_count(s); i++) {
		struct ms_module *m = ms_session_module(s, i);
		struct ms_dwarf *dw;
		struct ms_error *err = ms_module_dwarf(m, &dw);
		bool fast = false;
		if (err) {
			// No file, or no DWARF in it: nothing to index.
			printf("%s none\n", base_name(m->core_path));
			ms_error_destroy(err);
			continue;
		}
		if ((err = ms_dwarf_check_index(dw, &fast))) {
			printf("%s error %s\n", base_name(m->core_path), err->message);
			ms_error_destroy(err);
			rc = 1;
			continue;
		}
		printf("%s %s %zu\n", base_name(m->core_path), fast ? "fast" : "libdw",
		       ms_dwarf_index_size(dw));
	}
	return rc;
}

static int cmd_heap(struct ms_session *s)
{
	struct heap_count hc = { 0, 0 };
	struct ms_error *err = ms_session_heap_foreach(s, count_object, &hc);
	if (err) {
		printf("error %s\n", err->message);
		ms_error_destroy(err);
		return 1;
	}
	printf("objects %" PRIu64 "\nbytes %" PRIu64 "\n", hc.n, hc.bytes);
	return 0;
}

static int cmd_goroutines(struct ms_session *s)
{
	struct ms_goroutines *list;
	struct ms_error *err = ms_goroutines_create(s, &list);
	if (err) {
		fprintf(stderr, "ms-test-tool: %s\n", err->message);
		ms_error_destroy(err);
		return 1;
	}
	static const char *const ctx[] = { "none", "sched", "thread", "signal" };
	printf("allgs %s, %zu live, %zu dead\n", list->allgs_source, list->n,
	       list->n_dead);
	for (size_t i = 0; i < list->n; i++) {
		const struct ms_goroutine *g = &list->gs[i];
		printf("goroutine %" PRIu64 " %s%s%s ctx=%s tid=%d%s\n", g->goid,
		       g->status_str, g->wait_reason ? " " : "",
		       g->wait_reason ? g->wait_reason : "", ctx[g->context],
		       (int)g->tid, g->crashed ? " crashed" : "");
		for (size_t j = 0; j < g->n_frames; j++) {
			const struct ms_frame *f = &g->frames[j];
			printf("  %s %s:%d%s%s\n", f->func, f->file, (int)f->line,
			       f->inlined ? " inlined" : "",
			       f->signal_context ? " signal" : "");
		}
		if (g->unwind_error)
			printf("  (stopped: %s)\n", g->unwind_error);
	}
	ms_goroutines_destroy(list);
	return 0;
}

static int cmd_story(struct ms_session *s)
{
	struct ms_goroutines *list;
	struct ms_crash_story *st;
	struct ms_error *err = ms_goroutines_create(s, &list);
	if (!err)
		err = ms_crash_story_create(s, list, NULL, 0, &st);
	if (err) {
		fprintf(stderr, "ms-test-tool: %s\n", err->message);
		ms_error_destroy(err);
		return 1;
	}
	printf("kind %s\n", st->kind ? st->kind : "none");
	printf("message %s\n", st->message ? st->message : "?");
	printf("message_from %s\n", st->message ? st->message_from : "-");
	if (st->g)
		printf("goroutine %" PRIu64 "\n", st->g->goid);
	printf("map 0x%" PRIx64 "\n", st->map);
	for (size_t i = 0; i < st->n_touchers; i++) {
		const struct ms_map_toucher *t = &st->touchers[i];
		const struct ms_frame *e = &t->g->frames[t->entry_frame];
		const struct ms_frame *u = t->user_frame < t->g->n_frames
					   ? &t->g->frames[t->user_frame] : NULL;
		printf("toucher goroutine=%" PRIu64 " op=%s runtime=%s user=%s %s:%d map=0x%" PRIx64 " from=%s\n",
		       t->g->goid, ms_map_op_str(t->op), e->func, u ? u->func : "-",
		       u ? u->file : "-", u ? (int)u->line : 0, t->map,
		       t->map ? t->map_from : "-");
	}
	ms_crash_story_destroy(st);
	ms_goroutines_destroy(list);
	return 0;
}

int main(int argc, char **argv)
{
	struct ms_session_options o = { .warn = warn };
	const char *dirs[16];
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--exe") == 0)
			o.exe_path = argv[++i];
		else if (strcmp(argv[i], "--sysroot") == 0)
			o.sysroot = argv[++i];
		else if (strcmp(argv[i], "--solib-search") == 0 && o.n_solib_search < 16)
			dirs[o.n_solib_search++] = argv[++i];
		else
			usage();
	}
	o.solib_search = dirs;
	if (argc - i < 2)
		usage();
	const char *cmd = argv[i];
	o.core_path = argv[i + 1];
	struct ms_session *s;
	struct ms_error *err = ms_session_open(&o, &s);
	if (err) {
		fprintf(stderr, "ms-test-tool: %s\n", err->message);
		ms_error_destroy(err);
		return 2;
	}
	int rc;
	int rest = i + 2;
	if (strcmp(cmd, "classify") == 0)
		rc = cmd_classify(s, argc - rest, argv + rest);
	else if (strcmp(cmd, "modules") == 0)
		rc = cmd_modules(s);
	else if (strcmp(cmd, "crash") == 0)
		rc = cmd_crash(s);
	else if (strcmp(cmd, "read") == 0)
		rc = cmd_read(s, argc - rest, argv + rest);
	else if (strcmp(cmd, "heap") == 0)
		rc = cmd_heap(s);
	else if (strcmp(cmd, "goroutines") == 0)
		rc = cmd_goroutines(s);
	else if (strcmp(cmd, "story") == 0)
		rc = cmd_story(s);
	else if (strcmp(cmd, "dwarf-index") == 0)
		rc = cmd_dwarf_index(s);
	else
		usage();
	ms_session_destroy(s);
	return rc;
}
