/* Go types of a binary file without DWARF, from its runtime type descriptors (no core needed). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "addrspace.h"
#include "binbuf.h"
#include "buildinfo.h"
#include "elf_section.h"
#include "elf_types.h"
#include "go_runtime.h"

struct ms_elf_types {
	struct ms_addrspace as;
	struct ms_types *types;
	uint64_t types_start, types_end;
	char *path;
};

static struct ms_error *file_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	struct ms_elf_types *et = arg;
	return ms_addrspace_read(&et->as, addr, buf, len);
}

// Address and size of section @p name, or false.
static bool section(Elf *elf, const char *name, uint64_t *addr, uint64_t *size)
{
	GElf_Shdr sh;
	if (!ms_elf_section(elf, name, &sh))
		return false;
	*addr = sh.sh_addr;
	*size = sh.sh_size;
	return true;
}

// The file's PT_LOAD segments as an address space over its bytes.
static struct ms_error *load_segments(struct ms_elf_types *et, Elf *elf)
{
	size_t size = 0;
	const char *image = elf_rawfile(elf, &size);
	if (!image)
		return ms_error_create(MS_ERR_BAD_DATA, "%s: cannot read the file's bytes: %s",
				       et->path, elf_errmsg(-1));
	ms_addrspace_init(&et->as, image, size, et->path);
	size_t n;
	if (elf_getphdrnum(elf, &n) != 0)
		return ms_error_create(MS_ERR_BAD_DATA, "%s: no program headers", et->path);
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset)
			return ms_error_create(MS_ERR_BAD_DATA,
					       "%s: segment at 0x%llx reaches past the end of the file",
					       et->path, (unsigned long long)ph.p_vaddr);
		struct ms_segment seg = {
			.start = ph.p_vaddr, .end = ph.p_vaddr + ph.p_memsz,
			.perms = ph.p_flags & (PF_R | PF_W | PF_X), .in_core = true,
			.dumped = ph.p_filesz, .core_offset = ph.p_offset,
		};
		struct ms_error *err = ms_addrspace_add(&et->as, &seg);
		if (err)
			return ms_error_prefix(err, "%s", et->path);
	}
	return NULL;
}

static struct ms_error *find_moduledata(struct ms_elf_types *et, Elf *elf,
					const struct ms_moduledata_layout *l, uint64_t *ret)
{
	uint64_t pclntab, text, addr, size, v;
	if (!section(elf, ".gopclntab", &pclntab, &size) || !section(elf, ".text", &text, &size))
		return ms_error_create(MS_ERR_NOT_FOUND, "%s: no .gopclntab or .text section",
				       et->path);
	// Go 1.26 and later put the module's moduledata at the start of .go.module.
	if (section(elf, ".go.module", &addr, &size)) {
		struct ms_error *err = ms_addrspace_read_u64(&et->as, addr + l->pcheader, &v);
		ms_error_destroy(err);
		if (!err && v == pclntab && ms_go_pcheader_matches(&et->as, pclntab, text)) {
			*ret = addr;
			return NULL;
		}
	}
	static const char *const where[] = { ".noptrdata", ".data" };
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		if (!section(elf, where[i], &addr, &size))
			continue;
		struct ms_error *err = ms_go_find_moduledata(&et->as, l, addr, addr + size,
							     pclntab, text, ret);
		if (!err)
			return NULL;
		ms_error_destroy(err);
	}
	return ms_error_create(MS_ERR_NOT_FOUND, "%s: no runtime.moduledata found", et->path);
}

struct ms_error *ms_elf_types_open(Elf *elf, const char *path, const char *version,
				   struct ms_elf_types **ret)
{
	struct ms_go_version v;
	if (!version || !ms_go_version_parse(version, &v))
		return ms_error_create(MS_ERR_NOT_FOUND, "%s: no Go version", path);
	struct ms_go_layout gl;
	ms_go_layout_init(&gl, &v, NULL);
	if (gl.md.source == MS_LAYOUT_NONE || gl.md.prefix_only || !gl.md.etypes)
		return ms_error_create(MS_ERR_NOT_FOUND,
				       "%s: no runtime.moduledata layout for %s", path, version);
	struct ms_elf_types *et = calloc(1, sizeof(*et));
	if (!et || !(et->path = strdup(path))) {
		free(et);
		return &ms_enomem;
	}
	uint64_t md;
	struct ms_go_moduledata *mds = NULL;
	size_t n = 0;
	struct ms_error *partial = NULL;
	struct ms_error *err = load_segments(et, elf);
	if (!err)
		err = find_moduledata(et, elf, &gl.md, &md);
	if (!err)
		err = ms_go_moduledata_walk(&et->as, &gl.md, md, &mds, &n, &partial);
	ms_error_destroy(partial);
	if (!err) {
		et->types_start = mds[0].types;
		et->types_end = mds[0].etypes;
		ms_go_moduledata_free(mds, n);
		if (et->types_end <= et->types_start)
			err = ms_error_create(MS_ERR_NOT_FOUND,
					      "%s: the moduledata at 0x%llx has no types range",
					      path, (unsigned long long)md);
	}
	if (!err) {
		struct ms_types_runtime rt = {
			.read = file_read, .read_arg = et,
			.types_start = et->types_start, .types_end = et->types_end,
			.strided_maps = v.major == 1 && v.minor >= 27,
			.split_group = v.mapsplitgroup,
		};
		err = ms_types_create_runtime(&rt, &et->types);
	}
	if (err) {
		ms_elf_types_destroy(et);
		return err;
	}
	*ret = et;
	return NULL;
}

struct ms_types *ms_elf_types_types(struct ms_elf_types *et)
{
	return et->types;
}

void ms_elf_types_range(const struct ms_elf_types *et, uint64_t *start, uint64_t *end)
{
	*start = et->types_start;
	*end = et->types_end;
}

void ms_elf_types_destroy(struct ms_elf_types *et)
{
	if (!et)
		return;
	ms_types_destroy(et->types);
	ms_addrspace_deinit(&et->as);
	free(et->path);
	free(et);
}
