/*
 * Case "cshared": a C program with no Go in it dlopens libgomaps.so (the
 * case's Go package built with -buildmode=c-shared, from the directory of
 * its own executable) and calls its exported functions. MapsBuild makes
 * the library's maps, records the truth and unmaps two maps' storage;
 * MapsLookup then reads one of those maps and the process dies of the
 * fault (the Go runtime reports it and aborts: SIGABRT, kernel core).
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef int (*build_fn)(void);
typedef long long (*lookup_fn)(long long);

int main(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0) {
		perror("readlink /proc/self/exe");
		return 1;
	}
	path[n] = '\0';
	char *slash = strrchr(path, '/');
	if (!slash || (size_t)(slash - path) + sizeof("/libgomaps.so") > sizeof(path)) {
		fprintf(stderr, "host: odd executable path %s\n", path);
		return 1;
	}
	strcpy(slash, "/libgomaps.so");
	void *lib = dlopen(path, RTLD_NOW);
	if (!lib) {
		fprintf(stderr, "host: %s\n", dlerror());
		return 1;
	}
	build_fn build = (build_fn)dlsym(lib, "MapsBuild");
	lookup_fn lookup = (lookup_fn)dlsym(lib, "MapsLookup");
	if (!build || !lookup) {
		fprintf(stderr, "host: %s\n", dlerror());
		return 1;
	}
	printf("host: libgomaps.so recorded %d maps\n", build());
	fflush(stdout);
	printf("host: gVictimA[17] = %lld\n", lookup(17));
	return 2;
}
