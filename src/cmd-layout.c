/* mapsleuth layout: the runtime map structures and every map type of a Go binary, like pahole. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buildinfo.h"
#include "cli.h"
#include "commands.h"
#include "dwarf_index.h"
#include "elf_section.h"
#include "elf_types.h"
#include "file.h"
#include "go_type.h"
#include "json.h"
#include "map_layout.h"
#include "open.h"

int ms_cmd_layout(int argc, char **argv);
void ms_cmd_layout_help(FILE *out);

void ms_cmd_layout_help(FILE *out)
{
	fputs("usage: mapsleuth layout [--json] [-c CORE [--sysroot DIR] [--solib-search DIR]]\n"
	      "                        BINARY\n"
	      "\n"
	      "Show how the Go maps of BINARY (an executable, plugin or c-shared\n"
	      "library) are laid out: the runtime's map structures (offset, size,\n"
	      "field, type) and, for every map type in its DWARF, the bucket or group\n"
	      "size, the slot layout and whether keys and elements are stored\n"
	      "indirectly. Without DWARF, the built-in layout for the Go version in\n"
	      ".go.buildinfo is shown, and the map types are read from the runtime type\n"
	      "descriptors in the file. A BINARY with no Go in it (a C host of a Go\n"
	      "c-shared library) is refused with a pointer to its Go library: with\n"
	      "a CORE of it, the Go libraries the core shows loaded are named.\n"
	      "\n"
	      "options:\n"
	      "  --json               print JSON (schema mapsleuth-layout/1)\n"
	      "  -c, --core CORE      a core of BINARY: name the Go libraries it loaded\n"
	      "                       when BINARY itself has no Go\n"
	      "  --sysroot DIR        with --core: look for the core's files under DIR\n"
	      "  --solib-search DIR   with --core: look for shared objects in DIR\n"
	      "                       (repeatable)\n"
	      "  -h, --help           show this help\n",
	      out);
	ms_cli_env_help(out, "  0 the layout was shown, 2 unusable input, 64 usage error\n");
}

struct layout_input {
	const char *path;
	int fd;
	Elf *elf;
	char *version;		// from .go.buildinfo, or NULL
	struct ms_dwarf *dw;	// NULL without DWARF
	struct ms_types *types;
	struct ms_map_layout *layout;
	struct ms_map_type *map_types;
	size_t n_map_types;
	// Without DWARF: the types from the runtime type descriptors, or why not.
	struct ms_elf_types *rt;
	uint64_t types_start;
	struct ms_error *rt_err;
	// No Go at all (no build info, pclntab or Go build id): a host
	// program, whose maps are in a Go library it loads.
	bool not_go;
};

static void input_deinit(struct layout_input *in)
{
	free(in->map_types);
	ms_map_layout_destroy(in->layout);
	ms_types_destroy(in->types);
	ms_elf_types_destroy(in->rt);
	ms_error_destroy(in->rt_err);
	ms_dwarf_destroy(in->dw);
	free(in->version);
	if (in->elf)
		elf_end(in->elf);
	if (in->fd >= 0)
		close(in->fd);
}

// A truncated file otherwise shows up as "no DWARF" or a libelf message
// about some section; say what it is.
static struct ms_error *check_truncated(struct layout_input *in,
					const GElf_Ehdr *eh)
{
	struct stat st;
	if (fstat(in->fd, &st) != 0)
		return ms_error_os(errno, in->path, "cannot stat");
	uint64_t size = (uint64_t)st.st_size;
	uint64_t end = eh->e_phoff + (uint64_t)eh->e_phnum * eh->e_phentsize;
	if (eh->e_phnum && end > size)
		goto truncated;
	end = eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize;
	if (eh->e_shoff && end > size)
		goto truncated;
	for (size_t i = 0; i < eh->e_phnum; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(in->elf, (int)i, &ph) &&
		    (end = ph.p_offset + ph.p_filesz) > size)
			goto truncated;
	}
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(in->elf, scn))) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
		    (end = sh.sh_offset + sh.sh_size) > size)
			goto truncated;
	}
	return NULL;
truncated:
	return ms_error_create(MS_ERR_BAD_DATA,
			       "%s: truncated ELF file: %" PRIu64 " bytes, contents reach %" PRIu64,
			       in->path, size, end);
}

// Whether the file has a section of one of @p names (a NULL-ended list).
static bool has_section(Elf *elf, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		if (ms_elf_section(elf, names[i], NULL))
			return true;
	return false;
}

static struct ms_error *input_open(struct layout_input *in, const char *path)
{
	struct ms_error *err;
	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->path = path;
	if ((err = ms_file_open(path, &in->fd)))
		return err;
	elf_version(EV_CURRENT);
	in->elf = elf_begin(in->fd, ELF_C_READ_MMAP, NULL);
	if (!in->elf || elf_kind(in->elf) != ELF_K_ELF)
		return ms_error_create(MS_ERR_BAD_DATA, "%s: not an ELF file", path);
	GElf_Ehdr eh;
	if (!gelf_getehdr(in->elf, &eh))
		return ms_error_create(MS_ERR_BAD_DATA, "%s: bad ELF header: %s",
				       path, elf_errmsg(-1));
	if (eh.e_type == ET_CORE)
		return ms_error_create(MS_ERR_USAGE,
				       "%s: is a core file; layout reads a binary (try 'mapsleuth info CORE')",
				       path);
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64)
		return ms_error_create(MS_ERR_UNSUPPORTED,
				       "%s: not an x86-64 ELF file", path);
	if ((err = check_truncated(in, &eh)))
		return err;

	err = ms_buildinfo_read(in->elf, &in->version);
	if (err && err->code != MS_ERR_NOMEM) {
		// Go 1.19 and 1.20 plugins have no build info; DWARF may do.
		ms_error_destroy(err);
		err = NULL;
		in->version = NULL;
	}
	if (err)
		return err;
	// Every Go binary, stripped or not, keeps its pclntab; Go 1.19 and
	// 1.20 plugins have no build info but have it.
	static const char *const go_sections[] = {
		".go.buildinfo", ".gopclntab", ".note.go.buildid", NULL
	};
	if (!in->version && !has_section(in->elf, go_sections)) {
		in->not_go = true;
		return ms_error_create(MS_ERR_NOT_FOUND, "%s: no Go in this file", path);
	}

	err = ms_dwarf_open(in->fd, path, &in->dw);
	if (ms_error_catch(&err, MS_ERR_NOT_FOUND)) {
		in->dw = NULL;
		if (!in->version)
			return ms_error_create(MS_ERR_NOT_FOUND,
					       "%s: no DWARF and no Go build info", path);
		if ((err = ms_map_layout_builtin(in->version, &in->layout)))
			return ms_error_prefix(err, "%s", path);
		// The map types the runtime's own type descriptors give.
		uint64_t end;
		err = ms_elf_types_open(in->elf, path, in->version, &in->rt);
		if (!err) {
			ms_elf_types_range(in->rt, &in->types_start, &end);
			err = ms_map_types_collect(ms_elf_types_types(in->rt), in->layout->impl,
						   &in->map_types, &in->n_map_types);
		}
		if (err == &ms_enomem)
			return err;
		in->rt_err = err;
		return NULL;
	}
	if (err)
		return err;
	if ((err = ms_types_create(in->dw, &in->types)) ||
	    (err = ms_map_layout_from_dwarf(in->dw, &in->layout)) ||
	    (err = ms_map_types_collect(in->types, in->layout->impl,
					&in->map_types, &in->n_map_types)))
		return err;
	// The linker's group types say how this module's groups are laid out.
	for (size_t i = 0; i < in->n_map_types; i++)
		if (in->map_types[i].split_group)
			in->layout->split_group = true;
	return NULL;
}

static const char *impl_str(enum ms_map_impl impl)
{
	return impl == MS_MAP_CLASSIC ? "classic" : "swiss";
}

static const char *yes_no(bool b)
{
	return b ? "yes" : "no";
}

static void print_struct(const struct ms_layout_struct *s)
{
	printf("struct %s {\n", s->name);
	for (size_t i = 0; i < s->n_fields; i++) {
		const struct ms_layout_field *f = &s->fields[i];
		printf("\t%-28s %-20s /* %5" PRIu64 " %5" PRIu64 " */\n",
		       f->type_name, f->name, f->offset, f->size);
	}
	printf("\n\t/* size: %" PRIu64 " */\n};\n\n", s->size);
}

