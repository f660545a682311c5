/*
 * Fuzz the core reader: ms_core_open() on the input as a file (ELF header,
 * program headers, notes, segment bounds), then the address space built
 * from it the way a session builds it, and reads at the segment edges.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "addrspace.h"
#include "elf_core.h"
#include "fuzz.h"

// The address space of a session: PT_LOADs, then NT_FILE ranges.
static void exercise_addrspace(const struct ms_core *core)
{
	struct ms_addrspace as;
	ms_addrspace_init(&as, core->image, core->size, core->path);
	for (size_t i = 0; i < core->n_segments; i++) {
		const struct ms_core_segment *cs = &core->segments[i];
		struct ms_segment seg = {
			.start = cs->vaddr,
			.end = cs->vaddr + cs->memsz,
			.perms = cs->flags,
			.in_core = true,
			.dumped = cs->filesz,
			.core_offset = cs->offset,
		};
		ms_error_destroy(ms_addrspace_add(&as, &seg));
	}
	for (size_t i = 0; i < core->notes.n_files; i++) {
		const struct ms_core_file_map *f = &core->notes.files[i];
		ms_error_destroy(ms_addrspace_add_file_map(&as, f->start, f->end,
							   f->offset, f->path));
	}
	// Read the first and last words of every segment and across its end.
	for (size_t i = 0; i < as.n_segments; i++) {
		const struct ms_segment *seg = &as.segments[i];
		uint8_t buf[64];
		uint64_t v;
		ms_error_destroy(ms_addrspace_read(&as, seg->start, buf, sizeof(buf)));
		ms_error_destroy(ms_addrspace_read_u64(&as, seg->end - 8, &v));
		ms_error_destroy(ms_addrspace_read(&as, seg->end - 4, buf, 16));
		const struct ms_segment *below, *above;
		ms_addrspace_neighbors(&as, seg->end, &below, &above);
		(void)ms_addrspace_find(&as, seg->start + (seg->end - seg->start) / 2);
	}
	uint64_t entry;
	if (ms_core_notes_auxv(&core->notes, 9 /* AT_ENTRY */, &entry)) {
		uint8_t buf[16];
		ms_error_destroy(ms_addrspace_read(&as, entry, buf, sizeof(buf)));
	}
	ms_addrspace_deinit(&as);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-core", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	struct ms_core *core = NULL;
	struct ms_error *err = ms_core_open(path, &core);
	if (!err) {
		const uint8_t *bytes;
		for (size_t i = 0; i < core->n_segments; i++)
			ms_error_destroy(ms_core_bytes(core, core->segments[i].offset,
						       16, &bytes));
		for (size_t i = 0; i < core->notes.n_threads; i++)
			(void)ms_x86_reg_name((unsigned)i);
		(void)ms_signal_name(core->notes.si_signo);
		exercise_addrspace(core);
		ms_core_destroy(core);
	}
	ms_error_destroy(err);
	close(fd);
	return 0;
}
