package main

import "unsafe"

// decoy is one header-shaped piece of garbage and where it is.
type decoy struct {
	what string
	addr uintptr
}

//go:noinline
func touch(p *[6]uintptr) uintptr { return p[0] }

func addrOf(p unsafe.Pointer) uintptr { return uintptr(p) }

// makeDecoys starts the goroutine that keeps the stack decoys in its frame,
// makes the heap decoys, and returns them all.
func makeDecoys() []decoy {
	ch := make(chan []decoy)
	go stackDecoys(ch)
	d := <-ch
	return append(d, heapDecoys()...)
}

// Heap decoys stay reachable from here (a global of a type without maps).
var keepHeapDecoys []unsafe.Pointer