// Whether the compiler's rule, which the library falls back on when a
// module's DWARF lacks the linker's bucket or group types, gives the same
// layout as the DWARF.
static bool computed_agrees(const struct ms_map_type *mt)
{
	struct ms_map_type c;
	if (!mt->key || !mt->elem)
		return true;
	if (mt->split_group)
		ms_map_type_compute_split(mt->key->size, mt->key->align,
					  mt->elem->size, mt->elem->align, &c);
	else
		ms_map_type_compute(mt->impl, mt->key->size, mt->key->align,
				    mt->elem->size, mt->elem->align, &c);
	return c.bucket_size == mt->bucket_size && c.key_base == mt->key_base &&
	       c.key_stride == mt->key_stride && c.elem_base == mt->elem_base &&
	       c.elem_stride == mt->elem_stride &&
	       c.indirect_key == mt->indirect_key &&
	       c.indirect_elem == mt->indirect_elem &&
	       (mt->impl != MS_MAP_CLASSIC || c.overflow_offset == mt->overflow_offset);
}

// The link-time address of a map type's descriptor: types from descriptors
// know it as an offset in the types range.
static uint64_t runtime_type_addr(const struct layout_input *in, const struct ms_map_type *mt)
{
	return in->dw ? mt->runtime_type : in->types_start + mt->runtime_type;
}

