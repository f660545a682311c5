/* Where a map came from: declaring module, package and variable, aliases, type module, where its bad pointers lead, the code that references it, and the crash it caused. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binbuf.h"
#include "go_type.h"
#include "provenance.h"

enum {
	// A fault this far past a bad pointer whose allocation size is not
	// known is taken as an access through it: the runtime indexes buckets
	// and groups from their base.
	CRASH_WINDOW = 1 << 20,
	// Bounds on what one map collects.
	MAX_XREFS = 64,
	MAX_HOLDERS = 8,
	// Text larger than this is not swept (no Go module comes near it).
	MAX_TEXT = 256 << 20,
	// Module data is read for holders in chunks of this size.
	DATA_CHUNK = 64 << 10,
	// Instructions shown before and after the faulting pc.
	WINDOW_BEFORE = 6,
	WINDOW_AFTER = 4,
	MAX_NOTES = 32,
};

struct prov_priv {
	struct ms_disasm *disasm;	// made on first use
};

static struct ms_error *get_disasm(struct ms_provenance *p, struct ms_disasm **ret)
{
	struct prov_priv *pp = p->priv;
	if (!pp->disasm) {
		struct ms_error *err = ms_disasm_create(&pp->disasm);
		if (err)
			return err;
	}
	*ret = pp->disasm;
	return NULL;
}

static void add_note(struct ms_provenance *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_note(struct ms_provenance *p, const char *fmt, ...)
{
	if (!p || p->n_notes >= MAX_NOTES)
		return;
	char **n = realloc(p->notes, (p->n_notes + 1) * sizeof(*n));
	if (!n)
		return;
	p->notes = n;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&p->notes[p->n_notes], fmt, ap) >= 0)
		p->n_notes++;
	va_end(ap);
}

const char *ms_prov_module_name(const struct ms_module *mod)
{
	if (!mod)
		return NULL;
	const char *path = mod->file_path ? mod->file_path : mod->core_path;
	const char *b = path ? strrchr(path, '/') : NULL;
	return b ? b + 1 : path;
}

// ---- roots ----

static size_t func_package_len(const char *fn);

// ret->global and ret->package: copies of @p global and of the first
// @p package_len bytes of @p package.
static struct ms_error *root_names(struct ms_prov_root *ret, const char *global,
				   const char *package, size_t package_len)
{
	ret->global = strdup(global);
	ret->package = strndup(package, package_len);
	if (!ret->global || !ret->package) {
		free(ret->global);
		free(ret->package);
		ret->global = ret->package = NULL;
		return &ms_enomem;
	}
	return NULL;
}

/*
 * Name, package and variable of a root. The scan knows the global each
 * path starts from; a Go identifier has no '.', so the package is the
 * global's name up to its last '.' ("example.com/x.v2.Var" is package
 * "example.com/x.v2", variable "Var"). Without it, the path is cut at its
 * first selector after the last '/'.
 */
static struct ms_error *root_facts(const struct ms_scan_map *m, const struct ms_scan_root *r,
				   size_t idx, struct ms_prov_root *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->root = idx;
	ret->module = r->module;
	ret->address = r->var_addr;
	ret->size = r->var_size;
	if (!r->goid && !r->unnamed && r->var && r->var[0] == '(') {
		// A path from what a scan found, "(heap 0x... main.Server)" or
		// "(heap, held by goroutine 21 in main.nested 0x...)": no
		// variable names it. Its package is the declaring function's,
		// the one whose frame holds it, when the scan knows it.
		ret->from_find = true;
		const char *fn = m->frame_points ? m->frame_func : NULL;
		struct ms_error *err = root_names(ret, r->var, fn ? fn : "",
						  fn ? func_package_len(fn) : 0);
		if (err)
			return err;
		ret->variable = ret->global + strlen(ret->global);
		ret->direct = false;
		return NULL;
	}
	if (r->unnamed) {
		ret->unnamed = true;
		// An unnamed word, or a path from one (".bss 0x5cf210 -> [3]").
		struct ms_error *err = root_names(ret, r->var ? r->var : r->path, "", 0);
		if (err)
			return err;
		ret->variable = ret->global + strlen(ret->global);
		ret->direct = strcmp(r->path, ret->global) == 0;
		return NULL;
	}
	const char *name = r->var;
	size_t len;
	if (r->goid) {
		// A goroutine's local: its package is the function's.
		const char *fn = r->func ? r->func : "?";
		const char *slash = strrchr(fn, '/');
		const char *dot = strchr(slash ? slash : fn, '.');
		struct ms_error *err = root_names(ret, name ? name : r->path, fn,
						  dot ? (size_t)(dot - fn) : 0);
		if (err)
			return err;
		ret->variable = r->local ? r->local : "?";
		ret->direct = name && strcmp(r->path, name) == 0;
		return NULL;
	}
	if (name) {
		len = strlen(name);
	} else {
		name = r->path + strspn(r->path, "*");
		len = strcspn(name, "[{(");
		const char *slash = memrchr(name, '/', len);
		const char *dot = memchr(slash ? slash : name, '.',
					 len - (size_t)((slash ? slash : name) - name));
		if (dot) {
			const char *next = memchr(dot + 1, '.', len - (size_t)(dot + 1 - name));
			if (next)
				len = (size_t)(next - name);
		}
	}
	ret->global = strndup(name, len);
	if (!ret->global)
		return &ms_enomem;
	char *dot = strrchr(ret->global, '.');
	ret->package = dot ? strndup(ret->global, (size_t)(dot - ret->global))
			   : strdup("");
	if (!ret->package) {
		free(ret->global);
		ret->global = NULL;
		return &ms_enomem;
	}
	ret->variable = dot ? dot + 1 : ret->global;
	ret->direct = strcmp(r->path, ret->global) == 0;
	return NULL;
}

// ---- bad pointers ----


