/* Finding every map in a core and judging each: roots, reachability, heap scan, verdicts. */
#include "config.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binbuf.h"
#include "crash_story.h"
#include "describe.h"
#include "disasm.h"
#include "dwarf_index.h"
#include "fmt.h"
#include "frame_vars.h"
#include "goroutine.h"
#include "map_infer.h"
#include "map_layout.h"
#include "module.h"
#include "pclntab.h"
#include "provenance.h"
#include "reach.h"
#include "readahead.h"
#include "scan.h"
#include "session.h"
#include "strlist.h"

enum {
	// Heap-scan candidates below this score are not maps worth reporting.
	HEAP_MIN_CONFIDENCE = 60,
	HEAP_MIN_CONFIDENCE_BITMAP = 30,
	// Stack words have no pointer bitmap to check: ask for pointers that
	// lead where the runtime puts buckets and groups.
	STACK_MIN_CONFIDENCE = 70,
	// Bytes of one goroutine stack examined.
	STACK_MAX_BYTES = 8 << 20,
	MAX_NOTES = 64,
	MAX_UNREAD = 4096,	// map values not saved in the core, listed one by one
};

// Per module: its types and map layout, from DWARF, else from its runtime
// type descriptors and the built-in layout of the Go version.
struct mod_info {
	struct ms_types *types;
	struct ms_map_layout *layout;
	bool tried;
	bool dwarf;	// types and layout come from DWARF
	struct ms_func_index *funcs;	// functions by address, for frame variables
	bool funcs_tried;
	// A DWARF module's runtime type descriptors, for types its code
	// names that DWARF does not list (made on demand).
	struct ms_types *rt_types;
	bool rt_tried;
};

struct shape_slot {
	const struct ms_type *type;	// NULL: empty slot
	bool ok;			// the type has a usable shape
	struct ms_map_shape shape;
};

struct scan_ctx {
	struct ms_scan *sc;
	struct ms_session *s;
	struct ms_map_memory mem;
	struct ms_map_limits limits;
	struct mod_info *mods;
	size_t n_mods;
	size_t cur_module;	// module whose globals are being walked
	const struct ms_global *cur_global;	// the global being walked
	// header -> index in sc->maps (open addressing, 0 = empty slot)
	uint64_t *idx_key;
	size_t *idx_val;
	size_t idx_cap;
	size_t cap_maps;
	// Shapes by map type: DWARF is read once per type, not once per map.
	struct shape_slot *shapes;
	size_t shapes_cap, shapes_n;
	// The fallback shape for maps of unknown type.
	struct ms_map_shape untyped;
	bool have_untyped;
	// Every map type of every module, to type heap and stack finds.
	struct ms_map_cand *cands;
	size_t n_cands, cap_cands;
	bool cands_done;
	// Heap objects whose malloc header names their type (Go 1.22+).
	uint64_t *typed_objs;
	size_t n_typed_objs, cap_typed_objs;
	// Walks from something other than a global: its name, address and
	// size; the names live until the scan is destroyed.
	const char *cur_root_name;
	uint64_t cur_root_addr, cur_root_size;
	// Walks from a goroutine's frame variable: what its roots say.
	const struct ms_scan_root *cur_frame;
	// Interface locals: the frame words that may hold a map pointer.
	struct iface_local *iface_locals;
	size_t n_iface_locals, cap_iface_locals;
	bool frames_final;	// the last pass over the frames: count and remember
	// cur_root_name is a caller's buffer: kept (copied) by the first root.
	bool cur_root_name_temp;
	// A frame variable put together from its slots, and those slots.
	uint8_t overlay[32];
	size_t overlay_len;
	uint64_t overlay_at;	// its address: a new one each time, for the walk's visited set
	uint64_t overlay_seq;
	uint64_t overlay_words[4];
	// Frame variables by (module, entry, pc), relative to the cfa.
	struct fv_slot *fv_slots;
	size_t fv_cap, fv_used;
	struct fv_ent *fv_ents;
	size_t n_fv_ents, cap_fv_ents;
	// Heap objects frames' live pointers lead into (frames_holding_finds).
	struct frame_hold *holds;
	size_t n_holds, cap_holds;
	size_t *hold_slots;	// open addressing by base: index + 1, 0 empty
	size_t hold_slots_cap;	// a power of two, or 0
	// One walk for globals and finds: what the globals' walk visited is
	// not walked again.
	struct ms_reach *reach;
	char **root_names;
	size_t n_root_names;
	size_t n_unread;	// map variables the core did not save
	size_t n_unread_values;	// pointers and slices that may lead to maps, likewise
	char unread_example[160];
};

static void map_deinit(struct ms_scan_map *m);
static const char *keep_root_name(struct scan_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

const char *ms_found_by_str(enum ms_found_by bit)
{
	switch (bit) {
	case MS_FOUND_GLOBAL:
		return "global";
	case MS_FOUND_REACHABLE:
		return "reachable";
	case MS_FOUND_HEAP:
		return "heap-scan";
	case MS_FOUND_STACK:
		return "stack-scan";
	case MS_FOUND_GOROUTINE:
		return "goroutine";
	}
	return "?";
}

void ms_scan_map_where(const struct ms_scan_map *m, char *out, size_t size)
{
	if (m->found_by & MS_FOUND_GLOBAL)
		snprintf(out, size, "global");
	else if ((m->found_by & MS_FOUND_REACHABLE) && m->frame_points && m->frame_func)
		snprintf(out, size, "reachable, held by goroutine %" PRIu64 " in %s", m->goid,
			 m->frame_func);
	else if (m->found_by & MS_FOUND_REACHABLE)
		snprintf(out, size, "reachable");
	else if ((m->found_by & MS_FOUND_GOROUTINE) && m->goid)
		snprintf(out, size, "local of goroutine %" PRIu64, m->goid);
	else if (m->frame_points && m->frame_func)
		snprintf(out, size, "%s, held by goroutine %" PRIu64 " in %s",
			 m->found_by & MS_FOUND_STACK ? "stack" : "heap", m->goid, m->frame_func);
	else if ((m->found_by & MS_FOUND_STACK) && m->goid && m->frame_func)
		snprintf(out, size, "stack of goroutine %" PRIu64 " in %s", m->goid,
			 m->frame_func);
	else if ((m->found_by & MS_FOUND_STACK) && m->goid)
		snprintf(out, size, "stack of goroutine %" PRIu64, m->goid);
	else if (m->found_by & MS_FOUND_STACK)
		snprintf(out, size, "stack");
	else
		snprintf(out, size, "heap");
}

bool ms_scan_map_empty_untyped(const struct ms_scan_map *m)
{
	if (m->type || m->n_roots || !m->check.header_read || m->check.hdr.count)
		return false;
	return m->check.hdr.buckets == 0 && m->check.hdr.oldbuckets == 0 &&
	       m->check.hdr.dir_ptr == 0;
}

const char *ms_scan_map_type_name(const struct ms_scan_map *m)
{
	if (m->type && m->type->name && *m->type->name)
		return m->type->name;
	return "map[?]?";
}

static void add_note(struct ms_scan *sc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_note(struct ms_scan *sc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ms_strlist_addv(&sc->notes, &sc->n_notes, MAX_NOTES, fmt, ap);
	va_end(ap);
}

static void add_loss(struct ms_scan *sc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

// Something the scan could not examine: the results are partial.
static void add_loss(struct ms_scan *sc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ms_strlist_addv(&sc->losses, &sc->n_losses, MAX_NOTES, fmt, ap);
	va_end(ap);
}

// Memory adapter: the checker's view of the session.

static enum ms_ptr_class ptr_class(const struct ms_addr_info *ai)
{
	switch (ai->cls) {
	case MS_ADDR_HEAP_INUSE:
		return MS_PTR_HEAP;
	case MS_ADDR_HEAP_FREE:
	case MS_ADDR_HEAP_OTHER:
		return MS_PTR_HEAP_FREE;
	case MS_ADDR_STACK:
		return MS_PTR_STACK;
	case MS_ADDR_MODULE:
		return MS_PTR_MODULE;
	case MS_ADDR_MAPPING:
		return MS_PTR_MAPPING;
	case MS_ADDR_NOT_DUMPED:
		return MS_PTR_NOT_DUMPED;
	case MS_ADDR_UNMAPPED:
	default:
		return MS_PTR_UNMAPPED;
	}
}

static struct ms_error *mem_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	return ms_session_read(arg, addr, buf, len);
}

static const void *mem_borrow(void *arg, uint64_t addr, size_t len)
{
	return ms_session_borrow(arg, addr, len);
}

static void mem_will_read(void *arg, const void *p, size_t len)
{
	ms_addrspace_will_read(p, len);
}

static struct ms_error *mem_read_bulk(void *arg, uint64_t addr, void *buf, size_t len)
{
	return ms_session_read_bulk(arg, addr, buf, len);
}

/*
 * Classify @p addr for the checker. Describing it symbolizes, which is not
 * safe from several threads: @p describe_lock, when not NULL, is held
 * around it.
 */
static void classify_for_checker(struct ms_session *s, uint64_t addr,
				 struct ms_ptr_info *ret,
				 pthread_mutex_t *describe_lock)
{
	struct ms_addr_info ai;
	memset(ret, 0, sizeof(*ret));
	struct ms_error *err = ms_session_classify(s, addr, &ai);
	if (err) {
		ret->cls = MS_PTR_UNMAPPED;
		snprintf(ret->where, sizeof(ret->where), "%s", err->message);
		ms_error_destroy(err);
		return;
	}
	ret->cls = ptr_class(&ai);
	ret->object_known = ai.in_object && ai.cls == MS_ADDR_HEAP_INUSE;
	ret->object_base = ai.object_base;
	ret->object_size = ai.object_size;
	// Only a pointer the checker objects to is described (its reason says
	// where it leads); the tens of thousands of sound ones are not.
	if (ms_ptr_class_verdict(ret->cls) == MS_VERDICT_OK)
		return;
	if (describe_lock)
		pthread_mutex_lock(describe_lock);
	ms_describe_info(s, &ai, ret->where, sizeof(ret->where));
	if (describe_lock)
		pthread_mutex_unlock(describe_lock);
}

static void mem_classify(void *arg, uint64_t addr, struct ms_ptr_info *ret)
{
	classify_for_checker(arg, addr, ret, NULL);
}

// Index of maps by header.

static struct ms_error *index_grow(struct scan_ctx *ctx)
{
	size_t ncap = ctx->idx_cap ? 2 * ctx->idx_cap : 256;
	uint64_t *k = calloc(ncap, sizeof(*k));
	size_t *v = calloc(ncap, sizeof(*v));
	if (!k || !v) {
		free(k);
		free(v);
		return &ms_enomem;
	}
	for (size_t i = 0; i < ctx->idx_cap; i++) {
		if (!ctx->idx_key[i])
			continue;
		size_t j = (ctx->idx_key[i] * 0x9e3779b97f4a7c15ull >> 20) & (ncap - 1);
		while (k[j])
			j = (j + 1) & (ncap - 1);
		k[j] = ctx->idx_key[i];
		v[j] = ctx->idx_val[i];
	}
	free(ctx->idx_key);
	free(ctx->idx_val);
	ctx->idx_key = k;
	ctx->idx_val = v;
	ctx->idx_cap = ncap;
	return NULL;
}

static size_t *index_slot(uint64_t *keys, size_t *vals, size_t cap, uint64_t h,
			  bool *found)
{
	size_t j = (h * 0x9e3779b97f4a7c15ull >> 20) & (cap - 1);
	while (keys[j] && keys[j] != h)
		j = (j + 1) & (cap - 1);
	*found = keys[j] == h;
	return &vals[j];
}

static struct ms_scan_map *find_map(struct scan_ctx *ctx, uint64_t header)
{
	// 0 marks empty slots: no map has header 0 (unread map values have
	// it, and are not in the index).
	if (!ctx->idx_cap || !header)
		return NULL;
	bool found;
	size_t *v = index_slot(ctx->idx_key, ctx->idx_val, ctx->idx_cap, header, &found);
	return found ? &ctx->sc->maps[*v] : NULL;
}

// Room for one more map in sc->maps.
static struct ms_error *maps_reserve(struct scan_ctx *ctx)
{
	struct ms_scan *sc = ctx->sc;
	if (sc->n_maps == ctx->cap_maps) {
		size_t n = ctx->cap_maps ? 2 * ctx->cap_maps : 64;
		struct ms_scan_map *m = realloc(sc->maps, n * sizeof(*m));
		if (!m)
			return &ms_enomem;
		sc->maps = m;
		ctx->cap_maps = n;
	}
	return NULL;
}

static struct ms_error *new_map(struct scan_ctx *ctx, uint64_t header,
				struct ms_scan_map **ret)
{
	struct ms_scan *sc = ctx->sc;
	struct ms_error *err;
	if ((sc->n_maps + 1) * 2 > ctx->idx_cap && (err = index_grow(ctx)))
		return err;
	if ((err = maps_reserve(ctx)))
		return err;
	size_t j = (header * 0x9e3779b97f4a7c15ull >> 20) & (ctx->idx_cap - 1);
	while (ctx->idx_key[j])
		j = (j + 1) & (ctx->idx_cap - 1);
	ctx->idx_key[j] = header;
	ctx->idx_val[j] = sc->n_maps;
	struct ms_scan_map *m = &sc->maps[sc->n_maps++];
	memset(m, 0, sizeof(*m));
	m->header = header;
	m->type_module = SIZE_MAX;
	*ret = m;
	return NULL;
}

static struct ms_error *rt_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	return ms_session_read(arg, addr, buf, len);
}

/*
 * A Go module without DWARF still has the runtime's type descriptors in its
 * types range: its types come from them, its header layout from the
 * built-in tables of the Go version.
 */
static bool runtime_types_of(struct scan_ctx *ctx, struct ms_module *mod,
			     struct ms_types_runtime *rt)
{
	const struct ms_go_version *v = ms_session_go_version_parsed(ctx->s);
	const struct ms_range *r = &mod->ranges[MS_SECTION_TYPES];
	if (!mod->is_go || !v || r->end <= r->start)
		return false;
	*rt = (struct ms_types_runtime){
		.read = rt_read, .read_arg = ctx->s,
		.types_start = r->start, .types_end = r->end,
		.strided_maps = v->major == 1 && v->minor >= 27,
		.split_group = v->mapsplitgroup,
	};
	return true;
}

static void runtime_types(struct scan_ctx *ctx, struct ms_module *mod, struct mod_info *mi)
{
	struct ms_types_runtime rt;
	if (!runtime_types_of(ctx, mod, &rt))
		return;
	struct ms_error *err = ms_map_layout_builtin(ms_session_go_version_full(ctx->s),
						     &mi->layout);
	if (!err)
		err = ms_types_create_runtime(&rt, &mi->types);
	if (err) {
		ms_map_layout_destroy(mi->layout);
		mi->layout = NULL;
		ms_error_destroy(err);
	}
}

static struct mod_info *mod_info(struct scan_ctx *ctx, size_t i)
{
	struct mod_info *mi = &ctx->mods[i];
	if (mi->tried)
		return mi;
	mi->tried = true;
	struct ms_module *mod = ms_session_module(ctx->s, i);
	struct ms_dwarf *dw;
	struct ms_error *err = ms_module_dwarf(mod, &dw);
	if (err) {
		ms_error_destroy(err);
		runtime_types(ctx, mod, mi);
		return mi;
	}
	mi->dwarf = true;
	if ((err = ms_types_create(dw, &mi->types))) {
		add_note(ctx->sc, "%s: %s", mod->core_path, err->message);
		ms_error_destroy(err);
		return mi;
	}
	if ((err = ms_map_layout_from_dwarf(dw, &mi->layout))) {
		// A plugin built without the runtime's DWARF still has its own
		// map types; the executable's layout covers the headers.
		ms_error_destroy(err);
	}
	return mi;
}

// The shape for maps of type @p t declared in module @p mi.
static struct shape_slot *shape_slot(struct shape_slot *slots, size_t cap,
				      const struct ms_type *t)
{
	size_t j = ((uintptr_t)t * 0x9e3779b97f4a7c15ull >> 20) & (cap - 1);
	while (slots[j].type && slots[j].type != t)
		j = (j + 1) & (cap - 1);
	return &slots[j];
}

static bool shapes_grow(struct scan_ctx *ctx)
{
	size_t ncap = ctx->shapes_cap ? 2 * ctx->shapes_cap : 64;
	struct shape_slot *n = calloc(ncap, sizeof(*n));
	if (!n)
		return false;
	for (size_t i = 0; i < ctx->shapes_cap; i++)
		if (ctx->shapes[i].type)
			*shape_slot(n, ncap, ctx->shapes[i].type) = ctx->shapes[i];
	free(ctx->shapes);
	ctx->shapes = n;
	ctx->shapes_cap = ncap;
	return true;
}

static bool compute_shape(struct scan_ctx *ctx, size_t module,
			  const struct ms_type *t, struct ms_map_shape *ret)
{
	struct mod_info *mi = mod_info(ctx, module);
	const struct ms_map_layout *layout = mi->layout;
	if (!layout && ctx->n_mods)
		layout = mod_info(ctx, 0)->layout;
	if (!layout || !mi->types)
		return false;
	struct ms_error *err = ms_map_layout_shape(layout, mi->types, t, ret);
	if (err) {
		ms_error_destroy(err);
		return false;
	}
	return true;
}

// The shape of map type @p t of module @p module, computed once per type
// (a type belongs to one module's type set, so the pointer is the key).
static bool typed_shape(struct scan_ctx *ctx, size_t module,
			const struct ms_type *t, struct ms_map_shape *ret)
{
	if ((ctx->shapes_n + 1) * 2 > ctx->shapes_cap && !shapes_grow(ctx))
		return compute_shape(ctx, module, t, ret);
	struct shape_slot *slot = shape_slot(ctx->shapes, ctx->shapes_cap, t);
	if (!slot->type) {
		slot->type = t;
		slot->ok = compute_shape(ctx, module, t, &slot->shape);
		ctx->shapes_n++;
	}
	if (slot->ok)
		*ret = slot->shape;
	return slot->ok;
}

/*
 * The shape to judge @p m with (and its impl set), or false when it is
 * not judged (a map variable the core did not save, or no layout).
 */
static bool judge_shape(struct scan_ctx *ctx, struct ms_scan_map *m,
			struct ms_map_shape *shape)
{
	if (m->unread)
		return false;
	bool typed = m->type && m->type_module != SIZE_MAX &&
		     typed_shape(ctx, m->type_module, m->type, shape);
	if (!typed) {
		if (!ctx->have_untyped)
			return false;
		*shape = ctx->untyped;
	}
	m->impl = shape->impl;
	return true;
}

/*
 * The shape judge_shape() gave a judged @p m, in place: in the cache of
 * typed shapes (or the untyped one), which stays put while nothing is
 * added to it. NULL when the cache could not hold it (memory ran out).
 */
static const struct ms_map_shape *cached_shape(struct scan_ctx *ctx,
					       const struct ms_scan_map *m)
{
	if (!m->type || m->type_module == SIZE_MAX)
		return &ctx->untyped;
	if (!ctx->shapes_cap)
		return NULL;
	const struct shape_slot *slot = shape_slot(ctx->shapes, ctx->shapes_cap, m->type);
	if (slot->type != m->type)
		return NULL;
	return slot->ok ? &slot->shape : &ctx->untyped;
}

static struct ms_error *judge(struct scan_ctx *ctx, struct ms_scan_map *m)
{
	struct ms_map_shape shape;
	if (!judge_shape(ctx, m, &shape))
		return NULL;
	return ms_map_check(&ctx->mem, &shape, &ctx->limits, m->header, NULL, NULL,
			    &m->check);
}

/*
 * Judging every map found, on several threads. Each map's check depends
 * on that map and its shape alone and is written to that map only, so
 * the result is the same in any order and with any number of threads.
 * The session is only read (ms_session_prepare_threads() loaded what it
 * loads on first use); describing a pointer for a reason takes a lock.
 */
enum {
	JUDGE_CHUNK = 4,	// maps taken at a time by a thread
	MAX_JOBS = 64,
};

struct judge_run {
	struct scan_ctx *ctx;
	struct ms_map_memory mem;
	const struct ms_map_shape *const *shapes;	// per map
	const size_t *order;			// the maps, in the order taken
	size_t n_heavy, next_heavy;		// the first n_heavy taken one at a time
	const bool *judged;			// per map: judge it
	size_t n, next;				// next: taken atomically
	bool stop;				// an error: no new maps
	pthread_mutex_t lock;			// describe, and the error below
	size_t err_index;			// the first failing map, by index
	struct ms_error *err;
};

static struct ms_error *run_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	struct judge_run *jr = arg;
	return ms_session_read(jr->ctx->s, addr, buf, len);
}

static const void *run_borrow(void *arg, uint64_t addr, size_t len)
{
	struct judge_run *jr = arg;
	return ms_session_borrow(jr->ctx->s, addr, len);
}

static struct ms_error *run_read_bulk(void *arg, uint64_t addr, void *buf, size_t len)
{
	struct judge_run *jr = arg;
	return ms_session_read_bulk(jr->ctx->s, addr, buf, len);
}

