/* A core file opened with its executable and plugins: memory, modules, Go runtime facts, address classification, crash. */
#ifndef MS_SESSION_H
#define MS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addrspace.h"
#include "debuginfod.h"
#include "elf_core.h"
#include "error.h"
#include "go_runtime.h"
#include "heap.h"
#include "map_check.h"
#include "module.h"

/** How to open a session. Strings are only read during ms_session_open(). */
struct ms_session_options {
	const char *core_path;
	/**
	 * When > 0, the core's bytes are read from this descriptor (a live
	 * snapshot, standard input) and core_path only names it in messages.
	 * Borrowed: the session reads a duplicate.
	 */
	int core_fd;
	/** The executable; NULL: the file NT_FILE records for the mapping holding AT_ENTRY. */
	const char *exe_path;
	/** Look for every file under this directory first (gdb's sysroot), or NULL. */
	const char *sysroot;
	/** Directories searched by file name for shared objects and plugins, in order. */
	const char *const *solib_search;
	size_t n_solib_search;
	/**
	 * Called with each non-fatal problem (a missing shared object, a
	 * runtime structure that cannot be read), one line without "warning:";
	 * may be NULL.
	 */
	void (*warn)(void *arg, const char *msg);
	void *warn_arg;
	/**
	 * Fetch a module file that is missing, or whose build id differs from
	 * the core's, by its GNU build id from the servers of DEBUGINFOD_URLS
	 * (libdebuginfod, with its cache). Quiet when DEBUGINFOD_URLS is unset.
	 */
	bool debuginfod;
	/** Called while a file downloads; may be NULL. */
	ms_debuginfod_progress_fn *debuginfod_progress;
	void *debuginfod_progress_arg;
};

/** An open core with everything known about its process. */
struct ms_session;

/**
 * Open a core file, find its modules and files, and read the Go runtime
 * facts (version, moduledata chain, heap, crash).
 *
 * Fatal (an error, no session): the core is unusable (see ms_core_open()),
 * the executable cannot be found or cannot be told from the core, or the
 * executable or a Go plugin has a build id other than the core's (the
 * message names the file and both ids). Everything else — a missing shared
 * object or plugin, unreadable runtime structures — goes to the warn
 * callback and leaves that part of the session empty.
 * @param[out] ret to free with ms_session_destroy().
 */
struct ms_error *ms_session_open(const struct ms_session_options *opts,
				 struct ms_session **ret);

/** Close everything; NULL is a no-op. */
void ms_session_destroy(struct ms_session *s);

/**
 * What could not be examined: missing Go modules, an unreadable heap, a
 * truncated core, lost notes. Any line means the results are partial.
 * @param[out] ret the lines; valid until the session is destroyed
 * @return how many
 */
size_t ms_session_losses(const struct ms_session *s, const char *const **ret);

/**
 * Facts had another way than the usual one (a load bias from the entry
 * point without NT_AUXV, ...) and missing modules that hold no Go code;
 * reports say them, but they do not make results partial.
 */
size_t ms_session_guesses(const struct ms_session *s, const char *const **ret);

/**
 * Whether @p addr lies in anonymous writable memory the core left out
 * although it saved anonymous memory elsewhere: the kernel then skipped it
 * because it was never written, and it holds zeros.
 */
bool ms_session_never_written(const struct ms_session *s, uint64_t addr);

/** The core's path; valid until the session is destroyed. */
const char *ms_session_core_path(const struct ms_session *s);

/** The core itself (segments, raw notes); valid until the session is destroyed. */
const struct ms_core *ms_session_core(const struct ms_session *s);

/* ---- memory ---- */

/**
 * Read process memory. File-backed pages the core left out are read from
 * the module file when its build id matched (or could not be compared).
 * @return NULL, or MS_ERR_FAULT with the first unreadable address and kind
 * unmapped / not dumped / truncated.
 */
struct ms_error *ms_session_read(struct ms_session *s, uint64_t addr,
				 void *buf, size_t len);

/**
 * Process memory in place, without a copy (ms_addrspace_borrow()): NULL when
 * the bytes are not one dumped run of the core; then ms_session_read().
 * Valid until the session is destroyed.
 */
const void *ms_session_borrow(struct ms_session *s, uint64_t addr, size_t len);

/**
 * ms_session_read() for a large array read once in order
 * (ms_addrspace_read_bulk(): pread from the core file rather than page
 * faults in its mapping).
 */
struct ms_error *ms_session_read_bulk(struct ms_session *s, uint64_t addr,
				      void *buf, size_t len);

/** Read a little-endian 64-bit word. */
struct ms_error *ms_session_read_u64(struct ms_session *s, uint64_t addr,
				     uint64_t *ret);

/**
 * Read a word or say no: for walks where an unreadable word only ends
 * that path (the fault itself is dropped).
 */
bool ms_session_try_read_u64(struct ms_session *s, uint64_t addr, uint64_t *ret);

/** The address space (segments sorted by address); valid until the session is destroyed. */
const struct ms_addrspace *ms_session_addrspace(const struct ms_session *s);