// Read [addr, addr + len): true when all of it was there; otherwise the
// unreadable pages are zeros and *lost_ret says how many bytes.
static bool read_words(struct ms_session *s, uint64_t addr, uint8_t *buf, size_t len,
		       uint64_t *lost_ret)
{
	*lost_ret = 0;
	struct ms_error *err = ms_session_read(s, addr, buf, len);
	if (!err)
		return true;
	ms_error_destroy(err);
	for (uint64_t a = addr; a < addr + len;) {
		uint64_t next = (a | 4095) + 1;
		if (next > addr + len)
			next = addr + len;
		if ((err = ms_session_read(s, a, buf + (a - addr), (size_t)(next - a)))) {
			ms_error_destroy(err);
			memset(buf + (a - addr), 0, (size_t)(next - a));
			*lost_ret += next - a;
		}
		a = next;
	}
	return false;
}

static uint64_t times(uint64_t n, uint64_t size, const char *unit, char *what,
		      size_t what_size)
{
	// A count this large is itself corruption: no allocation to speak of.
	if (!size || n > (UINT64_C(1) << 40) / size)
		return 0;
	if (what)
		snprintf(what, what_size, "%" PRIu64 " %s%s of %" PRIu64 " bytes", n,
			 unit, n == 1 ? "" : "s", size);
	return n * size;
}

uint64_t ms_provenance_bad_extent(struct ms_scan *sc, const struct ms_scan_map *m,
				  const struct ms_map_reason *r, char *what_ret,
				  size_t what_size)
{
	struct ms_map_shape shape;
	const struct ms_map_header *h = &m->check.hdr;
	const char *f = r->field;
	unsigned long long i;
	int n = 0;
	if (what_ret && what_size)
		what_ret[0] = '\0';
	if (!m->check.header_read || !ms_scan_map_shape(sc, m, &shape))
		return 0;
	// Untyped shapes know offsets, not bucket or group sizes.
	uint64_t bsz = shape.typed ? shape.bucket_size : 0;
	if (shape.impl == MS_MAP_CLASSIC) {
		if (strcmp(f, "buckets") == 0)
			return h->B < 40 ? times(UINT64_C(1) << h->B, bsz, "bucket",
						 what_ret, what_size) : 0;
		if (strcmp(f, "oldbuckets") == 0) {
			if (h->B >= 40 || (h->B == 0 && !(h->flags & 8)))
				return 0;
			uint64_t nb = UINT64_C(1) << h->B;
			// hashGrow doubles, unless it is a same-size grow (flag 8).
			return times(h->flags & 8 ? nb : nb / 2, bsz, "old bucket",
				     what_ret, what_size);
		}
		if (strcmp(f, "extra") == 0 || strncmp(f, "extra.", 6) == 0) {
			// mapextra is three pointers; its fields point at slices.
			if (what_ret)
				snprintf(what_ret, what_size, "%s of 24 bytes",
					 f[5] ? "a slice header" : "mapextra");
			return 24;
		}
		if (strncmp(f, "bucket[", 7) == 0 || strncmp(f, "oldbucket[", 10) == 0)
			return times(1, bsz, "bucket", what_ret, what_size);
		return 0;
	}
	if (strcmp(f, "dirPtr") == 0) {
		if (h->dir_len == 0)
			return times(1, bsz, "group", what_ret, what_size);
		return h->dir_len < (UINT64_C(1) << 32)
		       ? times(h->dir_len, 8, "table pointer", what_ret, what_size) : 0;
	}
	if (sscanf(f, "directory[%llu]%n", &i, &n) == 1 && f[n] == '\0')
		return times(1, shape.swiss.table_size, "table", what_ret, what_size);
	if (strcmp(f, "directory") == 0)
		return times(1, 8, "table pointer", what_ret, what_size);
	if (sscanf(f, "table[%llu].groups%n", &i, &n) == 1 && f[n] == '\0') {
		// The table is directory[i]; its groups.lengthMask says how many
		// groups the runtime indexes.
		uint64_t t, mask;
		if (!h->dir_ptr || i >= h->dir_len ||
		    !ms_session_try_read_u64(sc->session, h->dir_ptr + 8 * i, &t) ||
		    !ms_session_try_read_u64(sc->session, t + shape.swiss.t_groups_mask, &mask) ||
		    mask >= (UINT64_C(1) << 32))
			return 0;
		return times(mask + 1, bsz, "group", what_ret, what_size);
	}
	if (strncmp(f, "group", 5) == 0)
		return times(1, bsz, "group", what_ret, what_size);
	return 0;
}

bool ms_provenance_link_fault(struct ms_scan *sc, uint64_t fault,
			      size_t *map_ret, size_t *reason_ret,
			      char *why_ret, size_t why_size)
{
	// Best: inside a known extent (0), else within the window (1); then
	// the smallest offset.
	int best_rank = 2;
	uint64_t best_off = UINT64_MAX;
	for (size_t i = 0; i < sc->n_maps; i++) {
		const struct ms_scan_map *m = &sc->maps[i];
		for (size_t j = 0; j < m->check.n_reasons; j++) {
			const struct ms_map_reason *r = &m->check.reasons[j];
			if (!r->pointer || r->verdict < MS_VERDICT_FOREIGN ||
			    fault < r->pointer)
				continue;
			uint64_t off = fault - r->pointer;
			char what[64];
			uint64_t extent = ms_provenance_bad_extent(sc, m, r, what,
								   sizeof(what));
			int rank;
			if (extent && off < extent)
				rank = 0;
			else if (!extent && off < CRASH_WINDOW)
				rank = 1;
			else
				continue;
			if (rank > best_rank || (rank == best_rank && off >= best_off))
				continue;
			best_rank = rank;
			best_off = off;
			*map_ret = i;
			*reason_ret = j;
			if (rank == 0)
				snprintf(why_ret, why_size,
					 "fault address 0x%" PRIx64 " is %s 0x%" PRIx64
					 " + 0x%" PRIx64 ", inside its %s",
					 fault, r->field, r->pointer, off, what);
			else
				snprintf(why_ret, why_size,
					 "fault address 0x%" PRIx64 " is %s 0x%" PRIx64
					 " + 0x%" PRIx64 " (the allocation's size is not known)",
					 fault, r->field, r->pointer, off);
		}
	}
	return best_rank < 2;
}

