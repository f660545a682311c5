#!/bin/sh
# make bench: how long 'mapsleuth layout' takes to load the map layout of a
# Go binary with tens of MB of DWARF, against 'readelf -wi' (binutils;
# eu-readelf --debug-dump=info when readelf is missing) reading the same
# DWARF to /dev/null, in the same run.
#
# The program is generated here: main.go keeps many standard packages
# (net/http, crypto/*, encoding/*, go/*, debug/*, image/*, ...) alive, and
# gen.go adds NTYPES struct types each with a map field, a map global and a
# method, so the DWARF has thousands of map types. It is built once with
# /usr/local/go/bin/go (or $GO) and cached in tests/bench-layout.cache/.
#
# usage: bench-layout.sh ABS_TOP_SRCDIR ABS_TOP_BUILDDIR
set -e
top_srcdir=${1:?}
top_builddir=${2:?}
MAPSLEUTH="$top_builddir/src/mapsleuth"
GO=${GO:-/usr/local/go/bin/go}
NTYPES=${NTYPES:-6000}
RUNS=${RUNS:-5}
cache="$top_builddir/tests/bench-layout.cache"

[ -x "$MAPSLEUTH" ] || { echo "bench: build mapsleuth first"; exit 1; }
[ -x "$GO" ] || { echo "bench: SKIP: no Go toolchain at $GO"; exit 0; }
if command -v readelf > /dev/null; then
	baseline="readelf -wi"
elif command -v eu-readelf > /dev/null; then
	baseline="eu-readelf --debug-dump=info"
else
	echo "bench: SKIP: neither readelf nor eu-readelf"
	exit 0
fi

mkdir -p "$cache/src"
goversion=$("$GO" env GOVERSION)
stamp="$goversion ntypes=$NTYPES"
bin="$cache/big"
if [ ! -x "$bin" ] || [ "$(cat "$cache/stamp" 2> /dev/null)" != "$stamp" ]; then
	echo "bench: building the benchmark program with $goversion ($NTYPES generated types)..."
	cd "$cache/src"
	printf 'module example.com/benchlayout\n\ngo 1.21\n' > go.mod
	cat > main.go <<'GO'
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/bzip2"
	"compress/gzip"
	"compress/lzw"
	"compress/zlib"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"debug/dwarf"
	"debug/elf"
	"debug/gosym"
	"debug/macho"
	"debug/pe"
	"encoding/asn1"
	"encoding/csv"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"expvar"
	"go/ast"
	"go/build"
	"go/doc"
	"go/format"
	"go/importer"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	htmltemplate "html/template"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httputil"
	_ "net/http/pprof"
	"net/mail"
	"net/rpc"
	"net/smtp"
	"os"
	"os/exec"
	"regexp"
	"runtime/pprof"
	"text/template"
)

// Function values keep each package's code and types in the binary.
var keep = []any{
	tar.NewReader, tar.NewWriter, zip.OpenReader, zip.NewWriter,
	bzip2.NewReader, gzip.NewReader, gzip.NewWriter, lzw.NewReader, zlib.NewReader,
	ecdsa.GenerateKey, ed25519.GenerateKey, rsa.GenerateKey, rsa.SignPSS,
	tls.Dial, tls.Listen, x509.ParseCertificate, x509.CreateCertificate,
	sql.Open, dwarf.New, elf.Open, gosym.NewTable, macho.Open, pe.Open,
	asn1.Marshal, asn1.Unmarshal, csv.NewReader, gob.NewEncoder, gob.NewDecoder,
	json.Marshal, json.Unmarshal, xml.Marshal, xml.Unmarshal, expvar.Publish,
	ast.Inspect, build.Import, doc.New, format.Source, importer.Default,
	parser.ParseFile, printer.Fprint, token.NewFileSet, types.NewChecker,
	(*types.Config).Check, htmltemplate.New, template.New, (*template.Template).Execute,
	gif.Decode, gif.EncodeAll, jpeg.Decode, jpeg.Encode, png.Decode, png.Encode,
	http.ListenAndServe, http.Get, httputil.DumpRequest, httputil.NewSingleHostReverseProxy,
	mail.ParseAddress, rpc.Dial, rpc.NewServer, smtp.SendMail, exec.Command,
	regexp.MustCompile, pprof.StartCPUProfile,
}

