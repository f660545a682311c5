/* Fuzz the note decoder: ms_core_notes_parse() on the input as the bytes of one PT_NOTE segment. */
#include "config.h"

#include "elf_core.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ms_core_notes notes;
	ms_core_notes_init(&notes);
	ms_error_destroy(ms_core_notes_parse(&notes, data, size, "fuzz: PT_NOTE", 0));
	// Touch everything the decoder claims to have filled.
	volatile uint64_t sink = 0;
	for (size_t i = 0; i < notes.n_threads; i++)
		sink += notes.threads[i].regs[MS_REG_RIP] + (uint64_t)notes.threads[i].tid;
	for (size_t i = 0; i < notes.n_files; i++) {
		const char *p = notes.files[i].path;
		while (p && *p)
			sink += (uint8_t)*p++;
		sink += notes.files[i].start ^ notes.files[i].end;
	}
	for (size_t i = 0; i < notes.n_auxv; i++)
		sink += notes.auxv[i][1];
	uint64_t v;
	if (ms_core_notes_auxv(&notes, 9 /* AT_ENTRY */, &v))
		sink += v;
	(void)sink;
	ms_core_notes_deinit(&notes);
	return 0;
}