static struct ms_error *bad_facts(struct ms_scan *sc, const struct ms_scan_map *m,
				  struct ms_map_prov *mp)
{
	size_t n = 0;
	for (size_t j = 0; j < m->check.n_reasons; j++) {
		const struct ms_map_reason *r = &m->check.reasons[j];
		if (r->pointer && r->cls != MS_PTR_NULL && r->verdict > MS_VERDICT_OK)
			n++;
	}
	if (!n)
		return NULL;
	mp->bad = calloc(n, sizeof(*mp->bad));
	if (!mp->bad)
		return &ms_enomem;
	for (size_t j = 0; j < m->check.n_reasons; j++) {
		const struct ms_map_reason *r = &m->check.reasons[j];
		if (!r->pointer || r->cls == MS_PTR_NULL || r->verdict == MS_VERDICT_OK)
			continue;
		struct ms_prov_bad *b = &mp->bad[mp->n_bad++];
		b->reason = j;
		b->pointer = r->pointer;
		b->extent = ms_provenance_bad_extent(sc, m, r, b->extent_what,
						     sizeof(b->extent_what));
		struct ms_error *err = ms_session_classify(sc->session, r->pointer, &b->where);
		if (err) {
			mp->n_bad--;
			if (err == &ms_enomem)
				return err;
			ms_error_destroy(err);
		}
	}
	return NULL;
}

// ---- one map ----

enum {
	// abi.Type (runtime._type before Go 1.21): kind byte, and its value
	// for maps.
	TYPE_KIND_OFFSET = 23,
	TYPE_KIND_MASK = 0x1f,
	KIND_MAP = 21,
};

/*
 * The module holding the map's type descriptor. DW_AT_go_runtime_type is
 * an offset from the module's runtime.types (moduledata.types), not an
 * address: cmd/link writes it as a section offset (Go 1.19 to 1.26 alike).
 * The map was made by code of the module declaring it, which names its
 * own descriptor; so the type is looked up by name in that module's DWARF
 * first, then taken from the module whose DWARF typed the map.
 */
static void type_facts(struct ms_scan *sc, const struct ms_scan_map *m,
		       struct ms_map_prov *mp)
{
	struct ms_session *s = sc->session;
	const struct ms_type *t = m->type;
	size_t tm = m->type_module;
	if (!t || tm == SIZE_MAX)
		return;
	const struct ms_prov_root *pr = ms_map_prov_primary(mp);
	if (pr && pr->module != tm && t->name && *t->name) {
		struct ms_types *ts = ms_scan_module_types(sc, pr->module);
		const struct ms_type *t2;
		struct ms_error *err = ts ? ms_types_find(ts, t->name, &t2)
					  : ms_error_create(MS_ERR_NOT_FOUND, "no DWARF");
		if (!err && t2->runtime_type) {
			t = t2;
			tm = pr->module;
		}
		ms_error_destroy(err);
	}
	const struct ms_range *types = &ms_session_module(s, tm)->ranges[MS_SECTION_TYPES];
	if (!t->runtime_type || !types->start)
		return;
	uint64_t a = types->start + t->runtime_type;
	uint8_t kind;
	struct ms_error *err = ms_session_read(s, a + TYPE_KIND_OFFSET, &kind, 1);
	if (err || a >= types->end || (kind & TYPE_KIND_MASK) != KIND_MAP) {
		ms_error_destroy(err);
		return;
	}
	mp->runtime_type = a;
	mp->type_module = tm;
}


static struct ms_error *map_facts(struct ms_provenance *p, const struct ms_scan_map *m,
				  struct ms_map_prov *mp)
{
	struct ms_session *s = p->scan->session;
	memset(mp, 0, sizeof(*mp));
	mp->map = m;
	mp->primary = SIZE_MAX;
	mp->type_module = SIZE_MAX;
	struct ms_error *err;
	if (m->n_roots) {
		mp->roots = calloc(m->n_roots, sizeof(*mp->roots));
		if (!mp->roots)
			return &ms_enomem;
	}
	for (size_t i = 0; i < m->n_roots; i++) {
		if ((err = root_facts(m, &m->roots[i], i, &mp->roots[i])))
			return err;
		mp->n_roots++;
	}
	// Aliases across modules, and how many modules hold it.
	int best = -1;
	for (size_t i = 0; i < mp->n_roots; i++) {
		struct ms_prov_root *r = &mp->roots[i];
		bool first_of_module = true;
		for (size_t j = 0; j < mp->n_roots; j++) {
			if (mp->roots[j].module != r->module)
				r->cross_module = true;
			else if (j < i)
				first_of_module = false;
		}
		if (first_of_module)
			mp->n_modules++;
		// The declaration: a variable that holds the map itself rather
		// than a path through other values; and of two such, a plugin's
		// over the executable's, since the executable can only hold a
		// plugin's map by copying what a plugin symbol gave it (plugins
		// are loaded after the executable's own initialisation).
		const struct ms_module *mod = ms_session_module(s, r->module);
		int score = (r->direct ? 2 : 0) + (mod && mod->kind == MS_MODULE_PLUGIN);
		if (score > best) {
			best = score;
			mp->primary = i;
		}
	}
	type_facts(p->scan, m, mp);
	return bad_facts(p->scan, m, mp);
}

void ms_map_prov_deinit(struct ms_map_prov *mp)
{
	if (!mp)
		return;
	for (size_t i = 0; i < mp->n_roots; i++) {
		free(mp->roots[i].global);
		free(mp->roots[i].package);
	}
	free(mp->roots);
	free(mp->bad);
	free(mp->xrefs);
	free(mp->holders);
	memset(mp, 0, sizeof(*mp));
}

const struct ms_prov_root *ms_map_prov_primary(const struct ms_map_prov *mp)
{
	return mp && mp->primary < mp->n_roots ? &mp->roots[mp->primary] : NULL;
}

const struct ms_map_prov *ms_provenance_find(const struct ms_provenance *p,
					     const struct ms_scan_map *m)
{
	if (!p || m < p->scan->maps || m >= p->scan->maps + p->scan->n_maps)
		return NULL;
	return &p->maps[m - p->scan->maps];
}

// ---- code references ----

// One range the sweep looks for: a target, or a GOT slot holding an
// address inside one.
struct sweep_entry {
	uint64_t addr, size;
	size_t target;		// index into the caller's targets
	bool got;
};

