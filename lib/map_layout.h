/* Layouts of Go maps (classic hmap/buckets and swiss Map/tables/groups) from DWARF, built-in tables, or runtime type descriptors. */
#ifndef MS_MAP_LAYOUT_H
#define MS_MAP_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dwarf_index.h"
#include "error.h"
#include "go_type.h"
#include "layout_source.h"
#include "map_check.h"

/** One field of a runtime structure, for display. */
struct ms_layout_field {
	char *name;
	char *type_name;
	uint64_t offset;
	uint64_t size;
};

/** A runtime structure (runtime.hmap, internal/runtime/maps.table, ...). */
struct ms_layout_struct {
	char *name;
	uint64_t size;
	struct ms_layout_field *fields;
	size_t n_fields;
};

/**
 * How maps of one module are laid out, header side. Read-only for users;
 * free with ms_map_layout_destroy().
 */
struct ms_map_layout {
	enum ms_map_impl impl;
	enum ms_layout_source source;	/**< DWARF or built-in */
	/** The Go version the built-in layout was chosen for, or NULL. */
	char *go_version;
	/**
	 * The header offsets, with typed false: what ms_map_check() needs for
	 * a map whose key and element types are unknown.
	 */
	struct ms_map_shape untyped;
	/** Classic: offset of hmap.clearSeq (Go 1.24/1.25 noswissmap), or UINT64_MAX. */
	uint64_t hmap_clear_seq;
	/** Swiss: offsets of Map.tombstonePossible (1.25+) and Map.clearSeq, or UINT64_MAX. */
	uint64_t map_tombstone_possible, map_clear_seq;
	/**
	 * Swiss: groups are ctrl, keys[8], elems[8] (GOEXPERIMENT=mapsplitgroup,
	 * from the version's X:mapsplitgroup or the DWARF's group types)
	 * rather than ctrl, slots[8]{key, elem}.
	 */
	bool split_group;
	/** Classic: size of runtime.mapextra; swiss: of groupsReference. */
	uint64_t aux_size;
	/**
	 * The runtime structures for display: classic hmap, mapextra, bmap;
	 * swiss Map, table, groupsReference.
	 */
	struct ms_layout_struct structs[3];
	size_t n_structs;
};

/**
 * Build the layout from a module's DWARF. The implementation is chosen by
 * the fields present (buckets versus dirPtr), not by a version number.
 * @param[out] ret free with ms_map_layout_destroy().
 * @return NULL, MS_ERR_NOT_FOUND when the DWARF has no Go map runtime
 * types (a module without the runtime), MS_ERR_BAD_DATA.
 */
struct ms_error *ms_map_layout_from_dwarf(struct ms_dwarf *dw,
					  struct ms_map_layout **ret);

/**
 * The built-in layout for a Go version string as recorded in the binary
 * ("go1.21.0", "go1.24.0 X:noswissmap", "go1.26.0-X:nodwarf5",
 * "go1.27.3-X:mapsplitgroup"): classic for 1.19-1.23 and for 1.24/1.25 with
 * noswissmap (hmap 56 bytes), swiss for 1.24 to 1.27.
 * @return NULL, MS_ERR_UNSUPPORTED for a version before 1.19, after the
 * last release with tables (MS_GO_LAST_KNOWN_MINOR) or not Go, or
 * MS_ERR_USAGE when @p version is NULL.
 */
/** The last Go minor release the built-in tables know (go1.27). */
enum { MS_GO_LAST_KNOWN_MINOR = 27 };

struct ms_error *ms_map_layout_builtin(const char *version,
				       struct ms_map_layout **ret);

/** Free @p layout; NULL is a no-op. */
void ms_map_layout_destroy(struct ms_map_layout *layout);

/** The header-only shape of @p layout (typed false). */
void ms_map_layout_untyped_shape(const struct ms_map_layout *layout,
				 struct ms_map_shape *ret);

