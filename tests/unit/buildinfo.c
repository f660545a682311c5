/* Unit tests for the .go.buildinfo decoder and Go version parsing. */
#include "config.h"

#include <stdlib.h>

#include "buildinfo.h"
#include "tap.h"

int main(void)
{
	// The layout the go1.21.0 linker writes (cmd/link/internal/ld/data.go, buildinfo), with a short
	// modinfo framed by the two sentinels.
	uint8_t buf[128] = "\xff Go buildinf:\x08\x02";
	size_t n = 32;
	const char *ver = "go1.24.0 X:noswissmap";
	buf[n++] = (uint8_t)strlen(ver);
	memcpy(buf + n, ver, strlen(ver));
	n += strlen(ver);
	const char *mod = "0123456789abcdefpath\tx\n0123456789abcdef";
	buf[n++] = (uint8_t)strlen(mod);
	memcpy(buf + n, mod, strlen(mod));
	n += strlen(mod);

	char *v = NULL, *m = NULL;
	struct ms_error *err = ms_buildinfo_parse(buf, n, "test", &v, &m);
	ok(!err, "parse succeeds");
	is_str(v, ver, "version string");
	is_str(m, "path\tx\n", "modinfo without sentinels");
	free(v);
	free(m);

	err = ms_buildinfo_parse(buf, 40, "test", &v, NULL);
	ok(err && err->code == MS_ERR_BAD_DATA, "truncated version is an error");
	ms_error_destroy(err);
	buf[1] = 'X';
	err = ms_buildinfo_parse(buf, n, "test", &v, NULL);
	ok(err && err->code == MS_ERR_BAD_DATA, "bad magic is an error");
	ms_error_destroy(err);

	struct ms_go_version gv;
	ok(ms_go_version_parse("go1.19.8", &gv) && gv.major == 1 &&
		   gv.minor == 19 && gv.patch == 8 && !gv.noswissmap,
	   "go1.19.8");
	ok(ms_go_version_parse("go1.24.0 X:noswissmap", &gv) && gv.minor == 24 &&
		   gv.noswissmap,
	   "1.24 experiment suffix");
	ok(ms_go_version_parse("go1.25.1 X:aliastypeparams,noswissmap", &gv) &&
		   gv.noswissmap && gv.patch == 1,
	   "experiment list");
	ok(ms_go_version_parse("go1.26.0-X:nodwarf5", &gv) && gv.minor == 26 &&
		   !gv.noswissmap,
	   "1.26 separator");
	ok(ms_go_version_parse("go1.27.3-X:mapsplitgroup", &gv) && gv.minor == 27 &&
		   gv.patch == 3 && gv.mapsplitgroup && !gv.noswissmap,
	   "1.27 mapsplitgroup");
	ok(ms_go_version_parse("go1.27.3", &gv) && !gv.mapsplitgroup,
	   "1.27 default groups");
	ok(ms_go_version_parse("go1.26-devel_2baa1d1762p Tue Jan 20", &gv) &&
		   gv.minor == 26 && gv.devel,
	   "development build");
	ok(ms_go_version_parse("go1.21", &gv) && gv.minor == 21 && gv.patch == 0,
	   "no patch number");
	ok(!ms_go_version_parse("1.21", &gv), "no go prefix");
	ok(!ms_go_version_parse("go", &gv), "no numbers");
	return done_testing();
}
