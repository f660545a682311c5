/* Go runtime facts: struct layouts (DWARF or built-in per version), the moduledata chain and the panicking goroutine. */
#ifndef MS_GO_RUNTIME_H
#define MS_GO_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buildinfo.h"
#include "error.h"
#include "layout_source.h"

struct ms_addrspace;
struct ms_dwarf;

/** Offsets in runtime.moduledata (linux/amd64). */
struct ms_moduledata_layout {
	enum ms_layout_source source;
	/**
	 * No layout for this release, but the leading fields (pcHeader, text
	 * to enoptrbss), which have not moved since Go 1.16, are set: enough
	 * to find the runtime's own moduledata by its structure and read its
	 * ranges; types, strings, masks and next are unknown (0).
	 */
	bool prefix_only;
	uint64_t pcheader, text, etext, noptrdata, enoptrdata, data, edata;
	uint64_t bss, ebss, noptrbss, enoptrbss, types, etypes, rodata;
	uint64_t pluginpath, modulename, hasmain, bad, next;
	/**
	 * gcdata, gcbss: the linker's pointer masks of data and bss (1 bit a
	 * word); gcdatamask, gcbssmask: the runtime's copies (bitvector
	 * {n int32; bytedata *uint8}), filled in at start-up.
	 */
	uint64_t gcdata, gcbss, gcdatamask, gcbssmask;
	/** moduledata.gofunc (go:func.*, the base of funcdata offsets). */
	uint64_t gofunc;
};

/** Offsets in runtime.mheap, runtime.heapArena and runtime.mspan. */
struct ms_heap_layout {
	enum ms_layout_source source;
	uint64_t mheap_arenas, mheap_allspans;
	uint64_t arena_spans;
	uint64_t span_start, span_npages, span_freeindex, span_nelems;
	uint64_t span_allocbits, span_spanclass, span_state, span_elemsize;
	uint64_t span_limit;
	unsigned freeindex_size, nelems_size;	/**< 8 up to 1.21, 2 from 1.22 */
	bool malloc_headers;	/**< 1.22+: objects > 512 bytes with pointers start with a type word */
	/** mspan.largeType (1.22+): a large object's type; 0 when unknown. */
	uint64_t span_large_type;
	/**
	 * Pointer bitmap of the heap: heapArena.bitmap with 2 bits a word
	 * (1.19: pointer bits in the low nibble of each byte, 4 words a
	 * byte) or 1 bit a word (1.20, 1.21); 0 from 1.22, where small
	 * objects' bits sit at the end of their span.
	 */
	unsigned arena_bitmap_bits;
	uint64_t arena_bitmap;
	/**
	 * Green Tea GC (default in 1.26): size of the spanInlineMarkBits
	 * at the end of small-object spans, which the span's pointer bitmap
	 * sits just below; 0 without it.
	 */
	uint64_t inline_mark_bits_size;
	uint64_t span_read_size;	/**< bytes to read to cover all fields */
};

/** Offsets in runtime.g used for crash facts. */
struct ms_g_layout {
	enum ms_layout_source source;
	uint64_t goid, sig, sigcode0, sigcode1, sigpc;
	/** g.stack.lo, g.stack.hi, g.sched.sp (0, 8, 56 in every release). */
	uint64_t stack_lo, stack_hi, sched_sp;
	/** g.atomicstatus, or UINT64_MAX when unknown. */
	uint64_t status;
	/**
	 * For backtraces (goroutine.c); have_sched is false when these are
	 * unknown (no DWARF and no built-in row): g.sched.pc, g.sched.bp,
	 * g.waitreason (a uint8), g.m, g._panic, g.gopc, g.startpc,
	 * m.procid (the thread id), m.curg, _panic.arg (an eface).
	 */
	bool have_sched;
	uint64_t sched_pc, sched_bp, waitreason, m, panic, gopc, startpc;
	uint64_t m_procid, m_curg, panic_arg;
};

/** g.atomicstatus of a goroutine that has exited (runtime._Gdead). */
enum { MS_G_DEAD = 6 };

/** All runtime layouts of one process. */
struct ms_go_layout {
	struct ms_moduledata_layout md;
	struct ms_heap_layout heap;
	struct ms_g_layout g;
};

