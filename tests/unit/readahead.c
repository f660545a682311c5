/* Unit tests for reading a file ahead: whether the page cache holds it, and asking for it. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "readahead.h"
#include "tap.h"

enum { SIZE = 8 << 20 };

int main(void)
{
	// A file of our own in the build directory, written and then dropped
	// from the page cache (a file system that keeps it, tmpfs, skips the
	// cold half).
	char path[] = "readahead-XXXXXX";
	int fd = mkstemp(path);
	ok(fd >= 0, "a scratch file");
	if (fd < 0)
		return done_testing();
	unlink(path);
	char *buf = malloc(1 << 20);
	memset(buf, 0x5a, 1 << 20);
	for (int i = 0; i < SIZE >> 20; i++)
		if (write(fd, buf, 1 << 20) != 1 << 20)
			break;
	free(buf);
	fsync(fd);
	void *image = mmap(NULL, SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	ok(image != MAP_FAILED, "the file mapped");
	if (image == MAP_FAILED)
		return done_testing();
	struct ms_readahead_range runs[] = { { 0x1000, 0x200000 }, { 0x400000, 0x300000 } };
	ok(ms_readahead_cached(image, SIZE, runs, 2), "just written: in the page cache");
	ok(ms_readahead_cached(image, SIZE, runs, 0), "no runs: nothing to read");
	ok(!ms_readahead_start(fd, runs, 0), "no runs: no thread");

	posix_fadvise(fd, 0, SIZE, POSIX_FADV_DONTNEED);
	unsigned char in = 1;
	if (mincore((char *)image + 0x400000, 1, &in) != 0 || (in & 1)) {
		printf("# the file system keeps the file in memory: cold cases skipped\n");
		return done_testing();
	}
	ok(!ms_readahead_cached(image, SIZE, runs, 2), "dropped: not in the page cache");
	struct ms_readahead *ra = ms_readahead_start(fd, runs, 2);
	ok(ra != NULL, "reading ahead started");
	// The kernel reads what was asked for, in its own time.
	bool cached = false;
	for (int i = 0; i < 500 && !cached; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		cached = ms_readahead_cached(image, SIZE, runs, 2);
	}
	ms_readahead_stop(ra);
	ok(cached, "the runs asked for came into the page cache");
	ms_readahead_stop(NULL);
	munmap(image, SIZE);
	close(fd);
	return done_testing();
}