// Overlapping entries merged for the disassembler, which wants sorted,
// disjoint ranges.
struct sweep_range {
	size_t first, n;	// entries [first, first + n)
};

struct sweep {
	struct ms_session *s;
	struct ms_provenance *p;	// for notes; may be NULL
	struct sweep_entry *entries;
	size_t n_entries, cap;
	struct sweep_range *ranges;
	struct ms_xref_target *xt;
	size_t n_ranges;
	size_t module;
	ms_prov_ref_fn *fn;
	void *arg;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct sweep_entry *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->size < y->size ? -1 : x->size > y->size;
}

static struct ms_error *add_entry(struct sweep *sw, uint64_t addr, uint64_t size,
				  size_t target, bool got)
{
	if (sw->n_entries == sw->cap) {
		size_t ncap = sw->cap ? 2 * sw->cap : 64;
		struct sweep_entry *e = realloc(sw->entries, ncap * sizeof(*e));
		if (!e)
			return &ms_enomem;
		sw->entries = e;
		sw->cap = ncap;
	}
	sw->entries[sw->n_entries++] = (struct sweep_entry){ addr, size ? size : 1, target, got };
	return NULL;
}

// The GOT slots of every module that hold an address inside a target.
static struct ms_error *add_got_entries(struct sweep *sw,
					const struct ms_xref_target *targets,
					size_t n)
{
	uint64_t lo = UINT64_MAX, hi = 0;
	for (size_t i = 0; i < n; i++) {
		if (targets[i].addr < lo)
			lo = targets[i].addr;
		if (targets[i].addr + targets[i].size > hi)
			hi = targets[i].addr + targets[i].size;
	}
	for (size_t mi = 0; mi < ms_session_module_count(sw->s); mi++) {
		struct ms_module *mod = ms_session_module(sw->s, mi);
		if (!mod->is_go)
			continue;
		const struct ms_got_slot *slots;
		size_t n_slots;
		struct ms_error *err = ms_module_got_slots(mod, &slots, &n_slots);
		if (err)
			return err;
		for (size_t k = 0; k < n_slots; k++) {
			uint64_t v = slots[k].value;
			// A symbol of another module: what the dynamic linker
			// wrote into the slot.
			if (!slots[k].resolved && !ms_session_try_read_u64(sw->s, slots[k].slot, &v))
				continue;
			if (v < lo || v >= hi)
				continue;
			for (size_t i = 0; i < n; i++) {
				if (v - targets[i].addr < (targets[i].size ? targets[i].size : 1) &&
				    v >= targets[i].addr &&
				    (err = add_entry(sw, slots[k].slot, 8, i, true)))
					return err;
			}
		}
	}
	return NULL;
}

static struct ms_error *build_ranges(struct sweep *sw)
{
	qsort(sw->entries, sw->n_entries, sizeof(*sw->entries), entry_cmp);
	sw->ranges = calloc(sw->n_entries ? sw->n_entries : 1, sizeof(*sw->ranges));
	sw->xt = calloc(sw->n_entries ? sw->n_entries : 1, sizeof(*sw->xt));
	if (!sw->ranges || !sw->xt)
		return &ms_enomem;
	for (size_t i = 0; i < sw->n_entries; i++) {
		const struct sweep_entry *e = &sw->entries[i];
		struct ms_xref_target *last = sw->n_ranges ? &sw->xt[sw->n_ranges - 1] : NULL;
		if (last && e->addr < last->addr + last->size) {
			if (e->addr + e->size > last->addr + last->size)
				last->size = e->addr + e->size - last->addr;
			sw->ranges[sw->n_ranges - 1].n++;
			continue;
		}
		sw->xt[sw->n_ranges] = (struct ms_xref_target){ e->addr, e->size };
		sw->ranges[sw->n_ranges++] = (struct sweep_range){ i, 1 };
	}
	return NULL;
}

static struct ms_error *on_xref(const struct ms_xref *x, void *arg)
{
	struct sweep *sw = arg;
	if (x->kind == MS_XREF_BRANCH)
		return NULL;
	struct ms_module *mod = ms_session_module(sw->s, sw->module);
	struct ms_prov_xref px = {
		.address = x->insn_addr,
		.module = sw->module,
		.target = x->ref_addr,
		.root = SIZE_MAX,
	};
	snprintf(px.instruction, sizeof(px.instruction), "%s", x->text);
	struct ms_error *err = ms_module_symbolize(mod, x->insn_addr, &px.function,
						   &px.offset);
	if (err) {
		if (err == &ms_enomem)
			return err;
		ms_error_destroy(err);
		px.function = NULL;
		px.offset = 0;
	}
	const struct sweep_range *r = &sw->ranges[x->target];
	size_t last = SIZE_MAX;
	for (size_t i = r->first; i < r->first + r->n; i++) {
		const struct sweep_entry *e = &sw->entries[i];
		if (x->ref_addr < e->addr || x->ref_addr - e->addr >= e->size ||
		    e->target == last)
			continue;
		last = e->target;
		px.through_got = e->got;
		if ((err = sw->fn(sw->arg, e->target, &px)))
			return err;
	}
	return NULL;
}

// The bytes of [start, end): unreadable pages read as zeros (they decode
// as harmless adds and refer to nothing).
static uint8_t *read_text(struct ms_session *s, uint64_t start, uint64_t end,
			  uint64_t *unreadable_ret)
{
	uint8_t *buf = malloc((size_t)(end - start));
	if (buf)
		read_words(s, start, buf, (size_t)(end - start), unreadable_ret);
	return buf;
}

// The module's text: the moduledata's, else its ELF .text section.
static bool text_range(struct ms_module *mod, uint64_t *start, uint64_t *end)
{
	const struct ms_range *t = &mod->ranges[MS_SECTION_TEXT];
	if (t->start && t->end > t->start) {
		*start = t->start;
		*end = t->end;
		return true;
	}
	uint64_t addr, size;
	const uint8_t *data;
	struct ms_error *err = ms_module_section(mod, ".text", &addr, &size, &data);
	if (err) {
		ms_error_destroy(err);
		return false;
	}
	*start = addr;
	*end = addr + size;
	return size > 0;
}

