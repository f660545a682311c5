/* A tiny TAP producer for the unit tests: ok(), is_eq(), done(). */
#ifndef MS_TAP_H
#define MS_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define ok(cond, ...)                                                       \
	do {                                                                \
		int ok_ = !!(cond);                                         \
		printf("%s %d - ", ok_ ? "ok" : "not ok", ++tap_n);          \
		printf(__VA_ARGS__);                                        \
		printf("\n");                                               \
		if (!ok_) {                                                 \
			tap_failed++;                                       \
			printf("#   failed at %s:%d: %s\n", __FILE__,       \
			       __LINE__, #cond);                            \
		}                                                           \
	} while (0)

#define is_u64(got, want, ...)                                              \
	do {                                                                \
		uint64_t g_ = (got), w_ = (want);                           \
		ok(g_ == w_, __VA_ARGS__);                                  \
		if (g_ != w_)                                               \
			printf("#   got 0x%" PRIx64 ", want 0x%" PRIx64 "\n", \
			       g_, w_);                                     \
	} while (0)

#define is_str(got, want, ...)                                              \
	do {                                                                \
		const char *g_ = (got), *w_ = (want);                       \
		int e_ = g_ && w_ && strcmp(g_, w_) == 0;                   \
		ok(e_, __VA_ARGS__);                                        \
		if (!e_)                                                    \
			printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)", \
			       w_ ? w_ : "(null)");                         \
	} while (0)

static inline int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* MS_TAP_H */