/* ---- modules ---- */

/** Number of modules: the executable first, then Go plugins in load order, then other shared objects by address, then the vDSO. */
size_t ms_session_module_count(const struct ms_session *s);

/** Module @p i (< count); valid until the session is destroyed. */
struct ms_module *ms_session_module(const struct ms_session *s, size_t i);

/** The executable's module; never NULL for an open session. */
struct ms_module *ms_session_exe(const struct ms_session *s);

/**
 * The module holding the live Go runtime (the executable, or a Go c-shared
 * library), or NULL when the process has no Go runtime we recognize.
 */
struct ms_module *ms_session_runtime_module(const struct ms_session *s);

/**
 * The module whose image (mappings or Go ranges, including bss) contains
 * @p addr, or NULL.
 * @param[out] section_ret section name ("text", "noptrbss", or an ELF
 * section name without the dot such as "gopclntab"), or NULL; may be NULL.
 */
struct ms_module *ms_session_module_at(struct ms_session *s, uint64_t addr,
				       const char **section_ret);

/**
 * Find the function or object containing @p addr in any module's symbols.
 * @param[out] mod_ret, name_ret, offset_ret valid until the session is destroyed; mod_ret may be NULL.
 * @return NULL or MS_ERR_NOT_FOUND.
 */
struct ms_error *ms_session_symbolize(struct ms_session *s, uint64_t addr,
				      struct ms_module **mod_ret,
				      const char **name_ret,
				      uint64_t *offset_ret);

/* ---- Go facts ---- */

/** The Go version without experiments ("go1.26.8"), or NULL when not a Go process. */
const char *ms_session_go_version(const struct ms_session *s);

/** The version as recorded ("go1.24.0 X:noswissmap"), or NULL. */
const char *ms_session_go_version_full(const struct ms_session *s);

/** The GOEXPERIMENT list ("noswissmap"), "" when none, NULL when not Go. */
const char *ms_session_go_experiments(const struct ms_session *s);

/** The parsed version, or NULL. */
const struct ms_go_version *ms_session_go_version_parsed(const struct ms_session *s);

/**
 * When the runtime is a Go release newer than the built-in tables and has
 * no DWARF: one sentence naming the release and the facts that are
 * therefore missing (results are partial); else NULL. Valid until the
 * session is destroyed.
 */
const char *ms_session_go_unknown(const struct ms_session *s);

/**
 * The map implementation the runtime uses: classic up to 1.23 and for 1.24
 * and 1.25 with noswissmap, swiss otherwise; 0 when not known.
 */
enum ms_map_impl ms_session_map_impl(const struct ms_session *s);

/** Runtime struct layouts and where they came from; valid until the session is destroyed. */
const struct ms_go_layout *ms_session_go_layout(const struct ms_session *s);

/** Address of runtime.firstmoduledata (0 when not found) and how it was found ("symbol", "dwarf", ".go.module", "pclntab scan"). */
uint64_t ms_session_firstmoduledata(const struct ms_session *s, const char **how_ret);

/**
 * The address of a global of the Go runtime module ("runtime.allgs"), from
 * its symbol table, else its DWARF.
 * @return NULL, or MS_ERR_NOT_FOUND (stripped, or no Go runtime).
 */
struct ms_error *ms_session_runtime_global(struct ms_session *s,
					   const char *name, uint64_t *ret);

/** The heap, or NULL when it could not be set up (warned); valid until the session is destroyed. */
const struct ms_heap *ms_session_heap(const struct ms_session *s);

/* ---- address classification ---- */

/** What lives at an address, most specific first. */
enum ms_addr_class {
	MS_ADDR_UNMAPPED,	/**< no mapping covers it */
	MS_ADDR_NOT_DUMPED,	/**< mapped, but the bytes are in neither the core nor a file */
	MS_ADDR_HEAP_INUSE,	/**< inside an allocated object of an in-use span */
	MS_ADDR_HEAP_FREE,	/**< in a heap arena: dead/stale span, unallocated object, or span tail */
	MS_ADDR_STACK,		/**< in an mSpanManual span: goroutine stacks */
	MS_ADDR_HEAP_OTHER,	/**< in a heap arena page that has no span */
	MS_ADDR_MODULE,		/**< inside a module image (text, data, bss, ...) */
	MS_ADDR_MAPPING,	/**< some other mapping (anonymous mmap, PROT_NONE reservation, ...) */
};

/** "unmapped", "not dumped", "heap in use", "heap free", "stack", "heap other", "module", "mapping". */
const char *ms_addr_class_str(enum ms_addr_class cls);

/** Everything known about one address; pointers are valid until the session is destroyed. */
struct ms_addr_info {
	enum ms_addr_class cls;
	uint64_t addr;

	/* the mapping (when mapped) */
	bool mapped;
	uint64_t seg_start, seg_end;
	uint32_t perms;			/**< PF_R | PF_W | PF_X; 0 for PROT_NONE */
	const char *file_path;		/**< NT_FILE path, or NULL */
	uint64_t file_offset;		/**< file offset of addr, when file-backed */
	bool dumped;			/**< the byte at addr is saved in the core */
	bool readable;			/**< the byte can be read (core or file) */