// Whether [lo, hi] meets one of the sweep's ranges.
static bool meets_ranges(const struct sweep *sw, uint64_t lo, uint64_t hi)
{
	size_t a = 0, b = sw->n_ranges;
	// First range ending above lo.
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (sw->xt[mid].addr + sw->xt[mid].size <= lo)
			a = mid + 1;
		else
			b = mid;
	}
	return a < sw->n_ranges && sw->xt[a].addr <= hi;
}

// Could the 4 bytes at @p a refer to a target? As a RIP-relative disp32
// (the instruction ends 0, 1, 2 or 4 bytes after it, before an
// immediate), an absolute disp32 or imm32, or the low half of an imm64.
static bool candidate(const struct sweep *sw, const uint8_t *p, size_t left, uint64_t a)
{
	uint32_t v = ms_load_u32(p);
	uint64_t rip = a + 4 + (uint64_t)(int64_t)(int32_t)v;
	if (meets_ranges(sw, rip, rip + 4))
		return true;
	if (meets_ranges(sw, v, v) || meets_ranges(sw, (uint64_t)(int64_t)(int32_t)v,
						  (uint64_t)(int64_t)(int32_t)v))
		return true;
	if (left >= 8) {
		uint64_t q = ms_load_u64(p);
		return meets_ranges(sw, q, q);
	}
	return false;
}

struct window {
	uint64_t lo, hi;
};

static int window_cmp(const void *a, const void *b)
{
	const struct window *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/*
 * Sweep one module's text. Decoding all of it with operand details runs at
 * a few MB/s; most bytes cannot refer to a target at all. So the bytes are
 * searched first for 4-byte values that could (cheap arithmetic on every
 * offset), and only the functions holding such values are decoded, from
 * their entry (symbol table or pclntab) so that the decoding is in step
 * with the compiler's instructions; without a known entry, from 64 bytes
 * before (x86 decoding falls into step within a few instructions).
 */
static struct ms_error *sweep_text(struct sweep *sw, struct ms_disasm *d,
				   struct ms_module *mod, const uint8_t *code,
				   uint64_t start, size_t len)
{
	struct window *w = NULL;
	size_t n = 0, cap = 0;
	struct ms_error *err = NULL;
	for (size_t off = 0; off + 4 <= len; off++) {
		uint64_t a = start + off;
		if (!candidate(sw, code + off, len - off, a))
			continue;
		// An instruction holding these bytes starts at most 15 bytes
		// before them and ends at most 15 after its start.
		uint64_t hi = a + 16 < start + len ? a + 16 : start + len;
		if (n && a >= w[n - 1].lo && a < w[n - 1].hi) {
			w[n - 1].hi = hi > w[n - 1].hi ? hi : w[n - 1].hi;
			continue;
		}
		const char *name;
		uint64_t fo;
		uint64_t lo = a > start + 64 ? a - 64 : start;
		struct ms_error *e = ms_module_symbolize(mod, a, &name, &fo);
		if (e == &ms_enomem) {
			free(w);
			return e;
		}
		if (!e && fo <= a - start && fo < (UINT64_C(1) << 20))
			lo = a - fo;
		ms_error_destroy(e);
		if (n == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			struct window *nw = realloc(w, ncap * sizeof(*nw));
			if (!nw) {
				free(w);
				return &ms_enomem;
			}
			w = nw;
			cap = ncap;
		}
		w[n++] = (struct window){ lo, hi };
	}
	if (n > 1)
		qsort(w, n, sizeof(*w), window_cmp);
	// Merge overlapping windows: each instruction is decoded once.
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k && w[i].lo <= w[k - 1].hi) {
			if (w[i].hi > w[k - 1].hi)
				w[k - 1].hi = w[i].hi;
		} else {
			w[k++] = w[i];
		}
	}
	for (size_t i = 0; i < k && !err; i++)
		err = ms_disasm_xrefs(d, code + (w[i].lo - start), (size_t)(w[i].hi - w[i].lo),
				      w[i].lo, sw->xt, sw->n_ranges, on_xref, sw);
	free(w);
	return err;
}

static struct ms_error *sweep_modules(struct sweep *sw, struct ms_disasm *d)
{
	for (size_t mi = 0; mi < ms_session_module_count(sw->s); mi++) {
		struct ms_module *mod = ms_session_module(sw->s, mi);
		uint64_t start, end, unreadable;
		// Only Go code takes the address of Go variables.
		if (!mod->is_go || !text_range(mod, &start, &end))
			continue;
		if (end - start > MAX_TEXT) {
			add_note(sw->p, "%s: text of %" PRIu64 " bytes not swept for code references",
				 ms_prov_module_name(mod), end - start);
			continue;
		}
		uint8_t *code = read_text(sw->s, start, end, &unreadable);
		if (!code)
			return &ms_enomem;
		if (unreadable == end - start) {
			add_note(sw->p, "%s: text not readable (not in the core, file %s): no code references from it",
				 ms_prov_module_name(mod), mod->file_path ? "unusable" : "missing");
			free(code);
			continue;
		}
		if (unreadable)
			add_note(sw->p, "%s: %" PRIu64 " bytes of text not readable, not swept",
				 ms_prov_module_name(mod), unreadable);
		sw->module = mi;
		struct ms_error *err = sweep_text(sw, d, mod, code, start, (size_t)(end - start));
		free(code);
		if (err)
			return err;
	}
	return NULL;
}

static struct ms_error *code_refs(struct ms_session *s, struct ms_provenance *p,
				  struct ms_disasm *d,
				  const struct ms_xref_target *targets, size_t n,
				  ms_prov_ref_fn *fn, void *arg)
{
	struct sweep sw = { .s = s, .p = p, .fn = fn, .arg = arg };
	struct ms_error *err = NULL;
	if (!n)
		return NULL;
	for (size_t i = 0; i < n && !err; i++)
		err = add_entry(&sw, targets[i].addr, targets[i].size, i, false);
	if (!err)
		err = add_got_entries(&sw, targets, n);
	if (!err)
		err = build_ranges(&sw);
	if (!err)
		err = sweep_modules(&sw, d);
	free(sw.entries);
	free(sw.ranges);
	free(sw.xt);
	return err;
}