/** Everything needed to read the buckets or groups of one map type. */
struct ms_map_type {
	enum ms_map_impl impl;
	enum ms_layout_source source;	/**< DWARF, computed or runtime type descriptor */
	const struct ms_type *type;	/**< the map type, or NULL (from a descriptor) */
	const struct ms_type *key;	/**< or NULL when unknown */
	const struct ms_type *elem;	/**< or NULL when unknown */
	uint64_t runtime_type;		/**< link-time address of its runtime type descriptor, or 0 */
	uint64_t key_size, elem_size;	/**< Go sizes of K and V */
	bool indirect_key, indirect_elem;	/**< the slot holds *K / *V (K or V > 128 bytes) */
	uint64_t key_slot_size, elem_slot_size;	/**< bytes of K' and V' in a slot (8 when indirect) */
	/** Classic: the bucket; swiss: the group. */
	uint64_t bucket_size;
	char bucket_type_name[160];	/**< "bucket<string,int>", "noalg.map.group[string]int", or "" */
	/* classic */
	uint64_t keys_offset;		/**< [8]K' in the bucket (8); swiss split: keys in the group */
	uint64_t values_offset;		/**< [8]V' (8 + 8 * key_slot_size); swiss split: elems */
	uint64_t overflow_offset;	/**< the overflow pointer (bucket_size - 8) */
	/* swiss */
	uint64_t ctrl_offset;		/**< the control word (0) */
	bool split_group;		/**< ctrl, keys[8], elems[8] rather than slots[8]{key, elem} */
	uint64_t slots_offset;		/**< interleaved: slots in the group (8) */
	uint64_t slot_size;		/**< interleaved: abi SlotSize */
	uint64_t slot_key_offset;	/**< interleaved: key in a slot (0) */
	uint64_t elem_off;		/**< interleaved: abi ElemOff, elem in a slot */
	/**
	 * Slot i's key is at bucket + key_base + i * key_stride and its
	 * element at bucket + elem_base + i * elem_stride, for every layout.
	 */
	uint64_t key_base, key_stride, elem_base, elem_stride;
};

/**
 * The layout of map type @p t (kind map) from the DWARF of @p types: the
 * linker's hash<K,V>/bucket<K,V> or map<K,V>/table<K,V>/group types; when
 * those are missing, computed from the key and element types.
 * @param[in] impl the module's implementation, used only when the DWARF does
 * not say (0: guess from the DWARF or fail).
 * @return NULL, MS_ERR_USAGE when @p t is not a map, MS_ERR_BAD_DATA.
 */
struct ms_error *ms_map_type_from_type(struct ms_types *types,
				       const struct ms_type *t,
				       enum ms_map_impl impl,
				       struct ms_map_type *ret);

/**
 * The bucket or group layout the compiler gives a map with these key and
 * element sizes and alignments (cmd/compile reflectdata MapBucketType /
 * MapGroupType): keys and elements over 128 bytes are stored as pointers;
 * a swiss slot ending in a zero-size element gets a byte of padding.
 */
void ms_map_type_compute(enum ms_map_impl impl, uint64_t key_size,
			 uint64_t key_align, uint64_t elem_size,
			 uint64_t elem_align, struct ms_map_type *ret);

/**
 * The group the compiler gives a swiss map built with
 * GOEXPERIMENT=mapsplitgroup (Go 1.27+): ctrl, then the 8 keys, then the
 * 8 elements, each array aligned for its type.
 */
void ms_map_type_compute_split(uint64_t key_size, uint64_t key_align,
			       uint64_t elem_size, uint64_t elem_align,
			       struct ms_map_type *ret);

/**
 * The full shape for maps of type @p t: header offsets from @p layout,
 * buckets or groups from ms_map_type_from_type().
 */
struct ms_error *ms_map_layout_shape(const struct ms_map_layout *layout,
				     struct ms_types *types,
				     const struct ms_type *t,
				     struct ms_map_shape *ret);

/** Combine a header layout and a map type into a shape (typed true). */
void ms_map_layout_shape_for(const struct ms_map_layout *layout,
			     const struct ms_map_type *mt,
			     struct ms_map_shape *ret);

/**
 * Every map type in the DWARF of @p types (typedefs with DW_AT_go_kind
 * map), in DWARF order.
 * @param[out] ret malloc'ed array; free() it.
 */
struct ms_error *ms_map_types_collect(struct ms_types *types,
				      enum ms_map_impl impl,
				      struct ms_map_type **ret, size_t *n_ret);

