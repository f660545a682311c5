/* The process's address space as the core shows it: sorted segments, each read from the core or from a mapped file. */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "addrspace.h"
#include "binbuf.h"

void ms_addrspace_init(struct ms_addrspace *as, const void *image,
		       size_t image_size, const char *name)
{
	memset(as, 0, sizeof(*as));
	as->image = image;
	as->image_size = image_size;
	as->name = name;
}

void ms_addrspace_deinit(struct ms_addrspace *as)
{
	free(as->segments);
	as->segments = NULL;
	as->n_segments = as->cap = 0;
}

// Index of the first segment whose end is above addr (n if none).
static size_t first_ending_above(const struct ms_addrspace *as, uint64_t addr)
{
	size_t lo = 0, hi = as->n_segments;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (as->segments[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct ms_error *ms_addrspace_add(struct ms_addrspace *as,
				  const struct ms_segment *seg)
{
	if (seg->end <= seg->start)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: empty segment at 0x%llx", as->name,
				       (unsigned long long)seg->start);
	size_t i = first_ending_above(as, seg->start);
	if (i < as->n_segments && as->segments[i].start < seg->end)
		return ms_error_create(MS_ERR_BAD_DATA,
				       "%s: segment 0x%llx-0x%llx overlaps 0x%llx-0x%llx",
				       as->name, (unsigned long long)seg->start,
				       (unsigned long long)seg->end,
				       (unsigned long long)as->segments[i].start,
				       (unsigned long long)as->segments[i].end);
	if (as->n_segments == as->cap) {
		size_t cap = as->cap ? 2 * as->cap : 64;
		struct ms_segment *n = realloc(as->segments, cap * sizeof(*n));
		if (!n)
			return &ms_enomem;
		as->segments = n;
		as->cap = cap;
	}
	memmove(&as->segments[i + 1], &as->segments[i],
		(as->n_segments - i) * sizeof(*seg));
	as->segments[i] = *seg;
	if (as->segments[i].dumped > seg->end - seg->start)
		as->segments[i].dumped = seg->end - seg->start;
	as->n_segments++;
	return NULL;
}

struct ms_error *ms_addrspace_add_file_map(struct ms_addrspace *as,
					   uint64_t start, uint64_t end,
					   uint64_t offset, const char *path)
{
	if (end <= start)
		return NULL;
	uint64_t pos = start;
	while (pos < end) {
		size_t i = first_ending_above(as, pos);
		struct ms_segment *seg = i < as->n_segments ? &as->segments[i] : NULL;
		if (seg && seg->start <= pos) {
			// A PT_LOAD of this mapping: the kernel writes one per VMA,
			// so it lies inside the NT_FILE range.
			if (seg->start >= start && seg->end <= end && !seg->file_path) {
				seg->file_path = path;
				seg->file_offset = offset + (seg->start - start);
			}
			pos = seg->end;
			continue;
		}
		// A gap no PT_LOAD covers: gcore omits read-only file mappings.
		uint64_t gap_end = seg && seg->start < end ? seg->start : end;
		struct ms_segment fill = {
			.start = pos,
			.end = gap_end,
			.perms = PF_R,
			.in_core = false,
			.file_path = path,
			.file_offset = offset + (pos - start),
		};
		struct ms_error *err = ms_addrspace_add(as, &fill);
		if (err)
			return err;
		pos = gap_end;
	}
	return NULL;
}

size_t ms_addrspace_set_file_reader(struct ms_addrspace *as, const char *path,
				    ms_file_read_fn *fn, void *arg)
{
	size_t n = 0;
	for (size_t i = 0; i < as->n_segments; i++) {
		struct ms_segment *seg = &as->segments[i];
		if (seg->file_path && strcmp(seg->file_path, path) == 0) {
			seg->file_read = fn;
			seg->file_arg = arg;
			n++;
		}
	}
	return n;
}

const struct ms_segment *ms_addrspace_find(const struct ms_addrspace *as,
					   uint64_t addr)
{
	size_t i = first_ending_above(as, addr);
	if (i < as->n_segments && as->segments[i].start <= addr)
		return &as->segments[i];
	return NULL;
}

const struct ms_segment *ms_addrspace_neighbors(const struct ms_addrspace *as, uint64_t addr,
						const struct ms_segment **below,
						const struct ms_segment **above)
{
	size_t i = first_ending_above(as, addr);
	*below = i > 0 ? &as->segments[i - 1] : NULL;
	const struct ms_segment *in = NULL;
	size_t j = i;
	if (j < as->n_segments && as->segments[j].start <= addr)
		in = &as->segments[j++];
	*above = j < as->n_segments ? &as->segments[j] : NULL;
	return in;
}

bool ms_segment_readable(const struct ms_segment *seg, uint64_t addr)
{
	if (addr < seg->start || addr >= seg->end || seg->perms == 0)
		return false;
	return addr - seg->start < seg->dumped || seg->file_read;
}

struct ms_error *ms_addrspace_read(const struct ms_addrspace *as, uint64_t addr,
				   void *buf, size_t len)
{
	uint8_t *out = buf;
	uint64_t want_addr = addr;
	size_t want_len = len;
	if (len > 0 && addr + len - 1 < addr)
		return ms_error_fault(addr, MS_FAULT_UNMAPPED,
				      "cannot read %zu bytes at 0x%llx: range wraps around",
				      len, (unsigned long long)addr);
	while (len > 0) {
		const struct ms_segment *seg = ms_addrspace_find(as, addr);
		if (!seg)
			return ms_error_fault(addr, MS_FAULT_UNMAPPED,
					      "cannot read %zu bytes at 0x%llx: 0x%llx is not mapped",
					      want_len, (unsigned long long)want_addr,
					      (unsigned long long)addr);
		if (seg->perms == 0)
			return ms_error_fault(addr, MS_FAULT_UNMAPPED,
					      "cannot read %zu bytes at 0x%llx: 0x%llx is in a PROT_NONE reservation",
					      want_len, (unsigned long long)want_addr,
					      (unsigned long long)addr);
		uint64_t off = addr - seg->start;
		size_t n = seg->end - addr < len ? (size_t)(seg->end - addr) : len;
		if (off < seg->dumped) {
			size_t m = seg->dumped - off < n ? (size_t)(seg->dumped - off) : n;
			uint64_t coff = seg->core_offset + off;
			size_t avail = 0;
			if (coff < as->image_size)
				avail = as->image_size - coff < m ?
						as->image_size - coff : m;
			if (avail)
				memcpy(out, as->image + coff, avail);
			if (avail < m)
				return ms_error_fault(addr + avail, MS_FAULT_TRUNCATED,
						      "cannot read %zu bytes at 0x%llx: the core file ends before 0x%llx",
						      want_len, (unsigned long long)want_addr,
						      (unsigned long long)(addr + avail));
			n = m;
		} else if (seg->file_read) {
			struct ms_error *err = seg->file_read(
				seg->file_arg, seg->file_offset + off, out, n);
			if (err) {
				if (err->code == MS_ERR_FAULT) {
					ms_error_destroy(err);
					return ms_error_fault(addr, MS_FAULT_NOT_DUMPED,
							      "cannot read %zu bytes at 0x%llx: 0x%llx is not in the core nor in %s",
							      want_len, (unsigned long long)want_addr,
							      (unsigned long long)addr, seg->file_path);
				}
				return err;
			}
		} else {
			return ms_error_fault(addr, MS_FAULT_NOT_DUMPED,
					      "cannot read %zu bytes at 0x%llx: 0x%llx is mapped but not saved in the core",
					      want_len, (unsigned long long)want_addr,
					      (unsigned long long)addr);
		}
		out += n;
		addr += n;
		len -= n;
	}
	return NULL;
}

const void *ms_addrspace_borrow(const struct ms_addrspace *as, uint64_t addr,
				size_t len)
{
	if (!as->image || len == 0 || addr + len - 1 < addr)
		return NULL;
	const struct ms_segment *seg = ms_addrspace_find(as, addr);
	if (!seg || seg->perms == 0)
		return NULL;
	uint64_t off = addr - seg->start;
	// Inside the dumped bytes of this one segment...
	if (off >= seg->dumped || seg->dumped - off < len)
		return NULL;
	// ...and inside the file when the core is truncated.
	uint64_t coff = seg->core_offset + off;
	if (coff < seg->core_offset || coff >= as->image_size ||
	    as->image_size - coff < len)
		return NULL;
	return as->image + coff;
}

struct ms_error *ms_addrspace_peek(const struct ms_addrspace *as, uint64_t addr,
				   size_t len, void *scratch, const void **ret)
{
	const void *p = ms_addrspace_borrow(as, addr, len);
	if (p) {
		*ret = p;
		return NULL;
	}
	struct ms_error *err = ms_addrspace_read(as, addr, scratch, len);
	if (err)
		return err;
	*ret = scratch;
	return NULL;
}

void ms_addrspace_set_image_fd(struct ms_addrspace *as, int fd)
{
	as->image_fd = fd;
	as->have_image_fd = fd >= 0;
}

// pread @p len bytes of the dumped run @p lent into @p buf; from the
// mapping when the file changed or cannot be read.
static void pread_lent(const struct ms_addrspace *as, const uint8_t *lent,
		       void *buf, size_t len)
{
	uint64_t off = (uint64_t)(lent - as->image);
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(as->image_fd, (uint8_t *)buf + done, len - done,
				  (off_t)(off + done));
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		// The file changed or cannot be read: the mapping has the bytes.
		memcpy((uint8_t *)buf + done, lent + done, len - done);
		break;
	}
}

struct ms_error *ms_addrspace_read_bulk(const struct ms_addrspace *as, uint64_t addr,
					void *buf, size_t len)
{
	if (!as->have_image_fd || !as->image || len == 0 || addr + len - 1 < addr)
		return ms_addrspace_read(as, addr, buf, len);
	// Segment by segment: each piece with the same bounds as lending
	// (one segment's dumped bytes, inside the file) is read with pread;
	// the first that is not is read, with the rest, as
	// ms_addrspace_read() does, and fails as it does.
	uint8_t *out = buf;
	while (len > 0) {
		const struct ms_segment *seg = ms_addrspace_find(as, addr);
		size_t n = len;
		if (seg && seg->end - addr < n)
			n = (size_t)(seg->end - addr);
		const uint8_t *lent = seg ? ms_addrspace_borrow(as, addr, n) : NULL;
		if (!lent)
			return ms_addrspace_read(as, addr, out, len);
		pread_lent(as, lent, out, n);
		out += n;
		addr += n;
		len -= n;
	}
	return NULL;
}

void ms_addrspace_will_read(const void *p, size_t len)
{
#ifdef MADV_POPULATE_READ
	long page = sysconf(_SC_PAGESIZE);
	if (!p || !len || page <= 0)
		return;
	uintptr_t lo = (uintptr_t)p & ~((uintptr_t)page - 1);
	uintptr_t hi = (uintptr_t)p + len;
	// Errors (an old kernel: EINVAL) only mean the pages fault in as usual.
	(void)madvise((void *)lo, hi - lo, MADV_POPULATE_READ);
#else
	(void)p;
	(void)len;
#endif
}

struct ms_error *ms_addrspace_read_u64(const struct ms_addrspace *as,
				       uint64_t addr, uint64_t *ret)
{
	// In place when dumped (the heap lookups read two words each).
	const uint8_t *p = ms_addrspace_borrow(as, addr, 8);
	if (p) {
		*ret = ms_load_u64(p);
		return NULL;
	}
	uint8_t b[8];
	struct ms_error *err = ms_addrspace_read(as, addr, b, sizeof(b));
	if (err)
		return err;
	*ret = ms_load_u64(b);
	return NULL;
}

const char *ms_perms_str(uint32_t perms, char buf[4])
{
	buf[0] = perms & PF_R ? 'r' : '-';
	buf[1] = perms & PF_W ? 'w' : '-';
	buf[2] = perms & PF_X ? 'x' : '-';
	buf[3] = '\0';
	return buf;
}
