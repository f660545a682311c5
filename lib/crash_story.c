/* Why a Go process died and who was inside a map: the fatal error or panic, the goroutines in the map runtime, the map each touched. */
#include "config.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binbuf.h"
#include "crash_story.h"
#include "dwarf_index.h"
#include "map_check.h"
#include "module.h"
#include "session.h"

// Longest message read from the core: throw strings are short, a panic
// value may be anything.
static const size_t max_message = 1024;

const char *ms_map_op_str(enum ms_map_op op)
{
	switch (op) {
	case MS_MAP_OP_READ: return "read";
	case MS_MAP_OP_WRITE: return "write";
	case MS_MAP_OP_DELETE: return "delete";
	case MS_MAP_OP_ITERATE: return "iterate";
	case MS_MAP_OP_CLEAR: return "clear";
	case MS_MAP_OP_OTHER: return "other";
	}
	return "?";
}

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

bool ms_map_runtime_func(const char *func, enum ms_map_op *op_ret)
{
	// Classic maps live in runtime (map.go, map_fast*.go); swiss maps in
	// internal/runtime/maps, with the entry points the compiler calls
	// linknamed to runtime.map* (Go 1.24+).
	if (!(has_prefix(func, "runtime.map") || has_prefix(func, "runtime.growWork") ||
	      has_prefix(func, "runtime.evacuate") || has_prefix(func, "runtime.hashGrow") ||
	      has_prefix(func, "runtime.(*hmap).") || has_prefix(func, "runtime.(*bmap).") ||
	      has_prefix(func, "internal/runtime/maps.")))
		return false;
	static const struct {
		const char *word;
		enum ms_map_op op;
	} words[] = {
		{ "assign", MS_MAP_OP_WRITE }, { "Put", MS_MAP_OP_WRITE },
		{ "delete", MS_MAP_OP_DELETE }, { "Delete", MS_MAP_OP_DELETE },
		{ "access", MS_MAP_OP_READ }, { "Get", MS_MAP_OP_READ },
		{ "iter", MS_MAP_OP_ITERATE }, { "Iter", MS_MAP_OP_ITERATE },
		{ "clear", MS_MAP_OP_CLEAR }, { "Clear", MS_MAP_OP_CLEAR },
		{ "grow", MS_MAP_OP_WRITE }, { "Grow", MS_MAP_OP_WRITE },
		{ "evacuate", MS_MAP_OP_WRITE }, { "split", MS_MAP_OP_WRITE },
		{ "overflow", MS_MAP_OP_WRITE },
	};
	enum ms_map_op op = MS_MAP_OP_OTHER;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strstr(func, words[i].word)) {
			op = words[i].op;
			break;
		}
	}
	if (op_ret)
		*op_ret = op;
	return true;
}

bool ms_map_header_writing(enum ms_map_impl impl, uint8_t flags, uint8_t writing)
{
	// runtime/map.go: hashWriting = 4; internal/runtime/maps: writing
	// toggles between 0 and 1.
	if (impl == MS_MAP_CLASSIC)
		return flags & 4;
	if (impl == MS_MAP_SWISS)
		return writing != 0;
	return false;
}


static bool is_runtime(const char *func)
{
	return has_prefix(func, "runtime.") || has_prefix(func, "internal/") ||
	       has_prefix(func, "sync/atomic.");
}

// The unit whose ranges hold @p pc. Go writes no .debug_aranges, which
// dwarf_addrdie() needs, so the units' own ranges are asked one by one.
static bool unit_at(Dwarf *d, uint64_t pc, Dwarf_Die *ret)
{
	if (dwarf_addrdie(d, pc, ret))
		return true;
	Dwarf_Off off = 0, next;
	size_t hsize;
	while (dwarf_nextcu(d, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(d, off + hsize, ret) && dwarf_haspc(ret, pc) == 1)
			return true;
		off = next;
	}
	return false;
}