struct ms_error *ms_provenance_code_refs(struct ms_session *s,
					 const struct ms_xref_target *targets,
					 size_t n, ms_prov_ref_fn *fn, void *arg)
{
	struct ms_disasm *d;
	struct ms_error *err = ms_disasm_create(&d);
	if (err)
		return err;
	err = code_refs(s, NULL, d, targets, n, fn, arg);
	ms_disasm_destroy(d);
	return err;
}

// ---- holders: module words that hold a header ----

struct header_ref {
	uint64_t header;
	struct ms_map_prov *mp;
};

static int header_ref_cmp(const void *a, const void *b)
{
	const struct header_ref *x = a, *y = b;
	return x->header < y->header ? -1 : x->header > y->header;
}

static struct ms_error *add_holder(struct ms_map_prov *mp, uint64_t addr)
{
	if (mp->n_holders >= MAX_HOLDERS)
		return NULL;
	uint64_t *h = realloc(mp->holders, (mp->n_holders + 1) * sizeof(*h));
	if (!h)
		return &ms_enomem;
	mp->holders = h;
	h[mp->n_holders++] = addr;
	return NULL;
}

/*
 * Without a typed root (no DWARF, or a map only a uintptr leads to), the
 * word of a module's data or bss that holds the header is where a global
 * would be: the code referencing that word is the code using the map.
 */
static struct ms_error *find_holders(struct ms_provenance *p, struct header_ref *hr,
				     size_t n)
{
	struct ms_session *s = p->scan->session;
	static const enum ms_section secs[] = {
		MS_SECTION_DATA, MS_SECTION_NOPTRDATA, MS_SECTION_BSS, MS_SECTION_NOPTRBSS,
	};
	qsort(hr, n, sizeof(*hr), header_ref_cmp);
	uint8_t *buf = malloc(DATA_CHUNK);
	if (!buf)
		return &ms_enomem;
	struct ms_error *err = NULL;
	for (size_t mi = 0; mi < ms_session_module_count(s) && !err; mi++) {
		const struct ms_module *mod = ms_session_module(s, mi);
		if (!mod->is_go)
			continue;
		for (size_t k = 0; k < sizeof(secs) / sizeof(secs[0]) && !err; k++) {
			const struct ms_range *r = &mod->ranges[secs[k]];
			uint64_t a = (r->start + 7) & ~(uint64_t)7;
			for (; a + 8 <= r->end && !err; a += DATA_CHUNK) {
				size_t len = r->end - a < DATA_CHUNK ? (size_t)(r->end - a) : DATA_CHUNK;
				len &= ~(size_t)7;
				// A chunk may straddle a page the core did not save
				// (a file-backed page of a missing file): then page by
				// page, unreadable ones as zeros.
				uint64_t lost;
				if (!read_words(s, a, buf, len, &lost) && lost == len)
					continue;
				for (size_t off = 0; off < len && !err; off += 8) {
					uint64_t w = ms_load_u64(buf + off);
					if (w < hr[0].header || w > hr[n - 1].header)
						continue;
					struct header_ref key = { w, NULL };
					struct header_ref *f = bsearch(&key, hr, n, sizeof(*hr),
								       header_ref_cmp);
					if (f)
						err = add_holder(f->mp, a + off);
				}
			}
		}
	}
	free(buf);
	return err;
}

// ---- code references of maps ----

// Who asked for a target: a root's variable, or a holder word.
struct owner {
	struct ms_map_prov *mp;
	size_t root;		// SIZE_MAX for a holder
	uint64_t holder;
};

struct collect {
	struct owner *owners;
};

static struct ms_error *collect_ref(void *arg, size_t target,
				   const struct ms_prov_xref *x)
{
	struct collect *c = arg;
	struct owner *o = &c->owners[target];
	struct ms_map_prov *mp = o->mp;
	// The same instruction through two roots of one variable counts once.
	for (size_t i = 0; i < mp->n_xrefs; i++)
		if (mp->xrefs[i].address == x->address && mp->xrefs[i].root == o->root &&
		    mp->xrefs[i].holder == o->holder)
			return NULL;
	if (mp->n_xrefs >= MAX_XREFS) {
		mp->xrefs_truncated = true;
		return NULL;
	}
	struct ms_prov_xref *nx = realloc(mp->xrefs, (mp->n_xrefs + 1) * sizeof(*nx));
	if (!nx)
		return &ms_enomem;
	mp->xrefs = nx;
	nx[mp->n_xrefs] = *x;
	nx[mp->n_xrefs].root = o->root;
	nx[mp->n_xrefs].holder = o->holder;
	mp->n_xrefs++;
	return NULL;
}

static int xref_cmp(const void *a, const void *b)
{
	const struct ms_prov_xref *x = a, *y = b;
	if (x->module != y->module)
		return x->module < y->module ? -1 : 1;
	return x->address < y->address ? -1 : x->address > y->address;
}

// The package of a Go function name: "main" for "main.(*T).f",
// "example.com/x/geo" for "example.com/x/geo.init.0".
static size_t func_package_len(const char *fn)
{
	const char *slash = strrchr(fn, '/');
	const char *dot = strchr(slash ? slash : fn, '.');
	return dot ? (size_t)(dot - fn) : 0;
}

/*
 * An unnamed word's package, when every function referencing it is of one
 * package: a package-level variable is used by its own package's code
 * (other packages reach it only through exported names, which stripped
 * binaries no longer have either).
 */
static struct ms_error *package_from_code(struct ms_map_prov *mp, size_t root)
{
	const char *pkg = NULL;
	size_t len = 0;
	for (size_t i = 0; i < mp->n_xrefs; i++) {
		const struct ms_prov_xref *x = &mp->xrefs[i];
		if (x->root != root)
			continue;
		size_t l = x->function ? func_package_len(x->function) : 0;
		if (!l || (pkg && (l != len || strncmp(pkg, x->function, l))))
			return NULL;
		pkg = x->function;
		len = l;
	}
	if (!pkg)
		return NULL;
	struct ms_prov_root *r = &mp->roots[root];
	char *p = strndup(pkg, len);
	if (!p)
		return &ms_enomem;
	free(r->package);
	r->package = p;
	r->package_from_code = true;
	return NULL;
}