static void print_map_type(const struct layout_input *in, const struct ms_map_type *mt)
{
	printf("%s", mt->type && mt->type->name[0] ? mt->type->name : "?");
	if (mt->runtime_type || !in->dw)
		printf("  (runtime type 0x%" PRIx64 ")", runtime_type_addr(in, mt));
	printf("\n");
	printf("\tkey  %-30s %5" PRIu64 " bytes%s\n",
	       mt->key ? mt->key->name : "?", mt->key_size,
	       mt->indirect_key ? ", stored indirectly (pointer in slot)" : "");
	printf("\telem %-30s %5" PRIu64 " bytes%s\n",
	       mt->elem ? mt->elem->name : "?", mt->elem_size,
	       mt->indirect_elem ? ", stored indirectly (pointer in slot)" : "");
	const char *bt = mt->bucket_type_name[0] ? mt->bucket_type_name
			 : mt->source == MS_LAYOUT_DESCRIPTOR ? "(descriptor)" : "(computed)";
	if (mt->impl == MS_MAP_CLASSIC) {
		printf("\tbucket %s: size %" PRIu64 ", tophash@0, keys@%" PRIu64
		       " (8 x %" PRIu64 "), values@%" PRIu64 " (8 x %" PRIu64
		       "), overflow@%" PRIu64 "\n",
		       bt, mt->bucket_size, mt->keys_offset, mt->key_slot_size,
		       mt->values_offset, mt->elem_slot_size, mt->overflow_offset);
	} else if (mt->split_group) {
		printf("\tgroup %s: size %" PRIu64 ", ctrl@%" PRIu64 ", keys@%" PRIu64
		       " (8 x %" PRIu64 "), elems@%" PRIu64 " (8 x %" PRIu64 ") [split]\n",
		       bt, mt->bucket_size, mt->ctrl_offset, mt->keys_offset,
		       mt->key_slot_size, mt->values_offset, mt->elem_slot_size);
	} else {
		printf("\tgroup %s: size %" PRIu64 ", ctrl@%" PRIu64 ", slots@%" PRIu64
		       " (8 x %" PRIu64 "): key@%" PRIu64 " (%" PRIu64 "), elem@%" PRIu64
		       " (%" PRIu64 ") [interleaved]\n",
		       bt, mt->bucket_size, mt->ctrl_offset, mt->slots_offset,
		       mt->slot_size, mt->slot_key_offset, mt->key_slot_size,
		       mt->elem_off, mt->elem_slot_size);
	}
	printf("\tindirect key %s, indirect elem %s; layout from %s\n",
	       yes_no(mt->indirect_key), yes_no(mt->indirect_elem),
	       ms_layout_source_str(mt->source));
	if (!computed_agrees(mt))
		printf("\tnote: the compiler's rule for these key and element sizes gives another layout\n");
	printf("\n");
}

