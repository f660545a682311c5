// Case "unmapped": two maps whose entry storage (classic bucket array, swiss
// tables' group arrays) was munmap'ed while the program ran; their headers
// still point there (verdict "dangling"). The other maps are healthy. The
// program then panics (GOTRACEBACK=crash) without touching the unmapped
// memory. Helpers come from corpus/common/.
package main

import (
	"runtime/debug"
	"strconv"
)

var (
	gNames   map[string]int
	gIDs     map[int]string
	gVictimA map[int64][4]int64
	gVictimB map[string]string
	gAfter   map[string]bool
)

func main() {
	// No GC from here on: a collection would scan the unmapped arrays.
	debug.SetGCPercent(-1)
	t := NewTruth("unmapped")
	exe := t.Exe

	gNames = map[string]int{"ann": 1, "bob": 2, "cy": 3}
	gIDs = make(map[int]string)
	for i := 0; i < 100; i++ {
		gIDs[i] = "id" + strconv.Itoa(i)
	}
	// Large enough that the storage arrays are large objects (>= 32 KiB).
	gVictimA = make(map[int64][4]int64, 800)
	for i := int64(0); i < 800; i++ {
		gVictimA[i] = [4]int64{i, i * 2, i * 3, i * 4}
	}
	gVictimB = make(map[string]string, 500)
	for i := 0; i < 2000; i++ {
		gVictimB["key-"+strconv.Itoa(i)] = "value-" + strconv.Itoa(i)
	}
	gAfter = map[string]bool{"still": true, "fine": false}

	t.Add("main.gNames", exe, "main", "global", gNames, "ann", "bob", "cy")
	t.Add("main.gIDs", exe, "main", "global", gIDs, 0, 1, 99)
	va := t.Add("main.gVictimA", exe, "main", "global", gVictimA)
	vb := t.Add("main.gVictimB", exe, "main", "global", gVictimB, "key-0", "key-1", "key-1999")
	t.Add("main.gAfter", exe, "main", "global", gAfter, "still", "fine")

	UnmapStorage(va, gVictimA)
	UnmapStorage(vb, gVictimB)

	t.Write()
	Finish()
}