static struct ms_error *xrefs_for(struct ms_provenance *p, struct ms_map_prov **mps,
				  size_t n)
{
	struct ms_error *err = NULL;
	size_t n_targets = 0, n_rootless = 0;
	for (size_t i = 0; i < n; i++) {
		n_targets += mps[i]->n_roots;
		n_rootless += !mps[i]->n_roots;
	}
	struct header_ref *hr = n_rootless ? calloc(n_rootless, sizeof(*hr)) : NULL;
	if (n_rootless && !hr)
		return &ms_enomem;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!mps[i]->n_roots)
			hr[k++] = (struct header_ref){ mps[i]->map->header, mps[i] };
	if (n_rootless && (err = find_holders(p, hr, n_rootless))) {
		free(hr);
		return err;
	}
	free(hr);
	for (size_t i = 0; i < n; i++)
		n_targets += mps[i]->n_holders;

	struct ms_xref_target *targets = calloc(n_targets ? n_targets : 1, sizeof(*targets));
	struct owner *owners = calloc(n_targets ? n_targets : 1, sizeof(*owners));
	if (!targets || !owners) {
		free(targets);
		free(owners);
		return &ms_enomem;
	}
	k = 0;
	for (size_t i = 0; i < n; i++) {
		struct ms_map_prov *mp = mps[i];
		for (size_t j = 0; j < mp->n_roots; j++) {
			const struct ms_prov_root *r = &mp->roots[j];
			if (!r->address)
				continue;
			targets[k] = (struct ms_xref_target){ r->address, r->size ? r->size : 8 };
			owners[k++] = (struct owner){ mp, j, 0 };
		}
		for (size_t j = 0; j < mp->n_holders; j++) {
			targets[k] = (struct ms_xref_target){ mp->holders[j], 8 };
			owners[k++] = (struct owner){ mp, SIZE_MAX, mp->holders[j] };
		}
	}
	struct ms_disasm *d;
	if (!(err = get_disasm(p, &d))) {
		struct collect c = { owners };
		err = code_refs(p->scan->session, p, d, targets, k, collect_ref, &c);
	}
	free(targets);
	free(owners);
	for (size_t i = 0; i < n && !err; i++) {
		struct ms_map_prov *mp = mps[i];
		if (mp->n_xrefs > 1)
			qsort(mp->xrefs, mp->n_xrefs, sizeof(*mp->xrefs), xref_cmp);
		mp->xrefs_done = true;
		for (size_t j = 0; j < mp->n_roots && !err; j++)
			if (mp->roots[j].unnamed)
				err = package_from_code(mp, j);
	}
	return err;
}

struct ms_error *ms_provenance_xrefs(struct ms_provenance *p, const size_t *idx,
				     size_t n)
{
	struct ms_map_prov **mps = calloc(n ? n : 1, sizeof(*mps));
	if (!mps)
		return &ms_enomem;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (idx[i] >= p->n_maps || p->maps[idx[i]].xrefs_done)
			continue;
		bool dup = false;
		for (size_t j = 0; j < k && !dup; j++)
			dup = mps[j] == &p->maps[idx[i]];
		if (!dup)
			mps[k++] = &p->maps[idx[i]];
	}
	struct ms_error *err = k ? xrefs_for(p, mps, k) : NULL;
	free(mps);
	return err;
}

struct ms_error *ms_provenance_xrefs_suspects(struct ms_provenance *p)
{
	size_t *idx = calloc(p->n_maps ? p->n_maps : 1, sizeof(*idx));
	if (!idx)
		return &ms_enomem;
	size_t n = 0;
	for (size_t i = 0; i < p->n_maps; i++)
		if (p->scan->maps[i].check.verdict != MS_VERDICT_OK)
			idx[n++] = i;
	struct ms_error *err = ms_provenance_xrefs(p, idx, n);
	free(idx);
	return err;
}

struct ms_error *ms_provenance_of(struct ms_provenance *p,
				  const struct ms_scan_map *m, bool xrefs,
				  struct ms_map_prov *ret)
{
	struct ms_map_prov mp;
	struct ms_error *err = map_facts(p, m, &mp);
	if (!err && xrefs) {
		struct ms_map_prov *one = &mp;
		err = xrefs_for(p, &one, 1);
	}
	if (err) {
		ms_map_prov_deinit(&mp);
		return err;
	}
	*ret = mp;
	return NULL;
}

// ---- the crash ----

