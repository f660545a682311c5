/* The type-directed walk from roots: every map reachable from a global, with the path that leads to it. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binbuf.h"
#include "fmt.h"
#include "reach.h"

enum {
	DEFAULT_MAX_VISITS = 1 << 22,
	DEFAULT_MAX_ELEMS = 1 << 16,
	DEFAULT_MAX_DEPTH = 48,
	PATH_MAX_LEN = 512,
	ITAB_TYPE_OFFSET = 8,	// runtime.itab: inter *interfacetype, _type *_type
};

// An open-addressing set of (address, type) pairs.
struct visit_set {
	uint64_t *addr;
	const struct ms_type **type;
	size_t cap, n;
};

struct ms_reach {
	struct ms_reach_ops ops;
	struct ms_reach_limits lim;
	struct visit_set seen;
	bool truncated;		/* something was cut short (reported) */
	bool exhausted;		/* the visit budget is spent: every walk stops */
	unsigned depth;
};

static size_t hash_pair(uint64_t a, const struct ms_type *t)
{
	uint64_t h = a ^ ((uint64_t)(uintptr_t)t * 0x9e3779b97f4a7c15ull);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return (size_t)(h ^ (h >> 32));
}

// Insert; returns 1 if new, 0 if present, -1 on allocation failure.
static int set_add(struct visit_set *s, uint64_t a, const struct ms_type *t)
{
	if ((s->n + 1) * 2 > s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 1024;
		uint64_t *na = calloc(ncap, sizeof(*na));
		const struct ms_type **nt = calloc(ncap, sizeof(*nt));
		if (!na || !nt) {
			free(na);
			free(nt);
			return -1;
		}
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->type[i])
				continue;
			size_t j = hash_pair(s->addr[i], s->type[i]) & (ncap - 1);
			while (nt[j])
				j = (j + 1) & (ncap - 1);
			na[j] = s->addr[i];
			nt[j] = s->type[i];
		}
		free(s->addr);
		free(s->type);
		s->addr = na;
		s->type = nt;
		s->cap = ncap;
	}
	size_t j = hash_pair(a, t) & (s->cap - 1);
	while (s->type[j]) {
		if (s->addr[j] == a && s->type[j] == t)
			return 0;
		j = (j + 1) & (s->cap - 1);
	}
	s->addr[j] = a;
	s->type[j] = t;
	s->n++;
	return 1;
}

struct ms_error *ms_reach_create(const struct ms_reach_ops *ops,
				 const struct ms_reach_limits *limits,
				 struct ms_reach **ret)
{
	struct ms_reach *r = calloc(1, sizeof(*r));
	if (!r)
		return &ms_enomem;
	r->ops = *ops;
	if (limits)
		r->lim = *limits;
	if (!r->lim.max_visits)
		r->lim.max_visits = DEFAULT_MAX_VISITS;
	if (!r->lim.max_elems)
		r->lim.max_elems = DEFAULT_MAX_ELEMS;
	if (!r->lim.max_depth)
		r->lim.max_depth = DEFAULT_MAX_DEPTH;
	*ret = r;
	return NULL;
}

void ms_reach_destroy(struct ms_reach *r)
{
	if (!r)
		return;
	free(r->seen.addr);
	free(r->seen.type);
	free(r);
}

bool ms_reach_truncated(const struct ms_reach *r)
{
	return r->truncated;
}

uint64_t ms_reach_visits(const struct ms_reach *r)
{
	return r->seen.n;
}

static struct ms_error *walk(struct ms_reach *r, uint64_t addr,
			     const struct ms_type *t, const char *path);

static bool read_word(struct ms_reach *r, uint64_t addr, uint64_t *ret)
{
	uint8_t b[8];
	struct ms_error *err = r->ops.read(r->ops.arg, addr, b, sizeof(b));
	if (err) {
		ms_error_destroy(err);
		return false;
	}
	*ret = ms_load_u64(b);
	return true;
}

/*
 * Read the word at @p addr of the value @p path of type @p t; a fault is
 * passed to on_unread, so that what could not be followed is said.
 * @return false when unread (*err_ret set only if on_unread failed).
 */
