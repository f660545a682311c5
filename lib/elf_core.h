/* The core file itself: ELF checks, PT_LOAD segments and the notes (threads, process, signal, auxv, files). */
#ifndef MS_ELF_CORE_H
#define MS_ELF_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libelf.h>

#include "error.h"

/** Registers of user_regs_struct (x86-64), in NT_PRSTATUS pr_reg order. */
enum ms_x86_reg {
	MS_REG_R15, MS_REG_R14, MS_REG_R13, MS_REG_R12, MS_REG_RBP, MS_REG_RBX,
	MS_REG_R11, MS_REG_R10, MS_REG_R9, MS_REG_R8, MS_REG_RAX, MS_REG_RCX,
	MS_REG_RDX, MS_REG_RSI, MS_REG_RDI, MS_REG_ORIG_RAX, MS_REG_RIP,
	MS_REG_CS, MS_REG_EFLAGS, MS_REG_RSP, MS_REG_SS, MS_REG_FS_BASE,
	MS_REG_GS_BASE, MS_REG_DS, MS_REG_ES, MS_REG_FS, MS_REG_GS,
	MS_REG_COUNT,
};

/** The name of register @p reg ("rip"), or "?" when out of range. */
const char *ms_x86_reg_name(unsigned reg);

/** One thread, from an NT_PRSTATUS note. */
struct ms_core_thread {
	int32_t tid;		/**< pr_pid: the thread id */
	int32_t cursig;		/**< pr_cursig: the signal it was handling, or 0 */
	int32_t si_signo;	/**< pr_info.si_signo */
	int32_t si_code;	/**< pr_info.si_code */
	uint64_t regs[MS_REG_COUNT];
};

/** One file-backed mapping, from NT_FILE. */
struct ms_core_file_map {
	uint64_t start, end;	/**< the mapped range [start, end) */
	uint64_t offset;	/**< file offset of start, in bytes */
	const char *path;	/**< as the kernel (or gdb) recorded it */
};

/** Decoded notes of a core; everything is owned by the struct. */
struct ms_core_notes {
	struct ms_core_thread *threads;	/**< in note order */
	size_t n_threads;

	bool have_prpsinfo;
	int32_t pid, ppid;
	uint32_t uid, gid;
	char fname[17];		/**< pr_fname, NUL-terminated */
	char psargs[81];	/**< pr_psargs, NUL-terminated */

	bool have_siginfo;
	int32_t si_signo, si_errno, si_code;
	uint64_t fault_addr;	/**< si_addr: fault address for kernel-sent SIGSEGV/SIGBUS/SIGILL/SIGFPE */
	int32_t sender_pid;	/**< si_pid: sender for kill/tkill (si_code <= 0) */

	uint64_t (*auxv)[2];	/**< type, value pairs, up to AT_NULL */
	size_t n_auxv;

	struct ms_core_file_map *files;	/**< NT_FILE entries, in note order */
	size_t n_files;
	uint64_t file_page_size;	/**< NT_FILE page size */
	char *file_strings;	/**< storage of the paths */
};

/** Zero @p notes. */
void ms_core_notes_init(struct ms_core_notes *notes);
/** Free what @p notes holds; it can be initialized again. */
void ms_core_notes_deinit(struct ms_core_notes *notes);

/**
 * Decode the notes in one PT_NOTE segment and add them to @p notes. Unknown
 * notes are skipped; a known note with a short or malformed descriptor is an
 * error. Nothing is allocated beyond what the buffer can describe.
 * @param[in] buf the note bytes (not copied).
 * @param[in] name what they are, for messages ("core: PT_NOTE").
 * @param[in] base the file offset of @p buf, for messages.
 * @return NULL or MS_ERR_BAD_DATA (or MS_ERR_NOMEM); @p notes keeps what was
 * decoded before the error.
 */
struct ms_error *ms_core_notes_parse(struct ms_core_notes *notes,
				     const void *buf, size_t len,
				     const char *name, uint64_t base);

/**
 * The value of auxv entry @p type (AT_ENTRY, AT_PHDR, ...).
 * @return true if present.
 */
bool ms_core_notes_auxv(const struct ms_core_notes *notes, uint64_t type,
			uint64_t *ret);

/** One PT_LOAD of the core. */
struct ms_core_segment {
	uint64_t vaddr;		/**< start address */
	uint64_t memsz;		/**< mapped size */
	uint64_t offset;	/**< file offset of the saved bytes */
	uint64_t filesz;	/**< bytes saved in the core; < memsz: the rest was not dumped */
	uint32_t flags;		/**< PF_R | PF_W | PF_X; 0 for PROT_NONE reservations */
};

/** An open core file. */
struct ms_core {
	char *path;
	int fd;
	Elf *elf;
	const uint8_t *image;	/**< the file, mapped by libelf (never copied) */
	size_t size;		/**< its size in bytes */
	struct ms_core_segment *segments;	/**< sorted by vaddr */
	size_t n_segments;
	struct ms_core_notes notes;
	/**
	 * Salvage mode only: why the notes could not be used (cut short,
	 * damaged, no thread), or NULL. The notes are then empty: no threads,
	 * no file mappings, no signal, no auxv.
	 */
	char *notes_lost;
};

/**
 * Open a core file read-only and decode its program headers and notes.
 * Errors start with the file name and say what is wrong with it: not ELF,
 * not a core, another machine or class, truncated program headers or notes,
 * no thread (NT_PRSTATUS) note.
 * @param[out] ret the core, to free with ms_core_destroy().
 */
struct ms_error *ms_core_open(const char *path, struct ms_core **ret);

/**
 * As ms_core_open(), but with @p salvage a core whose notes are cut short
 * or damaged (gcore writes them last, so a truncated gcore core loses them)
 * is opened from its program headers alone, with empty notes and
 * core->notes_lost saying why. The ELF header and program headers must
 * still be intact.
 */
struct ms_error *ms_core_open_salvage(const char *path, bool salvage,
				      struct ms_core **ret);

/**
 * The same as ms_core_open_salvage(), from a descriptor open for reading.
 * A file compressed with zstd, xz or lz4 (told by its magic) is first
 * decompressed into a sparse temporary file (see decompress.h).
 * @param[in] path names the core in messages.
 * @param[in] fd taken over: closed by ms_core_destroy(), or now on error.
 */
struct ms_error *ms_core_open_fd(const char *path, int fd, bool salvage,
				 struct ms_core **ret);

/** Close @p core; NULL is a no-op. */
void ms_core_destroy(struct ms_core *core);

/**
 * Borrow @p len bytes of the core file at @p offset, bounds-checked.
 * @return NULL, or MS_ERR_BAD_DATA when the file is shorter.
 */
struct ms_error *ms_core_bytes(const struct ms_core *core, uint64_t offset,
			       size_t len, const uint8_t **ret);

/** A signal's name ("SIGSEGV"), or NULL when unknown. */
const char *ms_signal_name(int signo);

#endif /* MS_ELF_CORE_H */
