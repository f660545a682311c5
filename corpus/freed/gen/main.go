// Case "freed": main.gVictim's entry storage pointer (classic buckets, swiss
// dirPtr) is redirected to a 128 KiB object that the GC has since freed
// (verdict "freed"). The truth is rendered before the object is freed and
// written without further heap allocation, so nothing reuses those pages
// before the core is taken. Helpers come from corpus/common/.
package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
)

var (
	gWords  map[string]int
	gSquare map[int]int
	gVictim map[string]int
)

const bigSize = 128 << 10

var sink []byte

//go:noinline
func allocBig() uintptr {
	b := make([]byte, bigSize)
	for i := range b {
		b[i] = byte(i)
	}
	sink = b
	return uintptr(unsafePointer(&b[0]))
}

func main() {
	t := NewTruth("freed")
	exe := t.Exe

	gWords = map[string]int{"one": 1, "two": 2, "three": 3}
	gSquare = make(map[int]int)
	for i := 0; i < 50; i++ {
		gSquare[i] = i * i
	}
	gVictim = map[string]int{}
	for i := 0; i < 5; i++ {
		gVictim["v"+strconv.Itoa(i)] = i
	}
	runtime.GC()
	debug.SetGCPercent(-1)

	t.Add("main.gWords", exe, "main", "global", gWords, "one", "two", "three")
	t.Add("main.gSquare", exe, "main", "global", gSquare, 0, 7, 49)
	v := t.Add("main.gVictim", exe, "main", "global", gVictim, "v0", "v1", "v4")

	big := allocBig()
	if big%4096 != 0 {
		panic("big object not page aligned")
	}
	// Render the truth as it will be once the pointer is redirected.
	_, old := DataPointers(gVictim)
	field := Redirect(gVictim, big)
	v.Refresh()
	Redirect(gVictim, old[0])
	v.Verdict = "freed"
	v.Bad = []Bad{{Field: field, Pointer: hexu(big)}}
	out := t.Marshal()
	f, err := os.Create(envOr("MAPSLEUTH_TRUTH", "truth.json"))
	if err != nil {
		panic(err)
	}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	sink = nil
	runtime.GC()
	runtime.ReadMemStats(&after)
	if before.HeapInuse-after.HeapInuse < bigSize {
		panic("the big object was not freed")
	}

	Redirect(gVictim, big)
	if _, err := f.Write(out); err != nil {
		panic(err)
	}
	f.Close()
	Finish()
}
