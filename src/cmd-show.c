/* mapsleuth show: one map in full, by scan id or header address. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "describe.h"
#include "commands.h"
#include "json.h"
#include "open.h"
#include "report.h"
#include "story.h"
#include "scan.h"

enum { DEFAULT_LIMIT = 20 };

void ms_cmd_show_help(FILE *out)
{
	fputs("usage: mapsleuth show [OPTIONS] CORE ID|ADDRESS\n"
	      "\n"
	      "Show one map in full: header fields, each pointer and where it leads,\n"
	      "the variables that hold it, its entries, and a hex dump of the header.\n"
	      "ID is the number 'mapsleuth scan' printed; ADDRESS (0x...) is a header\n"
	      "address, which need not be one the scan found, but must look like one\n"
	      "(aligned, readable, true to the header's invariants): otherwise it is\n"
	      "\"not a map header\", with the nearest known map named.\n"
	      "\n"
	      "options:\n",
	      out);
	ms_cli_common_help(out);
	fputs("  --limit N            decode at most N entries (default 20)\n"
	      "  -v, --verbose        every line whole, however wide: full addresses in\n"
	      "                       the hex dump, instruction bytes, full paths\n"
	      "                       (default: lines folded to the terminal's width, or 80)\n", out);
	ms_cli_env_help(out, "  0 the map is ok, 1 it is suspect or results are partial,\n"
			"  2 unusable input or no such map, 64 usage error\n");
}

/*
 * @p len bytes at @p addr, 16 a line. Within 80 columns each line starts
 * with its offset from @p addr (named where the dump is introduced); with
 * --verbose with its whole address.
 */
static void hexdump(FILE *out, struct ms_session *s, uint64_t addr, size_t len)
{
	uint8_t buf[256];
	if (len > sizeof(buf))
		len = sizeof(buf);
	struct ms_error *err = ms_session_read(s, addr, buf, len);
	if (err) {
		fprintf(out, "  %s\n", err->message);
		ms_error_destroy(err);
		return;
	}
	bool whole = ms_report_style()->verbose;
	for (size_t i = 0; i < len; i += 16) {
		if (whole)
			fprintf(out, "  %012" PRIx64 "  ", addr + i);
		else
			fprintf(out, "  +0x%02zx  ", i);
		for (size_t j = 0; j < 16; j++) {
			if (i + j < len)
				fprintf(out, "%02x ", buf[i + j]);
			else
				fputs("   ", out);
			if (j == 7)
				fputc(' ', out);
		}
		fputs(" |", out);
		for (size_t j = 0; j < 16 && i + j < len; j++)
			fputc(isprint(buf[i + j]) ? buf[i + j] : '.', out);
		fputs("|\n", out);
	}
}

static void print_header_fields(FILE *out, const struct ms_scan_map *m)
{
	const struct ms_map_header *h = &m->check.hdr;
	if (!m->check.header_read) {
		fprintf(out, "  (header not readable)\n");
		return;
	}
	if (m->impl == MS_MAP_CLASSIC) {
		fprintf(out, "  count       %" PRIu64 "\n", h->count);
		fprintf(out, "  flags       0x%x%s%s%s%s\n", h->flags,
			h->flags & 1 ? " iterator" : "", h->flags & 2 ? " oldIterator" : "",
			h->flags & 4 ? " hashWriting" : "", h->flags & 8 ? " sameSizeGrow" : "");
		fprintf(out, "  B           %u (%" PRIu64 " buckets)\n", h->B,
			h->B < 64 ? (uint64_t)1 << h->B : 0);
		fprintf(out, "  noverflow   %u\n", h->noverflow);
		fprintf(out, "  hash0       0x%08x\n", h->hash0);
		fprintf(out, "  buckets     0x%" PRIx64 "\n", h->buckets);
		fprintf(out, "  oldbuckets  0x%" PRIx64 "\n", h->oldbuckets);
		fprintf(out, "  nevacuate   %" PRIu64 "\n", h->nevacuate);
		fprintf(out, "  extra       0x%" PRIx64 "\n", h->extra);
	} else {
		fprintf(out, "  used        %" PRIu64 "\n", h->count);
		fprintf(out, "  seed        0x%" PRIx64 "\n", h->seed);
		fprintf(out, "  dirPtr      0x%" PRIx64 "\n", h->dir_ptr);
		fprintf(out, "  dirLen      %" PRId64 "%s\n", (int64_t)h->dir_len,
			h->dir_len == 0 && h->dir_ptr ? "  (small map: one group)" : "");
		fprintf(out, "  globalDepth %u\n", h->global_depth);
		fprintf(out, "  globalShift %u\n", h->global_shift);
		fprintf(out, "  writing     %u\n", h->writing);
	}
	if (m->check.live_complete)
		fprintf(out, "  live slots  %" PRIu64 "\n", m->check.live);
	else if (!m->check.live)
		fprintf(out, "  live slots  unknown: %s\n",
			m->check.verdict == MS_VERDICT_FOREIGN
			? "its buckets or groups are not map memory (foreign)"
			: m->check.verdict == MS_VERDICT_NOT_DUMPED
			? "its buckets or groups are not in the core"
			: "no bucket or group could be read");
	else
		fprintf(out, "  live slots  at least %" PRIu64 " (not every bucket or group could be read)\n",
			m->check.live);
}

