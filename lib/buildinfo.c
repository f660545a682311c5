/* The Go version of a module from its .go.buildinfo section, for binaries without DWARF. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "binbuf.h"
#include "buildinfo.h"

static const uint8_t magic[14] = "\xff Go buildinf:";

// The module info is framed by two 16-byte sentinels
// (cmd/go/internal/modload/build.go); they are not text.
static const size_t sentinel_len = 16;

static struct ms_error *read_string(struct ms_binbuf *bb, char **ret)
{
	uint64_t len = 0;
	const uint8_t *p = NULL;
	struct ms_error *err = ms_binbuf_uleb128(bb, &len);
	if (err)
		return err;
	if (len > ms_binbuf_left(bb))
		return ms_binbuf_short(bb, len > SIZE_MAX ? SIZE_MAX : (size_t)len);
	if ((err = ms_binbuf_ref(bb, &p, (size_t)len)))
		return err;
	char *s = malloc((size_t)len + 1);
	if (!s)
		return &ms_enomem;
	memcpy(s, p, (size_t)len);
	s[len] = '\0';
	*ret = s;
	return NULL;
}

struct ms_error *ms_buildinfo_parse(const void *buf, size_t len,
				    const char *name, char **version_ret,
				    char **modinfo_ret)
{
	struct ms_binbuf bb;
	const uint8_t *m = NULL;
	uint8_t ptrsize = 0, flags = 0;
	struct ms_error *err;
	ms_binbuf_init(&bb, buf, len, name, 0);
	if ((err = ms_binbuf_ref(&bb, &m, sizeof(magic))))
		return err;
	if (memcmp(m, magic, sizeof(magic)) != 0)
		return ms_error_create(MS_ERR_BAD_DATA, "%s: no Go build info magic",
				       name);
	if ((err = ms_binbuf_u8(&bb, &ptrsize)) ||
	    (err = ms_binbuf_u8(&bb, &flags)) ||
	    (err = ms_binbuf_skip(&bb, 16)))
		return err;
	if (!(flags & 2))
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "%s: build info of a Go release before 1.18",
				       name);
	if (flags & 1)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "%s: big-endian Go build info", name);
	char *version = NULL, *modinfo = NULL;
	if ((err = read_string(&bb, &version)))
		return err;
	if (modinfo_ret) {
		if ((err = read_string(&bb, &modinfo))) {
			free(version);
			return err;
		}
		size_t n = strlen(modinfo);
		if (n >= 2 * sentinel_len + 1 && modinfo[n - sentinel_len - 1] == '\n') {
			memmove(modinfo, modinfo + sentinel_len, n - 2 * sentinel_len);
			modinfo[n - 2 * sentinel_len] = '\0';
		}
		*modinfo_ret = modinfo;
	}
	*version_ret = version;
	return NULL;
}

static struct ms_error *parse_data(Elf_Data *data, const char *name,
				   char **version_ret)
{
	if (!data || !data->d_buf)
		return ms_error_create(MS_ERR_BAD_DATA, "%s: no bytes", name);
	return ms_buildinfo_parse(data->d_buf, data->d_size, name, version_ret,
				  NULL);
}

struct ms_error *ms_buildinfo_read(Elf *elf, char **version_ret)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx) == 0) {
		Elf_Scn *scn = NULL;
		while ((scn = elf_nextscn(elf, scn))) {
			GElf_Shdr shdr;
			if (!gelf_getshdr(scn, &shdr) || shdr.sh_type == SHT_NOBITS)
				continue;
			const char *name = elf_strptr(elf, shstrndx, shdr.sh_name);
			if (name && strcmp(name, ".go.buildinfo") == 0)
				return parse_data(elf_rawdata(scn, NULL),
						  ".go.buildinfo", version_ret);
		}
	}
	// No section headers: search the first writable, non-executable
	// PT_LOAD, where the linker puts it (debug/buildinfo does the same).
	size_t phnum;
	if (elf_getphdrnum(elf, &phnum) != 0)
		return ms_error_create(MS_ERR_NOT_FOUND, "no Go build info");
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD ||
		    !(ph.p_flags & PF_W) || (ph.p_flags & PF_X))
			continue;
		Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset,
						   ph.p_filesz, ELF_T_BYTE);
		if (!d || !d->d_buf)
			break;
		const uint8_t *p = d->d_buf;
		for (size_t off = 0; off + 32 <= d->d_size; off += 16) {
			if (memcmp(p + off, magic, sizeof(magic)) == 0)
				return ms_buildinfo_parse(p + off, d->d_size - off,
							  "Go build info",
							  version_ret, NULL);
		}
		break;
	}
	return ms_error_create(MS_ERR_NOT_FOUND, "no Go build info");
}

static const char *parse_uint(const char *s, unsigned *ret)
{
	if (*s < '0' || *s > '9')
		return NULL;
	unsigned v = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > 100000)
			return NULL;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*ret = v;
	return s;
}

bool ms_go_version_parse(const char *s, struct ms_go_version *ret)
{
	struct ms_go_version v = { 0 };
	if (strncmp(s, "devel ", 6) == 0) {
		v.devel = true;
		s += 6;
	}
	if (strncmp(s, "go", 2) != 0)
		return false;
	const char *p = s + 2;
	if (!(p = parse_uint(p, &v.major)) || *p != '.' ||
	    !(p = parse_uint(p + 1, &v.minor)))
		return false;
	if (*p == '.') {
		const char *q = parse_uint(p + 1, &v.patch);
		if (q)
			p = q;
	}
	if (strncmp(p, "-devel", 6) == 0)
		v.devel = true;
	// Experiments follow " X:" (1.19-1.25) or "-X:" (1.26), comma separated.
	const char *x = strstr(p, "X:");
	if (x) {
		for (const char *e = x + 2; *e;) {
			size_t n = strcspn(e, ", ");
			if (n == 10 && strncmp(e, "noswissmap", 10) == 0)
				v.noswissmap = true;
			else if (n == 13 && strncmp(e, "mapsplitgroup", 13) == 0)
				v.mapsplitgroup = true;
			e += n;
			if (*e != ',')
				break;
			e++;
		}
	}
	*ret = v;
	return true;
}