// The value of the parameter named one of @p names of the physical
// function of frame @p f, from its DWARF location at the frame's pc: Go
// gives the frame base as DW_OP_call_frame_cfa, so a stack slot is
// DW_OP_fbreg from the frame's cfa. Registers are only known for the
// innermost frame, and not kept here: a register location is no answer.
static bool dwarf_param(struct ms_session *s, const struct ms_frame *f,
			const char *const *names, uint64_t *ret, char *how,
			size_t how_len)
{
	struct ms_module *mod = f->module;
	struct ms_dwarf *dw = NULL;
	struct ms_error *err = mod ? ms_module_dwarf(mod, &dw) : NULL;
	if (!mod || err) {
		ms_error_destroy(err);
		return false;
	}
	Dwarf *d = ms_dwarf_libdw(dw);
	uint64_t entry = f->entry - mod->bias;
	uint64_t pc = (f->exact_pc ? f->pc : f->pc - 1) - mod->bias;
	Dwarf_Die cu, fn;
	if (!unit_at(d, entry, &cu) || dwarf_child(&cu, &fn) != 0)
		return false;
	do {
		Dwarf_Addr lo;
		if (dwarf_tag(&fn) != DW_TAG_subprogram || dwarf_lowpc(&fn, &lo) != 0 ||
		    lo != entry)
			continue;
		Dwarf_Die p;
		if (dwarf_child(&fn, &p) != 0)
			return false;
		do {
			const char *name = dwarf_diename(&p);
			if (dwarf_tag(&p) != DW_TAG_formal_parameter || !name)
				continue;
			bool want = false;
			for (size_t i = 0; names[i]; i++)
				want |= strcmp(name, names[i]) == 0;
			Dwarf_Attribute attr;
			Dwarf_Op *expr;
			size_t len;
			if (!want || !dwarf_attr(&p, DW_AT_location, &attr) ||
			    dwarf_getlocation_addr(&attr, pc, &expr, &len, 1) != 1 || len < 1)
				continue;
			// One stack slot, possibly the first piece of a larger
			// value (a string's pointer).
			if (expr[0].atom != DW_OP_fbreg ||
			    (len > 1 && expr[1].atom != DW_OP_piece))
				continue;
			uint64_t addr = f->cfa + (uint64_t)(int64_t)expr[0].number;
			if (!ms_session_try_read_u64(s, addr, ret))
				continue;
			snprintf(how, how_len, "DWARF location of %s's %s (cfa%+lld)",
				 f->func, name, (long long)(int64_t)expr[0].number);
			return true;
		} while (dwarf_siblingof(&p, &p) == 0);
		return false;
	} while (dwarf_siblingof(&fn, &fn) == 0);
	return false;
}

// A word of the frames [first, last] (and the argument spill area above
// the last) equal to one of the known headers.
static bool frame_word(struct ms_session *s, const struct ms_goroutine *g,
		       size_t first, size_t last, const uint64_t *headers,
		       size_t n_headers, uint64_t *ret, char *how, size_t how_len)
{
	if (!n_headers)
		return false;
	// The caller spills up to four argument registers above its cfa.
	uint64_t lo = g->frames[first].sp, hi = g->frames[last].cfa + 32;
	if (hi <= lo || hi - lo > (1 << 16))
		return false;
	for (uint64_t a = lo; a < hi; a += 8) {
		uint64_t w;
		if (!ms_session_try_read_u64(s, a, &w) || !w)
			continue;
		for (size_t i = 0; i < n_headers; i++) {
			if (headers[i] != w)
				continue;
			// Name the innermost frame whose range holds the word.
			const struct ms_frame *f = &g->frames[last];
			for (size_t j = first; j <= last; j++) {
				if (a >= g->frames[j].sp && a < g->frames[j].cfa + 32) {
					f = &g->frames[j];
					break;
				}
			}
			*ret = w;
			snprintf(how, how_len, "a word of %s's frame (sp+0x%llx)",
				 f->func, (unsigned long long)(a - f->sp));
			return true;
		}
	}
	return false;
}

static void find_touchers(struct ms_session *s, const struct ms_goroutine *g,
			  const uint64_t *headers, size_t n_headers,
			  struct ms_map_toucher *t, bool *found)
{
	*found = false;
	size_t first = SIZE_MAX, entry = SIZE_MAX;
	enum ms_map_op op = MS_MAP_OP_OTHER;
	for (size_t i = 0; i < g->n_frames; i++) {
		enum ms_map_op o;
		if (ms_map_runtime_func(g->frames[i].func, &o)) {
			if (first == SIZE_MAX)
				first = i;
			entry = i;
			op = o;
			continue;
		}
		if (entry != SIZE_MAX && !is_runtime(g->frames[i].func))
			break;
	}
	if (entry == SIZE_MAX)
		return;
	memset(t, 0, sizeof(*t));
	t->g = g;
	t->entry_frame = entry;
	t->op = op;
	t->user_frame = SIZE_MAX;
	for (size_t i = entry + 1; i < g->n_frames; i++) {
		if (!is_runtime(g->frames[i].func)) {
			t->user_frame = i;
			break;
		}
	}
	// The map is the second parameter of the entry point (t *maptype, h
	// *hmap / m *maps.Map) and the receiver of internal/runtime/maps
	// methods: look in every map runtime frame, outermost first.
	static const char *const names[] = { "h", "m", NULL };
	for (size_t i = entry + 1; i-- > first;) {
		if (!g->frames[i].inlined &&
		    dwarf_param(s, &g->frames[i], names, &t->map, t->map_from,
				sizeof(t->map_from)))
			break;
	}
	if (!t->map)
		frame_word(s, g, 0, entry, headers, n_headers, &t->map, t->map_from,
			   sizeof(t->map_from));
	*found = true;
}