struct entry_print {
	FILE *out;
	struct ms_json *js;
	size_t n;
};

// Columns of @p s: one per UTF-8 character.
static int cols_of(const char *s, size_t n)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

// Bytes of the token at @p s: a backslash escape whole, or one UTF-8 character.
static size_t token_len(const char *s)
{
	if (s[0] == '\\' && s[1]) {
		size_t n = s[1] == 'x' ? 4 : s[1] == 'u' ? 6 : s[1] == 'U' ? 10 : 2;
		return strnlen(s, n);
	}
	size_t n = 1;
	while (s[n] && ((unsigned char)s[n] & 0xc0) == 0x80)
		n++;
	return n;
}

/*
 * A key too wide for its line, its middle left out ("…"), cut between
 * escapes and characters, never inside one: its start and end stay.
 * @return @p key itself when it fits in @p cols, else @p buf.
 */
static const char *fit_key(const char *key, int cols, char *buf, size_t size)
{
	size_t len = strlen(key);
	if (cols < 16 || cols_of(key, len) <= cols || size < 32)
		return key;
	int half = (cols - 1) / 2;
	size_t head = 0;
	while (key[head]) {
		size_t t = token_len(key + head);
		if (cols_of(key, head + t) > half)
			break;
		head += t;
	}
	// The tail: the longest run of whole tokens ending the key within half.
	size_t tail = len;
	for (size_t i = head; key[i]; i += token_len(key + i)) {
		if (cols_of(key + i, len - i) <= half) {
			tail = i;
			break;
		}
	}
	if (head + 3 + (len - tail) + 1 > size)
		return key;
	memcpy(buf, key, head);
	memcpy(buf + head, "\u2026", 3);
	memcpy(buf + head + 3, key + tail, len - tail + 1);
	return buf;
}

static int print_entry(void *arg, const char *key, const char *value)
{
	struct entry_print *ep = arg;
	if (ep->js) {
		ms_json_object_begin(ep->js);
		ms_json_key(ep->js, "key");
		ms_json_raw(ep->js, key);
		ms_json_key(ep->js, "value");
		ms_json_raw(ep->js, value);
		ms_json_object_end(ep->js);
	} else if (ms_report_style()->verbose) {
		fprintf(ep->out, "  %s: %s\n", key, value);
	} else {
		// A long key keeps its ends and some room for the value.
		int vcols = cols_of(value, strlen(value));
		char buf[512];
		fprintf(ep->out, "  %s: %s\n",
			fit_key(key, ms_report_style()->width - 4 - (vcols < 24 ? vcols : 24),
				buf, sizeof(buf)), value);
	}
	ep->n++;
	return 0;
}