static void run_classify(void *arg, uint64_t addr, struct ms_ptr_info *ret)
{
	struct judge_run *jr = arg;
	classify_for_checker(jr->ctx->s, addr, ret, &jr->lock);
}

static void *judge_worker(void *arg)
{
	struct judge_run *jr = arg;
	struct ms_scan_map *maps = jr->ctx->sc->maps;
	while (!__atomic_load_n(&jr->stop, __ATOMIC_RELAXED)) {
		size_t k = __atomic_fetch_add(&jr->next_heavy, 1, __ATOMIC_RELAXED), end;
		if (k < jr->n_heavy) {
			end = k + 1;
		} else {
			k = jr->n_heavy + __atomic_fetch_add(&jr->next, JUDGE_CHUNK, __ATOMIC_RELAXED);
			if (k >= jr->n)
				break;
			end = jr->n - k < JUDGE_CHUNK ? jr->n : k + JUDGE_CHUNK;
		}
		for (; k < end; k++) {
			size_t i = jr->order[k];
			if (!jr->judged[i])
				continue;
			struct ms_error *err = ms_map_check(&jr->mem, jr->shapes[i],
							    &jr->ctx->limits, maps[i].header,
							    NULL, NULL, &maps[i].check);
			if (!err)
				continue;
			pthread_mutex_lock(&jr->lock);
			if (!jr->err || i < jr->err_index) {
				ms_error_destroy(jr->err);
				jr->err = err;
				jr->err_index = i;
			} else {
				ms_error_destroy(err);
			}
			pthread_mutex_unlock(&jr->lock);
			__atomic_store_n(&jr->stop, true, __ATOMIC_RELAXED);
			return NULL;
		}
	}
	return NULL;
}

// The work of judging a map, roughly: its entries times the bytes of a
// bucket or group for eight of them (the header's count; 0 unreadable).
static uint64_t judge_weight(struct scan_ctx *ctx, const struct ms_map_shape *shape,
			     uint64_t header)
{
	uint32_t off = shape->impl == MS_MAP_SWISS ? shape->swiss.used : shape->hmap.count;
	const uint8_t *p = ms_session_borrow(ctx->s, header + off, 8);
	if (!p)
		return 0;
	uint64_t count = ms_load_u64(p);
	if (count > (UINT64_C(1) << 40))
		count = UINT64_C(1) << 40;
	return count * (shape->bucket_size ? shape->bucket_size : 8) / 8;
}

