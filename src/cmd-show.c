/* mapsleuth show: one map in full, by scan id or header address. */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "json.h"
#include "open.h"
#include "report.h"
#include "scan.h"

enum { DEFAULT_LIMIT = 20 };

void ms_cmd_show_help(FILE *out)
{
	fputs("usage: mapsleuth show [OPTIONS] CORE ID|ADDRESS\n"
	      "\n"
	      "Show one map in full: header fields, each pointer and where it leads,\n"
	      "the variables that hold it, its entries, and a hex dump of the header.\n"
	      "ID is the number 'mapsleuth scan' printed; ADDRESS (0x...) is a header\n"
	      "address, which need not be one the scan found.\n"
	      "\n"
	      "options:\n",
	      out);
	ms_cli_common_help(out);
	fputs("  --limit N            decode at most N entries (default 20)\n", out);
}

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
	for (size_t i = 0; i < len; i += 16) {
		fprintf(out, "  %012" PRIx64 "  ", addr + i);
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
	else
		fprintf(out, "  live slots  %" PRIu64 " counted (not every bucket or group was read)\n",
			m->check.live);
}

struct entry_print {
	FILE *out;
	struct ms_json *js;
	size_t n;
};

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
	} else {
		fprintf(ep->out, "  %s: %s\n", key, value);
	}
	ep->n++;
	return 0;
}

static void show_text(const char *core, struct ms_scan *sc, struct ms_scan_map *m,
		      size_t limit)
{
	struct ms_session *s = sc->session;
	FILE *out = stdout;
	ms_report_header(out, core, s);
	char name[256];
	ms_report_map_name(m, name, sizeof(name));
	fprintf(out, "\nmap #%u  %s  %s  at 0x%" PRIx64 "\n", m->id, name,
		ms_scan_map_type_name(m), m->header);
	fprintf(out, "verdict: %s", ms_verdict_str(m->check.verdict));
	if (sc->crash_map != SIZE_MAX && &sc->maps[sc->crash_map] == m)
		fprintf(out, "  (crash cause: %s)", sc->crash_why);
	fprintf(out, "\n\nheader (%s map):\n", m->impl == MS_MAP_SWISS ? "swiss" : "classic");
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
	if (!m->n_roots)
		fprintf(out, "  none: %s\n", m->found_by & MS_FOUND_HEAP
			? "found by the heap scan" : "no variable leads to it");
	for (size_t i = 0; i < m->n_roots; i++) {
		const struct ms_module *mod = ms_session_module(s, m->roots[i].module);
		fprintf(out, "  %s  (slot 0x%" PRIx64 " in %s%s%s)\n", m->roots[i].path,
			m->roots[i].slot, ms_cli_basename(mod->file_path ? mod->file_path : mod->core_path),
			mod->pluginpath ? ", plugin " : "", mod->pluginpath ? mod->pluginpath : "");
	}

	fprintf(out, "\nentries:\n");
	struct entry_print ep = { out, NULL, 0 };
	struct ms_error *err = ms_scan_entries(sc, m, limit, false, print_entry, &ep);
	if (err) {
		fprintf(out, "  %s\n", err->message);
		ms_error_destroy(err);
	} else if (!ep.n) {
		fprintf(out, "  none readable\n");
	} else if (ep.n == limit && m->check.live > limit) {
		fprintf(out, "  ... %" PRIu64 " more (--limit)\n", m->check.live - limit);
	}
	fprintf(out, "\nheader bytes:\n");
	hexdump(out, s, m->header, ms_scan_header_size(sc));
}

static void show_json(const char *core, struct ms_scan *sc, struct ms_scan_map *m,
		      size_t limit)
{
	struct ms_json js;
	ms_json_init(&js, stdout, false);
	ms_json_object_begin(&js);
	ms_json_kv_string(&js, "schema", "mapsleuth-show/1");
	ms_report_context_json(&js, core, sc->session);
	ms_json_key(&js, "map");
	ms_json_object_begin(&js);
	ms_report_map_json(&js, sc, m);
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
	ms_json_object_end(&js);
	ms_json_object_end(&js);
	ms_json_finish(&js);
	fputc('\n', stdout);
}

int ms_cmd_show(int argc, char **argv)
{
	struct ms_cli_common c = { 0 };
	size_t limit = DEFAULT_LIMIT;
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
			char *end;
			limit = strtoull(argv[++i], &end, 0);
			if (*end) {
				ms_cli_errorf("--limit needs a number, not '%s'", argv[i]);
				rc = MS_EXIT_USAGE;
				goto out;
			}
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
	if (n_pos != 2) {
		ms_cli_errorf("show: need CORE and ID or ADDRESS; see 'mapsleuth show --help'");
		rc = MS_EXIT_USAGE;
		goto out;
	}
	char *end;
	bool is_addr = strncmp(pos[1], "0x", 2) == 0 || strncmp(pos[1], "0X", 2) == 0;
	uint64_t want = strtoull(pos[1], &end, is_addr ? 16 : 10);
	if (*end || !want) {
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
	if (err) {
		ms_cli_report(err);
		rc = MS_EXIT_FATAL;
	} else {
		if (c.json)
			show_json(pos[0], sc, m, limit);
		else
			show_text(pos[0], sc, m, limit);
		rc = m->check.verdict != MS_VERDICT_OK ? MS_EXIT_SUSPECT : MS_EXIT_OK;
		if (judged)
			ms_scan_map_release(&local);
	}
	ms_scan_destroy(sc);
	ms_session_destroy(s);
out:
	ms_cli_common_deinit(&c);
	return rc;
}