static void print_root(FILE *out, const struct ms_scan *sc, const struct ms_map_prov *mp,
		       const struct ms_prov_root *r, const char *what)
{
	const struct ms_module *mod = ms_session_module(sc->session, r->module);
	if (r->unnamed) {
		const struct ms_scan_root *sr = &mp->map->roots[r->root];
		if (sr->var && strcmp(sr->path, sr->var) != 0)
			// A path from the word: a slice's element, a pointee.
			fprintf(out, "  %s %s: from the word at 0x%" PRIx64 " in %s .%s\n", what,
				sr->path + strcspn(sr->path, " ") + 1, sr->var_addr,
				ms_prov_module_name(mod), ms_section_name(sr->section));
		else
			fprintf(out, "  %s the word at 0x%" PRIx64 " in %s .%s\n", what, sr->slot,
				ms_prov_module_name(mod), ms_section_name(sr->section));
		fprintf(out, "    its name is not recoverable: %s has no symbol table or DWARF\n",
			ms_prov_module_name(mod));
		if (r->package_from_code)
			fprintf(out, "    package %s (every function using it is of that package)\n",
				r->package);
		else if (mp->xrefs_done)
			fprintf(out, "    package unknown (%s)\n", mp->n_xrefs
				? "the code using it is in several packages"
				: "no code refers to it");
		return;
	}
	fprintf(out, "  %s %s in %s%s%s\n", what, mp->map->roots[r->root].path,
		ms_prov_module_name(mod), mod->pluginpath ? ", plugin " : "",
		mod->pluginpath ? mod->pluginpath : "");
	const struct ms_scan_root *sr = &mp->map->roots[r->root];
	if (r->from_find) {
		// No variable: the path starts from what the scan found.
		if (*r->package)
			fprintf(out, "    package %s (of %s, whose frame holds it), no variable names it",
				r->package, mp->map->frame_func);
		else
			fprintf(out, "    no variable names it");
		if (r->address)
			fprintf(out, "; the path starts at 0x%" PRIx64 " (%" PRIu64 " bytes)",
				r->address, r->size);
		fputc('\n', out);
		return;
	}
	if (sr->goid)
		fprintf(out, "    goroutine %" PRIu64 ", function %s, %s %s", sr->goid,
			sr->func ? sr->func : "?", sr->arg ? "argument" : "local", r->variable);
	else
		fprintf(out, "    package %s, variable %s", r->package, r->variable);
	if (sr->goid && sr->in_register)
		fprintf(out, " (its value read from a register)");
	else if (r->address)
		fprintf(out, " at 0x%" PRIx64 " (%" PRIu64 " bytes)", r->address, r->size);
	fputc('\n', out);
}

static void print_neighbour(FILE *out, const char *side, uint64_t edge, uint64_t distance,
			    const char *file, const struct ms_module *mod,
			    const char *section)
{
	char dist[32];
	ms_describe_size(distance, dist, sizeof(dist));
	fprintf(out, "    nearest mapping %s: %s 0x%" PRIx64 ", %s away", side,
		strcmp(side, "below") == 0 ? "ending at" : "starting at", edge, dist);
	if (mod)
		fprintf(out, " (%s%s%s)", ms_prov_module_name(mod), section ? " ." : "",
			section ? section : "");
	else if (file)
		fprintf(out, " (%s)", ms_cli_basename(file));
	else
		fprintf(out, " (anonymous)");
	fputc('\n', out);
}

