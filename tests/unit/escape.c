/* Unit tests for lib/escape.c: what a terminal is shown of hostile strings. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "tap.h"

static void check(const char *in, size_t n, const char *want)
{
	char out[256];
	size_t len = ms_escape_term(out, sizeof(out), in, n);
	ok(strcmp(out, want) == 0 && len == strlen(want), "escape -> %s (got %s)", want, out);
	// Escaping is idempotent: the result is printable ASCII or safe UTF-8.
	char again[256];
	ms_escape_term(again, sizeof(again), out, strlen(out));
	ok(strcmp(again, out) == 0, "escaping %s again changes nothing", want);
	ok(ms_escape_term_clean(out, strlen(out)), "%s is clean", want);
}

int main(void)
{
	check("plain /usr/lib/x.so", 19, "plain /usr/lib/x.so");
	check("\x1b]0;pwned\x07\x1b[2J", 14, "\\x1b]0;pwned\\x07\\x1b[2J");
	check("a\tb\nc\r", 6, "a\\tb\\nc\\r");
	check("del\x7f", 4, "del\\x7f");
	check("nul\0x", 5, "nul\\x00x");
	// An 8-bit CSI byte is invalid UTF-8; U+009B encoded is a C1 control.
	check("\x9b" "31m", 4, "\\x9b31m");
	check("\xc2\x9b" "31m", 5, "\\u009b31m");
	check("\xc2\x85", 2, "\\u0085");
	// Bidi controls: RLO, LRI..PDI, LRM/RLM, ALM; line separators.
	check("abc\xe2\x80\xae" "fdp.exe", 13, "abc\\u202efdp.exe");
	check("\xe2\x81\xa6x\xe2\x81\xa9", 7, "\\u2066x\\u2069");
	check("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", 8, "\\u200e\\u200f\\u061c");
	check("\xe2\x80\xa8", 3, "\\u2028");
	// Valid non-ASCII text stays; broken sequences are shown byte by byte.
	check("caf\xc3\xa9 \xe6\x97\xa5", 9, "caf\xc3\xa9 \xe6\x97\xa5");
	check("\xe6\x97", 2, "\\xe6\\x97");
	check("\xc0\xaf", 2, "\\xc0\\xaf");		// overlong '/'
	check("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");	// surrogate
	check("\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80");	// past U+10FFFF
	check("back\\x1b", 8, "back\\x1b");

	// Cut like snprintf: the needed length comes back, the copy ends in NUL.
	char small[6];
	size_t need = ms_escape_term(small, sizeof(small), "\x1b\x1b\x1b", 3);
	ok(need == 12 && strcmp(small, "\\x1b\\") == 0, "cut to %s, %zu needed", small, need);
	ok(ms_escape_term(NULL, 0, "\x1b", 1) == 4, "size 0 only measures");
	char *d = ms_escape_term_dup("\xe2\x80\xae!");
	ok(d && strcmp(d, "\\u202e!") == 0, "dup: %s", d ? d : "(null)");
	free(d);

	ok(ms_utf8_valid("caf\xc3\xa9", 5) && !ms_utf8_valid("\x9b", 1) &&
	   ms_utf8_valid("\xc2\x9b", 2), "utf8_valid");
	ok(!ms_escape_term_clean("\xc2\x9b", 2) && ms_escape_term_clean("\xc3\xa9", 2),
	   "clean says which need escaping");
	ok(ms_utf8_incomplete_tail("ab\xe6\x97", 4) == 2 &&
	   ms_utf8_incomplete_tail("ab\xe6\x97\xa5", 5) == 0 &&
	   ms_utf8_incomplete_tail("a\xf0", 2) == 1 && ms_utf8_incomplete_tail("a\x9b", 2) == 0,
	   "incomplete_tail keeps half a character for later");
	return done_testing();
}
