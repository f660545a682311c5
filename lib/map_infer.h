/* Typing maps that only the heap or stack scan found: which map type fits their storage, by the runtime's own facts. */
#ifndef MS_MAP_INFER_H
#define MS_MAP_INFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "go_type.h"
#include "map_check.h"

/**
 * One map type a found header may have: a map type of some module's DWARF
 * with its full shape, the runtime address of its bucket (classic) or
 * group (swiss) type descriptor, and which words of one bucket or group
 * hold pointers, as the garbage collector's bitmap shows them.
 */
struct ms_map_cand {
	size_t module;
	const struct ms_type *type;	/**< the map type (kind map) */
	struct ms_map_shape shape;	/**< typed */
	uint64_t bucket_type;		/**< runtime address of its bucket/group abi.Type, or 0 */
	uint8_t *ptr_bits;		/**< bit w: word w of a bucket/group is a pointer; malloc'ed */
	uint64_t words;			/**< words in a bucket/group */
	bool has_pointers;		/**< any bit set */
	/** Byte i of a bucket/group belongs to a control word, key, element or link; malloc'ed. */
	uint8_t *covered;
};

/**
 * Fill @p c->ptr_bits and friends from @p c->type and @p c->shape.
 * @return NULL or &ms_enomem.
 */
struct ms_error *ms_map_cand_init_bits(struct ms_map_cand *c);

/** Free what ms_map_cand_init_bits() allocated. */
void ms_map_cand_deinit(struct ms_map_cand *c);

/**
 * What the core says about the storage of a found header: the first bucket
 * array (classic buckets) or group array (swiss: the small map's group, or
 * the first table's groups).
 */
struct ms_map_storage {
	uint64_t addr;		/**< where the array starts */
	uint64_t n;		/**< buckets or groups the header says it has */
	bool classic_prealloc;	/**< classic B >= 4: the array may hold 2^(B-4) overflow buckets more */
	bool on_stack;		/**< in a goroutine stack (the compiler's first bucket/group) */
	bool object_known;	/**< a heap object starts at addr; object_size is its usable size */
	uint64_t object_size;
	bool have_mask;		/**< ptr_mask holds the GC bits of the first mask_words words */
	uint64_t ptr_mask;
	unsigned mask_words;
	/** Bits after the object's last pointer word are not reliable (Go 1.19's 2-bit bitmap). */
	bool mask_prefix_only;
	/** The bucket/group abi.Type from the malloc header or span.largeType, or 0. */
	uint64_t type_word;
};

/**
 * Whether map type @p c can own @p st: the runtime type from a malloc
 * header is its bucket type, the heap object's size holds n buckets (with
 * size-class rounding and the overflow buckets makeBucketArray adds), and
 * the GC pointer bits of the first words are those of its buckets.
 */
bool ms_map_cand_fits(const struct ms_map_cand *c, const struct ms_map_storage *st);

/**
 * Whether every byte of the bucket or group @p bytes (bucket_size of them)
 * that no control word, key, element or link covers is zero: padding the
 * runtime never writes, where another type's values would have bytes.
 */
bool ms_map_cand_padding_zero(const struct ms_map_cand *c, const uint8_t *bytes);

/**
 * Whether the bytes of a value of type @p t at @p addr look like one: a
 * bool is 0 or 1, a string's length is sane and its bytes readable, a
 * pointer is nil or leads to mapped memory that holds a plausible value of
 * its element type (a map pointer: a header, by @p untyped), an
 * interface's type word is nil (with a nil data word) or leads to mapped
 * memory. Structs and arrays are checked field by field (bounded).
 * @param[in,out] evidence counts the checks that could have failed (a
 * non-nil pointer that leads somewhere sound, a non-empty string...): how
 * much the bytes say for the type, as opposed to an int that fits anything.
 * A bool that holds is not counted: 0 or 1 fits any integer as well.
 */
bool ms_value_plausible(const struct ms_map_memory *mem,
			const struct ms_map_shape *untyped, const struct ms_type *t,
			uint64_t addr, unsigned *evidence);

#endif /* MS_MAP_INFER_H */