static bool read_value_word(struct ms_reach *r, uint64_t addr,
			    const struct ms_type *t, const char *path,
			    uint64_t *ret, struct ms_error **err_ret)
{
	uint8_t b[8];
	struct ms_error *err = r->ops.read(r->ops.arg, addr, b, sizeof(b));
	if (err) {
		if (err != &ms_enomem && r->ops.on_unread)
			*err_ret = r->ops.on_unread(r->ops.arg, addr, t, path, err);
		else if (err == &ms_enomem)
			*err_ret = err;
		if (err != &ms_enomem)
			ms_error_destroy(err);
		return false;
	}
	*ret = ms_load_u64(b);
	return true;
}

struct entry_ctx {
	struct ms_reach *r;
	const struct ms_type *map_type;
	const char *path;
	struct ms_error *err;
};

static int visit_entry(void *arg, uint64_t key_addr, uint64_t elem_addr)
{
	struct entry_ctx *ec = arg;
	struct ms_reach *r = ec->r;
	const struct ms_type *kt = ec->map_type->key, *et = ec->map_type->elem;
	char key[96] = "?";
	if (kt && kt->size <= 256) {
		uint8_t kb[256];
		struct ms_error *err = r->ops.read(r->ops.arg, key_addr, kb, kt->size);
		if (!err) {
			struct ms_value_opts o = { .read = r->ops.read,
						   .read_arg = r->ops.arg,
						   .max_string = 32, .max_depth = 1 };
			ms_error_destroy(ms_value_format(kt, kb, kt->size, &o, key,
							 sizeof(key)));
		}
		ms_error_destroy(err);
	}
	char sub[PATH_MAX_LEN];
	if (kt && ms_type_may_contain_map(kt)) {
		snprintf(sub, sizeof(sub), "%s{key %s}", ec->path, key);
		ec->err = walk(r, key_addr, kt, sub);
	}
	if (!ec->err && et && ms_type_may_contain_map(et)) {
		snprintf(sub, sizeof(sub), "%s[%s]", ec->path, key);
		ec->err = walk(r, elem_addr, et, sub);
	}
	return ec->err != NULL || r->exhausted;
}

static struct ms_error *walk_map_contents(struct ms_reach *r, uint64_t header,
					  const struct ms_type *t, const char *path);

static struct ms_error *walk_map(struct ms_reach *r, uint64_t slot,
				 const struct ms_type *t, const char *path)
{
	uint64_t header;
	struct ms_error *err = NULL;
	if (!read_value_word(r, slot, t, path, &header, &err) || !header)
		return err;
	err = r->ops.on_map(r->ops.arg, header, t, path, slot);
	if (err)
		return err;
	return walk_map_contents(r, header, t, path);
}

// Walk the keys and elements of the map at @p header, once per header.
static struct ms_error *walk_map_contents(struct ms_reach *r, uint64_t header,
					  const struct ms_type *t, const char *path)
{
	struct ms_error *err;
	bool inner = (t->key && ms_type_may_contain_map(t->key)) ||
		     (t->elem && ms_type_may_contain_map(t->elem));
	if (!inner || !r->ops.map_entries)
		return NULL;
	int added = set_add(&r->seen, header, t);
	if (added < 0)
		return &ms_enomem;
	if (!added)
		return NULL;
	struct entry_ctx ec = { r, t, path, NULL };
	err = r->ops.map_entries(r->ops.arg, header, t, visit_entry, &ec);
	return err ? err : ec.err;
}

static struct ms_error *walk_elems(struct ms_reach *r, uint64_t base,
				   uint64_t n, const struct ms_type *et,
				   const char *path)
{
	if (!et || !et->size)
		return NULL;
	// A long array is cut to its first max_elems elements; only the
	// visit budget stops the walks that follow.
	if (n > r->lim.max_elems) {
		n = r->lim.max_elems;
		r->truncated = true;
	}
	char sub[PATH_MAX_LEN];
	size_t np = strlen(path);
	if (np < sizeof(sub))
		memcpy(sub, path, np);
	for (uint64_t i = 0; i < n && !r->exhausted; i++) {
		// "path[i]" without printf: a slice of ten thousand maps is
		// ten thousand names.
		if (np + MS_FMT_U64_MAX + 3 <= sizeof(sub)) {
			sub[np] = '[';
			char *p = ms_fmt_u64(sub + np + 1, i);
			p[0] = ']';
			p[1] = '\0';
		} else {
			snprintf(sub, sizeof(sub), "%s[%" PRIu64 "]", path, i);
		}
		struct ms_error *err = walk(r, base + i * et->size, et, sub);
		if (err)
			return err;
	}
	return NULL;
}

