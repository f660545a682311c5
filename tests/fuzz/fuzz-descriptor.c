/*
 * Fuzz runtime map type descriptors: the scan reads them from the core (the
 * type word of an interface, a malloc header) and trusts nothing in them.
 * The input is a memory image at BASE: byte 0 picks classic or swiss and
 * the Go version, the descriptor sits at BASE + 8, the header judged at
 * BASE + 8 + 112 (the largest descriptor before Go 1.27); the key and
 * element abi.Type the descriptor points to, and the buckets or groups, are
 * wherever it says. The same bytes are also read as a Go 1.27 descriptor
 * (136 bytes, overlapping the header) and judged with 1.27's layout.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "map_check.h"
#include "map_layout.h"

enum { BASE = 0x100000, HEADER = BASE + 8 + 112 };

struct image {
	const uint8_t *data;
	size_t size;
};

static struct ms_error *img_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	const struct image *im = arg;
	if (addr < BASE || addr - BASE > im->size || len > im->size - (addr - BASE))
		return ms_error_fault(addr, MS_FAULT_UNMAPPED, "unmapped");
	memcpy(buf, im->data + (addr - BASE), len);
	return NULL;
}

static void img_classify(void *arg, uint64_t addr, struct ms_ptr_info *ret)
{
	const struct image *im = arg;
	memset(ret, 0, sizeof(*ret));
	if (!addr)
		return;
	ret->cls = addr >= BASE && addr - BASE < im->size ? MS_PTR_HEAP : MS_PTR_UNMAPPED;
}

// Judge the header at HEADER with the shape of @mt.
static struct ms_error *judge(const struct image *im, const struct ms_map_layout *layout,
			      const struct ms_map_type *mt)
{
	struct ms_map_shape shape;
	ms_map_layout_shape_for(layout, mt, &shape);
	struct ms_map_memory mem = { img_read, img_classify, (void *)im };
	struct ms_map_limits limits = { .max_buckets = 1024, .max_tables = 64 };
	struct ms_map_check c;
	struct ms_error *err = ms_map_check(&mem, &shape, &limits, HEADER, NULL, NULL, &c);
	if (!err)
		ms_map_check_deinit(&c);
	return err;
}

// Go 1.27: abi.MapType with KeysOff, KeyStride, ElemsOff, ElemStride.
static void strided(const struct image *im, bool split)
{
	if (im->size < 8 + MS_MAP_DESCRIPTOR_STRIDED_SIZE)
		return;
	struct ms_map_layout *layout;
	struct ms_error *err = ms_map_layout_builtin(split ? "go1.27.3-X:mapsplitgroup" :
							     "go1.27.3", &layout);
	if (err) {
		ms_error_destroy(err);
		return;
	}
	struct ms_map_descriptor d;
	struct ms_map_type mt;
	err = ms_map_descriptor_decode_strided(im->data + 8, MS_MAP_DESCRIPTOR_STRIDED_SIZE,
					       split, &d);
	if (!err)
		err = ms_map_type_from_descriptor(MS_MAP_SWISS, &d, img_read, (void *)im, &mt);
	if (!err)
		err = judge(im, layout, &mt);
	ms_error_destroy(err);
	ms_map_layout_destroy(layout);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const versions[] = {
		"go1.19.8", "go1.23.12", "go1.24.13 X:noswissmap", "go1.24.13", "go1.26.8",
	};
	if (size < HEADER - BASE)
		return 0;
	struct image im = { data, size };
	const char *version = versions[data[0] % 5];
	struct ms_map_layout *layout;
	struct ms_error *err = ms_map_layout_builtin(version, &layout);
	if (err) {
		ms_error_destroy(err);
		return 0;
	}
	enum ms_map_impl impl = layout->impl;
	size_t dlen = impl == MS_MAP_SWISS ? MS_MAP_DESCRIPTOR_SWISS_SIZE
					   : MS_MAP_DESCRIPTOR_CLASSIC_SIZE;
	struct ms_map_descriptor d;
	struct ms_map_type mt;
	err = ms_map_descriptor_decode(impl, data + 8, dlen, &d);
	if (!err)
		err = ms_map_type_from_descriptor(impl, &d, img_read, &im, &mt);
	if (!err)
		err = judge(&im, layout, &mt);
	ms_error_destroy(err);
	strided(&im, data[0] & 1);
	struct ms_abi_type t;
	ms_error_destroy(ms_abi_type_decode(data + 8, size - 8, &t));
	ms_map_layout_destroy(layout);
	return 0;
}