func main() {
	if len(os.Args) > 5 {
		println(len(keep), len(keepT))
	}
}
GO
	awk -v n="$NTYPES" 'BEGIN {
		print "package main\n"
		for (i = 0; i < n; i++) {
			w = i % 2 ? "64" : "32"
			prev = i > 0 ? i - 1 : 0
			prev2 = i > 1 ? i - 2 : 0
			printf "type T%d struct { A int; B string; C [%d]byte; M map[string]*T%d; S []T%d }\n",
				i, i % 50, prev, prev2
			printf "var G%d = map[int%s]T%d{}\n", i, w, i
			printf "func (t *T%d) Sum(k string) int { n := t.A + len(t.B) + len(t.S); if m, ok := t.M[k]; ok && m != nil { n += m.A }; for i := range t.C { n += int(t.C[i]) }; G%d[int%s(n)] = *t; return n }\n",
				i, i, w
		}
		print "var keepT = []any{"
		for (i = 0; i < n; i++)
			printf "\t(*T%d).Sum, G%d,\n", i, i
		print "}"
	}' > gen.go
	[ -n "$HOME" ] || export GOCACHE="${GOCACHE:-$cache/gocache}"
	GOTOOLCHAIN=local GOFLAGS= GOPROXY=off "$GO" build -o "$bin" .
	echo "$stamp" > "$cache/stamp"
	cd - > /dev/null
fi

# The DWARF's size once decompressed (Go compresses it).
dwarf_size=$(readelf -SW "$bin" 2> /dev/null | awk '/\.debug_/ { print $6 }' |
	while read -r h; do printf '%d\n' "0x$h"; done | awk '{ s += $1 } END { print s + 0 }')
dwarf_mb=$(awk -v s="$dwarf_size" 'BEGIN { printf "%.1f", s / 1048576 }')
if command -v objcopy > /dev/null &&
   objcopy --decompress-debug-sections "$bin" "$cache/big.plain" 2> /dev/null; then
	plain_size=$(readelf -SW "$cache/big.plain" | awk '/\.debug_/ { print $6 }' |
		while read -r h; do printf '%d\n' "0x$h"; done | awk '{ s += $1 } END { print s + 0 }')
	dwarf_mb=$(awk -v s="$plain_size" 'BEGIN { printf "%.1f", s / 1048576 }')
fi

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# best_of N CMD...: the fastest of N runs, in ms, output to /dev/null.
best_of()
{
	n=$1
	shift
	best=
	i=0
	while [ $i -lt "$n" ]; do
		t0=$(now_ms)
		"$@" > /dev/null 2>&1 || { echo "bench: '$*' failed" >&2; exit 1; }
		t=$(($(now_ms) - t0))
		[ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
		i=$((i + 1))
	done
	echo "$best"
}

maptypes=$("$MAPSLEUTH" layout "$bin" | sed -n 's/^map types: //p')
echo "bench: $bin: $(wc -c < "$bin") bytes, $dwarf_mb MB of DWARF (decompressed), $maptypes map types"
t_layout=$(best_of "$RUNS" "$MAPSLEUTH" layout "$bin")
t_json=$(best_of "$RUNS" "$MAPSLEUTH" layout --json "$bin")
t_base=$(best_of 1 $baseline "$bin")
echo "bench: mapsleuth layout (all map types, text)   best of $RUNS: ${t_layout} ms"
echo "bench: mapsleuth layout --json                  best of $RUNS: ${t_json} ms"
if [ -f "$cache/big.plain" ]; then
	t_plain=$(best_of "$RUNS" "$MAPSLEUTH" layout "$cache/big.plain")
	echo "bench: mapsleuth layout, uncompressed DWARF    best of $RUNS: ${t_plain} ms"
fi
echo "bench: baseline $baseline > /dev/null              : ${t_base} ms"
if command -v /usr/bin/time > /dev/null; then
	rss=$( { /usr/bin/time -f '%M' "$MAPSLEUTH" layout "$bin" > /dev/null; } 2>&1 | tail -n 1)
	echo "bench: mapsleuth layout peak RSS: ${rss} KiB"
fi
awk -v a="$t_layout" -v b="$t_base" 'BEGIN {
	if (a > 0) printf "bench: layout takes %.1f%% of the baseline'"'"'s time (%.1fx faster)\n", 100 * a / b, b / a
}'
