// Case "hostile": a map whose keys and values are strings a compromised
// process could choose, to show how mapsleuth prints them: terminal escape
// sequences (retitle, clear, colour), an 8-bit C1 CSI byte (invalid UTF-8)
// and U+009B, bidi controls (U+202E, U+2066/U+2069), invalid UTF-8, a
// string past the 64-byte cut; and a map of arrays past the 8-element cut.
// Every map is healthy ("ok"). Helpers come from corpus/common/.
package main

import (
	"runtime/debug"
	"strings"
)

var (
	gEscapes map[string]string
	gArrays  map[string][12]int32
)

func main() {
	debug.SetGCPercent(-1)
	t := NewTruth("hostile")
	exe := t.Exe

	gEscapes = map[string]string{
		"\x1b]0;pwned\x07\x1b[2J\x1b[41m": "retitle, clear and paint the terminal",
		"csi8-\x9b31m":                    "8-bit CSI byte",
		"csi-\u009b31m":                   "U+009B CSI",
		"bidi-\u202etxt.exe":              "right-to-left override",
		"isolate-\u2066x\u2069":           "invalid \xff\xfe\xc3 UTF-8",
		"long":                            strings.Repeat("0123456789", 10) + "\u00e9",
	}
	gArrays = map[string][12]int32{
		"twelve": {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
	}
	t.Add("main.gEscapes", exe, "main", "global", gEscapes, "long", "csi-\u009b31m")
	t.Add("main.gArrays", exe, "main", "global", gArrays)

	t.Write()
	Finish()
}