static int weight_cmp(const void *a, const void *b, void *arg)
{
	const uint64_t *w = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	if (w[i] != w[j])
		return w[i] > w[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

/*
 * The order the threads take the maps in: the heavy ones (each more than
 * 1/256 of all the work) first, heaviest first, then the others in turn.
 * A map holding a tenth of the heap taken last would leave the other
 * threads idle while it is judged. The output does not depend on it.
 */
static size_t *judge_order(struct scan_ctx *ctx, const struct ms_map_shape *const *shapes,
			   const bool *judged, size_t *n_heavy)
{
	size_t n = ctx->sc->n_maps;
	size_t *order = malloc((n ? n : 1) * sizeof(*order));
	uint64_t *w = calloc(n ? n : 1, sizeof(*w));
	if (!order || !w) {
		free(order);
		free(w);
		return NULL;
	}
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		if (judged[i])
			w[i] = judge_weight(ctx, shapes[i], ctx->sc->maps[i].header);
		total += w[i];
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (w[i] > total / 256)
			order[k++] = i;
	qsort_r(order, k, sizeof(*order), weight_cmp, w);
	*n_heavy = k;
	for (size_t i = 0; i < n; i++)
		if (!(w[i] > total / 256))
			order[k++] = i;
	free(w);
	return order;
}

static unsigned judge_jobs(const struct ms_scan_options *opts, size_t n_maps)
{
	long n = opts && opts->jobs ? (long)opts->jobs : sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	if (n > MAX_JOBS)
		n = MAX_JOBS;
	// A thread for fewer than a chunk of maps costs more than it saves.
	if ((size_t)n > n_maps / JUDGE_CHUNK)
		n = n_maps / JUDGE_CHUNK ? (long)(n_maps / JUDGE_CHUNK) : 1;
	return (unsigned)n;
}

static struct ms_error *judge_all(struct scan_ctx *ctx, unsigned jobs)
{
	struct ms_scan *sc = ctx->sc;
	size_t n = sc->n_maps ? sc->n_maps : 1;
	// A pointer to each map's shape, not a copy: maps share a few
	// shapes, and 184 bytes for each of 10,000 maps were 450 pages of
	// fresh memory, a page fault each.
	const struct ms_map_shape **shapes = calloc(n, sizeof(*shapes));
	bool *judged = calloc(n, sizeof(*judged));
	struct ms_map_shape *copies = NULL;	// for shapes the cache could not hold
	size_t *order = NULL;
	struct ms_error *err = NULL;
	if (!shapes || !judged) {
		err = &ms_enomem;
		goto out;
	}
	// Shapes first, on this thread: they read DWARF and fill caches.
	for (size_t i = 0; i < sc->n_maps; i++) {
		struct ms_map_shape shape;
		judged[i] = judge_shape(ctx, &sc->maps[i], &shape);
	}
	// Then, with the cache complete, where each one is.
	for (size_t i = 0; i < sc->n_maps; i++) {
		if (!judged[i] || (shapes[i] = cached_shape(ctx, &sc->maps[i])))
			continue;
		if (!copies && !(copies = calloc(n, sizeof(*copies)))) {
			err = &ms_enomem;
			goto out;
		}
		judge_shape(ctx, &sc->maps[i], &copies[i]);
		shapes[i] = &copies[i];
	}
	struct judge_run jr = {
		.ctx = ctx, .shapes = shapes, .judged = judged, .n = sc->n_maps,
	};
	if (jobs <= 1) {
		for (size_t i = 0; i < sc->n_maps && !err; i++)
			if (judged[i])
				err = ms_map_check(&ctx->mem, shapes[i], &ctx->limits,
						   sc->maps[i].header, NULL, NULL,
						   &sc->maps[i].check);
		goto out;
	}
	if (!(order = judge_order(ctx, shapes, judged, &jr.n_heavy))) {
		err = &ms_enomem;
		goto out;
	}
	jr.order = order;
	jr.mem = (struct ms_map_memory){ run_read, run_classify, &jr, run_borrow,
					 mem_will_read, run_read_bulk };
	pthread_mutex_init(&jr.lock, NULL);
	ms_session_prepare_threads(ctx->s);
	pthread_t threads[MAX_JOBS];
	unsigned started = 0;
	// This thread is one of the jobs; a thread that cannot be started
	// leaves its share to the others.
	while (started + 1 < jobs &&
	       pthread_create(&threads[started], NULL, judge_worker, &jr) == 0)
		started++;
	judge_worker(&jr);
	for (unsigned t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	pthread_mutex_destroy(&jr.lock);
	err = jr.err;
out:
	free(order);
	free(copies);
	free(shapes);
	free(judged);
	return err;
}

/*
 * A new root of @p m, zeroed but for its path (a copy of @p path); NULL
 * when memory runs out.
 */
static struct ms_scan_root *push_root(struct ms_scan_map *m, const char *path)
{
	struct ms_scan_root *r = realloc(m->roots, (m->n_roots + 1) * sizeof(*r));
	if (!r)
		return NULL;
	m->roots = r;
	r = &m->roots[m->n_roots];
	memset(r, 0, sizeof(*r));
	if (!(r->path = strdup(path)))
		return NULL;
	m->n_roots++;
	return r;
}

// Record that @p m is reached through @p path from the slot at @p slot.
static struct ms_error *add_root(struct scan_ctx *ctx, struct ms_scan_map *m,
				 const char *path, uint64_t slot)
{
	bool direct = strchr(path, '.') == strrchr(path, '.') &&
		      !strpbrk(path, "[*({");
	if (ctx->cur_frame)
		m->found_by |= MS_FOUND_GOROUTINE;
	else
		m->found_by |= direct ? MS_FOUND_GLOBAL : MS_FOUND_REACHABLE;
	for (size_t i = 0; i < m->n_roots; i++)
		if (m->roots[i].slot == slot)
			return NULL;
	struct ms_scan_root *r = push_root(m, path);
	if (!r)
		return &ms_enomem;
	r->module = ctx->cur_module;
	if (ctx->overlay_len && slot >= ctx->overlay_at && slot - ctx->overlay_at < ctx->overlay_len)
		slot = ctx->overlay_words[(slot - ctx->overlay_at) / 8] + (slot - ctx->overlay_at) % 8;
	r->slot = slot;
	if (ctx->cur_root_name_temp && ctx->cur_root_name) {
		const char *kept = keep_root_name(ctx, "%s", ctx->cur_root_name);
		if (!kept)
			return &ms_enomem;
		ctx->cur_root_name = kept;
		ctx->cur_root_name_temp = false;
	}
	r->var = ctx->cur_global ? ctx->cur_global->name : ctx->cur_root_name;
	r->var_addr = ctx->cur_global ? ctx->cur_global->address +
		      ms_session_module(ctx->s, ctx->cur_module)->bias : ctx->cur_root_addr;
	r->var_size = ctx->cur_global && ctx->cur_global->type
		      ? ctx->cur_global->type->size : ctx->cur_root_size;
	const struct ms_scan_root *f = ctx->cur_frame;
	r->goid = f ? f->goid : 0;
	r->func = f ? f->func : NULL;
	r->file = f ? f->file : NULL;
	r->line = f ? f->line : 0;
	r->local = f ? f->local : NULL;
	r->arg = f && f->arg;
	r->in_register = f && f->in_register;
	if (f && m->n_roots == 1)
		m->goid = f->goid;
	return NULL;
}

/*
 * Record a root of @p m found through a module's GC pointer mask: the
 * word @p slot holds the map, @p var (at @p var_addr, in @p sec) is the
 * variable it belongs to, named or not.
 */
static struct ms_error *add_mask_root(struct ms_scan_map *m, const char *path, const char *var,
				      size_t module, enum ms_section sec, uint64_t var_addr,
				      uint64_t slot, bool unnamed)
{
	struct ms_scan_root *r = push_root(m, path);
	if (!r)
		return &ms_enomem;
	r->module = module;
	r->slot = slot;
	r->var = var;
	r->var_addr = var_addr;
	r->var_size = 8;
	r->unnamed = unnamed;
	r->from_mask = true;
	r->section = sec;
	return NULL;
}

// Record that the unnamed word at @p slot in @p sec of module @p module holds @p m.
static struct ms_error *add_unnamed_root(struct scan_ctx *ctx, struct ms_scan_map *m,
					 size_t module, enum ms_section sec, uint64_t slot)
{
	for (size_t i = 0; i < m->n_roots; i++)
		if (m->roots[i].slot == slot)
			return NULL;
	// A plugin keeps the dynamic symbols of its exported variables: the
	// word a symbol starts at has its name back.
	struct ms_module *mod = ms_session_module(ctx->s, module);
	const char *sym = NULL;
	uint64_t off = 1;
	struct ms_error *err = ms_module_symbolize(mod, slot, &sym, &off);
	if (err == &ms_enomem)
		return err;
	ms_error_destroy(err);
	bool named = !err && off == 0 && sym && *sym;
	const char *name = named ? keep_root_name(ctx, "%s", sym)
			   : keep_root_name(ctx, "unnamed .%s 0x%" PRIx64, ms_section_name(sec), slot);
	if (!name)
		return &ms_enomem;
	if ((err = add_mask_root(m, name, name, module, sec, slot, slot, !named)))
		return err;
	m->found_by |= MS_FOUND_GLOBAL;
	return NULL;
}

/*
 * Record that the word at @p slot, inside the heap object that the unnamed
 * word @p word of @p sec points to, holds @p m: @p path says how
 * (".bss 0x5cf210 -> [3]", "*(.bss 0x5cf210)").
 */
static struct ms_error *add_indirect_root(struct scan_ctx *ctx, struct ms_scan_map *m,
					  size_t module, enum ms_section sec, uint64_t word,
					  uint64_t slot, const char *path)
{
	const char *name = keep_root_name(ctx, "unnamed %s", path);
	const char *var = keep_root_name(ctx, "unnamed .%s 0x%" PRIx64, ms_section_name(sec), word);
	if (!name || !var)
		return &ms_enomem;
	struct ms_error *err = add_mask_root(m, name, var, module, sec, word, slot, true);
	if (err)
		return err;
	m->found_by |= MS_FOUND_REACHABLE;
	return NULL;
}

// Reachability callbacks.

static struct ms_error *on_map(void *arg, uint64_t header,
			       const struct ms_type *t, const char *path,
			       uint64_t slot)
{
	struct scan_ctx *ctx = arg;
	struct ms_scan_map *m = find_map(ctx, header);
	struct ms_error *err;
	if (!m) {
		if ((err = new_map(ctx, header, &m)))
			return err;
		m->type = t;
		m->type_module = ctx->cur_module;
		m->confidence = 100;
	} else if (ctx->cur_root_name && m->n_roots) {
		// A walk from a heap object or a find reached a map a global
		// already names: the global's path is the one to show.
		return NULL;
	} else if (!m->type || m->confidence < 100) {
		// A heap or stack find reached by a typed walk: the walk's
		// type is the compiler's, not an inference.
		m->type = t;
		m->type_module = ctx->cur_module;
		m->confidence = 100;
		m->type_candidates = 1;
	}
	return add_root(ctx, m, path, slot);
}

/*
 * A value on the way to maps that the core did not save. A map variable
 * whose header pointer is not there is listed as a map with verdict
 * not-dumped, once per address; pointers and slices that may lead to maps
 * are counted for one loss line. What was not examined is said, never
 * dropped.
 */
static struct ms_error *on_unread(void *arg, uint64_t addr, const struct ms_type *t,
				  const char *path, const struct ms_error *err)
{
	struct scan_ctx *ctx = arg;
	struct ms_scan *sc = ctx->sc;
	// Unmapped memory behind a pointer is no map of ours to list; memory
	// never written holds zeros, a nil map (a plugin's unused copy of the
	// runtime's bss).
	if (err->code != MS_ERR_FAULT || err->fault == MS_FAULT_UNMAPPED ||
	    ms_session_never_written(ctx->s, addr))
		return NULL;
	// A pointer, slice or struct that may lead to maps: counted, and
	// said once, since the runtime's own globals hold hundreds of them.
	if (!t || t->kind != MS_KIND_MAP) {
		if (!ctx->n_unread_values++)
			snprintf(ctx->unread_example, sizeof(ctx->unread_example),
				 "%s at 0x%" PRIx64, path, addr);
		return NULL;
	}
	for (size_t i = 0; i < sc->n_maps; i++)
		if (sc->maps[i].unread && sc->maps[i].roots[0].slot == addr)
			return NULL;
	if (ctx->n_unread >= MAX_UNREAD) {
		if (ctx->n_unread++ == MAX_UNREAD)
			add_loss(sc, "more than %d map variables not saved in the core; the rest are not listed",
				 MAX_UNREAD);
		return NULL;
	}
	ctx->n_unread++;
	struct ms_error *e = maps_reserve(ctx);
	if (e)
		return e;
	struct ms_scan_map *m = &sc->maps[sc->n_maps++];
	memset(m, 0, sizeof(*m));
	m->unread = true;
	m->confidence = 100;
	m->type = t;
	m->type_module = ctx->cur_module;
	if ((e = add_root(ctx, m, path, addr)))
		return e;
	struct ms_map_check *c = &m->check;
	c->verdict = MS_VERDICT_NOT_DUMPED;
	c->reasons = calloc(1, sizeof(*c->reasons));
	if (!c->reasons)
		return &ms_enomem;
	c->n_reasons = 1;
	struct ms_map_reason *r = c->reasons;
	r->verdict = MS_VERDICT_NOT_DUMPED;
	r->pointer = addr;
	r->cls = MS_PTR_NOT_DUMPED;
	snprintf(r->field, sizeof(r->field), "variable");
	snprintf(r->detail, sizeof(r->detail),
		 "%s at 0x%" PRIx64 " is not in the core: the map was not judged",
		 path, addr);
	return NULL;
}

struct entries_ctx {
	ms_map_entry_fn *fn;
	void *arg;
};

static struct ms_error *map_entries(void *arg, uint64_t header,
				    const struct ms_type *t, ms_map_entry_fn *fn,
				    void *fn_arg)
{
	struct scan_ctx *ctx = arg;
	struct ms_map_shape shape;
	if (!typed_shape(ctx, ctx->cur_module, t, &shape))
		return NULL;
	struct ms_map_check c;
	struct ms_error *err = ms_map_check(&ctx->mem, &shape, &ctx->limits, header,
					    fn, fn_arg, &c);
	ms_map_check_deinit(&c);
	return err;
}

// The type whose runtime descriptor is at @p addr, and its module.
static const struct ms_type *runtime_type_at(struct scan_ctx *ctx, uint64_t addr,
					     size_t *module)
{
	// The descriptor lies in some module's types range; ask that module.
	// DW_AT_go_runtime_type is an offset from the module's runtime.types
	// (cmd/link writes a section offset), not a link-time address.
	for (size_t i = 0; i < ctx->n_mods; i++) {
		const struct ms_module *mod = ms_session_module(ctx->s, i);
		const struct ms_range *r = &mod->ranges[MS_SECTION_TYPES];
		if (addr < r->start || addr >= r->end)
			continue;
		struct mod_info *mi = mod_info(ctx, i);
		const struct ms_type *t = NULL;
		if (mi->types) {
			struct ms_error *err =
				ms_types_by_runtime_type(mi->types, addr - r->start, &t);
			ms_error_destroy(err);
		}
		*module = i;
		return t;
	}
	return NULL;
}

static const struct ms_type *dyn_type(void *arg, uint64_t addr)
{
	size_t module;
	return runtime_type_at(arg, addr, &module);
}

/*
 * A frame variable whose words the compiler keeps in separate stack slots
 * (a slice's pointer and length apart) is put together here and walked
 * from this address, which no x86-64 process can map (it is not
 * canonical); the slots it names are the real words' (add_root).
 */
static const uint64_t OVERLAY_BASE = UINT64_C(0xfff0000000000000);

static struct ms_error *reach_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	struct scan_ctx *ctx = arg;
	if (ctx->overlay_len && addr >= ctx->overlay_at && addr - ctx->overlay_at < ctx->overlay_len) {
		uint64_t off = addr - ctx->overlay_at;
		if (len > ctx->overlay_len - off)
			return ms_error_create(MS_ERR_FAULT, "0x%" PRIx64 ": past a frame variable",
					       addr);
		memcpy(buf, ctx->overlay + off, len);
		return NULL;
	}
	return ms_session_read(ctx->s, addr, buf, len);
}

static struct ms_error *walk_globals(struct scan_ctx *ctx)
{
	struct ms_reach_ops ops = {
		.read = reach_read,
		.on_map = on_map,
		.map_entries = map_entries,
		.dyn_type = dyn_type,
		.on_unread = on_unread,
		.arg = ctx,
	};
	struct ms_error *err = ms_reach_create(&ops, NULL, &ctx->reach);
	if (err)
		return err;
	struct ms_reach *r = ctx->reach;
	for (size_t i = 0; i < ctx->n_mods && !err; i++) {
		struct mod_info *mi = mod_info(ctx, i);
		if (!mi->types)
			continue;
		const struct ms_module *mod = ms_session_module(ctx->s, i);
		const struct ms_global *g;
		size_t n;
		if ((err = ms_types_globals(mi->types, &g, &n))) {
			add_loss(ctx->sc, "%s: globals not read: %s", mod->core_path,
				 err->message);
			ms_error_destroy(err);
			err = NULL;
			continue;
		}
		ctx->cur_module = i;
		for (size_t j = 0; j < n && !err; j++) {
			if (!g[j].type || !ms_type_may_contain_map(g[j].type))
				continue;
			ctx->cur_global = &g[j];
			err = ms_reach_walk(r, g[j].address + mod->bias, g[j].type,
					    g[j].name);
		}
	}
	ctx->cur_global = NULL;
	if (ctx->n_unread_values)
		add_loss(ctx->sc, "%zu pointer%s that may lead to maps %s not saved in the core (the first: %s): maps only they reach were not looked for",
			 ctx->n_unread_values, ctx->n_unread_values == 1 ? "" : "s",
			 ctx->n_unread_values == 1 ? "was" : "were", ctx->unread_example);
	ctx->sc->walk_truncated = ms_reach_truncated(r);
	return err;
}

/*
 * Goroutine roots: every frame of every goroutine, outermost first (a map
 * passed down a call chain is named after the caller that declared it),
 * has its parameters and locals read from the DWARF of its module at the
 * frame's pc. Each one whose type may hold a map is walked like a global,
 * from the stack slot its location gives; its root reads "goroutine 17
 * main.(*Server).handle (server.go:88) local sessions".
 */

// An interface parameter or local and the words of it the frame keeps.
struct iface_local {
	struct ms_scan_root fr;
	size_t module;
	uint64_t words[2];
};

struct frame_walk {
	struct scan_ctx *ctx;
	struct mod_info *mi;
	const struct ms_goroutine *g;
	const struct ms_frame *frames;	// the physical frame's group, innermost first
	size_t n_frames;
	struct ms_error *err;
};

// The module index of @p mod.
static size_t module_index(struct scan_ctx *ctx, const struct ms_module *mod)
{
	for (size_t i = 0; i < ctx->n_mods; i++)
		if (ms_session_module(ctx->s, i) == mod)
			return i;
	return SIZE_MAX;
}

static struct ms_func_index *mod_funcs(struct scan_ctx *ctx, size_t i)
{
	struct mod_info *mi = mod_info(ctx, i);
	if (mi->funcs_tried)
		return mi->funcs;
	mi->funcs_tried = true;
	struct ms_dwarf *dw;
	struct ms_error *err = mi->dwarf ? ms_module_dwarf(ms_session_module(ctx->s, i), &dw)
		: ms_error_create(MS_ERR_NOT_FOUND, "no DWARF");
	if (!err)
		err = ms_func_index_create(dw, &mi->funcs);
	ms_error_destroy(err);
	return mi->funcs;
}

static const char *base_name(const char *path)
{
	const char *b = path ? strrchr(path, '/') : NULL;
	return b ? b + 1 : path ? path : "?";
}

static const struct ms_frame *var_frame(const struct frame_walk *fw,
				       const struct ms_frame_var *v)
{
	// Inlined callees' frames come first in the group: depth d is the
	// frame d places above the physical one.
	if (v->depth < fw->n_frames)
		return &fw->frames[fw->n_frames - 1 - v->depth];
	return &fw->frames[fw->n_frames - 1];
}

// The root a frame variable makes, and its name into @p name.
static void frame_root_name(const struct frame_walk *fw, const struct ms_frame_var *v,
			    struct ms_scan_root *fr, char *name, size_t size)
{
	const struct ms_frame *f = var_frame(fw, v);
	*fr = (struct ms_scan_root){
		.goid = fw->g->goid, .func = v->depth ? v->func : f->func,
		.file = f->file, .line = f->line, .local = v->name, .arg = v->param,
		.in_register = v->where == MS_VAR_REGISTER,
	};
	snprintf(name, size, "goroutine %" PRIu64 " %s (%s:%d) %s %s", fr->goid, fr->func,
		 base_name(fr->file), (int)fr->line, fr->arg ? "arg" : "local", fr->local);
}

/*
 * An interface whose dynamic type the compiler knew may have its type word
 * dropped from the frame (DWARF gives an empty piece, or a slot whose type
 * word was never stored): its data word is kept, and matched against the
 * maps the heap scan finds (attach_iface_locals).
 */
static struct ms_error *remember_iface(struct frame_walk *fw, const struct ms_frame_var *v)
{
	struct scan_ctx *ctx = fw->ctx;
	if (ctx->n_iface_locals == ctx->cap_iface_locals) {
		size_t cap = ctx->cap_iface_locals ? 2 * ctx->cap_iface_locals : 32;
		struct iface_local *n = realloc(ctx->iface_locals, cap * sizeof(*n));
		if (!n)
			return &ms_enomem;
		ctx->iface_locals = n;
		ctx->cap_iface_locals = cap;
	}
	struct iface_local *il = &ctx->iface_locals[ctx->n_iface_locals];
	char name[256];
	frame_root_name(fw, v, &il->fr, name, sizeof(name));
	il->module = ctx->cur_module;
	il->words[0] = v->word_addr[0];
	il->words[1] = v->word_addr[1];
	ctx->n_iface_locals++;
	return NULL;
}

/*
 * A frame variable as read from the DWARF, relative to its frame's cfa:
 * frames of goroutines parked at the same pc (a worker pool) and the
 * walk's passes read the DWARF once.
 */
struct fv_ent {
	const char *name, *func;	// borrowed from the DWARF
	const struct ms_type *t;
	unsigned depth;
	bool param;
	enum ms_var_where where;
	uint64_t off, value;		// memory: the address less the cfa; register: the value
	uint64_t word_off[4];		// likewise per word; 0 when not in the frame
	bool word_known[4];
	const char *why;
};

struct fv_slot {
	size_t mod;
	uint64_t entry, pc;
	size_t first, n;
	bool used;
};

struct fv_collect {
	struct scan_ctx *ctx;
	struct mod_info *mi;
	uint64_t cfa;
	struct fv_ent *v;
	size_t n, cap;
};

static struct ms_error *collect_frame_var(void *arg, const struct ms_frame_var *v)
{
	struct fv_collect *fc = arg;
	// The compiler's temporaries and results without a name.
	if (!v->name || v->name[0] == '.' || !v->name[0])
		return NULL;
	const struct ms_type *t;
	struct ms_error *err = ms_types_from_die(fc->mi->types, (Dwarf_Die *)&v->type, &t);
	if (err) {
		ms_error_destroy(err);
		return NULL;
	}
	if (!t || !ms_type_may_contain_map(t))
		return NULL;
	if (fc->n == fc->cap) {
		size_t cap = fc->cap ? 2 * fc->cap : 16;
		struct fv_ent *n = realloc(fc->v, cap * sizeof(*n));
		if (!n)
			return &ms_enomem;
		fc->v = n;
		fc->cap = cap;
	}
	struct fv_ent *e = &fc->v[fc->n++];
	*e = (struct fv_ent){ .name = v->name, .func = v->func, .t = t, .depth = v->depth,
			      .param = v->param, .where = v->where, .why = v->why };
	e->off = v->where == MS_VAR_MEMORY ? v->addr - fc->cfa : 0;
	e->value = v->value;
	for (int i = 0; i < 4; i++) {
		e->word_known[i] = v->word_addr[i] != 0;
		e->word_off[i] = v->word_addr[i] - fc->cfa;
	}
	return NULL;
}

static struct ms_error *process_frame_var(struct frame_walk *fw, const struct fv_ent *e,
					  uint64_t cfa, bool innermost)
{
	struct scan_ctx *ctx = fw->ctx;
	const struct ms_type *t = e->t;
	struct ms_error *err = NULL;
	struct ms_frame_var v = { .name = e->name, .param = e->param, .depth = e->depth,
				  .func = e->func, .where = e->where, .value = e->value,
				  .why = e->why };
	v.addr = e->where == MS_VAR_MEMORY ? cfa + e->off : 0;
	for (int i = 0; i < 4; i++)
		v.word_addr[i] = e->word_known[i] ? cfa + e->word_off[i] : 0;
	if (ctx->frames_final && t->kind == MS_KIND_INTERFACE &&
	    (v.word_addr[0] || v.word_addr[1]) && (err = remember_iface(fw, &v)))
		return err;
	// Every word in the frame, in slots of their own: put together.
	bool all_words = v.where == MS_VAR_LOST && t->size && t->size <= 32 && t->size % 8 == 0;
	for (uint64_t w = 0; all_words && w < t->size / 8; w++)
		all_words = v.word_addr[w] != 0;
	if (all_words) {
		for (uint64_t w = 0; w < t->size / 8; w++) {
			uint64_t word;
			if (!ms_session_try_read_u64(ctx->s, v.word_addr[w], &word)) {
				all_words = false;
				break;
			}
			for (int b = 0; b < 8; b++)
				ctx->overlay[8 * w + (uint64_t)b] = (uint8_t)(word >> (8 * b));
			ctx->overlay_words[w] = v.word_addr[w];
		}
	}
	if (all_words) {
		v.where = MS_VAR_MEMORY;
		ctx->overlay_at = OVERLAY_BASE + (ctx->overlay_seq++ << 6);
		v.addr = ctx->overlay_at;
		ctx->overlay_len = t->size;
	}
	if (v.where == MS_VAR_LOST) {
		// Go keeps no register across a call: what a caller's frame
		// had in a register is dead for the program too. Only the
		// innermost frame's registers, when the core lacks them, are
		// a loss; interfaces may hold anything and are not counted.
		if (ctx->frames_final && innermost && t->kind != MS_KIND_INTERFACE)
			ctx->sc->locals_lost++;
		return NULL;
	}
	struct ms_scan_root fr;
	char name[256];
	frame_root_name(fw, &v, &fr, name, sizeof(name));
	ctx->cur_frame = &fr;
	ctx->cur_root_name = name;
	ctx->cur_root_name_temp = true;
	ctx->cur_root_addr = v.where != MS_VAR_MEMORY ? 0
			     : ctx->overlay_len ? ctx->overlay_words[0] : v.addr;
	ctx->cur_root_size = t->size;
	if (v.where == MS_VAR_MEMORY) {
		err = ms_reach_walk(ctx->reach, v.addr, t, name);
	} else if (t->kind == MS_KIND_MAP && v.value) {
		// A register holds the header pointer itself.
		if (!(err = on_map(ctx, v.value, t, name, 0)))
			err = ms_reach_walk_map(ctx->reach, v.value, t, name);
	} else if (t->kind == MS_KIND_POINTER && v.value && t->elem) {
		char star[260];
		snprintf(star, sizeof(star), "*%s", name);
		err = ms_reach_walk(ctx->reach, v.value, t->elem,
				    t->elem->kind == MS_KIND_MAP ? star : name);
	}
	ctx->cur_frame = NULL;
	ctx->cur_root_name = NULL;
	ctx->cur_root_name_temp = false;
	ctx->overlay_len = 0;
	return err;
}

static size_t fv_hash(size_t mod, uint64_t entry, uint64_t pc, size_t cap)
{
	uint64_t h = (entry * 0x9e3779b97f4a7c15ull) ^ (pc * 0xbf58476d1ce4e5b9ull) ^ mod;
	return (size_t)(h ^ (h >> 31)) & (cap - 1);
}

// The variables of a frame at (module, entry, pc), read once.
static struct ms_error *frame_vars_cached(struct scan_ctx *ctx, size_t mod,
					  struct ms_func_index *fi, uint64_t entry,
					  uint64_t pc, const struct fv_ent **ret, size_t *n_ret)
{
	if ((ctx->fv_used + 1) * 2 > ctx->fv_cap) {
		size_t ncap = ctx->fv_cap ? 2 * ctx->fv_cap : 256;
		struct fv_slot *ns = calloc(ncap, sizeof(*ns));
		if (!ns)
			return &ms_enomem;
		for (size_t i = 0; i < ctx->fv_cap; i++) {
			if (!ctx->fv_slots[i].used)
				continue;
			size_t j = fv_hash(ctx->fv_slots[i].mod, ctx->fv_slots[i].entry,
					   ctx->fv_slots[i].pc, ncap);
			while (ns[j].used)
				j = (j + 1) & (ncap - 1);
			ns[j] = ctx->fv_slots[i];
		}
		free(ctx->fv_slots);
		ctx->fv_slots = ns;
		ctx->fv_cap = ncap;
	}
	size_t j = fv_hash(mod, entry, pc, ctx->fv_cap);
	while (ctx->fv_slots[j].used) {
		struct fv_slot *sl = &ctx->fv_slots[j];
		if (sl->mod == mod && sl->entry == entry && sl->pc == pc) {
			*ret = ctx->fv_ents + sl->first;
			*n_ret = sl->n;
			return NULL;
		}
		j = (j + 1) & (ctx->fv_cap - 1);
	}
	struct fv_collect fc = { ctx, mod_info(ctx, mod), 0, NULL, 0, 0 };
	struct ms_error *err = ms_frame_vars(fi, entry, pc, 0, NULL, collect_frame_var, &fc);
	if (err && err != &ms_enomem && err->code == MS_ERR_NOT_FOUND) {
		// Assembly and functions without DWARF.
		ms_error_destroy(err);
		err = NULL;
	}
	if (err) {
		free(fc.v);
		return err;
	}
	if (ctx->n_fv_ents + fc.n > ctx->cap_fv_ents) {
		size_t cap = ctx->cap_fv_ents ? 2 * ctx->cap_fv_ents : 256;
		while (cap < ctx->n_fv_ents + fc.n)
			cap *= 2;
		struct fv_ent *n = realloc(ctx->fv_ents, cap * sizeof(*n));
		if (!n) {
			free(fc.v);
			return &ms_enomem;
		}
		ctx->fv_ents = n;
		ctx->cap_fv_ents = cap;
	}
	if (fc.n)
		memcpy(ctx->fv_ents + ctx->n_fv_ents, fc.v, fc.n * sizeof(*fc.v));
	free(fc.v);
	ctx->fv_slots[j] = (struct fv_slot){ mod, entry, pc, ctx->n_fv_ents, fc.n, true };
	ctx->fv_used++;
	ctx->n_fv_ents += fc.n;
	*ret = ctx->fv_ents + ctx->fv_slots[j].first;
	*n_ret = fc.n;
	return NULL;
}

// The DWARF-numbered registers of the thread running @p g, when its
// innermost frame came from them.
static bool thread_regs(struct scan_ctx *ctx, const struct ms_goroutine *g,
			uint64_t regs[MS_DWARF_X86_REGS])
{
	static const unsigned order[MS_DWARF_X86_REGS] = {
		MS_REG_RAX, MS_REG_RDX, MS_REG_RCX, MS_REG_RBX, MS_REG_RSI, MS_REG_RDI,
		MS_REG_RBP, MS_REG_RSP, MS_REG_R8, MS_REG_R9, MS_REG_R10, MS_REG_R11,
		MS_REG_R12, MS_REG_R13, MS_REG_R14, MS_REG_R15, MS_REG_RIP,
	};
	if (g->context != MS_G_CONTEXT_THREAD || !g->tid)
		return false;
	for (size_t i = 0; i < ms_session_thread_count(ctx->s); i++) {
		const struct ms_core_thread *t = ms_session_thread(ctx->s, i);
		if (t->tid != g->tid)
			continue;
		for (size_t r = 0; r < MS_DWARF_X86_REGS; r++)
			regs[r] = t->regs[order[r]];
		return true;
	}
	return false;
}

// The registers the kernel saved for a frame a signal interrupted
// (ucontext gregs: r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip).
static bool signal_regs(struct scan_ctx *ctx, const struct ms_frame *f,
			uint64_t regs[MS_DWARF_X86_REGS])
{
	// DWARF order rax, rdx, rcx, rbx, rsi, rdi, rbp, rsp, r8-r15, rip as
	// indices in gregs.
	static const unsigned order[MS_DWARF_X86_REGS] = {
		13, 12, 14, 11, 9, 8, 10, 15, 0, 1, 2, 3, 4, 5, 6, 7, 16,
	};
	uint8_t b[17 * 8];
	if (!f->signal_context || !f->sigcontext)
		return false;
	struct ms_error *err = ms_session_read(ctx->s, f->sigcontext, b, sizeof(b));
	if (err) {
		ms_error_destroy(err);
		return false;
	}
	for (size_t r = 0; r < MS_DWARF_X86_REGS; r++)
		regs[r] = ms_load_u64(b + 8 * order[r]);
	return true;
}

/*
 * The registers of a frame the runtime preempted asynchronously (a tight
 * loop, Go 1.14+): runtime.asyncPreempt, called as if from the
 * interrupted pc, pushes rbp and the flags and stores rax, rcx, rdx, rbx,
 * rsi, rdi, r8-r15 at 0, 8, ... 0x68 of its frame (preempt_amd64.s, the
 * same from 1.19 to 1.27).
 */
static bool preempt_regs(struct scan_ctx *ctx, const struct ms_frame *ap,
			 const struct ms_frame *f, uint64_t regs[MS_DWARF_X86_REGS])
{
	// DWARF order: rax, rdx, rcx, rbx, rsi, rdi; r8-r15 follow rdi.
	static const unsigned slot[6] = { 0, 2, 1, 3, 4, 5 };
	uint8_t b[14 * 8];
	if (!ap->func || strcmp(ap->func, "runtime.asyncPreempt") != 0)
		return false;
	struct ms_error *err = ms_session_read(ctx->s, ap->sp, b, sizeof(b));
	uint64_t rbp;
	if (err || !ms_session_try_read_u64(ctx->s, ap->cfa - 16, &rbp)) {
		ms_error_destroy(err);
		return false;
	}
	for (size_t r = 0; r < 6; r++)
		regs[r] = ms_load_u64(b + 8 * slot[r]);
	regs[6] = rbp;
	regs[7] = ap->cfa;
	for (size_t r = 8; r < 16; r++)
		regs[r] = ms_load_u64(b + 8 * (r - 2));
	regs[16] = f->pc;
	return true;
}

// The Go runtime's own frames: what they hold is the runtime's, or a map
// a user frame above them holds too.
static bool runtime_func(const char *fn)
{
	return fn && (strncmp(fn, "runtime.", 8) == 0 || strncmp(fn, "internal/", 9) == 0);
}

static struct ms_error *walk_frames(struct scan_ctx *ctx)
{
	const struct ms_goroutines *gs = ctx->sc->goroutines;
	struct ms_error *err = NULL;
	for (size_t gi = 0; gi < gs->n && !err; gi++) {
		const struct ms_goroutine *g = &gs->gs[gi];
		uint64_t regs[MS_DWARF_X86_REGS];
		bool have_regs = thread_regs(ctx, g, regs);
		for (size_t i = g->n_frames; i-- > 0 && !err;) {
			const struct ms_frame *f = &g->frames[i];
			if (f->inlined || !f->module || runtime_func(f->func))
				continue;
			size_t k = i;
			while (k > 0 && g->frames[k - 1].inlined && g->frames[k - 1].cfa == f->cfa)
				k--;
			size_t mod = module_index(ctx, f->module);
			if (mod == SIZE_MAX)
				continue;
			struct ms_func_index *fi = mod_funcs(ctx, mod);
			if (!fi)
				continue;
			uint64_t bias = f->module->bias;
			uint64_t pc = (f->exact_pc ? f->pc : f->pc - 1) - bias;
			uint64_t entry = f->entry - bias;
			bool innermost = k == 0 && f->exact_pc;
			// A frame a signal interrupted has its registers where
			// the kernel saved them (a fault in user code), a frame
			// the runtime preempted where asyncPreempt saved them.
			uint64_t sregs[MS_DWARF_X86_REGS];
			bool have_sregs = f->exact_pc && !(innermost && have_regs) &&
					  (signal_regs(ctx, f, sregs) ||
					   (k > 0 && preempt_regs(ctx, &g->frames[k - 1], f, sregs)));
			struct frame_walk fw = { ctx, mod_info(ctx, mod), g, &g->frames[k], i - k + 1, NULL };
			ctx->cur_module = mod;
			if (ctx->frames_final)
				ctx->sc->frames_read++;
			const struct fv_ent *ents;
			size_t n;
			struct fv_collect fc = { ctx, fw.mi, f->cfa, NULL, 0, 0 };
			if ((innermost && have_regs) || have_sregs) {
				// Registers are the innermost frame's only (or a
				// signal frame's), and its own: read afresh.
				err = ms_frame_vars(fi, entry, pc, f->cfa, have_sregs ? sregs : regs,
						    collect_frame_var, &fc);
				if (err && err != &ms_enomem && err->code == MS_ERR_NOT_FOUND) {
					ms_error_destroy(err);
					err = NULL;
				}
				// Recorded relative to the cfa like the cache.
				ents = fc.v;
				n = fc.n;
			} else {
				err = frame_vars_cached(ctx, mod, fi, entry, pc, &ents, &n);
			}
			for (size_t e = 0; e < n && !err; e++)
				err = process_frame_var(&fw, &ents[e], f->cfa,
							innermost && !have_regs && !have_sregs);
			free(fc.v);
		}
	}
	return err;
}

/*
 * The frames are walked with growing depth bounds, each pass with a walker
 * of its own: a map several locals reach is named by the shortest path
 * (srv.Sessions[100].Attrs in the function that built it, not a long way
 * round through another goroutine's bookkeeping), whatever the order of
 * the goroutines. The last pass uses the scan's walker, unbounded.
 */
static struct ms_error *walk_goroutines(struct scan_ctx *ctx)
{
	static const unsigned depths[] = { 4, 8, 16 };
	if (!ctx->sc->goroutines || !ctx->reach)
		return NULL;
	struct ms_reach *main_walk = ctx->reach;
	struct ms_error *err = NULL;
	struct ms_reach_ops ops = {
		.read = reach_read,
		.on_map = on_map,
		.map_entries = map_entries,
		.dyn_type = dyn_type,
		.arg = ctx,
	};
	for (size_t p = 0; p < sizeof(depths) / sizeof(depths[0]) && !err; p++) {
		struct ms_reach_limits lim = { .max_depth = depths[p], .max_visits = 1 << 18 };
		struct ms_reach *r;
		if ((err = ms_reach_create(&ops, &lim, &r)))
			break;
		ctx->reach = r;
		err = walk_frames(ctx);
		ms_reach_destroy(r);
	}
	ctx->reach = main_walk;
	ctx->frames_final = true;
	if (!err)
		err = walk_frames(ctx);
	if (ctx->sc->locals_lost)
		add_note(ctx->sc, "%zu local%s that may hold maps lost: in registers of callers' frames",
			 ctx->sc->locals_lost, ctx->sc->locals_lost == 1 ? "" : "s");
	if (ms_reach_truncated(ctx->reach))
		ctx->sc->walk_truncated = true;
	return err;
}

/*
 * Interface locals whose data word is the header of a map the heap scan
 * found and nothing named: that local holds it.
 */
static struct ms_error *attach_iface_locals(struct scan_ctx *ctx)
{
	struct ms_error *err = NULL;
	for (size_t i = 0; i < ctx->n_iface_locals && !err; i++) {
		struct iface_local *il = &ctx->iface_locals[i];
		for (int w = 0; w < 2 && !err; w++) {
			uint64_t v;
			if (!il->words[w] || !ms_session_try_read_u64(ctx->s, il->words[w], &v))
				continue;
			struct ms_scan_map *m = find_map(ctx, v);
			if (!m || m->n_roots)
				continue;
			char name[256];
			snprintf(name, sizeof(name), "goroutine %" PRIu64 " %s (%s:%d) %s %s",
				 il->fr.goid, il->fr.func, base_name(il->fr.file), (int)il->fr.line,
				 il->fr.arg ? "arg" : "local", il->fr.local);
			ctx->cur_frame = &il->fr;
			ctx->cur_root_name = name;
			ctx->cur_root_name_temp = true;
			ctx->cur_root_addr = il->words[0] ? il->words[0] : il->words[1];
			ctx->cur_root_size = 16;
			ctx->cur_module = m->type ? m->type_module : il->module;
			err = add_root(ctx, m, name, il->words[w]);
			if (!err && m->type && ctx->reach)
				err = ms_reach_walk_map(ctx->reach, m->header, m->type, name);
		}
	}
	ctx->cur_frame = NULL;
	ctx->cur_root_name = NULL;
	ctx->cur_root_name_temp = false;
	ctx->cur_root_addr = ctx->cur_root_size = 0;
	return err;
}

/*
 * The frame holding each stack find, from the pclntab: a stripped binary
 * still says which function's frame a map lives in, if not which local.
 */
static int stack_lo_cmp(const void *a, const void *b, void *arg)
{
	const struct ms_goroutines *gs = arg;
	const struct ms_goroutine *x = &gs->gs[*(const size_t *)a];
	const struct ms_goroutine *y = &gs->gs[*(const size_t *)b];
	return x->stack_lo < y->stack_lo ? -1 : x->stack_lo > y->stack_lo;
}

/*
 * A find no variable names may still be held by a frame: a live pointer
 * word of it, by the function's stack maps at the frame's pc (the locals
 * and arguments pointer bitmaps the garbage collector scans the frame
 * with, runtime/symtab.go stackmap), that holds the header, or that leads
 * into a heap object one of whose pointer words holds it (a local *Server
 * and its Sessions). Stripped binaries keep these tables: the frame's
 * function is named even where the local's name is lost. A frame the
 * runtime preempted asynchronously (or a signal interrupted) has no stack
 * map at its pc; the runtime scans it, and the registers saved for it,
 * conservatively, and so does this.
 */
struct frame_hold {
	uint64_t base, size;
	const struct ms_goroutine *g;
	const struct ms_frame *name;
};

enum { FRAME_OBJ_MAX_WORDS = 128, FRAME_CONSERVATIVE_MAX_WORDS = 512 };

static bool frame_claims(struct ms_scan_map *m, const struct ms_goroutine *g,
			 const struct ms_frame *name)
{
	if (!m || m->n_roots || m->frame_func)
		return false;
	m->goid = g->goid;
	m->g = g->g;
	m->frame_func = name->func;
	m->frame_file = name->file;
	m->frame_line = name->line;
	m->frame_entry = name->entry;
	m->frame_points = true;
	return true;
}

static size_t hold_hash(uint64_t base, size_t cap)
{
	return (size_t)((base >> 3) * UINT64_C(0x9e3779b97f4a7c15) >> 32) & (cap - 1);
}

static struct frame_hold *hold_find(struct scan_ctx *ctx, uint64_t base)
{
	if (!ctx->hold_slots_cap)
		return NULL;
	for (size_t i = hold_hash(base, ctx->hold_slots_cap);; i = (i + 1) & (ctx->hold_slots_cap - 1)) {
		size_t k = ctx->hold_slots[i];
		if (!k)
			return NULL;
		if (ctx->holds[k - 1].base == base)
			return &ctx->holds[k - 1];
	}
}

// Record that a frame holds the heap object at @p h->base (not yet held).
static bool hold_add(struct scan_ctx *ctx, const struct frame_hold *h)
{
	if (ctx->n_holds == ctx->cap_holds) {
		size_t cap = ctx->cap_holds ? 2 * ctx->cap_holds : 32;
		struct frame_hold *v = realloc(ctx->holds, cap * sizeof(*v));
		if (!v)
			return false;
		ctx->holds = v;
		ctx->cap_holds = cap;
	}
	if (2 * (ctx->n_holds + 1) > ctx->hold_slots_cap) {
		size_t cap = ctx->hold_slots_cap ? 2 * ctx->hold_slots_cap : 64;
		size_t *slots = calloc(cap, sizeof(*slots));
		if (!slots)
			return false;
		for (size_t k = 0; k < ctx->n_holds; k++) {
			size_t i = hold_hash(ctx->holds[k].base, cap);
			while (slots[i])
				i = (i + 1) & (cap - 1);
			slots[i] = k + 1;
		}
		free(ctx->hold_slots);
		ctx->hold_slots = slots;
		ctx->hold_slots_cap = cap;
	}
	size_t i = hold_hash(h->base, ctx->hold_slots_cap);
	while (ctx->hold_slots[i])
		i = (i + 1) & (ctx->hold_slots_cap - 1);
	ctx->holds[ctx->n_holds] = *h;
	ctx->hold_slots[i] = ++ctx->n_holds;
	return true;
}

static void frame_pointer(struct scan_ctx *ctx, const struct ms_goroutine *g,
			  const struct ms_frame *name, uint64_t v)
{
	if (!v || (v & 7))
		return;
	struct ms_scan_map *m = find_map(ctx, v);
	if (m) {
		frame_claims(m, g, name);
		return;
	}
	const struct ms_heap *heap = ms_session_heap(ctx->s);
	struct ms_heap_lookup lk;
	struct ms_error *err;
	if (!heap || (err = ms_heap_lookup(heap, v, &lk)) != NULL) {
		if (heap)
			ms_error_destroy(err);
		return;
	}
	// Objects without pointers (noscan spans) hold no header pointer.
	if (!lk.in_object || !lk.allocated || (lk.span.spanclass & 1) || lk.object_size < 8)
		return;
	// An earlier (outer) frame holding it keeps it.
	if (hold_find(ctx, lk.object_base) ||
	    !hold_add(ctx, &(struct frame_hold){ lk.object_base, lk.object_size, g, name }))
		return;
	uint64_t words = lk.object_size / 8, mask = ~UINT64_C(0);
	if (words > FRAME_OBJ_MAX_WORDS)
		words = FRAME_OBJ_MAX_WORDS;
	// The object's pointer bits where the heap keeps a bitmap for it;
	// else every word (only a word equal to a found header counts).
	if (words <= 64 && (err = ms_heap_pointer_mask(heap, lk.object_base, (unsigned)words, &mask))) {
		ms_error_destroy(err);
		mask = ~UINT64_C(0);
	}
	uint8_t buf[FRAME_OBJ_MAX_WORDS * 8];
	if ((err = ms_session_read(ctx->s, lk.object_base, buf, words * 8))) {
		ms_error_destroy(err);
		return;
	}
	for (uint64_t i = 0; i < words; i++)
		if (i >= 64 || (mask >> i & 1))
			frame_claims(find_map(ctx, ms_load_u64(buf + 8 * i)), g, name);
}

static void frame_words(struct scan_ctx *ctx, const struct ms_goroutine *g,
			const struct ms_frame *f, const struct ms_frame *name,
			uint64_t gofunc, uint32_t off, int32_t idx, bool locals)
{
	uint8_t h[8];
	struct ms_error *err = ms_session_read(ctx->s, gofunc + off, h, sizeof(h));
	if (err) {
		ms_error_destroy(err);
		return;
	}
	int32_t n = (int32_t)ms_load_u32(h), nbit = (int32_t)ms_load_u32(h + 4);
	if (idx >= n || nbit <= 0 || nbit > 1 << 16)
		return;
	uint32_t bytes = ((uint32_t)nbit + 7) / 8;
	uint8_t bits[8192];
	if ((err = ms_session_read(ctx->s, gofunc + off + 8 + (uint64_t)idx * bytes, bits, bytes))) {
		ms_error_destroy(err);
		return;
	}
	// amd64: locals end below the return address and the saved frame
	// pointer (frame.varp); arguments start at the cfa (frame.argp).
	uint64_t base = locals ? f->cfa - 16 - (uint64_t)nbit * 8 : f->cfa;
	for (int32_t i = 0; i < nbit; i++) {
		uint64_t v;
		if (!(bits[i / 8] >> (i % 8) & 1) ||
		    !ms_session_try_read_u64(ctx->s, base + (uint64_t)i * 8, &v))
			continue;
		frame_pointer(ctx, g, name, v);
	}
}

// A frame with no stack map at its pc: its registers and words, as the
// runtime scans an asynchronously preempted frame.
static void frame_conservative(struct scan_ctx *ctx, const struct ms_goroutine *g,
			       const struct ms_frame *f, const struct ms_frame *name,
			       const uint64_t regs[MS_DWARF_X86_REGS])
{
	for (size_t r = 0; r < 16; r++)
		if (r != 7)	// rsp
			frame_pointer(ctx, g, name, regs[r]);
	if (f->cfa <= f->sp + 16 || (f->cfa - f->sp) / 8 > FRAME_CONSERVATIVE_MAX_WORDS)
		return;
	for (uint64_t a = f->sp & ~(uint64_t)7; a + 16 < f->cfa; a += 8) {
		uint64_t v;
		if (ms_session_try_read_u64(ctx->s, a, &v))
			frame_pointer(ctx, g, name, v);
	}
}

static void frames_holding_finds(struct scan_ctx *ctx)
{
	const struct ms_goroutines *gs = ctx->sc->goroutines;
	const struct ms_go_layout *gl = ms_session_go_layout(ctx->s);
	if (!gs || !gl || !gl->md.source || !gl->md.gofunc)
		return;
	// Typed heap objects are walked later: the maps they lead to may be
	// a frame's too.
	bool any = ctx->n_typed_objs > 0;
	for (size_t i = 0; i < ctx->sc->n_maps && !any; i++)
		any = !ctx->sc->maps[i].n_roots && !ctx->sc->maps[i].frame_func;
	if (!any)
		return;
	for (size_t gi = 0; gi < gs->n; gi++) {
		const struct ms_goroutine *g = &gs->gs[gi];
		uint64_t tregs[MS_DWARF_X86_REGS];
		bool have_tregs = thread_regs(ctx, g, tregs);
		// Outermost first, like the goroutine roots.
		for (size_t i = g->n_frames; i-- > 0;) {
			const struct ms_frame *f = &g->frames[i];
			struct ms_module *mod = f->module;
			struct ms_pclntab *tab;
			uint64_t gofunc;
			if (f->inlined || !mod || runtime_func(f->func) || !mod->moduledata ||
			    ms_module_pclntab(mod, &tab) != NULL ||
			    !ms_session_try_read_u64(ctx->s, mod->moduledata + gl->md.gofunc, &gofunc) ||
			    !gofunc)
				continue;
			// Named after the innermost function inlined at the pc
			// (its frames share the cfa): the code running there.
			const struct ms_frame *name = f;
			while (name > g->frames && name[-1].inlined && name[-1].cfa == f->cfa)
				name--;
			// Stopped where it was running, not at a call (a safe
			// point): its registers (the thread's, the signal
			// frame's or asyncPreempt's) and words, conservatively.
			size_t k = (size_t)(name - g->frames);
			uint64_t regs[MS_DWARF_X86_REGS];
			if (f->exact_pc && k == 0 && have_tregs) {
				frame_conservative(ctx, g, f, name, tregs);
				continue;
			}
			if (f->exact_pc && (signal_regs(ctx, f, regs) ||
					    (k > 0 && preempt_regs(ctx, &g->frames[k - 1], f, regs)))) {
				frame_conservative(ctx, g, f, name, regs);
				continue;
			}
			uint64_t pc = (f->exact_pc ? f->pc : f->pc - 1) - mod->bias;
			struct ms_pclntab_funcinfo fi;
			int32_t idx;
			uint32_t off;
			struct ms_error *err = ms_pclntab_func_at(tab, pc, &fi);
			if (!err)
				err = ms_pclntab_pcdata(tab, &fi, MS_PCDATA_STACK_MAP_INDEX, pc, &idx);
			if (err) {
				ms_error_destroy(err);
				continue;
			}
			if (idx < 0)
				continue;
			if (!(err = ms_pclntab_funcdata(tab, &fi, MS_FUNCDATA_LOCALS_POINTER_MAPS, &off)))
				frame_words(ctx, g, f, name, gofunc, off, idx, true);
			ms_error_destroy(err);
			if (!(err = ms_pclntab_funcdata(tab, &fi, MS_FUNCDATA_ARGS_POINTER_MAPS, &off)))
				frame_words(ctx, g, f, name, gofunc, off, idx, false);
			ms_error_destroy(err);
		}
	}
}

static void frame_of_stack_finds(struct scan_ctx *ctx)
{
	const struct ms_goroutines *gs = ctx->sc->goroutines;
	if (!gs || !gs->n)
		return;
	// Goroutines by stack: a find is looked up, not compared with each.
	size_t *order = malloc(gs->n * sizeof(*order));
	if (!order)
		return;
	for (size_t i = 0; i < gs->n; i++)
		order[i] = i;
	qsort_r(order, gs->n, sizeof(*order), stack_lo_cmp, (void *)gs);
	for (size_t i = 0; i < ctx->sc->n_maps; i++) {
		struct ms_scan_map *m = &ctx->sc->maps[i];
		if (!(m->found_by & MS_FOUND_STACK) || m->n_roots)
			continue;
		// The last goroutine whose stack starts at or below the header.
		size_t lo = 0, hi = gs->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (gs->gs[order[mid]].stack_lo <= m->header)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!lo)
			continue;
		const struct ms_goroutine *g = &gs->gs[order[lo - 1]];
		if (m->header >= g->stack_hi)
			continue;
		if (!m->goid) {
			m->goid = g->goid;
			m->g = g->g;
		}
		for (size_t f = 0; f < g->n_frames; f++) {
			const struct ms_frame *fr = &g->frames[f];
			if (fr->inlined || m->header < fr->sp || m->header >= fr->cfa)
				continue;
			m->frame_func = fr->func;
			m->frame_file = fr->file;
			m->frame_line = fr->line;
			m->frame_entry = fr->entry;
			break;
		}
	}
	free(order);
}

// Heap scan: objects of a header's size that no typed walk reached.

struct heap_ctx {
	struct scan_ctx *ctx;
	struct ms_error *err;
	uint64_t want_size;
	bool malloc_headers;
};

// Which words of a header hold pointers (classic buckets, oldbuckets,
// extra; swiss dirPtr): what the GC bitmap of a real header says.
static uint64_t header_pointer_mask(const struct ms_map_shape *s)
{
	if (s->impl == MS_MAP_CLASSIC)
		return (UINT64_C(1) << (s->hmap.buckets / 8)) |
		       (UINT64_C(1) << (s->hmap.oldbuckets / 8)) |
		       (UINT64_C(1) << (s->hmap.extra / 8));
	return UINT64_C(1) << (s->swiss.dir_ptr / 8);
}

/*
 * How sure the header at @p base (a heap object of a header's size class)
 * is a map header, or -1 when it is not one.
 */
static int header_score(struct scan_ctx *ctx, uint64_t base)
{
	uint8_t h[256];
	struct ms_error *err = ms_session_read(ctx->s, base, h, ctx->untyped.header_size);
	if (err) {
		ms_error_destroy(err);
		return -1;
	}
	// The GC's pointer bitmap tells a header from any other object of its
	// size class, whatever the header's contents: check it first.
	uint64_t mask;
	err = ms_heap_pointer_mask(ms_session_heap(ctx->s), base,
				   (unsigned)(ctx->untyped.header_size / 8), &mask);
	if (!err && mask != header_pointer_mask(&ctx->untyped))
		return -1;
	// With the bitmap confirmed, even an empty map (no buckets yet, only
	// its random seed set) is a header; without it, ask for more.
	int min_score = err ? HEAP_MIN_CONFIDENCE : HEAP_MIN_CONFIDENCE_BITMAP;
	ms_error_destroy(err);
	int score = ms_map_header_confidence(&ctx->mem, &ctx->untyped, h);
	return score < min_score ? -1 : score;
}

static int heap_object(void *arg, uint64_t base, uint64_t size, uint64_t spanclass)
{
	struct heap_ctx *hc = arg;
	struct scan_ctx *ctx = hc->ctx;
	ctx->sc->heap_objects++;
	// Objects over 512 bytes with pointers in small-object spans start
	// with their type (Go 1.22+): typed walks start there later.
	if (hc->malloc_headers && (spanclass >> 1) && !(spanclass & 1) && size + 8 > 512) {
		if (ctx->n_typed_objs == ctx->cap_typed_objs) {
			size_t cap = ctx->cap_typed_objs ? 2 * ctx->cap_typed_objs : 256;
			uint64_t *v = realloc(ctx->typed_objs, cap * sizeof(*v));
			if (!v) {
				hc->err = &ms_enomem;
				return 1;
			}
			ctx->typed_objs = v;
			ctx->cap_typed_objs = cap;
		}
		ctx->typed_objs[ctx->n_typed_objs++] = base;
		return 0;
	}
	// A header is an allocation of its own: the size class that fits it.
	if (size != hc->want_size || (spanclass & 1))
		return 0;
	if (find_map(ctx, base))
		return 0;
	int score = header_score(ctx, base);
	if (score < 0)
		return 0;
	struct ms_scan_map *m;
	if ((hc->err = new_map(ctx, base, &m)))
		return 1;
	m->found_by = MS_FOUND_HEAP;
	m->confidence = score;
	return 0;
}

static uint64_t size_class_for(uint64_t n)
{
	// The malloc size classes up to 64 bytes are multiples of 16 (8 first).
	if (n <= 8)
		return 8;
	return (n + 15) & ~(uint64_t)15;
}

static struct ms_error *heap_scan(struct scan_ctx *ctx)
{
	const struct ms_heap *heap = ms_session_heap(ctx->s);
	struct heap_ctx hc = { ctx, NULL, size_class_for(ctx->untyped.header_size),
			       heap && heap->layout.malloc_headers };
	struct ms_error *err = ms_session_heap_foreach(ctx->s, heap_object, &hc);
	if (err) {
		add_loss(ctx->sc, "heap scan incomplete: %s", err->message);
		ms_error_destroy(err);
	}
	ctx->sc->heap_scanned = true;
	return hc.err;
}

// Every pointer field of a candidate header is nil or leads into the heap
// or a stack.
static bool pointers_plausible(struct scan_ctx *ctx, const uint8_t *h)
{
	const struct ms_map_shape *u = &ctx->untyped;
	uint32_t offs[3];
	size_t n = 0;
	if (u->impl == MS_MAP_CLASSIC) {
		offs[n++] = u->hmap.buckets;
		offs[n++] = u->hmap.oldbuckets;
		offs[n++] = u->hmap.extra;
	} else {
		offs[n++] = u->swiss.dir_ptr;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t p = ms_load_u64(h + offs[i]);
		if (!p)
			continue;
		struct ms_ptr_info pi;
		mem_classify(ctx->s, p, &pi);
		if (pi.cls != MS_PTR_HEAP && pi.cls != MS_PTR_STACK)
			return false;
	}
	return true;
}

// The goid of the goroutine whose g is at @p g, or 0.
static uint64_t goroutine_id(struct scan_ctx *ctx, uint64_t g)
{
	const struct ms_go_layout *l = ms_session_go_layout(ctx->s);
	uint8_t b[8];
	if (!g || !l || !l->g.source)
		return 0;
	struct ms_error *err = ms_session_read(ctx->s, g + l->g.goid, b, 8);
	if (err) {
		ms_error_destroy(err);
		return 0;
	}
	return ms_load_u64(b);
}

struct stack_ctx {
	struct scan_ctx *ctx;
	struct ms_error *err;
	uint8_t *buf;
};

/*
 * The compiler puts a map that does not escape, and its first bucket or
 * group, in its function's frame: look for headers in the live part of
 * every goroutine stack.
 */
static int stack_region(void *arg, uint64_t g, uint64_t lo, uint64_t hi, uint64_t sp)
{
	struct stack_ctx *st = arg;
	struct scan_ctx *ctx = st->ctx;
	uint64_t hsize = ctx->untyped.header_size;
	sp &= ~(uint64_t)7;
	uint64_t len = hi - sp;
	if (len > STACK_MAX_BYTES) {
		add_note(ctx->sc, "goroutine 0x%" PRIx64 ": only the top %d MiB of its stack scanned",
			 g, STACK_MAX_BYTES >> 20);
		len = STACK_MAX_BYTES;
	}
	struct ms_error *err = ms_session_read(ctx->s, sp, st->buf, len);
	if (err) {
		add_note(ctx->sc, "goroutine 0x%" PRIx64 " stack not scanned: %s", g, err->message);
		ms_error_destroy(err);
		return 0;
	}
	ctx->sc->stack_bytes += len;
	for (uint64_t off = 0; off + hsize <= len; off += 8) {
		uint64_t a = sp + off;
		if (find_map(ctx, a))
			continue;
		if (ms_map_header_confidence(&ctx->mem, &ctx->untyped, st->buf + off) <
		    STACK_MIN_CONFIDENCE)
			continue;
		// Frames hold return addresses and pointers of every kind: a
		// candidate with a pointer that leads anywhere but the heap or
		// a stack is more likely a frame than a damaged map.
		if (!pointers_plausible(ctx, st->buf + off))
			continue;
		// Dead frames hold stale headers whose pointers lead to memory
		// reused since: nothing tells a damaged stack map from one, so
		// only candidates that judge ok are kept.
		struct ms_map_check c;
		if ((st->err = ms_map_check(&ctx->mem, &ctx->untyped, &ctx->limits, a,
					    NULL, NULL, &c)))
			return 1;
		enum ms_verdict v = c.verdict;
		ms_map_check_deinit(&c);
		if (v != MS_VERDICT_OK)
			continue;
		struct ms_scan_map *m;
		if ((st->err = new_map(ctx, a, &m)))
			return 1;
		m->found_by = MS_FOUND_STACK;
		m->confidence = STACK_MIN_CONFIDENCE;
		m->g = g;
		m->goid = goroutine_id(ctx, g);
		off += hsize - 8;	// headers do not overlap
	}
	return 0;
}

static struct ms_error *stack_scan(struct scan_ctx *ctx)
{
	struct stack_ctx st = { ctx, NULL, malloc(STACK_MAX_BYTES) };
	if (!st.buf)
		return &ms_enomem;
	struct ms_error *err = ms_session_foreach_stack(ctx->s, stack_region, &st);
	if (err) {
		add_loss(ctx->sc, "goroutine stacks not scanned: %s", err->message);
		ms_error_destroy(err);
	}
	free(st.buf);
	return st.err;
}

/*
 * Read [addr, addr + len) of a module's data or bss: pages the core left
 * out because they were never written hold zeros (a plugin's bss is mostly
 * such pages); any other page that cannot be read is an error.
 */
static struct ms_error *read_module_words(struct scan_ctx *ctx, uint64_t addr, uint8_t *buf,
					  size_t len)
{
	struct ms_error *err = ms_session_read(ctx->s, addr, buf, len);
	if (!err || err->code != MS_ERR_FAULT)
		return err;
	ms_error_destroy(err);
	for (size_t off = 0; off < len;) {
		uint64_t a = addr + off;
		size_t n = 4096 - (size_t)(a & 4095);
		if (n > len - off)
			n = len - off;
		if ((err = ms_session_read(ctx->s, a, buf + off, n))) {
			if (!ms_session_never_written(ctx->s, a))
				return err;
			ms_error_destroy(err);
			memset(buf + off, 0, n);
		}
		off += n;
	}
	return NULL;
}

/*
 * A module without symbols or DWARF names no variable, but its variables
 * are where the linker put them: the words of its data and bss that the
 * linker's pointer masks (moduledata.gcdata, gcbss: one bit a word) mark
 * as pointers, and that hold a map header, are its map variables or
 * pointer fields of its variables. Each becomes a root without a name;
 * a header no other scan found is checked as the heap scan checks one.
 */
/*
 * The maps one step from an unnamed word: the word @p word points to the
 * heap object [base, base + size), whose words (those its GC bits mark as
 * pointers) may hold headers the heap scan found: the elements of a slice
 * ([]map[K]V: the word is followed by a length and capacity that fit the
 * object in 8-byte elements) or the fields of a pointee (*map[K]V, *T).
 */
static struct ms_error *indirect_roots(struct scan_ctx *ctx, size_t module, enum ms_section sec,
				       uint64_t word, uint64_t base, uint64_t size,
				       uint64_t len, uint64_t cap, size_t *found)
{
	enum { MAX_WORDS = 4096 };
	size_t n = size / 8 < MAX_WORDS ? (size_t)(size / 8) : MAX_WORDS;
	uint64_t *buf = malloc(n * 8);
	if (!buf)
		return &ms_enomem;
	struct ms_error *err = ms_session_read(ctx->s, base, buf, n * 8);
	if (err) {
		ms_error_destroy(err);
		free(buf);
		return NULL;
	}
	bool slice = cap && len <= cap && cap * 8 <= size && size < cap * 16;
	for (size_t j = 0; j < n && !err; j += 64) {
		unsigned nw = n - j < 64 ? (unsigned)(n - j) : 64;
		uint64_t mask = 0;
		struct ms_error *e = ms_heap_pointer_mask(ms_session_heap(ctx->s), base + j * 8, nw,
							  &mask);
		// Without the bits (a large object typed by its header), a
		// word equal to a header the heap scan verified still says it.
		if (e)
			mask = ~UINT64_C(0);
		ms_error_destroy(e);
		for (unsigned k = 0; k < nw && !err; k++) {
			uint64_t v = buf[j + k], off = (j + k) * 8;
			if (!(mask >> k & 1) || !v || (v & 7))
				continue;
			struct ms_scan_map *m = find_map(ctx, v);
			if (!m || m->n_roots || (slice && off >= len * 8))
				continue;
			char path[96];
			if (slice)
				snprintf(path, sizeof(path), ".%s 0x%" PRIx64 " -> [%" PRIu64 "]",
					 ms_section_name(sec), word, off / 8);
			else if (off == 0)
				snprintf(path, sizeof(path), "*(.%s 0x%" PRIx64 ")",
					 ms_section_name(sec), word);
			else
				snprintf(path, sizeof(path), ".%s 0x%" PRIx64 " -> +0x%" PRIx64,
					 ms_section_name(sec), word, off);
			err = add_indirect_root(ctx, m, module, sec, word, base + off, path);
			++*found;
		}
	}
	free(buf);
	return err;
}

static struct ms_error *unnamed_roots(struct scan_ctx *ctx)
{
	static const enum ms_section secs[] = { MS_SECTION_DATA, MS_SECTION_BSS };
	enum { CHUNK = 64 << 10 };
	uint64_t want = size_class_for(ctx->untyped.header_size);
	uint8_t *buf = malloc(CHUNK), mask[CHUNK / 64];
	if (!buf)
		return &ms_enomem;
	struct ms_error *err = NULL;
	size_t found = 0;
	for (size_t i = 0; i < ctx->n_mods && !err; i++) {
		struct ms_module *mod = ms_session_module(ctx->s, i);
		if (!mod->is_go || mod_info(ctx, i)->dwarf)
			continue;
		for (size_t k = 0; k < sizeof(secs) / sizeof(secs[0]) && !err; k++) {
			const struct ms_range *r = &mod->ranges[secs[k]];
			uint64_t gc = secs[k] == MS_SECTION_DATA ? mod->datamask : mod->bssmask;
			uint64_t bits = secs[k] == MS_SECTION_DATA ? mod->datamask_bits
				      : mod->bssmask_bits;
			if (!gc || r->end <= r->start || (r->start & 7) ||
			    bits < (r->end - r->start) / 8)
				continue;
			for (uint64_t a = r->start; a < r->end && !err; a += CHUNK) {
				size_t len = r->end - a < CHUNK ? (size_t)(r->end - a) : CHUNK;
				len &= ~(size_t)7;
				size_t words = len / 8;
				struct ms_error *e = ms_session_read(ctx->s, gc + (a - r->start) / 64,
								     mask, (words + 7) / 8);
				if (!e)
					e = read_module_words(ctx, a, buf, len);
				if (e) {
					add_note(ctx->sc, "%s .%s at 0x%" PRIx64 " not searched for map variables: %s",
						 ms_prov_module_name(mod), ms_section_name(secs[k]), a,
						 e->message);
					ms_error_destroy(e);
					continue;
				}
				for (size_t w = 0; w < words && !err; w++) {
					if (!(mask[w / 8] >> (w % 8) & 1))
						continue;
					uint64_t v = ms_load_u64(buf + w * 8);
					if (!v || (v & 7))
						continue;
					struct ms_scan_map *m = find_map(ctx, v);
					if (!m) {
						struct ms_addr_info ai;
						if ((e = ms_session_classify(ctx->s, v, &ai))) {
							ms_error_destroy(e);
							continue;
						}
						if (ai.cls != MS_ADDR_HEAP_INUSE || !ai.in_object ||
						    ai.object_base != v || (ai.span.spanclass & 1))
							continue;
						int score = ai.object_size == want ? header_score(ctx, v) : -1;
						if (score < 0) {
							// Not a header: maybe a slice's array or a
							// pointee that holds headers. A slice's
							// length and capacity follow its pointer.
							uint64_t slen = 0, scap = 0;
							if (w + 2 < words &&
							    !(mask[(w + 1) / 8] >> ((w + 1) % 8) & 1) &&
							    !(mask[(w + 2) / 8] >> ((w + 2) % 8) & 1)) {
								slen = ms_load_u64(buf + (w + 1) * 8);
								scap = ms_load_u64(buf + (w + 2) * 8);
							}
							err = indirect_roots(ctx, i, secs[k], a + w * 8, v,
									     ai.object_size, slen, scap,
									     &found);
							continue;
						}
						if ((err = new_map(ctx, v, &m)))
							break;
						m->confidence = score;
					} else if (m->n_roots && !m->roots[0].from_mask) {
						continue;
					}
					err = add_unnamed_root(ctx, m, i, secs[k], a + w * 8);
					if (!err && m->roots[m->n_roots - 1].slot == a + w * 8)
						found += m->roots[m->n_roots - 1].unnamed;
				}
			}
		}
	}
	free(buf);
	if (found)
		add_note(ctx->sc, "%zu map%s held by unnamed words of stripped modules (their names are gone)",
			 found, found == 1 ? "" : "s");
	return err;
}

/*
 * Put the root that declares a map first: a variable that holds the map
 * itself rather than a path through other values, and of two such a
 * plugin's over the executable's (the executable can only hold a
 * plugin's map by copying what a plugin symbol gave it). Every report
 * then names a map after roots[0]; the others stay in the order found.
 */
static void order_roots(struct ms_scan *sc, struct ms_scan_map *m)
{
	size_t best = 0;
	int best_score = -1;
	for (size_t i = 0; i < m->n_roots; i++) {
		const struct ms_scan_root *r = &m->roots[i];
		const struct ms_module *mod = ms_session_module(sc->session, r->module);
		bool direct = r->var ? strcmp(r->path, r->var) == 0
			      : !strpbrk(r->path, "[*({");
		int score = (direct ? 2 : 0) + (mod && mod->kind == MS_MODULE_PLUGIN);
		if (score > best_score) {
			best_score = score;
			best = i;
		}
	}
	if (!best)
		return;
	struct ms_scan_root decl = m->roots[best];
	memmove(&m->roots[1], &m->roots[0], best * sizeof(*m->roots));
	m->roots[0] = decl;
}

static int compare_maps(const void *a, const void *b)
{
	const struct ms_scan_map *x = a, *y = b;
	if (x->check.verdict != y->check.verdict)
		return x->check.verdict > y->check.verdict ? -1 : 1;
	// A map caught mid-write is the one to look at among its equals.
	if (x->writing != y->writing)
		return x->writing ? -1 : 1;
	// Then typed roots before heap-scan finds, then by address.
	if ((x->n_roots > 0) != (y->n_roots > 0))
		return x->n_roots > 0 ? -1 : 1;
	return x->header < y->header ? -1 : x->header > y->header;
}

/*
 * Find the suspect whose bad pointer the crash dereferenced: the fault
 * address lies in the allocation that pointer should lead to (its size
 * from the header and layout: 2^B buckets, a table's groups...), which
 * tells the map whose pointer is nearest below the fault from the one
 * whose allocation really covers it (see provenance.c).
 */
static void link_crash(struct ms_scan *sc)
{
	sc->crash_map = SIZE_MAX;
	const struct ms_crash *cr = ms_session_crash(sc->session);
	if (!cr || !cr->present || !cr->have_fault_addr)
		return;
	size_t map, reason;
	if (ms_provenance_link_fault(sc, cr->fault_addr, &map, &reason, sc->crash_why,
				     sizeof(sc->crash_why)))
		sc->crash_map = map;
}

/*
 * The goroutines and the crash story, with every header found as a
 * candidate for the map each goroutine in the map runtime works on. A
 * crash that the fault address did not link is linked to the map the
 * crashed goroutine was inside (a "concurrent map writes" names no
 * address).
 */
static struct ms_error *read_goroutines(struct ms_scan *sc)
{
	struct ms_error *err = ms_goroutines_create(sc->session, &sc->goroutines);
	if (err) {
		if (err == &ms_enomem)
			return err;
		add_note(sc, "goroutines not read: %s", err->message);
		ms_error_destroy(err);
	}
	return NULL;
}

static struct ms_error *tell_story(struct ms_scan *sc)
{
	struct ms_error *err;
	if (!sc->goroutines)
		return NULL;
	uint64_t *headers = malloc((sc->n_maps ? sc->n_maps : 1) * sizeof(*headers));
	if (!headers)
		return &ms_enomem;
	for (size_t i = 0; i < sc->n_maps; i++)
		headers[i] = sc->maps[i].header;
	err = ms_crash_story_create(sc->session, sc->goroutines, headers, sc->n_maps,
				    &sc->story);
	free(headers);
	if (err)
		return err;
	const struct ms_crash_story *st = sc->story;
	if (sc->crash_map == SIZE_MAX && st->map && st->n_touchers) {
		for (size_t i = 0; i < sc->n_maps; i++) {
			if (sc->maps[i].header != st->map)
				continue;
			const struct ms_map_toucher *t = &st->touchers[0];
			sc->crash_map = i;
			snprintf(sc->crash_why, sizeof(sc->crash_why),
				 "goroutine %" PRIu64 " died inside %s on this map%s%s",
				 t->g->goid, t->g->frames[t->entry_frame].func,
				 st->message ? ": " : "", st->message ? st->message : "");
			break;
		}
	}
	return NULL;
}

static void ctx_destroy(struct scan_ctx *ctx)
{
	if (!ctx)
		return;
	for (size_t i = 0; i < ctx->n_mods; i++) {
		ms_map_layout_destroy(ctx->mods[i].layout);
		ms_func_index_destroy(ctx->mods[i].funcs);
		ms_types_destroy(ctx->mods[i].types);
		ms_types_destroy(ctx->mods[i].rt_types);
	}
	free(ctx->mods);
	free(ctx->idx_key);
	free(ctx->idx_val);
	free(ctx->shapes);
	for (size_t i = 0; i < ctx->n_cands; i++)
		ms_map_cand_deinit(&ctx->cands[i]);
	free(ctx->cands);
	free(ctx->typed_objs);
	free(ctx->iface_locals);
	free(ctx->fv_slots);
	free(ctx->fv_ents);
	free(ctx->holds);
	free(ctx->hold_slots);
	ms_reach_destroy(ctx->reach);
	for (size_t i = 0; i < ctx->n_root_names; i++)
		free(ctx->root_names[i]);
	free(ctx->root_names);
	free(ctx);
}

// Rebuild the header index after sorting.
static struct ms_error *reindex(struct scan_ctx *ctx)
{
	// No index yet: only unread map variables (header 0) were listed.
	if (!ctx->idx_cap)
		return NULL;
	memset(ctx->idx_key, 0, ctx->idx_cap * sizeof(*ctx->idx_key));
	for (size_t i = 0; i < ctx->sc->n_maps; i++) {
		uint64_t h = ctx->sc->maps[i].header;
		if (!h)
			continue;
		size_t j = (h * 0x9e3779b97f4a7c15ull >> 20) & (ctx->idx_cap - 1);
		while (ctx->idx_key[j])
			j = (j + 1) & (ctx->idx_cap - 1);
		ctx->idx_key[j] = h;
		ctx->idx_val[j] = i;
	}
	return NULL;
}

/*
 * Typing what the heap and stack scans found. The storage a header leads to
 * (its bucket array, small group or first table's groups) says which map
 * type it has: a malloc header names the bucket or group type (Go 1.22+,
 * objects over 512 bytes), else the object's size and its GC pointer bits
 * must be those of some map type's buckets, and the map, walked with that
 * type, must hold together (tophash or control bytes, counts) with
 * plausible keys and values. A candidate that leads to sound memory but
 * fits no map type of any module is not a map, and is dropped.
 */

enum {
	CONF_MALLOC_HEADER = 95,
	CONF_INFERRED = 90,
	CONF_UNTYPED = 60,
	// Entries whose keys and values are looked at per candidate type.
	PLAUSIBLE_ENTRIES = 64,
};

static struct ms_error *collect_cands(struct scan_ctx *ctx)
{
	if (ctx->cands_done)
		return NULL;
	ctx->cands_done = true;
	for (size_t i = 0; i < ctx->n_mods; i++) {
		struct mod_info *mi = mod_info(ctx, i);
		if (!mi->types)
			continue;
		struct ms_map_type *mts;
		size_t n;
		struct ms_error *err = ms_map_types_collect(mi->types, ctx->untyped.impl, &mts, &n);
		if (err) {
			ms_error_destroy(err);
			continue;
		}
		const struct ms_module *mod = ms_session_module(ctx->s, i);
		uint64_t types_start = mod->ranges[MS_SECTION_TYPES].start;
		for (size_t j = 0; j < n; j++) {
			if (!mts[j].type || !mts[j].type->key || !mts[j].type->elem)
				continue;
			struct ms_map_cand c = { .module = i, .type = mts[j].type };
			if (!typed_shape(ctx, i, c.type, &c.shape) || c.shape.impl != ctx->untyped.impl)
				continue;
			// The bucket or group type descriptor, for malloc headers.
			uint8_t d[MS_MAP_DESCRIPTOR_MAX_SIZE];
			size_t dlen = c.shape.impl == MS_MAP_CLASSIC ? MS_MAP_DESCRIPTOR_CLASSIC_SIZE
								     : MS_MAP_DESCRIPTOR_SWISS_SIZE;
			struct ms_map_descriptor md;
			if (mts[j].runtime_type && types_start &&
			    !(err = ms_session_read(ctx->s, types_start + mts[j].runtime_type, d, dlen)) &&
			    !(err = ms_map_descriptor_decode(c.shape.impl, d, dlen, &md)))
				c.bucket_type = md.bucket_type;
			// Go 1.27's abi.MapType has strides where the slot
			// fields were: read it as such.
			if (err && c.shape.impl == MS_MAP_SWISS) {
				ms_error_destroy(err);
				dlen = MS_MAP_DESCRIPTOR_STRIDED_SIZE;
				if (!(err = ms_session_read(ctx->s, types_start + mts[j].runtime_type,
							    d, dlen)) &&
				    !(err = ms_map_descriptor_decode_strided(
					    d, dlen, c.shape.key_stride &&
					    c.shape.elem_base >= c.shape.key_base + 8 * c.shape.key_stride,
					    &md)))
					c.bucket_type = md.bucket_type;
			}
			ms_error_destroy(err);
			if (ctx->n_cands == ctx->cap_cands) {
				size_t cap = ctx->cap_cands ? 2 * ctx->cap_cands : 64;
				struct ms_map_cand *v = realloc(ctx->cands, cap * sizeof(*v));
				if (!v) {
					free(mts);
					return &ms_enomem;
				}
				ctx->cands = v;
				ctx->cap_cands = cap;
			}
			if ((err = ms_map_cand_init_bits(&c))) {
				free(mts);
				return err;
			}
			ctx->cands[ctx->n_cands++] = c;
		}
		free(mts);
	}
	return NULL;
}

enum storage_kind {
	STORAGE_NONE,		// an empty map, or storage that cannot be followed
	STORAGE_BAD,		// a pointer no runtime writes: not a map
	STORAGE_OK,
};

/*
 * The storage of the header at @p header (bytes @p h): where it is and
 * what the heap says of it.
 */
static enum storage_kind find_storage(struct scan_ctx *ctx, const uint8_t *h,
				      struct ms_map_storage *st)
{
	const struct ms_map_shape *u = &ctx->untyped;
	memset(st, 0, sizeof(*st));
	if (u->impl == MS_MAP_CLASSIC) {
		uint8_t B = h[u->hmap.B];
		st->addr = ms_load_u64(h + u->hmap.buckets);
		if (B > 40)
			return STORAGE_BAD;
		st->n = UINT64_C(1) << B;
		st->classic_prealloc = B >= 4;
	} else {
		uint64_t dir = ms_load_u64(h + u->swiss.dir_ptr);
		uint64_t dlen = ms_load_u64(h + u->swiss.dir_len);
		st->addr = dir;
		st->n = 1;
		if (dlen && dir) {
			uint8_t t[256], b[8];
			struct ms_error *err = NULL;
			if (dir & 7)
				return STORAGE_BAD;
			if (u->swiss.table_size > sizeof(t) ||
			    (err = ms_session_read(ctx->s, dir, b, 8))) {
				ms_error_destroy(err);
				return STORAGE_NONE;
			}
			uint64_t table = ms_load_u64(b);
			if ((err = ms_session_read(ctx->s, table, t, u->swiss.table_size))) {
				ms_error_destroy(err);
				return STORAGE_NONE;
			}
			st->addr = ms_load_u64(t + u->swiss.t_groups_data);
			uint64_t mask = ms_load_u64(t + u->swiss.t_groups_mask);
			if (mask >= (UINT64_C(1) << 32))
				return STORAGE_BAD;
			st->n = mask + 1;
		}
	}
	if (!st->addr)
		return STORAGE_NONE;
	if (st->addr & 7)
		return STORAGE_BAD;
	struct ms_addr_info ai;
	struct ms_error *err = ms_session_classify(ctx->s, st->addr, &ai);
	if (err) {
		ms_error_destroy(err);
		return STORAGE_NONE;
	}
	if (ai.cls == MS_ADDR_STACK) {
		st->on_stack = true;
		return STORAGE_OK;
	}
	// Inside an object but not at its start: no runtime pointer does that.
	if (ai.cls == MS_ADDR_HEAP_INUSE && ai.in_object && ai.object_base != st->addr)
		return STORAGE_BAD;
	if (ai.cls != MS_ADDR_HEAP_INUSE || !ai.in_object)
		return STORAGE_NONE;
	st->object_known = true;
	st->object_size = ai.object_size;
	const struct ms_heap *heap = ms_session_heap(ctx->s);
	const struct ms_span *sp = &ai.span;
	bool small_span = (sp->spanclass >> 1) != 0, noscan = sp->spanclass & 1;
	if (heap->layout.malloc_headers && small_span && !noscan && sp->elemsize > 512) {
		uint8_t b[8];
		if (!(err = ms_session_read(ctx->s, st->addr - 8, b, 8)))
			st->type_word = ms_load_u64(b);
		ms_error_destroy(err);
		return STORAGE_OK;
	}
	// A large object keeps its type in its span (mspan.largeType).
	if (!small_span && !noscan && sp->large_type) {
		st->type_word = sp->large_type;
		return STORAGE_OK;
	}
	unsigned words = st->object_size / 8 < 64 ? (unsigned)(st->object_size / 8) : 64;
	if (words && !(err = ms_heap_pointer_mask(heap, st->addr, words, &st->ptr_mask))) {
		st->have_mask = true;
		st->mask_words = words;
		st->mask_prefix_only = heap->layout.arena_bitmap_bits == 2;
	}
	ms_error_destroy(err);
	return STORAGE_OK;
}

struct plaus_ctx {
	const struct ms_map_memory *mem;
	const struct ms_map_shape *untyped;
	const struct ms_type *key, *elem;
	unsigned left, evidence;
	bool bad;
	// Bool keys or elements seen false and true (bit 0, bit 1).
	unsigned bools;
};

// A bool key or element: which of false and true it holds.
static void note_bool(struct plaus_ctx *pc, const struct ms_type *t, uint64_t addr)
{
	uint8_t b;
	struct ms_error *err;
	if (t->kind != MS_KIND_BOOL)
		return;
	if ((err = pc->mem->read(pc->mem->arg, addr, &b, 1))) {
		ms_error_destroy(err);
		return;
	}
	pc->bools |= b == 1 ? 2 : b == 0 ? 1 : 0;
}

static int plausible_entry(void *arg, uint64_t k, uint64_t e)
{
	struct plaus_ctx *pc = arg;
	if (!ms_value_plausible(pc->mem, pc->untyped, pc->key, k, &pc->evidence) ||
	    !ms_value_plausible(pc->mem, pc->untyped, pc->elem, e, &pc->evidence)) {
		pc->bad = true;
		return 1;
	}
	note_bool(pc, pc->key, k);
	note_bool(pc, pc->elem, e);
	return --pc->left == 0;
}

// Whether the map at @p header holds together as a map of type @p c.
static struct ms_error *cand_holds(struct scan_ctx *ctx, const struct ms_map_cand *c,
				   uint64_t header, uint64_t storage, bool *ret,
				   unsigned *evidence)
{
	// The first bucket or group's padding is zero under the right type.
	uint8_t stackbuf[4096];
	*ret = false;
	if (c->shape.bucket_size <= sizeof(stackbuf)) {
		struct ms_error *err = ms_session_read(ctx->s, storage, stackbuf,
						       c->shape.bucket_size);
		if (err) {
			ms_error_destroy(err);
			return NULL;
		}
		if (!ms_map_cand_padding_zero(c, stackbuf))
			return NULL;
	}
	struct plaus_ctx pc = { &ctx->mem, &ctx->untyped, c->type->key, c->type->elem,
				PLAUSIBLE_ENTRIES, 0, false };
	struct ms_map_check chk;
	struct ms_error *err = ms_map_check(&ctx->mem, &c->shape, &ctx->limits, header,
					    plausible_entry, &pc, &chk);
	if (err)
		return err;
	*ret = !pc.bad && chk.verdict == MS_VERDICT_OK && chk.n_reasons == 0;
	// Bools that are both false and true say bool; all one value (a set
	// of 0s or of 1s) fits any integer as well.
	*evidence = pc.evidence + (pc.bools == 3);
	ms_map_check_deinit(&chk);
	return NULL;
}

/*
 * An untyped find is kept only when the header's own invariants hold: a
 * reason of verdict corrupt (a directory too small for dirLen, count
 * against B) says it is not a map. Bad pointers (dangling, freed) are the
 * damage the heap scan hunts and do not rule it out.
 */
static struct ms_error *untyped_sound(struct scan_ctx *ctx, struct ms_scan_map *m,
				      bool *keep)
{
	struct ms_map_check c;
	struct ms_error *err = ms_map_check(&ctx->mem, &ctx->untyped, &ctx->limits,
					    m->header, NULL, NULL, &c);
	if (err)
		return err;
	for (size_t i = 0; i < c.n_reasons; i++)
		if (c.reasons[i].verdict == MS_VERDICT_CORRUPT)
			*keep = false;
	ms_map_check_deinit(&c);
	return NULL;
}

// Untyped and no DWARF to ask: the invariants the header alone implies
// about its storage must hold.
static bool storage_sane(struct scan_ctx *ctx, const uint8_t *h,
			 const struct ms_map_storage *st)
{
	const struct ms_map_shape *u = &ctx->untyped;
	// The smallest bucket or group is 16 bytes; the largest holds 8
	// slots of 128-byte keys and elements (larger ones are stored as pointers).
	enum { MIN_BUCKET = 16, MAX_BUCKET = 8 + 8 * 256 + 8 };
	if (st->on_stack) {
		// The compiler puts only a map's first bucket or group in a frame.
		if (st->n != 1)
			return false;
	} else if (st->object_known) {
		uint64_t most = (st->n + (st->classic_prealloc ? st->n / 16 : 0)) * MAX_BUCKET;
		if (st->object_size < st->n * MIN_BUCKET || st->object_size > most + most / 4 + 8192)
			return false;
	}
	// The first bucket's tophash or the small group's control word.
	uint8_t b[8];
	struct ms_error *err = ms_session_read(ctx->s, st->addr, b, 8);
	if (err) {
		ms_error_destroy(err);
		return false;
	}
	unsigned full = 0;
	if (u->impl == MS_MAP_CLASSIC) {
		// No evacuation marks (2-4) in a current bucket, nothing full
		// after emptyRest (0), and no more full slots than count.
		bool rest = false;
		for (int i = 0; i < 8; i++) {
			if (b[i] >= 2 && b[i] <= 4)
				return false;
			if (b[i] == 0)
				rest = true;
			else if (b[i] >= 5 && rest)
				return false;
			full += b[i] >= 5;
		}
		if (full > ms_load_u64(h + u->hmap.count))
			return false;
	} else if (!ms_load_u64(h + u->swiss.dir_len)) {
		// A small map's group: every control byte full or empty (never
		// deleted in a small map), and as many full as used.
		for (int i = 0; i < 8; i++) {
			if (!(b[i] & 0x80))
				full++;
			else if (b[i] != 0x80)
				return false;
		}
		if (full != ms_load_u64(h + u->swiss.used))
			return false;
	}
	return true;
}

static bool same_type_name(const struct ms_type *a, const struct ms_type *b)
{
	return a == b || (a && b && a->name && b->name && *a->name &&
			  strcmp(a->name, b->name) == 0);
}

// Map types with the same key and element types (in any module).
static bool same_key_elem(const struct ms_type *a, const struct ms_type *b)
{
	return same_type_name(a->key, b->key) && same_type_name(a->elem, b->elem);
}

/*
 * Type map @p m (a heap or stack find) or decide it is not a map.
 * @return whether to keep it.
 */
static struct ms_error *type_find(struct scan_ctx *ctx, struct ms_scan_map *m,
				  bool *keep)
{
	*keep = true;
	uint8_t h[256];
	struct ms_error *err = ms_session_read(ctx->s, m->header, h, ctx->untyped.header_size);
	if (err) {
		ms_error_destroy(err);
		return NULL;
	}
	struct ms_map_storage st;
	switch (find_storage(ctx, h, &st)) {
	case STORAGE_BAD:
		*keep = false;
		return NULL;
	case STORAGE_NONE:
		// An empty map, or storage that leads nowhere sound: the
		// checker judges the latter; nothing tells its type.
		return untyped_sound(ctx, m, keep);
	case STORAGE_OK:
		break;
	}
	if (!ctx->n_cands) {
		*keep = storage_sane(ctx, h, &st);
		if (!*keep)
			return NULL;
		m->confidence = m->confidence < CONF_UNTYPED ? m->confidence : CONF_UNTYPED;
		return untyped_sound(ctx, m, keep);
	}
	// Of the types that hold, the one whose keys and values say the most
	// for it (pointers that lead to values of their type, strings) wins;
	// a tie between different types is ambiguity, said as such.
	const struct ms_map_cand *first = NULL;
	unsigned survivors = 0, best_ev = 0;
	bool tie = false;
	for (size_t i = 0; i < ctx->n_cands; i++) {
		const struct ms_map_cand *c = &ctx->cands[i];
		if (!ms_map_cand_fits(c, &st))
			continue;
		if (first && strcmp(first->type->name, c->type->name) == 0)
			continue;	// the same type in another module
		bool holds;
		unsigned ev = 0;
		if ((err = cand_holds(ctx, c, m->header, st.addr, &holds, &ev)))
			return err;
		if (!holds)
			continue;
		survivors++;
		if (!first || ev > best_ev) {
			first = c;
			best_ev = ev;
			tie = false;
		} else if (ev == best_ev && strcmp(first->type->name, c->type->name)) {
			// A named map type (type byName map[string]float64)
			// and its underlying map type share their storage:
			// the unnamed one is true of both.
			if (same_key_elem(first->type, c->type)) {
				survivors--;
				if (strncmp(c->type->name, "map[", 4) == 0)
					first = c;
			} else {
				tie = true;
			}
		}
	}
	m->type_candidates = survivors;
	if (!survivors) {
		// Sound storage that no map type of the program can own.
		*keep = false;
		return NULL;
	}
	if (tie) {
		m->confidence = CONF_UNTYPED;
		return untyped_sound(ctx, m, keep);
	}
	m->type = first->type;
	m->type_module = first->module;
	m->confidence = st.type_word && first->bucket_type ? CONF_MALLOC_HEADER : CONF_INFERRED;
	return NULL;
}

static struct ms_error *type_scan_finds(struct ms_scan *sc, struct scan_ctx *ctx)
{
	struct ms_error *err = collect_cands(ctx);
	if (err)
		return err;
	size_t kept = 0, dropped = 0, ambiguous = 0;
	for (size_t i = 0; i < sc->n_maps; i++) {
		struct ms_scan_map *m = &sc->maps[i];
		bool keep = true;
		if (!m->type && (m->n_roots ? m->roots[0].from_mask
				 : (m->found_by & (MS_FOUND_HEAP | MS_FOUND_STACK)) != 0)) {
			if ((err = type_find(ctx, m, &keep)))
				return err;
		}
		if (!keep) {
			map_deinit(m);
			dropped++;
			continue;
		}
		if (!m->type && m->type_candidates > 1)
			ambiguous++;
		sc->maps[kept++] = *m;
	}
	sc->n_maps = kept;
	if (dropped)
		add_note(sc, "%zu heap or stack candidates dropped: no map type fits", dropped);
	if (ambiguous)
		add_note(sc, "%zu heap or stack finds untyped: several map types fit", ambiguous);
	return reindex(ctx);
}

/*
 * Maps that unnamed words hold are typed by the code that uses them, as the
 * compiler wrote it (register ABI, amd64): a call into the map runtime takes
 * the map type descriptor in rax (lea rax, [rip + type]) and the map in
 * rbx, so a call to runtime.mapassign_faststr (mapaccess*, mapdelete*,
 * mapiterinit, mapclear, makemap) after a load of the word and a lea of a
 * map type into rax says the word's map has that type; a store of the
 * result of runtime.makemap into the word says the same. Every such call in
 * every function referencing the word must agree. A dangling map's storage
 * is gone, and two map types can fit the same storage (map[int]int and
 * map[uint64]bool): the code is the compiler's own statement.
 */
enum { CONF_CODE = 85, CODE_MAX_BYTES = 256 << 10, MAX_CODE_FUNCS = 256 };

struct code_ref {
	uint64_t address, func_start;
	size_t module;
	bool got;	// it reaches a word through a GOT slot
};

struct code_type_ctx {
	struct scan_ctx *ctx;
	struct ms_scan_map **maps;		// parallel to the slots
	const struct ms_type **type;		// the code's type for each slot
	bool *conflict;
	struct code_ref *refs;
	size_t n_refs, cap_refs;
	// The sweep of one function.
	size_t module, n_slots;
	uint64_t types_start;
	const struct ms_type *rax_type;		// a map type lea'd into rax since the last call
	const struct ms_type *made;		// the type the last call made (makemap)
	// After makemap_small: the type of the map calls since (a map literal
	// filled before it is stored), conflicting when they differ.
	bool fresh, fresh_conflict;
	const struct ms_type *fresh_type;
	bool *loaded;				// slots loaded since the last call
	// Every map type the function passes to the map runtime (or makes).
	const struct ms_type **used;
	size_t n_used, cap_used;
	// Code reaching the words through the GOT (plugins): the slot whose
	// address each register holds (index + 1, 0 for none).
	size_t reg_slot[MS_REG_COUNT];
	const struct ms_got_slot *got;
	size_t n_got;
	const struct ms_xref_target *slots;
};

static struct ms_error *code_ref_found(void *arg, size_t target, const struct ms_prov_xref *x)
{
	struct code_type_ctx *c = arg;
	(void)target;
	if (!x->function)
		return NULL;
	for (size_t i = 0; i < c->n_refs; i++)
		if (c->refs[i].func_start == x->address - x->offset && c->refs[i].module == x->module) {
			if (x->address > c->refs[i].address)
				c->refs[i].address = x->address;
			c->refs[i].got |= x->through_got;
			return NULL;
		}
	if (c->n_refs >= MAX_CODE_FUNCS)
		return NULL;
	if (c->n_refs == c->cap_refs) {
		size_t cap = c->cap_refs ? 2 * c->cap_refs : 16;
		struct code_ref *v = realloc(c->refs, cap * sizeof(*v));
		if (!v)
			return &ms_enomem;
		c->refs = v;
		c->cap_refs = cap;
	}
	c->refs[c->n_refs++] = (struct code_ref){ x->address, x->address - x->offset, x->module,
						  x->through_got };
	return NULL;
}

// What a callee does with a map type in rax: 0 nothing, 1 takes it, 2 makes a map of
// it, 3 makes a map without it (makemap_small).
static int map_callee(const char *fn)
{
	static const char *const pkgs[] = { "runtime.", "internal/runtime/maps.runtime_",
					    "internal/runtime/maps." };
	const char *base = NULL;
	for (size_t i = 0; fn && i < sizeof(pkgs) / sizeof(pkgs[0]) && !base; i++)
		if (strncmp(fn, pkgs[i], strlen(pkgs[i])) == 0)
			base = fn + strlen(pkgs[i]);
	if (!base)
		return 0;
	if (strcmp(base, "makemap") == 0 || strcmp(base, "makemap64") == 0)
		return 2;
	if (strcmp(base, "makemap_small") == 0)
		return 3;
	static const char *const takes[] = { "mapaccess", "mapassign", "mapdelete",
					     "mapiterinit", "mapclear" };
	for (size_t i = 0; i < sizeof(takes) / sizeof(takes[0]); i++)
		if (strncmp(base, takes[i], strlen(takes[i])) == 0)
			return 1;
	return 0;
}

static void code_evidence(struct code_type_ctx *c, size_t slot, const struct ms_type *t)
{
	if (!c->type[slot])
		c->type[slot] = t;
	else if (c->type[slot] != t)
		c->conflict[slot] = true;
}

static void code_used(struct code_type_ctx *c, const struct ms_type *t)
{
	for (size_t i = 0; i < c->n_used; i++)
		if (c->used[i] == t)
			return;
	if (c->n_used == c->cap_used) {
		size_t cap = 2 * c->cap_used;
		const struct ms_type **v = realloc(c->used, cap * sizeof(*v));
		if (!v)
			return;
		c->used = v;
		c->cap_used = cap;
	}
	c->used[c->n_used++] = t;
}

// The word of slot @p slot is stored to (@p store) or loaded from (into rax: @p to_rax).
static void code_slot_access(struct code_type_ctx *c, size_t slot, bool store, bool to_rax)
{
	if (store) {
		if (c->made)
			code_evidence(c, slot, c->made);
		else if (c->fresh && c->fresh_type && !c->fresh_conflict)
			code_evidence(c, slot, c->fresh_type);
		// A load just before is the write barrier's read of the old value.
		c->loaded[slot] = false;
	} else {
		c->loaded[slot] = true;
		if (to_rax)
			c->rax_type = NULL;
	}
}

/*
 * A call to @p target. Returns false for the write barrier, which keeps
 * every register but r11 and says nothing of maps.
 */
static bool code_call(struct code_type_ctx *c, uint64_t target, bool known)
{
	struct ms_module *mod;
	const char *fn = NULL;
	uint64_t off;
	if (known) {
		struct ms_error *err = ms_session_symbolize(c->ctx->s, target, &mod, &fn, &off);
		if (err) {
			ms_error_destroy(err);
			fn = NULL;
		}
	}
	if (fn && strncmp(fn, "runtime.gcWriteBarrier", 22) == 0)
		return false;
	int what = fn ? map_callee(fn) : 0;
	if ((what == 1 || what == 2) && c->rax_type && c->used)
		code_used(c, c->rax_type);
	if (what == 1 && c->rax_type)
		for (size_t i = 0; i < c->n_slots; i++)
			if (c->loaded[i])
				code_evidence(c, i, c->rax_type);
	c->made = what == 2 ? c->rax_type : NULL;
	if (what == 3 || what == 2) {
		c->fresh = what == 3;
		c->fresh_type = NULL;
		c->fresh_conflict = false;
	} else if (what == 1 && c->fresh && c->rax_type) {
		if (c->fresh_type && c->fresh_type != c->rax_type)
			c->fresh_conflict = true;
		c->fresh_type = c->rax_type;
	}
	c->rax_type = NULL;
	memset(c->loaded, 0, c->n_slots * sizeof(*c->loaded));
	return true;
}

static struct ms_error *code_event(const struct ms_xref *x, void *arg)
{
	struct code_type_ctx *c = arg;
	struct scan_ctx *ctx = c->ctx;
	if (x->target < c->n_slots) {
		code_slot_access(c, x->target, strncmp(x->text, "mov qword ptr [", 15) == 0,
				 strncmp(x->text, "mov rax,", 8) == 0);
		return NULL;
	}
	if (x->kind == MS_XREF_BRANCH) {
		if (strncmp(x->text, "call ", 5) == 0)
			code_call(c, x->ref_addr, true);
		return NULL;
	}
	if (x->kind != MS_XREF_RIP || strncmp(x->text, "lea rax, ", 9))
		return NULL;
	const struct ms_type *t = NULL;
	struct mod_info *mi = mod_info(ctx, c->module);
	struct ms_error *err = ms_types_by_runtime_type(mi->types, x->ref_addr - c->types_start, &t);
	if (err && c->used && mi->dwarf) {
		// A map type DWARF does not list (no variable has it): the
		// runtime's descriptor names it.
		ms_error_destroy(err);
		err = NULL;
		if (!mi->rt_tried) {
			struct ms_types_runtime rt;
			mi->rt_tried = true;
			if (runtime_types_of(ctx, ms_session_module(ctx->s, c->module), &rt))
				err = ms_types_create_runtime(&rt, &mi->rt_types);
			ms_error_destroy(err);
			err = NULL;
		}
		err = mi->rt_types ? ms_types_by_runtime_type(mi->rt_types,
							      x->ref_addr - c->types_start, &t)
				   : ms_error_create(MS_ERR_NOT_FOUND, "no runtime types");
	}
	ms_error_destroy(err);
	c->rax_type = !err && t->kind == MS_KIND_MAP ? t : NULL;
	return NULL;
}

// The sweep's targets are sorted; code_event() wants the slots' own indices.
struct code_sorted {
	struct code_type_ctx *c;
	const size_t *index;
};

static struct ms_error *code_event_sorted(const struct ms_xref *x, void *arg)
{
	const struct code_sorted *cs = arg;
	struct ms_xref y = *x;
	y.target = cs->index[x->target];
	return code_event(&y, cs->c);
}

static int target_cmp(const void *a, const void *b)
{
	const struct ms_xref_target *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

// The map type whose descriptor is at @p addr, in any module's types; NULL for none.
static const struct ms_type *map_type_at(struct scan_ctx *ctx, uint64_t addr)
{
	for (size_t j = 0; j < ctx->n_mods; j++) {
		struct ms_module *mod = ms_session_module(ctx->s, j);
		const struct ms_range *ty = &mod->ranges[MS_SECTION_TYPES];
		if (addr < ty->start || addr >= ty->end)
			continue;
		struct mod_info *mi = mod_info(ctx, j);
		const struct ms_type *t = NULL;
		struct ms_error *err = mi->types && !mi->dwarf
			? ms_types_by_runtime_type(mi->types, addr - ty->start, &t)
			: ms_error_create(MS_ERR_NOT_FOUND, "no runtime types");
		if (err) {
			ms_error_destroy(err);
			return NULL;
		}
		return t->kind == MS_KIND_MAP ? t : NULL;
	}
	return NULL;
}

// The index of the slot at @p addr, or n_slots.
static size_t slot_index(const struct code_type_ctx *c, uint64_t addr)
{
	for (size_t i = 0; i < c->n_slots; i++)
		if (c->slots[i].addr == addr)
			return i;
	return c->n_slots;
}

static bool is_got_slot(const struct code_type_ctx *c, uint64_t addr)
{
	size_t lo = 0, hi = c->n_got;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->got[mid].slot == addr)
			return true;
		if (c->got[mid].slot < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/*
 * One instruction of a function that reaches the words through the GOT, as
 * a Go plugin's code does: "mov r15, qword ptr [rip + GOT]" loads a word's
 * address, "mov rbx, qword ptr [r15]" then loads the map and "mov qword
 * ptr [r15], rax" stores one; the map type goes into rax the same way
 * ("mov rax, qword ptr [rip + GOT]" of a type descriptor). What each GOT
 * slot holds is read from the core, where the dynamic linker wrote it.
 */
static struct ms_error *got_insn(const struct ms_disasm_insn *in, void *arg)
{
	struct code_type_ctx *c = arg;
	const struct ms_disasm_line *l = &in->line;
	// Padding the compiler aligns calls with ("xchg ax, ax") changes nothing.
	if (strncmp(l->text, "nop", 3) == 0 || strcmp(l->text, "xchg ax, ax") == 0)
		return NULL;
	if (in->is_call) {
		if (code_call(c, in->target, in->has_target))
			memset(c->reg_slot, 0, sizeof(c->reg_slot));
		else
			c->reg_slot[MS_REG_R11] = 0;
		return NULL;
	}
	bool load8 = strncmp(l->text, "mov ", 4) == 0 && l->mem.present && l->mem.size == 8;
	size_t set_slot = 0;
	bool set_type = false;
	if (l->mem.present && l->mem.rip_relative) {
		uint64_t ea = l->addr + l->size + (uint64_t)l->mem.disp;
		size_t k = slot_index(c, ea);
		uint64_t v;
		if (k < c->n_slots) {
			code_slot_access(c, k, in->mem_write, in->write_reg == MS_REG_RAX);
		} else if (in->write_reg == MS_REG_RAX && strncmp(l->text, "lea rax, ", 9) == 0) {
			c->rax_type = map_type_at(c->ctx, ea);
			set_type = true;
		} else if (load8 && !in->mem_write && in->write_reg >= 0 && is_got_slot(c, ea) &&
			   ms_session_try_read_u64(c->ctx->s, ea, &v)) {
			if ((k = slot_index(c, v)) < c->n_slots) {
				set_slot = k + 1;
			} else if (in->write_reg == MS_REG_RAX) {
				c->rax_type = map_type_at(c->ctx, v);
				set_type = true;
			}
		}
	} else if (load8 && l->mem.base[0] && !l->mem.index[0] && l->mem.disp == 0) {
		int b = ms_disasm_reg_index(l->mem.base);
		if (b >= 0 && b < MS_REG_COUNT && c->reg_slot[b])
			code_slot_access(c, c->reg_slot[b] - 1, in->mem_write,
					 in->write_reg == MS_REG_RAX);
	}
	if (in->write_reg >= 0 && in->write_reg < MS_REG_COUNT) {
		c->reg_slot[in->write_reg] = set_slot;
		if (in->write_reg == MS_REG_RAX && !set_type)
			c->rax_type = NULL;
	}
	return NULL;
}

// Sweep one function: slots, then the module's types and text ranges.
static struct ms_error *code_sweep(struct code_type_ctx *c, struct ms_disasm *d,
				   const struct code_ref *r, struct ms_xref_target *targets,
				   uint8_t *code)
{
	struct ms_module *mod = ms_session_module(c->ctx->s, r->module);
	const struct ms_range *ty = &mod->ranges[MS_SECTION_TYPES];
	const struct ms_range *tx = &mod->ranges[MS_SECTION_TEXT];
	struct mod_info *mi = mod_info(c->ctx, r->module);
	uint64_t len = r->address + 64 - r->func_start;
	if (!mi->types || !ty->start || !tx->start || len > CODE_MAX_BYTES)
		return NULL;
	if (r->address + 64 > tx->end)
		len = tx->end - r->func_start;
	struct ms_error *err = ms_session_read(c->ctx->s, r->func_start, code, len);
	if (err) {
		ms_error_destroy(err);
		return NULL;
	}
	size_t n = c->n_slots;
	c->module = r->module;
	c->types_start = ty->start;
	c->rax_type = c->made = c->fresh_type = NULL;
	c->fresh = c->fresh_conflict = false;
	memset(c->loaded, 0, n * sizeof(*c->loaded));
	if (r->got) {
		if ((err = ms_module_got_slots(mod, &c->got, &c->n_got)))
			return err;
		memset(c->reg_slot, 0, sizeof(c->reg_slot));
		return ms_disasm_each(d, code, len, r->func_start, got_insn, c);
	}
	targets[n] = (struct ms_xref_target){ ty->start, ty->end - ty->start };
	targets[n + 1] = (struct ms_xref_target){ tx->start, tx->end - tx->start };
	// The slot targets keep their indices: sort a copy for the sweep.
	struct ms_xref_target *sorted = malloc((n + 2) * sizeof(*sorted));
	size_t *index = malloc((n + 2) * sizeof(*index));
	if (!sorted || !index) {
		free(sorted);
		free(index);
		return &ms_enomem;
	}
	memcpy(sorted, targets, (n + 2) * sizeof(*sorted));
	qsort(sorted, n + 2, sizeof(*sorted), target_cmp);
	for (size_t i = 0; i < n + 2; i++)
		for (size_t j = 0; j < n + 2; j++)
			if (targets[j].addr == sorted[i].addr && targets[j].size == sorted[i].size)
				index[i] = j;
	struct code_sorted cs = { c, index };
	err = ms_disasm_xrefs(d, code, len, r->func_start, sorted, n + 2, code_event_sorted, &cs);
	free(sorted);
	free(index);
	return err;
}

static struct ms_error *type_unnamed_from_code(struct scan_ctx *ctx)
{
	struct ms_scan *sc = ctx->sc;
	// Every word of a stripped module holding the map is a slot: a
	// plugin's variable and the executable's copy of it alike.
	size_t n = 0;
	for (size_t i = 0; i < sc->n_maps; i++) {
		const struct ms_scan_map *m = &sc->maps[i];
		if (!m->n_roots || !m->roots[0].from_mask ||
		    (m->type && m->confidence >= CONF_MALLOC_HEADER))
			continue;
		for (size_t j = 0; j < m->n_roots; j++)
			n += m->roots[j].from_mask;
	}
	if (!n)
		return NULL;
	struct ms_xref_target *targets = calloc(n + 2, sizeof(*targets));
	struct code_type_ctx c = {
		.ctx = ctx, .maps = calloc(n, sizeof(*c.maps)), .type = calloc(n, sizeof(*c.type)),
		.conflict = calloc(n, sizeof(*c.conflict)), .loaded = calloc(n, sizeof(*c.loaded)),
		.n_slots = n, .slots = targets,
	};
	struct ms_disasm *d = NULL;
	uint8_t *code = malloc(CODE_MAX_BYTES);
	struct ms_error *err = NULL;
	if (!targets || !c.maps || !c.type || !c.conflict || !c.loaded || !code)
		err = &ms_enomem;
	size_t k = 0;
	for (size_t i = 0; i < sc->n_maps && !err; i++) {
		struct ms_scan_map *m = &sc->maps[i];
		if (!m->n_roots || !m->roots[0].from_mask ||
		    (m->type && m->confidence >= CONF_MALLOC_HEADER))
			continue;
		for (size_t j = 0; j < m->n_roots; j++)
			if (m->roots[j].from_mask) {
				targets[k] = (struct ms_xref_target){ m->roots[j].slot, 8 };
				c.maps[k++] = m;
			}
	}
	// The functions referring to the words, then each of them swept.
	if (!err)
		err = ms_provenance_code_refs(ctx->s, targets, n, code_ref_found, &c);
	if (!err && c.n_refs)
		err = ms_disasm_create(&d);
	for (size_t i = 0; i < c.n_refs && !err; i++)
		err = code_sweep(&c, d, &c.refs[i], targets, code);
	size_t typed = 0, retyped = 0;
	for (size_t i = 0, next; i < n && !err; i = next) {
		struct ms_scan_map *m = c.maps[i];
		// The map's words (consecutive slots) must agree.
		const struct ms_type *t = NULL;
		bool conflict = false;
		for (next = i; next < n && c.maps[next] == m; next++) {
			conflict |= c.conflict[next] || (t && c.type[next] && c.type[next] != t);
			if (c.type[next])
				t = c.type[next];
		}
		if (!t || conflict || t == m->type)
			continue;
		// The type must fit the header and what the core holds of its
		// storage: a corrupt reason says it does not.
		struct ms_map_shape shape;
		size_t module = SIZE_MAX;
		for (size_t j = 0; j < ctx->n_mods && module == SIZE_MAX; j++)
			if (ctx->mods[j].types && !ctx->mods[j].dwarf) {
				const struct ms_type *t2;
				struct ms_error *e = ms_types_by_runtime_type(ctx->mods[j].types,
									      t->runtime_type, &t2);
				ms_error_destroy(e);
				if (!e && t2 == t)
					module = j;
			}
		if (module == SIZE_MAX || !typed_shape(ctx, module, t, &shape))
			continue;
		struct ms_map_check chk;
		if ((err = ms_map_check(&ctx->mem, &shape, &ctx->limits, m->header, NULL, NULL,
					&chk)))
			break;
		bool fits = true;
		for (size_t j = 0; j < chk.n_reasons; j++)
			fits &= chk.reasons[j].verdict != MS_VERDICT_CORRUPT;
		ms_map_check_deinit(&chk);
		if (!fits)
			continue;
		if (m->type)
			retyped++;
		else
			typed++;
		m->type = t;
		m->type_module = module;
		m->confidence = CONF_CODE;
		m->type_candidates = 1;
	}
	if (retyped)
		add_note(sc, "%zu map%s typed by the code using %s, not by what %s storage fits",
			 retyped, retyped == 1 ? "" : "s", retyped == 1 ? "it" : "them",
			 retyped == 1 ? "its" : "their");
	(void)typed;
	ms_disasm_destroy(d);
	free(code);
	free(targets);
	free(c.maps);
	free(c.type);
	free(c.conflict);
	free(c.loaded);
	free(c.refs);
	return err;
}

/*
 * A find several map types fit, held by a frame (a stack find in it, or a
 * live pointer of it leading there), is typed by that function's code:
 * of the map types it passes to the map runtime (or makes), the one that
 * fits the storage, when exactly one does (a local map[uint32]uint16 whose
 * buckets a map[int32]int16 would fill alike). Confidence as for code
 * typing of unnamed words.
 */
// A find whose type the storage alone could not settle (several types fit,
// or one won over others only by how much its keys and values say).
static bool frame_code_may_type(const struct ms_scan_map *m)
{
	return m->frame_entry && !m->n_roots &&
	       (m->type ? m->confidence == CONF_INFERRED : m->type_candidates >= 2);
}

/*
 * The candidate for map type @p t of module @p module: one of the module's
 * map types, or (a type DWARF does not list, only the code names) made now.
 * @return NULL when its layout is unknown.
 */
static const struct ms_map_cand *cand_for_type(struct scan_ctx *ctx, size_t module,
					       const struct ms_type *t)
{
	for (size_t k = 0; k < ctx->n_cands; k++)
		if (same_type_name(ctx->cands[k].type, t))
			return &ctx->cands[k];
	struct ms_map_cand c = { .module = module, .type = t };
	if (!t->key || !t->elem || !typed_shape(ctx, module, t, &c.shape) ||
	    c.shape.impl != ctx->untyped.impl)
		return NULL;
	if (ctx->n_cands == ctx->cap_cands) {
		size_t cap = ctx->cap_cands ? 2 * ctx->cap_cands : 64;
		struct ms_map_cand *v = realloc(ctx->cands, cap * sizeof(*v));
		if (!v)
			return NULL;
		ctx->cands = v;
		ctx->cap_cands = cap;
	}
	struct ms_error *err = ms_map_cand_init_bits(&c);
	if (err) {
		ms_error_destroy(err);
		return NULL;
	}
	ctx->cands[ctx->n_cands++] = c;
	return &ctx->cands[ctx->n_cands - 1];
}

static int frame_entry_cmp(const void *a, const void *b)
{
	const struct ms_scan_map *x = *(struct ms_scan_map *const *)a;
	const struct ms_scan_map *y = *(struct ms_scan_map *const *)b;
	return x->frame_entry < y->frame_entry ? -1 : x->frame_entry > y->frame_entry;
}

static struct ms_error *type_from_frame_code(struct scan_ctx *ctx)
{
	struct ms_scan *sc = ctx->sc;
	struct ms_disasm *d = NULL;
	uint8_t *code = NULL;
	struct ms_xref_target targets[2];
	bool no_slot = false;
	struct code_type_ctx c = { .ctx = ctx, .loaded = &no_slot };
	struct ms_error *err = NULL;
	size_t typed = 0, retyped = 0, n = 0;
	// The finds by function: each function is swept once.
	for (size_t i = 0; i < sc->n_maps; i++)
		n += frame_code_may_type(&sc->maps[i]);
	if (!n)
		return NULL;
	struct ms_scan_map **by = malloc(n * sizeof(*by));
	if (!by)
		return &ms_enomem;
	n = 0;
	for (size_t i = 0; i < sc->n_maps; i++)
		if (frame_code_may_type(&sc->maps[i]))
			by[n++] = &sc->maps[i];
	qsort(by, n, sizeof(*by), frame_entry_cmp);
	for (size_t i = 0, next; i < n && !err; i = next) {
		struct ms_scan_map *m = by[i];
		for (next = i + 1; next < n && by[next]->frame_entry == m->frame_entry; next++)
			;
		struct ms_module *mod;
		const char *fn;
		uint64_t off;
		struct ms_pclntab *tab;
		struct ms_pclntab_funcinfo fi;
		if ((err = ms_session_symbolize(ctx->s, m->frame_entry, &mod, &fn, &off)) ||
		    off || (err = ms_module_pclntab(mod, &tab)) ||
		    (err = ms_pclntab_func_at(tab, m->frame_entry - mod->bias, &fi))) {
			ms_error_destroy(err);
			err = NULL;
			continue;
		}
		size_t module = module_index(ctx, mod);
		if (module == SIZE_MAX || fi.end <= fi.entry || fi.end - fi.entry > CODE_MAX_BYTES - 64)
			continue;
		if (!code && !(code = malloc(CODE_MAX_BYTES))) {
			err = &ms_enomem;
			break;
		}
		if (!d && (err = ms_disasm_create(&d)))
			break;
		if (!c.used && !(c.used = malloc(16 * sizeof(*c.used)))) {
			err = &ms_enomem;
			break;
		}
		c.cap_used = 16;
		c.n_used = 0;
		c.n_slots = 0;
		struct code_ref r = { m->frame_entry + (fi.end - fi.entry) - 64, m->frame_entry, module };
		if ((err = code_sweep(&c, d, &r, targets, code)))
			break;
		// Each untyped find this function holds, typed by its code.
		for (size_t j = i; j < next && c.n_used; j++) {
			struct ms_scan_map *mj = by[j];
			uint8_t h[256];
			struct ms_map_storage st;
			if ((err = ms_session_read(ctx->s, mj->header, h, ctx->untyped.header_size))) {
				ms_error_destroy(err);
				err = NULL;
				continue;
			}
			if (find_storage(ctx, h, &st) != STORAGE_OK)
				continue;
			// As for storage alone: the candidate whose keys and
			// values say the most for it, a tie left untyped.
			const struct ms_map_cand *pick = NULL;
			unsigned best_ev = 0;
			bool several = false, current_used = false;
			for (size_t u = 0; u < c.n_used && !err; u++) {
				// A named map type and its underlying one are alike.
				current_used |= mj->type && same_key_elem(c.used[u], mj->type);
				const struct ms_map_cand *cand = cand_for_type(ctx, module, c.used[u]);
				if (!cand || !ms_map_cand_fits(cand, &st))
					continue;
				bool holds;
				unsigned ev = 0;
				if ((err = cand_holds(ctx, cand, mj->header, st.addr, &holds, &ev)))
					break;
				if (!holds)
					continue;
				if (!pick || ev > best_ev) {
					pick = cand;
					best_ev = ev;
					several = false;
				} else if (ev == best_ev && !same_key_elem(pick->type, cand->type)) {
					several = true;
				}
			}
			// A type the storage fits that this code uses too stays.
			if (current_used)
				continue;
			if (err || !pick || several || same_type_name(pick->type, mj->type))
				continue;
			if (mj->type)
				retyped++;
			else
				typed++;
			mj->type = pick->type;
			mj->type_module = pick->module;
			mj->confidence = CONF_CODE;
			mj->type_candidates = 1;
		}
	}
	if (typed)
		add_note(sc, "%zu ambiguous map%s typed by the code of the frame holding %s",
			 typed, typed == 1 ? "" : "s", typed == 1 ? "it" : "them");
	if (retyped)
		add_note(sc, "%zu map%s retyped by the code of the frame holding %s",
			 retyped, retyped == 1 ? "" : "s", retyped == 1 ? "it" : "them");
	ms_disasm_destroy(d);
	free(code);
	free(c.used);
	free(by);
	return err;
}

/*
 * Walks from what the scans found. A heap object over 512 bytes names its
 * type in its malloc header (Go 1.22+): a struct holding maps is walked
 * like a global, its maps named "(heap 0x... main.Server).Sessions". A
 * typed heap or stack find is walked for the maps among its keys and
 * values. An interface on a goroutine stack whose data word is a found
 * header types it by its type word (or its itab's type): the runtime's
 * own descriptor.
 */

static const char *keep_root_name(struct scan_ctx *ctx, const char *fmt, ...)
{
	char **v = realloc(ctx->root_names, (ctx->n_root_names + 1) * sizeof(*v));
	if (!v)
		return NULL;
	ctx->root_names = v;
	va_list ap;
	va_start(ap, fmt);
	char *s;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	ctx->root_names[ctx->n_root_names++] = s;
	return s;
}

struct iface_ctx {
	struct scan_ctx *ctx;
	uint8_t *buf;
	size_t typed;
};

static int iface_region(void *arg, uint64_t g, uint64_t lo, uint64_t hi, uint64_t sp)
{
	struct iface_ctx *ic = arg;
	struct scan_ctx *ctx = ic->ctx;
	(void)g;
	(void)lo;
	sp &= ~(uint64_t)7;
	uint64_t len = hi - sp;
	if (len > STACK_MAX_BYTES)
		len = STACK_MAX_BYTES;
	struct ms_error *err = ms_session_read(ctx->s, sp, ic->buf, len);
	if (err) {
		ms_error_destroy(err);
		return 0;
	}
	for (uint64_t off = 8; off + 8 <= len; off += 8) {
		struct ms_scan_map *m = find_map(ctx, ms_load_u64(ic->buf + off));
		if (!m || m->n_roots || m->confidence >= CONF_MALLOC_HEADER)
			continue;
		uint64_t tw = ms_load_u64(ic->buf + off - 8);
		size_t module = SIZE_MAX;
		const struct ms_type *t = tw ? runtime_type_at(ctx, tw, &module) : NULL;
		if (!t && tw && !(tw & 7)) {
			// A non-empty interface: itab._type is its second word.
			uint8_t b[8];
			if (!(err = ms_session_read(ctx->s, tw + 8, b, 8)))
				t = runtime_type_at(ctx, ms_load_u64(b), &module);
			ms_error_destroy(err);
		}
		if (!t || t->kind != MS_KIND_MAP)
			continue;
		m->type = t;
		m->type_module = module;
		m->confidence = CONF_MALLOC_HEADER;
		m->type_candidates = 1;
		ic->typed++;
	}
	return 0;
}

static void type_from_interfaces(struct scan_ctx *ctx)
{
	struct iface_ctx ic = { ctx, malloc(STACK_MAX_BYTES), 0 };
	if (!ic.buf)
		return;
	struct ms_error *err = ms_session_foreach_stack(ctx->s, iface_region, &ic);
	ms_error_destroy(err);
	free(ic.buf);
}

enum { TYPED_OBJ_MAX_ELEMS = 64 };

/*
 * A map a walk reached from a heap object a frame holds (a local *Server's
 * Sessions, typed by its malloc header), or from a map a frame holds (the
 * Sessions' values' Attrs), is held by that frame too: the declaring
 * function, where the local's name is lost.
 */
static void frames_holding_walks(struct scan_ctx *ctx)
{
	if (!ctx->n_holds && !ctx->sc->n_maps)
		return;
	for (int pass = 0; pass < 8; pass++) {
		bool changed = false;
		for (size_t i = 0; i < ctx->sc->n_maps; i++) {
			struct ms_scan_map *m = &ctx->sc->maps[i];
			if (!m->n_roots || m->frame_func || m->roots[0].goid || m->roots[0].unnamed ||
			    (m->found_by & MS_FOUND_GLOBAL) || !m->roots[0].var_addr)
				continue;
			uint64_t from = m->roots[0].var_addr;
			const struct ms_scan_map *p = find_map(ctx, from);
			const struct frame_hold *h = p ? NULL : hold_find(ctx, from);
			if (p && p != m && p->frame_func && p->goid) {
				m->goid = p->goid;
				m->g = p->g;
				m->frame_func = p->frame_func;
				m->frame_file = p->frame_file;
				m->frame_line = p->frame_line;
				m->frame_entry = p->frame_entry;
			} else if (h) {
				m->goid = h->g->goid;
				m->g = h->g->g;
				m->frame_func = h->name->func;
				m->frame_file = h->name->file;
				m->frame_line = h->name->line;
				m->frame_entry = h->name->entry;
			} else {
				continue;
			}
			m->frame_points = true;
			changed = true;
		}
		if (!changed)
			break;
	}
}

static struct ms_error *walk_from_finds(struct scan_ctx *ctx)
{
	struct ms_reach *r = ctx->reach;
	struct ms_error *err = NULL;
	if (!r)
		return NULL;
	for (size_t i = 0; i < ctx->n_typed_objs && !err; i++) {
		uint64_t base = ctx->typed_objs[i];
		uint8_t b[8];
		if ((err = ms_session_read(ctx->s, base - 8, b, 8))) {
			ms_error_destroy(err);
			err = NULL;
			continue;
		}
		size_t module = SIZE_MAX;
		const struct ms_type *t = runtime_type_at(ctx, ms_load_u64(b), &module);
		if (!t || !t->size || !ms_type_may_contain_map(t))
			continue;
		struct ms_addr_info ai;
		if ((err = ms_session_classify(ctx->s, base, &ai))) {
			ms_error_destroy(err);
			err = NULL;
			continue;
		}
		if (ai.cls != MS_ADDR_HEAP_INUSE || ai.object_base != base)
			continue;
		// An array's header names its element type: walk each element.
		uint64_t n = ai.object_size / t->size;
		if (n > TYPED_OBJ_MAX_ELEMS)
			n = TYPED_OBJ_MAX_ELEMS;
		ctx->cur_module = module;
		ctx->cur_root_addr = base;
		ctx->cur_root_size = ai.object_size;
		for (uint64_t e = 0; e < n && !err; e++) {
			const char *name = n > 1
				? keep_root_name(ctx, "(heap 0x%" PRIx64 " %s)[%" PRIu64 "]", base,
						 t->name && *t->name ? t->name : "?", e)
				: keep_root_name(ctx, "(heap 0x%" PRIx64 " %s)", base,
						 t->name && *t->name ? t->name : "?");
			if (!name) {
				err = &ms_enomem;
				break;
			}
			ctx->cur_root_name = name;
			err = ms_reach_walk(r, base + e * t->size, t, name);
		}
	}
	// Maps the walks add grow the array: index it afresh each time.
	for (size_t i = 0; i < ctx->sc->n_maps && !err; i++) {
		struct ms_scan_map *m = &ctx->sc->maps[i];
		if (!m->type || (m->n_roots && !m->roots[0].from_mask) ||
		    (!m->n_roots && !(m->found_by & (MS_FOUND_HEAP | MS_FOUND_STACK))))
			continue;
		char where[256];
		ms_scan_map_where(m, where, sizeof(where));
		const char *name = m->n_roots ? keep_root_name(ctx, "%s", m->roots[0].path)
				   : keep_root_name(ctx, "(%s 0x%" PRIx64 ")", where, m->header);
		if (!name) {
			err = &ms_enomem;
			break;
		}
		uint64_t header = m->header;
		const struct ms_type *t = m->type;
		ctx->cur_module = m->type_module;
		ctx->cur_root_name = name;
		ctx->cur_root_addr = header;
		ctx->cur_root_size = ctx->untyped.header_size;
		err = ms_reach_walk_map(r, header, t, name);
	}
	ctx->cur_root_name = NULL;
	ctx->cur_root_addr = ctx->cur_root_size = 0;
	if (ms_reach_truncated(r))
		ctx->sc->walk_truncated = true;
	return err;
}

/*
 * A core the page cache does not hold (a cold cache: the core just
 * copied, or read once long ago): its heap arenas, most of what the scan
 * reads, are asked of the disk ahead, in file order and large pieces,
 * from a thread of its own, while the scan starts on what it needs first
 * and then reads them in its own order. On a warm cache, nothing: asking
 * costs a page-cache lookup per page. NULL when nothing was started.
 */
static struct ms_readahead *start_readahead(struct ms_session *s)
{
	enum { MAX_RUNS = 4096 };
	const struct ms_addrspace *as = ms_session_addrspace(s);
	const struct ms_heap *heap = ms_session_heap(s);
	if (!heap || !as->have_image_fd || !as->image)
		return NULL;
	struct ms_readahead_range *runs = malloc(MAX_RUNS * sizeof(*runs));
	if (!runs)
		return NULL;
	size_t n = ms_readahead_heap_ranges(as, heap, runs, MAX_RUNS);
	struct ms_readahead *ra = NULL;
	if (n && !ms_readahead_cached(as->image, as->image_size, runs, n))
		ra = ms_readahead_start(as->image_fd, runs, n);
	free(runs);
	return ra;
}

struct ms_error *ms_scan_run(struct ms_session *s,
			     const struct ms_scan_options *opts,
			     struct ms_scan **ret)
{
	struct ms_readahead *ra = NULL;
	struct ms_scan *sc = calloc(1, sizeof(*sc));
	struct scan_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!sc || !ctx) {
		free(sc);
		free(ctx);
		return &ms_enomem;
	}
	sc->session = s;
	sc->priv = ctx;
	ctx->sc = sc;
	ctx->s = s;
	ctx->mem = (struct ms_map_memory){ mem_read, mem_classify, s, mem_borrow,
					   mem_will_read, mem_read_bulk };
	ctx->limits.max_buckets = opts ? opts->max_buckets : 0;
	ctx->n_mods = ms_session_module_count(s);
	struct ms_error *err = NULL;
	const char *const *losses;
	size_t n_losses = ms_session_losses(s, &losses);
	for (size_t i = 0; i < n_losses; i++)
		add_loss(sc, "%s", losses[i]);
	ctx->mods = calloc(ctx->n_mods ? ctx->n_mods : 1, sizeof(*ctx->mods));
	if (!ctx->mods) {
		err = &ms_enomem;
		goto out;
	}
	ra = start_readahead(s);
	// Header layouts: the executable's DWARF, else built in by version.
	if (ctx->n_mods && mod_info(ctx, 0)->layout) {
		ms_map_layout_untyped_shape(mod_info(ctx, 0)->layout, &ctx->untyped);
		ctx->have_untyped = true;
	} else {
		struct ms_map_layout *builtin;
		// The full version keeps the experiments: "go1.24.1 X:noswissmap"
		// has classic maps.
		err = ms_map_layout_builtin(ms_session_go_version_full(s), &builtin);
		if (err) {
			add_loss(sc, "no map layout: %s", err->message);
			ms_error_destroy(err);
			err = NULL;
		} else {
			ms_map_layout_untyped_shape(builtin, &ctx->untyped);
			ctx->have_untyped = true;
			ms_map_layout_destroy(builtin);
		}
	}
	// The goroutines are read once: their frames are roots, and the
	// crash story tells what they were doing.
	if ((err = read_goroutines(sc)) || (err = walk_globals(ctx)) ||
	    (err = walk_goroutines(ctx)))
		goto out;
	if (ctx->have_untyped && !(opts && opts->no_heap_scan) &&
	    ((err = heap_scan(ctx)) || (err = stack_scan(ctx))))
		goto out;
	if (ctx->have_untyped &&
	    ((err = unnamed_roots(ctx)) || (err = type_scan_finds(sc, ctx)) ||
	     (err = type_unnamed_from_code(ctx))))
		goto out;
	frame_of_stack_finds(ctx);
	if (ctx->have_untyped && !(opts && opts->no_heap_scan)) {
		type_from_interfaces(ctx);
		if ((err = attach_iface_locals(ctx)))
			goto out;
		frames_holding_finds(ctx);
		if ((err = type_from_frame_code(ctx)) || (err = walk_from_finds(ctx)))
			goto out;
		frames_holding_walks(ctx);
	}
	if ((err = judge_all(ctx, judge_jobs(opts, sc->n_maps))))
		goto out;
	// An empty map found only by a scan has nothing to type it by: no
	// bucket or group to fit a type to, no typed variable or object.
	size_t empty_untyped = 0;
	for (size_t i = 0; i < sc->n_maps; i++)
		empty_untyped += ms_scan_map_empty_untyped(&sc->maps[i]);
	if (empty_untyped)
		add_note(sc, "%zu empty map%s untyped: no storage yet, no typed variable leads there",
			 empty_untyped, empty_untyped == 1 ? "" : "s");
	for (size_t i = 0; i < sc->n_maps; i++) {
		struct ms_scan_map *m = &sc->maps[i];
		m->writing = m->check.header_read &&
			     ms_map_header_writing(m->impl, m->check.hdr.flags,
						   m->check.hdr.writing);
		sc->writing += m->writing;
	}
	if (sc->n_maps)
		qsort(sc->maps, sc->n_maps, sizeof(*sc->maps), compare_maps);
	if (ctx->idx_cap)
		reindex(ctx);
	for (size_t i = 0; i < sc->n_maps; i++) {
		struct ms_scan_map *m = &sc->maps[i];
		m->id = (unsigned)i + 1;
		order_roots(sc, m);
		sc->by_verdict[m->check.verdict]++;
		if (m->check.verdict != MS_VERDICT_OK)
			sc->suspects++;
	}
	sc->unjudged = sc->by_verdict[MS_VERDICT_NOT_DUMPED];
	sc->judged = sc->n_maps - sc->unjudged;
	if (sc->walk_truncated)
		add_loss(sc, "the walk from the globals stopped at its bound");
	sc->partial = sc->n_losses > 0 || sc->unjudged > 0;
	link_crash(sc);
	if ((err = tell_story(sc)))
		goto out;
out:
	ms_readahead_stop(ra);
	if (err) {
		ms_scan_destroy(sc);
		return err;
	}
	*ret = sc;
	return NULL;
}

static void map_deinit(struct ms_scan_map *m)
{
	for (size_t j = 0; j < m->n_roots; j++)
		free(m->roots[j].path);
	free(m->roots);
	ms_map_check_deinit(&m->check);
}

void ms_scan_destroy(struct ms_scan *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->n_maps; i++)
		map_deinit(&sc->maps[i]);
	free(sc->maps);
	ms_strlist_free(sc->notes, sc->n_notes);
	ms_crash_story_destroy(sc->story);
	ms_goroutines_destroy(sc->goroutines);
	ms_strlist_free(sc->losses, sc->n_losses);
	ctx_destroy(sc->priv);
	free(sc);
}

const struct ms_scan_map *ms_scan_find(const struct ms_scan *sc, uint64_t header)
{
	return find_map(sc->priv, header);
}

const struct ms_scan_map *ms_scan_nearest(const struct ms_scan *sc, uint64_t addr)
{
	const struct ms_scan_map *best = NULL;
	uint64_t best_d = UINT64_MAX;
	for (size_t i = 0; i < sc->n_maps; i++) {
		uint64_t h = sc->maps[i].header;
		uint64_t d = h > addr ? h - addr : addr - h;
		if (h && d < best_d) {
			best = &sc->maps[i];
			best_d = d;
		}
	}
	return best;
}

// "0x...: not a map header (why); the nearest known map is #4 main.x at 0x... (8 bytes below)",
// distances over 1 KiB in KiB, MiB or GiB ("(2.5 MiB above)").
static struct ms_error *not_a_header(struct ms_scan *sc, uint64_t addr, const char *why)
{
	const struct ms_scan_map *m = ms_scan_nearest(sc, addr);
	if (!m)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "0x%" PRIx64 ": not a map header (%s); the scan found no map",
				       addr, why);
	uint64_t d = m->header > addr ? m->header - addr : addr - m->header;
	char dist[32];
	ms_describe_size(d, dist, sizeof(dist));
	return ms_error_create(MS_ERR_NOT_FOUND,
			       "0x%" PRIx64 ": not a map header (%s); the nearest known map is #%u %s at 0x%" PRIx64
			       " (%s %s)",
			       addr, why, m->id, m->n_roots ? m->roots[0].path : "(no variable names it)",
			       m->header, dist, m->header > addr ? "above" : "below");
}

