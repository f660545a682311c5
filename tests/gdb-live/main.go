// Program for tests/run-gdb-live.sh: a healthy map and a map whose entry
// storage was munmap'ed, then a stop at main.checkpoint where gdb judges
// both with `mapsleuth check`. The storage pointers are found with the
// layouts of the Go runtime (src/runtime/map.go classic hmap,
// src/internal/runtime/maps swiss Map and table); the code for each implementation is in
// classic.go and swiss.go, chosen by build tags as in corpus/common/.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"syscall"
	"unsafe"
)

var (
	gHealthy map[string]int
	gVictim  map[int64][4]int64
)

// checkpoint is where the test's breakpoint stops the program.
//
//go:noinline
func checkpoint() {
	fmt.Fprintln(os.Stderr, "checkpoint")
}

// hold stops at checkpoint with the map in a local variable, for
// `up` then `mapsleuth check local` (the test builds with -N -l).
//
//go:noinline
func hold(m map[int64][4]int64) {
	local := m
	checkpoint()
	runtime.KeepAlive(local)
}

// header returns the map header a map variable points to.
func header(m unsafe.Pointer) uintptr {
	return *(*uintptr)(m)
}

// munmap unmaps [addr, addr+n) rounded up to whole 4 KiB pages. The array
// must be a large object (>= 32 KiB, its own page-aligned span) so that no
// other object shares its pages.
func munmap(what string, addr, n uintptr) {
	if addr%4096 != 0 || n < 32<<10 {
		panic(fmt.Sprintf("%s at %#x (%d bytes) is not a page-aligned large object", what, addr, n))
	}
	n = (n + 4095) &^ 4095
	if _, _, e := syscall.Syscall(syscall.SYS_MUNMAP, addr, n, 0); e != 0 {
		panic("munmap: " + e.Error())
	}
	fmt.Fprintf(os.Stderr, "unmapped %s %#x\n", what, addr)
}

func main() {
	// No GC from here on: a collection would scan the unmapped memory.
	debug.SetGCPercent(-1)
	gHealthy = map[string]int{"ann": 1, "bob": 2, "cy": 3}
	// 800 entries of 40 bytes: the bucket array (classic) or the table's
	// group array (swiss) is a large object of its own.
	gVictim = make(map[int64][4]int64, 800)
	for i := int64(0); i < 800; i++ {
		gVictim[i] = [4]int64{i, i * 2, i * 3, i * 4}
	}
	unmapStorage(header(unsafe.Pointer(&gVictim)))
	hold(gVictim)
	// Never touch gVictim again.
	os.Exit(0)
}
