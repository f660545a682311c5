/* Describing an address for people: symbol and offset, section, module, mapping, heap object. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "fmt.h"
#include "module.h"

static const char *base_name(const char *path)
{
	const char *b = path ? strrchr(path, '/') : NULL;
	return b ? b + 1 : path ? path : "";
}

void ms_describe_size(uint64_t n, char *out, size_t size)
{
	static const struct { uint64_t unit; const char *name; } units[] = {
		{ 1ull << 30, "GiB" }, { 1ull << 20, "MiB" }, { 1ull << 10, "KiB" },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (n < units[i].unit)
			continue;
		if (n % units[i].unit == 0)
			snprintf(out, size, "%" PRIu64 " %s", n / units[i].unit, units[i].name);
		else
			snprintf(out, size, "%.1f %s", (double)n / (double)units[i].unit,
				 units[i].name);
		return;
	}
	snprintf(out, size, "%" PRIu64 " byte%s", n, n == 1 ? "" : "s");
}

bool ms_describe_symbol(struct ms_session *s, uint64_t addr, char *out, size_t size)
{
	const char *name = NULL;
	uint64_t off = 0;
	struct ms_error *err = ms_session_symbolize(s, addr, NULL, &name, &off);
	ms_error_destroy(err);
	if (err || !name) {
		if (size)
			out[0] = '\0';
		return false;
	}
	if (off)
		snprintf(out, size, "%s+0x%" PRIx64, name, off);
	else
		snprintf(out, size, "%s", name);
	return true;
}

bool ms_describe_branch(struct ms_session *s, const char *insn, char *out, size_t size)
{
	if (size)
		out[0] = '\0';
	// A mnemonic, one space and an immediate target: "call 0x4c46c0".
	const char *sp = strchr(insn, ' ');
	if (!sp || !(strncmp(insn, "call ", 5) == 0 || insn[0] == 'j' ||
		     strncmp(insn, "loop", 4) == 0))
		return false;
	const char *t = sp + 1;
	if (t[0] != '0' || t[1] != 'x')
		return false;
	size_t digits = strspn(t + 2, "0123456789abcdef");
	if (!digits || digits > 16 || t[2 + digits])
		return false;
	char sym[256];
	if (!ms_describe_symbol(s, strtoull(t + 2, NULL, 16), sym, sizeof(sym)))
		return false;
	snprintf(out, size, "<%s>", sym);
	return true;
}

static const char *module_file(const struct ms_module *mod)
{
	return base_name(mod->file_path ? mod->file_path : mod->core_path);
}

// "geo.so .bss", "libc.so.6", "anonymous mapping".
static void neighbour_name(const char *path, const struct ms_module *mod,
			   const char *section, char *out, size_t size)
{
	const char *file = mod ? module_file(mod) : path ? base_name(path) : "anonymous mapping";
	if (section && *section)
		snprintf(out, size, "%s %s%s", file, section[0] == '.' ? "" : ".", section);
	else
		snprintf(out, size, "%s", file);
}

// "main.hostMarker in .text of host", ".noptrdata of p1.so".
static void module_place(struct ms_session *s, const struct ms_addr_info *ai,
			 char *out, size_t size)
{
	char sym[256], where[160];
	const char *sec = ai->section;
	const char *file = ai->module ? module_file(ai->module) : base_name(ai->file_path);
	if (sec && *sec)
		snprintf(where, sizeof(where), "%s%s of %s", sec[0] == '.' ? "" : ".", sec, file);
	else
		snprintf(where, sizeof(where), "%s", file);
	if (ms_describe_symbol(s, ai->addr, sym, sizeof(sym)))
		snprintf(out, size, "%s in %s", sym, where);
	else
		snprintf(out, size, "inside %s", where);
}

void ms_describe_info(struct ms_session *s, const struct ms_addr_info *ai,
		      char *out, size_t size)
{
	char n[160], d[32];
	switch (ai->cls) {
	case MS_ADDR_HEAP_INUSE: {
		// Every pointer of every map lands here: formatted without printf.
		static const char head[] = "heap object 0x", tail[] = " bytes)";
		if (size < sizeof(head) + sizeof(tail) + 2 * MS_FMT_U64_MAX + 2) {
			snprintf(out, size, "heap object 0x%" PRIx64 " (%" PRIu64 " bytes)",
				 ai->object_base, ai->object_size);
			return;
		}
		char *p = out;
		memcpy(p, head, sizeof(head) - 1);
		p = ms_fmt_hex(p + sizeof(head) - 1, ai->object_base);
		*p++ = ' ';
		*p++ = '(';
		p = ms_fmt_u64(p, ai->object_size);
		memcpy(p, tail, sizeof(tail));
		return;
	}
	case MS_ADDR_HEAP_FREE:
		if (ai->has_span)
			snprintf(out, size, "%s span 0x%" PRIx64 " (%" PRIu64 " pages, state %s)",
				 ai->in_object && !ai->allocated ? "unallocated object in" : "free",
				 ai->span.start, ai->span.npages,
				 ms_span_state_str(ai->span.state));
		else
			snprintf(out, size, "heap arena page without a span");
		return;
	case MS_ADDR_HEAP_OTHER:
		snprintf(out, size, "heap arena page without a span");
		return;
	case MS_ADDR_STACK:
		snprintf(out, size, "goroutine stack span 0x%" PRIx64, ai->span.start);
		return;
	case MS_ADDR_MODULE:
		module_place(s, ai, out, size);
		return;
	case MS_ADDR_MAPPING:
		snprintf(out, size, "%smapping 0x%" PRIx64 "-0x%" PRIx64 "%s%s",
			 ai->perms ? "" : "PROT_NONE ", ai->seg_start, ai->seg_end,
			 ai->file_path ? " of " : "", ai->file_path ? base_name(ai->file_path) : "");
		return;
	case MS_ADDR_NOT_DUMPED:
		if (ai->heap_unknown && ai->dumped) {
			snprintf(out, size, "the heap's metadata for it is not in the core (mapping 0x%" PRIx64 "-0x%" PRIx64 ")",
				 ai->seg_start, ai->seg_end);
		} else if (ai->module) {
			module_place(s, ai, n, sizeof(n));
			snprintf(out, size, "%s, not saved in the core", n);
		} else {
			snprintf(out, size, "mapping 0x%" PRIx64 "-0x%" PRIx64 " not saved in the core",
				 ai->seg_start, ai->seg_end);
		}
		return;
	case MS_ADDR_UNMAPPED:
	default:
		if (ai->in_arena && ai->has_span) {
			// Unmapped under the runtime's feet: its own records still
			// list the span.
			if (ai->span.start == ai->addr)
				snprintf(out, size, "the heap lists it %s (%" PRIu64 " pages)",
					 ms_span_state_str(ai->span.state), ai->span.npages);
			else
				snprintf(out, size, "the heap lists span 0x%" PRIx64 " %s (%" PRIu64
					 " pages)", ai->span.start, ms_span_state_str(ai->span.state),
					 ai->span.npages);
			return;
		}
		if (ai->have_below && (!ai->have_above || ai->below_distance <= ai->above_distance)) {
			neighbour_name(ai->below_path, ai->below_module, ai->below_section, n, sizeof(n));
			if (ai->below_distance == 0) {
				snprintf(out, size, "just past the end of %s (ends at 0x%" PRIx64 ")",
					 n, ai->below_end);
			} else {
				ms_describe_size(ai->below_distance, d, sizeof(d));
				snprintf(out, size, "%s past the end of %s (ends at 0x%" PRIx64 ")",
					 d, n, ai->below_end);
			}
		} else if (ai->have_above) {
			neighbour_name(ai->above_path, ai->above_module, ai->above_section, n, sizeof(n));
			ms_describe_size(ai->above_distance, d, sizeof(d));
			snprintf(out, size, "%s before %s (0x%" PRIx64 ")", d, n, ai->above_start);
		} else {
			snprintf(out, size, "no mapping near");
		}
		return;
	}
}

void ms_describe_operand(struct ms_session *s, uint64_t addr, char *out, size_t size)
{
	struct ms_addr_info ai;
	struct ms_error *err = ms_session_classify(s, addr, &ai);
	if (err) {
		ms_error_destroy(err);
		if (!ms_describe_symbol(s, addr, out, size) && size)
			out[0] = '\0';
		return;
	}
	if (ai.cls != MS_ADDR_MODULE) {
		ms_describe_info(s, &ai, out, size);
		return;
	}
	char sym[256], where[160];
	const char *sec = ai.section;
	const char *file = ai.module ? module_file(ai.module) : base_name(ai.file_path);
	if (sec && *sec)
		snprintf(where, sizeof(where), "%s%s of %s", sec[0] == '.' ? "" : ".", sec, file);
	else
		snprintf(where, sizeof(where), "%s", file);
	const char *name;
	uint64_t off;
	if (ms_describe_symbol(s, addr, sym, sizeof(sym))) {
		snprintf(out, size, "%s in %s", sym, where);
	} else if (ai.module && !(err = ms_module_marker(ai.module, addr, &name, &off))) {
		snprintf(out, size, "%s+0x%" PRIx64 " in %s", name, off, where);
	} else {
		ms_error_destroy(err);
		snprintf(out, size, "inside %s", where);
	}
}

struct ms_error *ms_describe_addr(struct ms_session *s, uint64_t addr, char *out,
				  size_t size)
{
	struct ms_addr_info ai;
	struct ms_error *err = ms_session_classify(s, addr, &ai);
	if (err) {
		snprintf(out, size, "%s", err->message);
		return err;
	}
	ms_describe_info(s, &ai, out, size);
	return NULL;
}

void ms_describe_operand_comment(struct ms_session *s, uint64_t addr, char *out,
				 size_t size)
{
	char sym[300];
	ms_describe_operand(s, addr, sym, sizeof(sym));
	snprintf(out, size, "0x%" PRIx64 "%s%s", addr, sym[0] ? " " : "", sym);
}