static void print_text(const struct layout_input *in)
{
	const struct ms_map_layout *l = in->layout;
	printf("%s: %s, %s maps\n", in->path, in->version ? in->version : "Go version unknown",
	       impl_str(l->impl));
	if (l->source == MS_LAYOUT_BUILTIN)
		printf("built-in layout for %s (no DWARF)\n", l->go_version);
	else
		printf("layout from DWARF\n");
	if (l->impl == MS_MAP_SWISS)
		printf("groups: %s\n", l->split_group ?
		       "ctrl, keys[8], elems[8] (GOEXPERIMENT=mapsplitgroup)" :
		       "ctrl, slots[8]{key, elem}");
	printf("\n");
	for (size_t i = 0; i < l->n_structs; i++)
		print_struct(&l->structs[i]);
	if (!in->dw && !in->rt) {
		printf("map types: unknown without DWARF (%s); bucket and group sizes\n"
		       "come from the runtime map type descriptors in a core\n",
		       in->rt_err ? in->rt_err->message : "no runtime type descriptors");
		return;
	}
	if (in->dw)
		printf("map types: %zu\n\n", in->n_map_types);
	else
		printf("map types: %zu, from the runtime type descriptors (no DWARF; names as\n"
		       "reflect prints them, package paths shortened to the last element)\n\n",
		       in->n_map_types);
	for (size_t i = 0; i < in->n_map_types; i++)
		print_map_type(in, &in->map_types[i]);
}

static void json_struct(struct ms_json *js, const struct ms_layout_struct *s)
{
	ms_json_object_begin(js);
	ms_json_kv_string(js, "name", s->name);
	ms_json_kv_u64(js, "size", s->size);
	ms_json_key(js, "fields");
	ms_json_array_begin(js);
	for (size_t i = 0; i < s->n_fields; i++) {
		const struct ms_layout_field *f = &s->fields[i];
		ms_json_object_begin(js);
		ms_json_kv_string(js, "name", f->name);
		ms_json_kv_string(js, "type", f->type_name);
		ms_json_kv_u64(js, "offset", f->offset);
		ms_json_kv_u64(js, "size", f->size);
		ms_json_object_end(js);
	}
	ms_json_array_end(js);
	ms_json_object_end(js);
}

static void json_type_ref(struct ms_json *js, const char *key,
			  const struct ms_type *t, uint64_t size)
{
	ms_json_key(js, key);
	ms_json_object_begin(js);
	ms_json_kv_string(js, "type", t ? t->name : NULL);
	ms_json_kv_u64(js, "size", size);
	ms_json_object_end(js);
}

static void json_map_type(struct ms_json *js, const struct layout_input *in,
			  const struct ms_map_type *mt)
{
	ms_json_object_begin(js);
	ms_json_kv_string(js, "name", mt->type ? mt->type->name : NULL);
	ms_json_key(js, "runtime_type");
	if (mt->runtime_type || !in->dw)
		ms_json_addr(js, runtime_type_addr(in, mt));
	else
		ms_json_null(js);
	ms_json_kv_string(js, "source", ms_layout_source_str(mt->source));
	json_type_ref(js, "key", mt->key, mt->key_size);
	json_type_ref(js, "elem", mt->elem, mt->elem_size);
	ms_json_kv_bool(js, "indirect_key", mt->indirect_key);
	ms_json_kv_bool(js, "indirect_elem", mt->indirect_elem);
	ms_json_kv_bool(js, "computed_agrees", computed_agrees(mt));
	ms_json_kv_u64(js, "key_slot_size", mt->key_slot_size);
	ms_json_kv_u64(js, "elem_slot_size", mt->elem_slot_size);
	ms_json_key(js, mt->impl == MS_MAP_CLASSIC ? "bucket_type" : "group_type");
	ms_json_string(js, mt->bucket_type_name[0] ? mt->bucket_type_name : NULL);
	if (mt->impl == MS_MAP_CLASSIC) {
		ms_json_kv_u64(js, "bucket_size", mt->bucket_size);
		ms_json_kv_u64(js, "keys_offset", mt->keys_offset);
		ms_json_kv_u64(js, "values_offset", mt->values_offset);
		ms_json_kv_u64(js, "overflow_offset", mt->overflow_offset);
	} else {
		ms_json_kv_u64(js, "group_size", mt->bucket_size);
		ms_json_kv_u64(js, "ctrl_offset", mt->ctrl_offset);
		ms_json_kv_string(js, "slots", mt->split_group ? "split" : "interleaved");
		if (mt->split_group) {
			ms_json_kv_u64(js, "keys_offset", mt->keys_offset);
			ms_json_kv_u64(js, "elems_offset", mt->values_offset);
		} else {
			ms_json_kv_u64(js, "slots_offset", mt->slots_offset);
			ms_json_kv_u64(js, "slot_size", mt->slot_size);
			ms_json_kv_u64(js, "key_offset", mt->slot_key_offset);
			ms_json_kv_u64(js, "elem_off", mt->elem_off);
		}
		// abi.MapType's KeysOff/KeyStride/ElemsOff/ElemStride (1.27):
		// slot i's key and element, whatever the group's shape.
		ms_json_kv_u64(js, "key_base", mt->key_base);
		ms_json_kv_u64(js, "key_stride", mt->key_stride);
		ms_json_kv_u64(js, "elem_base", mt->elem_base);
		ms_json_kv_u64(js, "elem_stride", mt->elem_stride);
	}
	ms_json_object_end(js);
}