static void print_provenance(FILE *out, const struct ms_scan *sc,
			     const struct ms_map_prov *mp)
{
	if (!mp)
		return;
	const struct ms_prov_root *pr = ms_map_prov_primary(mp);
	fprintf(out, "\nprovenance:\n");
	if (pr)
		print_root(out, sc, mp, pr, "declared by");
	else
		fprintf(out, "  no variable declares it\n");
	for (size_t i = 0; i < mp->n_roots; i++) {
		if (&mp->roots[i] == pr)
			continue;
		print_root(out, sc, mp, &mp->roots[i],
			   pr && mp->roots[i].module != pr->module
			   ? "alias across modules:" : "alias:");
	}
	for (size_t i = 0; i < mp->n_holders; i++) {
		const char *sec = NULL;
		const struct ms_module *mod = ms_session_module_at(sc->session, mp->holders[i], &sec);
		fprintf(out, "  held by the word at 0x%" PRIx64 " in %s%s%s (no symbol names it)\n",
			mp->holders[i], mod ? ms_prov_module_name(mod) : "?", sec ? " ." : "",
			sec ? sec : "");
	}
	if (mp->runtime_type)
		fprintf(out, "  type descriptor 0x%" PRIx64 " in %s\n", mp->runtime_type,
			mp->type_module != SIZE_MAX
			? ms_prov_module_name(ms_session_module(sc->session, mp->type_module))
			: "no module");
	else
		fprintf(out, "  type descriptor unknown (no typed root)\n");

	if (mp->n_bad) {
		fprintf(out, "\nbad pointers:\n");
		char perms[4];
		for (size_t i = 0; i < mp->n_bad; i++) {
			const struct ms_prov_bad *b = &mp->bad[i];
			const struct ms_addr_info *where = &b->where;
			fprintf(out, "  %s 0x%" PRIx64 ": %s", mp->map->check.reasons[b->reason].field,
				b->pointer, ms_addr_class_str(where->cls));
			if (b->extent)
				fprintf(out, "; the runtime reaches %s (0x%" PRIx64 "-0x%" PRIx64 ")",
					b->extent_what, b->pointer, b->pointer + b->extent);
			fputc('\n', out);
			if (where->mapped) {
				fprintf(out, "    in mapping 0x%" PRIx64 "-0x%" PRIx64 " %s %s",
					where->seg_start, where->seg_end, ms_perms_str(where->perms, perms),
					where->file_path ? ms_cli_basename(where->file_path) : "(anonymous)");
				if (where->module)
					fprintf(out, ", module %s%s%s", ms_prov_module_name(where->module),
						where->section ? " ." : "", where->section ? where->section : "");
				fputc('\n', out);
				continue;
			}
			if (where->have_below)
				print_neighbour(out, "below", where->below_end, where->below_distance,
						where->below_path, where->below_module, where->below_section);
			if (where->have_above)
				print_neighbour(out, "above", where->above_start, where->above_distance,
						where->above_path, where->above_module, where->above_section);
		}
	}

	fprintf(out, "\ncode references:\n");
	if (!mp->xrefs_done)
		fprintf(out, "  not looked for\n");
	else if (!mp->n_xrefs)
		fprintf(out, "  none: no code in the text swept refers to %s\n",
			mp->n_roots ? "its variables" : mp->n_holders ? "the words holding it"
			: "it (no variable or module word holds it)");
	char name[512];
	for (size_t i = 0; i < mp->n_xrefs; i++) {
		const struct ms_prov_xref *x = &mp->xrefs[i];
		ms_report_xref_name(sc, x, name, sizeof(name));
		bool one_line = ms_report_style()->verbose;
		// The operand named as the crash's code names it: symbol and
		// offset, section and module ("; 0x5d3200 main.gStrInt in
		// .noptrbss of clean"); a GOT load's is its slot in .got.
		char comment[400], note[404];
		ms_describe_operand_comment(sc->session, x->target, comment, sizeof(comment));
		snprintf(note, sizeof(note), "; %s", comment);
		// By default the function and variable on one line, the
		// instruction under them and its note after it, or under it
		// when both do not fit the width.
		fprintf(out, "  %s", name);
		if (!one_line && x->root < mp->n_roots)
			fprintf(out, "  [%s]", mp->roots[x->root].global);
		char insn[160];
		int n = snprintf(insn, sizeof(insn), "%s0x%" PRIx64 ": %s", one_line ? "  " : "      ",
				 x->address, x->instruction);
		if (one_line)
			fprintf(out, "%s  %s", insn, note);
		else if (n + 2 + (int)strlen(note) <= ms_report_style()->width)
			fprintf(out, "\n%s  %s", insn, note);
		else
			fprintf(out, "\n%s\n          %s", insn, note);
		if (one_line && x->root < mp->n_roots)
			fprintf(out, "  [%s]", mp->roots[x->root].global);
		fputc('\n', out);
	}
	if (mp->xrefs_truncated)
		fprintf(out, "  (more not shown)\n");
}

