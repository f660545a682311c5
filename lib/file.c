/* Opening input files without blocking on special files, and confined to a sysroot. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

// Every input: no blocking open (FIFO), no controlling terminal, not
// inherited by children.
static const int open_flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
enum { MAX_LINKS = 40, MAX_DEPTH = 256 };
// errnum of a "not a regular file" error (MS_ERR_BAD_DATA has no errno).
static const int not_regular_mark = -1;

const char *ms_file_kind(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "a regular file";
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFDIR: return "a directory";
	case S_IFSOCK: return "a socket";
	case S_IFLNK: return "a symbolic link";
	default: return "not a file";
	}
}

static struct ms_error *not_regular(const char *path, unsigned mode)
{
	struct ms_error *err = ms_error_create(MS_ERR_BAD_DATA,
					       "%s: not a regular file: %s",
					       path, ms_file_kind(mode));
	if (err != &ms_enomem)
		err->errnum = not_regular_mark;
	return err;
}

bool ms_file_error_not_regular(const struct ms_error *err)
{
	return err && err->code == MS_ERR_BAD_DATA && err->errnum == not_regular_mark;
}

// The descriptor just opened must still be the regular file checked.
static struct ms_error *check_open(int fd, const char *path, int *fd_ret)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		struct ms_error *err = ms_error_os(errno, path, "cannot stat");
		close(fd);
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return not_regular(path, st.st_mode);
	}
	*fd_ret = fd;
	return NULL;
}

struct ms_error *ms_file_open(const char *path, int *fd_ret)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return ms_error_os(errno, path, "cannot open");
	if (!S_ISREG(st.st_mode))
		return not_regular(path, st.st_mode);
	int fd = open(path, open_flags);
	if (fd < 0)
		return ms_error_os(errno, path, "cannot open");
	return check_open(fd, path, fd_ret);
}

/*
 * The lookup walks a stack of directory descriptors opened with O_PATH and
 * O_NOFOLLOW, one per component, so a path can never leave the root: ".."
 * pops (never past the root), and a symbolic link is read and its target
 * spliced in front of what is left of the path (an absolute target starts
 * again at the root). Nothing but the final regular file is opened for
 * reading.
 */
struct resolver {
	int fds[MAX_DEPTH];	// fds[0] is the root
	size_t depth;		// entries in fds
	char *rest;		// what is left of the path
	unsigned links;
};

static void resolver_pop_to(struct resolver *r, size_t depth)
{
	while (r->depth > depth)
		close(r->fds[--r->depth]);
}

// Replace r->rest by target + "/" + tail.
static struct ms_error *splice_link(struct resolver *r, const char *target,
			       const char *tail)
{
	char *n = NULL;
	if (asprintf(&n, "%s/%s", target, tail) < 0)
		return &ms_enomem;
	free(r->rest);
	r->rest = n;
	return NULL;
}

struct ms_error *ms_file_open_under(const char *root, const char *path,
				    int *fd_ret)
{
	struct resolver r = { .depth = 0 };
	struct ms_error *err = NULL;
	char *shown = NULL;
	if (asprintf(&shown, "%s/%s", root, path[0] == '/' ? path + 1 : path) < 0)
		return &ms_enomem;
	r.fds[0] = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (r.fds[0] < 0) {
		err = ms_error_os(errno, root, "cannot open the sysroot");
		goto out;
	}
	r.depth = 1;
	if (!(r.rest = strdup(path))) {
		err = &ms_enomem;
		goto out;
	}
	for (;;) {
		// Take the next component off the front of r.rest.
		char *p = r.rest;
		while (*p == '/')
			p++;
		char *slash = strchr(p, '/');
		char *tail = slash ? slash + 1 : p + strlen(p);
		if (slash)
			*slash = '\0';
		bool last = true;
		for (const char *t = tail; *t; t++) {
			if (*t != '/') {
				last = false;
				break;
			}
		}
		if (*p == '\0' || strcmp(p, ".") == 0) {
			if (last) {
				// The path names a directory (root, "x/.", "x/").
				err = not_regular(shown, S_IFDIR);
				goto out;
			}
			memmove(r.rest, tail, strlen(tail) + 1);
			continue;
		}
		if (strcmp(p, "..") == 0) {
			if (r.depth > 1)
				resolver_pop_to(&r, r.depth - 1);
			if (last) {
				err = not_regular(shown, S_IFDIR);
				goto out;
			}
			memmove(r.rest, tail, strlen(tail) + 1);
			continue;
		}
		int dir = r.fds[r.depth - 1];
		struct stat st;
		if (fstatat(dir, p, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			err = ms_error_os(errno, shown, "cannot open");
			goto out;
		}
		if (S_ISLNK(st.st_mode)) {
			if (++r.links > MAX_LINKS) {
				err = ms_error_os(ELOOP, shown, "cannot open");
				goto out;
			}
			char target[PATH_MAX];
			ssize_t len = readlinkat(dir, p, target, sizeof(target) - 1);
			if (len < 0) {
				err = ms_error_os(errno, shown, "cannot open");
				goto out;
			}
			target[len] = '\0';
			// An absolute target starts again at the root.
			if (target[0] == '/')
				resolver_pop_to(&r, 1);
			if ((err = splice_link(&r, target, tail)))
				goto out;
			continue;
		}
		if (last) {
			if (!S_ISREG(st.st_mode)) {
				err = not_regular(shown, st.st_mode);
				goto out;
			}
			int fd = openat(dir, p, open_flags | O_NOFOLLOW);
			if (fd < 0) {
				err = ms_error_os(errno, shown, "cannot open");
				goto out;
			}
			err = check_open(fd, shown, fd_ret);
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			err = ms_error_os(ENOTDIR, shown, "cannot open");
			goto out;
		}
		if (r.depth == MAX_DEPTH) {
			err = ms_error_os(ENAMETOOLONG, shown, "cannot open");
			goto out;
		}
		int fd = openat(dir, p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			err = ms_error_os(errno, shown, "cannot open");
			goto out;
		}
		r.fds[r.depth++] = fd;
		memmove(r.rest, tail, strlen(tail) + 1);
	}
out:
	resolver_pop_to(&r, 0);
	free(r.rest);
	free(shown);
	return err;
}