/** Bytes of a runtime map type descriptor that ms_map_descriptor_decode() reads. */
enum {
	MS_MAP_DESCRIPTOR_CLASSIC_SIZE = 88,	/**< runtime.maptype / abi.MapType / abi.OldMapType */
	MS_MAP_DESCRIPTOR_SWISS_SIZE = 112,	/**< abi.SwissMapType / abi.MapType (1.26) */
	MS_MAP_DESCRIPTOR_STRIDED_SIZE = 136,	/**< abi.MapType (1.27): KeysOff ... ElemOff, Flags@128 */
	MS_MAP_DESCRIPTOR_MAX_SIZE = 136,
	MS_ABI_TYPE_SIZE = 48,			/**< abi.Type, 1.19-1.26 */
};

/** A runtime map type descriptor, decoded. */
struct ms_map_descriptor {
	uint64_t key_type, elem_type;	/**< runtime addresses of abi.Type of K and V */
	uint64_t bucket_type;		/**< classic Bucket / swiss Group abi.Type */
	uint64_t bucket_size;		/**< classic BucketSize / swiss GroupSize */
	uint64_t key_slot_size;		/**< classic KeySize (after indirection); swiss 0 */
	uint64_t elem_slot_size;	/**< classic ValueSize; swiss 0 */
	uint64_t slot_size, elem_off;	/**< swiss SlotSize, ElemOff; classic 0 */
	/** Go 1.27: KeysOff, KeyStride, ElemsOff, ElemStride (strided true). */
	bool strided;
	uint64_t keys_off, key_stride, elems_off, elem_stride;
	bool split_group;		/**< strided: keys then elems (mapsplitgroup) */
	uint32_t flags;
	bool indirect_key, indirect_elem;	/**< from the flags (bits differ: classic 1/2, swiss 4/8) */
};

/**
 * Decode the bytes of a runtime map type descriptor (read from the core at
 * the address in an interface or a malloc header).
 * @return NULL, MS_ERR_BAD_DATA when @p len is too short or the numbers are
 * impossible (the scan can take that as "not a map type").
 */
struct ms_error *ms_map_descriptor_decode(enum ms_map_impl impl,
					  const void *buf, size_t len,
					  struct ms_map_descriptor *ret);

/**
 * Decode a Go 1.27 abi.MapType (src/internal/abi/map.go): GroupSize@80,
 * KeysOff@88, KeyStride@96, ElemsOff@104, ElemStride@112, ElemOff@120,
 * Flags@128 (flag bits as 1.24-1.26 swiss). Whether the group is split
 * (GOEXPERIMENT=mapsplitgroup) shows in the numbers: interleaved elements
 * sit inside a key's slot (ElemsOff - KeysOff < KeyStride, equal strides),
 * split ones after all 8 keys; @p split_hint (the version's X:mapsplitgroup)
 * decides only when both read alike (zero-size keys).
 * @return NULL, MS_ERR_BAD_DATA when too short, not a map, or the offsets
 * do not fit in the group.
 */
struct ms_error *ms_map_descriptor_decode_strided(const void *buf, size_t len,
						  bool split_hint,
						  struct ms_map_descriptor *ret);

/** An abi.Type header, decoded: Size_@0, Align_@21, Kind_@23 (low 5 bits). */
struct ms_abi_type {
	uint64_t size;
	uint8_t align;
	enum ms_kind kind;
};

/** Decode MS_ABI_TYPE_SIZE bytes of an abi.Type. */
struct ms_error *ms_abi_type_decode(const void *buf, size_t len,
				    struct ms_abi_type *ret);

/**
 * The map type layout from a decoded descriptor; @p read (may be NULL)
 * fetches the key and element abi.Type for their sizes. Swiss slots are
 * interleaved (1.24-1.26), or as a strided (1.27) descriptor says.
 */
struct ms_error *ms_map_type_from_descriptor(enum ms_map_impl impl,
					     const struct ms_map_descriptor *d,
					     ms_read_fn *read, void *read_arg,
					     struct ms_map_type *ret);

#endif /* MS_MAP_LAYOUT_H */
