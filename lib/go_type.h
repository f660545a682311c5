/* Go types built on demand from DWARF, global variables, and rendering of values for people and JSON. */
#ifndef MS_GO_TYPE_H
#define MS_GO_TYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dwarf_index.h"
#include "error.h"

/** Go kinds; the values are reflect.Kind's, as in DW_AT_go_kind. */
enum ms_kind {
	MS_KIND_INVALID = 0,
	MS_KIND_BOOL,
	MS_KIND_INT,
	MS_KIND_INT8,
	MS_KIND_INT16,
	MS_KIND_INT32,
	MS_KIND_INT64,
	MS_KIND_UINT,
	MS_KIND_UINT8,
	MS_KIND_UINT16,
	MS_KIND_UINT32,
	MS_KIND_UINT64,
	MS_KIND_UINTPTR,
	MS_KIND_FLOAT32,
	MS_KIND_FLOAT64,
	MS_KIND_COMPLEX64,
	MS_KIND_COMPLEX128,
	MS_KIND_ARRAY,
	MS_KIND_CHAN,
	MS_KIND_FUNC,
	MS_KIND_INTERFACE,
	MS_KIND_MAP,
	MS_KIND_POINTER,
	MS_KIND_SLICE,
	MS_KIND_STRING,
	MS_KIND_STRUCT,
	MS_KIND_UNSAFE_POINTER,
};

/** Go's DWARF extensions (cmd/internal/dwarf). */
enum {
	MS_DW_AT_go_kind = 0x2900,
	MS_DW_AT_go_key = 0x2901,
	MS_DW_AT_go_elem = 0x2902,
	MS_DW_AT_go_embedded_field = 0x2903,
	MS_DW_AT_go_runtime_type = 0x2904,
};

struct ms_type;

/** A field of a struct. */
struct ms_type_member {
	const char *name;		/**< borrowed from the DWARF */
	uint64_t offset;
	const struct ms_type *type;
	bool embedded;			/**< DW_AT_go_embedded_field */
};

/**
 * A Go type. Everything it points to is owned by the struct ms_types that
 * made it and is valid until that is destroyed. Types form a graph that may
 * have cycles (type Node struct { next *Node }).
 */
struct ms_type {
	uint64_t die_offset;		/**< the DIE this was built from */
	enum ms_kind kind;
	const char *name;		/**< Go's DWARF name ("map[string]int", "main.Point"); "" if none */
	uint64_t size;
	uint64_t align;
	uint64_t runtime_type;		/**< DW_AT_go_runtime_type (link-time address), or 0 */
	/** Pointer, array, slice, chan: the element; map: the value type. */
	const struct ms_type *elem;
	const struct ms_type *key;	/**< map: the key type */
	uint64_t len;			/**< array: number of elements */
	const struct ms_type_member *members;	/**< struct: the fields */
	size_t n_members;
	bool empty_interface;		/**< interface: interface {} (runtime.eface) */
	/**
	 * Map, chan, func, interface: the DIE of the representation the
	 * linker gave it (*hash<K,V>, *map<K,V>, *hchan<T>, runtime.eface ...),
	 * or 0.
	 */
	uint64_t repr_die_offset;
};

/** Types of one DWARF file, cached by DIE offset. */
struct ms_types;

/** Read memory of the process (a core, a test buffer). */
typedef struct ms_error *ms_read_fn(void *arg, uint64_t addr, void *buf,
				    size_t len);

/**
 * Where a module's runtime type descriptors are, for types without DWARF
 * (ms_types_create_runtime()).
 */
struct ms_types_runtime {
	ms_read_fn *read;
	void *read_arg;
	/** The module's types range (moduledata.types, etypes), runtime addresses. */
	uint64_t types_start, types_end;
	/**
	 * Map type descriptors are Go 1.27's abi.MapType (KeysOff ...
	 * ElemStride), and GOEXPERIMENT=mapsplitgroup is on (X:mapsplitgroup):
	 * for ms_map_type_from_type().
	 */
	bool strided_maps, split_group;
};

/**
 * Types read from a module's runtime type descriptors (abi.Type and the
 * kind's own type: ArrayType, MapType, StructType ...; the same layout from
 * Go 1.19 to 1.27), for modules without DWARF. Types are keyed by their
 * descriptor's offset from types_start, as DW_AT_go_runtime_type is:
 * ms_types_by_runtime_type() and ms_types_from_offset() take that offset;
 * die_offset and runtime_type of each type are that offset; names are the
 * runtime's own (reflect's String()). There are no globals, and
 * ms_types_find() and ms_types_dwarf() find nothing.
 * @param[in] rt copied.
 * @param[out] ret to free with ms_types_destroy().
 */