static void print_crash(FILE *out, const struct ms_scan *sc,
			const struct ms_provenance *prov, const struct ms_scan_map *m)
{
	const struct ms_prov_crash *c = &prov->crash;
	if (!c->crash)
		return;
	const struct ms_crash *cr = c->crash;
	fprintf(out, "\ncrash: %s", ms_signal_name(cr->signo));
	if (cr->have_fault_addr)
		fprintf(out, " at 0x%" PRIx64, cr->fault_addr);
	fprintf(out, ", pc 0x%" PRIx64, cr->pc);
	if (c->function)
		fprintf(out, " %s!%s+0x%" PRIx64, ms_prov_module_name(c->module), c->function,
			c->offset);
	char pos[512];
	if (ms_pc_file_line(sc->session, cr->pc, false, pos, sizeof(pos)))
		fprintf(out, " (%s)", pos);
	fputc('\n', out);
	if (!cr->have_fault_addr) {
		fprintf(out, "  no fault address: the process was not killed by a memory fault\n");
		return;
	}
	if (c->map != SIZE_MAX && &sc->maps[c->map] == m)
		fprintf(out, "  through this map: %s\n", c->why);
	else if (c->map != SIZE_MAX)
		fprintf(out, "  through map #%u, not this one\n", sc->maps[c->map].id);
	else if (cr->have_fault_addr)
		fprintf(out, "  the fault address is in no suspect's bad range\n");
	if (c->code_error[0])
		fprintf(out, "  (%s)\n", c->code_error);
	for (size_t i = 0; c->lines && i < c->n_lines; i++) {
		const struct ms_disasm_line *l = &c->lines[i];
		char hex[3 * sizeof(l->bytes) + 1] = "";
		for (unsigned j = 0; j < l->size && j < sizeof(l->bytes); j++)
			snprintf(hex + 3 * j, 4, "%02x ", l->bytes[j]);
		// Addresses with their symbols, as gdb comments them.
		char note[300] = "";
		static const uint64_t no_regs[MS_REG_COUNT];
		uint64_t ea;
		if (ms_describe_branch(sc->session, l->text, note + 1, sizeof(note) - 1)) {
			note[0] = ' ';
		} else if (l->mem.present && l->mem.rip_relative &&
			   ms_disasm_mem_address(&l->mem, l->addr + l->size, no_regs, &ea)) {
			char sym[256];
			ms_describe_operand(sc->session, ea, sym, sizeof(sym));
			snprintf(note, sizeof(note), "  ; 0x%" PRIx64 "%s%s", ea, sym[0] ? " " : "",
				 sym);
		}
		// The instruction bytes with --verbose; gdb's x/i leaves them out.
		if (ms_report_style()->verbose)
			fprintf(out, "  %s 0x%" PRIx64 ":  %-24s %s%s\n", i == c->pc_line ? "=>" : "  ",
				l->addr, hex, l->text, note);
		else
			fprintf(out, "  %s 0x%" PRIx64 ":  %s%s\n", i == c->pc_line ? "=>" : "  ",
				l->addr, l->text, note);
	}
	if (c->lines)
		ms_report_crash_insn(out, "  at the pc: ", c);
}

/*
 * No entries, but a pointer that leads to readable memory the runtime
 * never gives maps (a module's data, another mapping): what is there,
 * marked as such. @return whether it printed anything.
 */
static bool show_foreign(FILE *out, struct ms_session *s, const struct ms_scan_map *m)
{
	for (size_t i = 0; i < m->check.n_reasons; i++) {
		const struct ms_map_reason *r = &m->check.reasons[i];
		uint8_t probe[8];
		if (r->verdict != MS_VERDICT_FOREIGN || !r->pointer)
			continue;
		struct ms_error *err = ms_session_read(s, r->pointer, probe, sizeof(probe));
		if (err) {
			ms_error_destroy(err);
			continue;
		}
		char where[256];
		ms_error_destroy(ms_describe_addr(s, r->pointer, where, sizeof(where)));
		fprintf(out, "  none: %s 0x%" PRIx64 " leads to %s, which is not map memory;\n"
			"  what is there:\n", r->field, r->pointer, where);
		hexdump(out, s, r->pointer, 64);
		return true;
	}
	return false;
}

