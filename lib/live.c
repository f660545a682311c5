/* A running process as a core: its threads stopped with ptrace just long enough to copy its memory, mappings, registers and auxv into a sparse temporary ELF core. */
#include "config.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procfs.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "decompress.h"
#include "live.h"

enum {
	PAGE = 4096,
	CHUNK = 1 << 20,	// memory is copied through a buffer of this size
	MAX_THREADS = 1 << 16,	// a bound on /proc/PID/task, against a runaway
	MAX_MAPPINGS = 1 << 20,
	MAX_AUXV = 1 << 16,
	MAX_PATHS = 64 << 20,	// bytes of mapping paths
};

struct thread {
	int tid;
	bool attached;		// seized by us: detach at the end
	bool stopped;		// in a ptrace stop: registers can be read
	int pending_sig;	// a signal that stopped it, to deliver on detach
	struct user_regs_struct regs;
	bool have_regs;
};

struct mapping {
	uint64_t start, end, offset;
	uint32_t flags;		// PF_R | PF_W | PF_X
	const char *path;	// into paths, or NULL for anonymous mappings
	uint64_t filesz, file_offset;	// set while copying
};

struct snap {
	const struct ms_live_options *o;
	char proc[32];		// "/proc/PID"
	struct thread *threads;
	size_t n_threads, cap_threads;
	struct mapping *maps;
	size_t n_maps, cap_maps;
	char *paths;
	size_t paths_len, paths_cap;
	uint8_t *auxv;
	size_t auxv_len;
	prpsinfo_t psinfo;
};