struct ms_error *ms_scan_judge(struct ms_scan *sc, uint64_t header,
			       struct ms_scan_map *ret)
{
	struct scan_ctx *ctx = sc->priv;
	memset(ret, 0, sizeof(*ret));
	ret->header = header;
	ret->type_module = SIZE_MAX;
	const struct ms_scan_map *known = find_map(ctx, header);
	if (known) {
		ret->type = known->type;
		ret->type_module = known->type_module;
		ret->found_by = known->found_by;
		ret->confidence = known->confidence;
		ret->id = known->id;
		ret->goid = known->goid;
		ret->g = known->g;
		ret->frame_func = known->frame_func;
		ret->frame_file = known->frame_file;
		ret->frame_line = known->frame_line;
		ret->frame_entry = known->frame_entry;
		ret->frame_points = known->frame_points;
		ret->type_candidates = known->type_candidates;
	}
	if (!ctx->have_untyped && !ret->type)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "no map layout for %s: neither DWARF nor a built-in table",
				       ms_session_go_version(sc->session));
	if (known)
		return judge(ctx, ret);
	// An address nothing led to must look like a header before it gets a
	// verdict: aligned, readable, and true to the header's invariants.
	// Otherwise a typo or an off-by-one would be judged "dangling".
	char why[300];
	uint8_t word[8];
	struct ms_error *err;
	if (header % 8) {
		snprintf(why, sizeof(why), "not 8-byte aligned");
		return not_a_header(sc, header, why);
	}
	if ((err = ms_session_read(sc->session, header, word, sizeof(word)))) {
		snprintf(why, sizeof(why), "%s", err->message);
		ms_error_destroy(err);
		return not_a_header(sc, header, why);
	}
	// The runtime gives every map a random seed (hash0) when it makes
	// it: words of zeros are memory never written or cleared, not an
	// empty map, as the scan does not count them among its candidates.
	if (ctx->have_untyped && ctx->untyped.header_size <= 256) {
		const struct ms_map_shape *u = &ctx->untyped;
		uint8_t h[256];
		if (!(err = ms_session_read(sc->session, header, h, u->header_size))) {
			bool zero = true;
			for (uint64_t i = 0; i < u->header_size && zero; i++)
				zero = h[i] == 0;
			uint64_t seed = u->impl == MS_MAP_CLASSIC ? ms_load_u32(h + u->hmap.hash0)
				      : ms_load_u64(h + u->swiss.seed);
			if (zero || !seed) {
				const char *f = u->impl == MS_MAP_CLASSIC ? "hash0" : "seed";
				if (zero)
					snprintf(why, sizeof(why), "all zero, memory never written or cleared: "
						 "the runtime gives every map a random %s", f);
				else
					snprintf(why, sizeof(why), "its %s is zero: the runtime gives every "
						 "map a random %s", f, f);
				return not_a_header(sc, header, why);
			}
		}
		ms_error_destroy(err);
	}
	if ((err = judge(ctx, ret)))
		return err;
	if (ret->check.verdict == MS_VERDICT_CORRUPT) {
		const struct ms_map_reason *r = NULL;
		for (size_t i = 0; i < ret->check.n_reasons && !r; i++) {
			if (ret->check.reasons[i].verdict == MS_VERDICT_CORRUPT)
				r = &ret->check.reasons[i];
		}
		snprintf(why, sizeof(why), "fails the header's invariants%s%s",
			 r ? ": " : "", r ? r->detail : "");
		map_deinit(ret);
		return not_a_header(sc, header, why);
	}
	return NULL;
}