struct ms_error *ms_types_create_runtime(const struct ms_types_runtime *rt,
					 struct ms_types **ret);

/** The descriptor source of types made by ms_types_create_runtime(), else NULL. */
const struct ms_types_runtime *ms_types_runtime(const struct ms_types *ts);

/**
 * @param[in] dw borrowed; must outlive the result.
 * @param[out] ret to free with ms_types_destroy().
 */
struct ms_error *ms_types_create(struct ms_dwarf *dw, struct ms_types **ret);

/** Free @p ts and every type it made; NULL is a no-op. */
void ms_types_destroy(struct ms_types *ts);

/** The DWARF the types come from. */
struct ms_dwarf *ms_types_dwarf(struct ms_types *ts);

/**
 * The type described by @p die (typedefs without a Go kind are followed).
 * @param[out] ret valid until @p ts is destroyed.
 * @return NULL, MS_ERR_BAD_DATA for damaged DWARF.
 */
struct ms_error *ms_types_from_die(struct ms_types *ts, Dwarf_Die *die,
				   const struct ms_type **ret);

/** Same as ms_types_from_die() for the DIE at global offset @p off. */
struct ms_error *ms_types_from_offset(struct ms_types *ts, uint64_t off,
				      const struct ms_type **ret);

/** The type named @p name. @return NULL or MS_ERR_NOT_FOUND. */
struct ms_error *ms_types_find(struct ms_types *ts, const char *name,
			       const struct ms_type **ret);

/**
 * The type whose runtime type descriptor is at link-time address @p addr
 * (the first use indexes DW_AT_go_runtime_type of all named types).
 * @return NULL or MS_ERR_NOT_FOUND.
 */
struct ms_error *ms_types_by_runtime_type(struct ms_types *ts, uint64_t addr,
					  const struct ms_type **ret);

/** A global variable. */
struct ms_global {
	const char *name;		/**< package path qualified: "main.gStrInt", "example.com/geo.Cache" */
	uint64_t address;		/**< link time; add the module's load bias */
	const struct ms_type *type;
};

/**
 * Every global variable with a static address, in DWARF order (built on
 * first use).
 * @param[out] ret valid until @p ts is destroyed.
 */
struct ms_error *ms_types_globals(struct ms_types *ts,
				  const struct ms_global **ret, size_t *n_ret);

/** Whether a value of @p t can hold a map, directly or through pointers, structs, arrays, slices. Interfaces count (they may hold anything). */
bool ms_type_may_contain_map(const struct ms_type *t);

/** Whether a value of @p t contains pointers the GC follows. */
bool ms_type_has_pointers(const struct ms_type *t);

/** "bool", "int", ..., "unsafe.Pointer" (reflect.Kind.String()). */
const char *ms_kind_str(enum ms_kind kind);

/** How ms_value_format() renders. Zero fields take the defaults. */
struct ms_value_opts {
	ms_read_fn *read;		/**< for string data, pointees of interfaces; may be NULL */
	void *read_arg;
	struct ms_types *types;		/**< to resolve an interface's dynamic type; may be NULL */
	uint64_t bias;			/**< subtracted from runtime type addresses before lookup */
	bool json;			/**< JSON: numbers, quoted strings, objects for structs */
	size_t max_string;		/**< bytes of string data shown (default 64), then "…" */
	size_t max_elems;		/**< array elements shown (default 8) */
	unsigned max_depth;		/**< nesting shown (default 4) */
};

/**
 * Render the value of type @p t held in @p bytes (@p len ≥ t->size bytes)
 * into @p out (always NUL-terminated; cut with "…" when too small).
 * Text: 1, -2.5, true, "str", 0xc000012000, {X: 1, Y: 2}, [1, 2],
 * []int{len: 3, cap: 4, ptr: 0xc000...}, map@0xc000..., nil.
 * JSON: ints and floats as numbers, strings as JSON strings, structs as
 * objects, arrays as arrays, pointers and maps as "0x..." strings.
 * Unreadable memory is shown, not an error.
 * @return NULL, or MS_ERR_USAGE when @p len is less than the type's size.
 */
struct ms_error *ms_value_format(const struct ms_type *t, const void *bytes,
				 size_t len, const struct ms_value_opts *opts,
				 char *out, size_t out_size);

#endif /* MS_GO_TYPE_H */