// A Go string (pointer, length) at @p addr: short, printable text.
static char *read_text(struct ms_session *s, uint64_t ptr, uint64_t len)
{
	if (!ptr || len == 0 || len > max_message)
		return NULL;
	char *buf = malloc(len + 1);
	if (!buf)
		return NULL;
	struct ms_error *err = ms_session_read(s, ptr, buf, len);
	if (err) {
		ms_error_destroy(err);
		free(buf);
		return NULL;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
			free(buf);
			return NULL;
		}
	}
	buf[len] = '\0';
	return buf;
}

// throw/fatal's message: the (pointer, length) pair in its frame that is
// printable text in a module. Its parameter s arrives in registers, but the
// closure it passes to systemstack to print it holds a copy of s in the
// frame (runtime/panic.go, Go 1.19 to 1.26).
static char *throw_message(struct ms_session *s, const struct ms_frame *f,
			   char *how, size_t how_len)
{
	uint64_t ptr = 0, len = 0;
	uint64_t lo = f->sp, hi = f->cfa + 16;
	if (hi <= lo || hi - lo > (1 << 14))
		return NULL;
	for (uint64_t a = lo; a + 16 <= hi; a += 8) {
		if (!ms_session_try_read_u64(s, a, &ptr) || !ms_session_try_read_u64(s, a + 8, &len))
			continue;
		const char *sec = NULL;
		struct ms_module *mod = ms_session_module_at(s, ptr, &sec);
		if (!mod || !sec || len == 0 || len > 256)
			continue;
		char *text = read_text(s, ptr, len);
		if (text) {
			snprintf(how, how_len, "the string in %s's frame (sp+0x%llx)",
				 f->func, (unsigned long long)(a - f->sp));
			return text;
		}
	}
	return NULL;
}

// The name of a runtime type (abi.Type.Str, a nameOff from its module's
// types): a flag byte, a varint length, the bytes; "*" dropped with
// tflagExtraStar.
static char *type_name(struct ms_session *s, uint64_t type)
{
	uint8_t b[48];
	struct ms_error *err = ms_session_read(s, type, b, sizeof(b));
	if (err) {
		ms_error_destroy(err);
		return NULL;
	}
	struct ms_module *mod = ms_session_module_at(s, type, NULL);
	const struct ms_range *types = mod ? &mod->ranges[MS_SECTION_TYPES] : NULL;
	if (!types || !types->start)
		return NULL;
	int32_t off = (int32_t)ms_load_u32(b + 40);
	uint8_t n[12];
	if (off < 0 || (err = ms_session_read(s, types->start + (uint64_t)off, n, sizeof(n)))) {
		ms_error_destroy(err);
		return NULL;
	}
	uint64_t len = 0;
	size_t i = 1;
	for (unsigned shift = 0; i < sizeof(n) && shift < 28; i++, shift += 7) {
		len |= (uint64_t)(n[i] & 0x7f) << shift;
		if (!(n[i] & 0x80)) {
			i++;
			break;
		}
	}
	char *name = read_text(s, types->start + (uint64_t)off + i, len);
	if (name && (b[20] & 2) && name[0] == '*')
		memmove(name, name + 1, strlen(name));
	return name;
}