void ms_scan_map_release(struct ms_scan_map *m)
{
	map_deinit(m);
}

struct fmt_ctx {
	struct scan_ctx *ctx;
	const struct ms_type *t;
	struct ms_types *types;
	uint64_t types_start;
	bool json;
	size_t left;
	ms_scan_entry_fn *fn;
	void *arg;
	struct ms_error *err;
};

static void format_at(struct fmt_ctx *fc, const struct ms_type *t, uint64_t addr,
		      char *out, size_t size)
{
	uint8_t stackbuf[512];
	snprintf(out, size, "?");
	if (!t || t->size > sizeof(stackbuf))
		return;
	struct ms_error *err = ms_session_read(fc->ctx->s, addr, stackbuf, t->size);
	if (err) {
		snprintf(out, size, fc->json ? "null" : "<%s>", err->message);
		ms_error_destroy(err);
		return;
	}
	struct ms_value_opts o = {
		.read = mem_read,
		.read_arg = fc->ctx->s,
		.types = fc->types,
		// DW_AT_go_runtime_type is an offset from the module's types.
		.bias = fc->types_start,
		.json = fc->json,
	};
	err = ms_value_format(t, stackbuf, t->size, &o, out, size);
	ms_error_destroy(err);
}

static int format_entry(void *arg, uint64_t k, uint64_t e)
{
	struct fmt_ctx *fc = arg;
	if (!fc->left)
		return 1;
	fc->left--;
	char key[512], val[1024];
	format_at(fc, fc->t->key, k, key, sizeof(key));
	format_at(fc, fc->t->elem, e, val, sizeof(val));
	return fc->fn(fc->arg, key, val);
}

