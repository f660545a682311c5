// Case "crash": the program unmaps the entry storage of main.gVictim, records
// the truth, then reads from that map and dies of the SIGSEGV (the runtime
// reports it and, with GOTRACEBACK=crash, aborts with SIGABRT and a kernel
// core). make-case.sh fills truth.crash from the runtime's
// "[signal SIGSEGV: ... addr=... pc=...]" line. Helpers come from corpus/common/.
package main

import (
	"os"
	"runtime/debug"
)

var (
	gColors map[string]int
	gVictim map[int64][4]int64
)

//go:noinline
func lookup(m map[int64][4]int64, k int64) int64 {
	return m[k][0]
}

func main() {
	debug.SetGCPercent(-1)
	t := NewTruth("crash")
	exe := t.Exe

	gColors = map[string]int{"red": 1, "green": 2, "blue": 3}
	gVictim = make(map[int64][4]int64, 800)
	for i := int64(0); i < 800; i++ {
		gVictim[i] = [4]int64{i, -i, i, -i}
	}
	t.Add("main.gColors", exe, "main", "global", gColors, "red", "green", "blue")
	v := t.Add("main.gVictim", exe, "main", "global", gVictim)
	UnmapStorage(v, gVictim)
	t.Crash = &Crash{Signal: "@SIGNAL@", Code: "@CODE@", FaultAddress: "@FAULT_ADDRESS@", PC: "@PC@", Map: "main.gVictim"}
	t.Write()

	if os.Getenv("MAPSLEUTH_DUMP") == "gcore" {
		Finish()
	}
	println(lookup(gVictim, 17))
	panic("not reached: the lookup should have faulted")
}