static int print_json(const struct layout_input *in)
{
	const struct ms_map_layout *l = in->layout;
	struct ms_json js;
	ms_json_init(&js, stdout, true);
	ms_json_object_begin(&js);
	ms_json_kv_string(&js, "schema", "mapsleuth-layout/1");
	ms_json_kv_string(&js, "file", in->path);
	ms_json_kv_string(&js, "go_version", in->version);
	ms_json_kv_string(&js, "impl", impl_str(l->impl));
	ms_json_kv_string(&js, "source", ms_layout_source_str(l->source));
	ms_json_kv_bool(&js, "dwarf", in->dw != NULL);
	ms_json_kv_string(&js, "groups", l->impl != MS_MAP_SWISS ? NULL :
			  l->split_group ? "split" : "interleaved");
	ms_json_key(&js, "structs");
	ms_json_array_begin(&js);
	for (size_t i = 0; i < l->n_structs; i++)
		json_struct(&js, &l->structs[i]);
	ms_json_array_end(&js);
	ms_json_kv_string(&js, "map_types_from", in->dw ? "dwarf" : in->rt ?
			  "runtime type descriptors" : NULL);
	ms_json_kv_string(&js, "map_types_error", in->rt_err ? in->rt_err->message : NULL);
	ms_json_key(&js, "map_types");
	if (!in->dw && !in->rt) {
		ms_json_null(&js);
	} else {
		ms_json_array_begin(&js);
		for (size_t i = 0; i < in->n_map_types; i++)
			json_map_type(&js, in, &in->map_types[i]);
		ms_json_array_end(&js);
	}
	ms_json_object_end(&js);
	return ms_json_finish(&js);
}

static void quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/*
 * BINARY has no Go: a C (or other) host whose Go code, maps included, is
 * in a c-shared library it loads. Say so in one line and where to look:
 * the Go libraries a core of it shows, or how to have a core name them.
 */
