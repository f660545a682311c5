// Case "cshared": this package is built with -buildmode=c-shared into
// libgomaps.so and loaded by a C program (host.c) that has no Go in it: the
// Go runtime lives in the library. MapsBuild, called from C, makes global
// maps and goroutines that hold maps in their frames, records the truth,
// and unmaps the entry storage of main.gVictimA and main.gVictimB (as in
// case "unmapped": verdict "dangling"). MapsLookup, called next, reads
// main.gVictimA and the process dies of that fault (as in case "crash").
// Helpers come from corpus/common/.
package main

import "C"

import (
	"runtime"
	"runtime/debug"
	"strconv"
	"unsafe"
)

var (
	gCatalog map[string]int
	gPrices  map[int32]float64
	gVictimA map[int64][4]int64
	gVictimB map[string]string
)

// report is what a goroutine tells MapsBuild about one of its maps (as in
// case "locals": the header address when the map lives in its frame).
type report struct {
	name string
	held string
	m    interface{}
	addr uintptr
	as   func(uintptr) interface{}
	keys []interface{}
}

var block = make(chan struct{})

// growStack uses about n KiB of stack, so that the goroutine's stack does
// not grow (and move its frames) after its maps are recorded.
func growStack(n int) byte {
	var buf [1024]byte
	buf[n%len(buf)] = byte(n)
	if n > 0 {
		return growStack(n-1) + buf[0]
	}
	return buf[0]
}

func headerOf(p unsafe.Pointer) uintptr { return uintptr(*(*unsafe.Pointer)(p)) }

// stocker holds a map that escapes (its header is on the heap) only in its
// local variable.
func stocker(out chan<- []report) {
	stock := make(map[string]int16)
	for i := 0; i < 40; i++ {
		stock["item-"+strconv.Itoa(i)] = int16(i * 3)
	}
	out <- []report{{name: "main.stocker local stock", held: "stack-local", m: stock,
		keys: []interface{}{"item-0", "item-1", "item-39"}}}
	<-block
	runtime.KeepAlive(stock)
}

// tally keeps a map that does not escape: its header and first group or
// bucket are in its frame.
func tally(out chan<- []report) {
	growStack(64)
	hits := make(map[string]uint8, 4)
	hits["GET"] = 7
	hits["PUT"] = 2
	hits["DELETE"] = 1
	out <- []report{{name: "main.tally local hits", held: "stack", addr: headerOf(unsafe.Pointer(&hits)),
		as: func(a uintptr) interface{} {
			var m map[string]uint8
			*(*uintptr)(unsafe.Pointer(&m)) = a
			return m
		}, keys: []interface{}{"GET", "PUT", "DELETE"}}}
	<-block
	runtime.KeepAlive(hits)
}

//go:noinline
func lookup(m map[int64][4]int64, k int64) int64 {
	return m[k][0]
}

//export MapsBuild
func MapsBuild() C.int {
	t := NewTruth("cshared")
	lib := "libgomaps.so"
	t.Modules = append(t.Modules, Module{File: lib, Kind: "c-shared"})

	out := make(chan []report)
	go stocker(out)
	go tally(out)
	var reps []report
	for i := 0; i < 2; i++ {
		rs := <-out
		reps = append(reps, rs...)
		for j := range rs {
			rs[j] = report{}
		}
	}
	runtime.GC()
	// No GC from here on: a collection would scan the unmapped arrays.
	debug.SetGCPercent(-1)

	gCatalog = map[string]int{"bolt": 12, "nut": 40, "washer": 7}
	gPrices = make(map[int32]float64)
	for i := int32(0); i < 60; i++ {
		gPrices[i] = float64(i) * 1.5
	}
	// Large enough that the storage arrays are large objects (>= 32 KiB).
	gVictimA = make(map[int64][4]int64, 800)
	for i := int64(0); i < 800; i++ {
		gVictimA[i] = [4]int64{i, -i, i, -i}
	}
	gVictimB = make(map[string]string, 500)
	for i := 0; i < 2000; i++ {
		gVictimB["key-"+strconv.Itoa(i)] = "value-" + strconv.Itoa(i)
	}

	t.Add("main.gCatalog", lib, "main", "global", gCatalog, "bolt", "nut", "washer")
	t.Add("main.gPrices", lib, "main", "global", gPrices, int32(0), int32(1), int32(59))
	va := t.Add("main.gVictimA", lib, "main", "global", gVictimA)
	vb := t.Add("main.gVictimB", lib, "main", "global", gVictimB, "key-0", "key-1", "key-1999")
	for _, r := range reps {
		m := r.m
		if m == nil {
			m = r.as(r.addr)
		}
		t.Add(r.name, lib, "main", r.held, m, r.keys...)
	}
	for i := range reps {
		reps[i] = report{}
	}
	UnmapStorage(va, gVictimA)
	UnmapStorage(vb, gVictimB)
	t.Crash = &Crash{Signal: "@SIGNAL@", Code: "@CODE@", FaultAddress: "@FAULT_ADDRESS@", PC: "@PC@", Map: "main.gVictimA"}
	t.Write()
	return C.int(len(t.Maps))
}

//export MapsLookup
func MapsLookup(k C.longlong) C.longlong {
	return C.longlong(lookup(gVictimA, int64(k)))
}

func main() {}