static void show_text(const char *core, struct ms_scan *sc, struct ms_scan_map *m,
		      const struct ms_provenance *prov, const struct ms_map_prov *mp,
		      size_t limit)
{
	struct ms_session *s = sc->session;
	FILE *out = stdout;
	ms_story_print(out, s, sc->story, sc);
	ms_report_header(out, core, s, prov);
	char name[256];
	ms_report_map_name(m, name, sizeof(name));
	// The declaring variable and its module, then the first alias.
	fprintf(out, "\nmap #%u  %s", m->id, name);
	if (m->n_roots) {
		const struct ms_module *mod = ms_session_module(s, m->roots[0].module);
		fprintf(out, " (%s)", ms_cli_basename(mod->file_path ? mod->file_path : mod->core_path));
	}
	if (m->n_roots > 1)
		fprintf(out, ", also %s%s", m->roots[1].path, m->n_roots > 2 ? " ..." : "");
	if (m->unread)
		fprintf(out, "  %s  (its header pointer is not in the core)\n",
			ms_scan_map_type_name(m));
	else
		fprintf(out, "  %s  at 0x%" PRIx64 "\n", ms_scan_map_type_name(m), m->header);
	fputs("verdict: ", out);
	ms_report_put_verdict(out, m->check.verdict, 0);
	if (sc->crash_map != SIZE_MAX && &sc->maps[sc->crash_map] == m)
		fprintf(out, "  (crash cause: %s)", sc->crash_why);
	fputc('\n', out);
	ms_story_map_lines(out, "  ", sc, m);
	fprintf(out, "\nheader (%s map):\n", m->impl == MS_MAP_SWISS ? "swiss" : "classic");
	print_header_fields(out, m);

	fprintf(out, "\nreasons:\n");
	if (!m->check.n_reasons)
		fprintf(out, "  none: every pointer leads where the runtime puts map memory\n");
	for (size_t i = 0; i < m->check.n_reasons; i++)
		fprintf(out, "  %-10s %s\n", ms_verdict_str(m->check.reasons[i].verdict),
			m->check.reasons[i].detail);
	if (m->check.truncated)
		fprintf(out, "  truncated: a bound stopped the walk\n");

	fprintf(out, "\nroots:\n");
	if (!m->n_roots) {
		char where[256];
		ms_scan_map_where(m, where, sizeof(where));
		if (m->found_by & (MS_FOUND_HEAP | MS_FOUND_STACK))
			fprintf(out, "  none: found by the %s scan (%s, confidence %d)\n",
				m->found_by & MS_FOUND_STACK ? "stack" : "heap", where,
				m->confidence);
		else
			fprintf(out, "  none: no variable leads to it\n");
		if (m->frame_func)
			fprintf(out, "  %s the frame of %s (%s:%d), goroutine %" PRIu64 ";\n"
				"  the local's name is not recoverable: no DWARF variable leads to it\n",
				m->frame_points ? "a live pointer in" : "in", m->frame_func,
				ms_cli_basename(m->frame_file ? m->frame_file : "?"),
				(int)m->frame_line, m->goid);
		if (!m->type && m->type_candidates > 1)
			fprintf(out, "  type: ambiguous, %u map types fit its storage\n",
				m->type_candidates);
		else if (ms_scan_map_empty_untyped(m))
			fprintf(out, "  type: unknown: an empty map has no buckets or groups yet to fit\n"
				"  a type to, and no typed variable, object or code leads to it\n");
	}
	for (size_t i = 0; i < m->n_roots; i++) {
		const struct ms_module *mod = ms_session_module(s, m->roots[i].module);
		fprintf(out, "  %s  (slot 0x%" PRIx64 " in %s%s%s)\n", m->roots[i].path,
			m->roots[i].slot, ms_cli_basename(mod->file_path ? mod->file_path : mod->core_path),
			mod->pluginpath ? ", plugin " : "", mod->pluginpath ? mod->pluginpath : "");
	}
	if (m->n_roots && !m->roots[0].goid && m->frame_func)
		fprintf(out, "  held from the frame of %s (%s:%d), goroutine %" PRIu64 ":\n"
			"  a live pointer there leads to what the path starts from\n",
			m->frame_func, ms_cli_basename(m->frame_file ? m->frame_file : "?"),
			(int)m->frame_line, m->goid);

	print_provenance(out, sc, mp);
	print_crash(out, sc, prov, m);

	fprintf(out, "\nentries:\n");
	struct entry_print ep = { out, NULL, 0 };
	struct ms_error *err = ms_scan_entries(sc, m, limit, false, print_entry, &ep);
	if (err) {
		fprintf(out, "  %s\n", err->message);
		ms_error_destroy(err);
	} else if (!ep.n && !show_foreign(out, s, m)) {
		fprintf(out, "  none readable\n");
	} else if (ep.n == limit && m->check.live > limit) {
		fprintf(out, "  ... %" PRIu64 " more (--limit)\n", m->check.live - limit);
	}
	fprintf(out, "\nheader bytes at 0x%" PRIx64 ":\n", m->header);
	hexdump(out, s, m->header, ms_scan_header_size(sc));
}