struct ms_error *ms_scan_entries(struct ms_scan *sc, const struct ms_scan_map *m,
				 size_t limit, bool json, ms_scan_entry_fn *fn,
				 void *arg)
{
	struct scan_ctx *ctx = sc->priv;
	struct ms_map_shape shape;
	if (!m->type || m->type_module == SIZE_MAX ||
	    !typed_shape(ctx, m->type_module, m->type, &shape))
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "map 0x%" PRIx64 ": key and value types unknown",
				       m->header);
	struct fmt_ctx fc = {
		.ctx = ctx, .t = m->type, .types = mod_info(ctx, m->type_module)->types,
		.types_start = ms_session_module(ctx->s, m->type_module)->ranges[MS_SECTION_TYPES].start,
		.json = json, .left = limit, .fn = fn, .arg = arg,
	};
	struct ms_map_check c;
	struct ms_error *err = ms_map_check(&ctx->mem, &shape, &ctx->limits,
					    m->header, format_entry, &fc, &c);
	ms_map_check_deinit(&c);
	return err;
}

bool ms_scan_map_shape(struct ms_scan *sc, const struct ms_scan_map *m,
		       struct ms_map_shape *ret)
{
	struct scan_ctx *ctx = sc->priv;
	if (m->type && m->type_module != SIZE_MAX &&
	    typed_shape(ctx, m->type_module, m->type, ret))
		return true;
	if (!ctx->have_untyped)
		return false;
	*ret = ctx->untyped;
	return true;
}

struct ms_types *ms_scan_module_types(struct ms_scan *sc, size_t module)
{
	struct scan_ctx *ctx = sc->priv;
	return module < ctx->n_mods ? mod_info(ctx, module)->types : NULL;
}

uint64_t ms_scan_header_size(const struct ms_scan *sc)
{
	const struct scan_ctx *ctx = sc->priv;
	return ctx->have_untyped ? ctx->untyped.header_size : 48;
}
