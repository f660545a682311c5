// Two goroutines racing on one map, for the racewrite and raceread cases:
// the real runtime catches the race ("concurrent map writes" or
// "concurrent map read and map write") and dies under GOTRACEBACK=crash.
//
// To make the race happen on the first try and leave the writer inside the
// runtime when the core is written, the writer's key is 256 MiB long and
// equal to (but not the same memory as) the key already in the map: each
// Put hashes it, sets the map's writing flag, and compares the two keys
// byte by byte for tens of milliseconds. The other goroutine watches the
// header's flag byte (atomically, not through a map operation) and makes
// its one map access exactly while the flag is set, so the runtime's check
// at the top of that access fires. The keys are fresh, never-written pages,
// so the core stays small. A gcore variant runs the writer alone and is
// dumped by gdb stopped in that comparison (gen/gcore.gdb).
package main

import (
	"bufio"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"unsafe"
)

// A Cache whose map two goroutines use without a lock.
type Cache struct {
	m map[string]int
}

var gCache Cache

var raceSink int

//go:noinline
func (c *Cache) Put(k string, v int) {
	c.m[k] = v
}

//go:noinline
func (c *Cache) Touch() {
	c.m["b"] = 1
}

//go:noinline
func (c *Cache) Get() int {
	return c.m["b"]
}

// RaceSide is one goroutine of the race: the user function that calls into
// the map runtime, and the line of its map statement (the line after the
// func line: each method above is one statement).
type RaceSide struct {
	Goroutine int64  `json:"goroutine"`
	Role      string `json:"role"`
	Op        string `json:"op"`
	Function  string `json:"function"`
	File      string `json:"file"`
	Line      int    `json:"line"`
}

type Race struct {
	Message string     `json:"message"`
	Map     string     `json:"map"`
	Header  string     `json:"header"`
	Sides   []RaceSide `json:"sides"`
}

func side(goid int64, role, op string, fn interface{}) RaceSide {
	f := runtime.FuncForPC(reflect.ValueOf(fn).Pointer())
	file, line := f.FileLine(f.Entry())
	return RaceSide{Goroutine: goid, Role: role, Op: op, Function: f.Name(), File: file, Line: line + 1}
}

// goid parses "goroutine N [" from the goroutine's own stack dump.
func goid() int64 {
	var b [64]byte
	s := strings.TrimPrefix(string(b[:runtime.Stack(b[:], false)]), "goroutine ")
	n, err := strconv.ParseInt(s[:strings.IndexByte(s, ' ')], 10, 64)
	if err != nil {
		panic(err)
	}
	return n
}

// writingSet reads the header's writing flag like the runtime stores it
// (classic hmap.flags&hashWriting, swiss Map.writing), through the aligned
// 32-bit word holding it.
func writingSet(h unsafe.Pointer) bool {
	off := uintptr(headerWritingOff)
	w := atomic.LoadUint32((*uint32)(unsafe.Add(h, off&^3)))
	return (w>>(8*(off&3)))&headerWritingMask != 0
}

// zeroString is n bytes of zeros in pages never written (a fresh large
// allocation comes from the OS already zeroed).
func zeroString(n int) string {
	b := make([]byte, n)
	return *(*string)(unsafe.Pointer(&b))
}

func hammer(c *Cache, k string, ids chan<- int64, start <-chan struct{}) {
	ids <- goid()
	<-start
	for i := 1; ; i++ {
		c.Put(k, i)
	}
}

func poke(c *Cache, read bool, ids chan<- int64, start <-chan struct{}) {
	ids <- goid()
	<-start
	h, _ := mapHeader(c.m)
	for !writingSet(h) {
	}
	if read {
		raceSink = c.Get()
	} else {
		c.Touch()
	}
	panic("not reached: the runtime did not see the race")
}

// RunRace records the truth and starts the race; read picks the reader.
func RunRace(caseName string, read bool) {
	debug.SetGCPercent(-1)
	runtime.GOMAXPROCS(2)
	t := NewTruth(caseName)
	gcore := os.Getenv("MAPSLEUTH_DUMP") == "gcore"

	const keyLen = 256 << 20
	gCache.m = map[string]int{}
	gCache.Put(zeroString(keyLen), 0)
	t.Add("main.gCache.m", t.Exe, "main", "field", gCache.m)

	ids := make(chan int64)
	start := make(chan struct{})
	go hammer(&gCache, zeroString(keyLen), ids, start)
	race := &Race{Map: "main.gCache.m", Header: t.Maps[0].Header}
	race.Sides = append(race.Sides, side(<-ids, "writer", "write", (*Cache).Put))
	if !gcore {
		go poke(&gCache, read, ids, start)
		if read {
			race.Message = "concurrent map read and map write"
			race.Sides = append(race.Sides, side(<-ids, "reader", "read", (*Cache).Get))
		} else {
			race.Message = "concurrent map writes"
			race.Sides = append(race.Sides, side(<-ids, "writer", "write", (*Cache).Touch))
		}
	}
	t.Race = race
	t.Write()
	close(start)
	if gcore {
		Finish()
	}
	w := bufio.NewWriter(os.Stderr)
	w.WriteString("racing\n")
	w.Flush()
	select {}
}