static int not_go_hint(const struct ms_cli_common *c, const char *path)
{
	if (!c->core) {
		ms_cli_errorf("%s: no Go runtime in this file (no Go build info or pclntab): a host "
			      "of a Go c-shared library? Run 'mapsleuth layout' on that library; "
			      "'mapsleuth layout --core CORE %s' names the Go libraries a core of it "
			      "loaded", ms_cli_safe(path), ms_cli_safe(path));
		return MS_EXIT_FATAL;
	}
	struct ms_cli_common o = *c;
	o.exe = path;
	struct ms_session *s;
	// The shared objects not found are told below, the Go ones only.
	struct ms_error *err = ms_cli_open_session_warn(&o, c->core, quiet, NULL, &s);
	if (err) {
		ms_cli_report(err);
		return MS_EXIT_FATAL;
	}
	const struct ms_module *rt = ms_session_runtime_module(s);
	char libs[2048] = "", run[1100] = "";
	size_t n = 0, found = 0, missing = 0, len = 0;
	for (size_t i = 0; i < ms_session_module_count(s) && len < sizeof(libs); i++) {
		const struct ms_module *m = ms_session_module(s, i);
		if (m->kind == MS_MODULE_EXE || m->kind == MS_MODULE_VDSO ||
		    !(m->is_go || m->go_build_id))
			continue;
		bool here = m->status == MS_MODULE_FOUND && m->file_path;
		int k = snprintf(libs + len, sizeof(libs) - len, "%s%s%s%s", n ? ", " : "",
				 here ? m->file_path : m->core_path,
				 here ? "" : m->status == MS_MODULE_MISSING ? " (not found here)"
				 : " (the file found does not match the core)",
				 m == rt && n ? " (the runtime)" : "");
		if (k < 0)
			break;
		len += (size_t)k;
		if (here && !found++)
			snprintf(run, sizeof(run), "%s", m->file_path);
		missing += !here;
		n++;
	}
	if (!n)
		ms_cli_errorf("%s: no Go runtime in this file, and %s shows no Go library loaded",
			      ms_cli_safe(path), ms_cli_safe(c->core));
	else
		ms_cli_errorf("%s: no Go runtime in this file (a host program); %s shows Go in %s: "
			      "%s%s%s%s", ms_cli_safe(path), ms_cli_safe(c->core), ms_cli_safe(libs),
			      found ? "run 'mapsleuth layout " : "",
			      found ? ms_cli_safe(run) : "", found ? "'" : "",
			      missing ? (found ? "; give --solib-search DIR for the others"
				     : "give --solib-search DIR (the directory holding it) to find it")
			      : "");
	ms_session_destroy(s);
	return MS_EXIT_FATAL;
}

// The options of layout: --json, and the core options that name a host's Go libraries.
static bool layout_option(const char *arg)
{
	static const char *const names[] = { "--core", "-c", "--sysroot", "--solib-search" };
	size_t len = strcspn(arg, "=");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncmp(arg, names[i], len) == 0)
			return true;
	return false;
}

int ms_cmd_layout(int argc, char **argv)
{
	bool json = false, options_done = false;
	const char *path = NULL;
	struct ms_cli_common c = { 0 };
	for (int i = 1; i < argc; i++) {
		if (!options_done && strcmp(argv[i], "--") == 0) {
			options_done = true;
			continue;
		}
		if (!options_done && argv[i][0] == '-' && argv[i][1]) {
			if (strcmp(argv[i], "--json") == 0) {
				json = true;
				continue;
			}
			int r = layout_option(argv[i]) ? ms_cli_common_option(&c, argc, argv, &i) : 0;
			if (r > 0)
				continue;
			if (r == 0)
				ms_cli_errorf("layout: unknown option '%s'; see 'mapsleuth layout --help'",
					      argv[i]);
			ms_cli_common_deinit(&c);
			return MS_EXIT_USAGE;
		}
		if (path) {
			ms_cli_errorf("layout: one BINARY only; see 'mapsleuth layout --help'");
			ms_cli_common_deinit(&c);
			return MS_EXIT_USAGE;
		}
		path = argv[i];
	}
	if (!path || ((c.sysroot || c.n_solib_search) && !c.core)) {
		ms_cli_errorf(path ? "layout: --sysroot and --solib-search go with --core CORE; "
			      "see 'mapsleuth layout --help'"
			      : "layout: no BINARY given; see 'mapsleuth layout --help'");
		ms_cli_common_deinit(&c);
		return MS_EXIT_USAGE;
	}
	struct layout_input in;
	struct ms_error *err = input_open(&in, path);
	if (err) {
		int rc = err->code == MS_ERR_USAGE ? MS_EXIT_USAGE : MS_EXIT_FATAL;
		if (in.not_go) {
			ms_error_destroy(err);
			rc = not_go_hint(&c, path);
		} else {
			ms_cli_report(err);
		}
		input_deinit(&in);
		ms_cli_common_deinit(&c);
		return rc;
	}
	ms_cli_common_deinit(&c);
	int rc = MS_EXIT_OK;
	if (json) {
		if (print_json(&in) != 0)
			rc = MS_EXIT_FATAL;
	} else {
		print_text(&in);
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = MS_EXIT_FATAL;
	}
	input_deinit(&in);
	return rc;
}