	/* the module (MS_ADDR_MODULE, or unmapped/other near a module) */
	struct ms_module *module;
	const char *section;		/**< "text", "rodata", "types", "data", "bss", "noptrdata", "noptrbss", or an ELF section name */

	/* the heap (set when in_arena) */
	bool in_arena;
	bool has_span;			/**< the arena's spans[] entry is non-nil and covers addr */
	struct ms_span span;
	bool in_object;
	uint64_t object_base, object_size;
	bool allocated;
	/**
	 * The heap's own metadata for addr (arena index, heapArena, span) is
	 * not in the core: whether addr is heap, and what it holds, is
	 * unknown. A mapped address is then MS_ADDR_NOT_DUMPED.
	 */
	bool heap_unknown;

	/* neighbours (always filled; their module and section only for unmapped addresses) */
	bool have_below, have_above;
	uint64_t below_end, below_distance;	/**< nearest mapping ending at or below addr */
	const char *below_path;			/**< its file, or NULL */
	struct ms_module *below_module;		/**< the module it belongs to, or NULL */
	const char *below_section;
	uint64_t above_start, above_distance;
	const char *above_path;
	struct ms_module *above_module;
	const char *above_section;
};

/**
 * Load now what classifying and reading addresses would otherwise load on
 * first use (the section tables of modules), so that ms_session_read(),
 * ms_session_borrow() and ms_session_classify() may then be called from
 * several threads at once. Nothing else is safe to call concurrently
 * (ms_describe_info() symbolizes, and loads symbol tables).
 */
void ms_session_prepare_threads(struct ms_session *s);

/**
 * Classify @p addr. Never fails for lack of memory in the core: a heap
 * structure that cannot be read leaves the heap fields unset (and the
 * class falls back to module / mapping).
 * @return NULL (or MS_ERR_NOMEM).
 */
struct ms_error *ms_session_classify(struct ms_session *s, uint64_t addr,
				     struct ms_addr_info *ret);

/**
 * Call @p cb for every allocated object in every in-use heap span; stops
 * when it returns non-zero.
 * @return NULL, MS_ERR_NOT_FOUND (no heap), or a fault reading allspans.
 */
struct ms_error *ms_session_heap_foreach(struct ms_session *s,
					 int (*cb)(void *arg, uint64_t base,
						   uint64_t size,
						   uint64_t spanclass),
					 void *arg);

/**
 * Call @p fn for the stack of every live goroutine: [@p lo, @p hi) and the
 * lowest live address @p sp (g.sched.sp, or the rsp of the thread running
 * it). Frames below sp are dead and are not offered. Without
 * runtime.allgs (stripped binaries), every stack span is offered whole,
 * with @p g 0 and @p sp equal to @p lo: dead frames included.
 * @return NULL, MS_ERR_UNSUPPORTED without a runtime.g layout,
 * MS_ERR_NOT_FOUND, a read error of runtime.allgs.
 */
struct ms_error *ms_session_foreach_stack(struct ms_session *s,
					  int (*fn)(void *arg, uint64_t g,
						    uint64_t lo, uint64_t hi,
						    uint64_t sp),
					  void *arg);

/* ---- threads, process, crash ---- */

/** Number of threads. */
size_t ms_session_thread_count(const struct ms_session *s);

/** Thread @p i; the crashing (signalled) thread is first. Valid until the session is destroyed. */
const struct ms_core_thread *ms_session_thread(const struct ms_session *s,
					       size_t i);

/** The process, from NT_PRPSINFO (pid 0 and empty strings when absent). */
struct ms_process {
	int32_t pid, ppid;
	uint32_t uid, gid;
	const char *fname;	/**< command name (16 bytes at most) */
	const char *psargs;	/**< command line (80 bytes at most) */
};

/** The process facts; valid until the session is destroyed. */
const struct ms_process *ms_session_process(const struct ms_session *s);

/** Why the process died, as far as the core says. */
struct ms_crash {
	bool present;		/**< a crash signal was found (not gcore's SIGSTOP) */
	int signo, code;	/**< the signal that caused the crash (g.sig for Go-handled faults) */
	uint64_t fault_addr;	/**< si_addr / g.sigcode1; 0 when the signal has none */
	bool have_fault_addr;
	uint64_t pc;		/**< faulting pc (g.sigpc, or the crashing thread's rip) */
	const char *source;	/**< "g.sigcode1" (Go runtime crash) or "siginfo" */
	uint64_t goid;		/**< the panicking goroutine, when source is g.sigcode1 */
	uint64_t g;		/**< its g, or 0 */
	int core_signo, core_code;	/**< NT_SIGINFO as written (SIGABRT for Go crashes) */
	int32_t tid;		/**< the thread that took the signal */
};

/** The crash facts; valid until the session is destroyed. */
const struct ms_crash *ms_session_crash(const struct ms_session *s);

#endif /* MS_SESSION_H */