/**
 * Fill @p layout for Go version @p v: each struct from @p dw when it has the
 * type (all members found), else from the built-in tables (read from the Go
 * sources: src/runtime/symtab.go, mheap.go, runtime2.go), else source
 * MS_LAYOUT_NONE.
 * @param[in] dw the runtime module's DWARF, or NULL.
 * @param[in] v the Go version, or NULL when unknown.
 */
void ms_go_layout_init(struct ms_go_layout *layout,
		       const struct ms_go_version *v, struct ms_dwarf *dw);

/** One entry of the moduledata chain. */
struct ms_go_moduledata {
	uint64_t addr;		/**< address of the moduledata */
	uint64_t pcheader;
	uint64_t text, etext, noptrdata, enoptrdata, data, edata;
	uint64_t bss, ebss, noptrbss, enoptrbss, types, etypes, rodata;
	/** Pointer masks of data and bss: the linker's (gcdata, gcbss). */
	uint64_t gcdata, gcbss;
	/**
	 * malloc'ed; "" for the executable. NULL when its bytes cannot be read
	 * (they live in the plugin's read-only data, which a kernel core
	 * leaves out, and the plugin file is missing); pluginpath_len still
	 * says whether there is one.
	 */
	char *pluginpath;
	uint64_t pluginpath_len;
	char *modulename;	/**< malloc'ed; usually ""; NULL when unreadable */
	bool hasmain, bad;
	uint64_t next;
};

/** Free the strings of @p n moduledata entries and the array. */
void ms_go_moduledata_free(struct ms_go_moduledata *mds, size_t n);

/**
 * Walk runtime.firstmoduledata and its next list (at most 256 modules,
 * cycles stop the walk).
 * @param[in] first the address of runtime.firstmoduledata (of the
 * executable or the library holding the live runtime, never a plugin's copy).
 * @param[out] ret malloc'ed array, free with ms_go_moduledata_free().
 * @return NULL or the error that stopped the walk at the first module; an
 * error after the first module ends the list there (warned by the caller
 * through @p partial_err).
 */
struct ms_error *ms_go_moduledata_walk(const struct ms_addrspace *as,
				       const struct ms_moduledata_layout *l,
				       uint64_t first,
				       struct ms_go_moduledata **ret,
				       size_t *n_ret,
				       struct ms_error **partial_err);

/**
 * Read a Go string header (ptr, len) at @p addr, up to @p max bytes.
 * @param[out] ret malloc'ed, NUL-terminated.
 */
struct ms_error *ms_go_read_string(const struct ms_addrspace *as, uint64_t addr,
				   size_t max, char **ret);

/** A goroutine that took a signal (g.sig != 0). */
struct ms_go_signal {
	uint64_t g;		/**< address of the g */
	uint64_t goid;
	uint32_t sig;
	uint64_t sigcode0, sigcode1, sigpc;
};

/**
 * Scan runtime.allgs (a []*g at @p allgs) for goroutines with g.sig != 0
 * and return the first (at most 1<<20 goroutines are looked at).
 * @return NULL, MS_ERR_NOT_FOUND (none), or a read error.
 */
struct ms_error *ms_go_find_signalled_g(const struct ms_addrspace *as,
					const struct ms_g_layout *l,
					uint64_t allgs,
					struct ms_go_signal *ret);

/**
 * Call @p fn with the address of every g in runtime.allgs (a []*g at
 * @p allgs), at most 1<<20 of them; a non-zero return stops.
 */
struct ms_error *ms_go_foreach_g(const struct ms_addrspace *as, uint64_t allgs,
				 int (*fn)(void *arg, uint64_t g), void *arg);

/**
 * Whether @p pcheader is a pclntab header (its magic is one of Go 1.18 to
 * 1.27's, its pointer size 8) whose textStart is @p text: how a moduledata
 * proves itself when no table or symbol names it.
 */
bool ms_go_pcheader_matches(const struct ms_addrspace *as, uint64_t pcheader,
			    uint64_t text);

/**
 * Locate runtime.firstmoduledata without symbols: the 8-byte-aligned word in
 * [start, end) equal to @p pclntab (moduledata.pcHeader) whose text field
 * equals @p text and whose pclntab header agrees (ms_go_pcheader_matches).
 * @return NULL or MS_ERR_NOT_FOUND.
 */
struct ms_error *ms_go_find_moduledata(const struct ms_addrspace *as,
				       const struct ms_moduledata_layout *l,
				       uint64_t start, uint64_t end,
				       uint64_t pclntab, uint64_t text,
				       uint64_t *ret);

#endif /* MS_GO_RUNTIME_H */