static struct ms_error *walk_interface(struct ms_reach *r, uint64_t addr,
				       const struct ms_type *t, const char *path)
{
	uint64_t tab, data, rtype;
	if (!r->ops.dyn_type || !read_word(r, addr, &tab) || !tab ||
	    !read_word(r, addr + 8, &data) || !data)
		return NULL;
	rtype = tab;
	if (!t->empty_interface && !read_word(r, tab + ITAB_TYPE_OFFSET, &rtype))
		return NULL;
	const struct ms_type *dt = r->ops.dyn_type(r->ops.arg, rtype);
	if (!dt || !ms_type_may_contain_map(dt))
		return NULL;
	char sub[PATH_MAX_LEN];
	snprintf(sub, sizeof(sub), "%s.(%s)", path, dt->name && *dt->name ? dt->name : "?");
	// Pointer-shaped values (maps, pointers) live in the data word itself;
	// everything else is boxed behind it.
	if (dt->kind == MS_KIND_MAP || dt->kind == MS_KIND_POINTER ||
	    dt->kind == MS_KIND_UNSAFE_POINTER || dt->kind == MS_KIND_CHAN ||
	    dt->kind == MS_KIND_FUNC)
		return walk(r, addr + 8, dt, sub);
	return walk(r, data, dt, sub);
}

static struct ms_error *walk(struct ms_reach *r, uint64_t addr,
			     const struct ms_type *t, const char *path)
{
	if (!t || r->exhausted || !ms_type_may_contain_map(t))
		return NULL;
	if (r->depth >= r->lim.max_depth)
		return NULL;
	if (r->seen.n >= r->lim.max_visits) {
		r->truncated = r->exhausted = true;
		return NULL;
	}
	// Maps are reported once per path, so aliases are kept; everything
	// else is walked once per (address, type).
	if (t->kind != MS_KIND_MAP) {
		int added = set_add(&r->seen, addr, t);
		if (added < 0)
			return &ms_enomem;
		if (!added)
			return NULL;
	}
	struct ms_error *err = NULL;
	char sub[PATH_MAX_LEN];
	r->depth++;
	switch (t->kind) {
	case MS_KIND_MAP:
		err = walk_map(r, addr, t, path);
		break;
	case MS_KIND_POINTER: {
		uint64_t p;
		if (!t->elem || !read_value_word(r, addr, t, path, &p, &err) || !p)
			break;
		// Go writes p.f for (*p).f; only a pointer straight to a map
		// needs the star.
		if (t->elem->kind == MS_KIND_MAP)
			snprintf(sub, sizeof(sub), "*%s", path);
		else
			snprintf(sub, sizeof(sub), "%s", path);
		err = walk(r, p, t->elem, sub);
		break;
	}
	case MS_KIND_STRUCT:
		for (size_t i = 0; i < t->n_members && !err; i++) {
			const struct ms_type_member *m = &t->members[i];
			if (!m->type || !ms_type_may_contain_map(m->type))
				continue;
			snprintf(sub, sizeof(sub), "%s.%s", path, m->name ? m->name : "?");
			err = walk(r, addr + m->offset, m->type, sub);
		}
		break;
	case MS_KIND_ARRAY:
		err = walk_elems(r, addr, t->len, t->elem, path);
		break;
	case MS_KIND_SLICE: {
		uint64_t data, len;
		if (read_value_word(r, addr, t, path, &data, &err) && data &&
		    read_value_word(r, addr + 8, t, path, &len, &err))
			err = walk_elems(r, data, len, t->elem, path);
		break;
	}
	case MS_KIND_INTERFACE:
		err = walk_interface(r, addr, t, path);
		break;
	default:
		break;
	}
	r->depth--;
	return err;
}

struct ms_error *ms_reach_walk(struct ms_reach *r, uint64_t addr,
			       const struct ms_type *t, const char *name)
{
	return walk(r, addr, t, name);
}

struct ms_error *ms_reach_walk_map(struct ms_reach *r, uint64_t header,
				   const struct ms_type *t, const char *name)
{
	if (!t || t->kind != MS_KIND_MAP || !header)
		return NULL;
	return walk_map_contents(r, header, t, name);
}