static void show_json(const char *core, struct ms_scan *sc, struct ms_scan_map *m,
		      const struct ms_provenance *prov, const struct ms_map_prov *mp,
		      size_t limit)
{
	struct ms_json js;
	ms_json_init(&js, stdout, false);
	ms_json_object_begin(&js);
	ms_json_kv_string(&js, "schema", "mapsleuth-show/1");
	ms_report_context_json(&js, core, sc->session);
	ms_report_crash_json(&js, sc, prov, true);
	ms_json_key(&js, "map");
	ms_json_object_begin(&js);
	ms_report_map_json(&js, sc, m);
	ms_report_map_prov_json(&js, sc, mp);
	const struct ms_map_header *h = &m->check.hdr;
	ms_json_key(&js, "fields");
	ms_json_object_begin(&js);
	if (m->impl == MS_MAP_CLASSIC) {
		ms_json_kv_u64(&js, "count", h->count);
		ms_json_kv_u64(&js, "flags", h->flags);
		ms_json_kv_u64(&js, "B", h->B);
		ms_json_kv_u64(&js, "noverflow", h->noverflow);
		ms_json_kv_u64(&js, "hash0", h->hash0);
		ms_json_kv_addr(&js, "buckets", h->buckets);
		ms_json_kv_addr(&js, "oldbuckets", h->oldbuckets);
		ms_json_kv_u64(&js, "nevacuate", h->nevacuate);
		ms_json_kv_addr(&js, "extra", h->extra);
	} else {
		ms_json_kv_u64(&js, "used", h->count);
		ms_json_kv_addr(&js, "seed", h->seed);
		ms_json_kv_addr(&js, "dirPtr", h->dir_ptr);
		ms_json_kv_i64(&js, "dirLen", (int64_t)h->dir_len);
		ms_json_kv_u64(&js, "globalDepth", h->global_depth);
		ms_json_kv_u64(&js, "globalShift", h->global_shift);
		ms_json_kv_u64(&js, "writing", h->writing);
	}
	ms_json_object_end(&js);
	ms_json_key(&js, "entries");
	ms_json_array_begin(&js);
	struct entry_print ep = { stdout, &js, 0 };
	struct ms_error *err = ms_scan_entries(sc, m, limit, true, print_entry, &ep);
	ms_error_destroy(err);
	ms_json_array_end(&js);
	// The list cut at --limit says so, as the text does.
	if (ep.n >= limit && m->check.live > ep.n)
		ms_json_kv_u64(&js, "entries_omitted", m->check.live - ep.n);
	ms_json_object_end(&js);
	ms_story_json(&js, sc->story, sc);
	ms_json_object_end(&js);
	ms_json_finish(&js);
	fputc('\n', stdout);
}

