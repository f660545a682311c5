/* A running process as a core: its threads stopped with ptrace just long enough to copy its memory, mappings, registers and auxv into a sparse temporary ELF core. */
#ifndef MS_LIVE_H
#define MS_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/** How to read a live process. */
struct ms_live_options {
	int pid;
	/**
	 * Do not stop the process: memory is read while it runs (a racy,
	 * best-effort picture) and no thread has registers.
	 */
	bool no_stop;
	/** Called with each non-fatal problem, one line; may be NULL. */
	void (*warn)(void *arg, const char *msg);
	void *warn_arg;
};

/** What a snapshot took. */
struct ms_live_stats {
	uint64_t stopped_usec;	/**< how long the process was stopped; 0 with no_stop */
	uint64_t bytes;		/**< memory bytes copied */
	unsigned threads;	/**< threads recorded */
	unsigned mappings;	/**< mappings recorded */
};

/**
 * Copy process @p o->pid into an ELF core in an unnamed temporary file, as
 * gdb's gcore would write it: a PT_LOAD for every mapping of /proc/PID/maps
 * (readable ones with their bytes from /proc/PID/mem; PROT_NONE ones and
 * bytes the kernel will not give, such as [vvar], are left undumped), and
 * notes NT_PRSTATUS (one per thread of /proc/PID/task, registers from
 * PTRACE_GETREGS), NT_PRPSINFO, NT_AUXV and NT_FILE. Unless @p o->no_stop,
 * every thread is stopped with PTRACE_SEIZE and PTRACE_INTERRUPT for the
 * time of the copy and then detached, so the process runs on unharmed.
 * @param[out] ret the descriptor of the core, to close.
 * @param[out] stats what was taken; may be NULL.
 * @return NULL, MS_ERR_OS naming /proc/PID (no such process, ptrace not
 * permitted), or MS_ERR_NOMEM.
 */
struct ms_error *ms_live_snapshot(const struct ms_live_options *o, int *ret,
				  struct ms_live_stats *stats);

#endif /* MS_LIVE_H */