static bool is_map_code(const char *fn)
{
	static const char *const prefixes[] = {
		"runtime.map", "runtime.(*hmap)", "runtime.(*bmap)", "runtime.evacuate",
		"runtime.growWork", "runtime.hashGrow", "internal/runtime/maps.",
		"runtime.makemap",
	};
	for (size_t i = 0; fn && i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(fn, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static bool reg_of(const char *name, const uint64_t *regs, uint64_t *ret)
{
	struct ms_reg_part part;
	if (!ms_disasm_reg_part(name, &part))
		return false;
	uint64_t v = regs[part.index] >> part.shift;
	if (part.bits < 64)
		v &= (UINT64_C(1) << part.bits) - 1;
	*ret = v;
	return true;
}

struct ms_error *ms_provenance_code_window(struct ms_provenance *p, uint64_t addr,
					   size_t n_before, size_t n_after,
					   struct ms_disasm_line **lines_ret,
					   size_t *n_ret, size_t *at_ret,
					   char *why_ret, size_t why_size)
{
	struct ms_session *s = p->scan->session;
	*lines_ret = NULL;
	*n_ret = *at_ret = 0;
	if (why_size)
		why_ret[0] = '\0';
	// From the function's entry when it is near, so that the instructions
	// before addr decode as the compiler laid them.
	uint64_t start = addr > 64 ? addr - 64 : 0;
	struct ms_module *mod;
	const char *fn = NULL;
	uint64_t off = 0;
	struct ms_error *err = ms_session_symbolize(s, addr, &mod, &fn, &off);
	ms_error_destroy(err);
	if (!err && fn && off <= 4096)
		start = addr - off;
	uint64_t end = addr + 16 * (n_after + 1);
	uint8_t *buf = NULL;
	// Shrink from the far ends until the bytes are there (a function at
	// the end of the text, code not in the core and no file).
	err = NULL;
	for (int tries = 0; tries < 3; tries++) {
		free(buf);
		buf = malloc((size_t)(end - start));
		if (!buf) {
			ms_error_destroy(err);
			return &ms_enomem;
		}
		ms_error_destroy(err);
		err = ms_session_read(s, start, buf, (size_t)(end - start));
		if (!err)
			break;
		if (tries == 0)
			end = addr + 16;
		else
			start = addr;
	}
	if (err) {
		snprintf(why_ret, why_size, "code at 0x%" PRIx64 " not readable: %s", addr,
			 err->message);
		ms_error_destroy(err);
		free(buf);
		return NULL;
	}
	struct ms_disasm *d;
	if ((err = get_disasm(p, &d))) {
		free(buf);
		if (err == &ms_enomem)
			return err;
		snprintf(why_ret, why_size, "%s", err->message);
		ms_error_destroy(err);
		return NULL;
	}
	err = ms_disasm_window(d, buf, (size_t)(end - start), start, addr, n_before,
			       n_after, lines_ret, n_ret, at_ret);
	free(buf);
	if (err && err != &ms_enomem) {
		snprintf(why_ret, why_size, "%s", err->message);
		ms_error_destroy(err);
		return NULL;
	}
	return err;
}

static struct ms_error *build_crash(struct ms_provenance *p)
{
	struct ms_session *s = p->scan->session;
	struct ms_prov_crash *c = &p->crash;
	c->map = SIZE_MAX;
	c->reason = SIZE_MAX;
	const struct ms_crash *cr = ms_session_crash(s);
	if (!cr || !cr->present)
		return NULL;
	c->crash = cr;
	struct ms_error *err = ms_session_symbolize(s, cr->pc, &c->module, &c->function,
						    &c->offset);
	if (err) {
		ms_error_destroy(err);
		c->function = NULL;
		c->module = ms_session_module_at(s, cr->pc, NULL);
	}
	if (cr->pc && (err = ms_provenance_code_window(p, cr->pc, WINDOW_BEFORE, WINDOW_AFTER,
						       &c->lines, &c->n_lines, &c->pc_line,
						       c->code_error, sizeof(c->code_error))))
		return err;
	// The kernel's record of a fault holds the registers at the pc; after
	// the Go runtime turned the fault into a panic the thread died in
	// runtime.raise, and the registers at the fault are gone.
	const struct ms_core_thread *t = ms_session_thread_count(s) ? ms_session_thread(s, 0) : NULL;
	if (t && cr->source && strcmp(cr->source, "siginfo") == 0 &&
	    t->regs[MS_REG_RIP] == cr->pc) {
		c->regs_known = true;
		memcpy(c->regs, t->regs, sizeof(c->regs));
	}
	const struct ms_disasm_line *l = c->lines && c->pc_line < c->n_lines
					 ? &c->lines[c->pc_line] : NULL;
	if (l && l->mem.present) {
		const char *names[2] = { l->mem.base, l->mem.index };
		for (int i = 0; i < 2; i++) {
			if (!names[i][0] || strcmp(names[i], "rip") == 0)
				continue;
			struct ms_prov_reg *r = &c->operand_regs[c->n_operand_regs++];
			snprintf(r->name, sizeof(r->name), "%s", names[i]);
			r->known = c->regs_known && reg_of(names[i], c->regs, &r->value);
		}
		if (c->regs_known)
			c->have_operand_address = ms_disasm_mem_address(&l->mem, l->addr + l->size,
								       c->regs, &c->operand_address);
		else if (l->mem.rip_relative && !l->mem.index[0] && !l->mem.segment[0]) {
			c->operand_address = l->addr + l->size + (uint64_t)l->mem.disp;
			c->have_operand_address = true;
		}
	}
	if (cr->have_fault_addr)
		ms_provenance_link_fault(p->scan, cr->fault_addr, &c->map, &c->reason,
					 c->why, sizeof(c->why));
	if (c->map != SIZE_MAX) {
		size_t len = strlen(c->why);
		if (is_map_code(c->function))
			snprintf(c->why + len, sizeof(c->why) - len,
				 "; the faulting function %s is the runtime's map code",
				 c->function);
		len = strlen(c->why);
		if (c->have_operand_address && c->regs_known &&
		    c->operand_address <= cr->fault_addr &&
		    cr->fault_addr - c->operand_address < (l->mem.size ? l->mem.size : 1))
			snprintf(c->why + len, sizeof(c->why) - len,
				 "; the instruction's operand is the fault address");
	}
	return NULL;
}

// ---- the whole scan ----

struct ms_error *ms_provenance_create(struct ms_scan *sc, struct ms_provenance **ret)
{
	struct ms_provenance *p = calloc(1, sizeof(*p));
	struct prov_priv *pp = calloc(1, sizeof(*pp));
	if (!p || !pp) {
		free(p);
		free(pp);
		return &ms_enomem;
	}
	p->scan = sc;
	p->priv = pp;
	p->crash.map = SIZE_MAX;
	struct ms_error *err = NULL;
	p->maps = calloc(sc->n_maps ? sc->n_maps : 1, sizeof(*p->maps));
	if (!p->maps)
		err = &ms_enomem;
	for (size_t i = 0; i < sc->n_maps && !err; i++) {
		err = map_facts(p, &sc->maps[i], &p->maps[i]);
		p->n_maps = i + 1;
	}
	if (!err)
		err = build_crash(p);
	if (err) {
		ms_provenance_destroy(p);
		return err;
	}
	*ret = p;
	return NULL;
}

void ms_provenance_destroy(struct ms_provenance *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_maps; i++)
		ms_map_prov_deinit(&p->maps[i]);
	free(p->maps);
	free(p->crash.lines);
	for (size_t i = 0; i < p->n_notes; i++)
		free(p->notes[i]);
	free(p->notes);
	struct prov_priv *pp = p->priv;
	if (pp)
		ms_disasm_destroy(pp->disasm);
	free(pp);
	free(p);
}