int ms_cmd_show(int argc, char **argv)
{
	struct ms_cli_common c = { 0 };
	size_t limit = DEFAULT_LIMIT;
	bool verbose = false;
	const char *pos[2];
	int n_pos = 0, rc = MS_EXIT_OK;
	for (int i = 1; i < argc; i++) {
		int r = ms_cli_common_option(&c, argc, argv, &i);
		if (r < 0) {
			rc = MS_EXIT_USAGE;
			goto out;
		}
		if (r > 0)
			continue;
		if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
			uint64_t v;
			if (!ms_cli_parse_u64(argv[++i], 0, SIZE_MAX, &v)) {
				ms_cli_errorf("--limit needs a number, not '%s'", argv[i]);
				rc = MS_EXIT_USAGE;
				goto out;
			}
			limit = (size_t)v;
		} else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
			verbose = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			ms_cli_errorf("show: unknown option '%s'; see 'mapsleuth show --help'", argv[i]);
			rc = MS_EXIT_USAGE;
			goto out;
		} else if (n_pos < 2) {
			pos[n_pos++] = argv[i];
		} else {
			ms_cli_errorf("show: too many arguments; see 'mapsleuth show --help'");
			rc = MS_EXIT_USAGE;
			goto out;
		}
	}
	if (c.core || c.pid_core[0]) {
		// "show ID [EXE] -c CORE" (coredumpctl) or "show --pid PID ID".
		const char *id = n_pos ? pos[0] : NULL;
		size_t n = n_pos ? (size_t)n_pos - 1 : 0;
		const char *rest[2] = { n ? pos[1] : NULL, NULL };
		if (ms_cli_common_cores(&c, "show", rest, &n) < 0) {
			rc = MS_EXIT_USAGE;
			goto out;
		}
		pos[0] = rest[0];
		pos[1] = id;
		n_pos = id ? 2 : 1;
	}
	if (n_pos != 2) {
		ms_cli_errorf("show: need CORE and ID or ADDRESS; see 'mapsleuth show --help'");
		rc = MS_EXIT_USAGE;
		goto out;
	}
	struct ms_report_style st = { verbose, ms_cli_color(&c, stdout), ms_cli_width(stdout),
				      true };
	ms_report_set_style(&st);
	if (!c.json && !verbose)
		ms_cli_fold_stdout(st.width);
	bool is_addr = strncmp(pos[1], "0x", 2) == 0 || strncmp(pos[1], "0X", 2) == 0;
	uint64_t want = 0;
	if (!ms_cli_parse_u64(pos[1], is_addr ? 16 : 10, UINT64_MAX, &want) || !want) {
		ms_cli_errorf("show: '%s' is neither a map id nor a 0x address", pos[1]);
		rc = MS_EXIT_USAGE;
		goto out;
	}
	struct ms_session *s;
	struct ms_error *err = ms_cli_open_session(&c, pos[0], &s);
	if (err) {
		ms_cli_report(err);
		rc = MS_EXIT_FATAL;
		goto out;
	}
	struct ms_scan *sc;
	if ((err = ms_scan_run(s, NULL, &sc))) {
		ms_cli_report(ms_error_prefix(err, "%s", pos[0]));
		ms_session_destroy(s);
		rc = MS_EXIT_FATAL;
		goto out;
	}
	// A map the scan found keeps its roots; any other address is judged
	// on its own.
	struct ms_scan_map local, *m = NULL;
	bool judged = false;
	if (!is_addr && want > sc->n_maps) {
		err = ms_error_create(MS_ERR_NOT_FOUND, "%s: no map #%" PRIu64 ": the scan found %zu",
				      pos[0], want, sc->n_maps);
	} else if (!is_addr) {
		m = &sc->maps[want - 1];
	} else if ((m = (struct ms_scan_map *)ms_scan_find(sc, want)) == NULL &&
		   !(err = ms_scan_judge(sc, want, &local))) {
		m = &local;
		judged = true;
	}
	// Its provenance, with the code that references it: one sweep of
	// each module's text for this map alone.
	struct ms_provenance *prov = NULL;
	struct ms_map_prov local_prov;
	const struct ms_map_prov *mp = NULL;
	bool local_prov_set = false;
	if (!err && !(err = ms_provenance_create(sc, &prov))) {
		if (judged) {
			if (!(err = ms_provenance_of(prov, m, true, &local_prov))) {
				mp = &local_prov;
				local_prov_set = true;
			}
		} else {
			size_t idx = (size_t)(m - sc->maps);
			err = ms_provenance_xrefs(prov, &idx, 1);
			mp = &prov->maps[idx];
		}
		// Only running out of memory stops the show.
		if (err && err != &ms_enomem) {
			ms_cli_report(ms_error_prefix(err, "%s: code references not looked for",
						      pos[0]));
			err = NULL;
			if (judged && !local_prov_set)
				mp = NULL;
		}
	}
	if (err) {
		ms_cli_report(err);
		rc = MS_EXIT_FATAL;
	} else {
		if (c.json)
			show_json(pos[0], sc, m, prov, mp, limit);
		else
			show_text(pos[0], sc, m, prov, mp, limit);
		// As scan: 0 only for a map judged ok from a core nothing was lost of.
		rc = m->check.verdict != MS_VERDICT_OK || sc->partial ? MS_EXIT_SUSPECT
								       : MS_EXIT_OK;
	}
	for (size_t i = 0; prov && i < prov->n_notes; i++)
		fprintf(stderr, "mapsleuth: note: %s\n", prov->notes[i]);
	if (local_prov_set)
		ms_map_prov_deinit(&local_prov);
	if (judged)
		ms_scan_map_release(&local);
	ms_provenance_destroy(prov);
	ms_scan_destroy(sc);
	ms_session_destroy(s);
out:
	ms_cli_common_deinit(&c);
	return rc;
}
