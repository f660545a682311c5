/* Unit tests for map layout arithmetic, built-in tables and runtime map type descriptors. */
#include "config.h"

#include <stdlib.h>

#include "map_layout.h"
#include "tap.h"

static void put64(uint8_t *b, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

// Reads abi.Type headers from a tiny table: address 0x1000 + 0x100*i.
static struct ms_error *read_types(void *arg, uint64_t addr, void *buf, size_t len)
{
	const uint64_t *sizes = arg;
	if (addr < 0x1000 || addr >= 0x1400 || (addr & 0xff) || len > 48)
		return ms_error_fault(addr, MS_FAULT_UNMAPPED, "cannot read 0x%llx",
				      (unsigned long long)addr);
	uint8_t t[48] = { 0 };
	put64(t, sizes[(addr - 0x1000) / 0x100]);
	t[21] = 8;
	memcpy(buf, t, len);
	return NULL;
}

int main(void)
{
	struct ms_map_type mt;

	// Classic buckets, against what the runtime recorded in the corpus
	// (truth.json bucket_size) and cmd/link/internal/ld/dwarf.go.
	ms_map_type_compute(MS_MAP_CLASSIC, 16, 8, 8, 8, &mt);
	is_u64(mt.bucket_size, 208, "classic map[string]int bucket");
	is_u64(mt.values_offset, 136, "classic values after 8 keys");
	is_u64(mt.overflow_offset, 200, "classic overflow last");
	ms_map_type_compute(MS_MAP_CLASSIC, 1, 1, 16, 8, &mt);
	is_u64(mt.bucket_size, 152, "classic map[bool]string bucket");
	ms_map_type_compute(MS_MAP_CLASSIC, 130, 8, 8, 8, &mt);
	ok(mt.indirect_key && !mt.indirect_elem, "130-byte key is indirect");
	is_u64(mt.bucket_size, 144, "classic big key bucket");
	is_u64(mt.key_stride, 8, "indirect key slot is a pointer");
	ms_map_type_compute(MS_MAP_CLASSIC, 8, 8, 200, 8, &mt);
	ok(mt.indirect_elem, "200-byte element is indirect");
	is_u64(mt.elem_base, 72, "elements after 8 keys of 8");
	ms_map_type_compute(MS_MAP_CLASSIC, 128, 8, 128, 8, &mt);
	ok(!mt.indirect_key && !mt.indirect_elem, "128 bytes is still inline");

	// Swiss groups (cmd/compile reflectdata MapGroupType; truth.json group_size/slot_size/elem_off).
	ms_map_type_compute(MS_MAP_SWISS, 16, 8, 8, 8, &mt);
	is_u64(mt.bucket_size, 200, "swiss map[string]int group");
	is_u64(mt.slot_size, 24, "slot size");
	is_u64(mt.elem_off, 16, "elem offset");
	is_u64(mt.key_base, 8, "key of slot 0 after ctrl");
	is_u64(mt.elem_base + 3 * mt.elem_stride, 8 + 3 * 24 + 16, "elem of slot 3");
	ms_map_type_compute(MS_MAP_SWISS, 8, 8, 16, 8, &mt);
	is_u64(mt.elem_off, 8, "map[int]string elem_off");
	ms_map_type_compute(MS_MAP_SWISS, 1, 1, 16, 8, &mt);
	is_u64(mt.slot_size, 24, "map[bool]string slot aligns the element");
	is_u64(mt.elem_off, 8, "map[bool]string elem_off");
	ms_map_type_compute(MS_MAP_SWISS, 4, 4, 1, 1, &mt);
	is_u64(mt.slot_size, 8, "map[int32]bool slot");
	is_u64(mt.bucket_size, 72, "map[int32]bool group");
	ms_map_type_compute(MS_MAP_SWISS, 136, 8, 8, 8, &mt);
	is_u64(mt.bucket_size, 136, "swiss big key group");
	// A trailing zero-size element gets a byte of padding (types.CalcSize):
	// map[runtime._typePair]struct{} is 200 bytes in the go1.26 DWARF.
	ms_map_type_compute(MS_MAP_SWISS, 16, 8, 0, 1, &mt);
	is_u64(mt.slot_size, 24, "zero-size element padded");
	is_u64(mt.bucket_size, 200, "map[K16]struct{} group");
	ms_map_type_compute(MS_MAP_SWISS, 0, 1, 0, 1, &mt);
	is_u64(mt.slot_size, 0, "map[struct{}]struct{} slot");
	is_u64(mt.bucket_size, 16, "group stays larger than its control word");

	// GOEXPERIMENT=mapsplitgroup: ctrl, keys[8], elems[8] (the go1.27.3
	// corpus records group 200 for map[string]int, 136 for map[int]Big).
	ms_map_type_compute_split(16, 8, 8, 8, &mt);
	ok(mt.split_group && mt.bucket_size == 200 && mt.key_base == 8 &&
		   mt.key_stride == 16 && mt.elem_base == 136 && mt.elem_stride == 8,
	   "split map[string]int");
	ms_map_type_compute_split(8, 8, 200, 8, &mt);
	ok(mt.indirect_elem && mt.bucket_size == 136 && mt.elem_base == 72 &&
		   mt.elem_stride == 8,
	   "split map[int]Big stores the element indirectly");
	ms_map_type_compute_split(4, 4, 1, 1, &mt);
	ok(mt.bucket_size == 48 && mt.elem_base == 40, "split map[int32]bool packs");
	ms_map_type_compute_split(1, 1, 16, 8, &mt);
	ok(mt.elem_base == 16 && mt.bucket_size == 144, "split map[bool]string aligns the elems");
	ms_map_type_compute_split(16, 8, 0, 1, &mt);
	is_u64(mt.bucket_size, 144, "split map[K16]struct{}: a byte of padding, aligned");

	// Built-in layouts by version.
	struct ms_map_layout *l = NULL;
	ok(!ms_map_layout_builtin("go1.19.8", &l) && l->impl == MS_MAP_CLASSIC,
	   "1.19 is classic");
	is_u64(l->untyped.header_size, 48, "hmap 48 bytes before 1.24");
	is_u64(l->untyped.hmap.extra, 40, "extra at 40");
	ok(l->hmap_clear_seq == UINT64_MAX, "no clearSeq");
	ms_map_layout_destroy(l);
	ok(!ms_map_layout_builtin("go1.24.0 X:noswissmap", &l) && l->impl == MS_MAP_CLASSIC,
	   "1.24 noswissmap is classic");
	is_u64(l->untyped.header_size, 56, "hmap 56 bytes with clearSeq");
	is_u64(l->untyped.hmap.extra, 48, "extra at 48");
	is_u64(l->hmap_clear_seq, 40, "clearSeq at 40");
	ms_map_layout_destroy(l);
	ok(!ms_map_layout_builtin("go1.24.3", &l) && l->impl == MS_MAP_SWISS, "1.24 is swiss");
	ok(l->map_tombstone_possible == UINT64_MAX, "no tombstonePossible in 1.24");
	is_u64(l->untyped.swiss.t_groups_data, 16, "table.groups.data");
	is_u64(l->untyped.swiss.t_groups_mask, 24, "table.groups.lengthMask");
	ms_map_layout_destroy(l);
	ok(!ms_map_layout_builtin("go1.26.0-X:nodwarf5", &l) && l->impl == MS_MAP_SWISS,
	   "1.26 with the new experiment separator");
	is_u64(l->map_tombstone_possible, 35, "tombstonePossible from 1.25");
	is_u64(l->untyped.swiss.dir_len, 24, "dirLen");
	ok(!l->untyped.typed, "built-in layouts are untyped");
	is_str(l->go_version, "go1.26.0-X:nodwarf5", "the version is kept");
	ms_map_layout_destroy(l);
	ok(!ms_map_layout_builtin("go1.27.3", &l) && l->impl == MS_MAP_SWISS &&
		   !l->split_group,
	   "1.27 is swiss, interleaved");
	ms_map_layout_destroy(l);
	ok(!ms_map_layout_builtin("go1.27.3-X:mapsplitgroup", &l) && l->split_group,
	   "1.27 mapsplitgroup from the version");
	is_u64(l->untyped.header_size, 48, "1.27 Map is 48 bytes");
	ms_map_layout_destroy(l);
	struct ms_error *err = ms_map_layout_builtin("go1.28.0", &l);
	ok(err && err->code == MS_ERR_UNSUPPORTED && strstr(err->message, "go1.28.0"),
	   "no tables for a release after the last known one");
	ms_error_destroy(err);
	err = ms_map_layout_builtin("go1.18", &l);
	ok(err && err->code == MS_ERR_UNSUPPORTED, "1.18 is not supported");
	ms_error_destroy(err);
	err = ms_map_layout_builtin("gcc", &l);
	ok(err && err->code == MS_ERR_UNSUPPORTED, "not a version");
	ms_error_destroy(err);

	// Go 1.27 abi.MapType of map[string]int, as the go1.27.3 corpus
	// records it: interleaved, then split (mapsplitgroup).
	{
		uint8_t d7[136] = { 0 };
		struct ms_map_descriptor dd;
		struct ms_map_type m7;
		d7[23] = MS_KIND_MAP;
		put64(d7 + 48, 0x1000);
		put64(d7 + 56, 0x1100);
		put64(d7 + 80, 200);
		put64(d7 + 88, 8);
		put64(d7 + 96, 24);
		put64(d7 + 104, 24);
		put64(d7 + 112, 24);
		put64(d7 + 120, 16);
		ok(!ms_map_descriptor_decode_strided(d7, sizeof(d7), true, &dd) &&
			   !dd.split_group && dd.slot_size == 24,
		   "1.27 interleaved descriptor (the numbers win over the hint)");
		ok(!ms_map_type_from_descriptor(MS_MAP_SWISS, &dd, NULL, NULL, &m7) &&
			   m7.key_base == 8 && m7.key_stride == 24 && m7.elem_base == 24 &&
			   m7.elem_stride == 24 && m7.key_slot_size == 16 &&
			   m7.elem_slot_size == 8,
		   "1.27 interleaved slots");
		put64(d7 + 96, 16);
		put64(d7 + 104, 136);
		put64(d7 + 112, 8);
		put64(d7 + 120, 0);
		ok(!ms_map_descriptor_decode_strided(d7, sizeof(d7), false, &dd) &&
			   dd.split_group,
		   "1.27 split descriptor");
		ok(!ms_map_type_from_descriptor(MS_MAP_SWISS, &dd, NULL, NULL, &m7) &&
			   m7.split_group && m7.elem_base == 136 && m7.elem_stride == 8 &&
			   m7.key_slot_size == 16,
		   "1.27 split slots");
		put64(d7 + 112, 1u << 30);
		err = ms_map_descriptor_decode_strided(d7, sizeof(d7), false, &dd);
		ok(err && err->code == MS_ERR_BAD_DATA, "elements beyond the group rejected");
		ms_error_destroy(err);
		err = ms_map_descriptor_decode_strided(d7, 112, false, &dd);
		ok(err && err->code == MS_ERR_BAD_DATA, "a 1.26-sized descriptor is too short");
		ms_error_destroy(err);
	}

	// Runtime map type descriptors: abi.MapType of map[string]int.
	uint8_t d[112] = { 0 };
	struct ms_map_descriptor desc;
	d[23] = MS_KIND_MAP;
	put64(d + 48, 0x1000);
	put64(d + 56, 0x1100);
	d[80] = 16;
	d[81] = 8;
	d[82] = 208;
	ok(!ms_map_descriptor_decode(MS_MAP_CLASSIC, d, 88, &desc), "classic descriptor");
	is_u64(desc.bucket_size, 208, "classic BucketSize");
	is_u64(desc.key_slot_size, 16, "classic KeySize");
	d[84] = 1;
	ok(!ms_map_descriptor_decode(MS_MAP_CLASSIC, d, 88, &desc) && desc.indirect_key &&
		   !desc.indirect_elem, "classic flag 1 is IndirectKey");
	d[82] = 200;
	err = ms_map_descriptor_decode(MS_MAP_CLASSIC, d, 88, &desc);
	ok(err && err->code == MS_ERR_BAD_DATA, "inconsistent bucket size rejected");
	ms_error_destroy(err);
	err = ms_map_descriptor_decode(MS_MAP_CLASSIC, d, 40, &desc);
	ok(err != NULL, "short descriptor rejected");
	ms_error_destroy(err);

	memset(d + 80, 0, 32);
	put64(d + 80, 200);
	put64(d + 88, 24);
	put64(d + 96, 16);
	d[104] = 8;
	ok(!ms_map_descriptor_decode(MS_MAP_SWISS, d, sizeof(d), &desc), "swiss descriptor");
	ok(!desc.indirect_key && desc.indirect_elem, "swiss flag 8 is IndirectElem");
	d[104] = 0;
	ms_map_descriptor_decode(MS_MAP_SWISS, d, sizeof(d), &desc);
	uint64_t sizes[4] = { 16, 8, 0, 0 };
	ok(!ms_map_type_from_descriptor(MS_MAP_SWISS, &desc, read_types, sizes, &mt),
	   "map type from a descriptor");
	is_u64(mt.key_size, 16, "key size from its abi.Type");
	is_u64(mt.elem_base, 24, "elem of slot 0");
	is_u64(mt.elem_stride, 24, "stride is the slot");
	ok(mt.source == MS_LAYOUT_DESCRIPTOR, "source says descriptor");
	ok(!ms_map_type_from_descriptor(MS_MAP_SWISS, &desc, NULL, NULL, &mt),
	   "descriptor without memory");
	is_u64(mt.key_slot_size, 16, "key slot size from ElemOff");
	d[23] = MS_KIND_STRUCT;
	err = ms_map_descriptor_decode(MS_MAP_SWISS, d, sizeof(d), &desc);
	ok(err && err->code == MS_ERR_BAD_DATA, "a struct type is not a map descriptor");
	ms_error_destroy(err);

	// The shape combines header and type.
	ms_map_layout_builtin("go1.21.0", &l);
	ms_map_type_compute(MS_MAP_CLASSIC, 8, 8, 16, 8, &mt);
	struct ms_map_shape sh;
	ms_map_layout_shape_for(l, &mt, &sh);
	ok(sh.typed && sh.impl == MS_MAP_CLASSIC, "typed classic shape");
	is_u64(sh.bucket_size, 208, "shape bucket size");
	is_u64(sh.overflow_off, 200, "shape overflow");
	is_u64(sh.hmap.buckets, 16, "shape buckets offset");
	ms_map_layout_destroy(l);
	return done_testing();
}