// The panic value of g._panic: its text when it is a string (also
// runtime.plainError, an error that is a string), else its type.
static char *panic_message(struct ms_session *s, const struct ms_goroutine *g,
			   char *how, size_t how_len)
{
	const struct ms_g_layout *l = &ms_session_go_layout(s)->g;
	uint64_t type, data;
	if (!g->panic || !l->have_sched || !ms_session_try_read_u64(s, g->panic + l->panic_arg, &type) ||
	    !ms_session_try_read_u64(s, g->panic + l->panic_arg + 8, &data) || !type)
		return NULL;
	uint8_t kind;
	struct ms_error *err = ms_session_read(s, type + 23, &kind, 1);
	if (err) {
		ms_error_destroy(err);
		return NULL;
	}
	char *tn = type_name(s, type);
	// abi.String = 24 (the low 5 bits of Kind_).
	if ((kind & 0x1f) == 24) {
		uint64_t ptr, len;
		char *text = NULL;
		if (ms_session_try_read_u64(s, data, &ptr) && ms_session_try_read_u64(s, data + 8, &len))
			text = read_text(s, ptr, len);
		if (text) {
			snprintf(how, how_len, "the panic value (%s) in g._panic",
				 tn ? tn : "string");
			free(tn);
			return text;
		}
	}
	if (!tn)
		return NULL;
	char *msg = NULL;
	if (asprintf(&msg, "a value of type %s", tn) < 0)
		msg = NULL;
	snprintf(how, how_len, "the type of the panic value in g._panic");
	free(tn);
	return msg;
}

static void tell(struct ms_session *s, struct ms_crash_story *st)
{
	const struct ms_goroutine *g = st->g;
	const struct ms_crash *c = ms_session_crash(s);
	if (!c->present)
		return;
	st->kind = "signal";
	if (!g)
		return;
	for (size_t i = 0; i < g->n_frames; i++) {
		const char *fn = g->frames[i].func;
		if (strcmp(fn, "runtime.throw") == 0 || strcmp(fn, "runtime.fatal") == 0 ||
		    strcmp(fn, "internal/runtime/maps.fatal") == 0) {
			st->kind = "fatal error";
			st->message = throw_message(s, &g->frames[i], st->message_from,
						    sizeof(st->message_from));
			return;
		}
		if (strcmp(fn, "runtime.fatalthrow") == 0)
			st->kind = "fatal error";
	}
	if (strcmp(st->kind, "fatal error") == 0)
		return;
	for (size_t i = 0; i < g->n_frames; i++) {
		if (strcmp(g->frames[i].func, "runtime.gopanic") == 0 ||
		    strcmp(g->frames[i].func, "runtime.fatalpanic") == 0) {
			st->kind = "panic";
			break;
		}
	}
	if (strcmp(st->kind, "panic") == 0 || g->panic) {
		st->kind = "panic";
		st->message = panic_message(s, g, st->message_from,
					    sizeof(st->message_from));
	}
}

struct ms_error *ms_crash_story_create(struct ms_session *s,
				       const struct ms_goroutines *gs,
				       const uint64_t *headers, size_t n_headers,
				       struct ms_crash_story **ret)
{
	struct ms_crash_story *st = calloc(1, sizeof(*st));
	if (!st)
		return &ms_enomem;
	st->g = ms_goroutines_crashed(gs);
	if (gs->n) {
		st->touchers = calloc(gs->n, sizeof(*st->touchers));
		if (!st->touchers) {
			free(st);
			return &ms_enomem;
		}
	}
	// The crashed goroutine first, then the others in allgs order.
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < gs->n; i++) {
			const struct ms_goroutine *g = &gs->gs[i];
			if ((g == st->g) != (pass == 0))
				continue;
			bool found;
			find_touchers(s, g, headers, n_headers,
				      &st->touchers[st->n_touchers], &found);
			if (found)
				st->n_touchers++;
		}
	}
	// A map recovered for one goroutine is a candidate for the others
	// (the reader that threw may hold it only in a frame word).
	uint64_t *known = calloc(n_headers + st->n_touchers + 1, sizeof(*known));
	if (!known) {
		ms_crash_story_destroy(st);
		return &ms_enomem;
	}
	size_t n_known = 0;
	for (size_t i = 0; i < n_headers; i++)
		known[n_known++] = headers[i];
	for (size_t i = 0; i < st->n_touchers; i++)
		if (st->touchers[i].map)
			known[n_known++] = st->touchers[i].map;
	for (size_t i = 0; i < st->n_touchers; i++) {
		struct ms_map_toucher *t = &st->touchers[i];
		if (!t->map)
			frame_word(s, t->g, 0, t->entry_frame, known, n_known, &t->map,
				   t->map_from, sizeof(t->map_from));
	}
	free(known);
	tell(s, st);
	if (st->g && st->n_touchers && st->touchers[0].g == st->g)
		st->map = st->touchers[0].map;
	*ret = st;
	return NULL;
}

void ms_crash_story_destroy(struct ms_crash_story *st)
{
	if (!st)
		return;
	free(st->message);
	free(st->touchers);
	free(st);
}
