/* Unit test of the GOT slots that code references go through: the slots a module's relocations fill, checked against what the dynamic linker wrote into this very process. */
#include "config.h"

#include <limits.h>
#include <link.h>
#include <stdlib.h>
#include <unistd.h>

#include "module.h"
#include "tap.h"

// A pointer initialized at link time: in a position-independent
// executable the dynamic linker fills it (R_X86_64_RELATIVE).
static int target[4];
int *volatile pointer_to_target = &target[2];

// Read a word the dynamic linker wrote. Under AddressSanitizer a slot may
// sit in a redzone (the sanitizer's own relocated descriptors of globals):
// reading it here is the point, not a bug.
__attribute__((no_sanitize_address))
static uint64_t load_word(uint64_t addr)
{
	return *(const volatile uint64_t *)(uintptr_t)addr;
}

static int first_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	*(uint64_t *)arg = info->dlpi_addr;
	return 1;
}

int main(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0) {
		printf("1..0 # SKIP no /proc/self/exe\n");
		return 0;
	}
	exe[n] = '\0';

	struct ms_module *mod;
	const struct ms_got_slot *slots;
	size_t count;
	ok(!ms_module_create(MS_MODULE_EXE, exe, &mod), "module created");
	ok(!ms_module_got_slots(mod, &slots, &count) && count == 0,
	   "without a file there are no slots");
	ok(!ms_module_open_file(mod, exe), "opened %s", exe);
	uint64_t bias = 0;
	dl_iterate_phdr(first_object, &bias);
	mod->bias = bias;
	ok(!ms_module_got_slots(mod, &slots, &count), "slots read");
	if (count == 0) {
		ms_module_destroy(mod);
		printf("1..%d # SKIP not a position-independent executable: no relocations\n",
		       tap_n);
		return 0;
	}
	bool sorted = true;
	for (size_t i = 1; i < count; i++)
		sorted &= slots[i - 1].slot <= slots[i].slot;
	ok(sorted, "%zu slots sorted by address", count);

	// The slot of pointer_to_target holds &target[2].
	const struct ms_got_slot *mine = NULL;
	for (size_t i = 0; i < count; i++)
		if (slots[i].slot == (uint64_t)(uintptr_t)&pointer_to_target)
			mine = &slots[i];
	ok(mine && mine->resolved, "the initialized pointer is a resolved slot");
	if (mine)
		is_u64(mine->value, (uint64_t)(uintptr_t)&target[2],
		       "its value is the address of target[2]");

	// Every slot the file resolves holds, in memory, what the dynamic
	// linker wrote there.
	size_t checked = 0, differ = 0;
	for (size_t i = 0; i < count; i++) {
		if (!slots[i].resolved)
			continue;
		uint64_t v = load_word(slots[i].slot);
		checked++;
		if (v != slots[i].value) {
			if (differ++ < 3)
				printf("# slot 0x%" PRIx64 ": file says 0x%" PRIx64
				       ", memory 0x%" PRIx64 "\n",
				       slots[i].slot, slots[i].value, v);
		}
	}
	ok(checked > 0 && differ == 0, "%zu resolved slots agree with memory", checked);

	// Reading them again gives the same table.
	const struct ms_got_slot *again;
	size_t count2;
	ok(!ms_module_got_slots(mod, &again, &count2) && again == slots && count2 == count,
	   "the table is read once");
	ms_module_destroy(mod);
	return done_testing();
}