static void warnf(const struct snap *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warnf(const struct snap *s, const char *fmt, ...)
{
	if (!s->o->warn)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s->o->warn(s->o->warn_arg, buf);
}

static uint64_t now_usec(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

// Read all of a small /proc file into a new buffer (NUL-terminated), at
// most @max bytes.
static struct ms_error *read_proc(const struct snap *s, const char *what,
				  size_t max, uint8_t **ret, size_t *len_ret)
{
	char path[64];
	snprintf(path, sizeof(path), "%s/%s", s->proc, what);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ms_error_os(errno, path, "cannot open");
	size_t cap = 4096, len = 0;
	uint8_t *buf = malloc(cap + 1);
	struct ms_error *err = NULL;
	for (;;) {
		if (!buf) {
			err = &ms_enomem;
			break;
		}
		if (len == cap) {
			if (cap >= max) {
				err = ms_error_create(MS_ERR_BAD_DATA, "%s: larger than %zu bytes",
						      path, max);
				break;
			}
			cap *= 2;
			uint8_t *n = realloc(buf, cap + 1);
			if (!n) {
				err = &ms_enomem;
				break;
			}
			buf = n;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = ms_error_os(errno, path, "cannot read");
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (err) {
		free(buf);
		return err;
	}
	buf[len] = 0;
	*ret = buf;
	*len_ret = len;
	return NULL;
}

static struct thread *find_thread(struct snap *s, int tid)
{
	for (size_t i = 0; i < s->n_threads; i++)
		if (s->threads[i].tid == tid)
			return &s->threads[i];
	return NULL;
}

// List /proc/PID/task; new threads are added. *added counts them.
static struct ms_error *list_threads(struct snap *s, size_t *added)
{
	char path[64];
	snprintf(path, sizeof(path), "%s/task", s->proc);
	DIR *d = opendir(path);
	if (!d)
		return ms_error_os(errno, s->proc, "cannot list the threads of");
	struct dirent *de;
	*added = 0;
	while ((de = readdir(d))) {
		char *end;
		long tid = strtol(de->d_name, &end, 10);
		if (*end || tid <= 0 || find_thread(s, (int)tid))
			continue;
		if (s->n_threads == s->cap_threads) {
			size_t cap = s->cap_threads ? 2 * s->cap_threads : 16;
			if (cap > MAX_THREADS) {
				closedir(d);
				return ms_error_create(MS_ERR_BAD_DATA, "%s: more than %d threads",
						       s->proc, MAX_THREADS);
			}
			struct thread *n = realloc(s->threads, cap * sizeof(*n));
			if (!n) {
				closedir(d);
				return &ms_enomem;
			}
			s->threads = n;
			s->cap_threads = cap;
		}
		s->threads[s->n_threads++] = (struct thread){ .tid = (int)tid };
		++*added;
	}
	closedir(d);
	return NULL;
}

// Seize and interrupt one thread and wait until it is in a ptrace stop.
// A thread that exited meanwhile is simply not stopped.
static struct ms_error *stop_thread(struct snap *s, struct thread *t)
{
	if (ptrace(PTRACE_SEIZE, t->tid, NULL, NULL) < 0) {
		if (errno == ESRCH)
			return NULL;
		int e = errno;
		return ms_error_create(MS_ERR_OS,
				       "%s: cannot stop thread %d with ptrace: %s%s",
				       s->proc, t->tid, strerror(e),
				       e == EPERM ? " (not permitted here: see ptrace(2) and"
				       " /proc/sys/kernel/yama/ptrace_scope, or use --no-stop)" : "");
	}
	t->attached = true;
	if (ptrace(PTRACE_INTERRUPT, t->tid, NULL, NULL) < 0)
		return errno == ESRCH ? NULL : ms_error_os(errno, s->proc, "cannot interrupt a thread of");
	for (;;) {
		int st;
		pid_t r = waitpid(t->tid, &st, __WALL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			if (errno == ECHILD)
				return NULL;	// gone
			return ms_error_os(errno, s->proc, "cannot wait for a thread of");
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			t->attached = false;
			return NULL;
		}
		if (!WIFSTOPPED(st))
			continue;
		// PTRACE_EVENT_STOP: our interrupt (or a group stop). Anything
		// else is a signal on its way in: keep it stopped and hand the
		// signal back when detaching.
		if ((st >> 16) != PTRACE_EVENT_STOP && WSTOPSIG(st) != SIGTRAP)
			t->pending_sig = WSTOPSIG(st);
		t->stopped = true;
		return NULL;
	}
}

static void detach_all(struct snap *s)
{
	for (size_t i = 0; i < s->n_threads; i++) {
		struct thread *t = &s->threads[i];
		if (t->attached)
			ptrace(PTRACE_DETACH, t->tid, NULL,
			       (void *)(uintptr_t)t->pending_sig);
		t->attached = false;
	}
}

static struct ms_error *stop_all(struct snap *s)
{
	struct ms_error *err;
	// Threads may start while we stop the others; stopped threads cannot
	// start new ones, so list again until nothing is new.
	for (;;) {
		size_t before = s->n_threads, added;
		if ((err = list_threads(s, &added)))
			return err;
		if (!added)
			return NULL;
		for (size_t i = before; i < s->n_threads; i++)
			if ((err = stop_thread(s, &s->threads[i])))
				return err;
	}
}

static uint32_t perms_flags(const char *p)
{
	return (p[0] == 'r' ? PF_R : 0) | (p[1] == 'w' ? PF_W : 0) |
	       (p[2] == 'x' ? PF_X : 0);
}

static struct ms_error *add_path(struct snap *s, const char *p, size_t *off)
{
	size_t n = strlen(p) + 1;
	if (s->paths_len + n > MAX_PATHS)
		return ms_error_create(MS_ERR_BAD_DATA, "%s/maps: paths longer than %d bytes",
				       s->proc, MAX_PATHS);
	if (s->paths_len + n > s->paths_cap) {
		size_t cap = s->paths_cap ? s->paths_cap : 4096;
		while (cap < s->paths_len + n)
			cap *= 2;
		char *np = realloc(s->paths, cap);
		if (!np)
			return &ms_enomem;
		s->paths = np;
		s->paths_cap = cap;
	}
	memcpy(s->paths + s->paths_len, p, n);
	*off = s->paths_len;
	s->paths_len += n;
	return NULL;
}

// /proc/PID/maps: "start-end perms offset dev inode   path".
static struct ms_error *read_maps(struct snap *s)
{
	uint8_t *text;
	size_t len;
	struct ms_error *err = read_proc(s, "maps", 256 << 20, &text, &len);
	if (err)
		return err;
	size_t *path_off = NULL;
	char *line = (char *)text, *next;
	for (; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		unsigned long long start, end, offset, inode;
		char perms[5], dev[16];
		int pos = 0;
		if (sscanf(line, "%llx-%llx %4s %llx %15s %llu %n", &start, &end,
			   perms, &offset, dev, &inode, &pos) < 6 || end <= start) {
			err = ms_error_create(MS_ERR_BAD_DATA, "%s/maps: cannot parse '%s'",
					      s->proc, line);
			break;
		}
		const char *name = line + pos;
		// [vsyscall] is the kernel's page, the same in every process.
		if (strcmp(name, "[vsyscall]") == 0)
			continue;
		if (s->n_maps == s->cap_maps) {
			size_t cap = s->cap_maps ? 2 * s->cap_maps : 64;
			struct mapping *nm = cap <= MAX_MAPPINGS ? realloc(s->maps, cap * sizeof(*nm)) : NULL;
			size_t *no = nm ? realloc(path_off, cap * sizeof(*no)) : NULL;
			if (nm)
				s->maps = nm;
			if (!no) {
				err = cap > MAX_MAPPINGS
					? ms_error_create(MS_ERR_BAD_DATA, "%s/maps: more than %d mappings",
							  s->proc, MAX_MAPPINGS)
					: &ms_enomem;
				break;
			}
			path_off = no;
			s->cap_maps = cap;
		}
		struct mapping *m = &s->maps[s->n_maps];
		*m = (struct mapping){ .start = start, .end = end, .offset = offset,
				       .flags = perms_flags(perms) };
		path_off[s->n_maps] = (size_t)-1;
		// Only files go in NT_FILE: an inode and an absolute path.
		if (inode && name[0] == '/' &&
		    (err = add_path(s, name, &path_off[s->n_maps])))
			break;
		s->n_maps++;
	}
	// Paths are pointed to once the buffer stops moving.
	for (size_t i = 0; !err && i < s->n_maps; i++)
		s->maps[i].path = path_off[i] == (size_t)-1 ? NULL : s->paths + path_off[i];
	free(path_off);
	free(text);
	if (!err && !s->n_maps)
		err = ms_error_create(MS_ERR_BAD_DATA, "%s/maps: no mapping (a kernel thread?)",
				      s->proc);
	return err;
}

static struct ms_error *read_psinfo(struct snap *s)
{
	uint8_t *text, *cmdline;
	size_t len, clen;
	struct ms_error *err = read_proc(s, "stat", 1 << 16, &text, &len);
	if (err)
		return err;
	// "pid (comm) state ppid pgrp session ...": comm may hold anything,
	// so look for the last ')'.
	char *close_paren = strrchr((char *)text, ')');
	char *open_paren = strchr((char *)text, '(');
	char state = '?';
	int ppid = 0, pgrp = 0, sid = 0;
	if (open_paren && close_paren && close_paren > open_paren) {
		size_t n = (size_t)(close_paren - open_paren - 1);
		if (n >= sizeof(s->psinfo.pr_fname))
			n = sizeof(s->psinfo.pr_fname) - 1;
		memcpy(s->psinfo.pr_fname, open_paren + 1, n);
		sscanf(close_paren + 1, " %c %d %d %d", &state, &ppid, &pgrp, &sid);
	}
	free(text);
	s->psinfo.pr_sname = state;
	s->psinfo.pr_pid = s->o->pid;
	s->psinfo.pr_ppid = ppid;
	s->psinfo.pr_pgrp = pgrp;
	s->psinfo.pr_sid = sid;
	struct stat st;
	if (stat(s->proc, &st) == 0) {
		s->psinfo.pr_uid = st.st_uid;
		s->psinfo.pr_gid = st.st_gid;
	}
	if (!read_proc(s, "cmdline", 1 << 20, &cmdline, &clen)) {
		size_t n = clen < sizeof(s->psinfo.pr_psargs) - 1 ? clen : sizeof(s->psinfo.pr_psargs) - 1;
		for (size_t i = 0; i < n; i++)
			s->psinfo.pr_psargs[i] = cmdline[i] ? (char)cmdline[i] : ' ';
		while (n && s->psinfo.pr_psargs[n - 1] == ' ')
			s->psinfo.pr_psargs[--n] = 0;
		free(cmdline);
	}
	return NULL;
}

// A growing note buffer.
struct notes {
	uint8_t *buf;
	size_t len, cap;
};

static struct ms_error *note_add(struct notes *n, uint32_t type, const void *desc,
				 size_t desc_len)
{
	static const char name[8] = "CORE";
	size_t need = 12 + 8 + ((desc_len + 3) & ~(size_t)3);
	if (n->len + need > n->cap) {
		size_t cap = n->cap ? n->cap : 4096;
		while (cap < n->len + need)
			cap *= 2;
		uint8_t *nb = realloc(n->buf, cap);
		if (!nb)
			return &ms_enomem;
		n->buf = nb;
		n->cap = cap;
	}
	uint32_t hdr[3] = { 5, (uint32_t)desc_len, type };
	uint8_t *p = n->buf + n->len;
	memcpy(p, hdr, 12);
	memcpy(p + 12, name, 8);
	memset(p + 20, 0, need - 20);
	memcpy(p + 20, desc, desc_len);
	n->len += need;
	return NULL;
}

static struct ms_error *build_notes(struct snap *s, struct notes *n)
{
	struct ms_error *err;
	// The main thread first: it stands for the process, as in a kernel core.
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < s->n_threads; i++) {
			const struct thread *t = &s->threads[i];
			if ((pass == 0) != (t->tid == s->o->pid))
				continue;
			prstatus_t ps;
			memset(&ps, 0, sizeof(ps));
			ps.pr_pid = t->tid;
			ps.pr_ppid = s->psinfo.pr_ppid;
			ps.pr_pgrp = s->psinfo.pr_pgrp;
			ps.pr_sid = s->psinfo.pr_sid;
			if (t->have_regs)
				memcpy(&ps.pr_reg, &t->regs, sizeof(t->regs) < sizeof(ps.pr_reg)
							     ? sizeof(t->regs) : sizeof(ps.pr_reg));
			if ((err = note_add(n, NT_PRSTATUS, &ps, sizeof(ps))))
				return err;
		}
	}
	if ((err = note_add(n, NT_PRPSINFO, &s->psinfo, sizeof(s->psinfo))))
		return err;
	if (s->auxv_len && (err = note_add(n, NT_AUXV, s->auxv, s->auxv_len)))
		return err;
	// NT_FILE: count, page size, (start, end, offset in pages) each, then
	// the paths.
	size_t count = 0, strings = 0;
	for (size_t i = 0; i < s->n_maps; i++)
		if (s->maps[i].path) {
			count++;
			strings += strlen(s->maps[i].path) + 1;
		}
	size_t len = 16 + 24 * count + strings;
	uint8_t *desc = malloc(len);
	if (!desc)
		return &ms_enomem;
	uint64_t *w = (uint64_t *)(void *)desc;
	w[0] = count;
	w[1] = PAGE;
	size_t k = 0;
	char *str = (char *)desc + 16 + 24 * count;
	for (size_t i = 0; i < s->n_maps; i++) {
		const struct mapping *m = &s->maps[i];
		if (!m->path)
			continue;
		w[2 + 3 * k] = m->start;
		w[3 + 3 * k] = m->end;
		w[4 + 3 * k] = m->offset / PAGE;
		k++;
		size_t l = strlen(m->path) + 1;
		memcpy(str, m->path, l);
		str += l;
	}
	err = note_add(n, NT_FILE, desc, len);
	free(desc);
	return err;
}

// Copy the readable bytes of @m from /proc/PID/mem, up to the first
// range the kernel refuses; the rest stays undumped.
static struct ms_error *copy_mapping(struct snap *s, int mem, struct mapping *m,
				     struct ms_sparse_writer *w, uint8_t *buf,
				     uint64_t *bytes)
{
	m->file_offset = w->offset;
	m->filesz = 0;
	if (!(m->flags & PF_R))
		return NULL;
	uint64_t addr = m->start;
	struct ms_error *err;
	while (addr < m->end) {
		size_t n = m->end - addr < CHUNK ? (size_t)(m->end - addr) : CHUNK;
		ssize_t r = pread(mem, buf, n, (off_t)addr);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if ((err = ms_sparse_writer_write(w, buf, (size_t)r)))
			return err;
		addr += (uint64_t)r;
		*bytes += (uint64_t)r;
	}
	m->filesz = addr - m->start;
	// Whole pages keep the next mapping's bytes page-aligned in the file.
	if (m->filesz % PAGE)
		return ms_sparse_writer_skip(w, PAGE - m->filesz % PAGE);
	return NULL;
}

static struct ms_error *write_core(struct snap *s, int fd, struct ms_live_stats *stats)
{
	struct notes n = { 0 };
	struct ms_error *err = build_notes(s, &n);
	if (err) {
		free(n.buf);
		return err;
	}
	size_t phnum = s->n_maps + 1;
	uint64_t notes_off = sizeof(Elf64_Ehdr) + phnum * sizeof(Elf64_Phdr);
	uint64_t data_off = (notes_off + n.len + PAGE - 1) / PAGE * PAGE;

	char path[64];
	snprintf(path, sizeof(path), "%s/mem", s->proc);
	int mem = open(path, O_RDONLY | O_CLOEXEC);
	uint8_t *buf = malloc(CHUNK);
	Elf64_Phdr *ph = calloc(phnum, sizeof(*ph));
	if (mem < 0)
		err = ms_error_os(errno, path, "cannot open");
	else if (!buf || !ph)
		err = &ms_enomem;
	struct ms_sparse_writer w;
	ms_sparse_writer_init(&w, fd, s->proc);
	if (!err)
		err = ms_sparse_writer_skip(&w, data_off);
	for (size_t i = 0; !err && i < s->n_maps; i++)
		err = copy_mapping(s, mem, &s->maps[i], &w, buf, &stats->bytes);
	if (!err)
		err = ms_sparse_writer_finish(&w);
	if (!err) {
		Elf64_Ehdr eh;
		memset(&eh, 0, sizeof(eh));
		memcpy(eh.e_ident, ELFMAG, SELFMAG);
		eh.e_ident[EI_CLASS] = ELFCLASS64;
		eh.e_ident[EI_DATA] = ELFDATA2LSB;
		eh.e_ident[EI_VERSION] = EV_CURRENT;
		eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
		eh.e_type = ET_CORE;
		eh.e_machine = EM_X86_64;
		eh.e_version = EV_CURRENT;
		eh.e_phoff = sizeof(eh);
		eh.e_ehsize = sizeof(eh);
		eh.e_phentsize = sizeof(Elf64_Phdr);
		eh.e_phnum = (Elf64_Half)phnum;
		ph[0].p_type = PT_NOTE;
		ph[0].p_offset = notes_off;
		ph[0].p_filesz = n.len;
		ph[0].p_align = 4;
		for (size_t i = 0; i < s->n_maps; i++) {
			const struct mapping *m = &s->maps[i];
			Elf64_Phdr *p = &ph[i + 1];
			p->p_type = PT_LOAD;
			p->p_flags = m->flags;
			p->p_offset = m->file_offset;
			p->p_vaddr = m->start;
			p->p_filesz = m->filesz;
			p->p_memsz = m->end - m->start;
			p->p_align = PAGE;
		}
		if (phnum > 0xfffe)
			err = ms_error_create(MS_ERR_UNSUPPORTED, "%s: %zu mappings do not fit an ELF header",
					      s->proc, s->n_maps);
		else if (pwrite(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
			 pwrite(fd, ph, phnum * sizeof(*ph), (off_t)eh.e_phoff) !=
				 (ssize_t)(phnum * sizeof(*ph)) ||
			 pwrite(fd, n.buf, n.len, (off_t)notes_off) != (ssize_t)n.len)
			err = ms_error_os(errno ? errno : ENOSPC, s->proc,
					  "cannot write the temporary core of");
	}
	if (mem >= 0)
		close(mem);
	free(buf);
	free(ph);
	free(n.buf);
	return err;
}

struct ms_error *ms_live_snapshot(const struct ms_live_options *o, int *ret,
				  struct ms_live_stats *stats_ret)
{
	struct snap s = { .o = o };
	struct ms_live_stats stats = { 0 };
	snprintf(s.proc, sizeof(s.proc), "/proc/%d", o->pid);
	if (o->pid <= 0)
		return ms_error_create(MS_ERR_USAGE, "%d is not a process id", o->pid);
	if (o->pid == getpid())
		return ms_error_create(MS_ERR_USAGE, "%s is mapsleuth itself", s.proc);
	if (access(s.proc, F_OK) != 0)
		return ms_error_os(errno, s.proc, "no such process");
	int fd = -1;
	struct ms_error *err = ms_tmpfile_create(&fd);
	if (err)
		return err;
	uint64_t t0 = now_usec();
	if (o->no_stop) {
		size_t added;
		err = list_threads(&s, &added);
	} else {
		err = stop_all(&s);
	}
	for (size_t i = 0; !err && i < s.n_threads; i++) {
		struct thread *t = &s.threads[i];
		if (t->stopped && ptrace(PTRACE_GETREGS, t->tid, NULL, &t->regs) == 0)
			t->have_regs = true;
	}
	if (!err)
		err = read_maps(&s);
	if (!err)
		err = read_psinfo(&s);
	if (!err && (err = read_proc(&s, "auxv", MAX_AUXV, &s.auxv, &s.auxv_len)))
		err = ms_error_prefix(err, "cannot read the auxiliary vector");
	if (!err)
		err = write_core(&s, fd, &stats);
	detach_all(&s);
	if (!o->no_stop)
		stats.stopped_usec = now_usec() - t0;
	stats.threads = (unsigned)s.n_threads;
	stats.mappings = (unsigned)s.n_maps;
	if (!err && o->no_stop)
		warnf(&s, "%s was read while running (--no-stop): memory may be inconsistent and threads have no registers",
		      s.proc);
	free(s.threads);
	free(s.maps);
	free(s.paths);
	free(s.auxv);
	if (err) {
		close(fd);
		return err;
	}
	if (stats_ret)
		*stats_ret = stats;
	*ret = fd;
	return NULL;
}
